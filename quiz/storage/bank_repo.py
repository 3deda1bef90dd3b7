"""Banks in the database: import (idempotent, versioned), export, and summaries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from quiz.banks.model import Bank, bank_header_to_dict, content_hash, question_to_dict
from quiz.engine.questions import Question, Translation
from quiz.storage.models import BankRow, QuestionRow, QuestionVersion


@dataclass(slots=True)
class ImportResult:
    """What one import did, question by question."""

    bank_id: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    header_changed: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def touched(self) -> bool:
        """Whether the import wrote anything."""
        return bool(self.added or self.changed or self.retired or self.header_changed)


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


def _version_columns(question: Question, content: dict[str, Any], digest: str) -> dict[str, Any]:
    return {
        "type": question.type,
        "difficulty": question.difficulty,
        "status": question.status,
        "content": content,
        "content_hash": digest,
    }


def import_bank(session: Session, bank: Bank) -> ImportResult:
    """Store a validated bank: new content gets a new version row, same content writes nothing.

    Questions missing from the new file are retired, never deleted, because results of past
    contests point at their versions. The caller owns the transaction: on any error it rolls
    back and the database is exactly as it was.
    """
    result = ImportResult(bank.id)
    header = _header_json(bank)
    header_digest = content_hash(header)
    row = session.scalars(select(BankRow).where(BankRow.slug == bank.id)).one_or_none()
    if row is None:
        row = BankRow(
            slug=bank.id,
            title=bank.title,
            language=bank.language,
            version=bank.version,
            header=header,
            header_hash=header_digest,
        )
        session.add(row)
        session.flush()
        existing: dict[str, QuestionRow] = {}
        current_hashes: dict[int, str] = {}
        previous_version = None
    else:
        previous_version = row.version
        if row.header_hash != header_digest:
            row.title, row.language, row.version = bank.title, bank.language, bank.version
            row.header, row.header_hash = header, header_digest
            row.imported_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            result.header_changed = True
        existing = {
            question.qid: question
            for question in session.scalars(
                select(QuestionRow).where(QuestionRow.bank_id == row.id)
            )
        }
        current_hashes = dict(
            session.execute(
                select(QuestionVersion.question_id, QuestionVersion.content_hash)
                .join(QuestionRow, QuestionRow.id == QuestionVersion.question_id)
                .where(
                    QuestionRow.bank_id == row.id,
                    QuestionVersion.version == QuestionRow.current_version,
                )
            ).all()
        )
    new_questions: list[dict[str, Any]] = []
    new_versions: list[dict[str, Any]] = []
    for position, question in enumerate(bank.questions):
        content = question_to_dict(question)
        digest = content_hash(content)
        stored = existing.get(question.id)
        if stored is None:
            new_questions.append(
                {
                    "bank_id": row.id,
                    "qid": question.id,
                    "position": position,
                    "current_version": 1,
                    "retired": False,
                }
            )
            new_versions.append(
                {
                    "version": 1,
                    "bank_version": bank.version,
                    **_version_columns(question, content, digest),
                }
            )
            result.added.append(question.id)
            continue
        if stored.position != position:
            stored.position = position
        if current_hashes.get(stored.id) == digest and not stored.retired:
            result.unchanged.append(question.id)
            continue
        if current_hashes.get(stored.id) != digest:
            stored.current_version += 1
            session.add(
                QuestionVersion(
                    question_id=stored.id,
                    version=stored.current_version,
                    bank_version=bank.version,
                    **_version_columns(question, content, digest),
                )
            )
        stored.retired = False
        result.changed.append(question.id)
    if new_questions:
        ids = session.scalars(
            insert(QuestionRow).returning(QuestionRow.id, sort_by_parameter_order=True),
            new_questions,
        ).all()
        for question_id, version in zip(ids, new_versions, strict=True):
            version["question_id"] = question_id
        session.execute(insert(QuestionVersion), new_versions)
    in_file = {question.id for question in bank.questions}
    for qid, stored in existing.items():
        if qid not in in_file and not stored.retired:
            stored.retired = True
            result.retired.append(qid)
    if result.touched and previous_version is not None and bank.version <= previous_version:
        result.notes.append(
            f"the bank changed but its version is still {bank.version} (stored: "
            f"{previous_version}); raise it so others can tell the versions apart"
        )
    session.flush()
    return result


def _header_json(bank: Bank) -> dict[str, Any]:
    header = bank_header_to_dict(bank)
    if bank.reviewed_at is not None:
        header["reviewed_at"] = bank.reviewed_at.isoformat()
    return header


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
