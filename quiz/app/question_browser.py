"""The organisers' bank browser: search the questions, list the filters' values, open one
question with its versions and answer statistics. Read-only: it writes nothing."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from quiz.app.errors import Refused
from quiz.storage import question_reads, search_repo
from quiz.storage.question_reads import QuestionDetail
from quiz.storage.search_repo import Facets, SearchPage


def search_questions(
    sessions: sessionmaker[Session],
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
    """One page of the active questions that hold every term of ``query`` and pass the filters."""
    with sessions() as session:
        return search_repo.search(
            session,
            query,
            bank=bank,
            tag=tag,
            type=type,
            difficulty=difficulty,
            status=status,
            offset=offset,
            limit=limit,
        )


def browser_facets(sessions: sessionmaker[Session]) -> Facets:
    """The banks, tags, types, difficulties and statuses the filters offer."""
    with sessions() as session:
        return search_repo.facets(session)


def question_detail(sessions: sessionmaker[Session], bank: str, qid: str) -> QuestionDetail:
    """A question with its versions and statistics; ``not_found`` if the bank has no such id."""
    with sessions() as session:
        detail = question_reads.question_detail(session, bank, qid)
    if detail is None:
        raise Refused("not_found", f"bank {bank} has no question {qid}")
    return detail
