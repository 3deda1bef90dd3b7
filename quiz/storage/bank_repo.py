"""Banks in the database: loading them back, export, and summaries (importing is in
bank_import)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.banks.model import Bank
from quiz.engine.questions import Question, Translation
from quiz.storage.models import BankRow, QuestionRow, QuestionVersion


@dataclass(frozen=True, slots=True)
class BankSummary:
    """A bank with counts of its active questions by type and difficulty."""

    id: str
    title: str
    version: int
    language: str
    questions: int
    by_type: dict[str, int]
    by_difficulty: dict[int, int]
    reviewed: int
    imported_at: dt.datetime


def load_bank(session: Session, bank_id: str) -> Bank | None:
    """The bank as stored: its header and the current version of every active question."""
    row = session.scalars(select(BankRow).where(BankRow.slug == bank_id)).one_or_none()
    if row is None:
        return None
    contents = session.scalars(
        select(QuestionVersion.content)
        .join(QuestionRow, QuestionRow.id == QuestionVersion.question_id)
        .where(
            QuestionRow.bank_id == row.id,
            QuestionRow.retired.is_(False),
            QuestionVersion.version == QuestionRow.current_version,
        )
        .order_by(QuestionRow.position)
    ).all()
    header = dict(row.header)
    return Bank(
        id=header["id"],
        title=header["title"],
        description=header.get("description", ""),
        language=header["language"],
        version=header["version"],
        authors=tuple(header["authors"]),
        reviewed_by=tuple(header.get("reviewed_by", ())),
        reviewed_at=(
            dt.date.fromisoformat(header["reviewed_at"]) if "reviewed_at" in header else None
        ),
        tags=tuple(header.get("tags", ())),
        translations=header.get("translations", {}),
        questions=tuple(question_from_dict(content) for content in contents),
    )


def question_from_dict(content: dict[str, Any]) -> Question:
    """Rebuild a question from its canonical mapping (the inverse of ``question_to_dict``)."""
    answer = content["answer"]
    if isinstance(answer, str):
        answer = [answer]
    return Question(
        id=content["id"],
        type=content["type"],
        text=content["text"],
        answer=answer if isinstance(answer, bool) else tuple(answer),
        explanation=content["explanation"],
        source=content["source"],
        difficulty=content["difficulty"],
        tags=tuple(content["tags"]),
        status=content["status"],
        options=tuple(content.get("options", ())),
        points=content.get("points"),
        time_limit=content.get("time_limit"),
        shuffle=content.get("shuffle", True),
        translations={
            language: Translation(
                text=fields.get("text"),
                options=tuple(fields["options"]) if "options" in fields else None,
                explanation=fields.get("explanation"),
                answer=tuple(fields["answer"]) if "answer" in fields else None,
            )
            for language, fields in content.get("translations", {}).items()
        },
    )


def bank_summaries(session: Session) -> list[BankSummary]:
    """Every bank with counts of its active questions, ordered by bank id."""
    rows = session.execute(
        select(
            BankRow.slug,
            QuestionVersion.type,
            QuestionVersion.difficulty,
            QuestionVersion.status,
        )
        .join(QuestionRow, QuestionRow.bank_id == BankRow.id)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == QuestionRow.id)
            & (QuestionVersion.version == QuestionRow.current_version),
        )
        .where(QuestionRow.retired.is_(False))
    ).all()
    by_type: dict[str, Counter[str]] = {}
    by_difficulty: dict[str, Counter[int]] = {}
    reviewed: Counter[str] = Counter()
    for slug, question_type, difficulty, status in rows:
        by_type.setdefault(slug, Counter())[question_type] += 1
        by_difficulty.setdefault(slug, Counter())[difficulty] += 1
        reviewed[slug] += status == "reviewed"
    return [
        BankSummary(
            id=bank.slug,
            title=bank.title,
            version=bank.version,
            language=bank.language,
            questions=sum(by_type.get(bank.slug, Counter()).values()),
            by_type=dict(sorted(by_type.get(bank.slug, Counter()).items())),
            by_difficulty=dict(sorted(by_difficulty.get(bank.slug, Counter()).items())),
            reviewed=reviewed[bank.slug],
            imported_at=bank.imported_at,
        )
        for bank in session.scalars(select(BankRow).order_by(BankRow.slug))
    ]


def current_version_ids(session: Session, bank_id: str) -> dict[str, int]:
    """The id of the current version of every active question of a bank, by question id."""
    rows = session.execute(
        select(QuestionRow.qid, QuestionVersion.id)
        .join(BankRow, BankRow.id == QuestionRow.bank_id)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == QuestionRow.id)
            & (QuestionVersion.version == QuestionRow.current_version),
        )
        .where(BankRow.slug == bank_id, QuestionRow.retired.is_(False))
    ).all()
    return {qid: version_id for qid, version_id in rows}
