"""Malformed and unknown input at the Socket.IO and JSON layers: each gets a refusal with a code,
and a flood of it costs the log one line, never a traceback."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.web.live import LiveServer, PageSession, Recorder, wait_until
from tests.web.rawws import MB, RawSocket, frame_header

REFUSAL_CODES = {"bad_payload", "unknown_event", "bad_frame", "rate_limited"}


@pytest.fixture(scope="module")
def seats(server: LiveServer) -> list[str]:
    """Three team seats of one contest: one for each test that plays the attacker."""
    host = server.host()
    code = server.create_contest(host)["code"]
    host.close()
    return [server.join(code, team, "攻击者") for team in ("lhasa", "ngari", "shigatse")]


def team_socket(server: LiveServer, seat: str) -> RawSocket:
    """A raw connection that has joined as a team device."""
    raw = RawSocket(server)
    raw.send("40" + json.dumps({"role": "team", "seat": seat}))
    assert raw.text().startswith("40{")  # the connect acknowledgement
    return raw


def collect(raw: RawSocket, acks: int, refusals: int) -> tuple[dict[int, Any], list[Any]]:
    """Read until ``acks`` acknowledgements and ``refusals`` refusal events have come."""
    got: dict[int, Any] = {}
    events: list[Any] = []
    deadline = time.monotonic() + 30
    while len(got) < acks or len(events) < refusals:
        assert time.monotonic() < deadline, (len(got), len(events))
        text = raw.text()
        if text.startswith("43"):
            number, _, rest = text[2:].partition("[")
            got[int(number)] = json.loads("[" + rest)[0]
        elif text.startswith('42["refusal"'):
            events.append(json.loads(text[2:])[1])
    return got, events


def new_lines(server: LiveServer, before: int) -> list[str]:
    return server.log().splitlines()[before:]


def test_a_flood_of_malformed_events_is_refused_and_logged_once(
    server: LiveServer, seats: list[str]
) -> None:
    raw = team_socket(server, seats[0])
    before = len(server.log().splitlines())
    with_ack = []
    for number in range(1, 401):
        with_ack.append(
            (
                f'42{number}["buzz",{{}},{{}}]',  # two arguments: skipped the limiter before
                f'42{number}["become_host",{{}}]',  # no such event
                f'42{number}["connect",{{"role":"host"}}]',  # a reserved name
                f"42{number}[1,2]",  # a name that is no string
            )[number % 4]
        )
    without_ack = [
        '42["buzz"',
        "4zzz",
        '42{"a":1}',
        '451-["buzz",{"_placeholder":true,"num":0}]',
        "42" + "[" * 30_000 + "]" * 30_000,
        '42["become_host"]',
    ] * 25
    for text in with_ack + without_ack:
        raw.send(text)
    acks, refusals = collect(raw, len(with_ack), len(without_ack))
    raw.close()

    assert sorted(acks) == list(range(1, 401))
    assert all(ack["ok"] is False and ack["code"] in REFUSAL_CODES for ack in acks.values())
    assert all(ack["message"] for ack in acks.values())
    assert acks[1]["code"] == "unknown_event"  # the first ones, before the 20-a-second budget
    assert acks[4]["code"] == "bad_payload"
    assert acks[3]["code"] == "bad_frame"
    assert len(refusals) == len(without_ack)
    assert {refusal["code"] for refusal in refusals} <= REFUSAL_CODES
    time.sleep(0.5)
    lines = new_lines(server, before)
    assert len(lines) <= 2, lines
    assert not any("Traceback" in line for line in lines)


def test_a_refusal_reaches_a_socket_io_client_as_an_ack_or_an_event(
    server: LiveServer, seats: list[str]
) -> None:
    team = Recorder(server, {"role": "team", "seat": seats[1]})
    refusals: list[dict[str, Any]] = []
    team.client.on("refusal", refusals.append)
    team.connect()
    assert team.call("become_host", {"please": True}) == {
        "ok": False,
        "code": "unknown_event",
        "message": "no event named 'become_host'",
    }
    assert team.client.call("buzz", ({}, {}), timeout=10)["code"] == "bad_payload"
    team.client.emit("become_host", {})
    wait_until(lambda: refusals, what="the refusal event")
    assert refusals[0]["code"] == "unknown_event"
    assert team.call("pass", {})["code"] == "refused"  # still connected and served
    team.close()


def test_a_10_mb_event_closes_only_its_connection_without_a_traceback(
    server: LiveServer, seats: list[str]
) -> None:
    raw = team_socket(server, seats[2])
    before = len(server.log().splitlines())
    text = ("42" + json.dumps(["buzz", {"pad": "x" * 10 * MB}])).encode()
    raw.sock.sendall(frame_header(len(text)) + text[: 1 * MB])
    assert raw.close_code() == 1009
    raw.close()
    other = team_socket(server, seats[2])  # the seat reconnects and is served
    other.send('427["pass",{}]')
    answer = next(text for text in iter(other.text, "") if text.startswith("437"))
    other.close()
    assert json.loads(answer[3:])[0]["code"] == "refused"
    assert not any("Traceback" in line for line in new_lines(server, before))


@pytest.mark.parametrize("path", ["/api/join", "/api/contests"])
def test_deeply_nested_json_is_a_400_with_a_code(server: LiveServer, path: str) -> None:
    before = len(server.log().splitlines())
    session = server.host() if path == "/api/contests" else PageSession()
    answer = session.post(
        server.url + path,
        data="[" * 5000 + "]" * 5000,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == "bad_payload"
    assert "nests too deeply" in answer.json()["error"]["message"]
    assert not any("Traceback" in line for line in new_lines(server, before))
