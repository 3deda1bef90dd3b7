"""The PK queue in the database: waits that met at once are paired, the bot takes only this
process's lonely players, and a dead process's waits are dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quiz.storage import selftest_repo as repo
from quiz.storage.models import PkMatchRow, PkQueueRow, SittingRow, UserRow
from quiz.web.pk import STALE_AFTER_MS, PkArena, Waiter, record_match
from tests.web.practice_fixtures import START_MS, Clock, bank_database, practice_app


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bank_database(tmp_path_factory.mktemp("banks"))


@pytest.fixture
def app(template: Path, tmp_path: Path) -> Flask:
    return practice_app(template, tmp_path, Clock())


def users(app: Flask, count: int) -> list[int]:
    with app.extensions["leitai.sessions"].begin() as session:
        rows = [UserRow(name=f"玩家{n}", detachment="拉萨支队") for n in range(count)]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def wait(app: Flask, user_id: int, sid: str, since_ms: int) -> None:
    with app.extensions["leitai.sessions"].begin() as session:
        repo.enqueue(session, user_id, sid, since_ms)


def state(app: Flask) -> tuple[list[int], list[tuple[int | None, int | None, str | None]]]:
    with app.extensions["leitai.sessions"]() as session:
        queued = list(session.scalars(select(PkQueueRow.user_id)))
        matches = [
            (m.red_user_id, m.blue_user_id, m.bot_team) for m in session.scalars(select(PkMatchRow))
        ]
    return queued, matches


def test_two_players_who_queued_at_once_are_paired(app: Flask) -> None:
    arena: PkArena = app.extensions["leitai.pk"]
    first, second = users(app, 2)
    wait(app, first, "sid-on-process-a", START_MS)
    wait(app, second, "sid-on-process-b", START_MS + 5)
    arena.pair_waiting(START_MS + 100)
    assert state(app) == ([], [(first, second, None)])


def test_the_bot_takes_only_this_processs_lonely_players(app: Flask) -> None:
    arena: PkArena = app.extensions["leitai.pk"]
    (mine,) = users(app, 1)
    arena.users["my-sid"] = mine
    wait(app, mine, "my-sid", START_MS)
    bot_after = arena.settings.bot_after_ms
    arena.pair_waiting(START_MS + bot_after - 1)
    assert state(app) == ([mine], [])
    arena.pair_waiting(START_MS + bot_after)
    assert state(app) == ([], [(mine, None, "blue")])


def test_a_wait_of_another_process_gets_no_bot_and_is_dropped_once_stale(app: Flask) -> None:
    arena: PkArena = app.extensions["leitai.pk"]
    (theirs,) = users(app, 1)
    wait(app, theirs, "sid-on-a-dead-process", START_MS)
    due = START_MS + arena.settings.bot_after_ms
    arena.pair_waiting(due + STALE_AFTER_MS - 1)
    assert state(app) == ([theirs], [])
    arena.pair_waiting(due + STALE_AFTER_MS + 1)
    assert state(app) == ([], [])


def test_a_match_finished_by_two_hosts_in_turn_is_recorded_once(app: Flask) -> None:
    arena: PkArena = app.extensions["leitai.pk"]
    (player,) = users(app, 1)
    seats = arena.start_match(Waiter(player, "sid", START_MS), None)
    code = seats[player]["contest"]
    live = arena.contests.live(code)
    assert live is not None
    for _ in range(2):  # a second host (a restarted process) finishing the same match
        record_match(arena.practice, code, live.state)
    with app.extensions["leitai.sessions"]() as session:
        modes = list(session.scalars(select(SittingRow.mode).where(SittingRow.user_id == player)))
    assert modes == ["pk"]
