"""Contests in the database: creation, the append-only command log, players and settings."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from quiz.storage.models import CommandRow, ContestRow, PlayerRow, SettingRow, TeamRow

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# A team's join code: 31**5 (28 million) codes against at most 12 teams, and wrong guesses are
# rate-limited per address, so guessing is hopeless while typing five characters is easy.
TEAM_CODE_LENGTH = 5


def hash_token(token: str) -> str:
    """The stored form of a seat token: its SHA-256 (the token itself is never stored)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_code(session: Session) -> str:
    """A fresh contest code of unambiguous characters, unused so far."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(ContestRow.id).where(ContestRow.code == code)) is None:
            return code


def _team_code(taken: set[str]) -> str:
    """A fresh team join code from the CSPRNG, none of ``taken``."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(TEAM_CODE_LENGTH))
        if code not in taken:
            return code


def create_contest(
    session: Session,
    *,
    code: str,
    title: str,
    template: dict[str, Any],
    status: str,
    teams: list[tuple[str, str]],
    setup: dict[str, Any],
    question_versions: dict[str, int],
    purpose: str = "contest",
    details: dict[str, str] | None = None,
    join_mode: str = "team_code",
) -> ContestRow:
    """Store a new contest with its teams and its first logged command (set-up); ``details``
    holds any of venue, organiser and host_name. Each team of a contest joined by team code gets
    its own code."""
    contest = ContestRow(
        code=code,
        purpose=purpose,
        join_mode=join_mode,
        title=title,
        **(details or {}),
        template=template,
        status=status,
        screen_key=secrets.token_urlsafe(16),
        question_versions=question_versions,
    )
    session.add(contest)
    session.flush()
    coded = purpose == "contest" and join_mode == "team_code"
    taken: set[str] = set()
    for seat, (key, name) in enumerate(teams):
        join_code = _team_code(taken) if coded else None
        taken.add(join_code or "")
        session.add(
            TeamRow(contest_id=contest.id, key=key, name=name, seat=seat, join_code=join_code)
        )
    session.add(
        CommandRow(
            contest_id=contest.id, seq=1, at_ms=setup["at"], type=setup["kind"], payload=setup
        )
    )
    session.flush()
    return contest


def set_details(session: Session, contest_id: int, details: dict[str, str]) -> None:
    """Replace the contest's venue, organiser and host_name (the keys ``details`` names)."""
    contest = session.get(ContestRow, contest_id)
    assert contest is not None
    for name, value in details.items():
        setattr(contest, name, value)


def contest_by_code(session: Session, code: str) -> ContestRow | None:
    """The contest with this code (codes are matched upper-case), or None."""
    return session.scalars(
        select(ContestRow).where(ContestRow.code == code.strip().upper())
    ).one_or_none()


def team_codes(session: Session, contest_id: int) -> dict[str, str]:
    """Each team's join code by team id (teams without one are left out)."""
    rows = session.execute(
        select(TeamRow.key, TeamRow.join_code).where(
            TeamRow.contest_id == contest_id, TeamRow.join_code.is_not(None)
        )
    ).all()
    return {key: join_code for key, join_code in rows if join_code}


def team_of_code(session: Session, contest_id: int, join_code: str) -> str | None:
    """The id of the contest's team whose join code this is (any case), or None."""
    return session.scalar(
        select(TeamRow.key).where(
            TeamRow.contest_id == contest_id, TeamRow.join_code == join_code.strip().upper()
        )
    )


def renew_team_code(session: Session, contest_id: int, team: str) -> str | None:
    """Give a team a fresh join code (the old one stops working); None for an unknown team."""
    row = session.scalars(
        select(TeamRow).where(TeamRow.contest_id == contest_id, TeamRow.key == team)
    ).one_or_none()
    if row is None:
        return None
    row.join_code = _team_code({row.join_code or "", *team_codes(session, contest_id).values()})
    return row.join_code


def list_contests(session: Session, purpose: str | None = "contest") -> list[ContestRow]:
    """Every contest of a purpose ("contest" or "pk"; None for all), newest first."""
    query = select(ContestRow).order_by(ContestRow.id.desc())
    if purpose is not None:
        query = query.where(ContestRow.purpose == purpose)
    return list(session.scalars(query))


def hold_contest(session: Session, contest_id: int) -> None:
    """Hold the contest's row until the transaction ends (SELECT ... FOR UPDATE): another
    process's command waits, because logging it checks the log's foreign key to this row, which
    takes a lock that conflicts. SQLite ignores it, as it serialises writers anyway."""
    session.execute(select(ContestRow.id).where(ContestRow.id == contest_id).with_for_update())


def append_command(session: Session, contest_id: int, seq: int, command: dict[str, Any]) -> None:
    """Log one accepted command at position ``seq``; a taken position raises IntegrityError."""
    session.add(
        CommandRow(
            contest_id=contest_id,
            seq=seq,
            at_ms=command["at"],
            type=command["kind"],
            payload=command,
        )
    )
    session.flush()


def commands_after(session: Session, contest_id: int, seq: int) -> list[tuple[int, dict[str, Any]]]:
    """The logged commands after position ``seq``, in order."""
    rows = session.execute(
        select(CommandRow.seq, CommandRow.payload)
        .where(CommandRow.contest_id == contest_id, CommandRow.seq > seq)
        .order_by(CommandRow.seq)
    ).all()
    return [(row_seq, payload) for row_seq, payload in rows]


def last_seq(session: Session, contest_id: int) -> int:
    """The position of the newest logged command (0 for none)."""
    return (
        session.scalar(
            select(func.coalesce(func.max(CommandRow.seq), 0)).where(
                CommandRow.contest_id == contest_id
            )
        )
        or 0
    )


def save_snapshot(session: Session, contest_id: int, seq: int, snapshot: dict[str, Any]) -> None:
    """Keep the state as of ``seq`` so that recovery folds only the commands after it."""
    contest = session.get(ContestRow, contest_id)
    assert contest is not None
    contest.snapshot, contest.snapshot_seq = snapshot, seq


@dataclass(frozen=True, slots=True)
class Seat:
    """Who a seat token belongs to."""

    player_id: int
    player_name: str
    team: str
    team_name: str
    contest_id: int
    code: str


def add_player(session: Session, contest: ContestRow, team: str, name: str) -> tuple[Seat, str]:
    """Seat a new member on a team; returns the seat and its token (shown to the device once)."""
    team_row = session.scalars(
        select(TeamRow).where(TeamRow.contest_id == contest.id, TeamRow.key == team)
    ).one()
    token = secrets.token_urlsafe(32)
    player = PlayerRow(team_id=team_row.id, name=name, seat_token_hash=hash_token(token))
    session.add(player)
    session.flush()
    return Seat(player.id, name, team, team_row.name, contest.id, contest.code), token


def seat_by_token(session: Session, token: str) -> Seat | None:
    """The seat a token opens, or None for an unknown token."""
    row = session.execute(
        select(PlayerRow, TeamRow, ContestRow)
        .join(TeamRow, TeamRow.id == PlayerRow.team_id)
        .join(ContestRow, ContestRow.id == TeamRow.contest_id)
        .where(PlayerRow.seat_token_hash == hash_token(token))
    ).one_or_none()
    if row is None:
        return None
    player, team, contest = row
    return Seat(player.id, player.name, team.key, team.name, contest.id, contest.code)


def team_members(session: Session, contest_id: int) -> dict[str, list[dict[str, str]]]:
    """Each team's seated members as {id, name} (the id is the player id buzzes carry)."""
    rows = session.execute(
        select(TeamRow.key, PlayerRow.id, PlayerRow.name)
        .join(PlayerRow, PlayerRow.team_id == TeamRow.id)
        .where(TeamRow.contest_id == contest_id)
        .order_by(PlayerRow.id)
    ).all()
    members: dict[str, list[dict[str, str]]] = {}
    for team, player_id, name in rows:
        members.setdefault(team, []).append({"id": player_id_of(player_id), "name": name})
    return members


def name_taken(session: Session, contest_id: int, team: str, name: str) -> bool:
    """Whether a team of the contest already has a member of this name (case ignored)."""
    names = session.scalars(
        select(PlayerRow.name)
        .join(TeamRow, TeamRow.id == PlayerRow.team_id)
        .where(TeamRow.contest_id == contest_id, TeamRow.key == team)
    )
    return name.casefold() in {existing.casefold() for existing in names}


def player_of(session: Session, contest_id: int, player: str) -> tuple[PlayerRow, str] | None:
    """A member of the contest by its player id (``m<row id>``) with its team's id, or None."""
    row_id = player[1:] if player.startswith("m") else ""
    if not row_id.isdigit():
        return None
    found = session.execute(
        select(PlayerRow, TeamRow.key)
        .join(TeamRow, TeamRow.id == PlayerRow.team_id)
        .where(TeamRow.contest_id == contest_id, PlayerRow.id == int(row_id))
    ).one_or_none()
    return None if found is None else (found[0], found[1])


def move_player(session: Session, contest_id: int, player: PlayerRow, team: str) -> None:
    """Seat a member on another team of the same contest (its token stays the same)."""
    player.team_id = session.scalars(
        select(TeamRow.id).where(TeamRow.contest_id == contest_id, TeamRow.key == team)
    ).one()


def player_id_of(row_id: int) -> str:
    """The player id a seated member's commands carry in the contest core."""
    return f"m{row_id}"


def get_setting(session: Session, key: str) -> str | None:
    """A server setting's value, or None when unset."""
    row = session.get(SettingRow, key)
    return None if row is None else row.value


def set_setting(session: Session, key: str, value: str) -> None:
    """Set (or replace) a server setting."""
    row = session.get(SettingRow, key)
    if row is None:
        session.add(SettingRow(key=key, value=value))
    else:
        row.value = value


def delete_setting(session: Session, key: str) -> None:
    """Remove a server setting (nothing happens when it is unset)."""
    session.execute(delete(SettingRow).where(SettingRow.key == key))


def settings_with_prefix(session: Session, prefix: str) -> dict[str, str]:
    """Every setting whose key starts with ``prefix`` (a literal prefix, no wildcards)."""
    rows = session.scalars(
        select(SettingRow).where(func.substr(SettingRow.key, 1, len(prefix)) == prefix)
    )
    return {row.key: row.value for row in rows}
