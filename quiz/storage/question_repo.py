"""Question versions written in the editor, and the verdicts of the review queue.

Versions are never changed: an edit adds version N+1, and an approval adds one more version with
the same content and status ``reviewed`` (so every version's content says its own status, and
an export or load of the bank reads the right one without a second source of truth). Which
version is served is :attr:`QuestionRow.current_version`; a version above it is an edit still
waiting for approval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from quiz.banks.model import content_hash
from quiz.storage.models import BankRow, QuestionReviewRow, QuestionRow, QuestionVersion


@dataclass(frozen=True, slots=True)
class QueueRow:
    """A question whose newest version is a draft: the version, the one served, its bank."""

    bank: BankRow
    question: QuestionRow
    newest: QuestionVersion
    served: QuestionVersion | None
    review: QuestionReviewRow | None


def bank_row(session: Session, slug: str) -> BankRow | None:
    """The bank with this id."""
    return session.scalars(select(BankRow).where(BankRow.slug == slug)).one_or_none()


def question_row(session: Session, bank_id: int, qid: str) -> QuestionRow | None:
    """The question ``qid`` of a bank, retired or not."""
    return session.scalars(
        select(QuestionRow).where(QuestionRow.bank_id == bank_id, QuestionRow.qid == qid)
    ).one_or_none()


def version_of(session: Session, question_id: int, number: int) -> QuestionVersion | None:
    """Version ``number`` of a question."""
    return session.scalars(
        select(QuestionVersion).where(
            QuestionVersion.question_id == question_id, QuestionVersion.version == number
        )
    ).one_or_none()


def newest_version(session: Session, question_id: int) -> QuestionVersion:
    """A question's highest-numbered version (every question has at least one)."""
    return session.scalars(
        select(QuestionVersion)
        .where(QuestionVersion.question_id == question_id)
        .order_by(QuestionVersion.version.desc())
        .limit(1)
    ).one()


def version_by_id(session: Session, version_id: int) -> QuestionVersion | None:
    """A version by its row id."""
    return session.get(QuestionVersion, version_id)


def versions_of(session: Session, question_id: int) -> list[QuestionVersion]:
    """Every version of a question, oldest first."""
    return list(
        session.scalars(
            select(QuestionVersion)
            .where(QuestionVersion.question_id == question_id)
            .order_by(QuestionVersion.version)
        )
    )


def reviews_of(session: Session, version_ids: list[int]) -> dict[int, list[QuestionReviewRow]]:
    """The verdicts on each of these versions, oldest first."""
    found: dict[int, list[QuestionReviewRow]] = {}
    if not version_ids:
        return found
    for row in session.scalars(
        select(QuestionReviewRow)
        .where(QuestionReviewRow.version_id.in_(version_ids))
        .order_by(QuestionReviewRow.id)
    ):
        found.setdefault(row.version_id, []).append(row)
    return found


def current_contents(session: Session, bank_id: int) -> list[tuple[str, dict[str, Any]]]:
    """The qid and served content of every active question of a bank, in bank order."""
    rows = session.execute(
        select(QuestionRow.qid, QuestionVersion.content)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == QuestionRow.id)
            & (QuestionVersion.version == QuestionRow.current_version),
        )
        .where(QuestionRow.bank_id == bank_id, QuestionRow.retired.is_(False))
        .order_by(QuestionRow.position)
    ).all()
    return [(qid, content) for qid, content in rows]


def add_question(session: Session, bank: BankRow, qid: str) -> QuestionRow:
    """A new question row at the end of the bank (its first version is added next)."""
    last = session.scalar(
        select(func.max(QuestionRow.position)).where(QuestionRow.bank_id == bank.id)
    )
    row = QuestionRow(
        bank_id=bank.id, qid=qid, position=(last or 0) + 1, current_version=1, retired=False
    )
    session.add(row)
    session.flush()
    return row


def add_version(
    session: Session,
    question: QuestionRow,
    content: dict[str, Any],
    edited_by: str | None,
    *,
    make_current: bool,
) -> QuestionVersion:
    """Add the next version of a question with this canonical content; served at once only
    when ``make_current``."""
    last = session.scalar(
        select(func.max(QuestionVersion.version)).where(QuestionVersion.question_id == question.id)
    )
    bank = session.get_one(BankRow, question.bank_id)
    row = QuestionVersion(
        question_id=question.id,
        version=(last or 0) + 1,
        bank_version=bank.version,
        type=content["type"],
        difficulty=content["difficulty"],
        status=content["status"],
        content=content,
        content_hash=content_hash(content),
        edited_by=edited_by,
    )
    session.add(row)
    session.flush()
    if make_current:
        question.current_version = row.version
    return row


def record_review(
    session: Session,
    version: QuestionVersion,
    action: str,
    reviewer: str,
    note: str,
    at: dt.datetime,
    result: QuestionVersion | None = None,
) -> QuestionReviewRow:
    """Store one verdict on a version."""
    row = QuestionReviewRow(
        version_id=version.id,
        action=action,
        reviewer=reviewer,
        note=note,
        at=at,
        result_version_id=result.id if result is not None else None,
    )
    session.add(row)
    session.flush()
    return row


def _drafts_on_top(bank_slug: str | None) -> Any:
    """Active questions whose newest version is a draft: (bank, question, newest version)."""
    newest = (
        select(QuestionVersion.question_id, func.max(QuestionVersion.version).label("top"))
        .group_by(QuestionVersion.question_id)
        .subquery()
    )
    query = (
        select(BankRow, QuestionRow, QuestionVersion)
        .join(QuestionRow, QuestionRow.bank_id == BankRow.id)
        .join(newest, newest.c.question_id == QuestionRow.id)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == QuestionRow.id)
            & (QuestionVersion.version == newest.c.top),
        )
        .where(QuestionRow.retired.is_(False), QuestionVersion.status == "draft")
    )
    if bank_slug is not None:
        query = query.where(BankRow.slug == bank_slug)
    return query


def review_queue(
    session: Session, bank_slug: str | None, limit: int, offset: int
) -> tuple[list[QueueRow], int]:
    """A page of the questions whose newest version is a draft (waiting for a verdict, or
    rejected and back with its author), oldest change first, and how many there are."""
    query = _drafts_on_top(bank_slug)
    counted = query.with_only_columns(QuestionVersion.id).subquery()
    total = session.scalar(select(func.count()).select_from(counted)) or 0
    found = session.execute(
        query.order_by(QuestionVersion.created_at, QuestionVersion.id).limit(limit).offset(offset)
    ).all()
    served = aliased(QuestionVersion)
    currents = {
        row.question_id: row
        for row in session.scalars(
            select(served)
            .join(
                QuestionRow,
                (QuestionRow.id == served.question_id)
                & (QuestionRow.current_version == served.version),
            )
            .where(QuestionRow.id.in_([question.id for _, question, _ in found]))
        )
    }
    verdicts = reviews_of(session, [version.id for _, _, version in found])
    rows = [
        QueueRow(
            bank,
            question,
            version,
            currents.get(question.id),
            verdicts[version.id][-1] if version.id in verdicts else None,
        )
        for bank, question, version in found
    ]
    return rows, total


def waiting_count(session: Session) -> int:
    """How many questions wait for a verdict: newest version a draft that none has judged."""
    query = _drafts_on_top(None).where(
        ~select(QuestionReviewRow.id)
        .where(QuestionReviewRow.version_id == QuestionVersion.id)
        .exists()
    )
    counted = query.with_only_columns(QuestionVersion.id).subquery()
    return session.scalar(select(func.count()).select_from(counted)) or 0
