"""The question in play: opening it, its value and time, judging an answer, closing it.

These helpers know nothing of round kinds; rounds.py decides what follows a closed question.
"""

from __future__ import annotations

from dataclasses import replace

from quiz.engine.errors import BadResponse, CommandRefused, NotPermitted, UnknownTeam, WrongPhase
from quiz.engine.events import (
    AnswerJudged,
    AnswerRevealed,
    AnswerWindowOpened,
    Event,
    QuestionClosed,
    QuestionOpened,
)
from quiz.engine.qtypes import kind_of
from quiz.engine.questions import Question, Response
from quiz.engine.scoring import add_score, speed_points
from quiz.engine.state import (
    Bucket,
    ContestState,
    JudgedBy,
    Judgement,
    Play,
    PlayStyle,
    QuestionStart,
    RoundState,
    UndoPoint,
    evolve,
)

Result = tuple[ContestState, list[Event]]


def refuse(
    state: ContestState, command: str, reason: str, reason_code: str | None = None
) -> CommandRefused:
    """A WrongPhase error naming the current phase, with its reason code (docs/protocol.md)."""
    return WrongPhase(command, state.phase_name(), reason, reason_code)


def forbid(
    state: ContestState, command: str, reason: str, reason_code: str | None = None
) -> CommandRefused:
    """A NotPermitted error naming the current phase, with its reason code (docs/protocol.md)."""
    return NotPermitted(command, state.phase_name(), reason, reason_code)


def check_team(state: ContestState, command: str, team: str) -> None:
    """Refuse a command naming a team that is not in the contest."""
    if team not in state.totals:
        raise UnknownTeam(command, state.phase_name(), f"no team {team!r} in this contest")


def running_round(state: ContestState, command: str) -> RoundState:
    """The running round, or a WrongPhase error when none runs."""
    if state.phase != "round" or state.round is None:
        raise refuse(state, command, "no round is running", "no_round")
    return state.round


def current_play(state: ContestState, command: str) -> Play:
    """The open (not yet closed) question, or a WrongPhase error."""
    round_state = running_round(state, command)
    if round_state.play is None or round_state.play.step == "closed":
        raise refuse(state, command, "no question is open", "no_question")
    return round_state.play


def with_play(state: ContestState, play: Play | None) -> ContestState:
    """The state with the running round's play replaced."""
    assert state.round is not None
    return evolve(state, round=evolve(state.round, play=play))


def question(state: ContestState, question_id: str) -> Question:
    """A question of the contest by id."""
    return state.questions[question_id]


def question_value(state: ContestState, question_id: str, tier: int | None = None) -> int:
    """Points at stake: risk tier, else the question's points, else by type, else the round's."""
    if tier is not None:
        return tier
    rules = state.round_rules()
    item = question(state, question_id)
    if item.points is not None:
        return item.points
    return dict(rules.points_by_type).get(item.type, rules.points)


def answer_time_ms(state: ContestState, question_id: str) -> int:
    """Time to answer: the question's own limit (seconds) when set, else the round's."""
    limit = question(state, question_id).time_limit
    return limit * 1000 if limit is not None else state.round_rules().answer_time_ms


def bucket(state: ContestState) -> Bucket:
    """Points scored in a tie-break round only order the tied teams; they never add to scores."""
    return "tiebreak" if state.round is not None and state.round.kind == "tiebreak" else "main"


def open_play(
    state: ContestState,
    question_id: str,
    style: PlayStyle,
    teams: tuple[str, ...],
    answering: tuple[str, ...],
    at: int,
    tier: int | None = None,
) -> Result:
    """Show a question; without a required prompt the answer window opens at once (not races)."""
    value = question_value(state, question_id, tier)
    deduction = value if tier is not None else state.round_rules().deduction
    play = Play(
        question_id=question_id,
        style=style,
        step="reading",
        teams=teams,
        answering=answering,
        value=value,
        deduction=deduction,
        answer_time_ms=answer_time_ms(state, question_id),
        opened_at=at,
    )
    assert state.round is not None
    start = QuestionStart(
        question_id=question_id,
        round_index=state.round_index,
        round=state.round,
        style=style,
        teams=teams,
        answering=answering,
        tier=tier,
    )
    state = replace(
        state,
        used=(*state.used, question_id),
        round=replace(state.round, play=play, asked=state.round.asked + 1),
        question_start=start,
    )
    events: list[Event] = [QuestionOpened(at=at, question_id=question_id, teams=teams, value=value)]
    if style != "race" and not state.round_rules().require_prompt:
        state, opened = open_answer_window(state, at)
        events.append(opened)
    return state, events


def open_answer_window(state: ContestState, at: int) -> tuple[ContestState, AnswerWindowOpened]:
    """The answer window opens for the answering teams, closing answer_time later."""
    assert state.round is not None
    assert state.round.play is not None
    play = state.round.play
    deadline = at + play.answer_time_ms
    play = replace(play, step="answering", deadline=deadline, answer_opened_at=at)
    event = AnswerWindowOpened(
        at=at, question_id=play.question_id, teams=play.answering, deadline=deadline
    )
    return with_play(state, play), event


def judgement_delta(state: ContestState, play: Play, correct: bool, at: int) -> int:
    """+value (speed-scaled when the round says so) if right, -deduction if wrong."""
    if not correct:
        return -play.deduction
    if state.round_rules().speed_bonus and play.answer_opened_at is not None:
        return speed_points(play.value, at - play.answer_opened_at, play.answer_time_ms)
    return play.value


def record_judgement(
    state: ContestState,
    team: str,
    question_id: str,
    correct: bool,
    by: JudgedBy,
    at: int,
    delta: int,
    response: Response | None = None,
    *,
    player: str | None,
) -> Result:
    """Log a judgement with its score entry and the member it credits (each caller names
    them: it alone knows who answered), and remember the round before it for undo."""
    assert state.round is not None
    judgement = Judgement(
        id=len(state.judgements) + 1,
        team=team,
        question_id=question_id,
        correct=correct,
        by=by,
        at=at,
        delta=delta,
        response=response,
        player=player,
    )
    undo_point = UndoPoint(
        judgement_id=judgement.id,
        phase=state.phase,
        round_index=state.round_index,
        round=state.round,
    )
    state = replace(state, judgements=(*state.judgements, judgement), undo_point=undo_point)
    events: list[Event] = [
        AnswerJudged(
            at=at,
            judgement_id=judgement.id,
            team=team,
            question_id=question_id,
            correct=correct,
            by=by,
            delta=delta,
            response=response,
        )
    ]
    if delta != 0:
        reason = "correct" if correct else ("timeout" if by == "timeout" else "wrong")
        state, changed = add_score(
            state,
            team,
            delta,
            reason,
            at,
            question_id=question_id,
            judgement_id=judgement.id,
            bucket=bucket(state),
        )
        events.append(changed)
    return state, events


def race_member(play: Play, team: str) -> str | None:
    """The member whose buzz won the race for the team, None outside a race or unnamed."""
    if play.race is None:
        return None
    return next((b.player for b in play.race.buzzes if b.team == team), None)


def earlier_answer(state: ContestState, question_id: str, team: str) -> Judgement | None:
    """The team's last judged device answer to the question (re-judged after an undo)."""
    for judgement in reversed(state.judgements):
        same = judgement.question_id == question_id and judgement.team == team
        if same and judgement.response is not None:
            return judgement
    return None


def close_play(state: ContestState, at: int, outcome: str) -> Result:
    """Close the question in play and reveal its answer."""
    assert state.round is not None
    assert state.round.play is not None
    play = replace(state.round.play, step="closed", deadline=None, outcome=outcome)
    question_id = play.question_id
    state = with_play(state, play)
    if question_id not in state.revealed:
        state = replace(state, revealed=(*state.revealed, question_id))
    return state, [
        QuestionClosed(at=at, question_id=question_id, outcome=outcome),
        AnswerRevealed(at=at, question_id=question_id),
    ]


def check_fits(state: ContestState, item: Question, response: Response) -> None:
    """Refuse, changing nothing, a response whose shape does not fit the question's type."""
    # A misshapen response is a device or transport fault, not an answer: scoring it wrong
    # would cost the team points for something it never chose.
    kind = kind_of(item)
    if not kind.fits(item, response):
        raise BadResponse("SubmitAnswer", state.phase_name(), kind.refusal(item))
