"""Storing, replacing, listing and resolving 纠错 reports, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from quiz.storage import report_repo as repo
from quiz.storage.models import (
    BankRow,
    ContestRow,
    QuestionReportRow,
    QuestionRow,
    QuestionVersion,
    UserRow,
)
from quiz.storage.report_repo import Asked, Reporter

T0 = dt.datetime(2026, 12, 3, 10, 0, 0)


def seed(sessions: sessionmaker[Session]) -> tuple[int, int, int, int]:
    """A bank with one question in two versions, a contest asking version 1, and a user:
    (question id, version 1 id, version 2 id, user id)."""
    with sessions.begin() as session:
        bank = BankRow(
            slug="fire", title="消防", language="zh-CN", version=2, header={}, header_hash="h"
        )
        session.add(bank)
        session.flush()
        question = QuestionRow(bank_id=bank.id, qid="q1", position=0, current_version=2)
        session.add(question)
        session.flush()
        versions = []
        for number, text in ((1, "旧题干"), (2, "新题干")):
            version = QuestionVersion(
                question_id=question.id,
                version=number,
                bank_version=number,
                type="single",
                difficulty=1,
                status="reviewed",
                content={"id": "q1", "text": text},
                content_hash=str(number),
            )
            session.add(version)
            session.flush()
            versions.append(version.id)
        session.add(
            ContestRow(
                code="ABC123", title="赛", template={}, question_versions={"fire/q1": versions[0]}
            )
        )
        user = UserRow(name="卓玛")
        session.add(user)
        session.flush()
        return question.id, versions[0], versions[1], user.id


def test_a_contest_question_resolves_to_the_version_it_asked(
    any_sessions: sessionmaker[Session],
) -> None:
    question_id, first, _second, _user = seed(any_sessions)
    with any_sessions() as session:
        assert repo.asked_in_contest(session, "abc123", "fire/q1") == Asked(question_id, first)
        assert repo.asked_in_contest(session, "ABC123", "fire/q2") is None
        assert repo.asked_in_contest(session, "NOPE00", "fire/q1") is None
        assert repo.asked_version(session, 10_000) is None
    assert repo.seat_row_id("m12") == 12
    assert repo.seat_row_id("x12") is None
    assert repo.seat_row_id("m") is None


def test_one_open_report_per_reporter_grouped_by_question_newest_first(
    any_sessions: sessionmaker[Session],
) -> None:
    question_id, first, second, user_id = seed(any_sessions)
    zhuoma = Reporter("卓玛", "selftest", user_id=user_id)
    with any_sessions.begin() as session:
        asked = Asked(question_id, first)
        assert repo.save_report(session, asked, zhuoma, "answer", "一", T0) is False
        assert repo.save_report(session, asked, zhuoma, "stem", "二", T0) is True
        newer = Asked(question_id, second)
        other = Reporter("次仁", "selftest", user_id=user_id + 1000)
    with any_sessions.begin() as session:
        session.add(UserRow(id=user_id + 1000, name="次仁"))
    with any_sessions.begin() as session:
        later = T0 + dt.timedelta(minutes=1)
        assert repo.save_report(session, newer, other, "answer", "", later) is False
    with any_sessions() as session:
        [entry] = repo.open_reports(session)
    assert (entry["bank"], entry["qid"], entry["text"], entry["current_version"]) == (
        "fire",
        "q1",
        "新题干",
        2,
    )
    assert entry["count"] == 2
    assert entry["reasons"] == {"answer": 1, "stem": 1}
    assert [(r["reporter"], r["reason"], r["note"], r["version"]) for r in entry["reports"]] == [
        ("次仁", "answer", "", 2),
        ("卓玛", "stem", "二", 1),
    ]


def test_resolving_closes_every_open_report_of_the_question(
    any_sessions: sessionmaker[Session],
) -> None:
    question_id, first, _second, user_id = seed(any_sessions)
    zhuoma = Reporter("卓玛", "selftest", user_id=user_id)
    with any_sessions.begin() as session:
        repo.save_report(session, Asked(question_id, first), zhuoma, "answer", "", T0)
    with any_sessions.begin() as session:
        assert repo.resolve_reports(session, question_id, "host", "已改", T0) == 1
    with any_sessions.begin() as session:
        assert repo.resolve_reports(session, question_id, "host", "again", T0) == 0
        assert repo.open_reports(session) == []
        # A report after the resolution is a new one; the resolved one keeps its record.
        assert repo.save_report(session, Asked(question_id, first), zhuoma, "other", "", T0) is (
            False
        )
    with any_sessions() as session:
        rows = session.scalars(select(QuestionReportRow).order_by(QuestionReportRow.id)).all()
        assert [(r.resolved_by, r.resolution) for r in rows] == [("host", "已改"), (None, None)]
