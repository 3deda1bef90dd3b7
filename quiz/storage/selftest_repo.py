"""Self-test storage: accounts, sittings and their attempts, the wrong-answer book, daily sets,
leaderboards and PK matches. Every function works inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quiz.engine.questions import Question
from quiz.selftest.leitner import Card
from quiz.storage.bank_repo import question_from_dict
from quiz.storage.models import (
    AttemptRow,
    BankRow,
    ContestRow,
    DailySetRow,
    PkMatchRow,
    PkQueueRow,
    QuestionRow,
    QuestionVersion,
    ReviewCardRow,
    SittingRow,
    UserRow,
)


@dataclass(frozen=True, slots=True)
class PoolQuestion:
    """A question that can be served: its version row id, its question row id and its bank."""

    version_id: int
    question_id: int
    bank: str
    question: Question


def fold_login(name: str) -> str:
    """The form two names are compared in: NFKC (full-width = half-width), case-folded, trimmed."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def user_by_login(session: Session, name: str) -> UserRow | None:
    """The registered account with this name, or None."""
    return session.scalars(select(UserRow).where(UserRow.login == fold_login(name))).one_or_none()


def pool_questions(session: Session, bank_ids: list[str] | None = None) -> list[PoolQuestion]:
    """The current version of every active, reviewed question (of ``bank_ids``, or of all banks)."""
    query = (
        select(QuestionVersion, QuestionRow.id, BankRow.slug)
        .join(QuestionRow, QuestionRow.id == QuestionVersion.question_id)
        .join(BankRow, BankRow.id == QuestionRow.bank_id)
        .where(
            QuestionRow.retired.is_(False),
            QuestionVersion.version == QuestionRow.current_version,
            QuestionVersion.status == "reviewed",
        )
        .order_by(BankRow.slug, QuestionRow.position)
    )
    if bank_ids is not None:
        query = query.where(BankRow.slug.in_(bank_ids))
    return [
        PoolQuestion(version.id, question_id, slug, question_from_dict(version.content))
        for version, question_id, slug in session.execute(query)
    ]


def versions_by_id(session: Session, version_ids: list[int]) -> dict[int, PoolQuestion]:
    """Question versions (retired or not) by version id, with their bank."""
    rows = session.execute(
        select(QuestionVersion, QuestionRow.id, BankRow.slug)
        .join(QuestionRow, QuestionRow.id == QuestionVersion.question_id)
        .join(BankRow, BankRow.id == QuestionRow.bank_id)
        .where(QuestionVersion.id.in_(version_ids))
    )
    return {
        version.id: PoolQuestion(version.id, question_id, slug, question_from_dict(version.content))
        for version, question_id, slug in rows
    }


def bank_titles(session: Session) -> dict[str, str]:
    """Every bank's title by bank id."""
    return {slug: title for slug, title in session.execute(select(BankRow.slug, BankRow.title))}


def sitting_of(session: Session, sitting_id: int, user_id: int) -> SittingRow | None:
    """A user's sitting; None when it does not exist or is someone else's."""
    row = session.get(SittingRow, sitting_id)
    return row if row is not None and row.user_id == user_id else None


def attempts_of(session: Session, sitting_id: int) -> list[AttemptRow]:
    """A sitting's answers in position order."""
    return list(
        session.scalars(
            select(AttemptRow)
            .where(AttemptRow.sitting_id == sitting_id)
            .order_by(AttemptRow.position)
        )
    )


def add_sitting(session: Session, **fields: Any) -> SittingRow:
    """Store a new sitting (``fields`` are SittingRow's columns) and give it its id."""
    row = SittingRow(**fields)
    session.add(row)
    session.flush()
    return row


def add_attempt(
    session: Session,
    sitting: SittingRow,
    position: int,
    version_id: int,
    response: Any,
    correct: bool,
    answered_ms: int,
) -> None:
    """Store one answer of a sitting (the unique (sitting, position) pair refuses a second)."""
    session.add(
        AttemptRow(
            sitting_id=sitting.id,
            user_id=sitting.user_id,
            position=position,
            question_version_id=version_id,
            response=response,
            correct=correct,
            answered_ms=answered_ms,
        )
    )


def daily_sitting_of(session: Session, user_id: int, day: str) -> SittingRow | None:
    """A user's daily-challenge sitting of a day, or None before they start it."""
    return session.scalars(
        select(SittingRow).where(SittingRow.user_id == user_id, SittingRow.day == day)
    ).first()


def open_sittings_of(session: Session, user_id: int, mode: str | None) -> list[SittingRow]:
    """A user's unfinished sittings (of one mode, or all), newest first."""
    query = select(SittingRow).where(
        SittingRow.user_id == user_id, SittingRow.finished_ms.is_(None)
    )
    if mode:
        query = query.where(SittingRow.mode == mode)
    return list(session.scalars(query.order_by(SittingRow.id.desc())))


def banks_generation(session: Session) -> tuple[tuple[Any, ...], ...]:
    """Every bank's id, version and import time: changes exactly when an import changes banks."""
    return tuple(
        tuple(row)
        for row in session.execute(
            select(BankRow.slug, BankRow.version, BankRow.imported_at).order_by(BankRow.slug)
        )
    )


def bank_slugs(session: Session) -> list[str]:
    """Every bank's id, sorted."""
    return list(session.scalars(select(BankRow.slug).order_by(BankRow.slug)))


def users_by_id(session: Session, user_ids: list[int]) -> dict[int, UserRow]:
    """The users with these ids (unknown ids are left out)."""
    return {row.id: row for row in session.scalars(select(UserRow).where(UserRow.id.in_(user_ids)))}


def keep_daily_set(session: Session, day: str, chosen: list[int]) -> list[int]:
    """Fix a day's set as ``chosen`` unless a racing first request fixed it first; the set kept."""
    with session.begin_nested() as nested:
        try:
            session.add(DailySetRow(day=day, question_versions=chosen))
            session.flush()
        except IntegrityError:
            nested.rollback()
            return daily_set(session, day) or chosen
    return chosen


def add_pk_match(
    session: Session, contest_id: int, red_user_id: int, blue_user_id: int | None
) -> None:
    """Store who plays a PK match; a match without a blue player plays the bot as blue."""
    session.add(
        PkMatchRow(
            contest_id=contest_id,
            red_user_id=red_user_id,
            blue_user_id=blue_user_id,
            bot_team=None if blue_user_id is not None else "blue",
        )
    )


def claim_position(session: Session, sitting: SittingRow, position: int, correct: bool) -> bool:
    """Advance the sitting past ``position`` unless another request already did (a replay)."""
    result = session.execute(
        update(SittingRow)
        .where(SittingRow.id == sitting.id, SittingRow.answered == position)
        .values(answered=position + 1, correct=SittingRow.correct + int(correct))
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def card_of(session: Session, user_id: int, question_id: int) -> ReviewCardRow | None:
    """A user's wrong-answer card for a question, mastered or not."""
    return session.scalars(
        select(ReviewCardRow).where(
            ReviewCardRow.user_id == user_id, ReviewCardRow.question_id == question_id
        )
    ).one_or_none()


def card_value(row: ReviewCardRow) -> Card:
    """The pure card a row stores."""
    return Card(row.box, row.due, row.reviews, row.lapses, row.mastered)


def store_card(
    session: Session,
    row: ReviewCardRow | None,
    card: Card,
    *,
    user_id: int,
    item: PoolQuestion,
    response: Any,
) -> None:
    """Write a card's new box and due day (creating the row for a first wrong answer)."""
    if row is None:
        row = ReviewCardRow(user_id=user_id, question_id=item.question_id)
        session.add(row)
    row.question_version_id = item.version_id
    row.box, row.due, row.reviews = card.box, card.due, card.reviews
    row.lapses, row.mastered, row.last_response = card.lapses, card.mastered, response
    row.updated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)


def cards_of(session: Session, user_id: int) -> list[ReviewCardRow]:
    """A user's cards: due first (earliest day, lowest box), mastered last."""
    return list(
        session.scalars(
            select(ReviewCardRow)
            .where(ReviewCardRow.user_id == user_id)
            .order_by(
                ReviewCardRow.mastered, ReviewCardRow.due, ReviewCardRow.box, ReviewCardRow.id
            )
        )
    )


def daily_set(session: Session, day: str) -> list[int] | None:
    """The version ids fixed for a day, or None before its first request."""
    row = session.get(DailySetRow, day)
    return None if row is None else [int(v) for v in row.question_versions]


def daily_entries(session: Session, first_day: str, last_day: str) -> list[dict[str, Any]]:
    """Finished, ranked daily challenges of registered users between two days (inclusive): a
    run a guest started or one marked too fast (``config["unranked"]``) is left out."""
    rows = session.execute(
        select(SittingRow, UserRow)
        .join(UserRow, UserRow.id == SittingRow.user_id)
        .where(
            SittingRow.mode == "daily",
            SittingRow.day >= first_day,
            SittingRow.day <= last_day,
            SittingRow.finished_ms.is_not(None),
            UserRow.password_hash.is_not(None),
        )
    ).all()
    return [
        {
            "user": user.id,
            "name": user.name,
            "detachment": user.detachment,
            "day": sitting.day,
            "score": sitting.score,
            "seconds": ((sitting.finished_ms or 0) - sitting.started_ms) / 1000,
        }
        for sitting, user in rows
        if not sitting.config.get("unranked")
    ]


def finished_sittings(session: Session, user_id: int) -> list[SittingRow]:
    """A user's finished sittings, oldest first."""
    return list(
        session.scalars(
            select(SittingRow)
            .where(SittingRow.user_id == user_id, SittingRow.finished_ms.is_not(None))
            .order_by(SittingRow.finished_ms, SittingRow.id)
        )
    )


def answered_versions(session: Session, user_id: int) -> list[tuple[int, bool]]:
    """Every answer a user gave: (question version id, right or wrong)."""
    query = select(AttemptRow.question_version_id, AttemptRow.correct).where(
        AttemptRow.user_id == user_id
    )
    return [(version, correct) for version, correct in session.execute(query)]


def pk_match_of(session: Session, contest_id: int) -> PkMatchRow | None:
    """The PK match a contest plays, or None for a live contest."""
    return session.scalars(
        select(PkMatchRow).where(PkMatchRow.contest_id == contest_id)
    ).one_or_none()


def claim_recording(session: Session, match_id: int) -> bool:
    """Mark a match recorded; False when it already was (by this or another process)."""
    result = session.execute(
        update(PkMatchRow)
        .where(PkMatchRow.id == match_id, PkMatchRow.recorded.is_(False))
        .values(recorded=True)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def unrecorded_matches(session: Session) -> list[tuple[PkMatchRow, str]]:
    """PK matches whose result is not yet in their players' history, with their contest code."""
    query = (
        select(PkMatchRow, ContestRow.code)
        .join(ContestRow, ContestRow.id == PkMatchRow.contest_id)
        .where(PkMatchRow.recorded.is_(False))
    )
    return [(match, code) for match, code in session.execute(query)]


def enqueue(session: Session, user_id: int, sid: str, since_ms: int) -> None:
    """Put a user in the PK queue on connection ``sid`` (replacing an earlier wait of theirs)."""
    session.execute(delete(PkQueueRow).where(PkQueueRow.user_id == user_id))
    session.add(PkQueueRow(user_id=user_id, sid=sid, since_ms=since_ms))


def claim(session: Session, row: PkQueueRow) -> bool:
    """Take a waiter out of the queue; False when another request or process took it first."""
    result = session.execute(
        delete(PkQueueRow)
        .where(PkQueueRow.user_id == row.user_id, PkQueueRow.sid == row.sid)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def waiters(session: Session, *, not_user: int | None = None) -> list[PkQueueRow]:
    """Waiting players, longest-waiting first (all of them, or all but one user)."""
    query = select(PkQueueRow).order_by(PkQueueRow.since_ms, PkQueueRow.user_id)
    if not_user is not None:
        query = query.where(PkQueueRow.user_id != not_user)
    return list(session.scalars(query))


def leave_queue(session: Session, *, sid: str | None = None, user_id: int | None = None) -> None:
    """Take a connection's (or a user's) wait out of the queue."""
    if sid is not None:
        session.execute(delete(PkQueueRow).where(PkQueueRow.sid == sid))
    if user_id is not None:
        session.execute(delete(PkQueueRow).where(PkQueueRow.user_id == user_id))
