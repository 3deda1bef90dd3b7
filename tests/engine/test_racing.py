"""抢答 rounds: arming, fouls and escalation, one winner, rebounds, timeouts, fairness."""

from __future__ import annotations

from typing import Any

import pytest

from quiz.engine.commands import ArmBuzzers, Buzz, Judge, OpenQuestion, StartRound, SyncClock, Tick
from quiz.engine.errors import WrongPhase
from quiz.engine.events import (
    AnswerJudged,
    BuzzIgnored,
    BuzzRaceDecided,
    BuzzTrailed,
    FoulCommitted,
    QuestionClosed,
    TeamBarred,
)
from quiz.engine.machine import apply
from quiz.engine.state import ContestState
from tests.engine.factories import contest, kinds, run


def buzzer_round(**rules: Any) -> ContestState:
    state = contest({"kind": "抢答", "questions": {"count": 4}, **rules})
    state, _ = run(state, [StartRound(at=0), OpenQuestion(at=100)])
    return state


def test_first_arrival_wins_and_later_buzzes_show_their_margin() -> None:
    _state, events = run(
        buzzer_round(),
        [
            ArmBuzzers(at=1000),
            Buzz(at=1200, team="ngari"),
            Buzz(at=1237, team="lhasa"),
            Buzz(at=1300, team="ngari"),
        ],
    )
    decided = [e for e in events if isinstance(e, BuzzRaceDecided)]
    assert [d.winner for d in decided] == ["ngari"]
    assert [e for e in events if isinstance(e, BuzzTrailed)] == [
        BuzzTrailed(at=1237, team="lhasa", margin_ms=37)
    ]
    assert isinstance(events[-1], BuzzIgnored)
    assert events[-1].reason == "already_buzzed"


def test_buzz_before_arming_is_a_foul_and_locks_the_team_out() -> None:
    state, events = run(buzzer_round(early_press="foul"), [Buzz(at=500, team="lhasa")])
    assert kinds(events) == ["FoulCommitted", "ScoreChanged"]
    assert state.totals["lhasa"] == 90
    state, events = run(state, [ArmBuzzers(at=1000), Buzz(at=1100, team="lhasa")])
    assert events[-1] == BuzzIgnored(at=1100, team="lhasa", reason="locked_out")


def test_by_default_an_early_press_is_no_foul_but_a_brief_lockout() -> None:
    state, events = run(buzzer_round(), [Buzz(at=500, team="lhasa")])
    assert events == [BuzzIgnored(at=500, team="lhasa", reason="buzzers_not_armed")]
    assert state.totals["lhasa"] == 100
    assert state.round is not None
    assert state.round.fouls == {}
    state, events = run(
        state,
        [
            ArmBuzzers(at=700),
            Buzz(at=999, team="lhasa"),
            Buzz(at=1000, team="lhasa"),
        ],
    )
    assert events[1] == BuzzIgnored(at=999, team="lhasa", reason="early_lockout")
    assert kinds(events)[2:] == ["BuzzAccepted", "BuzzRaceDecided", "AnswerWindowOpened"]
    assert state.totals["lhasa"] == 100


def test_a_press_during_the_countdown_locks_only_that_team_for_the_lockout() -> None:
    state, events = run(
        buzzer_round(early_lockout_ms=300),
        [
            ArmBuzzers(at=1000, countdown_ms=3000),
            Buzz(at=3900, team="ngari"),
            Buzz(at=4100, team="ngari"),
            Buzz(at=4150, team="lhasa"),
        ],
    )
    reasons = [e.reason for e in events if isinstance(e, BuzzIgnored)]
    assert reasons == ["buzzers_not_armed", "early_lockout"]
    decided = [e for e in events if isinstance(e, BuzzRaceDecided)]
    assert [d.winner for d in decided] == ["lhasa"]
    assert state.totals["ngari"] == 100


def test_early_press_ignore_drops_the_press_and_locks_nothing() -> None:
    state, events = run(
        buzzer_round(early_press="ignore"),
        [Buzz(at=500, team="lhasa"), ArmBuzzers(at=600), Buzz(at=601, team="lhasa")],
    )
    assert events[0] == BuzzIgnored(at=500, team="lhasa", reason="buzzers_not_armed")
    assert [d.winner for d in events if isinstance(d, BuzzRaceDecided)] == ["lhasa"]
    assert state.totals["lhasa"] == 100


def test_a_team_still_tapping_after_a_rebound_is_not_fouled_again() -> None:
    state, events = run(
        buzzer_round(early_press="foul", rebound="all"),
        [
            ArmBuzzers(at=1000),
            Buzz(at=1100, team="ngari"),
            Buzz(at=1150, team="lhasa"),
            Judge(at=2000, team="ngari", correct=False),
            Buzz(at=2100, team="lhasa"),
            Buzz(at=2200, team="shigatse"),
        ],
    )
    assert BuzzIgnored(at=2100, team="lhasa", reason="buzzers_not_armed") in events
    fouls = [(e.team, e.count) for e in events if isinstance(e, FoulCommitted)]
    assert fouls == [("shigatse", 1)]
    assert state.totals == {"lhasa": 100, "shigatse": 90, "ngari": 90}
    state, events = run(state, [ArmBuzzers(at=3000), Buzz(at=3400, team="lhasa")])
    assert [d.winner for d in events if isinstance(d, BuzzRaceDecided)] == ["lhasa"]


def test_a_foul_is_never_fouled_again_in_the_same_race() -> None:
    state, events = run(
        buzzer_round(early_press="foul"),
        [Buzz(at=500, team="lhasa"), Buzz(at=510, team="lhasa"), Buzz(at=520, team="lhasa")],
    )
    assert [type(e).__name__ for e in events].count("FoulCommitted") == 1
    assert [e.reason for e in events if isinstance(e, BuzzIgnored)] == ["locked_out"] * 2
    assert state.totals["lhasa"] == 90


def test_buzz_during_the_countdown_is_a_foul() -> None:
    state, events = run(
        buzzer_round(early_press="foul"),
        [ArmBuzzers(at=1000, countdown_ms=3000), Buzz(at=3999, team="ngari")],
    )
    assert isinstance(events[1], FoulCommitted)
    state, events = run(state, [Buzz(at=4000, team="lhasa")])
    assert "BuzzRaceDecided" in kinds(events)


def test_fouls_escalate_and_bar_the_team_from_the_round() -> None:
    state = buzzer_round(early_press="foul", foul_penalties=[10, 20], foul_limit=3, rebound="none")
    penalties = []
    for number in range(3):
        state, events = run(state, [Buzz(at=200 + number, team="lhasa")])
        penalties += [e.penalty for e in events if isinstance(e, FoulCommitted)]
        barred = [e for e in events if isinstance(e, TeamBarred)]
        state, _ = run(
            state,
            [ArmBuzzers(at=1000 + 10_000 * number), Tick(at=20_000 + 10_000 * number)],
        )
        if number < 2:
            state, _ = run(state, [OpenQuestion(at=21_000 + 10_000 * number)])
    assert penalties == [10, 20, 20]
    assert barred == [TeamBarred(at=202, team="lhasa", round_index=0)]
    assert state.totals["lhasa"] == 50


def test_wrong_answer_rebounds_once_to_the_others() -> None:
    state, events = run(
        buzzer_round(rebound="once"),
        [
            ArmBuzzers(at=1000),
            Buzz(at=1100, team="ngari"),
            Judge(at=2000, team="ngari", correct=False),
        ],
    )
    assert events[-1].teams == ("lhasa", "shigatse")  # type: ignore[union-attr]
    state, events = run(
        state,
        [
            ArmBuzzers(at=3000),
            Buzz(at=3050, team="ngari"),
            Buzz(at=3100, team="lhasa"),
            Judge(at=3500, team="lhasa", correct=False),
        ],
    )
    assert events[1] == BuzzIgnored(at=3050, team="ngari", reason="already_answered")
    assert [e.outcome for e in events if isinstance(e, QuestionClosed)] == ["wrong"]
    assert state.totals == {"lhasa": 90, "shigatse": 100, "ngari": 90}


def test_rebound_all_lets_every_team_try() -> None:
    state = buzzer_round(rebound="all")
    at = 1000
    for team in ("ngari", "lhasa", "shigatse"):
        state, events = run(
            state,
            [
                ArmBuzzers(at=at),
                Buzz(at=at + 10, team=team),
                Judge(at=at + 20, team=team, correct=False),
            ],
        )
        at += 1000
    assert [e.outcome for e in events if isinstance(e, QuestionClosed)] == ["wrong"]


def test_silence_until_the_deadline_is_a_wrong_answer() -> None:
    _state, events = run(
        buzzer_round(rebound="none", answer_input="device"),
        [ArmBuzzers(at=1000), Buzz(at=1100, team="ngari"), Tick(at=1100 + 15_000)],
    )
    judged = [e for e in events if type(e).__name__ == "AnswerJudged"]
    assert [(j.by, j.delta, j.at) for j in judged] == [("timeout", -10, 16_100)]  # type: ignore[attr-defined]


def test_a_spoken_answer_past_its_clock_waits_for_the_host() -> None:
    state, events = run(
        buzzer_round(),
        [ArmBuzzers(at=1000), Buzz(at=1100, team="ngari"), Tick(at=1100 + 60_000)],
    )
    assert kinds(events)[-2:] == ["BuzzRaceDecided", "AnswerWindowOpened"]
    assert state.totals["ngari"] == 100
    assert state.round is not None
    assert state.round.play is not None
    assert (state.round.play.step, state.round.play.deadline) == ("judging", None)
    state, events = run(state, [Judge(at=70_000, team="ngari", correct=True)])
    judged = [e for e in events if isinstance(e, AnswerJudged)]
    assert [(j.by, j.delta) for j in judged] == [("host", 10)]
    assert state.totals["ngari"] == 110
    assert state.round is not None
    assert state.round.play is not None
    assert state.round.play.outcome == "correct"


def test_a_late_wrong_judgement_of_a_spoken_answer_opens_the_rebound() -> None:
    state, _ = run(
        buzzer_round(),
        [ArmBuzzers(at=1000), Buzz(at=1100, team="ngari"), Tick(at=30_000)],
    )
    state, events = run(state, [Judge(at=31_000, team="ngari", correct=False)])
    assert "QuestionRebounded" in kinds(events)
    assert state.totals["ngari"] == 90


def test_nobody_buzzing_closes_the_question_without_crashing() -> None:
    _state, events = run(buzzer_round(), [ArmBuzzers(at=1000), Tick(at=11_000)])
    assert kinds(events)[-3:] == ["BuzzWindowClosed", "QuestionClosed", "AnswerRevealed"]


def test_compensated_race_waits_for_the_window_and_ranks_reactions() -> None:
    state = buzzer_round(fairness="compensated", collection_window_ms=800)
    state, _ = run(
        state,
        [
            SyncClock(at=10, team="ngari", samples=((0, 300, 600),)),
            SyncClock(at=10, team="lhasa", samples=((0, 10, 20),)),
        ],
    )
    state, events = run(
        state,
        [
            ArmBuzzers(at=1000),
            Buzz(at=1300, team="lhasa", shown_ms=1000, pressed_ms=1280),
            Buzz(at=1850, team="ngari", shown_ms=1300, pressed_ms=1550),
        ],
    )
    assert kinds(events) == ["BuzzersArmed", "BuzzAccepted", "BuzzAccepted"]
    state, events = run(state, [Tick(at=2100)])
    decided = events[0]
    assert isinstance(decided, BuzzRaceDecided)
    assert (decided.winner, decided.at) == ("ngari", 2100)
    assert [(r.team, r.margin_ms) for r in decided.ranking] == [("ngari", 0), ("lhasa", 30)]


def test_compensated_decision_fires_on_the_next_command_past_the_window() -> None:
    state = buzzer_round(fairness="compensated", collection_window_ms=500)
    state, events = run(
        state,
        [
            ArmBuzzers(at=1000),
            Buzz(at=1200, team="lhasa", shown_ms=0, pressed_ms=200),
            Buzz(at=1800, team="ngari", shown_ms=0, pressed_ms=50),
        ],
    )
    assert kinds(events)[-4:] == [
        "BuzzAccepted",
        "BuzzRaceDecided",
        "AnswerWindowOpened",
        "BuzzTrailed",
    ]
    decided = next(e for e in events if isinstance(e, BuzzRaceDecided))
    assert (decided.winner, decided.at) == ("lhasa", 1700)


def test_buzz_outside_a_round_names_the_phase() -> None:
    with pytest.raises(WrongPhase, match="lobby"):
        apply(contest({"kind": "抢答"}), Buzz(at=1, team="lhasa"))


def test_the_member_whose_buzz_won_is_credited_and_each_accepted_buzz_counted() -> None:
    state, _ = run(
        buzzer_round(rebound="once"),
        [
            ArmBuzzers(at=1000),
            Buzz(at=1100, team="lhasa", player="dawa"),
            Buzz(at=1150, team="ngari", player="norbu"),  # trails the decided race: no count
            Judge(at=1200, team="lhasa", correct=False),
            ArmBuzzers(at=1300),
            Buzz(at=1400, team="ngari", player="norbu"),
            Judge(at=1500, team="ngari", correct=True),
        ],
    )
    assert [(j.team, j.player, j.correct) for j in state.judgements] == [
        ("lhasa", "dawa", False),
        ("ngari", "norbu", True),
    ]
    assert state.member_buzzes == {"dawa": 1, "norbu": 1}
    assert state.member_correct() == {"norbu": 1}


def test_a_buzz_with_no_member_named_counts_for_nobody() -> None:
    state, _ = run(
        buzzer_round(),
        [
            ArmBuzzers(at=1000),
            Buzz(at=1100, team="lhasa"),
            Judge(at=1200, team="lhasa", correct=True),
        ],
    )
    assert state.judgements[0].player is None
    assert (state.member_buzzes, state.member_correct()) == ({}, {})
