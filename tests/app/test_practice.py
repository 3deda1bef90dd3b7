"""The practice service without a server: answers judged once, refusals that change nothing, an
exam that ends by the clock."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from quiz.app import Services
from quiz.app.practice import TimeUp
from quiz.engine.questions import Question
from quiz.selftest.sittings import SittingError
from quiz.storage.models import AttemptRow, ReviewCardRow, UserRow
from tests.web.keys import bundled_questions, right_answer, wrong_answer
from tests.web.practice_fixtures import Clock


def new_user(services: Services) -> int:
    with services.sessions.begin() as session:
        row = UserRow(name="卓玛", detachment="拉萨支队")
        session.add(row)
        session.flush()
        return row.id


def key_of(sitting: dict[str, Any]) -> Question:
    shown = sitting["question"]
    return bundled_questions()[f"{shown['bank']}/{shown['id']}"]


def as_response(raw: Any) -> Any:
    """A response as the adapter passes it to the service (lists become tuples)."""
    return tuple(raw) if isinstance(raw, list) else raw


def count(services: Services, model: type) -> int:
    with services.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_an_answer_is_judged_once_and_a_wrong_one_fills_the_book(services: Services) -> None:
    user = new_user(services)
    sitting = services.practice.start(user, "practice", {"count": 2})
    first = services.practice.answer(
        user, sitting["id"], 0, as_response(wrong_answer(key_of(sitting)))
    )
    assert first["correct"] is False
    assert (count(services, AttemptRow), count(services, ReviewCardRow)) == (1, 1)
    with pytest.raises(SittingError) as replayed:
        services.practice.answer(user, sitting["id"], 0, as_response(right_answer(key_of(sitting))))
    assert replayed.value.code == "already_answered"
    assert (count(services, AttemptRow), count(services, ReviewCardRow)) == (1, 1)
    second = services.practice.answer(
        user, first["sitting"]["id"], 1, as_response(right_answer(key_of(first["sitting"])))
    )
    assert second["correct"] is True
    assert second["sitting"]["finished"] is True
    assert count(services, ReviewCardRow) == 1


def test_a_wrong_shaped_answer_is_refused_and_changes_nothing(services: Services) -> None:
    user = new_user(services)
    sitting = services.practice.start(user, "practice", {"count": 1})
    question = key_of(sitting)
    shaped_wrong = "一段文字" if question.type != "fill" else 3
    before = services.practice.view(user, sitting["id"])
    with pytest.raises(SittingError) as refused:
        services.practice.answer(user, sitting["id"], 0, shaped_wrong)
    assert refused.value.code == "bad_response"
    assert services.practice.view(user, sitting["id"]) == before
    assert count(services, AttemptRow) == 0


def test_an_exam_ends_at_its_deadline_and_its_unanswered_questions_enter_the_book(
    services: Services, clock: Clock
) -> None:
    user = new_user(services)
    exam = services.practice.start(user, "exam", {"count": 3, "minutes": 1})
    services.practice.answer(user, exam["id"], 0, as_response(right_answer(key_of(exam))))
    clock.advance(seconds=61)
    with pytest.raises(TimeUp) as late:
        services.practice.answer(user, exam["id"], 1, as_response(right_answer(key_of(exam))))
    assert late.value.sitting["finished"] is True
    assert late.value.sitting["finished_ms"] == exam["deadline_ms"]
    assert count(services, AttemptRow) == 1
    assert count(services, ReviewCardRow) == 2
