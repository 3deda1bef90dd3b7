"""The host's password, the session secret and the host's logins, all in the settings table.

A host login is a row, not just a signed cookie: the cookie carries a random token and the row
(keyed by the token's hash) says until when it holds. Logging out deletes that row, a new
password deletes every one, so a copied or stale cookie stops working on every process at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker
from werkzeug.security import check_password_hash, generate_password_hash

from quiz.app.blocking import Offload, in_place
from quiz.storage.contest_repo import (
    delete_setting,
    get_setting,
    set_setting,
    settings_with_prefix,
)

PASSWORD_KEY = "host_password_hash"
SECRET_KEY = "session_secret"
MIN_PASSWORD = 6
SESSION_PREFIX = "host_session:"
SESSION_HOURS = 12.0


def _session_key(token: str) -> str:
    """The settings key of a login: the token's hash, so the table holds no usable cookie."""
    return SESSION_PREFIX + hashlib.sha256(token.encode()).hexdigest()[:48]


def set_host_password(sessions: sessionmaker[Session], password: str) -> None:
    """Store the host password as a salted scrypt hash (werkzeug's default KDF)."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    with sessions.begin() as session:
        set_setting(session, PASSWORD_KEY, generate_password_hash(password))
        # A new password ends every host login, on every process.
        for key in settings_with_prefix(session, SESSION_PREFIX):
            delete_setting(session, key)


def ensure_host_password(sessions: sessionmaker[Session]) -> str | None:
    """On first start (no password yet) set a random one and return it to be shown once."""
    with sessions() as session:
        if get_setting(session, PASSWORD_KEY) is not None:
            return None
    password = secrets.token_urlsafe(9)
    set_host_password(sessions, password)
    return password


def check_host_password(
    sessions: sessionmaker[Session], password: str, offload: Offload = in_place
) -> bool:
    """Whether ``password`` is the host's; always False while no password is set."""
    with sessions() as session:
        stored = get_setting(session, PASSWORD_KEY)
    return stored is not None and offload(check_password_hash, stored, password)


def session_secret(sessions: sessionmaker[Session]) -> str:
    """The key that signs session cookies: made once, then kept, so logins survive restarts."""
    with sessions.begin() as session:
        secret = get_setting(session, SECRET_KEY)
        if secret is None:
            secret = secrets.token_hex(32)
            set_setting(session, SECRET_KEY, secret)
        return secret


class HostSessions:
    """The host's logins: opened at login, closed at logout, all closed by a new password.

    Every check is one read of the settings table by its primary key, so a revocation holds on
    every process from the next request or command on (no process keeps a stale answer).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock_ms: Callable[[], int],
        hours: float = SESSION_HOURS,
    ) -> None:
        self.sessions = sessions
        self.clock_ms = clock_ms
        self.lifetime_ms = int(hours * 3_600_000)

    def open(self) -> str:
        """Start a login valid for ``hours`` and return its token (expired logins are dropped)."""
        token = secrets.token_urlsafe(32)
        now = self.clock_ms()
        with self.sessions.begin() as session:
            for key, until in settings_with_prefix(session, SESSION_PREFIX).items():
                if not until.isdigit() or int(until) <= now:
                    delete_setting(session, key)
            set_setting(session, _session_key(token), str(now + self.lifetime_ms))
        return token

    def close(self, token: object) -> None:
        """End one login at once: its cookie no longer opens anything, on any process."""
        if isinstance(token, str):
            with self.sessions.begin() as session:
                delete_setting(session, _session_key(token))

    def alive(self, token: object) -> bool:
        """Whether ``token`` is a login that was neither closed nor has expired."""
        if not isinstance(token, str) or not 0 < len(token) <= 100:
            return False
        with self.sessions() as session:
            until = get_setting(session, _session_key(token))
        return until is not None and until.isdigit() and self.clock_ms() < int(until)
