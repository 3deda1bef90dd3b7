"""Write the golden scenario files: `python -m tests.engine.scenarios.record`.

Each file holds a template, a bank spec, a seed and commands; the recorded events and final
standings were checked by hand against docs/engine.md before being committed. Re-record only
after a deliberate rule change, and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from quiz.engine.commands import (
    AdjustScore,
    ArmBuzzers,
    Buzz,
    ChooseTier,
    Command,
    EndContest,
    EndRound,
    Judge,
    OpenQuestion,
    PassQuestion,
    PromptAnswer,
    ReplaceQuestion,
    RevealPodium,
    StartRound,
    StartWindow,
    SubmitAnswer,
    SyncClock,
    Tick,
    UndoJudgement,
)
from quiz.engine.serialization import command_to_dict, event_to_dict
from tests.engine.scenarios.runner import play_scenario

HERE = Path(__file__).parent
SPOKEN = {"answer_input": "spoken"}

SCENARIOS: dict[str, dict[str, Any]] = {
    "compulsory_turns": {
        "description": "必答 in turn: right, wrong, silence; an answer before 请回答 is refused",
        "rounds": [{"kind": "必答", "questions": {"count": 3}}],
        "commands": [
            StartRound(at=0),
            OpenQuestion(at=10),
            ("error", SubmitAnswer(at=20, team="lhasa", response=1)),
            PromptAnswer(at=30),
            SubmitAnswer(at=40, team="lhasa", response=1),
            OpenQuestion(at=100),
            PromptAnswer(at=110),
            SubmitAnswer(at=120, team="shigatse", response=0),
            OpenQuestion(at=200),
            PromptAnswer(at=210),
            Tick(at=30_210),
        ],
    },
    "buzzer_fouls_rebound": {
        "description": "抢答: fouls, a bar, rebound, a time-up left to the host",
        "rounds": [
            {
                "kind": "抢答",
                **SPOKEN,
                "early_press": "foul",
                "foul_penalties": [10, 20],
                "foul_limit": 2,
                "questions": {"count": 3},
            }
        ],
        "commands": [
            StartRound(at=0),
            OpenQuestion(at=10),
            Buzz(at=20, team="lhasa"),
            ArmBuzzers(at=100, countdown_ms=3000),
            Buzz(at=3050, team="ngari"),
            Buzz(at=3120, team="shigatse"),
            Buzz(at=3180, team="lhasa"),
            Judge(at=5000, team="shigatse", correct=False),
            OpenQuestion(at=30_000),
            Buzz(at=30_010, team="lhasa"),
            ArmBuzzers(at=30_100),
            Buzz(at=30_300, team="ngari"),
            Judge(at=31_000, team="ngari", correct=False),
            ArmBuzzers(at=32_000),
            Buzz(at=32_100, team="shigatse"),
            Tick(at=32_100 + 15_000),
            Judge(at=47_200, team="shigatse", correct=False),
            OpenQuestion(at=50_000),
            ArmBuzzers(at=50_010),
            Buzz(at=50_020, team="lhasa"),
            Buzz(at=50_030, team="ngari"),
            Judge(at=50_100, team="ngari", correct=True),
        ],
    },
    "buzzer_undo_replace": {
        "description": "抢答: undo of a mistaken judgement, then a disputed question replaced",
        "rounds": [
            {"kind": "抢答", **SPOKEN, "rebound": "none", "questions": {"count": 2, "reserve": 2}}
        ],
        "commands": [
            StartRound(at=0),
            OpenQuestion(at=10),
            ArmBuzzers(at=20),
            Buzz(at=30, team="shigatse"),
            Judge(at=40, team="shigatse", correct=False),
            UndoJudgement(at=50),
            Judge(at=60, team="shigatse", correct=True),
            ReplaceQuestion(at=70),
            ArmBuzzers(at=80),
            Buzz(at=90, team="ngari"),
            Judge(at=100, team="ngari", correct=True),
            AdjustScore(at=110, team="lhasa", delta=5, note="裁判组复核加分"),
        ],
    },
    "buzzer_compensated": {
        "description": "抢答 compensated: clocks synced, the far team's faster reaction wins",
        "rounds": [
            {"kind": "抢答", **SPOKEN, "fairness": "compensated", "collection_window_ms": 800}
        ],
        "commands": [
            StartRound(at=0),
            SyncClock(at=1, team="lhasa", samples=((1000, 5, 1020), (1100, 104, 1130))),
            SyncClock(at=1, team="ngari", samples=((-5000, 300, -4400),)),
            OpenQuestion(at=10),
            ArmBuzzers(at=1000),
            Buzz(at=1310, team="lhasa", shown_ms=2010, pressed_ms=2300),
            Buzz(at=1900, team="ngari", shown_ms=-3700, pressed_ms=-3450),
            Tick(at=2200),
            Buzz(at=2300, team="shigatse", shown_ms=0, pressed_ms=900),
            Judge(at=3000, team="ngari", correct=True),
        ],
    },
    "risk_tiers": {
        "description": "风险: lowest score first, a pass, a wrong answer costs its tier",
        "rounds": [{"kind": "风险", **SPOKEN, "questions": {"count": 2}}],
        "commands": [
            AdjustScore(at=0, team="lhasa", delta=20, note="前轮"),
            StartRound(at=1),
            ChooseTier(at=2, team="shigatse", points=30),
            PromptAnswer(at=60_000),
            Judge(at=70_000, team="shigatse", correct=True),
            PassQuestion(at=71_000, team="ngari"),
            ChooseTier(at=72_000, team="lhasa", points=20),
            PromptAnswer(at=80_000),
            Judge(at=81_000, team="lhasa", correct=False),
        ],
    },
    "tiebreak_sudden_death": {
        "description": "加赛: only the tied race; a wrong answer in sudden death loses",
        "rounds": [{"kind": "抢答", **SPOKEN}, {"kind": "加赛"}],
        "commands": [
            AdjustScore(at=0, team="lhasa", delta=30, note="x"),
            AdjustScore(at=0, team="ngari", delta=30, note="x"),
            StartRound(at=1),
            EndRound(at=2),
            StartRound(at=3),
            OpenQuestion(at=4),
            ArmBuzzers(at=5),
            Buzz(at=6, team="shigatse"),
            Buzz(at=7, team="lhasa"),
            Judge(at=8, team="lhasa", correct=False),
            EndContest(at=20),
            RevealPodium(at=21),
        ],
    },
    "rapid_parallel": {
        "description": "快问快答 in parallel: same questions, 过, reveal at the end",
        "rounds": [
            {
                "kind": "快问快答",
                "mode": "all",
                "rapid_window_seconds": 60,
                "questions": {"count": 6},
            }
        ],
        "commands": [
            StartRound(at=0),
            StartWindow(at=10),
            SubmitAnswer(at=1000, team="lhasa", response=1),
            SubmitAnswer(at=2000, team="lhasa", response=1),
            PassQuestion(at=2500, team="ngari"),
            SubmitAnswer(at=3000, team="ngari", response=0),
            SubmitAnswer(at=3500, team="shigatse", response=1),
            Tick(at=60_010),
        ],
    },
    "arena_eliminations": {
        "description": "擂台: a pass token, a lost duel, the new defender wins",
        "rounds": [{"kind": "擂台", **SPOKEN, "defender": "seat", "duel_length": 3}],
        "final_ranking": "arena",
        "commands": [
            StartRound(at=0),
            OpenQuestion(at=1),
            PassQuestion(at=2, team="lhasa"),
            Judge(at=3, team="shigatse", correct=True),
            OpenQuestion(at=4),
            Judge(at=5, team="shigatse", correct=True),
            OpenQuestion(at=6),
            Judge(at=7, team="shigatse", correct=False),
            OpenQuestion(at=8),
            Judge(at=9, team="ngari", correct=False),
            OpenQuestion(at=10),
            Judge(at=11, team="shigatse", correct=True),
            EndContest(at=12),
            RevealPodium(at=13),
        ],
    },
    "pk_speed": {
        "description": "PK 1-v-1: faster right answers score more; placement by PK points",
        "rounds": [{"kind": "PK", "points": 100, "answer_seconds": 20, "questions": {"count": 3}}],
        "teams": ["red", "blue"],
        "final_ranking": "pk",
        "commands": [
            StartRound(at=0),
            OpenQuestion(at=0),
            SubmitAnswer(at=4000, team="red", response=1),
            SubmitAnswer(at=8000, team="blue", response=1),
            OpenQuestion(at=10_000),
            SubmitAnswer(at=11_000, team="blue", response=1),
            Tick(at=30_000),
            OpenQuestion(at=31_000),
            SubmitAnswer(at=32_000, team="red", response=2),
            SubmitAnswer(at=33_000, team="blue", response=1),
            EndContest(at=40_000),
            RevealPodium(at=40_001),
        ],
    },
}


def main() -> None:
    """Run every scenario through the core and write its golden file."""
    for name, spec in SCENARIOS.items():
        commands = []
        for entry in spec["commands"]:
            expect_error = isinstance(entry, tuple)
            command: Command = entry[1] if expect_error else entry
            commands.append(
                {**command_to_dict(command), **({"expect_error": True} if expect_error else {})}
            )
        scenario = {
            "description": spec["description"],
            "rules": {k: spec[k] for k in ("teams", "final_ranking") if k in spec}
            | {"rounds": spec["rounds"]},
            "bank": {"count": 80, "type": "single"},
            "seed": 7,
            "commands": commands,
        }
        events, standings, errors = play_scenario(scenario)
        scenario["errors"] = errors
        scenario["events"] = [event_to_dict(e) for e in events]
        scenario["standings"] = standings
        path = HERE / f"{name}.json"
        path.write_text(json.dumps(scenario, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(path.name, len(events), "events")


if __name__ == "__main__":
    main()
