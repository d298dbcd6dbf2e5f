#!/usr/bin/env bash
# Rebuild the portal's front-end assets from GOV.UK Frontend.
#
# Only needed after changing static/scss/diz.scss or upgrading the npm
# packages: the outputs (static/css/diz.css and
# static/vendor/govuk-frontend/govuk-frontend.min.js) are committed, so running
# the portal itself does not need Node.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

npm ci
npm run build:css
