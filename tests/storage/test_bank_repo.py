"""Importing banks: idempotent, versioned, whole-or-nothing; exporting what was stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from quiz.banks.export import bank_to_yaml
from quiz.banks.loader import load_bank_text
from quiz.banks.model import Bank
from quiz.storage.bank_import import import_bank
from quiz.storage.bank_repo import bank_summaries, load_bank
from quiz.storage.models import (
    ContestRow,
    QuestionRow,
    QuestionVersion,
)
from tests.helpers import bank_text, question


def parse(text: str) -> Bank:
    report = load_bank_text(text, "t.yaml")
    assert report.bank is not None, report.errors
    return report.bank


FIRST = parse(
    bank_text(
        question(id="a"),
        question(id="b", type="truefalse", options=None, answer=True, text="对吗？"),
        question(id="c", type="fill", options=None, answer=["1921年", "1921"], difficulty=3),
    )
)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_first_import_adds_everything(any_sessions: sessionmaker[Session]) -> None:
    with any_sessions.begin() as session:
        result = import_bank(session, FIRST)
    assert (result.added, result.changed, result.unchanged) == (["a", "b", "c"], [], [])
    with any_sessions() as session:
        assert load_bank(session, "sample") == FIRST


def test_same_bank_again_writes_nothing(any_sessions: sessionmaker[Session]) -> None:
    with any_sessions.begin() as session:
        import_bank(session, FIRST)
    with any_sessions.begin() as session:
        before = count(session, QuestionVersion)
        result = import_bank(session, FIRST)
        assert not session.dirty
        assert not session.new
    assert result.unchanged == ["a", "b", "c"]
    assert not result.touched
    with any_sessions() as session:
        assert count(session, QuestionVersion) == before


def test_edit_adds_a_version_and_past_results_keep_theirs(
    any_sessions: sessionmaker[Session],
) -> None:
    with any_sessions.begin() as session:
        import_bank(session, FIRST)
        first_version = session.scalars(
            select(QuestionVersion).join(QuestionRow).where(QuestionRow.qid == "a")
        ).one()
        # A contest records the version of each question it asked, as contest set-up does.
        session.add(
            ContestRow(
                code="C1",
                title="赛",
                template={},
                question_versions={"sample/a": first_version.id},
            )
        )
    edited = parse(
        bank_text(
            question(id="a", text="中共一大在哪一年召开？"),
            question(id="b", type="truefalse", options=None, answer=True, text="对吗？"),
            question(id="c", type="fill", options=None, answer=["1921年", "1921"], difficulty=3),
            version=2,
        )
    )
    with any_sessions.begin() as session:
        result = import_bank(session, edited)
    assert (result.changed, result.unchanged, result.notes) == (["a"], ["b", "c"], [])
    with any_sessions() as session:
        contest = session.scalars(select(ContestRow).where(ContestRow.code == "C1")).one()
        asked = session.get(QuestionVersion, contest.question_versions["sample/a"])
        assert asked is not None
        assert asked.content["text"] == FIRST.questions[0].text
        assert asked.version == 1
        stored = load_bank(session, "sample")
        assert stored is not None
        assert stored.questions[0].text == "中共一大在哪一年召开？"


def test_unchanged_version_number_gets_a_note(any_sessions: sessionmaker[Session]) -> None:
    with any_sessions.begin() as session:
        import_bank(session, FIRST)
    with any_sessions.begin() as session:
        result = import_bank(session, parse(bank_text(question(id="a", difficulty=2))))
    assert result.changed == ["a"]
    assert result.retired == ["b", "c"]
    assert [note.code for note in result.notes] == ["version_not_raised"]
    assert [note.text("en") for note in result.notes] == [
        "the bank changed but its version is still 1 (stored: 1); raise it so others can tell "
        "the versions apart"
    ]


def test_dropped_question_is_retired_and_can_return(any_sessions: sessionmaker[Session]) -> None:
    with any_sessions.begin() as session:
        import_bank(session, FIRST)
    only_a = parse(bank_text(question(id="a"), version=2))
    with any_sessions.begin() as session:
        assert import_bank(session, only_a).retired == ["b", "c"]
    with any_sessions() as session:
        stored = load_bank(session, "sample")
        assert stored is not None
        assert [q.id for q in stored.questions] == ["a"]
        assert count(session, QuestionRow) == 3
    with any_sessions.begin() as session:
        result = import_bank(session, FIRST)
    assert result.changed == ["b", "c"]
    with any_sessions() as session:
        assert load_bank(session, "sample") == FIRST


def test_failed_import_leaves_the_database_as_it_was(
    any_sessions: sessionmaker[Session],
) -> None:
    with any_sessions.begin() as session:
        import_bank(session, FIRST)
    edited = parse(bank_text(question(id="a", text="改过的题？"), version=2))

    def import_then_fail() -> None:
        with any_sessions.begin() as session:
            import_bank(session, edited)
            raise RuntimeError("the connection dropped halfway")

    with pytest.raises(RuntimeError):
        import_then_fail()
    with any_sessions() as session:
        assert load_bank(session, "sample") == FIRST


def test_summaries_count_active_questions(any_sessions: sessionmaker[Session]) -> None:
    with any_sessions.begin() as session:
        import_bank(session, FIRST)
    with any_sessions() as session:
        [summary] = bank_summaries(session)
    assert summary.questions == 3
    assert summary.by_type == {"fill": 1, "single": 1, "truefalse": 1}
    assert summary.by_difficulty == {1: 2, 3: 1}
    assert summary.reviewed == 0


def test_export_then_import_changes_nothing(any_sessions: sessionmaker[Session]) -> None:
    with any_sessions.begin() as session:
        import_bank(session, FIRST)
    with any_sessions() as session:
        stored = load_bank(session, "sample")
    assert stored is not None
    exported = bank_to_yaml(stored)
    with any_sessions.begin() as session:
        result = import_bank(session, parse(exported))
    assert not result.touched
    with any_sessions() as session:
        again = load_bank(session, "sample")
    assert again is not None
    assert bank_to_yaml(again) == exported
