"""A validated bank: its description and its questions, as immutable data."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from quiz.engine.qtypes import kind_of
from quiz.engine.questions import Question

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Bank:
    """A question bank that passed validation; questions keep the order of the file."""

    id: str
    title: str
    language: str
    version: int
    authors: tuple[str, ...]
    questions: tuple[Question, ...]
    description: str = ""
    reviewed_by: tuple[str, ...] = ()
    reviewed_at: dt.date | None = None
    tags: tuple[str, ...] = ()
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


def question_to_dict(question: Question) -> dict[str, Any]:
    """The canonical mapping of a question, in the key order the bank format documents."""
    data: dict[str, Any] = {"id": question.id, "type": question.type, "text": question.text}
    if question.options:
        data["options"] = list(question.options)
    if not question.shuffle:
        data["shuffle"] = False
    data["answer"] = kind_of(question).answer_to_data(question)
    data["explanation"] = question.explanation
    data["source"] = question.source
    data["difficulty"] = question.difficulty
    data["tags"] = list(question.tags)
    data["status"] = question.status
    if question.points is not None:
        data["points"] = question.points
    if question.time_limit is not None:
        data["time_limit"] = question.time_limit
    if question.translations:
        data["translations"] = {
            language: {
                key: list(value) if isinstance(value, tuple) else value
                for key, value in (
                    ("text", translation.text),
                    ("options", translation.options),
                    ("explanation", translation.explanation),
                    ("answer", translation.answer),
                )
                if value is not None
            }
            for language, translation in sorted(question.translations.items())
        }
    return data


def bank_header_to_dict(bank: Bank) -> dict[str, Any]:
    """The canonical ``bank:`` mapping of a bank, without its questions."""
    data: dict[str, Any] = {"id": bank.id, "title": bank.title}
    if bank.description:
        data["description"] = bank.description
    data["language"] = bank.language
    data["version"] = bank.version
    data["authors"] = list(bank.authors)
    if bank.reviewed_by:
        data["reviewed_by"] = list(bank.reviewed_by)
    if bank.reviewed_at is not None:
        data["reviewed_at"] = bank.reviewed_at
    if bank.tags:
        data["tags"] = list(bank.tags)
    if bank.translations:
        data["translations"] = {
            language: dict(fields) for language, fields in sorted(bank.translations.items())
        }
    return data


def content_hash(data: dict[str, Any]) -> str:
    """A stable fingerprint of canonical data: equal content gives an equal hash."""
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
