"""The question editor and the review queue: the rules of versions, authors and approvals.

An edit is checked by the bank validator itself (a one-question document whose places are the
editor's fields) plus the near-duplicate check against the rest of the bank, and saved as a new
version, never ``reviewed``. Editing a draft question serves the new version at once; editing a
reviewed one leaves the reviewed version served until a second person approves the edit, so a
live contest or exam never gets unreviewed text. Approving writes one more version, the same
content with status ``reviewed``, and serves it; rejecting keeps the version in history with the
reviewer's note. Names are self-declared (see :mod:`quiz.app.host_auth`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from quiz.app.errors import Refused
from quiz.app.host_auth import same_person
from quiz.banks.document import MappedDocument, Place
from quiz.banks.model import question_to_dict
from quiz.banks.similarity import near_duplicates
from quiz.banks.validator import check_bank
from quiz.storage import question_repo as repo
from quiz.storage.models import BankRow, QuestionRow, QuestionVersion, utc_now
from quiz.storage.search_repo import index_questions
from quiz.texts import Language, args_of, render
from quiz.yamlsource import Path

# The fields the editor sends, in the order the bank format lists them.
EDITABLE = (
    "type",
    "text",
    "options",
    "shuffle",
    "answer",
    "explanation",
    "source",
    "difficulty",
    "tags",
    "points",
    "time_limit",
)
# Fields compared for the queue's difference, in the order a reviewer reads them.
COMPARED = (*EDITABLE, "translations")
MAX_NOTE = 500
QUEUE_PAGE = 50


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One finding shown beside an editor field (``text``, ``options.2``, ``question``)."""

    field: str
    code: str
    severity: str
    text: str


@dataclass(frozen=True, slots=True)
class Checked:
    """The findings on an edit, and its canonical content when it has no error."""

    problems: list[FieldProblem]
    content: dict[str, Any] | None


class Invalid(Refused):
    """A save or approval refused because the question has errors (``invalid_question``)."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("invalid_question", "题目有错误，未保存 / the question has errors")
        self.problems = problems


def _editor_places(mapping: Mapping[str, Any]) -> dict[Path, Place]:
    """A place per value, labelled with its editor field (``options.2``, ``answer.0``);
    positions are only unique numbers, as MappedDocument needs."""
    places: dict[Path, Place] = {
        (): Place((1, 1), "question"),
        ("questions",): Place((2, 1), "question"),
        ("questions", 0): Place((3, 1), "question"),
    }

    def walk(path: tuple[str | int, ...], value: Any) -> None:
        places[("questions", 0, *path)] = Place(
            (len(places) + 1, 1), ".".join(str(part) for part in path)
        )
        if isinstance(value, dict):
            for key, item in value.items():
                walk((*path, str(key)), item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk((*path, index), item)

    for key, value in mapping.items():
        walk((key,), value)
    return places


def _mapping(
    qid: str, fields: Mapping[str, Any], base: Mapping[str, Any] | None, status: str
) -> dict[str, Any]:
    """The bank-format mapping of an edit: the editor's fields, the base version's
    translations (shown read-only in the editor) and the given status."""
    unknown = sorted(str(key) for key in fields if key not in EDITABLE)
    if unknown:
        raise Refused("bad_payload", f"unknown question field(s): {', '.join(unknown)}")
    mapping: dict[str, Any] = {"id": qid}
    for key in EDITABLE:
        value = fields.get(key)
        if value is not None and not (key in ("points", "time_limit") and value == ""):
            mapping[key] = value
    mapping["status"] = status
    if base is not None and "translations" in base:
        mapping["translations"] = base["translations"]
    return mapping


def _check(
    bank: BankRow,
    mapping: dict[str, Any],
    others: list[tuple[str, dict[str, Any]]],
    language: Language,
) -> Checked:
    """Run the bank validator on one question, and the near-duplicate check against
    ``others`` (the rest of the bank)."""
    header = {
        "id": bank.slug,
        "title": bank.title,
        "language": bank.language,
        "version": bank.version,
        "authors": ["editor"],
        # Only the question is judged here; a reviewed one must not warn about the header.
        "reviewed_by": ["editor"],
    }
    document = MappedDocument(
        data={"bank": header, "questions": [mapping]},
        filename="question",
        places=_editor_places(mapping),
    )
    checked, findings = check_bank(document)
    problems = [
        FieldProblem(
            problem.place or "question", problem.code, problem.severity, problem.text(language)
        )
        for problem in findings.problems()
    ]
    text = mapping.get("text")
    if isinstance(text, str) and text.strip() and others:
        options = mapping.get("options")
        words = [str(item) for item in options] if isinstance(options, list) else []
        texts = [" ".join((content["text"], *content.get("options", ()))) for _, content in others]
        texts.append(" ".join((text, *words)))
        mine = len(texts) - 1
        for pair in near_duplicates(texts):
            if mine in (pair.first, pair.second):
                other = others[pair.first if pair.second == mine else pair.second][0]
                # The finding the loader reports across files, in its words.
                args = args_of(
                    {
                        "question": mapping.get("id") or "",
                        "first": other,
                        "first_where": bank.slug,
                        "likeness": round(pair.likeness * 100),
                    }
                )
                problems.append(
                    FieldProblem(
                        "text",
                        "near_duplicate",
                        "warning",
                        render("near_duplicate", args, language),
                    )
                )
    content = None
    if checked is not None:
        content = question_to_dict(checked.questions[0])
    return Checked(problems, content)


def _bank(session: Session, slug: str) -> BankRow:
    bank = repo.bank_row(session, slug)
    if bank is None:
        raise Refused("not_found", f"no bank {slug}")
    return bank


def _question(session: Session, bank: BankRow, qid: str) -> QuestionRow:
    question = repo.question_row(session, bank.id, qid)
    if question is None or question.retired:
        raise Refused("not_found", f"no question {qid} in bank {bank.slug}")
    return question


def _language(raw: object) -> Language:
    return "en" if raw == "en" else "zh"


def check_edit(
    sessions: sessionmaker[Session],
    bank_slug: str,
    qid: str,
    fields: Mapping[str, Any],
    *,
    new: bool = False,
    language: object = "zh",
) -> Checked:
    """The validator's findings on an edit of ``qid`` (or on a new question, whose id is
    ``fields["id"]``), each at its editor field, in the page's language."""
    lang = _language(language)
    with sessions() as session:
        bank = _bank(session, bank_slug)
        base = None
        if new:
            fields = dict(fields)
            raw_id = fields.pop("id", "")
            qid = raw_id if isinstance(raw_id, str) else ""
        else:
            base = repo.newest_version(session, _question(session, bank, qid).id).content
        others = [pair for pair in repo.current_contents(session, bank.id) if pair[0] != qid]
        checked = _check(bank, _mapping(qid, fields, base, "draft"), others, lang)
        if new and qid and repo.question_row(session, bank.id, qid) is not None:
            taken = FieldProblem(
                "id",
                "question_id_taken",
                "error",
                render("question_id_taken", args_of({"qid": qid}), lang),
            )
            return Checked([taken, *checked.problems], None)
    return checked


def _without_status(content: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in content.items() if key != "status"}


def save_edit(
    sessions: sessionmaker[Session],
    bank_slug: str,
    qid: str,
    fields: Mapping[str, Any],
    *,
    base_version: int,
    author: str,
    new: bool = False,
) -> dict[str, Any]:
    """Save an edit as the question's next version (a new question's first), by ``author``.

    ``base_version`` is the version the editor started from (0 for a new question): an edit of
    anything older is refused (``stale_version``). A draft question serves the new version at
    once; a reviewed one keeps serving its reviewed version until the edit is approved.
    """
    if not author:
        raise Refused("name_required", "请先填写姓名 / give your name first")
    with sessions.begin() as session:
        bank = _bank(session, bank_slug)
        if new:
            fields = dict(fields)
            raw_id = fields.pop("id", "")
            qid = raw_id if isinstance(raw_id, str) else ""
            if qid and repo.question_row(session, bank.id, qid) is not None:
                raise Refused("question_exists", f"question {qid} already exists in this bank")
            base = None
        else:
            question = _question(session, bank, qid)
            newest = repo.newest_version(session, question.id)
            if newest.version != base_version:
                raise Refused(
                    "stale_version",
                    f"version {newest.version} was saved meanwhile; reload the editor",
                )
            base = newest.content
        others = [pair for pair in repo.current_contents(session, bank.id) if pair[0] != qid]
        checked = _check(bank, _mapping(qid, fields, base, "draft"), others, "zh")
        if checked.content is None:
            raise Invalid(checked.problems)
        if base is not None and _without_status(base) == _without_status(checked.content):
            raise Refused("unchanged", "nothing changed since the version in the editor")
        if new:
            question = repo.add_question(session, bank, qid)
            serving = True
        else:
            served = repo.version_of(session, question.id, question.current_version)
            serving = served is None or served.status != "reviewed"
        row = repo.add_version(session, question, checked.content, author, make_current=serving)
        index_questions(session, [question.id])
        return {
            "bank": bank.slug,
            "qid": qid,
            "version": row.version,
            "version_id": row.id,
            "status": row.status,
            "current": serving,
            "pending": not serving,
        }


def _waiting(session: Session, version_id: int) -> tuple[QuestionRow, QuestionVersion]:
    """The version and its question, if it waits for a verdict (else ``not_waiting``)."""
    version = repo.version_by_id(session, version_id)
    if version is None:
        raise Refused("not_found", f"no question version {version_id}")
    question = session.get_one(QuestionRow, version.question_id)
    newest = repo.newest_version(session, question.id)
    judged = repo.reviews_of(session, [version.id])
    if question.retired or newest.id != version.id or version.status != "draft" or judged:
        raise Refused(
            "not_waiting",
            "this version is not waiting for review (judged, superseded or already reviewed)",
        )
    return question, version


def approve(
    sessions: sessionmaker[Session],
    version_id: int,
    reviewer: str,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """Approve a waiting version: a second person only (not its author, compared after trim,
    NFKC and case folding); the question then serves that content with status reviewed."""
    if not reviewer:
        raise Refused("name_required", "请先填写姓名 / give your name first")
    with sessions.begin() as session:
        question, version = _waiting(session, version_id)
        bank = session.get_one(BankRow, question.bank_id)
        if any(same_person(author, reviewer) for author in authors_of(version, bank)):
            raise Refused(
                "own_version",
                "不能审核自己编辑的题目，须由另一人通过 / "
                "a question is approved by a second person, not by its author",
            )
        others = [
            pair for pair in repo.current_contents(session, bank.id) if pair[0] != question.qid
        ]
        reviewed = dict(version.content, status="reviewed")
        checked = _check(bank, reviewed, others, "zh")
        if checked.content is None:
            raise Invalid(checked.problems)
        result = repo.add_version(
            session, question, checked.content, version.edited_by, make_current=True
        )
        repo.record_review(session, version, "approve", reviewer, "", at or utc_now(), result)
        index_questions(session, [question.id])
        return {
            "bank": bank.slug,
            "qid": question.qid,
            "version": result.version,
            "version_id": result.id,
            "status": result.status,
        }


def authors_of(version: QuestionVersion, bank: BankRow) -> list[str]:
    """Who wrote a version: its editor in the browser, else (imported from a file) the bank's
    listed authors, none of whom may then approve it."""
    if version.edited_by is not None:
        return [version.edited_by]
    return [str(author) for author in bank.header.get("authors", ())]


def reject(
    sessions: sessionmaker[Session],
    version_id: int,
    reviewer: str,
    note: object,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """Send a waiting version back with a note (1 to MAX_NOTE characters): it stays in the
    history, the served version does not change, and the queue shows it to its author."""
    if not reviewer:
        raise Refused("name_required", "请先填写姓名 / give your name first")
    text = unicodedata.normalize("NFKC", note).strip() if isinstance(note, str) else ""
    if not 0 < len(text) <= MAX_NOTE:
        raise Refused("bad_note", f"退回须说明理由（1 至 {MAX_NOTE} 字）/ give a reason")
    with sessions.begin() as session:
        question, version = _waiting(session, version_id)
        repo.record_review(session, version, "reject", reviewer, text, at or utc_now())
        bank = session.get_one(BankRow, question.bank_id)
        return {"bank": bank.slug, "qid": question.qid, "version": version.version}


def _review_json(review: Any) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "action": review.action,
        "reviewer": review.reviewer,
        "note": review.note,
        "at": review.at.isoformat(timespec="seconds"),
    }


def _changes(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Field by field, what differs from ``before`` (every field when there is none)."""
    old = before or {}
    return [
        {"field": key, "before": old.get(key), "after": after.get(key)}
        for key in COMPARED
        if old.get(key) != after.get(key)
    ]


def editor_state(
    sessions: sessionmaker[Session], bank_slug: str, qid: str | None
) -> dict[str, Any]:
    """What the editor opens with: the bank, and for an existing question its newest version
    (an edit waiting or sent back, else the served one), that version's state and verdict."""
    with sessions() as session:
        bank = _bank(session, bank_slug)
        state: dict[str, Any] = {"bank": bank.slug, "bank_title": bank.title, "new": qid is None}
        if qid is None:
            return {**state, "qid": "", "version": 0, "content": {}, "state": "new"}
        question = _question(session, bank, qid)
        newest = repo.newest_version(session, question.id)
        review = repo.reviews_of(session, [newest.id]).get(newest.id, [None])[-1]
        if newest.status == "reviewed":
            status = "reviewed"
        elif review is not None:
            status = "rejected"
        else:
            status = "draft" if newest.version == question.current_version else "pending"
        return {
            **state,
            "qid": qid,
            "version": newest.version,
            "current_version": question.current_version,
            "content": newest.content,
            "state": status,
            "edited_by": newest.edited_by,
            "review": _review_json(review),
        }


def review_queue(
    sessions: sessionmaker[Session],
    me: str,
    bank_slug: str | None = None,
    page: int = 0,
) -> dict[str, Any]:
    """A page of the review queue: every question whose newest version is a draft, waiting
    for a verdict or sent back to its author, with the difference from the served version."""
    with sessions() as session:
        rows, total = repo.review_queue(session, bank_slug, QUEUE_PAGE, page * QUEUE_PAGE)
        items = []
        for row in rows:
            served = row.served
            if served is not None and served.id == row.newest.id:
                # A draft question serves its newest version: compare with the one before.
                served = repo.version_of(session, row.question.id, row.newest.version - 1)
            authors = authors_of(row.newest, row.bank)
            author = "、".join(authors) or None
            items.append(
                {
                    "version_id": row.newest.id,
                    "bank": row.bank.slug,
                    "bank_title": row.bank.title,
                    "qid": row.question.qid,
                    "version": row.newest.version,
                    "kind": "edit"
                    if row.newest.version > row.question.current_version
                    else "draft",
                    "state": "waiting" if row.review is None else "rejected",
                    "author": author,
                    "mine": bool(me) and any(same_person(name, me) for name in authors),
                    "at": row.newest.created_at.isoformat(timespec="seconds"),
                    "served_version": served.version if served is not None else None,
                    "text": row.newest.content.get("text", ""),
                    "changes": _changes(
                        served.content if served is not None else None, row.newest.content
                    ),
                    "review": _review_json(row.review),
                }
            )
        return {
            "items": items,
            "total": total,
            "page": page,
            "page_size": QUEUE_PAGE,
            "waiting": repo.waiting_count(session),
        }


def waiting_count(sessions: sessionmaker[Session]) -> int:
    """How many questions wait for a verdict (the admin navigation's count)."""
    with sessions() as session:
        return repo.waiting_count(session)
