"""快问快答: a team (or every team in parallel) answers as many questions as it can in a window.

Each lane walks the round's question list: in parallel every team gets the same questions in
the same order; one team at a time continues where the previous team stopped, so nobody gets
a question another team has seen. A right answer scores, a wrong one costs the round's
deduction (0 by default), 过 skips. Answers are revealed when every open lane has closed.
"""

from __future__ import annotations

from dataclasses import replace

from quiz.engine import rounds
from quiz.engine.commands import Judge, PassQuestion, StartWindow, SubmitAnswer
from quiz.engine.events import (
    AnswerRevealed,
    Event,
    RapidQuestionServed,
    RapidWindowClosed,
    RapidWindowOpened,
    TurnPassed,
)
from quiz.engine.play import (
    Result,
    check_fits,
    check_team,
    earlier_answer,
    forbid,
    question,
    record_judgement,
    refuse,
)
from quiz.engine.questions import Response, is_correct
from quiz.engine.state import ContestState, JudgedBy, Lane, RapidState


def start_window(state: ContestState, command: StartWindow) -> Result:
    """Open the window for one team (turn mode) or for all (parallel mode), once per team."""
    round_state = state.round
    if state.phase != "round" or round_state is None or round_state.kind != "rapid":
        raise refuse(
            state, "StartWindow", "windows open in rapid-fire rounds only", "not_rapid_round"
        )
    rapid = round_state.rapid or RapidState()
    if any(not lane.closed for lane in rapid.lanes):
        raise refuse(state, "StartWindow", "a window is already running", "window_running")
    if state.round_rules().mode == "all":
        if command.team is not None:
            raise forbid(
                state,
                "StartWindow",
                "in parallel mode every team starts together",
                "parallel_windows",
            )
        teams = tuple(t for t in round_state.participants if t not in rapid.done)
    else:
        team = command.team or next((t for t in round_state.order if t not in rapid.done), None)
        if team is None:
            raise forbid(state, "StartWindow", "every team has had its window", "no_window_left")
        check_team(state, "StartWindow", team)
        teams = (team,)
    if not teams or any(t in rapid.done for t in teams):
        raise forbid(state, "StartWindow", "that team has already had its window", "window_used")
    ends_at = command.at + state.round_rules().rapid_window_ms
    lanes = tuple(
        Lane(team=team, cursor=rapid.cursor, ends_at=ends_at, question_id=None) for team in teams
    )
    state = _with_rapid(state, replace(rapid, lanes=lanes))
    events: list[Event] = [RapidWindowOpened(at=command.at, teams=teams, ends_at=ends_at)]
    for team in teams:
        state, served = _serve(state, team, command.at)
        events += served
    return state, events


def submit(state: ContestState, command: SubmitAnswer) -> Result:
    """A device answer to the lane's current question, judged at once."""
    lane = _open_lane(state, "SubmitAnswer", command.team)
    if state.round_rules().answer_input == "spoken":
        raise forbid(
            state,
            "SubmitAnswer",
            "answers in this round are spoken; the host judges",
            "spoken_answers",
        )
    assert lane.question_id is not None
    item = question(state, lane.question_id)
    check_fits(state, item, command.response)
    correct = is_correct(item, command.response)
    return _judged(state, lane, correct, "auto", command.at, command.response, command.player)


def judge(state: ContestState, command: Judge) -> Result:
    """The host's judgement of the lane's current (spoken) answer."""
    lane = _open_lane(state, "Judge", command.team)
    assert lane.question_id is not None
    # After an undo the host re-judges the typed answer: it keeps its response and its author.
    earlier = earlier_answer(state, lane.question_id, lane.team)
    if earlier is None:
        return _judged(state, lane, command.correct, "host", command.at, None, None)
    return _judged(
        state, lane, command.correct, "host", command.at, earlier.response, earlier.player
    )


def pass_question(state: ContestState, command: PassQuestion) -> Result:
    """过: skip the lane's current question without score."""
    if not state.round_rules().allow_pass:
        raise forbid(state, "PassQuestion", "this round allows no pass", "no_pass")
    lane = _open_lane(state, "PassQuestion", command.team)
    passed = TurnPassed(at=command.at, team=lane.team, question_id=lane.question_id)
    state, events = _serve(state, lane.team, command.at, advance=True)
    return state, [passed, *events]


def next_deadline(state: ContestState) -> int | None:
    """The earliest end of a running lane."""
    assert state.round is not None
    assert state.round.rapid is not None
    ends = [lane.ends_at for lane in state.round.rapid.lanes if not lane.closed]
    return min(ends) if ends else None


def close_due_lanes(state: ContestState, at: int) -> Result:
    """Close every lane whose window ended by `at`."""
    assert state.round is not None
    assert state.round.rapid is not None
    events: list[Event] = []
    for lane in state.round.rapid.lanes:
        if not lane.closed and lane.ends_at <= at:
            state, closed = _close_lane(state, lane.team, lane.ends_at)
            events += closed
            if state.round is None:
                break
    return state, events


def _judged(
    state: ContestState,
    lane: Lane,
    correct: bool,
    by: JudgedBy,
    at: int,
    response: Response | None,
    player: str | None,
) -> Result:
    assert lane.question_id is not None
    rules = state.round_rules()
    delta = rules.points if correct else -rules.deduction
    state, events = record_judgement(
        state,
        lane.team,
        lane.question_id,
        correct,
        by,
        at,
        delta,
        response,
        player=player,
    )
    if correct:
        state = _update_lane(state, replace(_lane(state, lane.team), correct=lane.correct + 1))
    state, served = _serve(state, lane.team, at, advance=True)
    return state, events + served


def _serve(state: ContestState, team: str, at: int, advance: bool = False) -> Result:
    """Move the lane to its next question; a lane that runs out of questions closes early."""
    assert state.round is not None
    lane = _lane(state, team)
    cursor = lane.cursor + 1 if advance else lane.cursor
    queue = state.round.queue
    if cursor >= len(queue):
        state = _update_lane(state, replace(lane, cursor=cursor, question_id=None))
        return _close_lane(state, team, at)
    question_id = queue[cursor]
    lane = replace(lane, cursor=cursor, question_id=question_id, served=(*lane.served, question_id))
    state = _update_lane(state, lane)
    if question_id not in state.used:
        state = replace(state, used=(*state.used, question_id))
    return state, [RapidQuestionServed(at=at, team=team, question_id=question_id)]


def _close_lane(state: ContestState, team: str, at: int) -> Result:
    """End a lane; when no lane runs any more, reveal what was served and maybe end the round."""
    lane = _lane(state, team)
    state = _update_lane(state, replace(lane, closed=True))
    events: list[Event] = [
        RapidWindowClosed(at=at, team=team, correct=lane.correct, served=len(lane.served))
    ]
    assert state.round is not None
    assert state.round.rapid is not None
    rapid = state.round.rapid
    if any(not other.closed for other in rapid.lanes):
        return state, events
    served = [qid for other in rapid.lanes for qid in other.served]
    fresh = tuple(dict.fromkeys(qid for qid in served if qid not in state.revealed))
    cursor = max(
        (other.cursor + (1 if other.question_id is not None else 0) for other in rapid.lanes),
        default=rapid.cursor,
    )
    done = (*rapid.done, *(other.team for other in rapid.lanes))
    participants = state.round.participants
    state = replace(state, revealed=(*state.revealed, *fresh))
    state = _with_rapid(state, replace(rapid, done=done, cursor=cursor))
    events += [AnswerRevealed(at=at, question_id=qid) for qid in fresh]
    if all(t in done for t in participants):
        state, ended = rounds.end_round(state, at, "every team had its window")
        events += ended
    return state, events


def _open_lane(state: ContestState, command: str, team: str) -> Lane:
    round_state = state.round
    if state.phase != "round" or round_state is None or round_state.rapid is None:
        raise refuse(state, command, "no rapid-fire window is running", "no_window_running")
    check_team(state, command, team)
    lane = next((lane for lane in round_state.rapid.lanes if lane.team == team), None)
    if lane is None or lane.closed or lane.question_id is None:
        raise forbid(
            state, command, f"{team} has no rapid-fire window running", "no_window_running"
        )
    return lane


def _lane(state: ContestState, team: str) -> Lane:
    assert state.round is not None
    assert state.round.rapid is not None
    return next(lane for lane in state.round.rapid.lanes if lane.team == team)


def _update_lane(state: ContestState, lane: Lane) -> ContestState:
    assert state.round is not None
    assert state.round.rapid is not None
    rapid = state.round.rapid
    lanes = tuple(lane if other.team == lane.team else other for other in rapid.lanes)
    return _with_rapid(state, replace(rapid, lanes=lanes))


def _with_rapid(state: ContestState, rapid: RapidState) -> ContestState:
    assert state.round is not None
    return replace(state, round=replace(state.round, rapid=rapid))
