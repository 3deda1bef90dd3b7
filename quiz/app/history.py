"""The one writer of a player's self-test history: sittings, their answers and the book.

A practice answer, an exam that runs out and a finished PK match all record through these
functions, so an answer is stored, and its wrong-answer card filed, the same way whichever
path it came from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from quiz.engine.questions import Response
from quiz.selftest import leitner
from quiz.storage import selftest_repo as repo
from quiz.storage.models import SittingRow


def plain_response(response: Response | None) -> Any:
    """A response as JSON stores it (tuples become lists)."""
    return list(response) if isinstance(response, tuple) else response


def record_answer(
    session: Session,
    sitting: SittingRow,
    position: int,
    item: repo.PoolQuestion,
    response: Response | None,
    correct: bool,
    answered_ms: int,
    today: dt.date,
    *,
    file: bool = True,
) -> None:
    """Store one judged answer of a sitting and file its card in the wrong-answer book, unless
    ``file`` is False: a sitting that gives no feedback files its cards when it finishes, since
    a card shows the key."""
    repo.add_attempt(
        session,
        sitting,
        position,
        item.version_id,
        plain_response(response),
        correct,
        answered_ms,
    )
    if file:
        file_card(session, sitting.user_id, sitting.mode, item, correct, response, today)


def file_card(
    session: Session,
    user_id: int,
    mode: str,
    item: repo.PoolQuestion,
    correct: bool,
    response: Response | None,
    today: dt.date,
) -> None:
    """Review answers move their card; any other wrong answer puts the question in box 1."""
    row = repo.card_of(session, user_id, item.question_id)
    if mode == "review" and row is not None:
        card = leitner.after_review(repo.card_value(row), correct, today)
    elif not correct:
        card = leitner.after_wrong_answer(repo.card_value(row) if row is not None else None, today)
    else:
        return
    repo.store_card(
        session, row, card, user_id=user_id, item=item, response=plain_response(response)
    )
