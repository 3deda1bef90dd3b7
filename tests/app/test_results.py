"""A contest's results come from its state alone: standings and the ledger, version by version."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.app import Services
from quiz.app.contest_setup import build_contest
from quiz.app.results import contest_results
from quiz.engine.commands import AdjustScore, StartRound

TEMPLATES = Path(__file__).parent.parent / "web" / "templates"


def test_results_rank_the_teams_and_list_every_change_of_score(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    code = build_contest(
        services.contests, title="赛", template="mini", seed=1, bank_ids=["party-history"]
    ).code
    services.contests.execute(code, lambda at: StartRound(at=at))
    services.contests.execute(
        code, lambda at: AdjustScore(at=at, team="ngari", delta=30, note="裁判更正")
    )
    results = contest_results(services.contests, code.lower())
    assert results is not None
    assert results.contest.code == code
    assert results.standings[0]["team"] == "ngari"
    assert [s["rank"] for s in results.standings] == sorted(s["rank"] for s in results.standings)
    adjusted = [row for row in results.ledger if row["note"] == "裁判更正"]
    assert [(row["team"], row["points"]) for row in adjusted] == [("ngari", 30)]
    assert contest_results(services.contests, "NOSUCH") is None
