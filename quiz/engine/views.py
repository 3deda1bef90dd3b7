"""What each role may see: one projection of the state per role, as JSON-able dicts.

Roles: "host" (everything, answers included), "screen" (the projector), "audience", and
"team:<id>". Before a question is revealed no role but the host receives its answer, its
explanation or a translated answer; another team's response stays hidden until the reveal;
frozen standings stay frozen for everyone but the host; between EndContest and RevealPodium no
role but the host sees a score, a rank or the final ranking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from quiz.engine.errors import ContestError
from quiz.engine.events import (
    AnswerJudged,
    AnswerSubmitted,
    ContestFinished,
    Event,
    FoulCommitted,
    RapidWindowClosed,
    ScoreChanged,
)
from quiz.engine.legal import legal_commands
from quiz.engine.questions import Question
from quiz.engine.scoring import standings
from quiz.engine.serialization import event_to_dict, to_plain
from quiz.engine.state import ContestState, Play, RoundState

ROLES = ("host", "screen", "audience")


class UnknownRole(ContestError):
    """A role that is not host, screen, audience or team:<id> of this contest."""


def parse_role(state: ContestState, role: str) -> str | None:
    """The team id of a team role, None for the other roles; unknown roles raise UnknownRole."""
    if role in ROLES:
        return None
    prefix, _, team = role.partition(":")
    if prefix != "team" or team not in state.totals:
        raise UnknownRole(f"unknown role {role!r}")
    return team


def view(state: ContestState, role: str) -> dict[str, Any]:
    """The state as `role` may see it; only the host's says which host commands are legal now."""
    team = parse_role(state, role)
    host = role == "host"
    frozen = state.frozen_at is not None and not host
    sealed = _sealed(state, host)
    table = () if sealed else _standings_for(state, team, frozen)
    result: dict[str, Any] = {
        "role": role,
        "contest_id": state.contest_id,
        "phase": state.phase,
        "phase_name": state.phase_name(),
        "paused": state.paused_at is not None,
        "paused_at": state.paused_at,
        "teams": [{"id": t.id, "name": t.name} for t in (state.rules.teams if state.rules else ())],
        "standings": [to_plain(standing) for standing in table],
        "standings_frozen": state.frozen_at is not None,
        "ranking_sealed": sealed,
        "reopened_note": state.reopened_note,
        "tie_rule": state.rules.tie_rule if state.rules else "",
        "round": None,
        "question": None,
        "podium": list(state.podium) if state.podium is not None else None,
        "results": [to_plain(result) for result in state.results],
    }
    if state.round is not None:
        result["round"] = _round_view(state, state.round, host, team)
        if state.round.play is not None:
            result["question"] = _play_view(state, state.round.play, host, team)
    if host:
        result["clocks"] = to_plain(state.clocks)
        result["ledger_size"] = len(state.ledger)
        result["legal"] = {name: move.to_plain() for name, move in legal_commands(state).items()}
    if team is not None:
        result["you"] = _team_status(state, team, table)
    return result


def _sealed(state: ContestState, host: bool) -> bool:
    """The contest has ended and its podium is not yet revealed: the ranking is the host's."""
    # The podium is the moment the result is announced; before it a score on any screen or
    # phone would announce it early.
    return not host and state.phase == "finished" and state.podium is None


def events_for(state: ContestState, events: Iterable[Event], role: str) -> list[dict[str, Any]]:
    """Events as `role` may receive them, given the state after them."""
    team = parse_role(state, role)
    host = role == "host"
    frozen = state.frozen_at is not None and not host
    sealed = _sealed(state, host)
    secret = _lane_secrets(state, team)
    visible: list[dict[str, Any]] = []
    for event in events:
        if (frozen or sealed) and isinstance(event, ScoreChanged):
            continue
        if (
            isinstance(event, AnswerJudged | ScoreChanged)
            and event.team != team
            and event.question_id in secret
        ):
            # Another parallel lane's verdict on a question this team may still be answering.
            continue
        data = event_to_dict(event)
        if (frozen or sealed) and isinstance(event, AnswerJudged):
            # Hidden standings could be rebuilt from each judgement's score change.
            data["delta"] = None
        if (frozen or sealed) and isinstance(event, FoulCommitted):
            data["penalty"] = None
        if isinstance(event, RapidWindowClosed) and event.team != team and secret:
            data["correct"] = None
        if sealed and isinstance(event, ContestFinished):
            data["ranking"] = []
        if (
            isinstance(event, AnswerSubmitted | AnswerJudged)
            and not host
            and event.team != team
            and event.question_id not in state.revealed
        ):
            data["response"] = None
        visible.append(data)
    return visible


def question_view(item: Question, reveal: bool, tags: bool | None = None) -> dict[str, Any]:
    """A question's public fields; answer, explanation, translated answers and (unless `tags`
    says otherwise) tags only on reveal, since a tag can name the answer."""
    data: dict[str, Any] = {
        "id": item.id,
        "type": item.type,
        "text": item.text,
        "options": list(item.options),
        "difficulty": item.difficulty,
        "tags": list(item.tags) if (reveal if tags is None else tags) else [],
        "translations": {
            language: {
                "text": translation.text,
                "options": list(translation.options) if translation.options else None,
                **(
                    {
                        "explanation": translation.explanation,
                        "answer": list(translation.answer) if translation.answer else None,
                    }
                    if reveal
                    else {}
                ),
            }
            for language, translation in item.translations.items()
        },
        "revealed": reveal,
    }
    if reveal:
        data["answer"] = item.answer if isinstance(item.answer, bool) else list(item.answer)
        data["answer_indices"] = list(item.answer_indices())
        data["explanation"] = item.explanation
        data["source"] = item.source
    return data


def _lane_secrets(state: ContestState, team: str | None) -> frozenset[str]:
    """Questions whose verdicts a team may not see yet: served to another lane of a parallel
    (mode `all`) rapid-fire round and not revealed; the host and the other roles see them."""
    round_state = state.round
    if team is None or round_state is None or round_state.rapid is None:
        return frozenset()
    if state.round_rules().mode != "all":
        return frozenset()
    return frozenset(
        question_id
        for lane in round_state.rapid.lanes
        if lane.team != team
        for question_id in lane.served
        if question_id not in state.revealed
    )


def _standings_for(state: ContestState, team: str | None, frozen: bool) -> tuple[Any, ...]:
    """The standings a role sees: frozen ones as at the freeze, and for a team without other
    parallel lanes' unrevealed verdicts."""
    upto = state.frozen_at if frozen else None
    secret = _lane_secrets(state, team)
    if not secret:
        return standings(state, upto=upto)
    ledger = state.ledger if upto is None else state.ledger[:upto]
    kept = tuple(e for e in ledger if e.team == team or e.question_id not in secret)
    return standings(replace(state, ledger=kept))


def _reveal(state: ContestState, question_id: str, host: bool) -> bool:
    return host or question_id in state.revealed


def _play_view(state: ContestState, play: Play, host: bool, team: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "question": question_view(
            state.questions[play.question_id], _reveal(state, play.question_id, host)
        ),
        "style": play.style,
        "step": play.step,
        "revealed_to_all": play.question_id in state.revealed,
        "teams": list(play.teams),
        "answering": list(play.answering),
        "value": play.value,
        "deduction": play.deduction,
        "deadline": play.deadline,
        "opened_at": play.opened_at,
        "tried": list(play.tried),
        "locked": list(play.locked),
        "rebounds": play.rebounds,
        "outcome": play.outcome,
        "submitted": sorted({s.team for s in play.submissions}),
    }
    race = play.race
    if race is not None:
        trailing_until = None
        if race.decided_at is not None:
            # Presses this soon after the decision are still recorded with their margin, so a
            # phone keeps its button live that long (the update often beats a close press).
            trailing_until = race.decided_at + state.round_rules().collection_window_ms
        data["race"] = {
            "armed_at": race.armed_at,
            "decided_at": race.decided_at,
            "trailing_until": trailing_until,
            "winner": race.winner,
            "ranking": [to_plain(ranked) for ranked in race.ranking],
            "buzzed": [b.team for b in race.buzzes],
        }
        if host:
            # Buzzes fouled for an impossible claim are evidence too, in arrival order.
            evidence = sorted((*race.buzzes, *race.fouled), key=lambda b: (b.at, b.order))
            data["race"]["evidence"] = [to_plain(b) for b in evidence]
    if host:
        data["submissions"] = [to_plain(s) for s in play.submissions]
        data["answers"] = _judged_answers(state, play.question_id)
    elif team is not None:
        data["submissions"] = [to_plain(s) for s in play.submissions if s.team == team]
    return data


def _judged_answers(state: ContestState, question_id: str) -> list[dict[str, Any]]:
    """Host only: what each team answered on its device for this question, undone ones too."""
    # A device answer of the one answering team lives on its judgement, not in the play: the
    # host re-judging after an undo must see what the team said, not only that it answered.
    return [
        {
            "judgement_id": j.id,
            "team": j.team,
            "response": to_plain(j.response),
            "correct": j.correct,
            "by": j.by,
            "at": j.at,
            "undone": j.id in state.undone,
        }
        for j in state.judgements
        if j.question_id == question_id and j.response is not None
    ]


def _round_view(
    state: ContestState, round_state: RoundState, host: bool, team: str | None
) -> dict[str, Any]:
    rules = state.round_rules()
    data: dict[str, Any] = {
        "index": round_state.index,
        "kind": round_state.kind,
        "name": rules.name,
        "mode": rules.mode,
        "participants": list(round_state.participants),
        "order": list(round_state.order),
        "questions_left": len(round_state.queue),
        "fouls": dict(round_state.fouls),
        "barred": list(round_state.barred),
        "fairness": rules.fairness,
        "answer_input": rules.answer_input,
        "allow_pass": rules.allow_pass,
        "require_prompt": rules.require_prompt,
        # A phone says before arming what an early press costs, and shows the lockout after one.
        "early_press": rules.early_press,
        "early_lockout_ms": rules.early_lockout_ms,
    }
    if round_state.kind == "risk":
        on_turn = round_state.turn < len(round_state.order)
        data["turn"] = round_state.order[round_state.turn] if on_turn else None
        data["tiers"] = [{"points": tier, "left": len(ids)} for tier, ids in round_state.tiers]
    if round_state.kind == "compulsory" and rules.mode == "turn":
        data["turn"] = round_state.order[round_state.asked % len(round_state.order)]
    if round_state.arena is not None:
        data["arena"] = to_plain(round_state.arena)
    if round_state.rapid is not None:
        secret = _lane_secrets(state, team)
        lanes = []
        for lane in round_state.rapid.lanes:
            entry: dict[str, Any] = {
                "team": lane.team,
                "ends_at": lane.ends_at,
                # Another lane's count would tell a team its verdicts before the reveal.
                "correct": None if lane.team != team and secret else lane.correct,
                "served": len(lane.served),
                "closed": lane.closed,
            }
            shows_question = host or lane.team == team or rules.mode == "turn"
            if lane.question_id is not None and shows_question:
                entry["question"] = question_view(
                    state.questions[lane.question_id], _reveal(state, lane.question_id, host)
                )
            lanes.append(entry)
        data["rapid"] = {"lanes": lanes, "done": list(round_state.rapid.done)}
    return data


def _team_status(state: ContestState, team: str, table: tuple[Any, ...]) -> dict[str, Any]:
    """A team device's own situation: score, turn, lockout, what it may do now.

    Score and rank are None while the ranking is sealed (its table is then empty).
    """
    standing = next((s for s in table if s.team == team), None)
    round_state = state.round
    play = round_state.play if round_state is not None else None
    locked = play is not None and team in play.locked
    barred = round_state is not None and team in round_state.barred
    can_buzz = (
        play is not None
        and play.style == "race"
        and play.step in ("armed", "collecting")
        and team in play.teams
        and team not in play.tried
        and not locked
        and not barred
    )
    can_answer = (
        play is not None
        and play.step == "answering"
        and team in play.answering
        and team not in play.tried
    )
    # A phone reloaded during an early-press lockout still shows it: the view keeps this
    # team's end of the lockout (server ms, possibly past); another team's is none of its own.
    early_until = None
    if play is not None and play.step != "closed":
        early_until = dict(play.early_until).get(team)
    return {
        "team": team,
        "score": standing.score if standing is not None else None,
        "rank": standing.rank if standing is not None else None,
        "locked_out": locked,
        "barred": barred,
        "can_buzz": can_buzz,
        "can_answer": can_answer,
        "your_turn": play is not None and team in play.answering,
        "early_until": early_until,
    }
