"""Near-duplicate questions: pairs whose wording (text and options) is nearly the same.

Likeness is the Jaccard index of character bigrams after folding width, case and
punctuation. Comparing every
pair is quadratic, so candidates come from prefix filtering (Bayardo et al., "Scaling up all
pairs similarity search"): with tokens ordered rarest first, two sets with Jaccard >= t must
share a token among the first ``|x| - ceil(t * |x|) + 1`` tokens of each. The result is exact.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

from quiz.engine.matching import fold_text

THRESHOLD = 0.85


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
    """Every pair of texts whose bigram Jaccard index is at least ``threshold``."""
    sets = [shingles(text) for text in texts]
    frequency = Counter(chain.from_iterable(sets))
    # One global order, rarest first; the stable sort breaks ties by first appearance, so
    # every set sorts its tokens the same way, as prefix filtering requires.
    rank = {
        token: position
        for position, token in enumerate(sorted(frequency, key=frequency.__getitem__))
    }
    ordered = [sorted(tokens, key=rank.__getitem__) for tokens in sets]
    index: dict[str, list[int]] = defaultdict(list)
    found: list[NearDuplicate] = []
    for position in sorted(range(len(sets)), key=lambda i: len(sets[i])):
        tokens = ordered[position]
        size = len(tokens)
        prefix = size - math.ceil(threshold * size) + 1
        candidates: set[int] = set()
        for token in tokens[:prefix]:
            candidates.update(index[token])
            index[token].append(position)
        for other in candidates:
            # Visiting by size means ``other`` is never larger; the length filter prunes early.
            if len(sets[other]) < threshold * size:
                continue
            likeness = len(sets[position] & sets[other]) / len(sets[position] | sets[other])
            if likeness >= threshold:
                first, second = sorted((other, position))
                found.append(NearDuplicate(first, second, likeness))
    return sorted(found, key=lambda pair: (pair.first, pair.second))
