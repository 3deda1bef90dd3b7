"""Importing in short steps: the same outcome as one transaction, never a half-imported bank in
sight, and a failed step that leaves the bank as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from quiz.banks.model import Bank
from quiz.storage import bank_import
from quiz.storage.bank_import import import_bank, import_bank_in_steps
from quiz.storage.bank_repo import current_version_ids, load_bank
from quiz.storage.db import make_engine, migrate, session_factory
from tests.helpers import bank_text, question
from tests.storage.test_bank_repo import parse

OLD = parse(bank_text(*(question(id=f"q{n}", text=f"第{n}题原来的问法？") for n in range(5))))
# q0 and q1 change, q2 stays, q3 and q4 go, q5 to q8 are new.
NEW = parse(
    bank_text(
        *(question(id=f"q{n}", text=f"第{n}题新的问法？") for n in range(2)),
        question(id="q2", text="第2题原来的问法？"),
        *(question(id=f"q{n}", text=f"第{n}题是新题？") for n in range(5, 9)),
        version=2,
    )
)


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, int]]:
    """Steps of two questions, and what a reader sees between them (instead of the pause)."""
    seen: list[dict[str, int]] = []
    monkeypatch.setattr(bank_import, "STEP", 2)
    return seen


def watch_between_steps(
    monkeypatch: pytest.MonkeyPatch, sessions: sessionmaker[Session], seen: list[dict[str, int]]
) -> None:
    def look(_seconds: float) -> None:
        with sessions() as session:
            seen.append(current_version_ids(session, "sample"))

    monkeypatch.setattr(bank_import.time, "sleep", look)


def stored(sessions: sessionmaker[Session]) -> Bank | None:
    with sessions() as session:
        return load_bank(session, "sample")


def test_steps_end_where_one_transaction_ends(
    any_sessions: sessionmaker[Session], tmp_path: Path, small_steps: list[dict[str, int]]
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'whole.sqlite3'}")
    migrate(engine)
    whole_sessions = session_factory(engine)
    for target in (any_sessions, whole_sessions):
        with target.begin() as session:
            import_bank(session, OLD)
    with whole_sessions.begin() as session:
        whole = import_bank(session, NEW)
    stepped = import_bank_in_steps(any_sessions, NEW)
    assert stepped == whole
    assert (stepped.changed, stepped.retired) == (["q0", "q1"], ["q3", "q4"])
    assert stepped.added == ["q5", "q6", "q7", "q8"]
    assert stored(any_sessions) == stored(whole_sessions) == NEW
    assert not import_bank_in_steps(any_sessions, NEW).touched
    engine.dispose()


def test_no_reader_sees_a_half_imported_bank(
    sessions: sessionmaker[Session],
    small_steps: list[dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with sessions.begin() as session:
        import_bank(session, OLD)
    with sessions() as session:
        before = current_version_ids(session, "sample")
    watch_between_steps(monkeypatch, sessions, small_steps)
    import_bank_in_steps(sessions, NEW)
    # Reads, then the new rows in steps of two (four new questions, two new versions), then the
    # one step that shows them: every reader before it saw the old bank exactly. The search
    # index follows in a step of its own.
    assert len(small_steps) == 1 + 2 + 1 + 1 + 1
    assert all(ids == before for ids in small_steps[:4])
    for ids in small_steps[4:]:
        assert sorted(ids) == [f"q{n}" for n in (0, 1, 2, 5, 6, 7, 8)]


def test_a_failed_step_leaves_the_bank_as_it_was_and_the_next_import_completes(
    sessions: sessionmaker[Session],
    small_steps: list[dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with sessions.begin() as session:
        import_bank(session, OLD)
    steps = 0

    def fail_on_the_third(_seconds: float) -> None:
        nonlocal steps
        steps += 1
        if steps == 3:
            raise OSError("the disk is full")

    monkeypatch.setattr(bank_import.time, "sleep", fail_on_the_third)
    with pytest.raises(OSError, match="disk is full"):
        import_bank_in_steps(sessions, NEW)
    assert stored(sessions) == OLD
    monkeypatch.setattr(bank_import.time, "sleep", lambda _seconds: None)
    again = import_bank_in_steps(sessions, NEW)
    assert stored(sessions) == NEW
    assert again.retired == ["q3", "q4"]
