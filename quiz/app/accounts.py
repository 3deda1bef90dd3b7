"""Self-test accounts: registration, login and device guests, with scrypt password hashes."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.security import check_password_hash, generate_password_hash

from quiz.app.blocking import Offload, in_place
from quiz.app.errors import Refused
from quiz.storage.models import UserRow
from quiz.storage.selftest_repo import fold_login, user_by_login

MAX_NAME = 20
MAX_UNIT = 40
MIN_PASSWORD = 8
MAX_PASSWORD = 128
# Checked against when a name is unknown, so a wrong name costs the same time as a wrong password
# and login timing does not tell which names exist.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


class AccountError(Refused):
    """A refused registration or login; ``code`` is one of docs/practice.md's error codes."""


def user_dict(row: UserRow) -> dict[str, Any]:
    """A user as the API shows it (never the password hash)."""
    return {
        "id": row.id,
        "name": row.name,
        "detachment": row.detachment,
        "brigade": row.brigade,
        "guest": row.password_hash is None,
    }


def _text(value: Any, field: str, low: int, high: int) -> str:
    if not isinstance(value, str):
        raise AccountError("bad_field", f"'{field}' must be text")
    text = str(value).strip()
    if not low <= len(text) <= high:
        raise AccountError("bad_field", f"'{field}' needs {low} to {high} characters")
    if any(ord(ch) < 32 for ch in text):
        raise AccountError("bad_field", f"'{field}' may not hold control characters")
    return text


class Accounts:
    """Self-test accounts on one database; password hashing runs through ``offload``."""

    def __init__(self, sessions: sessionmaker[Session], offload: Offload = in_place) -> None:
        self.sessions = sessions
        self.offload = offload

    def register(self, fields: dict[str, Any], guest_id: int | None) -> dict[str, Any]:
        """Create an account (a guest registering keeps its history); names are unique."""
        name = _text(fields.get("name"), "name", 1, MAX_NAME)
        detachment = _text(fields.get("detachment"), "detachment", 1, MAX_UNIT)
        brigade = _text(fields.get("brigade", ""), "brigade", 0, MAX_UNIT)
        password = fields.get("password")
        if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            raise AccountError(
                "bad_field", f"the password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters"
            )
        password_hash = self.offload(generate_password_hash, password)
        try:
            with self.sessions.begin() as session:
                row = session.get(UserRow, guest_id) if guest_id is not None else None
                if row is None or row.password_hash is not None:
                    row = UserRow()
                    session.add(row)
                row.login, row.name, row.password_hash = fold_login(name), name, password_hash
                row.detachment, row.brigade = detachment, brigade
                session.flush()
                return user_dict(row)
        except IntegrityError:
            raise AccountError("name_taken", f"the name {name!r} is taken") from None

    def login(self, fields: dict[str, Any]) -> dict[str, Any]:
        """The account a name and password open; a wrong name or password gets the same answer."""
        name, password = fields.get("name"), fields.get("password")
        if (
            not isinstance(name, str)
            or not isinstance(password, str)
            or len(password) > MAX_PASSWORD
        ):
            raise AccountError("bad_field", "give a name and a password")
        with self.sessions() as session:
            row = user_by_login(session, name[: MAX_NAME * 4])
        stored = row.password_hash if row is not None and row.password_hash else _DUMMY_HASH
        if not self.offload(check_password_hash, stored, password) or row is None:
            raise AccountError("bad_login", "wrong name or password")
        return user_dict(row)

    def new_guest(self) -> dict[str, Any]:
        """A guest account for one device, named 游客 plus a short random tag."""
        with self.sessions.begin() as session:
            row = UserRow(name=f"游客-{secrets.token_hex(2).upper()}", password_hash=None)
            session.add(row)
            session.flush()
            return user_dict(row)

    def get_user(self, user_id: int) -> dict[str, Any] | None:
        """The user with this id, or None (a deleted database, a stale cookie)."""
        with self.sessions() as session:
            row = session.get(UserRow, user_id)
            return user_dict(row) if row is not None else None
