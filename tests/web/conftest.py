"""A live server shared by the live-contest tests of one module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.live import LiveServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("live"))
    live.set_password()
    live.start()
    yield live
    live.stop()
