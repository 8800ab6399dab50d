"""Debian's Chromium for the browser tests (installed by .ci/run), without Django.

Debian's headless shell (`chromium-headless-shell`: the same Blink and V8, without the desktop
browser around them — what Playwright itself runs for headless tests) where it is installed: the
browser tests' pages cost a third less CPU in it. Else Debian's full `chromium`, headless."""

import shutil
from pathlib import Path

SHELL = shutil.which("chromium-headless-shell")
CHROMIUM = SHELL or shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    *([] if SHELL else ["--headless=new"]),  # the shell is headless; the browser is told to be
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
