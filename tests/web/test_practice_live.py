"""The self-test on a real server: racing replays, and an exam and a PK match across a SIGKILL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.web.keys import as_shown, bundled_questions, right_answer
from tests.web.live import LiveServer, Recorder, close_all, wait_until
from tests.web.test_pk import Queue, account, play

SERVER_ENV = {"QUIZ_PK_REVEAL_S": "0.3", "QUIZ_PK_BOT_PACE": "0.05", "QUIZ_PK_BOT_AFTER_S": "0.3"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path, extra_env=SERVER_ENV)
    live.start()
    yield live
    live.stop()


def answer(server: LiveServer, http: requests.Session, sitting: dict[str, Any]) -> Any:
    shown = sitting["question"]
    key = bundled_questions()[f"{shown['bank']}/{shown['id']}"]
    return http.post(
        f"{server.url}/api/practice/sittings/{sitting['id']}/answers",
        json={"position": shown["position"], "response": right_answer(key)},
        timeout=30,
    )


def test_twenty_racing_copies_of_one_answer_are_taken_once(server: LiveServer) -> None:
    http = account(server, "卓玛", "拉萨支队")
    sitting = http.post(
        server.url + "/api/practice/sittings", json={"mode": "practice", "count": 3}, timeout=10
    ).json()
    statuses: list[tuple[int, str | None]] = []
    go = threading.Barrier(20)

    def send() -> None:
        go.wait()
        reply = answer(server, http, sitting)
        statuses.append((reply.status_code, reply.json().get("error", {}).get("code")))

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses, key=str) == [(200, None)] + [(409, "already_answered")] * 19
    after = http.get(f"{server.url}/api/practice/sittings/{sitting['id']}", timeout=10).json()
    assert (after["answered"], after["correct"]) == (1, 1)


def test_an_exam_keeps_its_deadline_across_a_server_kill(server: LiveServer) -> None:
    http = account(server, "扎西", "日喀则支队")
    exam = http.post(
        server.url + "/api/practice/sittings",
        json={"mode": "exam", "count": 3, "minutes": 1},
        timeout=10,
    ).json()
    assert answer(server, http, exam).status_code == 200
    time.sleep(1.5)
    server.kill()
    server.start()
    again = http.get(f"{server.url}/api/practice/sittings/{exam['id']}", timeout=10).json()
    assert again["deadline_ms"] == exam["deadline_ms"]
    assert again["answered"] == 1
    assert again["deadline_ms"] - again["server_ms"] < 60_000 - 1_500
    assert not again["finished"]
    assert answer(server, http, again).status_code == 200


def test_a_pk_match_resumes_after_a_server_kill(server: LiveServer) -> None:
    http = account(server, "次仁", "山南支队")
    queue = Queue(server, http)
    queue.find()
    seat = queue.pairing()
    player = Recorder(server, {"role": "team", "seat": seat["seat"]}).connect()
    questions = bundled_questions()

    answered: list[str] = []

    def first_answered() -> bool:
        shown = player.view()["question"]
        if not shown or shown["step"] != "answering":
            return False
        key = as_shown(questions[shown["question"]["id"]], shown["question"])
        ack = player.call("answer", {"response": right_answer(key)})
        answered.append(shown["question"]["id"])
        return bool(ack["ok"])

    wait_until(first_answered, timeout=30, what="the first question")
    close_all(player)
    queue.client.disconnect()
    server.kill()
    server.start()
    rejoined = http.post(f"{server.url}/api/practice/pk/{seat['contest']}/seat", timeout=10)
    assert rejoined.status_code == 200, rejoined.text
    player = Recorder(server, {"role": "team", "seat": rejoined.json()["seat"]}).connect()
    play(player, True, answered)
    summary = http.get(f"{server.url}/api/practice/pk/{seat['contest']}", timeout=10).json()
    assert summary["finished"]
    assert len(summary["review"]) == 5
    assert summary["you"]["score"] > 0
    history = wait_until(
        lambda: http.get(server.url + "/api/practice/history", timeout=10).json()["pk"]["played"]
    )
    assert history == 1
    close_all(player)
