"""One question's versions and answer statistics, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from quiz.storage.bank_import import import_bank
from quiz.storage.models import (
    AttemptRow,
    ContestRow,
    QuestionRow,
    QuestionVersion,
    SittingRow,
    UserRow,
)
from quiz.storage.question_reads import question_detail
from tests.storage.test_search_repo import bank, q, tf

V1 = bank("b", q("s1", "第一版的题干", options=("甲", "乙", "丙")), tf("t1", "判断题"))
V2 = bank(
    "b",
    q("s1", "第二版的题干", options=("甲", "乙", "丙"), explanation="新解析"),
    tf("t1", "判断题"),
    version=2,
)


def versions(sessions: sessionmaker[Session], qid: str) -> list[int]:
    with sessions() as session:
        return list(
            session.scalars(
                select(QuestionVersion.id)
                .join(QuestionRow, QuestionRow.id == QuestionVersion.question_id)
                .where(QuestionRow.qid == qid)
                .order_by(QuestionVersion.version)
            )
        )


def sitting(
    session: Session, user: int, started_ms: int, *answers: tuple[int, Any, bool, int]
) -> None:
    """A sitting and its answers: (version id, response, correct, answered_ms) in order."""
    row = SittingRow(
        user_id=user,
        mode="practice",
        config={},
        question_versions=[version for version, *_ in answers],
        started_ms=started_ms,
    )
    session.add(row)
    session.flush()
    for position, (version, response, correct, answered_ms) in enumerate(answers):
        session.add(
            AttemptRow(
                sitting_id=row.id,
                user_id=user,
                position=position,
                question_version_id=version,
                response=response,
                correct=correct,
                answered_ms=answered_ms,
            )
        )


def test_versions_and_statistics(any_sessions: sessionmaker[Session]) -> None:
    with any_sessions.begin() as session:
        import_bank(session, V1)
    (tf_version,) = versions(any_sessions, "t1")
    with any_sessions.begin() as session:
        import_bank(session, V2)
    old, new = versions(any_sessions, "s1")
    with any_sessions.begin() as session:
        user = UserRow(name="甲")
        session.add(user)
        session.flush()
        # 4 s for the true/false question, then 6 s for the old version of s1 (chose 乙).
        sitting(session, user.id, 1_000, (tf_version, True, True, 5_000), (old, 1, False, 11_000))
        sitting(session, user.id, 20_000, (new, 0, True, 22_000))  # 2 s
        sitting(session, user.id, 30_000, (new, 2, False, 40_000))  # 10 s
        sitting(session, user.id, 50_000, (new, None, False, 60_000))  # ran out: no response
        session.add_all(
            [
                ContestRow(code="C1", title="赛", template={}, question_versions={"a": old}),
                ContestRow(
                    code="C2", title="赛", template={}, question_versions={"a": new, "b": new}
                ),
                ContestRow(
                    code="P1", title="PK", template={}, purpose="pk", question_versions={"x": new}
                ),
            ]
        )
    with any_sessions() as session:
        detail = question_detail(session, "b", "s1")
        truefalse = question_detail(session, "b", "t1")
        assert question_detail(session, "b", "nope") is None
        assert question_detail(session, "nope", "s1") is None
    assert detail is not None
    assert truefalse is not None
    assert (detail.bank, detail.bank_title, detail.qid, detail.retired) == (
        "b",
        "题库 b",
        "s1",
        False,
    )
    assert detail.current_version == 2
    first, second = detail.versions
    assert (first.version, first.bank_version, second.version, second.bank_version) == (1, 1, 2, 2)
    assert first.content["text"] == "第一版的题干"
    assert second.content["explanation"] == "新解析"
    assert (first.stats.attempts, first.stats.correct, first.stats.picks) == (1, 0, [0, 1, 0])
    assert (first.stats.median_ms, first.stats.contests, first.stats.pk_matches) == (6_000, 1, 0)
    assert (second.stats.attempts, second.stats.correct, second.stats.unanswered) == (3, 1, 1)
    assert second.stats.picks == [1, 0, 1]
    assert second.stats.median_ms == 6_000  # of 2 s and 10 s
    assert second.stats.correct_rate == 1 / 3
    assert (second.stats.contests, second.stats.pk_matches) == (1, 1)
    total = detail.total
    assert (total.attempts, total.correct, total.unanswered, total.picks) == (4, 1, 1, None)
    assert (total.median_ms, total.contests, total.pk_matches) == (6_000, 2, 1)
    (only,) = truefalse.versions
    assert only.stats.picks == [1, 0]  # [true, false]
    assert only.stats.median_ms == 4_000


def test_a_question_without_answers_has_empty_statistics(
    any_sessions: sessionmaker[Session],
) -> None:
    with any_sessions.begin() as session:
        import_bank(session, V1)
    with any_sessions() as session:
        detail = question_detail(session, "b", "s1")
    assert detail is not None
    stats = detail.total
    assert (stats.attempts, stats.correct_rate, stats.median_ms, stats.contests) == (
        0,
        None,
        None,
        0,
    )
    assert detail.versions[0].stats.picks == [0, 0, 0]
