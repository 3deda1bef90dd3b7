"""Services on a real SQLite file holding the bundled banks, with a clock the test moves, and
no web server: the application layer is tested directly."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from quiz.app import Services, build_services
from quiz.storage.db import make_engine, session_factory
from tests.web.practice_fixtures import Clock, bank_database


@pytest.fixture(scope="package")
def bank_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the bundled banks imported, made once and copied per test."""
    return bank_database(tmp_path_factory.mktemp("banks"))


@pytest.fixture
def clock() -> Clock:
    """The services' clock and date, moved by the test."""
    return Clock()


@pytest.fixture
def services(bank_template: Path, tmp_path: Path, clock: Clock) -> Iterator[Services]:
    """Every service on this test's own copy of the bank database."""
    path = tmp_path / "leitai.sqlite3"
    shutil.copy(bank_template, path)
    engine = make_engine(f"sqlite:///{path}")
    built = build_services(
        session_factory(engine), clock_ms=lambda: clock.now_ms, today=lambda: clock.today
    )
    yield built
    engine.dispose()
