"""Over real sockets: an early press on a phone is no foul, frozen standings leak no score
change, and refusals and ignored presses carry reason codes (docs/protocol.md)."""

from __future__ import annotations

import time
from typing import Any

from tests.web.live import LiveServer, Recorder, close_all, wait_until


def command(host: Recorder, kind: str, **fields: Any) -> dict[str, Any]:
    ack = host.call("command", {"type": kind, **fields})
    assert ack["ok"], ack
    wait_until(lambda: host.seq() >= ack["seq"], what=f"the update after {kind}")
    return host.view()


def events(recorder: Recorder) -> list[dict[str, Any]]:
    with recorder.lock:
        return [e for name, data in recorder.messages if name == "update" for e in data["events"]]


def scores(recorder: Recorder) -> dict[str, int]:
    return {row["team"]: row["score"] for row in recorder.view()["standings"]}


def test_a_phones_early_presses_are_never_fouled(server: LiveServer) -> None:
    host_http = server.host()
    # mini_fair leaves early_press at its default, the phones' lockout.
    code = server.create_contest(host_http, template="mini_fair")["code"]
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    phone = Recorder(server, {"role": "team", "seat": server.join(code, "lhasa", "卓玛")}).connect()
    for kind in ("StartRound", "EndRound", "StartRound", "OpenQuestion"):
        command(host, kind)
    first = phone.call("buzz", {})
    second = phone.call("buzz", {})
    assert (first["ok"], first["ignored"]) == (True, "buzzers_not_armed"), first
    assert second["ok"], second
    assert second["ignored"] in ("early_lockout", "buzzers_not_armed"), second
    wait_until(lambda: host.seq() >= first["seq"], what="the logged early press")
    assert scores(host)["lhasa"] == 100
    assert host.view()["round"]["fouls"] == {}
    time.sleep(0.6)  # past the 500 ms lockout
    command(host, "ArmBuzzers")
    now = time.time_ns() // 1_000_000
    assert phone.call("buzz", {"shown_ms": now - 300, "pressed_ms": now - 50})["ok"]
    wait_until(lambda: host.view()["question"]["race"]["winner"] == "lhasa", what="the race")
    assert not [e for e in events(host) + events(phone) if e["kind"] == "FoulCommitted"]
    assert scores(host)["lhasa"] == 100
    close_all(host, phone)
    host_http.close()


def test_frozen_standings_reach_the_audience_without_any_score_change(
    server: LiveServer,
) -> None:
    host_http = server.host()
    code = server.create_contest(host_http)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    phone = Recorder(server, {"role": "team", "seat": server.join(code, "ngari", "扎西")}).connect()
    audience = Recorder(server, {"role": "audience", "contest": code}).connect()
    for kind in ("StartRound", "EndRound", "FreezeStandings", "StartRound", "OpenQuestion"):
        command(host, kind)
    command(host, "ArmBuzzers")
    assert phone.call("buzz", {})["ok"]
    wait_until(lambda: host.view()["question"]["race"]["winner"] == "ngari", what="the race")
    command(host, "Judge", team="ngari", correct=True)
    wait_until(lambda: audience.seq() >= host.seq(), what="the audience's update")
    assert scores(host)["ngari"] == 110
    assert scores(audience)["ngari"] == 100
    seen = events(audience)
    assert not [e for e in seen if e["kind"] == "ScoreChanged"]
    judged = [e for e in seen if e["kind"] == "AnswerJudged"]
    assert [(e["team"], e["correct"], e["delta"]) for e in judged] == [("ngari", True, None)]
    assert [e["delta"] for e in events(host) if e["kind"] == "AnswerJudged"] == [10]
    close_all(host, phone, audience)
    host_http.close()


def test_refusals_carry_a_reason_code_beside_the_error_code(server: LiveServer) -> None:
    host_http = server.host()
    code = server.create_contest(host_http)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    phone = Recorder(server, {"role": "team", "seat": server.join(code, "lhasa", "卓玛")}).connect()
    refused = host.call("command", {"type": "Resume"})
    assert (refused["ok"], refused["code"], refused["reason"]) == (False, "refused", "not_paused")
    assert "refused" in refused["message"]
    command(host, "StartRound")
    command(host, "OpenQuestion")
    early = phone.call("answer", {"response": 0})
    assert (early["ok"], early["code"], early["reason"]) == (False, "refused", "not_prompted")
    close_all(host, phone)
    host_http.close()
