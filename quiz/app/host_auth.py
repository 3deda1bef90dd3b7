"""The host's password, the session secret and the host's logins, all in the settings table.

A host login is a row, not just a signed cookie: the cookie carries a random token and the row
(keyed by the token's hash) says until when it holds, and the name the person gave (姓名, which
the question editor and the review queue record). Logging out deletes that row, a new password
deletes every one, so a copied or stale cookie stops working on every process at once. Names are
self-declared: everyone shares the one host password until staff accounts exist.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker
from werkzeug.security import check_password_hash, generate_password_hash

from quiz.app.blocking import Offload, in_place
from quiz.app.errors import Refused
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
MAX_NAME = 40


def _session_key(token: str) -> str:
    """The settings key of a login: the token's hash, so the table holds no usable cookie."""
    return SESSION_PREFIX + hashlib.sha256(token.encode()).hexdigest()[:48]


def clean_name(raw: object) -> str:
    """A person's name as stored: NFKC, trimmed, at most MAX_NAME characters, no control
    characters; an empty name is allowed (the login's name field is optional)."""
    if not isinstance(raw, str):
        raise Refused("bad_name", "姓名须为文字 / the name must be text")
    name = unicodedata.normalize("NFKC", raw).strip()
    if len(name) > MAX_NAME or any(unicodedata.category(c).startswith("C") for c in name):
        raise Refused(
            "bad_name",
            f"姓名最多 {MAX_NAME} 个字，不能含控制字符 / "
            f"a name has at most {MAX_NAME} characters and no control characters",
        )
    return name


def same_person(first: str, second: str) -> bool:
    """Whether two self-declared names name the same person: equal after trim, NFKC and
    case folding."""

    def folded(name: str) -> str:
        return unicodedata.normalize("NFKC", name).strip().casefold()

    return folded(first) == folded(second)


def _login_value(until: int, name: str) -> str:
    """A login row's value: its end in ms, then the name after one space (none when empty)."""
    return f"{until} {name}" if name else str(until)


def _read_login(value: str | None) -> tuple[int, str] | None:
    """A login row's end and name, or None when the value is not one."""
    if value is None:
        return None
    until, _, name = value.partition(" ")
    return (int(until), name) if until.isdigit() else None


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

    def open(self, name: str = "") -> str:
        """Start a login valid for ``hours`` in ``name`` (see :func:`clean_name`) and return its
        token (expired logins are dropped)."""
        name = clean_name(name)
        token = secrets.token_urlsafe(32)
        now = self.clock_ms()
        with self.sessions.begin() as session:
            for key, value in settings_with_prefix(session, SESSION_PREFIX).items():
                login = _read_login(value)
                if login is None or login[0] <= now:
                    delete_setting(session, key)
            set_setting(session, _session_key(token), _login_value(now + self.lifetime_ms, name))
        return token

    def close(self, token: object) -> None:
        """End one login at once: its cookie no longer opens anything, on any process."""
        if isinstance(token, str):
            with self.sessions.begin() as session:
                delete_setting(session, _session_key(token))

    def alive(self, token: object) -> bool:
        """Whether ``token`` is a login that was neither closed nor has expired."""
        return self.name(token) is not None

    def name(self, token: object) -> str | None:
        """The name given with a live login ("" when none was), or None if ``token`` is not a
        live login."""
        if not isinstance(token, str) or not 0 < len(token) <= 100:
            return None
        with self.sessions() as session:
            login = _read_login(get_setting(session, _session_key(token)))
        if login is None or self.clock_ms() >= login[0]:
            return None
        return login[1]

    def set_name(self, token: object, name: str) -> str:
        """Give a live login a name (see :func:`clean_name`); returns the name as stored."""
        name = clean_name(name)
        if not name:
            raise Refused("bad_name", "请填写姓名 / give a name")
        if not isinstance(token, str) or not 0 < len(token) <= 100:
            raise Refused("unauthorized", "log in as the host first")
        with self.sessions.begin() as session:
            key = _session_key(token)
            login = _read_login(get_setting(session, key))
            if login is None or self.clock_ms() >= login[0]:
                raise Refused("unauthorized", "log in as the host first")
            set_setting(session, key, _login_value(login[0], name))
        return name
