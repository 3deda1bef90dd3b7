"""Answering and judging: the 请回答 prompt, device answers, host judgements and timeouts.

One team answers a `single` play (必答 in turn, 风险, 擂台 in turn) and the winner of a `race`;
every team answers a `parallel` play (必答 all at once, PK), whose answers are judged together
when the window closes so that no team learns another's result while it can still answer.
Silence until the deadline counts as a wrong answer when teams answer on their devices; a spoken
answer is judged only by the host, so its deadline stops the clock and waits (step `judging`).
"""

from __future__ import annotations

from dataclasses import replace

from quiz.engine import racing, rounds
from quiz.engine.commands import Judge, PromptAnswer, SubmitAnswer
from quiz.engine.events import AnswerSubmitted, Event
from quiz.engine.play import (
    Result,
    check_fits,
    check_team,
    close_play,
    current_play,
    earlier_answer,
    forbid,
    judgement_delta,
    open_answer_window,
    question,
    race_member,
    record_judgement,
    refuse,
    with_play,
)
from quiz.engine.questions import is_correct
from quiz.engine.scoring import mean_points, speed_points
from quiz.engine.state import ContestState, Play, Submission


def prompt_answer(state: ContestState, command: PromptAnswer) -> Result:
    """请回答: open the answer window of a question that is being read."""
    play = current_play(state, "PromptAnswer")
    if play.style == "race":
        raise refuse(
            state, "PromptAnswer", "a buzzer question is armed, not prompted", "buzzer_question"
        )
    if play.step != "reading":
        raise refuse(
            state, "PromptAnswer", "the answer window is already open", "answer_window_open"
        )
    state, opened = open_answer_window(state, command.at)
    return state, [opened]


def submit_answer(state: ContestState, command: SubmitAnswer) -> Result:
    """A device answer: judged at once for one answering team, held until close in parallel."""
    play = current_play(state, "SubmitAnswer")
    check_team(state, "SubmitAnswer", command.team)
    if state.round_rules().answer_input == "spoken":
        raise forbid(
            state,
            "SubmitAnswer",
            "answers in this round are spoken; the host judges",
            "spoken_answers",
        )
    if play.step == "reading":
        raise forbid(state, "SubmitAnswer", "an answer before 请回答 is invalid", "not_prompted")
    if play.step != "answering":
        raise refuse(state, "SubmitAnswer", "no answer window is open", "no_answer_window")
    if command.team not in play.answering or command.team in play.tried:
        raise forbid(
            state, "SubmitAnswer", f"{command.team} is not answering this question", "not_your_turn"
        )
    if play.style == "parallel":
        return _hand_in(state, play, command)
    item = question(state, play.question_id)
    check_fits(state, item, command.response)
    correct = is_correct(item, command.response)
    delta = judgement_delta(state, play, correct, command.at)
    player = command.player if command.player is not None else race_member(play, command.team)
    state, events = record_judgement(
        state,
        command.team,
        play.question_id,
        correct,
        "auto",
        command.at,
        delta,
        command.response,
        player=player,
    )
    state, after = after_judgement(state, command.team, correct, command.at)
    return state, events + after


def judge(state: ContestState, command: Judge) -> Result:
    """The host's judgement of an answering team (spoken answers, or overriding a device)."""
    play = current_play(state, "Judge")
    check_team(state, "Judge", command.team)
    if play.step not in ("answering", "judging"):
        raise refuse(state, "Judge", "nobody is answering", "nobody_answering")
    if command.team not in play.answering or command.team in play.tried:
        raise forbid(
            state, "Judge", f"{command.team} has no answer awaiting judgement", "nothing_to_judge"
        )
    delta = judgement_delta(state, play, command.correct, command.at)
    # The host's judgement keeps the device answer it ruled on (after an undo) and its author,
    # so the console shows what was judged and the credit stays with the same member.
    earlier = earlier_answer(state, play.question_id, command.team)
    response = earlier.response if earlier is not None else None
    player = earlier.player if earlier is not None else _member(state, play, command.team)
    state, events = record_judgement(
        state,
        command.team,
        play.question_id,
        command.correct,
        "host",
        command.at,
        delta,
        response,
        player=player,
    )
    state, after = after_judgement(state, command.team, command.correct, command.at)
    return state, events + after


def _member(state: ContestState, play: Play, team: str) -> str | None:
    """Who answered for the team: in parallel the first member whose hand-in was right (else
    the first to hand in), otherwise the member whose buzz won the race."""
    if play.style != "parallel":
        return race_member(play, team)
    item = question(state, play.question_id)
    handed = [s for s in play.submissions if s.team == team]
    right = [s for s in handed if is_correct(item, s.response)]
    return next((s.player for s in right or handed), None)


def answer_deadline(state: ContestState, at: int) -> Result:
    """The answer window closed: a device silence is wrong, a spoken answer waits for the host;
    a parallel question is judged as a whole."""
    assert state.round is not None
    assert state.round.play is not None
    play = state.round.play
    if play.style == "parallel":
        return _judge_parallel(state, at)
    if state.round_rules().answer_input == "spoken":
        # A spoken answer is the host's to judge: a slow ✓ must not cost the team points, so
        # time-up only stops the clock and the answer waits before the host.
        return with_play(state, replace(play, step="judging", deadline=None)), []
    team = play.answering[0]
    delta = -play.deduction
    state, events = record_judgement(
        state, team, play.question_id, False, "timeout", at, delta, player=race_member(play, team)
    )
    state, after = after_judgement(state, team, False, at)
    return state, events + after


def after_judgement(state: ContestState, team: str, correct: bool, at: int) -> Result:
    """Close the question, rebound a wrong buzzer answer, or wait for the other teams."""
    assert state.round is not None
    assert state.round.play is not None
    play = state.round.play
    play = replace(play, tried=(*play.tried, team), deadline=None)
    state = with_play(state, play)
    if play.style == "parallel":
        if any(t not in play.tried for t in play.answering):
            return state, []
        return finish(state, at, "answered")
    if correct:
        return finish(state, at, "correct")
    if play.style == "race":
        return racing.rebound_or_close(state, at)
    return finish(state, at, "wrong")


def finish(state: ContestState, at: int, outcome: str) -> Result:
    """Close the question, reveal it, and let the round move on."""
    state, events = close_play(state, at, outcome)
    state, after = rounds.after_close(state, at)
    return state, events + after


def _hand_in(state: ContestState, play: Play, command: SubmitAnswer) -> Result:
    """Keep a parallel answer (one per team, or one per player when members answer alone),
    with the member who handed it in."""
    player = command.player
    individual = state.round_rules().members_answer == "individual"
    roster = _roster(state, command.team)
    if individual and player is None and roster:
        raise forbid(
            state, "SubmitAnswer", "members answer individually: name the player", "player_required"
        )
    if individual and player is not None and player not in roster:
        raise forbid(
            state, "SubmitAnswer", f"{player!r} is not a player of {command.team}", "unknown_player"
        )
    # A team answer is one per team, whichever member sends it.
    if any(
        s.team == command.team and (not individual or s.player == player) for s in play.submissions
    ):
        raise forbid(state, "SubmitAnswer", "this answer was already handed in", "already_answered")
    check_fits(state, question(state, play.question_id), command.response)
    submission = Submission(
        team=command.team, player=player, response=command.response, at=command.at
    )
    play = replace(play, submissions=(*play.submissions, submission))
    state = with_play(state, play)
    event = AnswerSubmitted(
        at=command.at,
        team=command.team,
        player=player,
        question_id=play.question_id,
        response=command.response,
    )
    expected = sum(_expected_answers(state, team) for team in play.answering)
    if len(play.submissions) < expected:
        return state, [event]
    state, events = _judge_parallel(state, command.at)
    return state, [event, *events]


def _judge_parallel(state: ContestState, at: int) -> Result:
    """Judge every team not yet judged: device answers automatically, spoken ones by the host."""
    assert state.round is not None
    assert state.round.play is not None
    play = replace(state.round.play, step="judging", deadline=None)
    state = with_play(state, play)
    if state.round_rules().answer_input == "spoken":
        return state, []
    events: list[Event] = []
    for team in play.answering:
        if team in play.tried:
            continue
        correct, delta = _team_result(state, play, team)
        player = _member(state, play, team)
        state, judged = record_judgement(
            state, team, play.question_id, correct, "auto", at, delta, player=player
        )
        events += judged
        state, after = after_judgement(state, team, correct, at)
        events += after
    return state, events


def _team_result(state: ContestState, play: Play, team: str) -> tuple[bool, int]:
    """A team's result from its members' answers, combined by sum or mean over the roster."""
    rules = state.round_rules()
    item = question(state, play.question_id)
    member_points: list[int] = []
    any_correct = False
    for submission in play.submissions:
        if submission.team != team:
            continue
        right = is_correct(item, submission.response)
        any_correct = any_correct or right
        if right and rules.speed_bonus and play.answer_opened_at is not None:
            elapsed = submission.at - play.answer_opened_at
            member_points.append(speed_points(play.value, elapsed, play.answer_time_ms))
        else:
            member_points.append(play.value if right else -play.deduction)
    expected = _expected_answers(state, team)
    member_points += [-play.deduction] * (expected - len(member_points))
    if rules.team_scoring == "mean":
        return any_correct, mean_points(member_points, expected)
    return any_correct, sum(member_points)


def _roster(state: ContestState, team: str) -> tuple[str, ...]:
    assert state.rules is not None
    return next(t.players for t in state.rules.teams if t.id == team)


def _expected_answers(state: ContestState, team: str) -> int:
    """One answer per team, or one per player when members answer individually."""
    if state.round_rules().members_answer == "individual":
        return max(1, len(_roster(state, team)))
    return 1
