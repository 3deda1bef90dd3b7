"""Joining a contest and what anyone may see of its teams, without a server."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest

from quiz.app import Services, build_services
from quiz.app.contest_setup import build_contest
from quiz.app.errors import Refused
from quiz.app.lobby import (
    contest_info,
    join,
    move_member,
    new_team_code,
    remove_member,
    seat_of,
    teams_of,
)
from quiz.engine.commands import EndContest, StartRound
from quiz.storage.db import make_engine, session_factory
from tests.helpers import join_with_code
from tests.web.practice_fixtures import import_bundled_banks

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
    seat = join_with_code(services.contests, code.lower(), "lhasa", "  扎西  ")
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
        join_with_code(services.contests, contest or code, team, name)
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
        join_with_code(services.contests, code, "lhasa", "扎西")
    assert refused.value.code == "finished"


def test_a_name_already_in_the_team_is_refused_but_another_team_may_use_it(
    services: Services, code: str
) -> None:
    join_with_code(services.contests, code, "lhasa", "扎西")
    with pytest.raises(Refused) as refused:
        join_with_code(services.contests, code, "lhasa", " 扎西 ")
    assert refused.value.code == "name_taken"
    join_with_code(services.contests, code, "shigatse", "扎西")
    found = teams_of(services.contests, code, member_names=False)
    assert found is not None
    assert [team["members"] for team in found["teams"]][:2] == [1, 1]


def _members(services: Services, code: str) -> dict[str, list[str]]:
    found = teams_of(services.contests, code, member_names=True)
    assert found is not None
    return {team["id"]: [m["name"] for m in team["member_names"]] for team in found["teams"]}


def test_the_host_removes_a_member_whose_token_then_opens_nothing(
    services: Services, code: str
) -> None:
    seat = join_with_code(services.contests, code, "lhasa", "扎西")
    join_with_code(services.contests, code, "lhasa", "卓玛")
    opened = seat_of(services.contests, seat["seat"])
    assert opened is not None
    player = f"m{opened.player_id}"
    assert remove_member(services.contests, code.lower(), player) == "lhasa"
    assert seat_of(services.contests, seat["seat"]) is None
    assert _members(services, code)["lhasa"] == ["卓玛"]
    with pytest.raises(Refused) as refused:
        remove_member(services.contests, code, player)
    assert refused.value.code == "unknown_member"


def test_the_host_moves_a_member_who_keeps_the_token_unless_the_name_is_taken(
    services: Services, code: str
) -> None:
    seat = join_with_code(services.contests, code, "lhasa", "扎西")
    join_with_code(services.contests, code, "shigatse", "卓玛")
    opened = seat_of(services.contests, seat["seat"])
    assert opened is not None
    player = f"m{opened.player_id}"
    assert move_member(services.contests, code, player, "nyingchi") == "lhasa"
    moved = seat_of(services.contests, seat["seat"])
    assert moved is not None
    assert moved.team == "nyingchi"
    assert _members(services, code)["lhasa"] == []
    join_with_code(services.contests, code, "shigatse", "扎西2")
    with pytest.raises(Refused) as bad_team:
        move_member(services.contests, code, player, "atlantis")
    assert bad_team.value.code == "bad_payload"
    same = join_with_code(services.contests, code, "ngari", "扎西")
    assert same["team"] == "ngari"
    with pytest.raises(Refused) as taken:
        move_member(services.contests, code, player, "ngari")
    assert taken.value.code == "name_taken"
    assert _members(services, code)["nyingchi"] == ["扎西"]


def test_members_change_only_before_the_first_round(services: Services, code: str) -> None:
    seat = join_with_code(services.contests, code, "lhasa", "扎西")
    opened = seat_of(services.contests, seat["seat"])
    assert opened is not None
    services.contests.execute(code, lambda at: StartRound(at=at))
    for change in (
        lambda: remove_member(services.contests, code, f"m{opened.player_id}"),
        lambda: move_member(services.contests, code, f"m{opened.player_id}", "ngari"),
    ):
        with pytest.raises(Refused) as refused:
            change()
        assert refused.value.code == "lobby_closed"
    assert _members(services, code)["lhasa"] == ["扎西"]


def test_a_lobby_change_and_a_starting_round_never_interleave(
    services: Services, code: str
) -> None:
    seat = join_with_code(services.contests, code, "lhasa", "扎西")
    opened = seat_of(services.contests, seat["seat"])
    assert opened is not None
    started = threading.Event()

    def start_round() -> None:
        services.contests.execute(code, lambda at: StartRound(at=at))
        started.set()

    with services.contests.locked(code) as held:
        assert held is not None
        live = held[0]
        starter = threading.Thread(target=start_round)
        starter.start()
        # The round waits for the lock a lobby change holds, so the change sees the lobby.
        assert not started.wait(0.3)
        assert live.state.phase == "lobby"
    starter.join(5)
    assert started.is_set()
    with pytest.raises(Refused) as closed:
        remove_member(services.contests, code, f"m{opened.player_id}")
    assert closed.value.code == "lobby_closed"


def test_a_lobby_change_holds_off_a_round_started_by_another_process(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    import_bundled_banks(postgres_url)
    engines = [make_engine(postgres_url) for _ in range(2)]
    # Two services on one database stand for two server processes: separate in-process locks.
    first, second = (
        build_services(session_factory(engine), clock_ms=lambda: 1_000, shared=True)
        for engine in engines
    )
    try:
        code = build_contest(
            first.contests, title="赛", template="mini", seed=1, bank_ids=["party-history"]
        ).code
        seat = join_with_code(second.contests, code, "lhasa", "扎西")
        opened = seat_of(second.contests, seat["seat"])
        assert opened is not None
        started = threading.Event()

        def start_round() -> None:
            first.contests.execute(code, lambda at: StartRound(at=at))
            started.set()

        with second.contests.locked(code) as held:
            assert held is not None
            starter = threading.Thread(target=start_round)
            starter.start()
            # The other process's StartRound waits for the contest's row this change holds.
            assert not started.wait(0.5)
            assert held[0].state.phase == "lobby"
        starter.join(5)
        assert started.is_set()
        with pytest.raises(Refused) as closed:
            remove_member(second.contests, code, f"m{opened.player_id}")
        assert closed.value.code == "lobby_closed"
    finally:
        for engine in engines:
            engine.dispose()


def _codes(services: Services, code: str) -> dict[str, str]:
    found = teams_of(services.contests, code, member_names=True, join_codes=True)
    assert found is not None
    return {team["id"]: team["join_code"] for team in found["teams"] if "join_code" in team}


def test_each_team_has_its_own_code_which_only_the_hosts_view_carries(
    services: Services, code: str
) -> None:
    codes = _codes(services, code)
    assert set(codes) == {"lhasa", "shigatse", "nyingchi", "ngari"}
    assert len(set(codes.values())) == 4
    assert all(re.fullmatch("[A-HJKMNP-Z2-9]{5}", value) for value in codes.values())
    for names in (False, True):  # the public view, and the projector's
        shown = teams_of(services.contests, code, member_names=names)
        assert shown is not None
        assert shown["join"] == "team_code"
        assert not any(value in json.dumps(shown) for value in codes.values())


@pytest.mark.parametrize(
    ("team", "team_code"),
    [("lhasa", None), ("lhasa", ""), ("lhasa", "AAAAA"), ("lhasa", "shigatse"), ("", None)],
)
def test_a_team_is_joined_only_with_its_own_code(
    services: Services, code: str, team: str, team_code: str | None
) -> None:
    codes = _codes(services, code)
    given = codes.get(team_code or "", team_code)  # "shigatse": that team's code, not lhasa's
    with pytest.raises(Refused) as refused:
        join(services.contests, code, team, "扎西", given)
    assert refused.value.code == "wrong_team_code"
    assert not any(members for members in _members(services, code).values())


def test_the_code_alone_seats_the_member_on_its_team_in_any_case(
    services: Services, code: str
) -> None:
    codes = _codes(services, code)
    seat = join(services.contests, code, "", "扎西", f" {codes['ngari'].lower()} ")
    assert (seat["team"], seat["team_name"]) == ("ngari", "阿里支队")
    both = join(services.contests, code, "lhasa", "卓玛", codes["lhasa"])
    assert both["team"] == "lhasa"


def test_a_new_code_shuts_out_the_old_one_but_no_seated_member(
    services: Services, code: str
) -> None:
    old = _codes(services, code)["lhasa"]
    seat = join(services.contests, code, "", "扎西", old)
    fresh = new_team_code(services.contests, code.lower(), "lhasa")
    assert fresh != old
    assert _codes(services, code)["lhasa"] == fresh
    with pytest.raises(Refused) as refused:
        join(services.contests, code, "", "卓玛", old)
    assert refused.value.code == "wrong_team_code"
    assert join(services.contests, code, "", "卓玛", fresh)["team"] == "lhasa"
    assert seat_of(services.contests, seat["seat"]) is not None
    with pytest.raises(Refused) as unknown:
        new_team_code(services.contests, code, "atlantis")
    assert unknown.value.code == "bad_payload"


def test_an_open_contest_seats_anyone_on_the_team_chosen(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    code = build_contest(
        services.contests,
        title="练习",
        template="mini",
        seed=1,
        bank_ids=["party-history"],
        join="open",
    ).code
    assert _codes(services, code) == {}
    shown = teams_of(services.contests, code, member_names=False)
    assert shown is not None
    assert shown["join"] == "open"
    assert join(services.contests, code, "shigatse", "扎西")["team"] == "shigatse"
    with pytest.raises(Refused) as refused:
        new_team_code(services.contests, code, "shigatse")
    assert refused.value.code == "no_team_codes"


def test_a_pk_match_seats_nobody_from_outside(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    code = build_contest(
        services.contests,
        title="PK",
        template="mini",
        seed=1,
        bank_ids=["party-history"],
        purpose="pk",
    ).code
    shown = teams_of(services.contests, code, member_names=False, join_codes=True)
    assert shown is not None
    assert shown["join"] == "none"
    assert all("join_code" not in team for team in shown["teams"])
    for team_code in (None, "AAAAA"):
        with pytest.raises(Refused) as refused:
            join(services.contests, code, "lhasa", "扎西", team_code)
        assert refused.value.code == "pk_match"
    assert not any(members for members in _members(services, code).values())
