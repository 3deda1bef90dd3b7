"""Near-duplicate questions: pairs whose wording (text and options) is nearly the same.

Likeness is the Jaccard index of character bigrams after folding width, case and
punctuation. Comparing every pair is quadratic, so candidates come from prefix filtering
(Bayardo et al., "Scaling up all pairs similarity search"): with tokens ordered rarest first,
two sets with Jaccard >= t must share a token among the first ``|x| - ceil(t * |x|) + 1``
tokens of each.

On many similar short texts (a bank of 问答 built from one pattern) every bigram is common, every
earlier question becomes a candidate and the scan is quadratic again: 100,000 such questions did
not finish in 300 s. So each question is compared with at most :data:`CANDIDATES` earlier ones,
taken from its rarest prefix tokens first and, under each, the nearest in length. The
result is exact while no prefix token is shared by more questions than that, which holds for
every bank a person writes; beyond it a pair may be missed, never invented, except that an
exact copy (the same folded wording) is always reported against the first text worded so.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, islice

from quiz.engine.matching import fold_text

THRESHOLD = 0.85
# Enough for any hand-written bank to stay exact; bounds the work per question on pathological
# ones (benchmarks/bank_bench.py --similar: 100,000 similar short questions).
CANDIDATES = 32


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """Items ``first`` and ``second`` (indices into the input) are ``likeness`` alike."""

    first: int
    second: int
    likeness: float


def shingles(text: str) -> frozenset[str]:
    """Character bigrams of the folded text (the text itself if shorter than two)."""
    normal = fold_text(text)
    if len(normal) < 2:
        return frozenset({normal})
    return frozenset(normal[i : i + 2] for i in range(len(normal) - 1))


def near_duplicates(texts: Sequence[str], threshold: float = THRESHOLD) -> list[NearDuplicate]:
    """Pairs of texts whose bigram Jaccard index is at least ``threshold``.

    Each text is compared with at most :data:`CANDIDATES` earlier texts of nearest length that
    share a prefix token, so the time is linear in the number of texts.
    """
    sets = [shingles(text) for text in texts]
    frequency = Counter(chain.from_iterable(sets))

    # One global order, rarest first, ties broken by the token itself, so every set sorts its
    # tokens the same way, as prefix filtering requires. (Ranking every distinct token up front
    # cost a sort of ten million bigrams and a gigabyte on a 100,000-question bank.)
    def rarest_first(token: str) -> tuple[int, str]:
        return frequency[token], token

    # Per token, the visit numbers of the last CANDIDATES texts that had it in their prefix.
    # (Lists trimmed now and then, not deques: a deque costs 600 bytes even when it holds one
    # number, and most tokens are in one text.)
    index: dict[str, list[int]] = defaultdict(list)
    order = sorted(range(len(sets)), key=lambda i: len(sets[i]))
    # The first text of each exact wording: a copy is always reported against it, cap or not.
    first_of: dict[frozenset[str], int] = {}
    found: list[NearDuplicate] = []
    visits = {position: visit for visit, position in enumerate(order)}
    for visit, position in enumerate(order):
        tokens = sorted(sets[position], key=rarest_first)
        size = len(tokens)
        prefix = size - math.ceil(threshold * size) + 1
        chosen: set[int] = set()
        for token in tokens[:prefix]:
            posting = index[token]
            if len(chosen) < CANDIDATES:
                # Rarest tokens first, newest (nearest in length) texts first under each.
                chosen.update(islice(reversed(posting), CANDIDATES - len(chosen)))
            posting.append(visit)
            if len(posting) > 2 * CANDIDATES:
                del posting[:-CANDIDATES]
        mine = sets[position]
        shortest = threshold * size
        for other_visit in chosen:
            other = order[other_visit]
            theirs = sets[other]
            # Visiting by size means ``other`` is never larger; the length filter prunes early.
            if len(theirs) < shortest:
                continue
            shared = len(mine & theirs)
            likeness = shared / (size + len(theirs) - shared)
            if likeness >= threshold:
                first, second = sorted((other, position))
                found.append(NearDuplicate(first, second, likeness))
        twin = first_of.setdefault(mine, position)
        if twin != position and visits[twin] not in chosen:
            first, second = sorted((twin, position))
            found.append(NearDuplicate(first, second, 1.0))
    return sorted(found, key=lambda pair: (pair.first, pair.second))
