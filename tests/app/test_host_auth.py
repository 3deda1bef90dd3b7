"""Host logins kept on the server: a logout ends one, a new password ends all, and they expire."""

from __future__ import annotations

from quiz.app import Services
from quiz.app.host_auth import HostSessions, set_host_password
from quiz.storage.contest_repo import get_setting, settings_with_prefix
from tests.web.practice_fixtures import Clock


def test_a_closed_login_no_longer_holds_and_others_still_do(services: Services) -> None:
    first, second = services.host_sessions.open(), services.host_sessions.open()
    assert services.host_sessions.alive(first)
    assert services.host_sessions.alive(second)
    services.host_sessions.close(first)
    assert not services.host_sessions.alive(first)
    assert services.host_sessions.alive(second)


def test_a_new_password_ends_every_login_of_every_process(services: Services) -> None:
    tokens = [services.host_sessions.open() for _ in range(3)]
    # Another process: its own service object on the same database.
    elsewhere = HostSessions(services.sessions, services.host_sessions.clock_ms)
    assert all(elsewhere.alive(token) for token in tokens)
    set_host_password(services.sessions, "new-password")
    assert not any(services.host_sessions.alive(token) for token in tokens)
    assert not any(elsewhere.alive(token) for token in tokens)


def test_a_login_expires_after_its_hours_and_expired_rows_are_dropped(
    services: Services, clock: Clock
) -> None:
    logins = HostSessions(services.sessions, lambda: clock.now_ms, hours=12)
    token = logins.open()
    clock.advance(seconds=12 * 3600 - 1)
    assert logins.alive(token)
    clock.advance(seconds=1)
    assert not logins.alive(token)
    logins.open()
    with services.sessions() as session:
        assert len(settings_with_prefix(session, "host_session:")) == 1


def test_the_table_keeps_no_usable_token_and_forged_tokens_hold_nothing(
    services: Services,
) -> None:
    token = services.host_sessions.open()
    with services.sessions() as session:
        rows = settings_with_prefix(session, "host_session:")
        assert get_setting(session, f"host_session:{token}") is None
    assert not any(token in key for key in rows)
    for forged in (True, 1, "", "x" * 101, None, "not-a-login"):
        assert not services.host_sessions.alive(forged)
