"""Fixtures of the web tests: a live server shared by a module's tests, and Debian's Chromium."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from tests.web.browsers import chromium
from tests.web.live import LiveServer

# Without Playwright the browser fixture skips (or fails in CI); the name is only an annotation.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("live"))
    live.set_password()
    live.start()
    yield live
    live.stop()


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for one test."""
    yield from chromium()
