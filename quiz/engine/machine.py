"""The one entry point: apply(state, command) -> (state, events), and replay by folding it.

Time is an input. Before a command takes effect, every deadline at or before its `at` fires,
stamped with the deadline's own time, so the outcome never depends on when a Tick happened to
arrive. A refused command raises and leaves the state untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from quiz.engine import answering, arena, corrections, racing, rapid, rounds
from quiz.engine.clocksync import ClockSyncError, estimate_clock
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
    SetUpContest,
    SkipQuestion,
    StartRound,
    StartWindow,
    SubmitAnswer,
    SyncClock,
    Tick,
    UndoJudgement,
)
from quiz.engine.errors import ContestOver
from quiz.engine.events import (
    ClockSynced,
    ContestFinished,
    ContestPaused,
    ContestReopened,
    ContestResumed,
    ContestSetUp,
    Event,
    PodiumRevealed,
    StandingsFrozen,
)
from quiz.engine.play import Result, check_team, forbid, refuse
from quiz.engine.questions import Question
from quiz.engine.rules import RuleSet
from quiz.engine.scoring import add_score, standings
from quiz.engine.selection import RoundPlan
from quiz.engine.shuffle import contest_questions
from quiz.engine.state import BLANK, ContestState, RoundState

# Commands still accepted while the contest is paused (a Buzz is answered with BuzzIgnored).
_WHILE_PAUSED = (Resume, AdjustScore, SyncClock, Tick, UndoJudgement, FreezeStandings, Buzz)
# The only commands a finished contest accepts: none of them changes a score or a ranking.
_WHILE_FINISHED = (RevealPodium, ReopenContest, SyncClock, Tick)


def apply(state: ContestState, command: Command) -> tuple[ContestState, tuple[Event, ...]]:
    """Fire the deadlines due by command.at, then apply the command; illegal ones raise."""
    if isinstance(command, SetUpContest):
        new_state, events = _set_up(state, command)
        return new_state, tuple(events)
    if state.phase == "blank":
        raise refuse(state, type(command).__name__, "the contest is not set up", "not_set_up")
    if state.paused_at is not None and not isinstance(command, _WHILE_PAUSED):
        raise refuse(state, type(command).__name__, "the contest is paused", "paused")
    if state.phase == "finished" and not isinstance(command, _WHILE_FINISHED):
        name = type(command).__name__
        raise ContestOver(name, state.phase_name(), "the contest is over; the host may reopen it")
    round_before, judged_before = state.round, len(state.judgements)
    state, events = _advance(state, command.at)
    handler = _HANDLERS[type(command)]
    state, more = handler(state, command)
    # Undo stays possible only until the play moves on without a new judgement.
    if (
        state.undo_point is not None
        and len(state.judgements) == judged_before
        and state.round is not round_before
        and not isinstance(command, UndoJudgement)
    ):
        state = replace(state, undo_point=None)
    return state, (*events, *more)


def replay(commands: Iterable[Command], state: ContestState = BLANK) -> ContestState:
    """Fold stored commands from the start: the result equals the live state."""
    for command in commands:
        state, _ = apply(state, command)
    return state


def new_contest(
    contest_id: str,
    rules: RuleSet,
    questions: Iterable[Question],
    plan: tuple[RoundPlan, ...],
    seed: int = 0,
    at: int = 0,
) -> ContestState:
    """A set-up contest in the lobby (apply of SetUpContest to the blank state)."""
    command = SetUpContest(
        at=at,
        contest_id=contest_id,
        rules=rules,
        questions=tuple(questions),
        plan=plan,
        seed=seed,
    )
    return apply(BLANK, command)[0]


def final_ranking(state: ContestState) -> tuple[str, ...]:
    """The contest's order: a placement round's result when the template says so, else scores."""
    by_score = tuple(standing.team for standing in standings(state))
    assert state.rules is not None
    kind = state.rules.final_ranking
    placed = next((r.placements for r in reversed(state.results) if r.kind == kind), None)
    if kind == "score" or placed is None:
        return by_score
    return (*placed, *(team for team in by_score if team not in placed))


def _set_up(state: ContestState, command: SetUpContest) -> Result:
    """A contest is set up once, with a plan per round naming only questions it carries."""
    if state.phase != "blank":
        raise refuse(state, "SetUpContest", "the contest is already set up", "already_set_up")
    rules = command.rules
    questions = {q.id: q for q in command.questions}
    if len(questions) != len(command.questions):
        raise forbid(state, "SetUpContest", "question ids repeat", "bad_plan")
    if len(command.plan) != len(rules.rounds):
        raise forbid(state, "SetUpContest", "the plan needs one entry per round", "bad_plan")
    for plan in command.plan:
        ids = (*plan.question_ids, *plan.reserve_ids, *(q for _, t in plan.tiers for q in t))
        missing = [qid for qid in ids if qid not in questions]
        if missing:
            raise forbid(
                state, "SetUpContest", f"planned questions not supplied: {missing[:5]}", "bad_plan"
            )
    teams = rules.team_ids()
    state = replace(
        BLANK,
        contest_id=command.contest_id,
        phase="lobby",
        rules=rules,
        questions=contest_questions(questions, rules, command.plan, command.seed),
        plan=command.plan,
        seed=command.seed,
        totals=dict.fromkeys(teams, 0),
        tiebreak_totals=dict.fromkeys(teams, 0),
    )
    events: list[Event] = [
        ContestSetUp(
            at=command.at,
            contest_id=command.contest_id,
            teams=teams,
            rounds=tuple(r.name for r in rules.rounds),
        )
    ]
    if rules.base_score:
        for team in teams:
            state, changed = add_score(state, team, rules.base_score, "base", command.at)
            events.append(changed)
    return state, events


def _advance(state: ContestState, at: int) -> Result:
    """Fire, in time order, every deadline at or before `at` (none while paused)."""
    events: list[Event] = []
    while state.paused_at is None and state.phase == "round" and state.round is not None:
        due = _next_deadline(state.round)
        if due is None or due > at:
            break
        state, fired = _fire(state, due)
        events += fired
    return state, events


def next_deadline(state: ContestState) -> int | None:
    """When the next timer of a running, unpaused contest fires (None: no timer is running)."""
    if state.paused_at is not None or state.phase != "round" or state.round is None:
        return None
    return _next_deadline(state.round)


def _next_deadline(round_state: RoundState) -> int | None:
    play = round_state.play
    if play is not None and play.step != "closed" and play.deadline is not None:
        return play.deadline
    if round_state.rapid is not None:
        ends = [lane.ends_at for lane in round_state.rapid.lanes if not lane.closed]
        return min(ends) if ends else None
    return None


def _fire(state: ContestState, due: int) -> Result:
    assert state.round is not None
    play = state.round.play
    if play is None or play.step == "closed" or play.deadline is None:
        return rapid.close_due_lanes(state, due)
    if play.step == "armed":
        return racing.window_closed(state, due)
    if play.step == "collecting":
        return racing.decide(state, due)
    return answering.answer_deadline(state, due)


def _tick(state: ContestState, command: Tick) -> Result:
    """Time passing does nothing by itself; its deadlines already fired."""
    return state, []


def _pass(state: ContestState, command: PassQuestion) -> Result:
    """Pass means 过 in rapid fire, the pass token in the arena and 弃权 in risk rounds."""
    kind = state.round.kind if state.phase == "round" and state.round is not None else None
    if kind == "rapid":
        return rapid.pass_question(state, command)
    if kind == "arena":
        return arena.use_pass(state, command)
    if kind == "risk":
        return rounds.pass_turn(state, command)
    raise refuse(state, "PassQuestion", "this round has no pass", "no_pass")


def _submit(state: ContestState, command: SubmitAnswer) -> Result:
    if state.round is not None and state.round.kind == "rapid":
        return rapid.submit(state, command)
    return answering.submit_answer(state, command)


def _judge(state: ContestState, command: Judge) -> Result:
    if state.round is not None and state.round.kind == "rapid":
        return rapid.judge(state, command)
    return answering.judge(state, command)


def _sync_clock(state: ContestState, command: SyncClock) -> Result:
    """A team's ping samples become its clock estimate (kept as evidence in the command)."""
    check_team(state, "SyncClock", command.team)
    try:
        estimate = estimate_clock(command.samples)
    except ClockSyncError as error:
        raise forbid(state, "SyncClock", str(error), "bad_clock") from error
    state = replace(state, clocks={**state.clocks, command.team: estimate})
    return state, [
        ClockSynced(
            at=command.at,
            team=command.team,
            offset_ms=estimate.offset_ms,
            bound_ms=estimate.bound_ms,
            rtt_ms=estimate.rtt_ms,
        )
    ]


def _pause(state: ContestState, command: Pause) -> Result:
    """Stop the clock of every timer (a finished contest has none; apply refuses it there)."""
    return replace(state, paused_at=command.at), [ContestPaused(at=command.at)]


def _resume(state: ContestState, command: Resume) -> Result:
    """Every running deadline moves on by the length of the pause."""
    if state.paused_at is None:
        raise refuse(state, "Resume", "the contest is not paused", "not_paused")
    shift = max(command.at - state.paused_at, 0)
    state = replace(state, paused_at=None)
    if state.round is not None:
        state = replace(state, round=_shifted(state.round, shift))
    return state, [ContestResumed(at=command.at, paused_ms=shift)]


def _shifted(round_state: RoundState, shift: int) -> RoundState:
    """The round with its timers moved `shift` ms later."""

    def later(value: int | None) -> int | None:
        return None if value is None else value + shift

    play = round_state.play
    if play is not None and play.step != "closed":
        race = play.race
        if race is not None and race.winner is None:
            race = replace(race, armed_at=race.armed_at + shift)
        play = replace(
            play,
            deadline=later(play.deadline),
            answer_opened_at=later(play.answer_opened_at),
            race=race,
        )
    rapid_state = round_state.rapid
    if rapid_state is not None:
        lanes = tuple(
            lane if lane.closed else replace(lane, ends_at=lane.ends_at + shift)
            for lane in rapid_state.lanes
        )
        rapid_state = replace(rapid_state, lanes=lanes)
    return replace(round_state, play=play, rapid=rapid_state)


def _freeze(state: ContestState, command: FreezeStandings) -> Result:
    """From now on, only the host sees score changes, until the podium."""
    if state.frozen_at is not None:
        raise forbid(state, "FreezeStandings", "the standings are already frozen", "already_frozen")
    return replace(state, frozen_at=len(state.ledger)), [StandingsFrozen(at=command.at)]


def _end_contest(state: ContestState, command: EndContest) -> Result:
    """The contest ends between rounds; its ranking is fixed."""
    if state.phase not in ("lobby", "between_rounds"):
        raise refuse(state, "EndContest", "end the running round first", "round_running")
    ranking = final_ranking(state)
    return replace(state, phase="finished"), [ContestFinished(at=command.at, ranking=ranking)]


def _reveal_podium(state: ContestState, command: RevealPodium) -> Result:
    """The top three of the final ranking, with every score visible again."""
    if state.phase != "finished":
        raise refuse(state, "RevealPodium", "the contest has not finished", "not_finished")
    places = final_ranking(state)[:3]
    state = replace(state, podium=places, frozen_at=None)
    return state, [PodiumRevealed(at=command.at, places=places)]


def _reopen_contest(state: ContestState, command: ReopenContest) -> Result:
    """Only a finished contest reopens, between rounds, with a note; its podium is withdrawn."""
    if state.phase != "finished":
        raise refuse(state, "ReopenContest", "the contest has not finished", "not_finished")
    note = command.note.strip()
    if not note:
        raise forbid(state, "ReopenContest", "a reopening needs a note saying why", "note_required")
    state = replace(state, phase="between_rounds", podium=None, reopened_note=note)
    return state, [ContestReopened(at=command.at, note=note)]


_HANDLERS: dict[type[Any], Callable[[ContestState, Any], Result]] = {
    StartRound: lambda state, command: rounds.start_round(state, command.at),
    EndRound: lambda state, command: rounds.host_end_round(state, command.at),
    OpenQuestion: rounds.open_question,
    PromptAnswer: answering.prompt_answer,
    ArmBuzzers: racing.arm,
    Buzz: racing.buzz,
    SubmitAnswer: _submit,
    Judge: _judge,
    PassQuestion: _pass,
    ChooseTier: rounds.choose_tier,
    StartWindow: rapid.start_window,
    UndoJudgement: corrections.undo_judgement,
    AdjustScore: corrections.adjust_score,
    SkipQuestion: corrections.skip_question,
    ReplaceQuestion: corrections.replace_question,
    SyncClock: _sync_clock,
    Pause: _pause,
    Resume: _resume,
    FreezeStandings: _freeze,
    EndContest: _end_contest,
    RevealPodium: _reveal_podium,
    ReopenContest: _reopen_contest,
    Tick: _tick,
}
