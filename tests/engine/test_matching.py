"""Fill-in matching forgives what a person would, and nothing more."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
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
        ("3月28号", "3月28日"),  # the spoken 号 for the day of a date
        ("三月二十八号", "3月28日"),
        ("9月9号", "9月9日"),
        ("一九五一年九月九号", "1951年9月9日"),
        ("第五世格达活佛", "五世格达活佛"),  # 第 before an ordinal already bare
        ("五世格达活佛", "第五世格达活佛"),
        ("第十八军", "十八军"),
        ("十一届三中全会", "第十一届三中全会"),
        ("第115师", "一一五师"),
        ("六类", "6类"),  # Chinese numerals in a count
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
        ("3月29号", "3月28日"),
        ("3月28号", "3月28"),  # 号 is a day only after a month and a number
        ("28号", "28日"),
        ("第六世格达活佛", "五世格达活佛"),
        ("第五世", "五世格达活佛"),
        ("第三次", "三次"),  # before 次, 个 or 类 a bare number is a count, not an ordinal
        ("第一个", "一个"),
        ("七类", "6类"),
        ("六类", "6"),  # a unit the key leaves out has to be listed
        ("公安部令第61号", "公安部令61号"),
    ],
)
def test_real_differences_are_wrong(typed: str, accepted: str) -> None:
    assert not fill_matches(typed, [accepted])


def test_any_accepted_form_matches() -> None:
    assert fill_matches("遵义", ["遵义会议", "遵义"])


def test_a_fuller_date_is_right_only_when_listed() -> None:
    assert not fill_matches("1951年9月9日", ["9月9日"])
    assert fill_matches("1951年9月9号", ["9月9日", "1951年9月9日"])
    assert not fill_matches("1950年9月9日", ["9月9日", "1951年9月9日"])


def test_a_shorter_date_is_right_only_when_listed() -> None:
    assert not fill_matches("9月9日", ["1951年9月9日"])
    assert fill_matches("9月9号", ["1951年9月9日", "9月9日"])


@given(st.integers(1, 12), st.integers(1, 31), st.integers(1, 31))
def test_hao_and_ri_name_the_same_day_and_only_that_day(month: int, day: int, other: int) -> None:
    key = f"{month}月{day}日"
    assert fill_matches(f"{month}月{day}号", [key])
    assert fill_matches(f"{month}月{other}号", [key]) == (other == day)


@given(st.integers(1, 300), st.integers(1, 300), st.sampled_from("世届军师旅团"))
def test_di_is_optional_before_an_ordinal_and_numbers_still_count(
    number: int, other: int, measure: str
) -> None:
    assert fill_matches(f"第{number}{measure}", [f"{number}{measure}"])
    assert fill_matches(f"第{other}{measure}", [f"{number}{measure}"]) == (other == number)


@given(st.integers(1, 300), st.sampled_from("次个类名"))
def test_di_stays_where_the_bare_number_is_a_count(number: int, measure: str) -> None:
    assert not fill_matches(f"第{number}{measure}", [f"{number}{measure}"])


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


@settings(max_examples=1000)
@given(st.text(alphabet="第一二五十0123456789世届军次月日号年 ", max_size=20))
@example("第0第0世")  # dropping that second 第 would join 0 and 0世 into a new ordinal
def test_normalising_dates_and_ordinals_twice_changes_nothing(text: str) -> None:
    once = normalize_answer(text)
    assert normalize_answer(once) == once
