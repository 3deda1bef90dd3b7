"""Over real sockets: an impossible buzz claim is marked in the host's evidence only, and the
server's clock pings tell phones and screens their offset so all show 开始抢答 at once."""

from __future__ import annotations

import time
from typing import Any

from tests.web.live import LiveServer, Recorder, close_all, wait_until


def command(host: Recorder, kind: str) -> None:
    ack = host.call("command", {"type": kind})
    assert ack["ok"], ack
    wait_until(lambda: host.seq() >= ack["seq"], what=f"the update after {kind}")


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def test_a_lying_claim_is_marked_in_the_hosts_evidence(server: LiveServer) -> None:
    host_http = server.host()
    created = server.create_contest(host_http, template="mini_fair")
    code = created["code"]
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    screen = Recorder(
        server, {"role": "screen", "contest": code, "key": created["screen_key"]}
    ).connect()
    honest = Recorder(server, {"role": "team", "seat": server.join(code, "lhasa", "卓玛")})
    liar = Recorder(server, {"role": "team", "seat": server.join(code, "ngari", "次仁")})
    honest.connect()
    liar.connect()
    for kind in ("StartRound", "EndRound", "StartRound", "OpenQuestion", "ArmBuzzers"):
        command(host, kind)
    time.sleep(1.2)  # both devices have answered their first pings
    now = now_ms()
    assert honest.call("buzz", {"shown_ms": now - 400, "pressed_ms": now - 150})["ok"]
    now = now_ms()
    # The modified client: "shown 1 ms before the press", a reaction no human has.
    assert liar.call("buzz", {"shown_ms": now - 1, "pressed_ms": now})["ok"]
    view = wait_until(
        lambda: host.view()["question"]["race"]["winner"] and host.view(), what="the decision"
    )
    marks = {b["team"]: b["suspect"] for b in view["question"]["race"]["evidence"]}
    assert marks == {"lhasa": None, "ngari": "reaction_below_floor"}
    assert view["question"]["race"]["winner"] == "lhasa"
    for other in (screen, honest, liar):
        assert "evidence" not in other.view()["question"]["race"]
    close_all(host, screen, honest, liar)
    host_http.close()


def test_clock_pings_carry_the_servers_offset_estimate_to_phones_and_screens(
    server: LiveServer,
) -> None:
    host_http = server.host()
    created = server.create_contest(host_http)
    code = created["code"]
    pings: dict[str, list[dict[str, Any]]] = {"phone": [], "screen": []}
    skew = {"phone": 5_000, "screen": -3_000}  # each device's clock is off by this much

    def answering(name: str, recorder: Recorder) -> Recorder:
        def pong(data: dict[str, Any]) -> dict[str, Any]:
            pings[name].append(data)
            return {"id": data["id"], "client_ms": now_ms() + skew[name]}

        recorder.client.on("clock", pong)
        return recorder.connect()

    phone = answering(
        "phone", Recorder(server, {"role": "team", "seat": server.join(code, "lhasa", "卓玛")})
    )
    screen = answering(
        "screen",
        Recorder(server, {"role": "screen", "contest": code, "key": created["screen_key"]}),
    )
    for name in ("phone", "screen"):
        estimate = wait_until(
            lambda name=name: next((p for p in pings[name] if "offset_ms" in p), None),
            what=f"a {name} ping with an offset estimate",
        )
        assert abs(estimate["offset_ms"] - skew[name]) <= estimate["bound_ms"] + 50, estimate
        assert estimate["bound_ms"] >= 0
    assert "offset_ms" not in pings["phone"][0]  # nothing is measured before the first answer
    close_all(phone, screen)
    host_http.close()
