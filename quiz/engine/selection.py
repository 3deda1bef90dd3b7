"""Seeded, reproducible question selection from banks, with reserves and no repeats.

Candidates are sorted by id before shuffling, so the choice depends on the seed and the bank's
content only, never on the order the banks were loaded in. Each round gets its own
random.Random, seeded from the contest seed and the round's position.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from quiz.engine.errors import SelectionError
from quiz.engine.questions import Question
from quiz.engine.rules import RoundRules, RuleSet, SelectionSpec


@dataclass(frozen=True, slots=True)
class RoundPlan:
    """The question ids a round will ask, in order, and its reserves for replacements.

    Risk rounds keep one queue per tier in `tiers` (tier value, ids) and leave `question_ids`
    empty.
    """

    question_ids: tuple[str, ...]
    reserve_ids: tuple[str, ...]
    tiers: tuple[tuple[int, tuple[str, ...]], ...] = ()


def matches(question: Question, spec: SelectionSpec) -> bool:
    """A question fits a spec when its type, difficulty, status and (any one) tag agree."""
    low, high = spec.difficulty
    return (
        (not spec.types or question.type in spec.types)
        and low <= question.difficulty <= high
        and (spec.include_drafts or question.status == "reviewed")
        and (not spec.tags or any(tag in question.tags for tag in spec.tags))
    )


def select_questions(
    bank: Sequence[Question],
    spec: SelectionSpec,
    rng: random.Random,
    exclude: Collection[str] = (),
    label: str = "round",
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Pick spec.count ids plus spec.reserve reserve ids, none in exclude, without repeats."""
    candidates = sorted(
        (q for q in bank if q.id not in exclude and matches(q, spec)), key=lambda q: q.id
    )
    needed = spec.count + spec.reserve
    if len(candidates) < needed:
        raise SelectionError(
            f"{label}: needs {needed} questions ({spec.count} + {spec.reserve} reserve) "
            f"matching tags={list(spec.tags)} types={list(spec.types)} "
            f"difficulty={list(spec.difficulty)}, found {len(candidates)}"
        )
    chosen = rng.sample([q.id for q in candidates], needed)
    return tuple(chosen[: spec.count]), tuple(chosen[spec.count :])


def plan_contest(rules: RuleSet, bank: Sequence[Question], seed: int) -> tuple[RoundPlan, ...]:
    """Plan every round's questions from the bank; the same seed and bank give the same plan."""
    used: set[str] = set()
    plans: list[RoundPlan] = []
    for index, round_rules in enumerate(rules.rounds):
        rng = random.Random(seed * 1_000_003 + index)
        plan = _plan_round(round_rules, bank, rng, used, f"round {index + 1} ({round_rules.name})")
        used.update(plan.question_ids, plan.reserve_ids)
        used.update(qid for _, ids in plan.tiers for qid in ids)
        plans.append(plan)
    return tuple(plans)


def _plan_round(
    round_rules: RoundRules,
    bank: Sequence[Question],
    rng: random.Random,
    used: set[str],
    label: str,
) -> RoundPlan:
    """One round; a risk round draws count questions per tier, harder tiers from harder levels."""
    spec = round_rules.selection
    if round_rules.kind != "risk":
        ids, reserves = select_questions(bank, spec, rng, used, label)
        return RoundPlan(question_ids=ids, reserve_ids=reserves)
    tiers: list[tuple[int, tuple[str, ...]]] = []
    taken = set(used)
    for position, tier in enumerate(round_rules.tiers):
        difficulty = spec.difficulty
        if round_rules.tier_difficulty:
            level = round_rules.tier_difficulty[position]
            difficulty = (level, level)
        tier_spec = replace(spec, reserve=0, difficulty=difficulty)
        ids, _ = select_questions(bank, tier_spec, rng, taken, f"{label} tier {tier}")
        taken.update(ids)
        tiers.append((tier, ids))
    reserve_spec = replace(spec, count=spec.reserve, reserve=0)
    reserve_ids: tuple[str, ...] = ()
    if spec.reserve:
        reserve_ids, _ = select_questions(bank, reserve_spec, rng, taken, f"{label} reserve")
    return RoundPlan(question_ids=(), reserve_ids=reserve_ids, tiers=tuple(tiers))
