"""One question as the bank browser shows it: every version's content and how players answered.

Answer statistics come from self-test attempts (practice, exams, reviews, daily challenges and
PK matches all record attempts) and from the contests whose question set included a version
(``ContestRow.question_versions``): contests are counted, their answers are not, since those
live only in each contest's command log.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.storage.models import (
    AttemptRow,
    BankRow,
    ContestRow,
    QuestionRow,
    QuestionVersion,
    SittingRow,
)

CHOICE_TYPES = ("single", "multiple", "truefalse")


@dataclass(slots=True)
class AnswerStats:
    """Self-test answers to a version (or all versions), and contests that included it.

    ``picks`` counts, per option (for true/false: [true, false]), the answers that chose it;
    None for a type without options and for the total (options may differ between versions).
    ``median_ms`` is the median time from the sitting's previous answer (or its start) to this
    answer, over answers that gave a response.
    """

    attempts: int = 0
    correct: int = 0
    unanswered: int = 0
    picks: list[int] | None = None
    median_ms: int | None = None
    contests: int = 0
    pk_matches: int = 0
    times: list[int] = field(default_factory=list, repr=False)

    @property
    def correct_rate(self) -> float | None:
        """The share of attempts judged right, None before the first attempt."""
        return self.correct / self.attempts if self.attempts else None


@dataclass(frozen=True, slots=True)
class VersionDetail:
    """One immutable version: its numbers, review status, content and answers."""

    id: int
    version: int
    bank_version: int
    type: str
    difficulty: int
    status: str
    created_at: dt.datetime
    content: dict[str, Any]
    stats: AnswerStats


@dataclass(frozen=True, slots=True)
class QuestionDetail:
    """A question of a bank with every version, oldest first, and the totals over them."""

    bank: str
    bank_title: str
    qid: str
    retired: bool
    current_version: int
    versions: tuple[VersionDetail, ...]
    total: AnswerStats


def question_detail(session: Session, bank: str, qid: str) -> QuestionDetail | None:
    """The question ``qid`` of bank ``bank`` with its versions and answer statistics, or None."""
    row = session.execute(
        select(QuestionRow, BankRow.title)
        .join(BankRow, BankRow.id == QuestionRow.bank_id)
        .where(BankRow.slug == bank, QuestionRow.qid == qid)
    ).one_or_none()
    if row is None:
        return None
    question, title = row
    versions = session.scalars(
        select(QuestionVersion)
        .where(QuestionVersion.question_id == question.id)
        .order_by(QuestionVersion.version)
    ).all()
    stats = {version.id: _empty(version) for version in versions}
    _count_attempts(session, stats, versions)
    _count_contests(session, stats)
    total = AnswerStats()
    for item in stats.values():
        total.attempts += item.attempts
        total.correct += item.correct
        total.unanswered += item.unanswered
        total.contests += item.contests
        total.pk_matches += item.pk_matches
        total.times.extend(item.times)
    for item in (*stats.values(), total):
        item.median_ms = round(statistics.median(item.times)) if item.times else None
    return QuestionDetail(
        bank=bank,
        bank_title=title,
        qid=qid,
        retired=question.retired,
        current_version=question.current_version,
        versions=tuple(
            VersionDetail(
                id=version.id,
                version=version.version,
                bank_version=version.bank_version,
                type=version.type,
                difficulty=version.difficulty,
                status=version.status,
                created_at=version.created_at,
                content=dict(version.content),
                stats=stats[version.id],
            )
            for version in versions
        ),
        total=total,
    )


def _empty(version: QuestionVersion) -> AnswerStats:
    if version.type == "truefalse":
        return AnswerStats(picks=[0, 0])
    if version.type in CHOICE_TYPES:
        return AnswerStats(picks=[0] * len(version.content.get("options", ())))
    return AnswerStats()


def _count_attempts(
    session: Session, stats: dict[int, AnswerStats], versions: Sequence[QuestionVersion]
) -> None:
    """Attempts per version; an answer's time is measured from the answer before it."""
    ids = [version.id for version in versions]
    attempts = session.execute(
        select(
            AttemptRow.sitting_id,
            AttemptRow.position,
            AttemptRow.question_version_id,
            AttemptRow.response,
            AttemptRow.correct,
            AttemptRow.answered_ms,
        ).where(AttemptRow.question_version_id.in_(ids))
    ).all()
    if not attempts:
        return
    sittings = {sitting for sitting, *_ in attempts}
    before = _previous_moments(session, sittings)
    for sitting, position, version_id, response, correct, answered_ms in attempts:
        item = stats[version_id]
        item.attempts += 1
        item.correct += bool(correct)
        if response is None:
            item.unanswered += 1
            continue
        _pick(item, response)
        previous = before.get((sitting, position))
        if previous is not None and answered_ms >= previous:
            item.times.append(answered_ms - previous)


def _previous_moments(session: Session, sittings: Iterable[int]) -> dict[tuple[int, int], int]:
    """For each (sitting, position) answered: when the sitting's previous answer (or the
    sitting itself) began the wait for it."""
    moments: dict[tuple[int, int], int] = {}
    ids = sorted(sittings)
    starts: dict[int, int] = {
        sitting: started
        for sitting, started in session.execute(
            select(SittingRow.id, SittingRow.started_ms).where(SittingRow.id.in_(ids))
        )
    }
    rows = session.execute(
        select(AttemptRow.sitting_id, AttemptRow.position, AttemptRow.answered_ms)
        .where(AttemptRow.sitting_id.in_(ids))
        .order_by(AttemptRow.sitting_id, AttemptRow.answered_ms, AttemptRow.position)
    ).all()
    last: dict[int, int] = {}
    for sitting, position, answered_ms in rows:
        moments[(sitting, position)] = last.get(sitting, starts[sitting])
        last[sitting] = answered_ms
    return moments


def _pick(item: AnswerStats, response: Any) -> None:
    """Count the options a response chose (indices out of range are passed over)."""
    if item.picks is None:
        return
    if isinstance(response, bool):
        chosen = [0 if response else 1]
    elif isinstance(response, int):
        chosen = [response]
    elif isinstance(response, list):
        chosen = [index for index in response if isinstance(index, int)]
    else:
        return
    for index in chosen:
        if 0 <= index < len(item.picks):
            item.picks[index] += 1


def _count_contests(session: Session, stats: dict[int, AnswerStats]) -> None:
    """Contests and PK matches whose question set included each version."""
    for purpose, mapping in session.execute(
        select(ContestRow.purpose, ContestRow.question_versions)
    ):
        included = {value for value in (mapping or {}).values() if value in stats}
        for version_id in included:
            if purpose == "pk":
                stats[version_id].pk_matches += 1
            else:
                stats[version_id].contests += 1
