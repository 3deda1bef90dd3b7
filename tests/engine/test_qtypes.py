"""The question kinds: registry, response shapes, judging, the PK bot's answers, bank answers."""

from __future__ import annotations

import random
from dataclasses import replace
from functools import cache
from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.banks.loader import validate_paths
from quiz.engine.qtypes import MAX_OPTIONS, QUESTION_KINDS, OptionRule, QuestionKind, kind_of
from quiz.engine.qtypes.base import Keys
from quiz.engine.questions import QUESTION_TYPES, Question, QuestionType, Response, Translation
from quiz.resources import bundled_banks_dir
from tests.engine.factories import make_question, right_response, wrong_response

KINDS = list(QUESTION_KINDS.values())


def kind_id(kind: QuestionKind) -> str:
    return kind.name


@cache
def bundled_questions() -> tuple[Question, ...]:
    """Every question of the banks that ship with Leitai (read once: the banks are large)."""
    reports = validate_paths([str(bundled_banks_dir())])
    return tuple(q for report in reports if report.bank for q in report.bank.questions)


class FakeEntry:
    """A bank entry for reading answers without a YAML document: resolves texts and letters."""

    def __init__(self) -> None:
        self.errors: list[tuple[Keys, str, dict[str, Any]]] = []

    def at(self, *keys: str | int) -> Keys:
        return ("questions", 0, *keys)

    def error(self, path: Keys, code: str, **args: Any) -> None:
        self.errors.append((path, code, args))

    def describe(self, value: Any) -> dict[str, Any]:
        return {"raw": repr(value)}

    def resolve(self, path: Keys, value: Any, options: tuple[str, ...]) -> str | None:
        if value in options:
            return str(value)
        letters = "ABCDEFGH"[: len(options)]
        if isinstance(value, str) and len(value) == 1 and value in letters:
            return options[letters.index(value)]
        self.error(path, "not_an_option", answer=value)
        return None

    def texts(self, path: Keys, value: Any, what: str) -> tuple[str, ...] | None:
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
            return tuple(value)
        self.error(path, "not_text", what=what)
        return None


def test_the_registry_holds_every_type_once_in_the_documented_order() -> None:
    assert tuple(QUESTION_KINDS) == QUESTION_TYPES == get_args(QuestionType)
    assert all(name == kind.name for name, kind in QUESTION_KINDS.items())
    assert len({type(kind) for kind in KINDS}) == len(KINDS)
    with pytest.raises(TypeError):
        QUESTION_KINDS["yesno"] = QUESTION_KINDS["truefalse"]  # type: ignore[index]


@pytest.mark.parametrize("qtype", QUESTION_TYPES)
def test_kind_of_finds_the_kind_of_the_questions_type(qtype: QuestionType) -> None:
    assert kind_of(make_question(1, qtype)) is QUESTION_KINDS[qtype]


def test_option_rules() -> None:
    rules = {name: kind.options for name, kind in QUESTION_KINDS.items()}
    assert rules == {
        "single": OptionRule(required=True, minimum=2, maximum=MAX_OPTIONS),
        "multiple": OptionRule(required=True, minimum=2, maximum=MAX_OPTIONS),
        "truefalse": None,
        "fill": OptionRule(required=False, minimum=2, maximum=MAX_OPTIONS),
        "order": OptionRule(required=True, minimum=3, maximum=MAX_OPTIONS),
    }
    assert [name for name, kind in QUESTION_KINDS.items() if kind.translated_answers] == ["fill"]


# make_question gives single and multiple four options, order three.
FITTING: list[tuple[QuestionType, Response]] = [
    ("single", 0),
    ("single", 3),
    ("multiple", (3,)),
    ("multiple", (3, 0, 1, 2)),
    ("truefalse", False),
    ("fill", "x"),
    ("fill", "?"),
    ("order", (0, 1, 2)),
    ("order", (2, 1, 0)),
]
MISSHAPEN: list[tuple[QuestionType, Any]] = [
    ("single", 4),
    ("single", 7),
    ("single", -1),
    ("single", True),
    ("single", "乙"),
    ("single", (1,)),
    ("multiple", ()),
    ("multiple", (0, 0)),
    ("multiple", (0, 4)),
    ("multiple", (-1,)),
    ("multiple", (False, True)),
    ("multiple", 1),
    ("multiple", [0, 2]),
    ("truefalse", 1),
    ("truefalse", "true"),
    ("fill", ""),
    ("fill", " \t"),
    ("fill", 1951),
    ("fill", ("1951",)),
    ("order", (0, 1)),
    ("order", (0, 0, 1)),
    ("order", (0, 1, 3)),
    ("order", (False, True, 2)),
    ("order", (0, 1, 2, 3)),
    ("order", 0),
]


@pytest.mark.parametrize(("qtype", "response"), FITTING)
def test_responses_of_the_right_shape_fit(qtype: QuestionType, response: Response) -> None:
    assert QUESTION_KINDS[qtype].fits(make_question(1, qtype), response)


@pytest.mark.parametrize(("qtype", "response"), MISSHAPEN)
def test_responses_of_the_wrong_shape_do_not_fit_and_are_never_right(
    qtype: QuestionType, response: Any
) -> None:
    question = make_question(1, qtype)
    kind = QUESTION_KINDS[qtype]
    assert not kind.fits(question, response)
    assert not kind.is_correct(question, response)


@pytest.mark.parametrize("qtype", QUESTION_TYPES)
def test_the_key_is_right_and_a_fitting_other_response_is_wrong(qtype: QuestionType) -> None:
    question = make_question(1, qtype)
    kind = kind_of(question)
    assert kind.fits(question, right_response(question))
    assert kind.is_correct(question, right_response(question))
    assert kind.fits(question, wrong_response(question))
    assert not kind.is_correct(question, wrong_response(question))


@pytest.mark.parametrize(
    ("qtype", "sentence"),
    [
        ("single", "a single question takes one option index from 0 to 3"),
        (
            "multiple",
            "a multiple question takes a list of one or more different option indices from 0 to 3",
        ),
        ("truefalse", "a truefalse question takes true or false"),
        ("fill", "a fill question takes a typed answer that is not blank"),
        (
            "order",
            "an order question takes a list of every option index from 0 to 2 once, "
            "in the chosen order",
        ),
    ],
)
def test_a_refusal_says_what_shape_the_type_wants(qtype: QuestionType, sentence: str) -> None:
    question = make_question(1, qtype)
    assert kind_of(question).refusal(question) == sentence


@pytest.mark.parametrize("qtype", QUESTION_TYPES)
def test_the_bots_answers_to_each_type_are_judged_as_meant(qtype: QuestionType) -> None:
    question = make_question(1, qtype)
    kind = kind_of(question)
    right = kind.right_response(question)
    assert kind.fits(question, right)
    assert kind.is_correct(question, right)
    for seed in range(20):
        wrong = kind.wrong_response(question, random.Random(seed))
        assert kind.fits(question, wrong), wrong
        assert not kind.is_correct(question, wrong), wrong


@settings(max_examples=300, deadline=None)
@given(st.data(), st.integers(0, 2**32))
def test_over_the_bundled_banks_the_bot_is_right_only_when_it_means_to_be(
    data: st.DataObject, seed: int
) -> None:
    question = data.draw(st.sampled_from(bundled_questions()))
    kind = kind_of(question)
    right = kind.right_response(question)
    wrong = kind.wrong_response(question, random.Random(seed))
    assert kind.fits(question, right)
    assert kind.is_correct(question, right)
    assert kind.fits(question, wrong)
    assert not kind.is_correct(question, wrong)


def test_the_bundled_banks_have_every_type() -> None:
    assert {question.type for question in bundled_questions()} == set(QUESTION_TYPES)


@pytest.mark.parametrize("kind", KINDS, ids=kind_id)
def test_an_answer_written_out_reads_back_the_same(kind: QuestionKind) -> None:
    questions = [q for q in bundled_questions() if q.type == kind.name]
    assert questions
    for question in questions:
        entry = FakeEntry()
        data = kind.answer_to_data(question)
        assert kind.read_answer(entry, data, question.options) == question.answer
        assert entry.errors == []


@pytest.mark.parametrize(
    ("qtype", "raw", "path", "code", "args"),
    [
        ("truefalse", "对", ("answer",), "truefalse_answer_not_bool", {"raw": "'对'"}),
        ("single", ["A", "B"], ("answer",), "single_answer_list", {"count": 2}),
        ("single", "E", ("answer",), "not_an_option", {"answer": "E"}),
        ("multiple", "A", ("answer",), "multiple_answer_not_list", {"raw": "'A'"}),
        ("multiple", ["A"], ("answer",), "multiple_needs_two", {}),
        ("multiple", ["A", "甲"], ("answer", 1), "answer_repeated", {"answer": "甲"}),
        ("order", "A", ("answer",), "order_answer_not_list", {"raw": "'A'"}),
        ("order", ["A", "B"], ("answer",), "order_leaves_out", {"missing": "三"}),
        ("fill", "。", ("answer",), "fill_answer_blank", {}),
    ],
)
def test_a_bad_bank_answer_is_reported_where_it_is(
    qtype: QuestionType, raw: Any, path: Keys, code: str, args: dict[str, Any]
) -> None:
    question = make_question(1, qtype)
    entry = FakeEntry()
    assert QUESTION_KINDS[qtype].read_answer(entry, raw, question.options) is None
    assert entry.errors == [(entry.at(*path), code, args)]


def test_a_fill_answer_with_options_must_be_an_option_that_no_other_option_matches() -> None:
    fill = QUESTION_KINDS["fill"]
    entry = FakeEntry()
    assert fill.read_answer(entry, ["1951年", "1951"], ("1951年", "1959年")) == ("1951年", "1951")
    assert fill.read_answer(entry, "1952", ("1951年", "1959年")) is None
    assert fill.read_answer(entry, ["1951年", "1959"], ("1951年", "1959年")) is None
    assert [(where, code) for where, code, _ in entry.errors] == [
        (entry.at("answer"), "fill_first_not_option"),
        (entry.at("options", 1), "fill_option_matches_answer"),
    ]


def test_a_fill_question_accepts_its_translations_answers_too() -> None:
    question = make_question(1, "fill")
    fill = kind_of(question)
    assert not fill.is_correct(question, "nineteen fifty-one")
    translated = replace(question, translations={"en": Translation(answer=("nineteen fifty-one",))})
    assert fill.accepted_texts(translated) == ("1951", "nineteen fifty-one")
    assert fill.is_correct(translated, "Nineteen Fifty-One")
    assert translated.accepted_fill_answers() == fill.accepted_texts(translated)


@pytest.mark.parametrize("qtype", QUESTION_TYPES)
def test_question_methods_ask_the_kind(qtype: QuestionType) -> None:
    question = make_question(1, qtype)
    kind = kind_of(question)
    assert question.answer_indices() == kind.answer_indices(question)
    assert question.accepted_fill_answers() == kind.accepted_texts(question)
    expected = {"single": (1,), "multiple": (0, 2), "truefalse": (), "fill": (), "order": (2, 0, 1)}
    assert question.answer_indices() == expected[qtype]


@pytest.mark.parametrize(
    ("qtype", "separator"), [("single", "；"), ("multiple", "；"), ("fill", "；"), ("order", " → ")]
)
def test_a_key_reads_as_its_texts_in_order(qtype: QuestionType, separator: str) -> None:
    question = make_question(1, qtype)
    assert not isinstance(question.answer, bool)
    assert QUESTION_KINDS[qtype].key_words(question) == separator.join(question.answer)


def test_a_true_false_key_reads_in_chinese() -> None:
    question = make_question(1, "truefalse")
    assert QUESTION_KINDS["truefalse"].key_words(question) == (
        "正确" if question.answer is True else "错误"
    )
