"""擂台: the defender holds the arena against one challenger at a time.

A duel is `duel_length` questions, alternating (defender first) or buzzed between the two.
More correct answers wins the duel; a drawn duel leaves the defender in place. The loser falls;
the last team standing wins, and the fallen rank by how late they fell. The defender may hand a
question to the challenger with a pass token (免答权), `pass_tokens` per team per round.
"""

from __future__ import annotations

import random
from dataclasses import replace

from quiz.engine.commands import PassQuestion
from quiz.engine.events import (
    AnswerWindowOpened,
    ArenaPassUsed,
    ArenaWon,
    DuelEnded,
    DuelStarted,
    Event,
    TeamEliminated,
)
from quiz.engine.play import Result, current_play, forbid, open_play, with_play
from quiz.engine.state import ArenaState, ContestState


def start(state: ContestState, at: int, rng: random.Random) -> Result:
    """Choose the defender (by score, lot or seat) and the challengers' order; start duel one."""
    assert state.rules is not None
    assert state.round is not None
    rules = state.round_rules()
    seats = list(state.rules.team_ids())
    if rules.defender == "lot":
        rng.shuffle(seats)
    elif rules.defender == "score":
        # The strongest defends; the weakest challenges first, so the strong meet late.
        order = state.rules.team_ids()
        seats.sort(key=lambda team: (state.totals[team], -order.index(team)))
        seats = [seats[-1], *seats[:-1]]
    defender, challenger, *waiting = seats
    arena_state = ArenaState(
        defender=defender,
        challengers=tuple(waiting),
        challenger=challenger,
        passes_left=dict.fromkeys(seats, rules.pass_tokens),
        duel_points={defender: 0, challenger: 0},
    )
    state = replace(state, round=replace(state.round, arena=arena_state))
    return state, [DuelStarted(at=at, defender=defender, challenger=challenger)]


def open_duel_question(state: ContestState, question_id: str, at: int) -> Result:
    """Alternate duels give the question to the defender first; buzz duels race the pair."""
    assert state.round is not None
    assert state.round.arena is not None
    arena = state.round.arena
    assert arena.challenger is not None
    pair = (arena.defender, arena.challenger)
    if state.round_rules().mode == "buzz":
        return open_play(state, question_id, "race", pair, (), at)
    team = pair[arena.duel_turn % 2]
    return open_play(state, question_id, "single", pair, (team,), at)


def use_pass(state: ContestState, command: PassQuestion) -> Result:
    """The defender's 免答权 hands the question it holds to the challenger, with a fresh window."""
    play = current_play(state, "PassQuestion")
    assert state.round is not None
    assert state.round.arena is not None
    arena = state.round.arena
    if command.team != arena.defender:
        raise forbid(state, "PassQuestion", "only the defender holds a pass token", "not_defender")
    if play.answering != (arena.defender,) or play.step not in ("reading", "answering"):
        raise forbid(
            state, "PassQuestion", "the defender does not hold this question", "not_your_turn"
        )
    if arena.passes_left.get(arena.defender, 0) <= 0:
        raise forbid(state, "PassQuestion", "the defender has no pass token left", "no_pass_left")
    assert arena.challenger is not None
    passes = {**arena.passes_left, arena.defender: arena.passes_left[arena.defender] - 1}
    state = replace(state, round=replace(state.round, arena=replace(arena, passes_left=passes)))
    to = (arena.challenger,)
    events: list[Event] = [
        ArenaPassUsed(at=command.at, team=command.team, question_id=play.question_id, to_team=to[0])
    ]
    if play.step == "answering":
        deadline = command.at + play.answer_time_ms
        play = replace(play, answering=to, deadline=deadline, answer_opened_at=command.at)
        events.append(
            AnswerWindowOpened(
                at=command.at, question_id=play.question_id, teams=to, deadline=deadline
            )
        )
    else:
        play = replace(play, answering=to)
    return with_play(state, replace(play, passed_by=command.team)), events


def after_close(state: ContestState, at: int) -> tuple[ContestState, list[Event], bool]:
    """Count the duel point, settle a decided duel, and report whether the arena is won."""
    assert state.round is not None
    assert state.round.arena is not None
    assert state.round.play is not None
    arena = state.round.arena
    challenger = arena.challenger
    assert challenger is not None
    question_id = state.round.play.question_id
    scorer = next(
        (
            j.team
            for j in reversed(state.judgements)
            if j.question_id == question_id and j.correct and j.id not in state.undone
        ),
        None,
    )
    points = dict(arena.duel_points)
    if scorer in points:
        points[scorer] += 1
    turn = arena.duel_turn + 1
    arena = replace(arena, duel_points=points, duel_turn=turn)
    defending, challenging = points[arena.defender], points[challenger]
    remaining = state.round_rules().duel_length - turn
    events: list[Event] = []
    if remaining > 0 and abs(defending - challenging) <= remaining:
        return _with_arena(state, arena), events, False
    winner, loser = arena.defender, challenger
    if challenging > defending:
        winner, loser = loser, winner
    standing = 1 + len(arena.challengers) + 1
    events += [
        DuelEnded(at=at, winner=winner, loser=loser, points=(defending, challenging)),
        TeamEliminated(at=at, team=loser, place=standing),
    ]
    fallen = (*arena.fallen, loser)
    if not arena.challengers:
        arena = replace(arena, defender=winner, challenger=None, fallen=fallen, champion=winner)
        state = _with_arena(state, arena)
        assert state.round is not None
        placements = (winner, *reversed(fallen))
        state = replace(state, round=replace(state.round, placements=placements))
        return state, [*events, ArenaWon(at=at, team=winner)], True
    following, *waiting = arena.challengers
    arena = ArenaState(
        defender=winner,
        challengers=tuple(waiting),
        challenger=following,
        duel_turn=0,
        duel_points={winner: 0, following: 0},
        fallen=fallen,
        passes_left=arena.passes_left,
    )
    events.append(DuelStarted(at=at, defender=winner, challenger=following))
    return _with_arena(state, arena), events, False


def _with_arena(state: ContestState, arena: ArenaState) -> ContestState:
    assert state.round is not None
    return replace(state, round=replace(state.round, arena=arena))
