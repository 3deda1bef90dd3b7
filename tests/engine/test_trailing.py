"""Buzzes after an arrival race is decided are recorded, and every view says for how long."""

from __future__ import annotations

from quiz.contests.templates import read_template, shipped_templates
from quiz.engine.commands import ArmBuzzers, Buzz, OpenQuestion, StartRound
from quiz.engine.views import view
from tests.engine.factories import contest, run


def test_classic_buzzer_rounds_keep_trailing_presses_for_the_collection_window() -> None:
    classic = read_template(shipped_templates()["classic"])
    buzzer = next(r for r in classic.rounds if r.kind == "buzzer")
    assert (buzzer.fairness, buzzer.collection_window_ms) == ("arrival", 800)


def test_second_and_third_presses_get_their_margins_and_a_trailing_window() -> None:
    state = contest({"kind": "抢答", "collection_window_ms": 600, "questions": {"count": 2}})
    state, _ = run(state, [StartRound(at=0), OpenQuestion(at=100), ArmBuzzers(at=1000)])
    before = view(state, "screen")["question"]["race"]
    assert (before["decided_at"], before["trailing_until"]) == (None, None)
    state, _ = run(
        state,
        [
            Buzz(at=1200, team="ngari"),
            Buzz(at=1230, team="lhasa"),
            Buzz(at=1290, team="shigatse"),
        ],
    )
    for role in ("host", "screen", "audience", "team:lhasa"):
        race = view(state, role)["question"]["race"]
        assert (race["decided_at"], race["trailing_until"]) == (1200, 1800), role
        assert [(r["team"], r["margin_ms"]) for r in race["ranking"]] == [
            ("ngari", 0),
            ("lhasa", 30),
            ("shigatse", 90),
        ]
