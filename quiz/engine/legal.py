"""What the host may do now: each host command's legality, found by trying it on the state.

The core is pure, so a dry run of `apply` on every candidate command answers exactly what the
rules answer, with no second copy of them to drift. A command with free parameters is legal when
some value of them is: AdjustScore is tried with delta 1 and a note (any other non-zero delta and
non-blank note fares the same), ReopenContest with a note (any non-blank one fares the same),
ArmBuzzers without a countdown and Judge as right (neither value ever decides), ChooseTier with
each tier the round offers (no other value can be accepted),
ReplaceQuestion with the next reserve and, failing that, with one unused question of the contest
(every unused one fares the same). OpenQuestion and StartWindow are tried without a team and
with each team of the contest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quiz.engine.commands import (
    AdjustScore,
    ArmBuzzers,
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
    UndoJudgement,
)
from quiz.engine.errors import ContestError
from quiz.engine.machine import apply
from quiz.engine.state import ContestState

HOST_COMMAND_TYPES: tuple[str, ...] = (
    "StartRound",
    "EndRound",
    "PromptAnswer",
    "UndoJudgement",
    "SkipQuestion",
    "Pause",
    "Resume",
    "FreezeStandings",
    "EndContest",
    "RevealPodium",
    "OpenQuestion",
    "ArmBuzzers",
    "Judge",
    "PassQuestion",
    "ChooseTier",
    "StartWindow",
    "AdjustScore",
    "ReplaceQuestion",
    "ReopenContest",
)
"""Every command the host may send (quiz/web/protocol.py's HOST_COMMANDS), in its order."""

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
    "ArmBuzzers": ArmBuzzers,
}


@dataclass(frozen=True, slots=True)
class LegalMove:
    """One host command now: whether `apply` accepts some form of it, and which forms.

    `teams` (commands that name a team): the teams it is accepted for. `default` (commands
    whose field is optional): whether it is accepted without that field. `tiers` (ChooseTier):
    the points each listed team may choose. A field that does not apply to the command is None.
    """

    ok: bool
    teams: tuple[str, ...] | None = None
    default: bool | None = None
    tiers: dict[str, tuple[int, ...]] | None = None

    def to_plain(self) -> dict[str, Any]:
        """The move as JSON-able data, leaving out the fields that do not apply."""
        data: dict[str, Any] = {"ok": self.ok}
        if self.teams is not None:
            data["teams"] = list(self.teams)
        if self.default is not None:
            data["default"] = self.default
        if self.tiers is not None:
            data["tiers"] = {team: list(points) for team, points in self.tiers.items()}
        return data


def present(state: ContestState) -> int:
    """The latest moment the state records; by default legality is judged as of then.

    It is no later than the last command, which fired every deadline due by its time, so
    judging then says what the host may do until the next timer fires.
    """
    times = [0]
    if state.paused_at is not None:
        times.append(state.paused_at)
    if state.ledger:
        times.append(state.ledger[-1].at)
    if state.judgements:
        times.append(state.judgements[-1].at)
    round_state = state.round
    if round_state is not None:
        times.append(round_state.started_at)
        play = round_state.play
        if play is not None:
            times.append(play.opened_at)
            if play.answer_opened_at is not None:
                times.append(play.answer_opened_at)
            if play.race is not None and play.race.buzzes:
                times.append(play.race.buzzes[-1].at)
    return max(times)


def legal_commands(state: ContestState, at: int | None = None) -> dict[str, LegalMove]:
    """Each host command with exactly what `apply` accepts at `at` (default: present(state))."""
    when = present(state) if at is None else at
    teams = tuple(state.totals)

    def accepts(command: Command) -> bool:
        # Only a ContestError is a refusal; anything else is a fault of the core and propagates.
        try:
            apply(state, command)
        except ContestError:
            return False
        return True

    def accepting(make: Callable[[str], Command]) -> tuple[str, ...]:
        return tuple(team for team in teams if accepts(make(team)))

    moves = {name: LegalMove(accepts(make(when))) for name, make in _PLAIN.items()}
    opening = accepting(lambda team: OpenQuestion(at=when, team=team))
    opens = accepts(OpenQuestion(at=when))
    moves["OpenQuestion"] = LegalMove(opens or bool(opening), teams=opening, default=opens)
    judged = accepting(lambda team: Judge(at=when, team=team, correct=True))
    moves["Judge"] = LegalMove(bool(judged), teams=judged)
    passing = accepting(lambda team: PassQuestion(at=when, team=team))
    moves["PassQuestion"] = LegalMove(bool(passing), teams=passing)
    tiers = _tiers(state, teams, when, accepts)
    moves["ChooseTier"] = LegalMove(bool(tiers), teams=tuple(tiers), tiers=tiers)
    windows = accepting(lambda team: StartWindow(at=when, team=team))
    window = accepts(StartWindow(at=when))
    moves["StartWindow"] = LegalMove(window or bool(windows), teams=windows, default=window)
    adjusted = accepting(lambda team: AdjustScore(at=when, team=team, delta=1, note="legal"))
    moves["AdjustScore"] = LegalMove(bool(adjusted), teams=adjusted)
    reserve = accepts(ReplaceQuestion(at=when))
    unused = _an_unused_question(state)
    chosen = unused is not None and accepts(ReplaceQuestion(at=when, question_id=unused))
    moves["ReplaceQuestion"] = LegalMove(reserve or chosen, default=reserve)
    moves["ReopenContest"] = LegalMove(accepts(ReopenContest(at=when, note="legal")))
    return {name: moves[name] for name in HOST_COMMAND_TYPES}


def _tiers(
    state: ContestState, teams: tuple[str, ...], at: int, accepts: Callable[[Command], bool]
) -> dict[str, tuple[int, ...]]:
    """The tiers each team may choose; only points the running round offers can be accepted."""
    offered = [points for points, _ in state.round.tiers] if state.round is not None else []
    chosen: dict[str, tuple[int, ...]] = {}
    for team in teams:
        points = tuple(p for p in offered if accepts(ChooseTier(at=at, team=team, points=p)))
        if points:
            chosen[team] = points
    return chosen


def _an_unused_question(state: ContestState) -> str | None:
    """A contest question not yet used: ReplaceQuestion treats every such id alike."""
    used = set(state.used)
    return next((qid for qid in state.questions if qid not in used), None)
