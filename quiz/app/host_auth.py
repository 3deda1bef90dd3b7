"""The host's password and the session secret, both kept in the settings table."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session, sessionmaker
from werkzeug.security import check_password_hash, generate_password_hash

from quiz.app.blocking import Offload, in_place
from quiz.storage.contest_repo import get_setting, set_setting

PASSWORD_KEY = "host_password_hash"
SECRET_KEY = "session_secret"
MIN_PASSWORD = 6


def set_host_password(sessions: sessionmaker[Session], password: str) -> None:
    """Store the host password as a salted scrypt hash (werkzeug's default KDF)."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    with sessions.begin() as session:
        set_setting(session, PASSWORD_KEY, generate_password_hash(password))


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
