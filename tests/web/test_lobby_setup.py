"""Creating a contest with the host's teams and round values, and the lobby, over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import socketio

from tests.web.live import (
    CONTEST_BANKS,
    LiveServer,
    PageSession,
    Recorder,
    close_all,
    wait_until,
)


def test_a_contest_is_created_with_the_hosts_teams_and_round_values(server: LiveServer) -> None:
    host = server.host()
    created = server.create_contest(
        host,
        teams=[{"name": "一队"}, {"name": "二队"}],
        rounds={"0": {"count": 2, "answer_seconds": 45}},
    )
    found = host.get(f"{server.url}/api/contests/{created['code']}", timeout=10).json()
    assert [(team["id"], team["name"]) for team in found["teams"]] == [
        ("team1", "一队"),
        ("team2", "二队"),
    ]


def test_a_bad_override_answers_bad_payload_with_the_path(server: LiveServer) -> None:
    host = server.host()
    body = {"title": "赛", "template": "mini", "banks": CONTEST_BANKS}
    answer = host.post(
        server.url + "/api/contests",
        json={**body, "rounds": {"1": {"answer_seconds": 0}}},
        timeout=30,
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "bad_payload"
    assert error["message"].startswith("rounds/1/answer_seconds: ")
    not_a_list = host.post(server.url + "/api/contests", json={**body, "teams": "一队"}, timeout=30)
    assert not_a_list.json()["error"]["code"] == "bad_payload"
    assert PageSession().post(server.url + "/api/contests", json=body, timeout=5).status_code == 401


def refused_code(server: LiveServer, auth: dict[str, Any]) -> str:
    errors: list[Any] = []
    client = socketio.Client(reconnection=False)
    client.on("connect_error", errors.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, auth=auth, transports=["websocket"], wait_timeout=5)
    wait_until(lambda: errors, what="connect_error")
    code: str = errors[0]["data"]["code"]
    return code


def member_ids(host: requests.Session, server: LiveServer, code: str) -> dict[str, str]:
    found = host.get(f"{server.url}/api/contests/{code}", timeout=10).json()
    return {m["name"]: m["id"] for team in found["teams"] for m in team["member_names"]}


def test_the_host_removes_and_moves_members_and_their_phones_hear_it(server: LiveServer) -> None:
    host = server.host()
    code = server.create_contest(host)["code"]
    dawa, pema = server.join(code, "lhasa", "达瓦"), server.join(code, "lhasa", "白玛")
    phones = {
        name: Recorder(server, {"role": "team", "seat": seat}).connect()
        for name, seat in (("达瓦", dawa), ("白玛", pema))
    }
    notices: dict[str, list[Any]] = {name: [] for name in phones}
    for name, phone in phones.items():
        phone.client.on("notice", notices[name].append)
    ids = member_ids(host, server, code)
    url = f"{server.url}/api/contests/{code}/members"
    assert PageSession().delete(f"{url}/{ids['达瓦']}", timeout=10).status_code == 401
    removed = host.delete(f"{url}/{ids['达瓦']}", timeout=10)
    assert removed.json() == {"ok": True, "player": ids["达瓦"], "team": "lhasa"}
    wait_until(lambda: notices["达瓦"], what="the removed seat's notice")
    assert notices["达瓦"][0]["code"] == "seat_removed"
    wait_until(lambda: not phones["达瓦"].client.connected, what="the removed seat's disconnect")
    assert refused_code(server, {"role": "team", "seat": dawa}) == "unauthorized"
    moved = host.post(f"{url}/{ids['白玛']}/move", json={"team": "ngari"}, timeout=10)
    assert moved.json() == {"ok": True, "player": ids["白玛"], "from": "lhasa", "team": "ngari"}
    wait_until(lambda: notices["白玛"], what="the moved seat's notice")
    assert notices["白玛"][0] == {
        "code": "seat_moved",
        "message": "the host moved this seat to 'ngari'",
        "team": "ngari",
    }
    again = Recorder(server, {"role": "team", "seat": pema}).connect()
    assert again.snapshots()[0]["me"]["team"] == "ngari"
    unknown = host.delete(f"{url}/{ids['达瓦']}", timeout=10)
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "unknown_member")
    hosting = Recorder(server, {"role": "host", "contest": code}, host).connect()
    assert hosting.call("command", {"type": "StartRound"})["ok"] is True
    late = host.delete(f"{url}/{ids['白玛']}", timeout=10)
    assert (late.status_code, late.json()["error"]["code"]) == (409, "lobby_closed")
    close_all(again, hosting, *phones.values())


def test_a_taken_name_is_refused_and_the_screen_key_reads_the_names(server: LiveServer) -> None:
    host = server.host()
    created = server.create_contest(host)
    code = created["code"]
    server.join(code, "lhasa", "次仁")
    lhasa = server.team_code(code, "lhasa")
    taken = PageSession().post(
        server.url + "/api/join",
        json={"code": code, "team_code": lhasa, "name": "次仁"},
        timeout=10,
    )
    assert (taken.status_code, taken.json()["error"]["code"]) == (409, "name_taken")
    url = f"{server.url}/api/contests/{code}"
    public = requests.get(url, timeout=10).json()["teams"][0]
    assert "member_names" not in public
    wrong = requests.get(url, params={"key": "wrong"}, timeout=10).json()["teams"][0]
    assert "member_names" not in wrong
    screen = requests.get(url, params={"key": created["screen_key"]}, timeout=10).json()
    assert [m["name"] for m in screen["teams"][0]["member_names"]] == ["次仁"]
