"""Database fixtures: every storage test runs on SQLite and on a throwaway PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from quiz.storage.db import make_engine, migrate, session_factory


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
