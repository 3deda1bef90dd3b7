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
    SubmitAnswer,
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


def test_a_team_sees_its_own_status() -> None:
    state, _ = run(
        contest({"kind": "抢答"}),
        [StartRound(at=0), OpenQuestion(at=1), Buzz(at=2, team="lhasa"), ArmBuzzers(at=3)],
    )
    assert view(state, "team:lhasa")["you"]["locked_out"] is True
    assert view(state, "team:ngari")["you"]["can_buzz"] is True


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
