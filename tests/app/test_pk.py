"""The PK queue in the database: waits that met at once are paired, the bot takes only this
process's lonely players, and a dead process's waits are dropped."""

from __future__ import annotations

from sqlalchemy import select

from quiz.app import Services
from quiz.app.pk import STALE_AFTER_MS, Waiter, record_match
from quiz.storage import selftest_repo as repo
from quiz.storage.models import PkMatchRow, PkQueueRow, SittingRow, UserRow
from tests.web.practice_fixtures import START_MS


def users(services: Services, count: int) -> list[int]:
    with services.sessions.begin() as session:
        rows = [UserRow(name=f"玩家{n}", detachment="拉萨支队") for n in range(count)]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def wait(services: Services, user_id: int, sid: str, since_ms: int) -> None:
    with services.sessions.begin() as session:
        repo.enqueue(session, user_id, sid, since_ms)


def state(
    services: Services,
) -> tuple[list[int], list[tuple[int | None, int | None, str | None]]]:
    with services.sessions() as session:
        queued = list(session.scalars(select(PkQueueRow.user_id)))
        matches = [
            (m.red_user_id, m.blue_user_id, m.bot_team) for m in session.scalars(select(PkMatchRow))
        ]
    return queued, matches


def test_two_players_who_queued_at_once_are_paired(services: Services) -> None:
    pk = services.pk
    first, second = users(services, 2)
    wait(services, first, "sid-on-process-a", START_MS)
    wait(services, second, "sid-on-process-b", START_MS + 5)
    pk.pair_waiting(START_MS + 100)
    assert state(services) == ([], [(first, second, None)])


def test_the_bot_takes_only_this_processs_lonely_players(services: Services) -> None:
    pk = services.pk
    (mine,) = users(services, 1)
    pk.users["my-sid"] = mine
    wait(services, mine, "my-sid", START_MS)
    bot_after = pk.settings.bot_after_ms
    pk.pair_waiting(START_MS + bot_after - 1)
    assert state(services) == ([mine], [])
    pk.pair_waiting(START_MS + bot_after)
    assert state(services) == ([], [(mine, None, "blue")])


def test_a_wait_of_another_process_gets_no_bot_and_is_dropped_once_stale(
    services: Services,
) -> None:
    pk = services.pk
    (theirs,) = users(services, 1)
    wait(services, theirs, "sid-on-a-dead-process", START_MS)
    due = START_MS + pk.settings.bot_after_ms
    pk.pair_waiting(due + STALE_AFTER_MS - 1)
    assert state(services) == ([theirs], [])
    pk.pair_waiting(due + STALE_AFTER_MS + 1)
    assert state(services) == ([], [])


def test_a_match_finished_by_two_hosts_in_turn_is_recorded_once(services: Services) -> None:
    pk = services.pk
    (player,) = users(services, 1)
    seats = pk.start_match(Waiter(player, "sid", START_MS), None)
    code = seats[player]["contest"]
    live = pk.contests.live(code)
    assert live is not None
    for _ in range(2):  # a second host (a restarted process) finishing the same match
        record_match(pk.practice, code, live.state)
    with services.sessions() as session:
        modes = list(session.scalars(select(SittingRow.mode).where(SittingRow.user_id == player)))
    assert modes == ["pk"]
