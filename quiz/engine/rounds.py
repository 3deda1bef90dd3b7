"""Round lifecycle: starting a round of each kind, what follows a closed question, ending it.

Turn order: 必答 by seat; 风险 lowest score first (seat order between equal scores); 擂台 by the
template's defender choice; 加赛 among the teams tied on main score for a place within
`tiebreak_places` only. A question's closing advances the round; a round whose questions, turns
or challengers are exhausted ends by itself.
"""

from __future__ import annotations

import random
from dataclasses import replace

from quiz.engine import arena
from quiz.engine.commands import ChooseTier, OpenQuestion, PassQuestion
from quiz.engine.events import (
    Event,
    PlacementDecided,
    RoundEnded,
    RoundStarted,
    StandingsFrozen,
    TierChosen,
    TurnPassed,
)
from quiz.engine.play import (
    Result,
    check_team,
    close_play,
    forbid,
    open_play,
    refuse,
    running_round,
)
from quiz.engine.scoring import standings
from quiz.engine.state import ContestState, RoundResult, RoundState


def start_round(state: ContestState, at: int) -> Result:
    """Start the next round of the template (between rounds only)."""
    assert state.rules is not None
    if state.phase not in ("lobby", "between_rounds"):
        raise refuse(
            state, "StartRound", "a round can start only before or between rounds", "round_running"
        )
    index = state.round_index + 1
    if index >= len(state.rules.rounds):
        raise forbid(
            state, "StartRound", "every round of the template has been played", "no_round_left"
        )
    rules = state.rules.rounds[index]
    freeze_last = state.rules.freeze_before_last_round
    plan = state.plan[index]
    seats = state.rules.team_ids()
    participants = seats
    order = seats
    if rules.kind == "risk":
        order = tuple(sorted(seats, key=lambda team: (state.totals[team], seats.index(team))))
    elif rules.kind == "tiebreak":
        participants = tied_teams(state, rules.tiebreak_places)
        order = participants
    round_state = RoundState(
        index=index,
        kind=rules.kind,
        started_at=at,
        participants=participants,
        queue=plan.question_ids,
        reserves=plan.reserve_ids,
        tiers=plan.tiers,
        order=order,
    )
    state = replace(state, phase="round", round_index=index, round=round_state)
    all_rounds = state.plan
    events: list[Event] = [
        RoundStarted(
            at=at, round_index=index, round_kind=rules.kind, name=rules.name, teams=participants
        )
    ]
    last = index == len(all_rounds) - 1
    if last and freeze_last and state.frozen_at is None:
        state = replace(state, frozen_at=len(state.ledger))
        events.append(StandingsFrozen(at=at))
    if rules.kind == "tiebreak" and not participants:
        state, ended = end_round(state, at, "no tie")
        return state, events + ended
    if rules.kind == "arena":
        rng = random.Random(state.seed * 7_919 + index)
        state, started = arena.start(state, at, rng)
        events += started
    return state, events


def end_round(state: ContestState, at: int, reason: str) -> Result:
    """End the running round, keeping its placement if it produced one."""
    round_state = running_round(state, "EndRound")
    results = state.results
    if round_state.placements:
        results = (
            *results,
            RoundResult(round_state.index, round_state.kind, round_state.placements),
        )
    state = replace(state, phase="between_rounds", round=None, results=results)
    return state, [RoundEnded(at=at, round_index=round_state.index, reason=reason)]


def host_end_round(state: ContestState, at: int) -> Result:
    """The host ends a round early, but never with a question open or a window running."""
    round_state = running_round(state, "EndRound")
    if round_state.play is not None and round_state.play.step != "closed":
        raise refuse(state, "EndRound", "close or skip the open question first", "question_open")
    if round_state.rapid is not None and any(not lane.closed for lane in round_state.rapid.lanes):
        raise refuse(state, "EndRound", "a rapid-fire window is still running", "window_running")
    events: list[Event] = []
    if round_state.kind == "pk":
        state, events = _place_pk(state, at)
    ended_state, ended = end_round(state, at, "ended by host")
    return ended_state, events + ended


def open_question(state: ContestState, command: OpenQuestion) -> Result:
    """Open the next planned question for whoever the round's kind says plays it."""
    round_state = running_round(state, "OpenQuestion")
    if round_state.play is not None and round_state.play.step != "closed":
        raise refuse(state, "OpenQuestion", "a question is already open", "question_open")
    rules = state.round_rules()
    if round_state.kind in ("risk", "rapid"):
        raise refuse(
            state,
            "OpenQuestion",
            f"a {round_state.kind} round opens questions itself",
            "opens_itself",
        )
    if not round_state.queue:
        raise forbid(state, "OpenQuestion", "no question left in this round", "no_question_left")
    question_id = round_state.queue[0]
    state = replace(state, round=replace(round_state, queue=round_state.queue[1:]))
    eligible = tuple(t for t in round_state.participants if t not in round_state.barred)
    at = command.at
    match round_state.kind:
        case "compulsory" if rules.mode == "turn":
            team = command.team or round_state.order[round_state.asked % len(round_state.order)]
            check_team(state, "OpenQuestion", team)
            return open_play(state, question_id, "single", (team,), (team,), at)
        case "compulsory" | "pk":
            return open_play(state, question_id, "parallel", eligible, eligible, at)
        case "arena":
            return arena.open_duel_question(state, question_id, at)
        case _:
            return open_play(state, question_id, "race", eligible, (), at)


def choose_tier(state: ContestState, command: ChooseTier) -> Result:
    """风险: the team whose turn it is picks a tier that still has a question."""
    round_state = running_round(state, "ChooseTier")
    if round_state.kind != "risk":
        raise refuse(state, "ChooseTier", "tiers are chosen in risk rounds only", "not_risk_round")
    if round_state.play is not None and round_state.play.step != "closed":
        raise refuse(state, "ChooseTier", "a question is already open", "question_open")
    check_team(state, "ChooseTier", command.team)
    if command.team != round_state.order[round_state.turn]:
        raise forbid(
            state,
            "ChooseTier",
            f"it is {round_state.order[round_state.turn]}'s turn",
            "not_your_turn",
        )
    queues = dict(round_state.tiers)
    if command.points not in queues:
        raise forbid(state, "ChooseTier", f"tier {command.points} is not offered", "unknown_tier")
    if not queues[command.points]:
        raise forbid(
            state, "ChooseTier", f"no question left in tier {command.points}", "tier_empty"
        )
    question_id = queues[command.points][0]
    tiers = tuple(
        (tier, ids[1:] if tier == command.points else ids) for tier, ids in round_state.tiers
    )
    state = replace(state, round=replace(round_state, tiers=tiers))
    team = (command.team,)
    state, events = open_play(
        state, question_id, "single", team, team, command.at, tier=command.points
    )
    return state, [TierChosen(at=command.at, team=command.team, points=command.points), *events]


def pass_turn(state: ContestState, command: PassQuestion) -> Result:
    """风险 弃权: the team on turn gives up its question (before or after seeing it) for 0."""
    round_state = running_round(state, "PassQuestion")
    if not state.round_rules().allow_pass:
        raise forbid(state, "PassQuestion", "this round allows no pass", "no_pass")
    team = round_state.order[round_state.turn]
    if command.team != team:
        raise forbid(state, "PassQuestion", f"it is {team}'s turn", "not_your_turn")
    play = round_state.play
    if play is not None and play.step != "closed":
        if play.step == "judging":
            raise refuse(
                state, "PassQuestion", "the answer is already being judged", "being_judged"
            )
        state, events = close_play(state, command.at, "passed")
        passed = TurnPassed(at=command.at, team=team, question_id=play.question_id)
        state, after = after_close(state, command.at)
        return state, [passed, *events, *after]
    state, after = _advance_risk_turn(state, command.at)
    return state, [TurnPassed(at=command.at, team=team, question_id=None), *after]


def after_close(state: ContestState, at: int) -> Result:
    """What a closed question leads to: the next turn, a duel's result, or the round's end."""
    assert state.round is not None
    round_state = state.round
    match round_state.kind:
        case "risk":
            return _advance_risk_turn(state, at)
        case "arena":
            state, events, finished = arena.after_close(state, at)
            if finished:
                state, ended = end_round(state, at, "arena won")
                events += ended
            return state, events
        case "tiebreak":
            if tie_broken(state):
                return end_round(state, at, "tie broken")
            if not round_state.queue:
                return end_round(state, at, "questions exhausted")
            return state, []
        case "pk":
            if round_state.queue:
                return state, []
            state, placed = _place_pk(state, at)
            state, ended = end_round(state, at, "all questions asked")
            return state, placed + ended
        case _:
            if round_state.queue:
                return state, []
            return end_round(state, at, "all questions asked")


def tied_teams(state: ContestState, places: int) -> tuple[str, ...]:
    """Teams sharing a main score with another, where that group reaches a top `places` rank."""
    assert state.rules is not None
    table = standings(state)
    tied: set[str] = set()
    for standing in table:
        group = [s for s in table if s.score == standing.score]
        if len(group) > 1 and min(s.rank for s in group) <= places:
            tied.update(s.team for s in group)
    return tuple(team for team in state.rules.team_ids() if team in tied)


def tie_broken(state: ContestState) -> bool:
    """Every group of tied teams now has distinct tie-break scores."""
    assert state.round is not None
    groups: dict[int, list[int]] = {}
    for team in state.round.participants:
        groups.setdefault(state.totals[team], []).append(state.tiebreak_totals.get(team, 0))
    return all(len(set(scores)) == len(scores) for scores in groups.values())


def _advance_risk_turn(state: ContestState, at: int) -> Result:
    assert state.round is not None
    round_state = replace(state.round, turn=state.round.turn + 1)
    state = replace(state, round=round_state)
    if round_state.turn >= len(round_state.order):
        return end_round(state, at, "every team had its turn")
    return state, []


def _place_pk(state: ContestState, at: int) -> Result:
    """PK placement: points earned in this round, then seat order."""
    assert state.round is not None
    assert state.rules is not None
    index = state.round.index
    earned = dict.fromkeys(state.round.participants, 0)
    for entry in state.ledger:
        if entry.round_index == index and entry.team in earned:
            earned[entry.team] += entry.delta
    seats = state.rules.team_ids()
    placements = tuple(sorted(earned, key=lambda team: (-earned[team], seats.index(team))))
    state = replace(state, round=replace(state.round, placements=placements))
    return state, [PlacementDecided(at=at, round_index=index, placements=placements)]
