"""Forged, malformed, oversized and flooding input: refused with a code, nothing else changes."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
import socketio
import websocket

from tests.web.live import LiveServer, PageSession, Recorder, close_all, wait_until

TEAMS = ["lhasa", "shigatse", "nyingchi", "ngari"]


def open_contest(server: LiveServer) -> Iterator[dict[str, Any]]:
    host_http = server.host()
    created = server.create_contest(host_http)
    code = created["code"]
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    teams = {
        t: Recorder(server, {"role": "team", "seat": server.join(code, t, t)}).connect()
        for t in TEAMS
    }
    yield {"code": code, "host": host, "teams": teams, "http": host_http, **created}
    close_all(host, *teams.values())
    host_http.close()


@pytest.fixture(scope="module")
def contest(server: LiveServer) -> Iterator[dict[str, Any]]:
    """One contest for the tests that must change nothing (each checks that it did not)."""
    yield from open_contest(server)


@pytest.fixture
def fresh_contest(server: LiveServer) -> Iterator[dict[str, Any]]:
    """A contest of the test's own, for tests that play."""
    yield from open_contest(server)


def refused_connect(server: LiveServer, auth: Any) -> dict[str, Any]:
    errors: list[Any] = []
    client = socketio.Client(reconnection=False)
    client.on("connect_error", errors.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, auth=auth, transports=["websocket"], wait_timeout=5)
    wait_until(lambda: errors, what="connect_error")
    assert errors[0]["message"] == errors[0]["data"]["message"]
    error: dict[str, Any] = errors[0]["data"]
    return error


def test_connections_without_credentials_are_refused_with_a_code(
    server: LiveServer, contest: dict[str, Any]
) -> None:
    code = contest["code"]
    assert refused_connect(server, {"role": "team", "seat": "forged"})["code"] == "unauthorized"
    assert refused_connect(server, {"role": "host", "contest": code})["code"] == "unauthorized"
    assert refused_connect(server, {"role": "screen", "contest": code, "key": "guess"}) == {
        "code": "unauthorized",
        "message": "wrong screen key",
    }
    assert refused_connect(server, {"role": "audience", "contest": "NOSUCH"})["code"] == (
        "unknown_contest"
    )
    assert refused_connect(server, ["not", "an", "object"])["code"] == "bad_payload"
    assert refused_connect(server, {"role": "judge", "contest": code})["code"] == "bad_payload"


def test_a_player_cannot_send_host_commands(contest: dict[str, Any]) -> None:
    team = contest["teams"]["lhasa"]
    before = contest["host"].seq()
    for payload in (
        {"type": "StartRound"},
        {"type": "AdjustScore", "team": "lhasa", "delta": 500, "note": "我自己加的"},
    ):
        assert team.call("command", payload) == {
            "ok": False,
            "code": "not_permitted",
            "message": "only the host may send this",
        }
    assert team.call("local_buzz", {"team": "lhasa"})["code"] == "not_permitted"
    assert contest["host"].call("buzz", {})["code"] == "not_permitted"
    assert contest["host"].seq() == before


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("StartRound", "bad_payload"),
        ([{"type": "StartRound"}], "bad_payload"),
        ({"type": "NukeEverything"}, "bad_payload"),
        ({"type": "StartRound", "extra": 1}, "bad_payload"),
        ({"type": "AdjustScore", "team": "lhasa", "delta": "10", "note": "x"}, "bad_payload"),
        ({"type": "AdjustScore", "team": "lhasa", "delta": 10**9, "note": "x"}, "bad_payload"),
        ({"type": "AdjustScore", "team": "lhasa", "delta": 10, "note": ""}, "bad_payload"),
        ({"type": "AdjustScore", "team": "nobody", "delta": 10, "note": "x"}, "bad_payload"),
        ({"type": "Judge", "team": "lhasa", "correct": "yes"}, "bad_payload"),
        ({"type": "ArmBuzzers", "countdown_ms": -5}, "bad_payload"),
        ({"type": "StartRound", "pad": "x" * 5000}, "too_large"),
        ({"type": "Judge", "team": "lhasa", "correct": True}, "refused"),
    ],
)
def test_malformed_host_commands(contest: dict[str, Any], payload: Any, code: str) -> None:
    host = contest["host"]
    before = host.seq()
    ack = host.call("command", payload)
    assert ack["ok"] is False
    assert ack["code"] == code, ack
    assert ack["message"]
    assert host.seq() == before


@pytest.mark.parametrize(
    "payload",
    [
        None,
        5,
        {"response": {"nested": [1]}},
        {"response": [True]},
        {"response": 99},
        {"response": "字" * 201},
        {"response": 1, "team": "ngari"},
    ],
)
def test_malformed_answers(contest: dict[str, Any], payload: Any) -> None:
    ack = contest["teams"]["lhasa"].call("answer", payload)
    assert ack["ok"] is False
    assert ack["code"] == "bad_payload"


def test_a_huge_message_drops_only_its_sender(
    server: LiveServer, fresh_contest: dict[str, Any]
) -> None:
    # A raw Socket.IO-over-websocket client, so the test controls and closes its own socket.
    raw = websocket.create_connection(
        f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket", timeout=10
    )
    try:
        assert raw.recv().startswith("0")  # engine.io open
        raw.send("40" + json.dumps({"role": "audience", "contest": fresh_contest["code"]}))
        assert raw.recv().startswith("40")  # the connect acknowledgement comes first
        assert raw.recv().startswith('42["snapshot"')  # then the snapshot
        payload = {"type": "StartRound", "pad": "x" * 10 * 1024 * 1024}
        with contextlib.suppress(OSError, websocket.WebSocketException):
            raw.send("42" + json.dumps(["command", payload]))
            while raw.recv():
                pass  # drain until the server closes the connection
    finally:
        with contextlib.suppress(OSError, websocket.WebSocketException):
            raw.close(timeout=1)
        raw.shutdown()
    ack = fresh_contest["host"].call("command", {"type": "StartRound"})
    assert ack["ok"], ack
    wait_until(
        lambda: fresh_contest["teams"]["ngari"].seq() >= ack["seq"],
        what="the other clients still served",
    )


def test_unknown_events_are_ignored(contest: dict[str, Any]) -> None:
    team = contest["teams"]["lhasa"]
    team.client.emit("become_host", {"please": True})
    team.client.emit("command")
    assert team.call("pass", {})["ok"] is False  # still connected and answered


def test_a_buzz_flood_is_rate_limited_and_others_still_buzz(
    fresh_contest: dict[str, Any],
) -> None:
    host, teams = fresh_contest["host"], fresh_contest["teams"]
    for kind in ("StartRound", "EndRound", "StartRound", "OpenQuestion", "ArmBuzzers"):
        ack = host.call("command", {"type": kind})
        assert ack["ok"], ack
    flood = [teams["lhasa"].call("buzz", {}) for _ in range(60)]
    codes = [ack.get("code") for ack in flood if not ack["ok"]]
    assert codes
    assert set(codes) == {"rate_limited"}
    assert sum(1 for ack in flood if ack["ok"] and "ignored" not in ack) == 1
    assert teams["shigatse"].call("buzz", {})["ok"]
    view = wait_until(
        lambda: len(host.view()["question"]["race"]["ranking"]) == 2 and host.view(),
        what="the second buzz",
    )
    assert [r["team"] for r in view["question"]["race"]["ranking"]] == ["lhasa", "shigatse"]


def test_a_host_flood_is_rate_limited_but_a_quick_host_is_not(
    fresh_contest: dict[str, Any],
) -> None:
    host = fresh_contest["host"]
    quick = [host.call("command", {"type": "Pause"}) for _ in range(60)]
    assert all(ack.get("code") != "rate_limited" for ack in quick)
    flood: list[dict[str, Any]] = []
    for _ in range(300):  # sent without waiting for the acks, as a runaway script would
        host.client.emit("command", {"type": "Pause"}, callback=flood.append)
    wait_until(lambda: len(flood) == 300, what="every ack of the flood")
    assert "rate_limited" in {ack.get("code") for ack in flood}


def test_http_api_refusals(server: LiveServer, contest: dict[str, Any]) -> None:
    url = server.url
    assert PageSession().post(url + "/api/contests", json={}, timeout=5).status_code == 401
    bad_join = PageSession().post(
        url + "/api/join",
        data="not json",
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert bad_join.status_code == 400
    assert bad_join.json()["error"]["code"] == "bad_payload"
    long_name = PageSession().post(
        url + "/api/join",
        json={"code": contest["code"], "team": "lhasa", "name": "名" * 50},
        timeout=5,
    )
    assert long_name.json()["error"]["message"] == "your name needs 1 to 20 characters"
    unknown = PageSession().post(
        url + "/api/join", json={"code": "ZZZZZZ", "team": "x", "name": "y"}, timeout=5
    )
    assert unknown.status_code == 404
    huge = contest["http"].post(
        url + "/api/banks/validate",
        files={"file": ("big.yaml", b"a" * (17 * 1024 * 1024))},
        timeout=30,
    )
    assert huge.status_code == 413
    assert "Traceback" not in huge.text


def test_a_wrong_shaped_answer_is_refused_and_costs_nothing(
    fresh_contest: dict[str, Any],
) -> None:
    host, teams = fresh_contest["host"], fresh_contest["teams"]
    for step in ("StartRound", "OpenQuestion", "PromptAnswer"):
        assert host.call("command", {"type": step})["ok"]
    view = wait_until(
        lambda: (
            host.view()["question"]
            and host.view()["question"]["step"] == "answering"
            and host.view()
        ),
        what="the answer prompt",
    )
    team = view["question"]["answering"][0]
    options = len(view["question"]["question"]["options"])
    key = view["question"]["question"]["answer_indices"][0]
    scores_before = {row["team"]: row["score"] for row in view["standings"]}
    seq_before = host.seq()
    for misshapen in ("拉萨", options, [0, 1]):
        ack = teams[team].call("answer", {"response": misshapen})
        assert (ack["ok"], ack["code"]) == (False, "bad_response"), ack
        assert f"takes one option index from 0 to {options - 1}" in ack["message"]
    assert host.seq() == seq_before
    # The team may still answer, and is scored on that answer alone.
    assert teams[team].call("answer", {"response": (key + 1) % options})["ok"]
    after = wait_until(lambda: host.seq() > seq_before and host.view(), what="the judgement")
    assert {row["team"]: row["score"] for row in after["standings"]} == scores_before
