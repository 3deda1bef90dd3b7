"""Players' reports of wrong questions (纠错): store one, replace a reporter's open one, list the
open ones grouped by question, resolve a question's. Every function works inside the caller's
transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quiz.storage.models import (
    BankRow,
    ContestRow,
    QuestionReportRow,
    QuestionRow,
    QuestionVersion,
    ReviewCardRow,
    UserRow,
)


@dataclass(frozen=True, slots=True)
class Asked:
    """The question a report is about: its row id and the version the reporter was asked."""

    question_id: int
    version_id: int


@dataclass(frozen=True, slots=True)
class Reporter:
    """Who reports: a contest seat (``player_id``) or a self-test user (``user_id``)."""

    name: str
    source: str  # "contest" or "selftest"
    player_id: int | None = None
    contest_code: str | None = None
    user_id: int | None = None
    sitting_id: int | None = None


def seat_row_id(player: str) -> int | None:
    """The seat row id of a contest player id (the inverse of contest_repo.player_id_of)."""
    digits = player[1:]
    return int(digits) if player.startswith("m") and digits.isdigit() else None


def asked_in_contest(session: Session, code: str, question: str) -> Asked | None:
    """The version a contest asked for its question id ``question`` (e.g. "bank/q1"), or None."""
    versions = session.scalar(
        select(ContestRow.question_versions).where(ContestRow.code == code.strip().upper())
    )
    version_id = (versions or {}).get(question)
    if version_id is None:
        return None
    return asked_version(session, int(version_id))


def asked_version(session: Session, version_id: int) -> Asked | None:
    """The question a version belongs to, or None for an unknown version."""
    question_id = session.scalar(
        select(QuestionVersion.question_id).where(QuestionVersion.id == version_id)
    )
    return None if question_id is None else Asked(question_id, version_id)


def asked_in_wrongbook(session: Session, user_id: int, bank: str, qid: str) -> Asked | None:
    """The version on a user's wrong-answer card of a question (bank id, qid), or None when
    the user has no card of it."""
    row = session.execute(
        select(ReviewCardRow.question_id, ReviewCardRow.question_version_id)
        .join(QuestionRow, QuestionRow.id == ReviewCardRow.question_id)
        .join(BankRow, BankRow.id == QuestionRow.bank_id)
        .where(ReviewCardRow.user_id == user_id, BankRow.slug == bank, QuestionRow.qid == qid)
    ).first()
    return None if row is None else Asked(row[0], row[1])


def user_name(session: Session, user_id: int) -> str:
    """A self-test user's name as reports show it (empty for an unknown id)."""
    return session.scalar(select(UserRow.name).where(UserRow.id == user_id)) or ""


def save_report(
    session: Session,
    asked: Asked,
    reporter: Reporter,
    reason: str,
    note: str,
    at: dt.datetime,
) -> bool:
    """Store a report; a reporter's open report of the same question is replaced instead (its
    reason, note, version and time). True when one was replaced."""
    mine = (
        QuestionReportRow.player_id == reporter.player_id
        if reporter.player_id is not None
        else QuestionReportRow.user_id == reporter.user_id
    )
    row = session.scalars(
        select(QuestionReportRow)
        .where(
            QuestionReportRow.question_id == asked.question_id,
            QuestionReportRow.resolved_at.is_(None),
            mine,
        )
        .with_for_update()
    ).first()
    replaced = row is not None
    if row is None:
        row = QuestionReportRow(
            question_id=asked.question_id,
            source=reporter.source,
            contest_code=reporter.contest_code,
            sitting_id=reporter.sitting_id,
            player_id=reporter.player_id,
            user_id=reporter.user_id,
        )
        session.add(row)
    row.question_version_id = asked.version_id
    row.reporter_name = reporter.name
    row.sitting_id = reporter.sitting_id
    row.reason = reason
    row.note = note
    row.created_at = at
    session.flush()
    return replaced


def open_reports(session: Session) -> list[dict[str, Any]]:
    """Open reports grouped by question, the question with the newest report first: its bank,
    qid, current stem and version, and each report with the version it was asked in."""
    rows = session.execute(
        select(QuestionReportRow, QuestionVersion.version)
        .join(QuestionVersion, QuestionVersion.id == QuestionReportRow.question_version_id)
        .where(QuestionReportRow.resolved_at.is_(None))
        .order_by(QuestionReportRow.created_at.desc(), QuestionReportRow.id.desc())
    ).all()
    grouped: dict[int, list[tuple[QuestionReportRow, int]]] = {}
    for report, asked_version_number in rows:
        grouped.setdefault(report.question_id, []).append((report, asked_version_number))
    if not grouped:
        return []
    current = {
        question_id: (slug, qid, number, content)
        for question_id, slug, qid, number, content in session.execute(
            select(
                QuestionRow.id,
                BankRow.slug,
                QuestionRow.qid,
                QuestionRow.current_version,
                QuestionVersion.content,
            )
            .join(BankRow, BankRow.id == QuestionRow.bank_id)
            .join(
                QuestionVersion,
                (QuestionVersion.question_id == QuestionRow.id)
                & (QuestionVersion.version == QuestionRow.current_version),
            )
            .where(QuestionRow.id.in_(grouped))
        )
    }
    questions = []
    for question_id, reports in grouped.items():
        slug, qid, number, content = current[question_id]
        reasons: dict[str, int] = {}
        for report, _ in reports:
            reasons[report.reason] = reasons.get(report.reason, 0) + 1
        questions.append(
            {
                "question_id": question_id,
                "bank": slug,
                "qid": qid,
                "text": str(content.get("text", "")),
                "current_version": number,
                "count": len(reports),
                "reasons": reasons,
                "reports": [_report(report, version) for report, version in reports],
            }
        )
    return questions


def _report(row: QuestionReportRow, asked_version: int) -> dict[str, Any]:
    return {
        "id": row.id,
        "reason": row.reason,
        "note": row.note,
        "reporter": row.reporter_name,
        "source": row.source,
        "contest": row.contest_code,
        "sitting": row.sitting_id,
        "version": asked_version,
        "at": row.created_at.replace(tzinfo=dt.UTC).isoformat(),
    }


def resolve_reports(
    session: Session, question_id: int, by: str, resolution: str, at: dt.datetime
) -> int:
    """Resolve every open report of a question; the number resolved."""
    result = session.execute(
        update(QuestionReportRow)
        .where(
            QuestionReportRow.question_id == question_id,
            QuestionReportRow.resolved_at.is_(None),
        )
        .values(resolved_at=at, resolved_by=by, resolution=resolution)
    )
    return int(getattr(result, "rowcount", 0) or 0)
