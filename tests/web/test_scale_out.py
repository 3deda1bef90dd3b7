"""Two server processes on one PostgreSQL database and one Redis message queue.

Teams on different processes race for the same buzzer: each race has exactly one winner,
every client hears every update whichever process ran the command, and both processes end
with the same contest.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import need_service
from tests.web.live import LiveServer, Recorder, close_all, wait_until
from tests.web.test_pk import Queue, account, play

REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.fixture
def two_servers(tmp_path: Path, postgres_url: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        need_service("Redis", f"{REDIS_URL}: {error}")
    environment = {
        "QUIZ_DATABASE_URL": postgres_url,
        "QUIZ_MESSAGE_QUEUE": REDIS_URL,
        "QUIZ_PK_REVEAL_S": "0.3",
        "QUIZ_PK_BOT_AFTER_S": "60",
    }
    first = LiveServer(tmp_path / "a", extra_env=environment)
    second = LiveServer(tmp_path / "b", extra_env=environment)
    for server in (first, second):
        server.data_dir.mkdir()
    first.set_password()
    first.start()  # the first start imports the bundled banks; then the second joins
    second.start()
    yield first, second
    for server in (first, second):
        server.stop()


def buzz_together(*clients: Recorder) -> list[dict[str, object]]:
    """Buzz from every client at once, each from its own thread."""
    acks: list[dict[str, object]] = [{} for _ in clients]

    def press(index: int) -> None:
        acks[index] = clients[index].call("buzz", {})

    threads = [threading.Thread(target=press, args=(index,)) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return acks


def test_races_across_processes_have_one_winner_and_reach_everyone(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    first, second = two_servers
    host_http = first.host()
    code = first.create_contest(host_http)["code"]
    host = Recorder(first, {"role": "host", "contest": code}, host_http).connect()
    near = Recorder(first, {"role": "team", "seat": first.join(code, "shigatse", "A")}).connect()
    far = Recorder(second, {"role": "team", "seat": second.join(code, "lhasa", "B")}).connect()

    def command(kind: str, **fields: object) -> int:
        ack = host.call("command", {"type": kind, **fields})
        assert ack["ok"], ack
        return int(ack["seq"])

    command("StartRound")
    command("EndRound")
    command("StartRound")  # 抢答, three questions
    winners = []
    for _ in range(3):
        command("OpenQuestion")
        seq = command("ArmBuzzers")
        wait_until(lambda s=seq: far.seq() >= s, what="the armed state on the other process")
        acks = buzz_together(near, far)
        assert all(ack.get("ok") for ack in acks), acks
        view = wait_until(
            lambda: len(host.view()["question"]["race"]["ranking"]) == 2 and host.view(),
            what="both buzzes in the race",
        )
        ranking = [entry["team"] for entry in view["question"]["race"]["ranking"]]
        assert sorted(ranking) == ["lhasa", "shigatse"]
        winner = view["question"]["race"]["winner"]
        assert winner == ranking[0]
        winners.append(winner)
        seq = command("Judge", team=winner, correct=True)
        for client in (near, far):
            wait_until(lambda c=client, s=seq: c.seq() >= s, what="the judgement everywhere")
    scores = {row["team"]: row["score"] for row in host.view()["standings"]}
    assert scores["lhasa"] == 100 + 10 * winners.count("lhasa")
    assert scores["shigatse"] == 100 + 10 * winners.count("shigatse")
    assert far.view()["standings"] == host.view()["standings"]
    watcher = Recorder(second, {"role": "audience", "contest": code}).connect()
    assert watcher.snapshots()[0]["seq"] == host.seq()
    assert watcher.snapshots()[0]["view"]["standings"] == host.view()["standings"]
    close_all(host, near, far, watcher)
    host_http.close()


def test_pk_players_on_different_processes_are_paired_and_play(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    first, second = two_servers
    near_http = account(first, "卓玛", "拉萨支队")
    far_http = account(second, "扎西", "日喀则支队")
    near_queue, far_queue = Queue(first, near_http), Queue(second, far_http)
    assert near_queue.find()["waiting"]
    matched = far_queue.find()
    assert matched["ok"], matched
    far_seat = matched["matched"]
    near_seat = near_queue.pairing()  # sent by the second process, through Redis
    assert near_seat["contest"] == far_seat["contest"]
    assert near_seat["opponent"] == {"name": "扎西", "detachment": "日喀则支队", "bot": False}
    near = Recorder(first, {"role": "team", "seat": near_seat["seat"]}).connect()
    far = Recorder(second, {"role": "team", "seat": far_seat["seat"]}).connect()
    players = [
        threading.Thread(target=play, args=(near, True, [])),
        threading.Thread(target=play, args=(far, False, [])),
    ]
    for thread in players:
        thread.start()
    for thread in players:
        thread.join(timeout=120)
    for client in (near, far):
        assert client.view()["podium"] == [near_seat["team"], far_seat["team"]]
    close_all(near, far)
    near_queue.client.disconnect()
    far_queue.client.disconnect()
