"""Fixtures shared by every test module: a fresh SQLite file, sessions, the command line."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from quiz.storage.db import make_engine, migrate, session_factory
from quiz.texts import UNKNOWN

# Property tests check behaviour, not speed: on a loaded 2-core machine one example can take
# several times Hypothesis's default 200 ms deadline, which would fail a correct test.
settings.register_profile("leitai", deadline=None)
settings.load_profile("leitai")

REQUIRE_SERVICES = os.environ.get("LEITAI_REQUIRE_SERVICES") == "1"
POSTGRES_URL = os.environ.get(
    "LEITAI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def need_service(name: str, reason: str) -> None:
    """Skip when a service is missing on a user's machine; fail in CI, which requires it."""
    message = f"{name} is not available ({reason}); start it, or set LEITAI_REQUIRE_SERVICES=1 "
    message += "to make this a failure instead of a skip"
    if REQUIRE_SERVICES:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A SQLite file of this test's own."""
    return f"sqlite:///{tmp_path / 'leitai.sqlite3'}"


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on a freshly migrated SQLite file."""
    engine = make_engine(database_url)
    migrate(engine)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No QUIZ_* settings from outside; the data folder is this test's own."""
    for name in ("QUIZ_DATABASE_URL", "QUIZ_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "data"
    monkeypatch.setenv("QUIZ_DATA_DIR", str(data))
    return data


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    name = f"leitai_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        need_service("PostgreSQL", f"{POSTGRES_URL}: {error.orig}")
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if any problem was rendered with a code or term the catalogue lacks."""
    if UNKNOWN:
        print(f"\nproblem texts missing from quiz/texts: {sorted(UNKNOWN)}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
