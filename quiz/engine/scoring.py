"""Scores and standings: every score is the sum of its ledger entries, ranked by a stated rule.

The ledger is the only source of truth. `totals` in the state is a cache updated in the one
function that appends to the ledger (add_score); a property test checks it equals the sum.
Tie rule (documented on the screen): higher score, then higher tie-break score, then whoever
reached the score first (earliest ledger entry that set it), then fewer fouls, then seat order.
An undone or replaced judgement does not count as reaching a score: the team keeps the time it
first held the score it is back at, and a judgement made again the same way keeps the first
judgement's time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from quiz.engine.events import ScoreChanged
from quiz.engine.state import Bucket, ContestState, ScoreEntry


@dataclass(frozen=True, slots=True)
class Standing:
    """A team's place (1-based, distinct) and, on equal scores, the rule that ranked it below."""

    rank: int
    team: str
    name: str
    score: int
    tiebreak: int
    fouls: int
    tie_broken_by: str | None
    reached_at: int | None = None


def speed_points(points: int, elapsed_ms: int, limit_ms: int) -> int:
    """round(points * (1 - (t/T)/2)): a correct answer earns between half and all the points."""
    fraction = min(max(elapsed_ms, 0), limit_ms) / limit_ms if limit_ms > 0 else 0.0
    return int(points * (1 - fraction / 2) + 0.5)


def mean_points(member_points: list[int], roster_size: int) -> int:
    """A team's mean over its whole roster (members who did not answer count 0), half up."""
    if roster_size <= 0:
        return 0
    total = sum(member_points)
    return (2 * total + roster_size) // (2 * roster_size)


def add_score(
    state: ContestState,
    team: str,
    delta: int,
    reason: str,
    at: int,
    *,
    question_id: str | None = None,
    judgement_id: int | None = None,
    note: str = "",
    bucket: Bucket = "main",
) -> tuple[ContestState, ScoreChanged]:
    """Append one ledger entry (the only way a score changes) and say so."""
    entry = ScoreEntry(
        team=team,
        delta=delta,
        reason=reason,
        at=at,
        bucket=bucket,
        round_index=state.round.index if state.round is not None else None,
        question_id=question_id,
        judgement_id=judgement_id,
        note=note,
    )
    if bucket == "main":
        totals = {**state.totals, team: state.totals.get(team, 0) + delta}
        state = replace(state, ledger=(*state.ledger, entry), totals=totals)
        total = totals[team]
    else:
        tiebreak = {**state.tiebreak_totals, team: state.tiebreak_totals.get(team, 0) + delta}
        state = replace(state, ledger=(*state.ledger, entry), tiebreak_totals=tiebreak)
        total = tiebreak[team]
    return state, ScoreChanged(
        at=at,
        team=team,
        delta=delta,
        total=total,
        reason=reason,
        bucket=bucket,
        question_id=question_id,
        note=note,
    )


def ledger_totals(ledger: tuple[ScoreEntry, ...], bucket: Bucket = "main") -> dict[str, int]:
    """Each team's score as the plain sum of its ledger entries in one bucket."""
    totals: dict[str, int] = {}
    for entry in ledger:
        if entry.bucket == bucket:
            totals[entry.team] = totals.get(entry.team, 0) + entry.delta
    return totals


# Where a team reached its score: (ledger position, its time); (0, None) before any entry.
_Reach = tuple[int, int | None]
# Ledger reasons that reverse a judgement's entry.
_COMPENSATING = ("undo", "replaced")


def standings(state: ContestState, upto: int | None = None) -> tuple[Standing, ...]:
    """Rank every team from the ledger (its first `upto` entries when frozen) by the tie rule."""
    if state.rules is None:
        return ()
    ledger = state.ledger if upto is None else state.ledger[:upto]
    seats = state.rules.team_ids()
    score = dict.fromkeys(seats, 0)
    tiebreak = dict.fromkeys(seats, 0)
    reached: dict[str, _Reach] = {team: (0, None) for team in seats}
    fouls = dict.fromkeys(seats, 0)
    # judgement id -> (score and reach before its entry, reach and score after it)
    judged: dict[int, tuple[int, _Reach, _Reach, int]] = {}
    # (team, question) -> the undone entry's (delta, reach, score after), for a re-judgement
    undone: dict[tuple[str, str | None], tuple[int, _Reach, int]] = {}
    for position, entry in enumerate(ledger):
        team = entry.team
        if team not in score:
            continue
        if entry.reason == "foul":
            fouls[team] += 1
        if entry.bucket == "tiebreak":
            tiebreak[team] += entry.delta
            continue
        if entry.delta == 0:
            continue
        before = score[team], reached[team]
        score[team] += entry.delta
        if entry.reason == "base":
            continue
        reached[team] = (position, entry.at)
        if entry.judgement_id is None:
            continue
        if entry.reason in _COMPENSATING:
            # An undone judgement never happened for the tie rule: back at the score it had
            # before, the team holds it from when it first reached it.
            undone_entry = judged.get(entry.judgement_id)
            if undone_entry is not None:
                score_before, reach_before, reach_after, score_after = undone_entry
                if score[team] == score_before:
                    reached[team] = reach_before
                undone[team, entry.question_id] = (-entry.delta, reach_after, score_after)
            continue
        judged[entry.judgement_id] = (*before, reached[team], score[team])
        again = undone.pop((team, entry.question_id), None)
        if again is not None and again[0] == entry.delta and again[2] == score[team]:
            # Judged again the same way: the score was reached when it was first judged.
            reached[team] = again[1]

    def key(team: str) -> tuple[int, int, int, int, int]:
        return (-score[team], -tiebreak[team], reached[team][0], fouls[team], seats.index(team))

    ordered = sorted(seats, key=key)
    names = {team.id: team.name for team in state.rules.teams}
    result: list[Standing] = []
    for rank, team in enumerate(ordered, start=1):
        broken_by = None
        if rank > 1:
            above = ordered[rank - 2]
            broken_by = _tie_broken_by(key(above), key(team))
        result.append(
            Standing(
                rank=rank,
                team=team,
                name=names[team],
                score=score[team],
                tiebreak=tiebreak[team],
                fouls=fouls[team],
                tie_broken_by=broken_by,
                reached_at=reached[team][1],
            )
        )
    return tuple(result)


def _tie_broken_by(
    above: tuple[int, int, int, int, int], below: tuple[int, int, int, int, int]
) -> str | None:
    """Which rule put `above` ahead of an equal score, or None when the scores differ."""
    if above[0] != below[0]:
        return None
    for position, name in enumerate(("tiebreak", "reached first", "fewer fouls"), start=1):
        if above[position] != below[position]:
            return name
    return "seat order"
