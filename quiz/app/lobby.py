"""A contest as the pages see it before play: its public facts, its teams, and seating a member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from quiz.app.contests import ContestService, LiveContest
from quiz.app.errors import Refused
from quiz.storage.contest_repo import (
    Seat,
    add_player,
    contest_by_code,
    list_contests,
    move_player,
    name_taken,
    player_of,
    seat_by_token,
    team_members,
)
from quiz.storage.models import ContestRow, PlayerRow

MAX_NAME = 20
# Before the first StartRound: the phases in which members may still be removed or moved.
LOBBY_PHASES = ("blank", "lobby")


@dataclass(frozen=True, slots=True)
class ContestInfo:
    """What the pages need to know of a contest: its code, title, projector key and status."""

    code: str
    title: str
    screen_key: str
    status: str
    question_versions: dict[str, Any]
    created_at: dt.datetime


def contest_info(contests: ContestService, code: str) -> ContestInfo | None:
    """The contest with this code (any case), or None."""
    with contests.sessions() as session:
        row = contest_by_code(session, code)
        if row is None:
            return None
        return _info(row)


def contest_list(contests: ContestService) -> list[ContestInfo]:
    """Every contest the host made (not PK matches), newest first."""
    with contests.sessions() as session:
        return [_info(row) for row in list_contests(session)]


def _info(row: ContestRow) -> ContestInfo:
    return ContestInfo(
        row.code, row.title, row.screen_key, row.status, row.question_versions, row.created_at
    )


def seat_of(contests: ContestService, token: str) -> Seat | None:
    """The seat a device's token opens, or None for an unknown token."""
    with contests.sessions() as session:
        return seat_by_token(session, token)


def teams_of(contests: ContestService, code: str, *, member_names: bool) -> dict[str, Any] | None:
    """A contest's teams with how many members joined; members' names only when asked (the
    host's view); None for an unknown code."""
    with contests.sessions() as session:
        row = contest_by_code(session, code)
        if row is None:
            return None
        members = team_members(session, row.id)
        facts = {"code": row.code, "title": row.title, "status": row.status}
    live = contests.live(facts["code"])
    assert live is not None
    teams = live.state.rules.teams if live.state.rules else ()
    return {
        **facts,
        "teams": [
            {
                "id": team.id,
                "name": team.name,
                "members": len(members.get(team.id, [])),
                **({"member_names": members.get(team.id, [])} if member_names else {}),
            }
            for team in teams
        ],
    }


def join(contests: ContestService, code: str, team: str, name: str) -> dict[str, Any]:
    """Seat a new member on a team of a contest that is not over; returns the seat token once."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise Refused("bad_payload", "your name needs 1 to 20 characters")
    with contests.sessions.begin() as session:
        contest = contest_by_code(session, code)
        if contest is None:
            raise Refused("unknown_contest", f"no contest with code {code!r}")
        if contest.status == "finished":
            raise Refused("finished", "this contest is over")
        live = contests.live(contest.code)
        assert live is not None
        if team not in live.state.totals:
            raise Refused("bad_payload", "choose one of the contest's teams")
        if name_taken(session, contest.id, team, name):
            raise Refused("name_taken", f"the team already has a member named {name!r}")
        seat, token = add_player(session, contest, team, name)
    return {"seat": token, "team": seat.team, "team_name": seat.team_name, "contest": seat.code}


def remove_member(contests: ContestService, code: str, player: str) -> str:
    """Unseat a member before the first round; its seat token stops working. Returns its team."""
    with contests.locked(code) as held:
        live, session = _open_lobby(held, code)
        row, team = _member(session, live, player)
        session.delete(row)
    return team


def move_member(contests: ContestService, code: str, player: str, team: str) -> str:
    """Seat a member on another team before the first round, unless a member there has its name;
    the member keeps its token. Returns the team it left."""
    with contests.locked(code) as held:
        live, session = _open_lobby(held, code)
        row, old_team = _member(session, live, player)
        if team not in live.state.totals:
            raise Refused("bad_payload", "choose one of the contest's teams")
        if team != old_team and name_taken(session, live.id, team, row.name):
            raise Refused("name_taken", f"that team already has a member named {row.name!r}")
        move_player(session, live.id, row, team)
    return old_team


def _open_lobby(held: tuple[LiveContest, Session] | None, code: str) -> tuple[LiveContest, Session]:
    """The held contest whose members may change: only before the first round, because from
    then on the command log names them. The caller holds the contest (its lock and, with several
    processes, its row), so a StartRound cannot slip in between this check and the change."""
    if held is None:
        raise Refused("unknown_contest", f"no contest with code {code!r}")
    live, session = held
    if live.state.phase not in LOBBY_PHASES:
        raise Refused("lobby_closed", "members can only be changed before the first round")
    return live, session


def _member(session: Session, live: LiveContest, player: str) -> tuple[PlayerRow, str]:
    """The member a lobby change is about, and its team."""
    found = player_of(session, live.id, player)
    if found is None:
        raise Refused("unknown_member", f"no member {player!r} in this contest")
    return found
