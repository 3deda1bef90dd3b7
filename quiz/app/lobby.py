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
    renew_team_code,
    seat_by_token,
    team_codes,
    team_members,
    team_of_code,
)
from quiz.storage.models import ContestRow, PlayerRow

MAX_NAME = 20
# Before the first StartRound: the phases in which members may still be removed or moved.
LOBBY_PHASES = ("blank", "lobby")


@dataclass(frozen=True, slots=True)
class ContestInfo:
    """What the pages need to know of a contest: its code, title, projector key and status, and
    the 成绩单's venue, organiser and host name (empty when not given)."""

    code: str
    title: str
    screen_key: str
    status: str
    question_versions: dict[str, Any]
    created_at: dt.datetime
    venue: str = ""
    organiser: str = ""
    host_name: str = ""
    join: str = "team_code"

    def details(self) -> dict[str, str]:
        """Venue, organiser and host name by their protocol names."""
        return {"venue": self.venue, "organiser": self.organiser, "host_name": self.host_name}


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
        row.code,
        row.title,
        row.screen_key,
        row.status,
        row.question_versions,
        row.created_at,
        venue=row.venue,
        organiser=row.organiser,
        host_name=row.host_name,
        join=join_mode(row),
    )


def seat_of(contests: ContestService, token: str) -> Seat | None:
    """The seat a device's token opens, or None for an unknown token."""
    with contests.sessions() as session:
        return seat_by_token(session, token)


def join_mode(row: ContestRow) -> str:
    """How members join a contest: ``team_code``, ``open``, or ``none`` (a PK match, whose seats
    go only to its two players)."""
    return "none" if row.purpose == "pk" else row.join_mode


def teams_of(
    contests: ContestService, code: str, *, member_names: bool, join_codes: bool = False
) -> dict[str, Any] | None:
    """A contest's teams with how many members joined; members' names only when asked (the
    host's and the projector's view), teams' join codes only when asked (the host's view alone);
    None for an unknown code."""
    with contests.sessions() as session:
        row = contest_by_code(session, code)
        if row is None:
            return None
        members = team_members(session, row.id)
        codes = team_codes(session, row.id) if join_codes else {}
        facts = {"code": row.code, "title": row.title, "status": row.status, "join": join_mode(row)}
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
                **({"join_code": codes[team.id]} if team.id in codes else {}),
            }
            for team in teams
        ],
    }


def join(
    contests: ContestService, code: str, team: str, name: str, team_code: str | None = None
) -> dict[str, Any]:
    """Seat a new member on a team of a contest that is not over; returns the seat token once.
    A contest joined by team code takes only its team's code (which picks the team; a ``team``
    given too must be that one); a PK match takes nobody (its seats are its players')."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise Refused("bad_payload", "your name needs 1 to 20 characters")
    with contests.sessions.begin() as session:
        contest = contest_by_code(session, code)
        if contest is None:
            raise Refused("unknown_contest", f"no contest with code {code!r}")
        if contest.purpose == "pk":
            raise Refused("pk_match", "PK 对战的座位只属于对战双方，不能用比赛码加入")
        if contest.status == "finished":
            raise Refused("finished", "this contest is over")
        live = contests.live(contest.code)
        assert live is not None
        by_code = contest.join_mode == "team_code"
        if not (team in live.state.totals or (by_code and not team)):
            raise Refused("bad_payload", "choose one of the contest's teams")
        if by_code:
            team = _team_by_code(session, contest.id, team, team_code)
        if name_taken(session, contest.id, team, name):
            raise Refused("name_taken", f"the team already has a member named {name!r}")
        seat, token = add_player(session, contest, team, name)
    return {"seat": token, "team": seat.team, "team_name": seat.team_name, "contest": seat.code}


def _team_by_code(session: Session, contest_id: int, team: str, team_code: str | None) -> str:
    """The team a join code opens; a missing or wrong code, or another team's, is refused."""
    if not team_code:
        raise Refused("wrong_team_code", "请输入本队的队伍码（向主持人领取）")
    opened = team_of_code(session, contest_id, team_code)
    if opened is None or team not in ("", opened):
        raise Refused("wrong_team_code", "队伍码不对：请向主持人核对本队的队伍码")
    return opened


def new_team_code(contests: ContestService, code: str, team: str) -> str:
    """Replace a team's join code (a leaked one): the old code stops opening the team, while
    members already seated keep their seats."""
    with contests.sessions.begin() as session:
        contest = contest_by_code(session, code)
        if contest is None:
            raise Refused("unknown_contest", f"no contest with code {code!r}")
        if join_mode(contest) != "team_code":
            raise Refused("no_team_codes", "这场比赛不用队伍码加入")
        fresh = renew_team_code(session, contest.id, team)
        if fresh is None:
            raise Refused("bad_payload", "choose one of the contest's teams")
        return fresh


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
