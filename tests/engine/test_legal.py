"""The host's legal moves: what legal_commands lists is what apply accepts, in every round."""

from __future__ import annotations

from collections.abc import Callable

from quiz.engine.commands import (
    AdjustScore,
    ArmBuzzers,
    Buzz,
    ChooseTier,
    Command,
    EndContest,
    EndRound,
    FreezeStandings,
    Judge,
    OpenQuestion,
    PassQuestion,
    Pause,
    PromptAnswer,
    ReopenContest,
    ReplaceQuestion,
    Resume,
    RevealPodium,
    SkipQuestion,
    StartRound,
    StartWindow,
    Tick,
    UndoJudgement,
)
from quiz.engine.errors import ContestError
from quiz.engine.legal import HOST_COMMAND_TYPES, LegalMove, legal_commands, present
from quiz.engine.machine import apply
from quiz.engine.state import ContestState
from quiz.web.protocol import HOST_COMMANDS
from tests.engine.factories import TEAMS, bank, contest, run

_PLAIN: dict[str, Callable[[int], Command]] = {
    "StartRound": StartRound,
    "EndRound": EndRound,
    "PromptAnswer": PromptAnswer,
    "UndoJudgement": UndoJudgement,
    "SkipQuestion": SkipQuestion,
    "Pause": Pause,
    "Resume": Resume,
    "FreezeStandings": FreezeStandings,
    "EndContest": EndContest,
    "RevealPodium": RevealPodium,
}
# Points no risk round of these tests offers, next to the ones they do.
_POINTS = (10, 20, 30, 15)
_ADJUSTMENTS = ((1, "legal"), (-20, "扣分"), (1000, "bonus"))


def disagreements(state: ContestState, at: int | None = None) -> list[str]:
    """Every host command (each team, each parameter tried) where legal_commands and apply part.

    A refusal must be a ContestError: anything else propagates and fails the calling test.
    """
    when = present(state) if at is None else at
    moves = legal_commands(state, at)
    problems: list[str] = []

    def check(command: Command, listed: bool) -> bool:
        try:
            apply(state, command)
        except ContestError:
            accepted = False
        else:
            accepted = True
        if accepted != listed:
            verdict = "accepts" if accepted else "refuses"
            problems.append(f"{command!r}: listed {listed}, apply {verdict} ({state.phase_name()})")
        return accepted

    def named(name: str, team: str) -> bool:
        return team in (moves[name].teams or ())

    for name, make in _PLAIN.items():
        check(make(when), moves[name].ok)
    for countdown in (0, 3000, 10_000):
        check(ArmBuzzers(at=when, countdown_ms=countdown), moves["ArmBuzzers"].ok)
    check(OpenQuestion(at=when), bool(moves["OpenQuestion"].default))
    check(StartWindow(at=when), bool(moves["StartWindow"].default))
    tiers = moves["ChooseTier"].tiers or {}
    for team in TEAMS:
        for correct in (True, False):
            check(Judge(at=when, team=team, correct=correct), named("Judge", team))
        check(PassQuestion(at=when, team=team), named("PassQuestion", team))
        check(OpenQuestion(at=when, team=team), named("OpenQuestion", team))
        check(StartWindow(at=when, team=team), named("StartWindow", team))
        for delta, note in _ADJUSTMENTS:
            adjust = AdjustScore(at=when, team=team, delta=delta, note=note)
            check(adjust, named("AdjustScore", team))
        for points in _POINTS:
            check(ChooseTier(at=when, team=team, points=points), points in tiers.get(team, ()))
    replace = moves["ReplaceQuestion"]
    check(ReplaceQuestion(at=when), bool(replace.default))
    unused = [qid for qid in state.questions if qid not in state.used]
    for qid in {*unused[:1], *unused[-1:]}:
        check(ReplaceQuestion(at=when, question_id=qid), replace.ok)
    if replace.ok and not replace.default and not unused:
        problems.append("ReplaceQuestion listed without a reserve or an unused question")
    for note in ("legal", "扣分有误，重新计算"):
        check(ReopenContest(at=when, note=note), moves["ReopenContest"].ok)
    problems += _inconsistencies(moves)
    return problems


def _inconsistencies(moves: dict[str, LegalMove]) -> list[str]:
    """A move's `ok` must say that some form of it is listed."""
    problems = []
    for name, move in moves.items():
        forms = [bool(move.teams), bool(move.default)] if move.teams is not None else []
        if forms and move.ok != any(forms):
            problems.append(f"{name}: ok {move.ok} but teams {move.teams} default {move.default}")
    tier_move = moves["ChooseTier"]
    if tier_move.tiers is None or tuple(tier_move.tiers) != tier_move.teams:
        problems.append(f"ChooseTier: teams {tier_move.teams} but tiers {tier_move.tiers}")
    return problems


def allowed(state: ContestState, at: int | None = None) -> set[str]:
    """The host commands legal now."""
    return {name for name, move in legal_commands(state, at).items() if move.ok}


def test_the_host_command_types_are_the_protocols() -> None:
    assert HOST_COMMAND_TYPES == HOST_COMMANDS
    assert tuple(legal_commands(contest({"kind": "抢答"}))) == HOST_COMMAND_TYPES


def test_the_lobby_allows_starting_pausing_freezing_ending_and_adjusting() -> None:
    state = contest({"kind": "抢答"})
    assert allowed(state) == {"StartRound", "Pause", "FreezeStandings", "EndContest", "AdjustScore"}
    moves = legal_commands(state)
    assert moves["AdjustScore"].teams == TEAMS
    assert moves["Judge"] == LegalMove(False, teams=())
    assert moves["ReplaceQuestion"] == LegalMove(False, default=False)
    assert disagreements(state) == []


def test_a_buzzer_question_is_armed_then_judged_for_the_winner_only() -> None:
    state, _ = run(contest({"kind": "抢答"}), [StartRound(at=0), OpenQuestion(at=1)])
    assert {"ArmBuzzers", "SkipQuestion", "ReplaceQuestion"} <= allowed(state)
    assert not {"PromptAnswer", "Judge", "OpenQuestion", "EndRound", "UndoJudgement"} & allowed(
        state
    )
    assert disagreements(state) == []
    state, _ = run(state, [ArmBuzzers(at=2), Buzz(at=3, team="ngari")])
    assert legal_commands(state)["Judge"].teams == ("ngari",)
    assert "ArmBuzzers" not in allowed(state)
    assert disagreements(state) == []
    state, _ = run(state, [Judge(at=4, team="ngari", correct=False)])
    assert {"UndoJudgement", "ArmBuzzers"} <= allowed(state)
    assert legal_commands(state)["Judge"].teams == ()
    assert disagreements(state) == []


def test_a_parallel_spoken_question_is_judged_team_by_team() -> None:
    state, _ = run(
        contest({"kind": "必答", "mode": "all", "answer_input": "spoken"}),
        [StartRound(at=0), OpenQuestion(at=1)],
    )
    assert "PromptAnswer" in allowed(state)
    state, _ = run(state, [PromptAnswer(at=2)])
    assert legal_commands(state)["Judge"].teams == TEAMS
    state, _ = run(state, [Judge(at=3, team="lhasa", correct=True)])
    assert legal_commands(state)["Judge"].teams == ("shigatse", "ngari")
    assert disagreements(state) == []


def test_a_turn_round_opens_for_the_team_on_turn_or_any_named_team() -> None:
    state, _ = run(contest({"kind": "必答", "mode": "turn"}), [StartRound(at=0)])
    opening = legal_commands(state)["OpenQuestion"]
    assert opening == LegalMove(True, teams=TEAMS, default=True)
    assert disagreements(state) == []


def test_in_a_risk_round_only_the_team_on_turn_chooses_among_the_tiers_left() -> None:
    state, _ = run(
        contest({"kind": "风险", "answer_input": "spoken", "questions": {"count": 1}}),
        [StartRound(at=0)],
    )
    assert state.round is not None
    first, second = state.round.order[:2]
    moves = legal_commands(state)
    assert moves["ChooseTier"] == LegalMove(True, teams=(first,), tiers={first: (10, 20, 30)})
    assert moves["PassQuestion"].teams == (first,)
    assert "OpenQuestion" not in allowed(state)
    assert disagreements(state) == []
    state, _ = run(state, [ChooseTier(at=1, team=first, points=30)])
    assert "ChooseTier" not in allowed(state)
    assert "PromptAnswer" in allowed(state)
    state, _ = run(state, [PromptAnswer(at=2)])
    assert legal_commands(state)["Judge"].teams == (first,)
    assert disagreements(state) == []
    state, _ = run(state, [Judge(at=3, team=first, correct=True)])
    assert legal_commands(state)["ChooseTier"].tiers == {second: (10, 20)}
    assert disagreements(state) == []


def test_rapid_fire_windows_open_once_per_team_and_are_judged_and_passed_in_their_lane() -> None:
    state, _ = run(
        contest({"kind": "快问快答", "rapid_window_seconds": 60, "answer_input": "spoken"}),
        [StartRound(at=0)],
    )
    assert legal_commands(state)["StartWindow"] == LegalMove(True, teams=TEAMS, default=True)
    assert not {"OpenQuestion", "ReplaceQuestion", "Judge"} & allowed(state)
    state, _ = run(state, [StartWindow(at=10, team="ngari")])
    moves = legal_commands(state)
    assert not moves["StartWindow"].ok
    assert not moves["EndRound"].ok
    assert moves["Judge"].teams == moves["PassQuestion"].teams == ("ngari",)
    assert disagreements(state) == []
    state, _ = run(state, [Judge(at=20, team="ngari", correct=True), Tick(at=60_010)])
    assert legal_commands(state)["StartWindow"].teams == ("lhasa", "shigatse")
    assert disagreements(state) == []


def test_a_parallel_rapid_window_opens_for_every_team_and_names_none() -> None:
    state, _ = run(contest({"kind": "快问快答", "mode": "all"}), [StartRound(at=0)])
    assert legal_commands(state)["StartWindow"] == LegalMove(True, teams=(), default=True)
    assert disagreements(state) == []


def test_the_arena_pass_token_belongs_to_the_defender_holding_the_question() -> None:
    state, _ = run(
        contest({"kind": "擂台", "answer_input": "spoken", "defender": "seat"}),
        [StartRound(at=0), OpenQuestion(at=1)],
    )
    assert legal_commands(state)["PassQuestion"].teams == ("lhasa",)
    state, _ = run(state, [PassQuestion(at=2, team="lhasa")])
    assert legal_commands(state)["PassQuestion"].teams == ()
    assert legal_commands(state)["Judge"].teams == ("shigatse",)
    assert disagreements(state) == []


def test_a_paused_contest_allows_resuming_undoing_adjusting_and_freezing_only() -> None:
    state, _ = run(
        contest({"kind": "抢答"}),
        [StartRound(at=0), OpenQuestion(at=1), ArmBuzzers(at=2), Buzz(at=3, team="lhasa")],
    )
    state, _ = run(state, [Judge(at=4, team="lhasa", correct=False), Pause(at=5)])
    assert allowed(state) == {"Resume", "UndoJudgement", "AdjustScore", "FreezeStandings"}
    assert disagreements(state) == []


def test_a_finished_contest_reveals_its_podium_or_reopens_only() -> None:
    state, _ = run(contest({"kind": "抢答"}), [FreezeStandings(at=0), EndContest(at=1)])
    assert allowed(state) == {"RevealPodium", "ReopenContest"}
    assert disagreements(state) == []
    state, _ = run(state, [ReopenContest(at=2, note="计分有误")])
    assert allowed(state) == {"StartRound", "Pause", "EndContest", "AdjustScore"}
    assert disagreements(state) == []


def test_a_question_can_be_replaced_by_an_unused_one_when_no_reserve_is_left() -> None:
    state, _ = run(
        contest({"kind": "抢答", "questions": {"count": 2, "reserve": 0}}),
        [StartRound(at=0), OpenQuestion(at=1)],
    )
    assert legal_commands(state)["ReplaceQuestion"] == LegalMove(True, default=False)
    assert disagreements(state) == []


def test_legality_is_judged_at_the_given_time_after_the_deadlines_due_by_then() -> None:
    state, _ = run(
        contest({"kind": "抢答", "answer_seconds": 15, "answer_input": "device"}),
        [StartRound(at=0), OpenQuestion(at=1), ArmBuzzers(at=2), Buzz(at=3, team="lhasa")],
    )
    assert present(state) == 3
    assert legal_commands(state)["Judge"].teams == ("lhasa",)
    assert legal_commands(state, at=15_002)["Judge"].teams == ("lhasa",)
    # The answer time ran out at 15 003: the silence was judged wrong, the buzzers re-arm.
    assert legal_commands(state, at=15_003)["Judge"].teams == ()
    assert "ArmBuzzers" in allowed(state, at=15_003)
    assert disagreements(state, at=15_003) == []


def test_a_spoken_answer_stays_the_hosts_to_judge_after_its_time() -> None:
    state, _ = run(
        contest({"kind": "抢答", "answer_seconds": 15}),
        [StartRound(at=0), OpenQuestion(at=1), ArmBuzzers(at=2), Buzz(at=3, team="lhasa")],
    )
    assert legal_commands(state, at=60_000)["Judge"].teams == ("lhasa",)
    assert "ArmBuzzers" not in allowed(state, at=60_000)
    assert disagreements(state, at=60_000) == []


def test_an_undo_in_rapid_fire_is_legal_only_while_the_window_lasts() -> None:
    state, _ = run(
        contest(
            {"kind": "快问快答", "answer_input": "spoken", "questions": {"count": 1}},
            questions=bank(6),
        ),
        [
            StartRound(at=0),
            StartWindow(at=10, team="lhasa"),
            Judge(at=20, team="lhasa", correct=True),
        ],
    )
    assert "UndoJudgement" in allowed(state)
    assert "UndoJudgement" not in allowed(state, at=60_010)
    assert disagreements(state) == []
    assert disagreements(state, at=60_010) == []
