"""Sign-in limits without a server: back-off per (account, address), a hall's budget per address,
and the hall's limit kept in the database for every process."""

from __future__ import annotations

import pytest

from quiz.app import Services
from quiz.app.errors import Refused
from quiz.app.sign_in_limits import RateLimited, SignInGuard
from tests.web.practice_fixtures import Clock


@pytest.fixture
def guard(services: Services, clock: Clock) -> SignInGuard:
    return SignInGuard(services.sessions, lambda: clock.now_ms, default_per_minute=120)


def fail(guard: SignInGuard, key: tuple[str, str], times: int) -> None:
    for _ in range(times):
        guard.before_password(key)
        guard.after_password(key, right=False)


def test_wrong_passwords_back_off_per_account_and_address(guard: SignInGuard, clock: Clock) -> None:
    stranger, player = ("卓玛", "10.0.0.66"), ("卓玛", "10.0.0.7")
    fail(guard, stranger, 5)
    with pytest.raises(RateLimited) as waiting:
        guard.before_password(stranger)
    assert (waiting.value.code, waiting.value.retry_after_s) == ("rate_limited", 2)
    # The player's own address is not touched by the stranger's guesses.
    guard.before_password(player)
    guard.after_password(player, right=True)
    # Each further wrong try doubles the wait.
    clock.advance(seconds=2)
    fail(guard, stranger, 1)
    with pytest.raises(RateLimited) as longer:
        guard.before_password(stranger)
    assert longer.value.retry_after_s == 4


def test_the_wait_doubles_up_to_a_cap_and_a_right_password_clears_it(
    guard: SignInGuard, clock: Clock
) -> None:
    key = ("扎西", "10.0.0.8")
    fail(guard, key, 5)
    waits = []
    for _ in range(12):
        with pytest.raises(RateLimited) as waiting:
            guard.before_password(key)
        waits.append(waiting.value.retry_after_s)
        clock.advance(seconds=waits[-1])
        fail(guard, key, 1)
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
    clock.advance(seconds=900)
    guard.after_password(key, right=True)
    fail(guard, key, 4)
    guard.before_password(key)


def test_one_address_has_120_sign_ins_a_minute_by_default(
    guard: SignInGuard,
) -> None:
    for _ in range(120):
        guard.admit("192.168.1.1")
    with pytest.raises(RateLimited) as full:
        guard.admit("192.168.1.1")
    assert full.value.retry_after_s == 1
    guard.admit("192.168.1.2")


def test_the_hosts_limit_is_kept_for_every_process(
    services: Services, guard: SignInGuard, clock: Clock
) -> None:
    other = SignInGuard(services.sessions, lambda: clock.now_ms, default_per_minute=120)
    assert other.per_minute() == 120
    guard.set_per_minute(300)
    clock.advance(seconds=2)
    assert other.per_minute() == 300
    for _ in range(300):
        other.admit("10.1.1.1")
    with pytest.raises(RateLimited):
        other.admit("10.1.1.1")
    for bad in (0, 100_001):
        with pytest.raises(Refused) as refused:
            guard.set_per_minute(bad)
        assert refused.value.code == "bad_field"
