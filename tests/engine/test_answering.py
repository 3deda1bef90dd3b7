"""必答 and PK answering: the 请回答 prompt, device auto-judging, parallel answers, speed points."""

from __future__ import annotations

import pytest

from quiz.engine.commands import (
    ArmBuzzers,
    Buzz,
    EndRound,
    Judge,
    OpenQuestion,
    PromptAnswer,
    StartRound,
    SubmitAnswer,
    Tick,
)
from quiz.engine.errors import BadResponse, CommandRefused, ContestError, NotPermitted, WrongPhase
from quiz.engine.events import AnswerJudged, PlacementDecided
from quiz.engine.machine import apply
from quiz.engine.questions import QUESTION_TYPES, QuestionType
from tests.engine.factories import (
    bank,
    contest,
    current_question,
    right_response,
    run,
    wrong_response,
)

DEVICE_BUZZER = {"kind": "抢答", "answer_input": "device", "questions": {"count": 3}}


def test_turns_follow_seat_order_and_answers_before_the_prompt_are_invalid() -> None:
    state, _ = run(contest({"kind": "必答"}), [StartRound(at=0), OpenQuestion(at=10)])
    assert state.round is not None
    assert state.round.play is not None
    assert state.round.play.answering == ("lhasa",)
    with pytest.raises(NotPermitted, match="请回答"):
        apply(state, SubmitAnswer(at=20, team="lhasa", response=0))
    state, _ = run(state, [PromptAnswer(at=30)])
    with pytest.raises(NotPermitted):
        apply(state, SubmitAnswer(at=40, team="ngari", response=0))
    state, _ = run(state, [Tick(at=30 + 30_000), OpenQuestion(at=40_000)])
    assert state.round is not None
    assert state.round.play is not None
    assert state.round.play.answering == ("shigatse",)


@pytest.mark.parametrize("qtype", QUESTION_TYPES)
def test_every_question_type_is_judged_automatically(qtype: str) -> None:
    questions = bank(20, qtype)  # type: ignore[arg-type]
    state, _ = run(
        contest({"kind": "必答"}, questions=questions),
        [StartRound(at=0), OpenQuestion(at=10), PromptAnswer(at=20)],
    )
    item = current_question(state)
    right, _ = run(state, [SubmitAnswer(at=30, team="lhasa", response=right_response(item))])
    wrong, _ = run(state, [SubmitAnswer(at=30, team="lhasa", response=wrong_response(item))])
    assert (right.totals["lhasa"], wrong.totals["lhasa"]) == (110, 100)


def test_the_host_judges_a_spoken_answer() -> None:
    state, _events = run(
        contest({"kind": "必答", "answer_input": "spoken"}),
        [
            StartRound(at=0),
            OpenQuestion(at=10),
            PromptAnswer(at=20),
            Judge(at=25, team="lhasa", correct=True),
        ],
    )
    assert state.totals["lhasa"] == 110
    with pytest.raises(NotPermitted, match="spoken"):
        run(
            state,
            [
                OpenQuestion(at=30),
                PromptAnswer(at=31),
                SubmitAnswer(at=32, team="shigatse", response=1),
            ],
        )


@pytest.mark.parametrize(
    "round_rules",
    [
        {"kind": "必答", "answer_input": "spoken"},
        {"kind": "擂台", "answer_input": "spoken", "defender": "seat"},
    ],
)
def test_a_spoken_answer_is_never_judged_by_the_clock(round_rules: dict[str, str]) -> None:
    state, _ = run(
        contest(round_rules),
        [StartRound(at=0), OpenQuestion(at=10), PromptAnswer(at=20)]
        if round_rules["kind"] == "必答"
        else [StartRound(at=0), OpenQuestion(at=10)],
    )
    assert state.round is not None
    assert state.round.play is not None
    team = state.round.play.answering[0]
    state, events = run(state, [Tick(at=10 * 60_000)])
    assert events == []
    assert state.round is not None
    assert state.round.play is not None
    assert (state.round.play.step, state.round.play.deadline) == ("judging", None)
    assert state.totals[team] == 100
    state, events = run(state, [Judge(at=10 * 60_000 + 5, team=team, correct=True)])
    judged = [e for e in events if isinstance(e, AnswerJudged)]
    assert [(j.team, j.by, j.correct) for j in judged] == [(team, "host", True)]
    assert state.totals[team] > 100


def test_a_silent_device_answer_is_still_wrong_at_the_deadline() -> None:
    state, events = run(
        contest({"kind": "必答", "deduction": 5}),
        [StartRound(at=0), OpenQuestion(at=10), PromptAnswer(at=20), Tick(at=20 + 30_000)],
    )
    judged = [e for e in events if isinstance(e, AnswerJudged)]
    assert [(j.team, j.by, j.delta) for j in judged] == [("lhasa", "timeout", -5)]
    assert state.totals["lhasa"] == 95


def test_all_at_once_answers_are_judged_together_when_the_last_arrives() -> None:
    state, _ = run(
        contest({"kind": "必答", "mode": "all"}, questions=bank(20, "single")),
        [StartRound(at=0), OpenQuestion(at=10), PromptAnswer(at=20)],
    )
    state, events = run(
        state,
        [
            SubmitAnswer(at=30, team="lhasa", response=1),
            SubmitAnswer(at=31, team="ngari", response=0),
        ],
    )
    assert not any(isinstance(e, AnswerJudged) for e in events)
    with pytest.raises(NotPermitted, match="already"):
        apply(state, SubmitAnswer(at=32, team="lhasa", response=0))
    state, events = run(state, [SubmitAnswer(at=33, team="shigatse", response=1)])
    judged = {e.team: e.correct for e in events if isinstance(e, AnswerJudged)}
    assert judged == {"lhasa": True, "shigatse": True, "ngari": False}
    assert state.totals == {"lhasa": 110, "shigatse": 110, "ngari": 100}


def test_members_answering_alone_score_the_team_mean() -> None:
    state = contest(
        {"kind": "必答", "mode": "all", "members_answer": "individual", "team_scoring": "mean"},
        questions=bank(20, "single"),
        teams=("a", "b"),
        players={"a": ["a1", "a2", "a3"], "b": ["b1"]},
    )
    state, _ = run(
        state,
        [
            StartRound(at=0),
            OpenQuestion(at=10),
            PromptAnswer(at=20),
            SubmitAnswer(at=30, team="a", player="a1", response=1),
            SubmitAnswer(at=31, team="a", player="a2", response=1),
            SubmitAnswer(at=32, team="b", player="b1", response=1),
            Tick(at=20 + 30_000),
        ],
    )
    assert state.totals == {"a": 107, "b": 110}


def test_pk_scores_speed_and_places_the_players() -> None:
    state, _ = run(
        contest(
            {"kind": "PK", "points": 100, "questions": {"count": 2}},
            questions=bank(20, "single"),
            teams=("red", "blue"),
        ),
        [StartRound(at=0), OpenQuestion(at=0)],
    )
    state, _ = run(
        state,
        [
            SubmitAnswer(at=10_000, team="red", response=1),
            SubmitAnswer(at=2_000, team="blue", response=1),
            OpenQuestion(at=30_000),
            SubmitAnswer(at=30_000, team="red", response=1),
            SubmitAnswer(at=31_000, team="blue", response=0),
        ],
    )
    assert state.totals == {"red": 100 + 75 + 100, "blue": 100 + 95}
    assert state.results[0].placements == ("red", "blue")


def test_host_can_end_a_pk_early_with_a_placement() -> None:
    _state, events = run(
        contest({"kind": "PK"}, questions=bank(20, "single"), teams=("red", "blue")),
        [
            StartRound(at=0),
            OpenQuestion(at=0),
            SubmitAnswer(at=1, team="blue", response=1),
            Tick(at=20_000),
            EndRound(at=21_000),
        ],
    )
    assert [e.placements for e in events if isinstance(e, PlacementDecided)] == [("blue", "red")]


# make_question gives single and multiple four options, order three.
MISSHAPEN = [
    ("single", "乙", "a single question takes one option index from 0 to 3"),
    ("single", 7, "a single question takes one option index from 0 to 3"),
    ("single", True, "a single question takes one option index from 0 to 3"),
    ("multiple", (0, 0), "a multiple question takes a list of one or more different option"),
    ("multiple", 0, "a multiple question takes a list of one or more different option"),
    ("truefalse", 1, "a truefalse question takes true or false"),
    ("fill", "  ", "a fill question takes a typed answer that is not blank"),
    ("order", (0, 1), "an order question takes a list of every option index from 0 to 2 once"),
]


@pytest.mark.parametrize(("qtype", "response", "message"), MISSHAPEN)
def test_a_misshapen_answer_is_refused_and_changes_nothing(
    qtype: QuestionType, response: object, message: str
) -> None:
    state, _ = run(
        contest({"kind": "必答"}, questions=bank(20, qtype)),
        [StartRound(at=0), OpenQuestion(at=10), PromptAnswer(at=20)],
    )
    ledger, totals, judgements = state.ledger, dict(state.totals), state.judgements
    with pytest.raises(BadResponse, match=message) as refused:
        apply(state, SubmitAnswer(at=30, team="lhasa", response=response))  # type: ignore[arg-type]
    assert refused.value.code == "bad_response"
    assert refused.value.command == "SubmitAnswer"
    assert (state.ledger, state.totals, state.judgements) == (ledger, totals, judgements)
    good = SubmitAnswer(at=31, team="lhasa", response=right_response(current_question(state)))
    after, events = apply(state, good)
    assert [e.correct for e in events if isinstance(e, AnswerJudged)] == [True]
    assert after.totals["lhasa"] == 110


def test_a_misshapen_parallel_answer_is_refused_and_the_team_may_still_answer() -> None:
    state, _ = run(
        contest({"kind": "必答", "mode": "all"}, questions=bank(20, "single")),
        [
            StartRound(at=0),
            OpenQuestion(at=10),
            PromptAnswer(at=20),
            SubmitAnswer(at=30, team="ngari", response=1),
        ],
    )
    assert state.round is not None
    assert state.round.play is not None
    handed_in = state.round.play.submissions
    with pytest.raises(BadResponse, match="from 0 to 3"):
        apply(state, SubmitAnswer(at=31, team="lhasa", response=(1, 2)))
    assert state.round.play.submissions == handed_in
    state, _ = run(
        state,
        [
            SubmitAnswer(at=32, team="lhasa", response=1),
            SubmitAnswer(at=33, team="shigatse", response=0),
        ],
    )
    assert state.totals == {"lhasa": 110, "shigatse": 100, "ngari": 110}


def test_who_may_answer_is_checked_before_what_the_answer_looks_like() -> None:
    state, _ = run(
        contest({"kind": "必答"}, questions=bank(20, "single")),
        [StartRound(at=0), OpenQuestion(at=10), PromptAnswer(at=20)],
    )
    with pytest.raises(NotPermitted, match="not answering"):
        apply(state, SubmitAnswer(at=30, team="ngari", response="乙"))


def test_refusals_carry_a_stable_protocol_code() -> None:
    assert issubclass(BadResponse, CommandRefused)
    assert BadResponse.code == "bad_response"
    assert ContestError.code == CommandRefused.code == WrongPhase.code == "refused"
    assert NotPermitted("SubmitAnswer", "x", "y").code == "refused"


def test_the_member_who_typed_the_answer_is_credited_over_the_one_who_buzzed() -> None:
    state = contest(DEVICE_BUZZER, questions=bank(20, "single"))
    state, _ = run(
        state,
        [
            StartRound(at=0),
            OpenQuestion(at=10),
            ArmBuzzers(at=20),
            Buzz(at=30, team="lhasa", player="dawa"),
            SubmitAnswer(at=40, team="lhasa", player="pema", response=1),
        ],
    )
    assert [(j.player, j.correct) for j in state.judgements] == [("pema", True)]
    assert state.member_buzzes == {"dawa": 1}
    assert state.member_correct() == {"pema": 1}


def test_an_unnamed_typed_answer_is_credited_to_the_member_who_buzzed() -> None:
    state = contest(DEVICE_BUZZER, questions=bank(20, "single"))
    state, _ = run(
        state,
        [
            StartRound(at=0),
            OpenQuestion(at=10),
            ArmBuzzers(at=20),
            Buzz(at=30, team="lhasa", player="dawa"),
            SubmitAnswer(at=40, team="lhasa", response=1),
        ],
    )
    assert state.member_correct() == {"dawa": 1}


def test_a_turn_answer_and_a_silence_credit_their_members() -> None:
    state, _ = run(
        contest({"kind": "必答"}, questions=bank(20, "single")),
        [
            StartRound(at=0),
            OpenQuestion(at=10),
            PromptAnswer(at=20),
            SubmitAnswer(at=30, team="lhasa", player="dawa", response=1),
            OpenQuestion(at=40),
            PromptAnswer(at=50),
            Tick(at=50 + 30_000),
        ],
    )
    assert [(j.team, j.player, j.by) for j in state.judgements] == [
        ("lhasa", "dawa", "auto"),
        ("shigatse", None, "timeout"),
    ]


def test_members_answering_alone_credit_the_first_right_member() -> None:
    state = contest(
        {"kind": "必答", "mode": "all", "members_answer": "individual"},
        questions=bank(20, "single"),
        teams=("a", "b"),
        players={"a": ["a1", "a2"], "b": ["b1"]},
    )
    state, _ = run(
        state,
        [
            StartRound(at=0),
            OpenQuestion(at=10),
            PromptAnswer(at=20),
            SubmitAnswer(at=30, team="a", player="a1", response=0),
            SubmitAnswer(at=31, team="a", player="a2", response=1),
            SubmitAnswer(at=32, team="b", player="b1", response=0),
        ],
    )
    assert [(j.team, j.player, j.correct) for j in state.judgements] == [
        ("a", "a2", True),
        ("b", "b1", False),
    ]
    assert state.member_correct() == {"a2": 1}


def test_a_team_answer_in_parallel_credits_the_member_who_sent_it() -> None:
    state, _ = run(
        contest({"kind": "必答", "mode": "all"}, questions=bank(20, "single"), teams=("a", "b")),
        [
            StartRound(at=0),
            OpenQuestion(at=10),
            PromptAnswer(at=20),
            SubmitAnswer(at=30, team="a", player="dawa", response=1),
        ],
    )
    with pytest.raises(NotPermitted, match="already handed in"):
        apply(state, SubmitAnswer(at=31, team="a", player="pema", response=0))
    state, _ = run(state, [SubmitAnswer(at=32, team="b", player="norbu", response=1)])
    assert [(j.team, j.player) for j in state.judgements] == [("a", "dawa"), ("b", "norbu")]
    assert state.member_correct() == {"dawa": 1, "norbu": 1}
