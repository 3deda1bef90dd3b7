"""Importing a validated bank: idempotent, versioned, and either in the caller's transaction or
in short steps that never hold the database long.

On SQLite one writer holds the whole database, and a live contest's commands wait for it: a
100,000-question import written in one transaction held it for about 8 s, longer than SQLite's
busy timeout, so commands failed meanwhile. :func:`import_bank_in_steps` writes the same rows in
transactions of :data:`STEP` questions each, with every new row and version kept out of sight
(a new question stays retired, a new version is not yet current) until one last short
transaction makes them current all at once. Questions are read only through their current
version of an active row, so nobody sees a half-imported bank. A step that fails leaves only
unseen rows, which the next import of the bank passes over (it numbers versions past them).
The search index (``search_repo``) gets a new question's entry in the step that writes its
row; a changed question's entry follows once the import shows it, in steps of
:data:`INDEX_STEP`. A step that fails there is mended by the next import of the bank.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from quiz.banks.model import Bank, bank_header_to_dict, content_hash, question_to_dict
from quiz.engine.questions import Question
from quiz.storage.models import BankRow, QuestionRow, QuestionVersion
from quiz.storage.search_repo import index_new_versions, index_questions, stale_questions
from quiz.texts import Args, Language, args_of, render

STEP = 1000
# Indexing a question's text for search (an FTS5 trigram table on SQLite) holds the write lock
# about 250 ms per 1,000 questions here; halving the step added a second of pauses to 10,000.
INDEX_STEP = 1000
# Between steps the importer stands back this long, so that a writer waiting on SQLite's lock
# (whose busy handler polls every 50 to 100 ms once it has waited a while) gets its turn.
STEP_GAP_S = 0.05
_T = TypeVar("_T")
Write = Callable[[Callable[[Session], _T]], _T]


@dataclass(frozen=True, slots=True)
class Note:
    """A remark on an import that refuses nothing, by code (its texts: quiz/texts/core.py)."""

    code: str
    args: Args = ()

    def text(self, language: Language = "zh") -> str:
        """The remark in ``language``."""
        return render(self.code, self.args, language)


@dataclass(slots=True)
class ImportResult:
    """What one import did, question by question."""

    bank_id: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    header_changed: bool = False
    notes: list[Note] = field(default_factory=list)

    @property
    def touched(self) -> bool:
        """Whether the import wrote anything."""
        return bool(self.added or self.changed or self.retired or self.header_changed)


@dataclass(frozen=True, slots=True)
class _Stored:
    """A question as the database holds it before the import."""

    id: int
    position: int
    current_version: int
    newest_version: int
    retired: bool
    content_hash: str | None


@dataclass(slots=True)
class _Plan:
    """The rows an import writes, worked out before its first write."""

    bank_row: int | None
    header: dict[str, Any]
    header_hash: str
    new: list[tuple[int, Question, dict[str, Any], str]] = field(default_factory=list)
    versions: list[tuple[int, int, Question, dict[str, Any], str]] = field(default_factory=list)
    current: list[dict[str, Any]] = field(default_factory=list)
    retire: list[int] = field(default_factory=list)
    added_rows: list[int] = field(default_factory=list)


def import_bank(session: Session, bank: Bank) -> ImportResult:
    """Store a validated bank in the caller's transaction: new content gets a new version row,
    same content writes nothing. Questions missing from the new file are retired, never deleted,
    because results of past contests point at their versions; on any error the caller rolls
    back and the database is exactly as it was."""
    return _import(lambda work: work(session), bank)


def import_bank_in_steps(sessions: sessionmaker[Session], bank: Bank) -> ImportResult:
    """Store a validated bank as :func:`import_bank` does, in short transactions of which only
    the last makes the new content visible (see the module's docstring)."""

    def write(work: Callable[[Session], _T]) -> _T:
        with sessions.begin() as session:
            done = work(session)
        time.sleep(STEP_GAP_S)
        return done

    return _import(write, bank)


def preview_import(session: Session, bank: Bank) -> ImportResult:
    """What importing the bank would do (added, changed, unchanged, retired, notes), reading
    only: the dry run an organiser sees before choosing to import."""
    return _plan(session, bank)[1]


def _import(write: Write[Any], bank: Bank) -> ImportResult:
    planned: tuple[_Plan, ImportResult] = write(lambda session: _plan(session, bank))
    plan, result = planned
    if plan.bank_row is None:
        plan.bank_row = write(lambda session: _add_bank(session, bank, plan))
    _write_unseen(write, bank, plan)
    bank_row = plan.bank_row

    def show(session: Session) -> list[int]:
        if result.touched or plan.current:
            _make_current(session, bank, plan, result.header_changed)
        return stale_questions(session, bank_row)

    _reindex(write, write(show))
    return result


def _reindex(write: Write[Any], stale: list[int]) -> None:
    """Bring the search index to the bank's current questions, INDEX_STEP questions a step (in
    steps, the index trails the questions for the seconds this takes). The questions to index
    are read from the index itself, so an import that failed while indexing is mended by the
    next one."""
    for start in range(0, len(stale), INDEX_STEP):
        chunk = stale[start : start + INDEX_STEP]

        def reindex(session: Session, chunk: list[int] = chunk) -> None:
            index_questions(session, chunk)

        write(reindex)


def _plan(session: Session, bank: Bank) -> tuple[_Plan, ImportResult]:
    """The rows an import writes and what it reports, from one read of the stored bank."""
    result = ImportResult(bank.id)
    header = _header_json(bank)
    # Every question's canonical form and hash before the first write.
    prepared = [(q, content, content_hash(content)) for q, content in _contents(bank.questions)]
    row_id, stored_header_hash, previous_version, stored = _read_stored(session, bank.id)
    plan = _Plan(row_id, header, content_hash(header))
    if row_id is not None and stored_header_hash != plan.header_hash:
        result.header_changed = True
    for position, (question, content, digest) in enumerate(prepared):
        known = stored.get(question.id)
        if known is None:
            plan.new.append((position, question, content, digest))
            result.added.append(question.id)
            continue
        same = known.content_hash == digest
        if same and not known.retired:
            if known.position != position:
                plan.current.append({"id": known.id, "position": position})
            result.unchanged.append(question.id)
            continue
        version = known.current_version
        if not same:
            version = known.newest_version + 1
            plan.versions.append((known.id, version, question, content, digest))
        plan.current.append(
            {"id": known.id, "position": position, "current_version": version, "retired": False}
        )
        result.changed.append(question.id)
    in_file = {question.id for question in bank.questions}
    for qid, known in stored.items():
        if qid not in in_file and not known.retired:
            plan.retire.append(known.id)
            result.retired.append(qid)
    if result.touched and previous_version is not None and bank.version <= previous_version:
        result.notes.append(
            Note(
                "version_not_raised",
                args_of({"version": bank.version, "stored": previous_version}),
            )
        )
    return plan, result


def _contents(questions: Sequence[Question]) -> Iterator[tuple[Question, dict[str, Any]]]:
    for question in questions:
        yield question, question_to_dict(question)


def _read_stored(
    session: Session, slug: str
) -> tuple[int | None, str | None, int | None, dict[str, _Stored]]:
    """The bank's row id, header hash and version, and its questions as stored now."""
    row = session.scalars(select(BankRow).where(BankRow.slug == slug)).one_or_none()
    if row is None:
        return None, None, None, {}
    newest = (
        select(QuestionVersion.question_id, func.max(QuestionVersion.version).label("newest"))
        .group_by(QuestionVersion.question_id)
        .subquery()
    )
    current = QuestionVersion.__table__.alias("current")
    rows = session.execute(
        select(
            QuestionRow.qid,
            QuestionRow.id,
            QuestionRow.position,
            QuestionRow.current_version,
            newest.c.newest,
            QuestionRow.retired,
            current.c.content_hash,
        )
        .join(newest, newest.c.question_id == QuestionRow.id)
        .outerjoin(
            current,
            (current.c.question_id == QuestionRow.id)
            & (current.c.version == QuestionRow.current_version),
        )
        .where(QuestionRow.bank_id == row.id)
        .order_by(QuestionRow.position, QuestionRow.id)
    ).all()
    stored = {qid: _Stored(*values) for qid, *values in rows}
    return row.id, row.header_hash, row.version, stored


def _add_bank(session: Session, bank: Bank, plan: _Plan) -> int:
    """A new bank's row (its questions are added unseen, then made current)."""
    row = BankRow(
        slug=bank.id,
        title=bank.title,
        language=bank.language,
        version=bank.version,
        header=plan.header,
        header_hash=plan.header_hash,
    )
    session.add(row)
    session.flush()
    return row.id


def _write_unseen(write: Write[Any], bank: Bank, plan: _Plan) -> None:
    """New questions (retired until made current) and new versions, STEP questions a step."""
    assert plan.bank_row is not None
    bank_row = plan.bank_row
    for start in range(0, len(plan.new), STEP):
        chunk = plan.new[start : start + STEP]

        def add_questions(session: Session, chunk: Sequence[Any] = chunk) -> None:
            rows = [
                {
                    "bank_id": bank_row,
                    "qid": question.id,
                    "position": position,
                    "current_version": 1,
                    "retired": True,
                }
                for position, question, _, _ in chunk
            ]
            ids = session.scalars(
                insert(QuestionRow).returning(QuestionRow.id, sort_by_parameter_order=True), rows
            ).all()
            plan.added_rows.extend(ids)
            version_ids = session.scalars(
                insert(QuestionVersion).returning(QuestionVersion.id, sort_by_parameter_order=True),
                [
                    _version_row(question_id, 1, bank, question, content, digest)
                    for question_id, (_, question, content, digest) in zip(ids, chunk, strict=True)
                ],
            ).all()
            # Indexed in the same step rather than in steps of their own once shown: search
            # passes over them while their rows are retired, as it does every unseen row.
            index_new_versions(
                session,
                [
                    (question_id, bank_row, version_id, content)
                    for question_id, version_id, (_, _, content, _) in zip(
                        ids, version_ids, chunk, strict=True
                    )
                ],
            )

        write(add_questions)
    for start in range(0, len(plan.versions), STEP):
        versions = plan.versions[start : start + STEP]

        def add_versions(session: Session, versions: Sequence[Any] = versions) -> None:
            session.execute(
                insert(QuestionVersion),
                [
                    _version_row(question_id, number, bank, question, content, digest)
                    for question_id, number, question, content, digest in versions
                ],
            )

        write(add_versions)


def _make_current(session: Session, bank: Bank, plan: _Plan, header_changed: bool) -> None:
    """The one short step that shows the import: header, current versions, retirements."""
    assert plan.bank_row is not None
    if header_changed:
        session.execute(
            update(BankRow)
            .where(BankRow.id == plan.bank_row)
            .values(
                title=bank.title,
                language=bank.language,
                version=bank.version,
                header=plan.header,
                header_hash=plan.header_hash,
                imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            )
        )
    for start in range(0, len(plan.added_rows), STEP):
        ids = plan.added_rows[start : start + STEP]
        session.execute(update(QuestionRow).where(QuestionRow.id.in_(ids)).values(retired=False))
    for changes in _grouped(plan.current):
        session.execute(update(QuestionRow), changes)
    for start in range(0, len(plan.retire), STEP):
        ids = plan.retire[start : start + STEP]
        session.execute(update(QuestionRow).where(QuestionRow.id.in_(ids)).values(retired=True))


def _grouped(changes: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Changes of the same columns together: one executemany per shape."""
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for change in changes:
        shapes.setdefault(tuple(sorted(change)), []).append(change)
    yield from shapes.values()


def _version_row(
    question_id: int,
    version: int,
    bank: Bank,
    question: Question,
    content: dict[str, Any],
    digest: str,
) -> dict[str, Any]:
    return {
        "question_id": question_id,
        "version": version,
        "bank_version": bank.version,
        "type": question.type,
        "difficulty": question.difficulty,
        "status": question.status,
        "content": content,
        "content_hash": digest,
    }


def _header_json(bank: Bank) -> dict[str, Any]:
    header = bank_header_to_dict(bank)
    if bank.reviewed_at is not None:
        header["reviewed_at"] = bank.reviewed_at.isoformat()
    return header
