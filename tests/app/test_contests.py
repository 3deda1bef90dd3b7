"""The contest service: log before publish, snapshots, and two writers on one database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from quiz.app import contests as service_module
from quiz.app.contest_setup import build_contest
from quiz.app.contests import ContestService, LiveContest
from quiz.banks.loader import validate_paths
from quiz.engine.commands import AdjustScore, Judge, StartRound
from quiz.engine.errors import CommandRefused
from quiz.engine.events import Event
from quiz.engine.serialization import command_to_dict
from quiz.resources import bundled_banks_dir
from quiz.storage.bank_import import import_bank
from quiz.storage.contest_repo import append_command
from quiz.storage.models import CommandRow, ContestRow

TEMPLATES = Path(__file__).parent.parent / "web" / "templates"


@pytest.fixture
def code(sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    for report in validate_paths([str(bundled_banks_dir())]):
        assert report.bank is not None
        with sessions.begin() as session:
            import_bank(session, report.bank)
    created = build_contest(
        ContestService(sessions, Clock()),
        title="赛",
        template="mini",
        seed=3,
        bank_ids=["party-history", "tibet-history", "fire-rescue"],
    )
    return created.code


class Clock:
    def __init__(self) -> None:
        self.now = 1_000

    def __call__(self) -> int:
        self.now += 10
        return self.now


def logged(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(CommandRow)) or 0


def test_events_are_published_only_after_they_are_committed(
    sessions: sessionmaker[Session], code: str
) -> None:
    seen: list[tuple[int, int]] = []

    def publish(live: LiveContest, events: tuple[Event, ...]) -> None:
        seen.append((live.seq, logged(sessions)))  # a fresh session sees only committed rows

    service = ContestService(sessions, Clock(), publish)
    service.execute(code, lambda at: StartRound(at=at))
    service.execute(code, lambda at: AdjustScore(at=at, team="ngari", delta=5, note="好"))
    assert seen == [(2, 2), (3, 3)]


def test_a_refused_command_is_neither_logged_nor_published(
    sessions: sessionmaker[Session], code: str
) -> None:
    published: list[Any] = []
    service = ContestService(sessions, Clock(), lambda live, events: published.append(events))
    with pytest.raises(CommandRefused, match="refused in phase 'lobby'"):
        service.execute(code, lambda at: Judge(at=at, team="lhasa", correct=True))
    assert published == []
    assert logged(sessions) == 1


def test_snapshots_are_taken_and_used_for_loading(
    sessions: sessionmaker[Session], code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service_module, "SNAPSHOT_EVERY", 3)
    service = ContestService(sessions, Clock())
    service.execute(code, lambda at: StartRound(at=at))
    for delta in (1, 2, 3):
        service.execute(
            code, lambda at, d=delta: AdjustScore(at=at, team="lhasa", delta=d, note="调")
        )
    with sessions() as session:
        row = session.scalars(select(ContestRow)).one()
        assert row.snapshot_seq == 3
        assert row.snapshot is not None
    live = service.live(code)
    assert live is not None
    fresh = ContestService(sessions, Clock()).live(code)
    assert fresh is not None
    assert (fresh.state, fresh.seq) == (live.state, live.seq) == (live.state, 5)


def test_a_snapshot_of_an_older_format_is_passed_over_for_the_whole_log(
    sessions: sessionmaker[Session], code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service_module, "SNAPSHOT_EVERY", 3)
    service = ContestService(sessions, Clock())
    service.execute(code, lambda at: StartRound(at=at))
    for delta in (1, 2, 3):
        service.execute(
            code, lambda at, d=delta: AdjustScore(at=at, team="lhasa", delta=d, note="调")
        )
    with sessions.begin() as session:
        row = session.scalars(select(ContestRow)).one()
        assert row.snapshot is not None
        # As an older server wrote it, with a state this one's core reads differently.
        row.snapshot = {**row.snapshot, "version": 1, "state": {"phase": "finished"}}
    live = service.live(code)
    assert live is not None
    fresh = ContestService(sessions, Clock()).live(code)
    assert fresh is not None
    assert (fresh.state, fresh.seq) == (live.state, 5)


def test_a_stale_writer_catches_up_instead_of_forking_history(
    sessions: sessionmaker[Session], code: str
) -> None:
    clock = Clock()
    first, second = ContestService(sessions, clock), ContestService(sessions, clock)
    assert first.live(code) is not None
    assert second.live(code) is not None  # both cache the contest at seq 1
    first.execute(code, lambda at: StartRound(at=at))
    outcome = second.execute(code, lambda at: AdjustScore(at=at, team="ngari", delta=7, note="补"))
    assert outcome.seq == 3
    with sessions() as session:
        kinds = session.scalars(select(CommandRow.type).order_by(CommandRow.seq)).all()
    assert kinds == ["SetUpContest", "StartRound", "AdjustScore"]
    first.forget()
    reloaded = first.live(code)
    second_live = second.live(code)
    assert reloaded is not None
    assert second_live is not None
    assert reloaded.state == second_live.state


def test_creating_a_contest_is_a_logged_applied_and_published_command(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    for report in validate_paths([str(bundled_banks_dir())]):
        assert report.bank is not None
        with sessions.begin() as session:
            import_bank(session, report.bank)
    seen: list[tuple[str, int, int, str]] = []

    def publish(live: LiveContest, events: tuple[Event, ...]) -> None:
        seen.append((live.code, live.seq, logged(sessions), type(events[0]).__name__))

    clock = Clock()
    service = ContestService(sessions, clock, publish)
    created = build_contest(
        service, title="赛", template="mini", seed=3, bank_ids=["party-history"]
    )
    assert seen == [(created.code, 1, 1, "ContestSetUp")]
    with sessions() as session:
        row = session.scalars(select(CommandRow)).one()
    assert (row.type, row.at_ms) == ("SetUpContest", clock.now)
    live = service.live(created.code)
    assert live is not None
    assert (live.seq, live.last_at, live.state.phase) == (1, clock.now, "lobby")
    # A process that starts afresh rebuilds exactly what the creating process cached.
    reloaded = ContestService(sessions, Clock()).live(created.code)
    assert reloaded is not None
    assert reloaded.state == live.state


def test_a_logged_command_that_todays_rules_refuse_is_skipped_on_load(
    sessions: sessionmaker[Session], code: str, caplog: pytest.LogCaptureFixture
) -> None:
    service = ContestService(sessions, Clock())
    service.execute(code, lambda at: StartRound(at=at))
    live = service.live(code)
    assert live is not None
    with sessions.begin() as session:
        contest = session.scalars(select(ContestRow)).one()
        # As if an older server had accepted it: the core refuses a judgement with no question.
        append_command(
            session,
            contest.id,
            3,
            command_to_dict(Judge(at=live.last_at, team="lhasa", correct=True)),
        )
    service.execute(code, lambda at: AdjustScore(at=at, team="ngari", delta=2, note="补"))
    fresh = ContestService(sessions, Clock()).live(code)
    assert fresh is not None
    reloaded = service.live(code)
    assert reloaded is not None
    assert (fresh.seq, fresh.state) == (reloaded.seq, reloaded.state) == (4, reloaded.state)
    assert fresh.state.totals["ngari"] == live.state.totals["ngari"]
    assert "logged command 3 refused on replay" in caplog.text
