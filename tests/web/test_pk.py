"""1-v-1 PK on a real server: two python-socketio players paired by the queue, and the bot."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from quiz.engine.shuffle import shuffled
from quiz.storage.contest_repo import commands_after, contest_by_code
from quiz.storage.db import make_engine, session_factory
from tests.web.keys import as_shown, bundled_questions, right_answer, wrong_answer
from tests.web.live import LiveServer, PageSession, Recorder, close_all, wait_until

FAST = {"QUIZ_PK_REVEAL_S": "0.3", "QUIZ_PK_BOT_PACE": "0.05"}


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    extra = {**FAST, **getattr(request, "param", {})}
    live = LiveServer(tmp_path, extra_env=extra)
    live.start()
    yield live
    live.stop()


def account(server: LiveServer, name: str, detachment: str) -> requests.Session:
    """An HTTP session of a newly registered player."""
    http = PageSession()
    answer = http.post(
        server.url + "/api/practice/register",
        json={"name": name, "detachment": detachment, "password": "secret-123"},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return http


class Queue:
    """A practice page's connection: it asks for a match and keeps the pairing it is sent."""

    def __init__(self, server: LiveServer, http: requests.Session) -> None:
        self.matched: list[dict[str, Any]] = []
        self.client = socketio.Client()
        self.client.on("pk_matched", self.matched.append)
        cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
        self.client.connect(
            server.url,
            auth={"role": "practice"},
            headers={"Cookie": cookie},
            transports=["websocket"],
            wait_timeout=10,
        )

    def find(self) -> dict[str, Any]:
        answer: dict[str, Any] = self.client.call("pk_find", {}, timeout=10)
        return answer

    def pairing(self) -> dict[str, Any]:
        return dict(wait_until(lambda: self.matched and self.matched[0], what="a pairing"))


def logged_seed(server: LiveServer, code: str) -> int:
    """The seed the match's SetUpContest logged, read from the server's own database file."""
    engine = make_engine(f"sqlite:///{server.data_dir / 'leitai.sqlite3'}")
    try:
        with session_factory(engine)() as session:
            row = contest_by_code(session, code)
            assert row is not None
            (_, setup), *_ = commands_after(session, row.id, 0)
    finally:
        engine.dispose()
    seed: int = setup["seed"]
    return seed


def play(
    player: Recorder,
    right: bool,
    answered: list[str],
    shown_options: dict[str, list[str]] | None = None,
) -> None:
    """Answer every question as it opens (right or wrong on purpose, by the options in the order
    shown) until the match ends; `shown_options` keeps each question's options as seen."""
    questions = bundled_questions()

    def next_move() -> dict[str, Any] | None:
        view = player.view()
        if view["phase"] == "finished" and view["podium"] is not None:
            return view
        shown = view["question"]
        if shown and shown["step"] == "answering" and shown["question"]["id"] not in answered:
            question_id = shown["question"]["id"]
            assert "answer" not in shown["question"], "the key was sent before answering"
            key = as_shown(questions[question_id], shown["question"])
            if shown_options is not None:
                shown_options[question_id] = shown["question"]["options"]
            response = right_answer(key) if right else wrong_answer(key)
            ack = player.call("answer", {"response": response})
            assert ack["ok"], ack
            answered.append(question_id)
        return None

    wait_until(next_move, timeout=60, what="the end of the match")


def test_two_players_are_paired_and_both_see_the_result(server: LiveServer) -> None:
    red_http = account(server, "卓玛", "拉萨支队")
    blue_http = account(server, "扎西", "日喀则支队")
    red_queue, blue_queue = Queue(server, red_http), Queue(server, blue_http)
    first = red_queue.find()
    assert first["ok"]
    assert first["waiting"]
    second = blue_queue.find()
    assert second["ok"], second
    blue_seat = second["matched"]
    red_seat = red_queue.pairing()
    assert red_seat["contest"] == blue_seat["contest"]
    assert red_seat["opponent"] == {"name": "扎西", "detachment": "日喀则支队", "bot": False}
    assert blue_seat["opponent"] == {"name": "卓玛", "detachment": "拉萨支队", "bot": False}
    code = red_seat["contest"]

    red = Recorder(server, {"role": "team", "seat": red_seat["seat"]}).connect()
    blue = Recorder(server, {"role": "team", "seat": blue_seat["seat"]}).connect()
    red_answers: list[str] = []
    blue_answers: list[str] = []
    red_shown: dict[str, list[str]] = {}
    blue_shown: dict[str, list[str]] = {}
    threads = [
        threading.Thread(target=play, args=(red, True, red_answers, red_shown)),
        threading.Thread(target=play, args=(blue, False, blue_answers, blue_shown)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert len(red_answers) == len(blue_answers) == 5
    # Both players saw each question's options in the one order the match's seed draws.
    assert red_shown == blue_shown
    seed = logged_seed(server, code)
    bank = bundled_questions()
    # A contest's copy of a question has the id "bank/question" that the draw is seeded with.
    drawn = {qid: shuffled(replace(bank[qid], id=qid), seed) for qid in red_shown}
    assert red_shown == {qid: list(question.options) for qid, question in drawn.items()}

    for player, side in ((red, red_seat["team"]), (blue, blue_seat["team"])):
        view = player.view()
        assert view["podium"] == [red_seat["team"], blue_seat["team"]], side
        scores = {row["team"]: row["score"] for row in view["standings"]}
        assert scores[blue_seat["team"]] == 0
        # Five right answers earn between half and all of 100 points each.
        assert 250 <= scores[red_seat["team"]] <= 500

    red_summary = wait_until(
        lambda: red_http.get(server.url + f"/api/practice/pk/{code}", timeout=10).json()
    )
    blue_summary = blue_http.get(server.url + f"/api/practice/pk/{code}", timeout=10).json()
    assert red_summary["finished"]
    assert blue_summary["finished"]
    assert red_summary["you"]["score"] == blue_summary["opponent"]["score"] > 0
    assert [q["you"]["correct"] for q in red_summary["review"]] == [True] * 5
    assert [q["you"]["correct"] for q in blue_summary["review"]] == [False] * 5
    assert all("answer" in q["question"] for q in red_summary["review"])

    def recorded(http: requests.Session) -> dict[str, Any] | None:
        pk: dict[str, Any] = http.get(server.url + "/api/practice/history", timeout=10).json()["pk"]
        return pk if pk["played"] else None

    assert wait_until(lambda: recorded(red_http)) == {"played": 1, "won": 1, "lost": 0, "drawn": 0}
    assert recorded(blue_http) == {"played": 1, "won": 0, "lost": 1, "drawn": 0}
    book = blue_http.get(server.url + "/api/practice/wrongbook", timeout=10).json()
    assert book["due"] == 5
    assert red_http.get(server.url + "/api/practice/wrongbook", timeout=10).json()["total"] == 0
    assert red.call("pk_find", {})["code"] == "not_permitted"  # a seat is not a practice page
    stranger = account(server, "格桑", "林芝支队")
    assert stranger.get(server.url + f"/api/practice/pk/{code}", timeout=10).status_code == 404
    close_all(red, blue)
    red_queue.client.disconnect()
    blue_queue.client.disconnect()


@pytest.mark.parametrize("server", [{"QUIZ_PK_BOT_AFTER_S": "0.5"}], indirect=True)
def test_a_lonely_player_meets_the_labelled_bot(server: LiveServer) -> None:
    http = account(server, "次仁", "山南支队")
    queue = Queue(server, http)
    assert queue.find()["waiting"]
    seat = queue.pairing()
    assert seat["opponent"]["bot"] is True
    assert "机器人" in seat["opponent"]["name"]
    player = Recorder(server, {"role": "team", "seat": seat["seat"]}).connect()
    answered: list[str] = []
    started = time.monotonic()
    play(player, True, answered)
    # A silent bot would let every question run its 15 s; one that answers ends each at once.
    assert time.monotonic() - started < 30
    view = player.view()
    bot_side = "blue" if seat["team"] == "red" else "red"
    bot_name = next(team["name"] for team in view["teams"] if team["id"] == bot_side)
    assert "机器人" in bot_name
    summary = http.get(server.url + f"/api/practice/pk/{seat['contest']}", timeout=10).json()
    assert summary["opponent"]["bot"] is True
    assert len(summary["review"]) == 5
    close_all(player)
    queue.client.disconnect()


def test_the_queue_refuses_a_page_without_a_login(server: LiveServer) -> None:
    client = socketio.Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, auth={"role": "practice"}, transports=["websocket"])


def test_the_queue_refuses_forged_and_misplaced_events(server: LiveServer) -> None:
    http = account(server, "多吉", "昌都支队")
    queue = Queue(server, http)
    assert queue.client.call("pk_find", {"bot": True}, timeout=10)["code"] == "bad_payload"
    assert queue.client.call("pk_find", "x" * 5000, timeout=10)["code"] == "bad_payload"
    # A practice page is not a team device and not a host.
    assert queue.client.call("answer", {"response": 1}, timeout=10)["code"] == "not_permitted"
    assert queue.client.call("command", {"type": "EndContest"}, timeout=10)["code"] == (
        "not_permitted"
    )
    codes = [queue.client.call("pk_cancel", {}, timeout=10).get("code") for _ in range(30)]
    assert "rate_limited" in codes
    queue.client.disconnect()


def test_an_opponent_cannot_take_a_seat_on_the_other_side(server: LiveServer) -> None:
    red_http = account(server, "卓玛", "拉萨支队")
    blue_http = account(server, "扎西", "日喀则支队")
    red_queue, blue_queue = Queue(server, red_http), Queue(server, blue_http)
    assert red_queue.find()["waiting"]
    code = blue_queue.find()["matched"]["contest"]
    red_queue.pairing()
    # Blue (or anyone who learnt the code) asks for a seat on red's side, to answer for red.
    for http in (blue_http, PageSession()):
        for body in ({"team": "red"}, {"team": "red", "team_code": "AAAAA"}, {"team": ""}):
            answer = http.post(
                f"{server.url}/api/join", json={"code": code, "name": "卓玛", **body}, timeout=10
            )
            assert answer.status_code == 403, answer.text
            assert answer.json()["error"]["code"] == "pk_match"
    shown = requests.get(f"{server.url}/api/contests/{code}", timeout=10).json()
    assert shown["join"] == "none"
    assert [team["members"] for team in shown["teams"]] == [1, 1]
    for queue in (red_queue, blue_queue):
        queue.client.disconnect()
