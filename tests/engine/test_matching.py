"""Fill-in matching forgives what a person would, and nothing more."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.engine.matching import fill_matches, normalize_answer


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("１９５１", "1951"),  # full-width digits
        ("1951", "1951年"),  # a year with or without 年
        ("一九五一年", "1951"),  # Chinese digits in a year
        ("二〇〇六年", "2006年"),
        ("阿沛阿旺晋美", "阿沛·阿旺晋美"),  # the middle dot between name parts
        ("阿沛・阿旺晋美", "阿沛·阿旺晋美"),  # the katakana middle dot some keyboards type
        (" 遵义会议 ", "遵义会议"),  # spaces
        ("《论持久战》", "论持久战"),  # title marks
        ("遵义会议。", "遵义会议"),  # punctuation
        ("ＣＯ２", "co2"),  # full-width letters and case
        ("十八军", "18军"),  # positional numerals
        ("一百零八", "108"),
        ("两路精神", "两路精神"),  # 两 is part of a name, left alone
    ],
)
def test_forgiven_differences(typed: str, accepted: str) -> None:
    assert fill_matches(typed, [accepted])


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("1950", "1951"),
        ("1951年5月", "1951年"),
        ("遵义", "遵义会议"),
        ("二路精神", "两路精神"),
        ("十七", "18"),
        ("", "1951"),
        ("？！", "？！"),  # nothing but punctuation is never a right answer
    ],
)
def test_real_differences_are_wrong(typed: str, accepted: str) -> None:
    assert not fill_matches(typed, [accepted])


def test_any_accepted_form_matches() -> None:
    assert fill_matches("遵义", ["遵义会议", "遵义"])


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("1951年", "1951"),
        ("十", "10"),
        ("二十", "20"),
        ("十十", "十十"),
        ("一二十", "一二十"),
        ("E\u00a8", "\u00eb"),  # a spacing diaeresis folds onto the letter before it
    ],
)
def test_normal_forms(text: str, normal: str) -> None:
    assert normalize_answer(text) == normal


@given(st.text(max_size=30))
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize_answer(text)
    assert normalize_answer(once) == once
