"""Options in each contest's own order: one order for every role, the key remapped, replayable."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from quiz.engine.commands import (
    OpenQuestion,
    PromptAnswer,
    SetUpContest,
    StartRound,
    SubmitAnswer,
)
from quiz.engine.events import AnswerJudged
from quiz.engine.machine import new_contest, replay
from quiz.engine.questions import Question, Translation, is_correct
from quiz.engine.selection import plan_contest
from quiz.engine.serialization import command_from_dict, command_to_dict
from quiz.engine.shuffle import shuffled
from quiz.engine.state import ContestState
from quiz.engine.views import view
from tests.engine.factories import bank, make_question, rules, run

OPTIONS = ("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛")


def eight(number: int, **fields: Any) -> Question:
    """A single question with eight options (so a shuffle almost never leaves them in place)."""
    return replace(
        make_question(number),
        options=OPTIONS,
        answer=("丙",),
        translations={"en": Translation(options=tuple(f"O{i}" for i in range(8)))},
        **fields,
    )


def test_the_order_follows_the_seed_and_question_and_translations_move_with_it() -> None:
    question = eight(1)
    first = shuffled(question, 7)
    assert first == shuffled(question, 7)
    assert sorted(first.options) == sorted(OPTIONS)
    assert first.options != OPTIONS
    assert shuffled(question, 8).options != first.options
    english = first.translations["en"].options
    assert english is not None
    assert [OPTIONS[int(o[1:])] for o in english] == list(first.options)


def test_the_key_is_remapped_to_the_shown_position() -> None:
    first = shuffled(eight(1), 7)
    shown = first.options.index("丙")
    assert first.answer_indices() == (shown,)
    assert is_correct(first, shown)
    assert not is_correct(first, 2)


def test_order_questions_keep_their_sequence_as_texts() -> None:
    question = make_question(4, "order")
    first = shuffled(question, 11)
    assert first.answer == question.answer
    assert is_correct(first, first.answer_indices())


@pytest.mark.parametrize("qtype", ["truefalse", "fill"])
def test_questions_without_options_are_unchanged(qtype: Any) -> None:
    question = make_question(3, qtype)
    assert shuffled(question, 7) is question


def test_a_question_may_opt_out() -> None:
    question = eight(1, shuffle=False)
    assert shuffled(question, 7) is question


def compulsory(setting: bool | None, seed: int = 7, **fields: Any) -> ContestState:
    round_rules: dict[str, Any] = {"kind": "必答", "mode": "all", "questions": {"count": 3}}
    if setting is not None:
        round_rules["shuffle_options"] = setting
    rule_set = rules(round_rules)
    pool = tuple(eight(n, **fields) for n in range(1, 9))
    return new_contest("c1", rule_set, pool, plan_contest(rule_set, pool, seed), seed=seed)


def test_a_template_round_shuffles_only_when_it_says_so() -> None:
    on = compulsory(True)
    assert all(sorted(q.options) == sorted(OPTIONS) for q in on.questions.values())
    assert any(q.options != OPTIONS for q in on.questions.values())
    for shuffle in (False, None):
        assert all(q.options == OPTIONS for q in compulsory(shuffle).questions.values())


def test_the_per_question_opt_out_wins_over_the_round() -> None:
    state = compulsory(True, shuffle=False)
    assert all(q.options == OPTIONS for q in state.questions.values())


def test_the_log_replays_the_same_order() -> None:
    rule_set = rules({"kind": "必答", "shuffle_options": True, "questions": {"count": 3}})
    pool = tuple(eight(n) for n in range(1, 9))
    state = new_contest("c1", rule_set, pool, plan_contest(rule_set, pool, 5), seed=5)
    setup = SetUpContest(
        at=0,
        contest_id="c1",
        rules=rule_set,
        questions=pool,
        plan=plan_contest(rule_set, pool, 5),
        seed=5,
    )
    stored = command_from_dict(command_to_dict(setup))
    assert replay([stored]).questions == state.questions


def opened(state: ContestState) -> tuple[ContestState, str]:
    state, _ = run(state, [StartRound(at=0), OpenQuestion(at=1), PromptAnswer(at=2)])
    assert state.round is not None
    assert state.round.play is not None
    return state, state.round.play.question_id


ROLES = ["host", "screen", "audience", "team:lhasa", "team:ngari"]


def test_every_role_sees_the_one_shown_order_and_only_the_host_the_key() -> None:
    state, question_id = opened(compulsory(True))
    shown = state.questions[question_id].options
    assert shown != OPTIONS
    for role in ROLES:
        question = view(state, role)["question"]["question"]
        assert question["options"] == list(shown), role
        assert question["translations"]["en"]["options"] == list(
            state.questions[question_id].translations["en"].options or ()
        )
        if role != "host":
            assert "answer" not in question
            assert "answer_indices" not in question
    host = view(state, "host")["question"]["question"]
    assert host["answer_indices"] == [shown.index("丙")]


def test_a_phone_answer_is_judged_against_the_shown_order() -> None:
    state, question_id = opened(compulsory(True))
    shown = state.questions[question_id].options.index("丙")
    wrong = 2 if shown != 2 else 3
    state, events = run(
        state,
        [
            SubmitAnswer(at=3, team="lhasa", response=shown),
            SubmitAnswer(at=4, team="shigatse", response=wrong),
            SubmitAnswer(at=5, team="ngari", response=shown),
        ],
    )
    verdicts = {e.team: e.correct for e in events if isinstance(e, AnswerJudged)}
    assert verdicts == {"lhasa": True, "shigatse": False, "ngari": True}


def test_contests_without_the_setting_keep_bank_order() -> None:
    rule_set = rules({"kind": "必答", "questions": {"count": 3}})
    pool = bank(20, "single")
    state = new_contest("c1", rule_set, pool, plan_contest(rule_set, pool, 3), seed=3)
    assert {q.id: q for q in pool} == state.questions
