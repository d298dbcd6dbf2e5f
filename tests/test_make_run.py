"""`make run` serves on PORT and points the links in emails and PDFs at that same address."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_sets_the_site_address_from_the_port():
    commands = subprocess.run(
        ["make", "-n", "run", "PORT=8020"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serving = [line for line in commands.splitlines() if "runserver" in line or "load_demo" in line]
    assert serving and all("SITE_URL=http://127.0.0.1:8020" in line for line in serving)
    assert "runserver 127.0.0.1:8020" in commands


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_an_explicit_site_address_wins():
    commands = subprocess.run(
        ["make", "-n", "run", "PORT=8020", "SITE_URL=https://diz.example.org"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SITE_URL=https://diz.example.org" in commands and "SITE_URL=http://127.0.0.1:8020" not in commands
