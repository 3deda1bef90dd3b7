"""Database fixtures: every storage test runs on SQLite and on a throwaway PostgreSQL database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from quiz.storage.db import make_engine, migrate, session_factory
from tests.conftest import POSTGRES_URL, need_service


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


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database_url(request: pytest.FixtureRequest, database_url: str) -> str:
    """The URL of a fresh database of each supported kind."""
    if request.param == "sqlite":
        return database_url
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def any_sessions(any_database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on a freshly migrated database of each supported kind."""
    engine = make_engine(any_database_url)
    migrate(engine)
    yield session_factory(engine)
    engine.dispose()
