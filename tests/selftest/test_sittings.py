"""A sitting's answer rules: only the open position, once, and in an exam only in time."""

from __future__ import annotations

import pytest

from quiz.selftest.sittings import (
    Progress,
    SittingError,
    check_answer,
    exam_minutes,
    score,
)


def refusal(progress: Progress, position: int, now: int = 0) -> str:
    with pytest.raises(SittingError) as caught:
        check_answer(progress, position, now)
    return caught.value.code


def test_only_the_open_position_may_be_answered() -> None:
    progress = Progress("practice", count=5, answered=2, finished=False)
    check_answer(progress, 2, 0)
    assert refusal(progress, 1) == "already_answered"
    assert refusal(progress, 3) == "not_served"
    assert refusal(progress, 99) == "not_served"


def test_a_finished_sitting_takes_nothing() -> None:
    assert refusal(Progress("practice", 5, 5, finished=True), 5) == "finished"
    assert refusal(Progress("practice", 5, 5, finished=False), 5) == "not_served"


def test_an_exam_refuses_answers_from_its_deadline_on() -> None:
    exam = Progress("exam", 20, 3, finished=False, deadline_ms=10_000)
    check_answer(exam, 3, 9_999)
    assert refusal(exam, 3, 10_000) == "time_up"
    assert not exam.gives_feedback()
    assert Progress("review", 1, 0, False).gives_feedback()


def test_the_exam_and_the_daily_challenge_give_no_feedback_before_the_end() -> None:
    assert not Progress("daily", 10, 3, finished=False).gives_feedback()
    assert not Progress("exam", 10, 3, finished=False).gives_feedback()
    assert Progress("practice", 10, 3, finished=False).gives_feedback()


def test_scores_by_mode() -> None:
    assert score("exam", 17, 20) == 85
    assert score("exam", 1, 3) == 33
    assert score("exam", 2, 3) == 67
    assert score("exam", 0, 0) == 0
    assert score("daily", 7, 10) == 70
    assert score("practice", 4, 5) == 4
    assert score("pk", 3, 5, pk_points=412) == 412
    assert exam_minutes(30, None) == 30
    assert exam_minutes(30, 12) == 12
