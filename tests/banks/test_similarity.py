"""Near-duplicate detection is exact: it finds what a full pairwise scan finds."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from quiz.banks.similarity import CANDIDATES, THRESHOLD, near_duplicates, shingles


def brute_force(texts: list[str], threshold: float) -> list[tuple[int, int]]:
    pairs = []
    for first, second in itertools.combinations(range(len(texts)), 2):
        a, b = shingles(texts[first]), shingles(texts[second])
        if len(a & b) / len(a | b) >= threshold:
            pairs.append((first, second))
    return pairs


def test_reworded_punctuation_is_a_near_duplicate() -> None:
    texts = [
        "中国共产党第一次全国代表大会于哪一年召开？",
        "中国共产党第一次全国代表大会于哪一年召开",
        "中国共产党第二次全国代表大会于哪一年召开？",
        "西藏百万农奴解放纪念日是哪一天？",
    ]
    assert [(pair.first, pair.second) for pair in near_duplicates(texts)] == [(0, 1)]


@given(st.lists(st.text("党史西藏消防一二三年月日", min_size=1, max_size=12), max_size=25))
def test_matches_a_full_pairwise_scan(texts: list[str]) -> None:
    found = [(pair.first, pair.second) for pair in near_duplicates(texts)]
    assert found == brute_force(texts, THRESHOLD)


def test_one_pattern_questions_still_find_their_true_duplicate() -> None:
    # Every bigram of "第N条规定的内容是什么？" but the digits' is shared by all of them, so
    # only the candidate cap keeps this linear; the rare digit bigrams still meet the twin.
    texts = [f"消防法第{n}条规定的内容是什么？" for n in range(2000)]
    texts.append("消防法第1234条规定的内容是什么")
    pairs = near_duplicates(texts)
    assert (1234, 2000) in [(pair.first, pair.second) for pair in pairs]


def test_each_question_is_compared_with_at_most_the_cap() -> None:
    texts = ["西藏百万农奴解放纪念日是哪一天？"] * 500
    pairs = near_duplicates(texts)
    assert len(pairs) <= 500 * (CANDIDATES + 1)
    assert all(pair.likeness == 1.0 for pair in pairs)
    # Past the cap, an exact copy is still reported against the first text worded so.
    assert {pair.second for pair in pairs if pair.first == 0} == set(range(1, 500))
