"""Joining a contest and what anyone may see of its teams, without a server."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.app import Services
from quiz.app.contest_setup import build_contest
from quiz.app.errors import Refused
from quiz.app.lobby import contest_info, join, seat_of, teams_of
from quiz.engine.commands import EndContest

TEMPLATES = Path(__file__).parent.parent / "web" / "templates"


@pytest.fixture
def code(services: Services, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    created = build_contest(
        services.contests, title="赛", template="mini", seed=1, bank_ids=["party-history"]
    )
    return created.code


def test_a_member_joins_by_code_in_any_case_and_the_token_opens_the_seat(
    services: Services, code: str
) -> None:
    seat = join(services.contests, code.lower(), "lhasa", "  扎西  ")
    assert (seat["contest"], seat["team"]) == (code, "lhasa")
    opened = seat_of(services.contests, seat["seat"])
    assert opened is not None
    assert (opened.code, opened.team, opened.player_name) == (code, "lhasa", "扎西")
    public = teams_of(services.contests, code, member_names=False)
    hosts = teams_of(services.contests, code, member_names=True)
    assert public is not None
    assert hosts is not None
    lhasa = next(team for team in public["teams"] if team["id"] == "lhasa")
    assert lhasa == {"id": "lhasa", "name": lhasa["name"], "members": 1}
    names = next(team for team in hosts["teams"] if team["id"] == "lhasa")["member_names"]
    assert [member["name"] for member in names] == ["扎西"]


@pytest.mark.parametrize(
    ("contest", "team", "name", "error"),
    [
        (None, "lhasa", "", "bad_payload"),
        (None, "lhasa", "名" * 21, "bad_payload"),
        (None, "atlantis", "扎西", "bad_payload"),
        ("ZZZZZZ", "lhasa", "扎西", "unknown_contest"),
    ],
)
def test_a_refused_join_says_why_and_seats_nobody(
    services: Services, code: str, contest: str | None, team: str, name: str, error: str
) -> None:
    with pytest.raises(Refused) as refused:
        join(services.contests, contest or code, team, name)
    assert refused.value.code == error
    found = teams_of(services.contests, code, member_names=False)
    assert found is not None
    assert sum(team["members"] for team in found["teams"]) == 0


def test_nobody_joins_a_finished_contest(services: Services, code: str) -> None:
    services.contests.execute(code, lambda at: EndContest(at=at))
    info = contest_info(services.contests, code)
    assert info is not None
    assert info.status == "finished"
    with pytest.raises(Refused) as refused:
        join(services.contests, code, "lhasa", "扎西")
    assert refused.value.code == "finished"
