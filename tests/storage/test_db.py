"""Database location, migrations, and the append-only command log."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text, update
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from quiz.storage.db import (
    alembic_config,
    data_dir,
    database_url,
    make_engine,
    migrate,
    session_factory,
)
from quiz.storage.models import (
    Base,
    CommandRow,
    ContestRow,
    TeamRow,
    mapped_schema_name,
)


def test_default_database_is_a_sqlite_file_in_the_data_dir(isolated_environment: Path) -> None:
    assert data_dir() == isolated_environment
    assert database_url() == f"sqlite:///{isolated_environment / 'leitai.sqlite3'}"


def test_quiz_database_url_overrides(
    isolated_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/x")
    assert database_url() == "postgresql+psycopg://u@127.0.0.1/x"


def test_sqlite_folder_is_created(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a' / 'b' / 'db.sqlite3'}")
    migrate(engine)
    engine.dispose()
    assert (tmp_path / "a" / "b" / "db.sqlite3").is_file()


def test_migrations_build_exactly_the_models(any_database_url: str) -> None:
    engine = make_engine(any_database_url)
    migrate(engine)
    migrate(engine)  # a second run is a no-op
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": mapped_schema_name})
        differences = compare_metadata(context, Base.metadata)
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert differences == []
    assert {"banks", "questions", "question_versions", "contests", "contest_commands"} <= tables


def test_event_log_refuses_updates_and_deletes(any_sessions: sessionmaker[Session]) -> None:
    with any_sessions.begin() as session:
        contest = ContestRow(code="ABC123", title="t", template={})
        session.add(contest)
        session.flush()
        session.execute(
            insert(CommandRow),
            [{"contest_id": contest.id, "seq": 1, "at_ms": 5, "type": "Buzz", "payload": {}}],
        )
    for statement in (
        update(CommandRow).values(type="Forged"),
        text("DELETE FROM contest_commands"),
    ):
        with pytest.raises(DatabaseError, match="append-only"), any_sessions.begin() as session:
            session.execute(statement)
    with any_sessions() as session:
        assert session.query(CommandRow.type).all() == [("Buzz",)]


def test_event_sequence_numbers_are_unique_per_contest(
    any_sessions: sessionmaker[Session],
) -> None:
    with any_sessions.begin() as session:
        contest = ContestRow(code="XYZ789", title="t", template={})
        session.add(contest)
        session.flush()
        contest_id = contest.id
    row = {"contest_id": contest_id, "seq": 1, "at_ms": 5, "type": "Buzz", "payload": {}}
    with any_sessions.begin() as session:
        session.execute(insert(CommandRow), [row])
    with pytest.raises(DatabaseError), any_sessions.begin() as session:
        session.execute(insert(CommandRow), [row])


def test_the_command_log_keeps_its_entries_across_migration_0005(any_database_url: str) -> None:
    engine = make_engine(any_database_url)
    command.upgrade(alembic_config(engine), "0004")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO contests (id, code, title, template, status, screen_key, "
                "question_versions, snapshot_seq, purpose, created_at) VALUES "
                "(1, 'OLD111', 't', '{}', 'running', 'k', '{}', 0, 'contest', '2026-11-29')"
            )
        )
        for seq in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO contest_events (id, contest_id, seq, at_ms, kind, payload, "
                    "recorded_at) VALUES (:id, 1, :seq, 5, 'Buzz', '{}', '2026-11-29')"
                ),
                {"id": seq, "seq": seq},
            )
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        session.execute(
            insert(CommandRow),
            [{"contest_id": 1, "seq": 3, "at_ms": 6, "type": "Judge", "payload": {}}],
        )
    with sessions() as session:
        rows = session.execute(select(CommandRow.id, CommandRow.seq, CommandRow.type)).all()
        tables = set(inspect(session.connection()).get_table_names())
    with pytest.raises(DatabaseError, match="append-only"), sessions.begin() as session:
        session.execute(text("DELETE FROM contest_commands"))
    engine.dispose()
    assert sorted(rows) == [(1, 1, "Buzz"), (2, 2, "Buzz"), (3, 3, "Judge")]
    assert not {"contest_events", "results"} & tables


def test_contests_made_before_migration_0006_get_empty_sheet_details(
    any_database_url: str,
) -> None:
    engine = make_engine(any_database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0005")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO contests (id, code, title, template, status, screen_key, "
                "question_versions, snapshot_seq, purpose, created_at) VALUES "
                "(1, 'OLD111', 't', '{}', 'finished', 'k', '{}', 0, 'contest', '2026-11-29')"
            )
        )
    command.upgrade(config, "0006")
    with engine.begin() as connection:
        details = connection.execute(
            text("SELECT venue, organiser, host_name FROM contests WHERE id = 1")
        ).one()
    command.downgrade(config, "0005")
    with engine.connect() as connection:
        columns = {column["name"] for column in inspect(connection).get_columns("contests")}
    engine.dispose()
    assert tuple(details) == ("", "", "")
    assert not {"venue", "organiser", "host_name"} & columns


def test_teams_made_before_migration_0007_get_codes_of_their_own(any_database_url: str) -> None:
    engine = make_engine(any_database_url)
    command.upgrade(alembic_config(engine), "0006")
    with engine.begin() as connection:
        for contest_id, code, purpose in ((1, "OLD111", "contest"), (2, "OLDPK2", "pk")):
            connection.execute(
                text(
                    "INSERT INTO contests (id, code, title, template, status, screen_key, "
                    "question_versions, snapshot_seq, purpose, created_at) VALUES "
                    "(:id, :code, 't', '{}', 'lobby', 'k', '{}', 0, :purpose, '2026-12-01')"
                ),
                {"id": contest_id, "code": code, "purpose": purpose},
            )
            for seat, key in enumerate(("red", "blue")):
                connection.execute(
                    text(
                        "INSERT INTO teams (contest_id, key, name, seat) "
                        "VALUES (:contest, :key, :name, :seat)"
                    ),
                    {"contest": contest_id, "key": key, "name": key, "seat": seat},
                )
    migrate(engine)
    with session_factory(engine)() as session:
        rows = session.execute(
            select(ContestRow.code, ContestRow.join_mode, TeamRow.join_code).join(
                TeamRow, TeamRow.contest_id == ContestRow.id
            )
        ).all()
    engine.dispose()
    codes = [join_code for code, _, join_code in rows if code == "OLD111"]
    assert {mode for _, mode, _ in rows} == {"team_code"}
    assert len(set(codes)) == 2
    assert all(join_code and len(join_code) == 5 for join_code in codes)
    assert [join_code for code, _, join_code in rows if code == "OLDPK2"] == [None, None]
