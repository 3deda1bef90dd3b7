"""The host's corrections: undo the last judgement, adjust a score, skip or replace a question.

Nothing is ever deleted: an undo or a replacement appends compensating ledger entries, so the
ledger stays the full story of every score and the sum rule keeps holding.
"""

from __future__ import annotations

from dataclasses import replace

from quiz.engine import rounds
from quiz.engine.commands import AdjustScore, ReplaceQuestion, SkipQuestion, UndoJudgement
from quiz.engine.events import Event, JudgementUndone, QuestionReplaced, QuestionSkipped
from quiz.engine.play import Result, check_team, current_play, forbid, open_play, refuse, with_play
from quiz.engine.scoring import add_score
from quiz.engine.state import Bucket, ContestState, RoundState


def adjust_score(state: ContestState, command: AdjustScore) -> Result:
    """A manual change needs a note; it is an ordinary ledger entry with reason 'adjustment'."""
    if state.phase == "blank":
        raise refuse(state, "AdjustScore", "the contest is not set up", "not_set_up")
    check_team(state, "AdjustScore", command.team)
    if not command.note.strip():
        raise forbid(state, "AdjustScore", "a manual adjustment needs a note", "note_required")
    if command.delta == 0:
        raise forbid(state, "AdjustScore", "an adjustment of 0 changes nothing", "zero_adjustment")
    state, changed = add_score(
        state, command.team, command.delta, "adjustment", command.at, note=command.note
    )
    return state, [changed]


def undo_judgement(state: ContestState, command: UndoJudgement) -> Result:
    """Reverse the last judgement and put its answer back before the host for judging."""
    point = state.undo_point
    if point is None:
        raise forbid(
            state,
            "UndoJudgement",
            "no judgement to undo since the play moved on",
            "nothing_to_undo",
        )
    restored = point.round
    judgement = state.judgements[point.judgement_id - 1]
    if restored.rapid is not None:
        lane = next(lane for lane in restored.rapid.lanes if lane.team == judgement.team)
        if lane.ends_at <= command.at:
            raise forbid(
                state,
                "UndoJudgement",
                "the window has closed; adjust the score instead",
                "undo_too_late",
            )
    if restored.play is not None and restored.play.step != "closed":
        restored = replace(restored, play=replace(restored.play, step="judging", deadline=None))
    state = _restore_round(state, point.round_index, restored)
    state = replace(state, undone=(*state.undone, judgement.id), undo_point=None)
    events: list[Event] = [
        JudgementUndone(
            at=command.at,
            judgement_id=judgement.id,
            team=judgement.team,
            question_id=judgement.question_id,
        )
    ]
    if judgement.delta != 0:
        state, changed = add_score(
            state,
            judgement.team,
            -judgement.delta,
            "undo",
            command.at,
            question_id=judgement.question_id,
            judgement_id=judgement.id,
            bucket=_bucket_of(restored),
        )
        events.append(changed)
    return state, events


def skip_question(state: ContestState, command: SkipQuestion) -> Result:
    """Drop the open question unscored and unrevealed; the round moves on as after any close."""
    play = current_play(state, "SkipQuestion")
    state = with_play(state, replace(play, step="closed", deadline=None, outcome="skipped"))
    state, after = rounds.after_close(state, command.at)
    return state, [QuestionSkipped(at=command.at, question_id=play.question_id), *after]


def replace_question(state: ContestState, command: ReplaceQuestion) -> Result:
    """Swap the current (or just closed) question for a reserve: its scores are reversed, the
    round goes back to just before it was opened, and the new question opens for the same teams.
    Fouls stand: they were about the buzzer, not the question."""
    start = state.question_start
    if start is None or start.round_index != state.round_index:
        raise refuse(
            state, "ReplaceQuestion", "no question of this round to replace", "nothing_to_replace"
        )
    if state.phase not in ("round", "between_rounds"):
        raise refuse(state, "ReplaceQuestion", "the contest is over", "finished")
    if state.round is not None and state.round.rapid is not None:
        raise refuse(state, "ReplaceQuestion", "in rapid fire, pass instead", "rapid_no_replace")
    reserves = start.round.reserves
    new_id = command.question_id or next((q for q in reserves if q not in state.used), None)
    if new_id is None:
        raise forbid(state, "ReplaceQuestion", "no reserve question left", "no_reserve_left")
    if new_id not in state.questions or new_id in state.used:
        raise forbid(
            state,
            "ReplaceQuestion",
            f"{new_id!r} is not an unused contest question",
            "unknown_question",
        )
    events: list[Event] = [
        QuestionReplaced(at=command.at, old_question_id=start.question_id, new_question_id=new_id)
    ]
    for judgement in state.judgements:
        if judgement.question_id != start.question_id or judgement.id in state.undone:
            continue
        state = replace(state, undone=(*state.undone, judgement.id))
        if judgement.delta != 0:
            state, changed = add_score(
                state,
                judgement.team,
                -judgement.delta,
                "replaced",
                command.at,
                question_id=judgement.question_id,
                judgement_id=judgement.id,
                bucket=_bucket_of(start.round),
            )
            events.append(changed)
    restored = replace(start.round, reserves=tuple(q for q in reserves if q != new_id))
    if state.round is not None:
        restored = replace(restored, fouls=state.round.fouls, barred=state.round.barred)
    state = _restore_round(state, start.round_index, restored)
    state, opened = open_play(
        state, new_id, start.style, start.teams, start.answering, command.at, start.tier
    )
    return state, events + opened


def _restore_round(state: ContestState, round_index: int, restored: RoundState) -> ContestState:
    """Put a round back as running, dropping a placement it may have recorded on ending."""
    results = tuple(r for r in state.results if r.round_index != round_index)
    return replace(state, phase="round", round_index=round_index, round=restored, results=results)


def _bucket_of(round_state: RoundState) -> Bucket:
    return "tiebreak" if round_state.kind == "tiebreak" else "main"
