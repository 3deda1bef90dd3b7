"""The bank browser's search index: each active question's current text, searchable by any
substring (Chinese has no spaces between words, so substrings, not words, are what count).

A query is split on spaces into terms, all of which must occur (AND), case-insensitively.
SQLite narrows the candidates with its FTS5 trigram index for terms of three or more
characters and checks every term with ``instr``; PostgreSQL uses ``LIKE`` (the ``pg_trgm``
GIN index serves the same terms). Both compare the lower-cased text with the lower-cased
terms, so both databases return the same rows. User text never becomes query syntax: an FTS
term is a quoted phrase, a LIKE pattern has ``%``, ``_`` and ``\\`` escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from quiz.storage.models import (
    BankRow,
    QuestionRow,
    QuestionSearchRow,
    QuestionTagRow,
    QuestionVersion,
)

MAX_TERMS = 8
MAX_QUERY = 200
MAX_LIMIT = 200
SNIPPET = 80
# FTS5's trigram tokenizer indexes runs of three characters: shorter terms cannot use it.
TRIGRAM = 3
_CHUNK = 500
_SEARCH = cast(Table, QuestionSearchRow.__table__)
_TAGS = cast(Table, QuestionTagRow.__table__)


@dataclass(frozen=True, slots=True)
class Snippet:
    """Part of a stem around the first match; ``marks`` are [start, end) spans of matches in
    ``text``, so a page highlights them without ever treating the text as HTML."""

    text: str
    marks: tuple[tuple[int, int], ...]
    clipped_start: bool
    clipped_end: bool


@dataclass(frozen=True, slots=True)
class Hit:
    """One question found: where it lives, what it is, and its stem's snippet."""

    bank: str
    qid: str
    version: int
    type: str
    difficulty: int
    status: str
    tags: tuple[str, ...]
    snippet: Snippet


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results and how many there are in all."""

    total: int
    offset: int
    limit: int
    terms: tuple[str, ...]
    hits: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class Facets:
    """The values the browser's filters offer, from the indexed questions."""

    banks: tuple[tuple[str, str], ...]
    tags: tuple[str, ...]
    types: tuple[str, ...]
    difficulties: tuple[int, ...]
    statuses: tuple[str, ...]


def search_body(content: dict[str, Any]) -> str:
    """The text a question is found by: qid, stem, options, explanation, source, tags and every
    translation's text, lower-cased, one field a line (the bank is a filter, not text)."""
    parts: list[str] = [str(content.get("id", "")), str(content.get("text", ""))]
    parts.extend(str(option) for option in content.get("options", ()))
    parts.append(str(content.get("explanation", "")))
    parts.append(str(content.get("source", "")))
    parts.extend(str(tag) for tag in content.get("tags", ()))
    for fields in content.get("translations", {}).values():
        parts.append(str(fields.get("text") or ""))
        parts.extend(str(option) for option in fields.get("options") or ())
        parts.append(str(fields.get("explanation") or ""))
    return "\n".join(part for part in parts if part).lower()


def query_terms(query: str) -> tuple[str, ...]:
    """The distinct lower-cased terms of a query, split on any space (full-width too)."""
    terms: list[str] = []
    for term in query[:MAX_QUERY].lower().split():
        if term not in terms:
            terms.append(term)
    return tuple(terms[:MAX_TERMS])


def fts_phrase(term: str) -> str:
    """A term as an FTS5 string: quoted, so ``OR``, ``*``, ``NEAR`` and ``"`` are plain text."""
    return '"' + term.replace('"', '""') + '"'


def like_pattern(term: str) -> str:
    """A LIKE pattern that matches ``term`` anywhere, with ``\\`` as the escape character."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def index_questions(session: Session, question_ids: Iterable[int]) -> None:
    """Re-index the current version of each question; a retired one leaves the index."""
    ids = sorted(set(question_ids))
    for start in range(0, len(ids), _CHUNK):
        _index_chunk(session, ids[start : start + _CHUNK])


def stale_questions(session: Session, bank_id: int) -> list[int]:
    """The bank's questions whose index entry is not their current version's: active ones
    missing or indexed at another version, retired ones still indexed."""
    current = (QuestionVersion.question_id == QuestionRow.id) & (
        QuestionVersion.version == QuestionRow.current_version
    )
    entry = QuestionSearchRow.question_id
    return list(
        session.scalars(
            select(QuestionRow.id)
            .outerjoin(QuestionVersion, current)
            .outerjoin(QuestionSearchRow, entry == QuestionRow.id)
            .where(
                QuestionRow.bank_id == bank_id,
                or_(
                    QuestionRow.retired.is_(False)
                    & (entry.is_(None) | (QuestionSearchRow.version_id != QuestionVersion.id)),
                    QuestionRow.retired.is_(True) & entry.is_not(None),
                ),
            )
            .order_by(QuestionRow.id)
        )
    )


def _index_chunk(session: Session, ids: Sequence[int]) -> None:
    session.execute(delete(QuestionTagRow).where(QuestionTagRow.question_id.in_(ids)))
    session.execute(delete(QuestionSearchRow).where(QuestionSearchRow.question_id.in_(ids)))
    rows = session.execute(
        select(QuestionRow.id, QuestionRow.bank_id, QuestionVersion.id, QuestionVersion.content)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == QuestionRow.id)
            & (QuestionVersion.version == QuestionRow.current_version),
        )
        .where(QuestionRow.id.in_(ids), QuestionRow.retired.is_(False))
    ).all()
    index_new_versions(session, [tuple(row) for row in rows])


def index_new_versions(
    session: Session, versions: Sequence[tuple[int, int, int, dict[str, Any]]]
) -> None:
    """Index versions of questions that have no entry yet, each given as (question id, bank id,
    version id, content); an import's new questions stay out of results while it keeps their
    rows retired."""
    entries = [
        {"question_id": qid, "bank_id": bank_id, "version_id": vid, "body": search_body(c)}
        for qid, bank_id, vid, c in versions
    ]
    tags = [
        {"question_id": qid, "tag": tag}
        for qid, _, _, content in versions
        for tag in dict.fromkeys(str(tag) for tag in content.get("tags", ()))
    ]
    # Core inserts: the ORM's bulk path costs more than the rows themselves here.
    if entries:
        session.execute(insert(_SEARCH), entries)
    if tags:
        session.execute(insert(_TAGS), tags)


def search(
    session: Session,
    query: str,
    *,
    bank: str | None = None,
    tag: str | None = None,
    type: str | None = None,
    difficulty: int | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> SearchPage:
    """Active questions whose text holds every term of ``query`` and that pass every filter
    given, ordered by bank and position; ``total`` counts them all, ``hits`` is one page."""
    terms = query_terms(query)
    offset = max(offset, 0)
    limit = min(max(limit, 1), MAX_LIMIT)
    current = (QuestionVersion.question_id == QuestionRow.id) & (
        QuestionVersion.version == QuestionRow.current_version
    )
    base = (
        select(QuestionSearchRow.question_id)
        .join(QuestionRow, QuestionRow.id == QuestionSearchRow.question_id)
        .join(BankRow, BankRow.id == QuestionSearchRow.bank_id)
        .join(QuestionVersion, current)
        .where(QuestionRow.retired.is_(False))
    )
    base = _matching(session, base, terms)
    if bank:
        base = base.where(BankRow.slug == bank)
    if tag:
        tagged = select(QuestionTagRow.question_id).where(QuestionTagRow.tag == tag)
        base = base.where(QuestionSearchRow.question_id.in_(tagged))
    if type:
        base = base.where(QuestionVersion.type == type)
    if difficulty is not None:
        base = base.where(QuestionVersion.difficulty == difficulty)
    if status:
        base = base.where(QuestionVersion.status == status)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        base.with_only_columns(
            BankRow.slug,
            QuestionRow.qid,
            QuestionVersion.version,
            QuestionVersion.type,
            QuestionVersion.difficulty,
            QuestionVersion.status,
            QuestionVersion.content,
        )
        .order_by(BankRow.slug, QuestionRow.position, QuestionRow.id)
        .offset(offset)
        .limit(limit)
    ).all()
    hits = tuple(
        Hit(
            bank=slug,
            qid=qid,
            version=version,
            type=kind,
            difficulty=level,
            status=state,
            tags=tuple(str(tag) for tag in content.get("tags", ())),
            snippet=snippet(str(content.get("text", "")), terms),
        )
        for slug, qid, version, kind, level, state, content in rows
    )
    return SearchPage(total, offset, limit, terms, hits)


def _matching(session: Session, base: Select[Any], terms: Sequence[str]) -> Select[Any]:
    """The query narrowed to rows whose body holds every term."""
    if not terms:
        return base
    body = QuestionSearchRow.body
    if session.get_bind().dialect.name != "sqlite":
        conditions: list[ColumnElement[bool]] = [
            body.like(like_pattern(term), escape="\\") for term in terms
        ]
        return base.where(*conditions)
    long_terms = [term for term in terms if len(term) >= TRIGRAM]
    if long_terms:
        expression = " AND ".join(fts_phrase(term) for term in long_terms)
        indexed = text(
            "SELECT rowid FROM question_search_fts WHERE question_search_fts MATCH :fts"
        ).bindparams(fts=expression)
        base = base.where(QuestionSearchRow.question_id.in_(indexed))
    # instr, not LIKE: SQLite's LIKE ignores case for ASCII only, PostgreSQL's LIKE never
    # does; both bodies are lower-cased already, so an exact substring test agrees with it.
    return base.where(*(func.instr(body, literal(term)) > 0 for term in terms))


def snippet(stem: str, terms: Sequence[str]) -> Snippet:
    """Up to :data:`SNIPPET` characters of the stem around its first match, with every match
    of any term marked (overlapping matches merged)."""
    spans = sorted(_spans(stem, terms))
    start = 0
    if spans and len(stem) > SNIPPET:
        start = max(0, min(spans[0][0] - SNIPPET // 4, len(stem) - SNIPPET))
    end = min(len(stem), start + SNIPPET)
    marks: list[tuple[int, int]] = []
    for found_start, found_end in spans:
        left, right = max(found_start, start) - start, min(found_end, end) - start
        if left >= right:
            continue
        if marks and left <= marks[-1][1]:
            marks[-1] = (marks[-1][0], max(marks[-1][1], right))
        else:
            marks.append((left, right))
    return Snippet(stem[start:end], tuple(marks), start > 0, end < len(stem))


def _spans(stem: str, terms: Sequence[str]) -> Iterator[tuple[int, int]]:
    """Where each term occurs in the stem, case-insensitively, in the stem's own positions."""
    lowered: list[str] = []
    origin: list[int] = []
    for position, char in enumerate(stem):
        for folded in char.lower():
            lowered.append(folded)
            origin.append(position)
    haystack = "".join(lowered)
    for term in terms:
        found = haystack.find(term)
        while found >= 0:
            yield origin[found], origin[found + len(term) - 1] + 1
            found = haystack.find(term, found + 1)


def facets(session: Session) -> Facets:
    """Banks, tags, types, difficulties and statuses of the indexed questions, sorted."""
    current = (QuestionVersion.question_id == QuestionSearchRow.question_id) & (
        QuestionVersion.id == QuestionSearchRow.version_id
    )
    kinds = session.execute(
        select(QuestionVersion.type, QuestionVersion.difficulty, QuestionVersion.status)
        .join(QuestionSearchRow, current)
        .distinct()
    ).all()
    banks = session.execute(
        select(BankRow.slug, BankRow.title)
        .where(BankRow.id.in_(select(QuestionSearchRow.bank_id)))
        .order_by(BankRow.slug)
    ).all()
    tags = session.scalars(select(QuestionTagRow.tag).distinct())
    return Facets(
        banks=tuple((slug, title) for slug, title in banks),
        tags=tuple(sorted(tags)),
        types=tuple(sorted({kind for kind, _, _ in kinds})),
        difficulties=tuple(sorted({level for _, level, _ in kinds})),
        statuses=tuple(sorted({state for _, _, state in kinds})),
    )
