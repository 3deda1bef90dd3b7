"""Views by role: JSON-able, answers only for the host until the reveal, frozen standings."""

from __future__ import annotations

import json

import pytest

from quiz.engine.commands import (
    AdjustScore,
    ArmBuzzers,
    Buzz,
    FreezeStandings,
    Judge,
    OpenQuestion,
    PromptAnswer,
    StartRound,
    StartWindow,
    SubmitAnswer,
    Tick,
    UndoJudgement,
)
from quiz.engine.legal import HOST_COMMAND_TYPES
from quiz.engine.views import UnknownRole, events_for, view
from tests.engine.factories import bank, contest, run

ROLES = ("host", "screen", "audience", "team:lhasa", "team:ngari")


def test_views_are_json_and_only_the_host_sees_the_answer_before_the_reveal() -> None:
    state, _ = run(contest({"kind": "抢答"}), [StartRound(at=0), OpenQuestion(at=1)])
    for role in ROLES:
        data = view(state, role)
        json.dumps(data)
        question = data["question"]["question"]
        assert ("answer" in question) == (role == "host")
        assert ("explanation" in question) == (role == "host")


def test_the_answer_reaches_everyone_after_the_reveal() -> None:
    state, _ = run(
        contest({"kind": "抢答"}),
        [
            StartRound(at=0),
            OpenQuestion(at=1),
            ArmBuzzers(at=2),
            Buzz(at=3, team="ngari"),
            Judge(at=4, team="ngari", correct=True),
        ],
    )
    assert all("answer" in view(state, role)["question"]["question"] for role in ROLES)


def test_other_teams_responses_stay_hidden_until_the_reveal() -> None:
    state, _ = run(
        contest({"kind": "必答", "mode": "all"}, questions=bank(20, "single")),
        [StartRound(at=0), OpenQuestion(at=1), PromptAnswer(at=2)],
    )
    state, events = run(state, [SubmitAnswer(at=3, team="lhasa", response=1)])
    assert events_for(state, events, "team:lhasa")[0]["response"] == 1
    assert events_for(state, events, "team:ngari")[0]["response"] is None
    assert events_for(state, events, "host")[0]["response"] == 1
    assert view(state, "team:ngari")["question"]["submissions"] == []


def test_the_host_sees_what_a_team_answered_also_while_re_judging() -> None:
    state, _ = run(
        contest({"kind": "必答"}, questions=bank(20, "single")),
        [
            StartRound(at=0),
            OpenQuestion(at=1),
            PromptAnswer(at=2),
            SubmitAnswer(at=3, team="lhasa", response=2),
        ],
    )
    answer = {
        "judgement_id": 1,
        "team": "lhasa",
        "response": 2,
        "correct": False,
        "by": "auto",
        "at": 3,
        "undone": False,
    }
    assert view(state, "host")["question"]["answers"] == [answer]
    state, _ = run(state, [UndoJudgement(at=4)])
    host = view(state, "host")["question"]
    assert (host["step"], host["answers"]) == ("judging", [{**answer, "undone": True}])
    for role in ROLES[1:]:
        assert "answers" not in view(state, role)["question"]
    state, _ = run(state, [Judge(at=5, team="lhasa", correct=True)])
    assert view(state, "host")["question"]["answers"][1:] == [
        {**answer, "judgement_id": 2, "correct": True, "by": "host", "at": 5}
    ]


def test_frozen_standings_hide_new_scores_from_all_but_the_host() -> None:
    state, _ = run(contest({"kind": "抢答"}), [FreezeStandings(at=0)])
    state, events = run(state, [AdjustScore(at=1, team="ngari", delta=50, note="x")])
    assert view(state, "screen")["standings"][0]["score"] == 100
    assert view(state, "host")["standings"][0] == {
        **view(state, "host")["standings"][0],
        "team": "ngari",
        "score": 150,
    }
    assert events_for(state, events, "audience") == []


def test_frozen_standings_send_no_score_change_in_any_event_but_the_hosts() -> None:
    state, _ = run(
        contest({"kind": "抢答", "early_press": "foul"}),
        [StartRound(at=0), FreezeStandings(at=1), OpenQuestion(at=2)],
    )
    state, events = run(
        state,
        [
            Buzz(at=3, team="lhasa"),
            ArmBuzzers(at=4),
            Buzz(at=5, team="ngari"),
            Judge(at=6, team="ngari", correct=True),
        ],
    )
    for role in ROLES[1:]:
        sent = events_for(state, events, role)
        assert [e["kind"] for e in sent if e["kind"] in ("ScoreChanged", "AnswerJudged")] == [
            "AnswerJudged"
        ]
        assert [
            (e["kind"], e.get("delta"), e.get("penalty"))
            for e in sent
            if e["kind"]
            in (
                "AnswerJudged",
                "FoulCommitted",
            )
        ] == [("FoulCommitted", None, None), ("AnswerJudged", None, None)]
    host = events_for(state, events, "host")
    assert [e["delta"] for e in host if e["kind"] == "AnswerJudged"] == [10]
    assert [e["penalty"] for e in host if e["kind"] == "FoulCommitted"] == [10]


def test_a_parallel_rapid_lane_never_learns_another_lanes_verdicts_before_the_reveal() -> None:
    state, _ = run(
        contest(
            {"kind": "快问快答", "mode": "all", "rapid_window_seconds": 60},
            questions=bank(40, "truefalse"),
        ),
        [StartRound(at=0), StartWindow(at=10)],
    )
    state, events = run(state, [SubmitAnswer(at=20, team="lhasa", response=True)])
    judged = {e["kind"] for e in events_for(state, events, "team:ngari")}
    assert not judged & {"AnswerJudged", "ScoreChanged"}
    assert {"AnswerJudged", "ScoreChanged"} <= {
        e["kind"] for e in events_for(state, events, "host")
    }
    assert {"AnswerJudged"} <= {e["kind"] for e in events_for(state, events, "team:lhasa")}
    ngari = view(state, "team:ngari")
    assert {s["team"]: s["score"] for s in ngari["standings"]}["lhasa"] == 100
    assert [lane["correct"] for lane in ngari["round"]["rapid"]["lanes"]] == [None, None, 0]
    lhasa = view(state, "team:lhasa")
    assert {s["team"]: s["score"] for s in lhasa["standings"]}["lhasa"] == 110
    assert lhasa["you"]["score"] == 110
    assert {s["team"]: s["score"] for s in view(state, "host")["standings"]}["lhasa"] == 110
    state, _ = run(state, [Tick(at=60_010)])
    ngari = view(state, "team:ngari")
    assert {s["team"]: s["score"] for s in ngari["standings"]}["lhasa"] == 110


def test_no_tag_reaches_a_non_host_before_the_reveal() -> None:
    state, _ = run(contest({"kind": "抢答"}), [StartRound(at=0), OpenQuestion(at=1)])
    assert view(state, "host")["question"]["question"]["tags"] == ["消防"]
    for role in ROLES[1:]:
        assert view(state, role)["question"]["question"]["tags"] == []
    state, _ = run(
        state, [ArmBuzzers(at=2), Buzz(at=3, team="ngari"), Judge(at=4, team="ngari", correct=True)]
    )
    for role in ROLES:
        assert view(state, role)["question"]["question"]["tags"] == ["消防"]


def test_a_parallel_rapid_lane_shows_no_tags_before_the_reveal() -> None:
    state, _ = run(
        contest({"kind": "快问快答", "mode": "all"}, questions=bank(40, "single")),
        [StartRound(at=0), StartWindow(at=10)],
    )
    lanes = view(state, "team:ngari")["round"]["rapid"]["lanes"]
    assert [lane["question"]["tags"] for lane in lanes if "question" in lane] == [[]]


def test_a_team_sees_its_own_status() -> None:
    state, _ = run(
        contest({"kind": "抢答", "early_press": "foul"}),
        [StartRound(at=0), OpenQuestion(at=1), Buzz(at=2, team="lhasa"), ArmBuzzers(at=3)],
    )
    assert view(state, "team:lhasa")["you"]["locked_out"] is True
    assert view(state, "team:ngari")["you"]["can_buzz"] is True


def test_a_team_sees_the_end_of_its_own_early_press_lockout_and_no_other_teams() -> None:
    round_spec = {"kind": "抢答", "early_press": "lockout", "early_lockout_ms": 1500}
    state, _ = run(
        contest(round_spec), [StartRound(at=0), OpenQuestion(at=1), Buzz(at=2345, team="lhasa")]
    )
    assert view(state, "team:lhasa")["you"]["early_until"] == 3845
    assert view(state, "team:ngari")["you"]["early_until"] is None
    for role in ("host", "screen", "audience"):
        assert "3845" not in json.dumps(view(state, role)), role
    state, _ = run(
        state,
        [
            ArmBuzzers(at=2400),
            Buzz(at=2500, team="ngari"),
            Judge(at=2600, team="ngari", correct=True),
        ],
    )
    assert view(state, "team:lhasa")["you"]["early_until"] is None  # the question closed


def test_the_host_view_has_no_flags_the_legal_moves_replaced() -> None:
    state, _ = run(
        contest({"kind": "抢答"}),
        [
            StartRound(at=0),
            OpenQuestion(at=1),
            ArmBuzzers(at=2),
            Buzz(at=3, team="ngari"),
            Judge(at=4, team="ngari", correct=False),
        ],
    )
    seen = view(state, "host")
    assert "undo_available" not in seen
    assert "replace_available" not in seen
    assert seen["legal"]["UndoJudgement"]["ok"] is True


@pytest.mark.parametrize(("rule", "lockout_ms"), [("lockout", 1500), ("foul", 500), ("ignore", 0)])
def test_every_role_sees_the_rounds_early_press_rule(rule: str, lockout_ms: int) -> None:
    round_spec = {"kind": "抢答", "early_press": rule, "early_lockout_ms": lockout_ms}
    state, _ = run(contest(round_spec), [StartRound(at=0), OpenQuestion(at=1)])
    for role in ROLES:
        seen = view(state, role)["round"]
        assert (seen["early_press"], seen["early_lockout_ms"]) == (rule, lockout_ms), role


def test_unknown_roles_are_refused() -> None:
    with pytest.raises(UnknownRole):
        view(contest({"kind": "抢答"}), "team:nobody")


def test_only_the_hosts_view_says_which_host_commands_are_legal() -> None:
    state, _ = run(
        contest({"kind": "抢答"}),
        [StartRound(at=0), OpenQuestion(at=1), ArmBuzzers(at=2), Buzz(at=3, team="ngari")],
    )
    legal = view(state, "host")["legal"]
    assert list(legal) == list(HOST_COMMAND_TYPES)
    assert legal["Judge"] == {"ok": True, "teams": ["ngari"]}
    assert legal["ArmBuzzers"] == {"ok": False}
    assert legal["OpenQuestion"] == {"ok": False, "teams": [], "default": False}
    assert legal["ChooseTier"] == {"ok": False, "teams": [], "tiers": {}}
    assert legal["ReplaceQuestion"] == {"ok": True, "default": True}
    json.dumps(legal)
    for role in ROLES[1:]:
        assert "legal" not in view(state, role)
