"""Debian's Chromium driven by Playwright for the browser tests, and what every such test watches.

Needs Debian's Chromium and the Python Playwright package (never ``playwright install``, which
downloads a browser of its own): ``apt-get install chromium fonts-noto-cjk fonts-noto-core`` and
``pip install playwright``. Without them a browser test skips, or fails when
LEITAI_REQUIRE_SERVICES=1. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import need_service

try:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright
except ImportError:  # pragma: no cover - the skip (or CI failure) below says what to install
    HAVE_PLAYWRIGHT = False
else:
    HAVE_PLAYWRIGHT = True

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def chromium() -> Iterator[Browser]:
    """A headless Debian Chromium for one test (the skip or failure says what is missing)."""
    if not HAVE_PLAYWRIGHT or not CHROMIUM.exists():
        missing = "the playwright module" if not HAVE_PLAYWRIGHT else str(CHROMIUM)
        need_service(
            "Chromium and Playwright",
            f"{missing} is missing; to enable the browser tests: apt-get install chromium "
            "fonts-noto-cjk fonts-noto-core; pip install playwright (do not run `playwright "
            "install`: the tests use Debian's /usr/bin/chromium)",
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Watch:
    """A page's console errors, uncaught exceptions and requests to any host but this one."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("request", self.request)
        page.on("dialog", lambda dialog: dialog.accept())

    def console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = str(message.location.get("url", ""))
        self.errors.append(f"console.error: {message.text} ({url})")

    def request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname != "127.0.0.1":
            self.foreign.append(request.url)
