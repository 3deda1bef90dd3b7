"""A contest's results: the standings and the score ledger, derived from its state alone."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from quiz.app.contests import ContestService
from quiz.app.lobby import ContestInfo, contest_info
from quiz.engine.scoring import standings


@dataclass(frozen=True, slots=True)
class Results:
    """What the results page and the CSV show: the contest, its standings, its ledger rows."""

    contest: ContestInfo
    standings: list[dict[str, Any]]
    ledger: list[dict[str, Any]]


def contest_results(contests: ContestService, code: str) -> Results | None:
    """The one place results are computed: standings and ledger of the contest's current state;
    None for an unknown code."""
    info = contest_info(contests, code)
    if info is None:
        return None
    current = contests.snapshot_of(info.code)
    assert current is not None
    state, _ = current
    names = {team.id: team.name for team in state.rules.teams} if state.rules else {}
    table = [
        {
            "rank": s.rank,
            "team": s.team,
            "name": names.get(s.team, s.team),
            "score": s.score,
            "fouls": s.fouls,
        }
        for s in standings(state)
    ]
    versions = info.question_versions
    rows = [
        {
            "round": entry.round_index,
            "question_id": entry.question_id or "",
            "question_version": versions.get(entry.question_id or "", ""),
            "team": entry.team,
            "reason": entry.reason,
            "points": entry.delta,
            "note": entry.note,
            "at": time.strftime("%H:%M:%S", time.localtime(entry.at / 1000)),
        }
        for entry in state.ledger
    ]
    return Results(info, table, rows)
