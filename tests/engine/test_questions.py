"""Judging a response against a question's key, for every question type."""

from __future__ import annotations

import pytest

from quiz.engine.questions import Question, Response, is_correct


def make(question_type: str, answer: object, options: tuple[str, ...] = ()) -> Question:
    return Question(
        id="q",
        type=question_type,  # type: ignore[arg-type]
        text="?",
        answer=answer,  # type: ignore[arg-type]
        explanation="",
        source="",
        difficulty=1,
        tags=("t",),
        status="reviewed",
        options=options,
    )


OPTIONS = ("甲", "乙", "丙", "丁")


@pytest.mark.parametrize(
    ("question", "right", "wrong"),
    [
        (make("single", ("乙",), OPTIONS), [1], [0, 2, True, "乙", (1,)]),
        (
            make("multiple", ("甲", "丙"), OPTIONS),
            [(0, 2), (2, 0)],
            [(0,), (0, 2, 3), (0, 0, 2), 0],
        ),
        (make("order", ("丙", "甲", "乙"), OPTIONS[:3]), [(2, 0, 1)], [(0, 1, 2), (2, 0), 2]),
        (make("truefalse", True), [True], [False, 1, "true"]),
        (make("fill", ("1951年", "1951")), ["一九五一", "１９５１年"], ["1950", 1951, ""]),
    ],
    ids=["single", "multiple", "order", "truefalse", "fill"],
)
def test_is_correct(question: Question, right: list[Response], wrong: list[Response]) -> None:
    assert all(is_correct(question, response) for response in right)
    assert not any(is_correct(question, response) for response in wrong)


def test_booleans_are_not_indices() -> None:
    question = make("multiple", ("甲", "乙"), OPTIONS)
    assert not is_correct(question, (False, True))
