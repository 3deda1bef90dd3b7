"""Fairness of buzzer arbitration across distance: who wins equal races on unequal links.

Three teams with the same reaction-time distribution sit on links of 10, 150 and 600 ms round
trip, with random clock offsets and random jitter on every message. Each race goes through the
real core (SyncClock, OpenQuestion, ArmBuzzers, Buzz, Tick, Judge). Run it as a script to print
the share of wins in `arrival` and `compensated` modes; tests/engine/test_fairness.py asserts on
the same function.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quiz.engine.commands import (
    ArmBuzzers,
    Buzz,
    Command,
    Judge,
    OpenQuestion,
    StartRound,
    SyncClock,
    Tick,
)
from quiz.engine.events import BuzzRaceDecided
from quiz.engine.machine import apply, new_contest
from quiz.engine.questions import Question
from quiz.engine.rules import ruleset_from_mapping
from quiz.engine.selection import plan_contest

LINKS = {"lhasa": 10, "nagqu": 150, "ngari": 600}


def _questions(count: int) -> tuple[Question, ...]:
    return tuple(
        Question(
            id=f"r{n:05d}",
            type="truefalse",
            text=f"race {n}",
            answer=True,
            explanation="",
            source="simulation",
            difficulty=1,
            tags=("sim",),
            status="reviewed",
        )
        for n in range(count)
    )


def simulate(
    fairness: str,
    races: int = 3000,
    seed: int = 2024,
    liar: str | None = None,
    round_rules: dict[str, object] | None = None,
) -> dict[str, int]:
    """Wins per team over `races` equal races through apply, deterministic for a seed.

    `liar` names a team whose modified client claims a 1 ms reaction every time (it says the
    buzzer showed 1 ms before its real press); `round_rules` adds keys to the buzzer round.
    """
    rng = random.Random(seed)
    offsets = {team: rng.uniform(-3_600_000, 3_600_000) for team in LINKS}

    def one_way(team: str) -> float:
        half = LINKS[team] / 2
        return half + rng.expovariate(1 / (0.05 * half + 1))

    rules = ruleset_from_mapping(
        {
            "name": "fairness",
            "teams": [{"id": team} for team in LINKS],
            "rounds": [
                {
                    "kind": "抢答",
                    "fairness": fairness,
                    "collection_window_ms": 800,
                    "trust_margin_ms": 100,
                    "questions": {"count": races, "reserve": 0},
                    **(round_rules or {}),
                }
            ],
        }
    )
    questions = _questions(races)
    state = new_contest("sim", rules, questions, plan_contest(rules, questions, seed))
    wins = dict.fromkeys(LINKS, 0)
    now = 0

    def run(command: Command) -> None:
        nonlocal state
        state, events = apply(state, command)
        for event in events:
            if isinstance(event, BuzzRaceDecided):
                wins[event.winner] += 1

    run(StartRound(at=now))
    for race in range(races):
        if race % 100 == 0:
            for team in LINKS:
                samples = []
                for ping in range(8):
                    server_at = now + ping * 50
                    up, down = one_way(team), one_way(team)
                    sent = server_at - up + offsets[team]
                    samples.append(
                        (round(sent), server_at, round(server_at + down + offsets[team]))
                    )
                run(SyncClock(at=now + 400, team=team, samples=tuple(samples)))
            now += 1000
        run(OpenQuestion(at=now))
        armed_at = now + 2000
        run(ArmBuzzers(at=armed_at))
        buzzes = []
        for team in LINKS:
            shown = armed_at + one_way(team)
            reaction = max(120.0, rng.gauss(300, 50))
            pressed = shown + reaction
            arrival = pressed + one_way(team)
            if team == liar:
                shown = pressed - 1
            buzzes.append(
                (
                    round(arrival),
                    Buzz(
                        at=round(arrival),
                        team=team,
                        shown_ms=round(shown + offsets[team]),
                        pressed_ms=round(pressed + offsets[team]),
                    ),
                )
            )
        for _, buzz in sorted(buzzes, key=lambda pair: pair[0]):
            run(buzz)
        decided_by = max(at for at, _ in buzzes) + 1000
        run(Tick(at=decided_by))
        assert state.round is not None
        assert state.round.play is not None
        run(Judge(at=decided_by + 1, team=state.round.play.answering[0], correct=True))
        now = decided_by + 1000
    return wins


def _shares(wins: dict[str, int]) -> str:
    total = sum(wins.values())
    return ", ".join(
        f"{team} ({LINKS[team]} ms) {100 * count / total:.1f}%" for team, count in wins.items()
    )


def main() -> None:
    """Print each mode's share of wins per link, then a lying lhasa's under each policy."""
    for fairness in ("arrival", "compensated"):
        print(f"{fairness:12} {_shares(simulate(fairness))}")
    for policy in ("arrival", "foul"):
        wins = simulate("compensated", liar="lhasa", round_rules={"suspect_claim": policy})
        print(f"liar {policy:7} {_shares(wins)}")


if __name__ == "__main__":
    main()
