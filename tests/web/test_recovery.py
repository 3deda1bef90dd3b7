"""SIGKILL the server in the middle of a buzzer question; nothing is lost and clients resume."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from quiz.storage.db import make_engine
from quiz.storage.models import CommandRow
from tests.web.live import LiveServer, Recorder, close_all, wait_until

TEAMS = ["lhasa", "shigatse", "nyingchi", "ngari"]


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path)
    live.set_password()
    live.start()
    yield live
    live.stop()


def test_sigkill_mid_buzz_round_resumes_exactly(own_server: LiveServer) -> None:
    server = own_server
    host_http = server.host()
    code = server.create_contest(host_http)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    teams = {
        t: Recorder(server, {"role": "team", "seat": server.join(code, t, t)}).connect()
        for t in TEAMS
    }

    def command(kind: str, **fields: object) -> None:
        ack = host.call("command", {"type": kind, **fields})
        assert ack["ok"], ack
        wait_until(lambda: host.seq() >= ack["seq"], what=kind)

    command("StartRound")
    command("EndRound")
    command("StartRound")  # 抢答
    command("OpenQuestion")
    command("ArmBuzzers")
    assert teams["nyingchi"].call("buzz", {})["ok"]
    assert teams["lhasa"].call("buzz", {})["ok"]
    before = wait_until(
        lambda: len(host.view()["question"]["race"]["ranking"]) == 2 and host.view(),
        what="both buzzes",
    )
    time.sleep(1.2)  # let the server mark itself alive after the last command
    killed_at = time.time() * 1000
    server.kill()
    snapshots_before = {name: len(client.snapshots()) for name, client in teams.items()}
    time.sleep(1.0)
    server.start()
    for name, client in (*teams.items(), ("host", host)):
        wait_until(
            lambda c=client, n=name: len(c.snapshots()) > snapshots_before.get(n, 1),
            timeout=30,
            what=f"{name} to reconnect by itself",
        )
    after = host.snapshots()[-1]["view"]
    server_ms_after = host.snapshots()[-1]["server_ms"]

    assert after["standings"] == before["standings"]
    assert after["question"]["question"]["id"] == before["question"]["question"]["id"]
    assert after["question"]["step"] == before["question"]["step"] == "answering"
    assert after["question"]["race"]["winner"] == before["question"]["race"]["winner"]
    assert after["question"]["race"]["ranking"] == before["question"]["race"]["ranking"]
    remaining_before = before["question"]["deadline"] - killed_at
    remaining_after = after["question"]["deadline"] - server_ms_after
    assert abs(remaining_after - remaining_before) < 1500, (remaining_before, remaining_after)
    assert not after["paused"]
    team_view = teams["nyingchi"].snapshots()[-1]["view"]
    assert team_view["you"]["your_turn"] is True

    engine = make_engine(f"sqlite:///{server.data_dir / 'leitai.sqlite3'}")
    with engine.connect() as connection:
        kinds = connection.scalars(select(CommandRow.type).order_by(CommandRow.seq)).all()
    engine.dispose()
    assert kinds[-2:] == ["Pause", "Resume"]
    # The contest goes on: the winner is judged right after the restart.
    command("Judge", team="nyingchi", correct=True)
    assert {row["team"]: row["score"] for row in host.view()["standings"]}["nyingchi"] == 110
    close_all(host, *teams.values())
    host_http.close()
