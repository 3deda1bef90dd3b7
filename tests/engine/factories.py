"""Small builders for engine tests: a bank of every question type, rule sets, and a runner."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from quiz.engine.commands import Command
from quiz.engine.events import Event
from quiz.engine.machine import apply, new_contest
from quiz.engine.questions import Question, QuestionType
from quiz.engine.rules import RuleSet, ruleset_from_mapping
from quiz.engine.selection import plan_contest
from quiz.engine.state import ContestState

TEAMS = ("lhasa", "shigatse", "ngari")
_TYPES: tuple[QuestionType, ...] = ("single", "multiple", "truefalse", "fill", "order")


def make_question(number: int, qtype: QuestionType = "single", difficulty: int = 1) -> Question:
    """A question whose right response is known: see right_response()."""
    qid = f"q{number:03d}"
    options: tuple[str, ...] = ()
    answer: bool | tuple[str, ...]
    match qtype:
        case "single":
            options = ("甲", "乙", "丙", "丁")
            answer = ("乙",)
        case "multiple":
            options = ("甲", "乙", "丙", "丁")
            answer = ("甲", "丙")
        case "truefalse":
            answer = True
        case "fill":
            answer = ("1951",)
        case "order":
            options = ("一", "二", "三")
            answer = ("三", "一", "二")
    return Question(
        id=qid,
        type=qtype,
        text=f"题目 {number}",
        answer=answer,
        explanation=f"解析 {number}。",
        source="test",
        difficulty=difficulty,
        tags=("消防",),
        status="reviewed",
        options=options,
    )


def right_response(question: Question) -> Any:
    """The response is_correct accepts for a make_question question."""
    return {
        "single": 1,
        "multiple": (0, 2),
        "truefalse": True,
        "fill": "一九五一",
        "order": (2, 0, 1),
    }[question.type]


def wrong_response(question: Question) -> Any:
    """A well-formed response that is_correct rejects."""
    return {
        "single": 0,
        "multiple": (0,),
        "truefalse": False,
        "fill": "1959",
        "order": (0, 1, 2),
    }[question.type]


def bank(count: int = 60, qtype: QuestionType | None = None) -> tuple[Question, ...]:
    """count questions cycling through the types (or all of one type) and difficulties 1-5."""
    return tuple(
        make_question(n, qtype or _TYPES[n % len(_TYPES)], difficulty=1 + n % 5)
        for n in range(1, count + 1)
    )


def rules(
    *rounds: dict[str, Any],
    teams: Sequence[str] = TEAMS,
    players: dict[str, list[str]] | None = None,
    **top: Any,
) -> RuleSet:
    """A rule set from round mappings, with the given teams and a base score of 100."""
    rosters = players or {}
    data: dict[str, Any] = {
        "name": "test",
        "label": "测试 Test",
        "base_score": 100,
        "teams": [
            {"id": team, "name": team.title(), "players": rosters.get(team, [])} for team in teams
        ],
        "rounds": list(rounds),
    }
    data.update(top)
    return ruleset_from_mapping(data)


def contest(
    *rounds: dict[str, Any],
    teams: Sequence[str] = TEAMS,
    questions: Sequence[Question] | None = None,
    seed: int = 7,
    players: dict[str, list[str]] | None = None,
    **top: Any,
) -> ContestState:
    """A set-up contest in the lobby, its plan drawn from `questions` (default: bank())."""
    rule_set = rules(*rounds, teams=teams, players=players, **top)
    pool = tuple(questions) if questions is not None else bank()
    plan = plan_contest(rule_set, pool, seed)
    return new_contest("c1", rule_set, pool, plan, seed=seed)


def run(state: ContestState, commands: Iterable[Command]) -> tuple[ContestState, list[Event]]:
    """Apply commands in order, collecting every event."""
    events: list[Event] = []
    for command in commands:
        state, produced = apply(state, command)
        events.extend(produced)
    return state, events


def kinds(events: Iterable[Event]) -> list[str]:
    """Event class names, for asserting on a sequence."""
    return [type(event).__name__ for event in events]


def current_question(state: ContestState) -> Question:
    """The question in play."""
    assert state.round is not None
    assert state.round.play is not None
    return state.questions[state.round.play.question_id]
