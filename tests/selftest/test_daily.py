"""The daily challenge's draw: the same set for everyone on a day, another the next day."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from quiz.selftest.daily import DAILY_FLOOR_MS, daily_seed, month_of, pick_daily, too_fast

NAMES = [f"bank/q{n:03d}" for n in range(300)]
DAY = dt.date(2026, 11, 29)


@given(st.permutations(NAMES))
def test_the_order_questions_arrive_in_does_not_change_the_set(shuffled: list[str]) -> None:
    assert pick_daily(shuffled, DAY) == pick_daily(NAMES, DAY)


def test_each_day_draws_ten_distinct_questions_of_its_own() -> None:
    sets = [pick_daily(NAMES, DAY + dt.timedelta(days=n)) for n in range(30)]
    assert all(len(chosen) == len(set(chosen)) == 10 for chosen in sets)
    assert len({tuple(chosen) for chosen in sets}) == 30


def test_a_small_pool_gives_all_it_has() -> None:
    assert sorted(pick_daily(NAMES[:4], DAY)) == NAMES[:4]
    assert pick_daily([], DAY) == []


def test_the_seed_depends_on_the_date_only() -> None:
    assert daily_seed(DAY) == daily_seed(dt.date(2026, 11, 29))
    assert daily_seed(DAY) != daily_seed(DAY + dt.timedelta(days=1))
    assert month_of(DAY) == "2026-11"


def test_a_run_under_the_floor_a_question_is_too_fast() -> None:
    assert too_fast(100, 10)
    assert too_fast(10 * DAILY_FLOOR_MS - 1, 10)
    assert not too_fast(10 * DAILY_FLOOR_MS, 10)
    assert not too_fast(4_000, 10, floor_ms=400)
