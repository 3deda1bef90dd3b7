"""Options in a contest's own order: a permutation per question drawn from the contest seed.

A contest shows every choice and order question's options shuffled (unless its round sets
`shuffle_options: false` or the question says `shuffle: false`, for options such as 以上都是).
The permutation comes from the contest's seed and the question's id only, so the command log
needs nothing new: set-up applies it to the contest's copy of each question, a replay draws the
same order, and every role (screen, phones, host) sees that one order. Answers are option texts,
not positions, so the key follows its options; responses are indices into the shown order.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import replace

from quiz.engine.questions import Question
from quiz.engine.rules import RuleSet
from quiz.engine.selection import RoundPlan


def shuffled(question: Question, seed: int) -> Question:
    """The question with its options (and each translation's) in the contest's order."""
    if not question.shuffle or len(question.options) < 2:
        return question
    order = list(range(len(question.options)))
    # A string seed is hashed the same way in every process, unlike hash() of a tuple.
    random.Random(f"options/{seed}/{question.id}").shuffle(order)
    translations = {
        language: (
            replace(translation, options=tuple(translation.options[i] for i in order))
            if translation.options is not None and len(translation.options) == len(order)
            else translation
        )
        for language, translation in question.translations.items()
    }
    return replace(
        question,
        options=tuple(question.options[i] for i in order),
        translations=translations,
    )


def contest_questions(
    questions: Mapping[str, Question], rules: RuleSet, plan: Sequence[RoundPlan], seed: int
) -> dict[str, Question]:
    """A contest's questions as shown: shuffled when a round with `shuffle_options` plans them.

    A question no shuffling round plans keeps its bank order, so a log recorded before
    shuffling existed (its rounds decode with `shuffle_options` false) replays unchanged.
    """
    shuffle: set[str] = set()
    for round_rules, round_plan in zip(rules.rounds, plan, strict=True):
        if round_rules.shuffle_options:
            shuffle.update(round_plan.question_ids, round_plan.reserve_ids)
            shuffle.update(q for _, tier in round_plan.tiers for q in tier)
    return {qid: shuffled(q, seed) if qid in shuffle else q for qid, q in questions.items()}
