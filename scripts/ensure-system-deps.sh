#!/usr/bin/env bash
# Installs the Debian packages the test suite drives (Chromium for the browser tests, LibreOffice for
# converting papers) when they are
# missing. Needs root for apt-get; without it, says what is missing and carries on (the browser
# tests then skip, or fail under DIZ_REQUIRE_SERVICES as in CI).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# WeasyPrint's libraries (Pango); usually present on Debian, but a slim machine may lack them.
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
# LibreOffice, headless, binds Word, ODF and PowerPoint papers into packs as PDF (Writer and Impress
# without the desktop user interface are enough).
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui libreoffice-impress-nogui)
fc-list >/dev/null 2>&1 && [ -n "$(fc-list 2>/dev/null | head -n 1)" ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages (install them as root): ${missing[*]}" >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
}
