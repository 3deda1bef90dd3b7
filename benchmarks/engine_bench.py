"""Engine benchmarks: buzz throughput through apply, a 1,000-buzz burst, snapshot and replay.

Run as `python benchmarks/engine_bench.py`. Each figure is the median of several repeats,
because the machine's two cores are shared and noisy.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quiz.engine.commands import (
    AdjustScore,
    ArmBuzzers,
    Buzz,
    Command,
    Judge,
    OpenQuestion,
    StartRound,
    Tick,
)
from quiz.engine.machine import apply, new_contest, replay
from quiz.engine.questions import Question
from quiz.engine.rules import ruleset_from_mapping
from quiz.engine.selection import plan_contest
from quiz.engine.serialization import state_from_json, state_to_json
from quiz.engine.state import ContestState

REPEATS = 7


def _contest(teams: int, questions: int, fairness: str = "arrival") -> ContestState:
    bank = tuple(
        Question(
            id=f"b{n:05d}",
            type="single",
            text=f"q{n}",
            answer=("B",),
            explanation="",
            source="bench",
            difficulty=1,
            tags=("bench",),
            status="reviewed",
            options=("A", "B", "C", "D"),
        )
        for n in range(questions)
    )
    rules = ruleset_from_mapping(
        {
            "name": "bench",
            "teams": [{"id": f"t{n}"} for n in range(teams)],
            "base_score": 100,
            "rounds": [
                {
                    "kind": "抢答",
                    "fairness": fairness,
                    "rebound": "all",
                    "questions": {"count": questions - 2, "reserve": 2},
                }
            ],
        }
    )
    return new_contest("bench", rules, bank, plan_contest(rules, bank, 1))


def _median(run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(REPEATS))


def buzz_throughput() -> float:
    """Buzz commands per second: 200 teams, each question armed then buzzed by every team."""
    teams = 200
    start = _contest(teams, 60)
    commands: list[Command] = [StartRound(at=0)]
    at = 1
    for _ in range(50):
        commands += [OpenQuestion(at=at), ArmBuzzers(at=at + 1)]
        commands += [Buzz(at=at + 2 + n, team=f"t{n}") for n in range(teams)]
        commands += [Judge(at=at + 500, team="t0", correct=True)]
        at += 1000
    buzzes = sum(isinstance(c, Buzz) for c in commands)

    def once() -> float:
        state = start
        began = time.perf_counter()
        for command in commands:
            state, _ = apply(state, command)
        return buzzes / (time.perf_counter() - began)

    return _median(once)


def burst_decision(fairness: str) -> float:
    """Milliseconds to apply a burst of 1,000 buzzes and decide the race."""
    teams = 1000
    state = _contest(teams, 10, fairness)
    for command in (StartRound(at=0), OpenQuestion(at=1), ArmBuzzers(at=2)):
        state, _ = apply(state, command)
    burst = [
        Buzz(at=3 + n // 10, team=f"t{n}", shown_ms=0, pressed_ms=200 + n % 97)
        for n in range(teams)
    ]

    def once() -> float:
        current = state
        began = time.perf_counter()
        for buzz in burst:
            current, _ = apply(current, buzz)
        apply(current, Tick(at=5_000))
        return (time.perf_counter() - began) * 1000

    return _median(once)


def two_hour_contest() -> tuple[ContestState, list[Command], int]:
    """About two hours: 6 teams, 300 buzzer questions with fouls, rebounds and adjustments."""
    start = _contest(6, 320)
    commands: list[Command] = [StartRound(at=0)]
    at = 1
    for number in range(300):
        commands.append(OpenQuestion(at=at))
        if number % 7 == 0:
            commands.append(Buzz(at=at + 5, team=f"t{number % 6}"))
        commands.append(ArmBuzzers(at=at + 10))
        commands += [Buzz(at=at + 20 + n, team=f"t{n}") for n in range(6)]
        winner = next(f"t{n}" for n in range(6) if not (number % 7 == 0 and n == number % 6))
        commands.append(Judge(at=at + 1000, team=winner, correct=number % 3 != 0))
        if number % 3 == 0:
            commands += [ArmBuzzers(at=at + 2000), Buzz(at=at + 2100, team="t5")]
            commands.append(Judge(at=at + 2500, team="t5", correct=True))
        if number % 25 == 0:
            commands.append(AdjustScore(at=at + 3000, team="t1", delta=5, note="纪律"))
        at += 24_000
    events = 0
    state = start
    for command in commands:
        state, produced = apply(state, command)
        events += len(produced)
    return start, commands, events


def main() -> None:
    """Print each benchmark's median."""
    print(f"buzz commands through apply: {buzz_throughput():,.0f} per second")
    for fairness in ("arrival", "compensated"):
        print(f"1,000-buzz burst + decision ({fairness}): {burst_decision(fairness):.1f} ms")
    start, commands, events = two_hour_contest()
    final = replay(commands, start)
    text = state_to_json(final)
    assert state_from_json(text) == final
    replay_ms = _median(lambda: _timed(lambda: replay(commands, start)))
    dump_ms = _median(lambda: _timed(lambda: state_to_json(final)))
    load_ms = _median(lambda: _timed(lambda: state_from_json(text)))
    print(
        f"two-hour contest: {len(commands):,} commands, {events:,} events, "
        f"snapshot {len(text) / 1024:.0f} KiB"
    )
    print(f"  full replay: {replay_ms:.1f} ms")
    print(f"  snapshot to JSON: {dump_ms:.1f} ms, from JSON: {load_ms:.1f} ms")


def _timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1000


if __name__ == "__main__":
    main()
