"""The self-test API (docs/practice.md) on a real SQLite file: accounts, sittings, the book,
the daily challenge, leaderboards and history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from quiz.app.host_auth import set_host_password
from quiz.storage.models import UserRow
from tests.web.practice_fixtures import (
    PASSWORD,
    Clock,
    bank_database,
    clocked_app,
    import_bundled_banks,
    practice_app,
    register,
    respond,
    start,
)

SECRET_KEYS = {"answer", "answer_indices", "explanation", "source"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bank_database(tmp_path_factory.mktemp("banks"))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(template: Path, tmp_path: Path, clock: Clock) -> Flask:
    return practice_app(template, tmp_path, clock)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def db(app: Flask) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = app.extensions["leitai"].sessions
    return sessions


def no_secrets(question: dict[str, Any]) -> None:
    assert not SECRET_KEYS & set(question), question
    for translation in question["translations"].values():
        assert not SECRET_KEYS & set(translation)


# Accounts ---------------------------------------------------------------------------------


def test_register_stores_a_scrypt_hash_and_logs_in(app: Flask, client: FlaskClient) -> None:
    user = register(client, "卓玛", "拉萨支队")
    assert user == {
        "id": user["id"],
        "name": "卓玛",
        "detachment": "拉萨支队",
        "brigade": "",
        "guest": False,
    }
    assert client.get("/api/practice/me").json == {"user": user}
    with db(app)() as session:
        stored = session.scalars(select(UserRow.password_hash)).one()
    assert stored is not None
    assert stored.startswith("scrypt:")
    assert PASSWORD not in stored
    client.post("/api/practice/logout")
    assert client.get("/api/practice/me").json == {"user": None}
    again = client.post("/api/practice/login", json={"name": "卓玛", "password": PASSWORD})
    assert again.status_code == 200
    assert again.json == {"user": user}


def test_the_host_logging_in_and_out_keeps_the_browsers_player(
    app: Flask, client: FlaskClient
) -> None:
    set_host_password(db(app), "host-password")
    user = register(client, "卓玛")
    assert client.post("/login", data={"password": "host-password"}).status_code == 303
    assert client.get("/host").status_code == 200
    assert client.get("/api/practice/me").json == {"user": user}
    client.post("/logout")
    assert client.get("/host").status_code == 302
    assert client.get("/api/practice/me").json == {"user": user}


def test_names_are_unique_across_case_and_width(client: FlaskClient) -> None:
    register(client, "Zhuoma")
    answer = client.post(
        "/api/practice/register",
        json={"name": "ＺＨＵＯＭＡ", "detachment": "那曲支队", "password": PASSWORD},
    )
    assert answer.status_code == 409
    assert answer.json["error"]["code"] == "name_taken"  # type: ignore[index]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "", "detachment": "拉萨支队", "password": PASSWORD}, "'name' needs 1 to 20"),
        ({"name": "甲" * 21, "detachment": "拉萨支队", "password": PASSWORD}, "'name' needs"),
        ({"name": "甲", "detachment": "", "password": PASSWORD}, "'detachment' needs"),
        ({"name": "甲", "detachment": "拉萨", "password": "short"}, "the password needs 8"),
        ({"name": "甲", "detachment": "拉萨", "password": PASSWORD, "admin": True}, "unknown"),
        ({"name": "甲\x00", "detachment": "拉萨", "password": PASSWORD}, "control characters"),
        ({"name": 5, "detachment": "拉萨", "password": PASSWORD}, "'name' must be text"),
    ],
)
def test_bad_registrations_are_refused_with_the_reason(
    app: Flask, client: FlaskClient, fields: dict[str, Any], message: str
) -> None:
    answer = client.post("/api/practice/register", json=fields)
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "bad_field"  # type: ignore[index]
    assert message in answer.json["error"]["message"]  # type: ignore[index]
    with db(app)() as session:
        assert session.scalars(select(UserRow)).all() == []


def login_codes(client: FlaskClient, name: str, password: str, times: int) -> list[str]:
    answers = [
        client.post("/api/practice/login", json={"name": name, "password": password})
        for _ in range(times)
    ]
    return [answer.json["error"]["code"] for answer in answers]  # type: ignore[index]


def test_wrong_passwords_back_off_per_name_and_address(client: FlaskClient, clock: Clock) -> None:
    register(client, "扎西")
    client.post("/api/practice/logout")
    assert login_codes(client, "扎西", "wrong-pass", 6) == ["bad_login"] * 5 + ["rate_limited"]
    # While the wait lasts even the right password waits: guesses are not checked at all.
    answer = client.post("/api/practice/login", json={"name": "扎西", "password": PASSWORD})
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "2"
    assert answer.json["retry_after"] == 2  # type: ignore[index]
    assert "请稍后再试" in answer.json["error"]["message"]  # type: ignore[index]
    clock.advance(seconds=2)
    answer = client.post("/api/practice/login", json={"name": "扎西", "password": PASSWORD})
    assert answer.status_code == 200


def test_wrong_passwords_from_one_address_do_not_lock_the_player_out_at_another(
    app: Flask, client: FlaskClient
) -> None:
    register(client, "卓玛")
    stranger = app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "10.0.0.66"
    assert login_codes(stranger, "卓玛", "wrong-pass", 8)[-1] == "rate_limited"
    player = app.test_client()
    player.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    answer = player.post("/api/practice/login", json={"name": "卓玛", "password": PASSWORD})
    assert answer.status_code == 200


def test_forty_people_sign_up_together_from_one_address(app: Flask) -> None:
    for n in range(40):
        phone = app.test_client()
        phone.environ_base["REMOTE_ADDR"] = "192.168.8.1"
        register(phone, f"队员{n}")
    for _ in range(40):
        assert app.test_client().post("/api/practice/guest").status_code == 201


def test_past_the_halls_limit_an_address_is_told_how_long_to_wait(app: Flask, clock: Clock) -> None:
    app.extensions["leitai.sign_ins"].set_per_minute(3)
    answers = [app.test_client().post("/api/practice/guest") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [201, 201, 201, 429]
    assert answers[-1].headers["Retry-After"] == "20"
    assert answers[-1].json["retry_after"] == 20  # type: ignore[index]
    assert answers[-1].json["error"]["code"] == "rate_limited"  # type: ignore[index]
    clock.advance(seconds=20)
    assert app.test_client().post("/api/practice/guest").status_code == 201


def test_an_unknown_name_and_a_wrong_password_get_the_same_answer(client: FlaskClient) -> None:
    register(client, "次仁")
    unknown = client.post("/api/practice/login", json={"name": "无此人", "password": PASSWORD})
    wrong = client.post("/api/practice/login", json={"name": "次仁", "password": "wrong-pass"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json == wrong.json


def test_a_guest_who_registers_keeps_the_history(client: FlaskClient) -> None:
    guest = client.post("/api/practice/guest").json["user"]  # type: ignore[index]
    assert guest["guest"]
    assert guest["name"].startswith("游客-")
    sitting = start(client, mode="practice", count=1)
    respond(client, sitting, right=False)
    user = register(client, "格桑")
    assert user["id"] == guest["id"]
    assert not user["guest"]
    history = client.get("/api/practice/history").json
    assert len(history["points"]) == 1  # type: ignore[index]


def test_everything_but_the_catalog_needs_a_user(client: FlaskClient) -> None:
    assert client.get("/api/practice/catalog").status_code == 200
    for path in ("/api/practice/wrongbook", "/api/practice/history", "/api/practice/daily"):
        answer = client.get(path)
        assert answer.status_code == 401
        assert answer.json["error"]["code"] == "not_logged_in"  # type: ignore[index]
    assert client.post("/api/practice/sittings", json={"mode": "practice"}).status_code == 401


# Practice ---------------------------------------------------------------------------------


def test_practice_gives_feedback_only_after_each_answer(client: FlaskClient) -> None:
    register(client, "卓玛")
    sitting = start(client, mode="practice", banks=["fire-rescue"], count=5, difficulty=[1, 3])
    assert sitting["count"] == 5
    for position in range(5):
        shown = sitting["question"]
        assert shown["position"] == position
        assert shown["bank"] == "fire-rescue"
        assert 1 <= shown["difficulty"] <= 3
        no_secrets(shown)
        answer = respond(client, sitting, right=position != 2)
        assert answer.status_code == 200
        feedback = answer.json
        assert feedback["correct"] is (position != 2)
        assert feedback["explanation"]
        assert feedback["source"]
        assert feedback["answer_indices"] is not None
        sitting = feedback["sitting"]
    assert sitting["finished"]
    assert sitting["question"] is None
    assert sitting["score"] == sitting["correct"] == 4
    assert [r["correct"] for r in sitting["results"]] == [True, True, False, True, True]
    assert [entry["correct"] for entry in sitting["review"]] == [True, True, False, True, True]


def test_tags_choose_the_questions(client: FlaskClient) -> None:
    register(client, "卓玛")
    catalog = client.get("/api/practice/catalog").json
    tag = catalog["tags"][0]["tag"]  # type: ignore[index]
    sitting = start(client, mode="practice", tags=[tag], count=3)
    for _ in range(3):
        assert tag in sitting["question"]["tags"]
        sitting = respond(client, sitting, right=True).json["sitting"]


def test_a_choice_that_matches_nothing_is_refused(client: FlaskClient) -> None:
    register(client, "卓玛")
    answer = client.post(
        "/api/practice/sittings", json={"mode": "practice", "tags": ["没有这个标签"]}
    )
    assert answer.status_code == 409
    assert answer.json["error"]["code"] == "no_questions"  # type: ignore[index]


# Exam -------------------------------------------------------------------------------------


def test_an_exam_hides_results_until_the_end_and_counts_silence_wrong(
    client: FlaskClient, clock: Clock
) -> None:
    register(client, "卓玛")
    exam = start(client, mode="exam", count=4, minutes=10)
    assert exam["deadline_ms"] == clock.now_ms + 10 * 60_000
    answer = respond(client, exam, right=True)
    assert answer.json.keys() == {"accepted", "sitting"}  # type: ignore[union-attr]
    exam = answer.json["sitting"]  # type: ignore[index]
    assert exam["correct"] is None
    assert exam["results"] == [{"position": 0, "correct": None}]
    assert exam["review"] is None
    no_secrets(exam["question"])
    finished = client.post(f"/api/practice/sittings/{exam['id']}/finish").json
    assert finished["finished"]
    assert finished["score"] == 25
    assert [entry["correct"] for entry in finished["review"]] == [True, False, False, False]
    # Unanswered questions were not known: they go in the wrong-answer book like wrong ones.
    assert client.get("/api/practice/wrongbook").json["due"] == 3  # type: ignore[index]
    assert all(set(entry["question"]) >= SECRET_KEYS for entry in finished["review"])


def test_the_exam_clock_is_the_servers_and_a_reload_does_not_reset_it(
    client: FlaskClient, clock: Clock
) -> None:
    register(client, "卓玛")
    exam = start(client, mode="exam", count=3, minutes=1)
    clock.advance(seconds=40)
    again = client.get(f"/api/practice/sittings/{exam['id']}").json
    assert again["deadline_ms"] == exam["deadline_ms"]
    assert again["deadline_ms"] - again["server_ms"] == 20_000
    resumable = client.get("/api/practice/sittings?mode=exam").json["sittings"]  # type: ignore[index]
    assert [s["id"] for s in resumable] == [exam["id"]]
    clock.advance(seconds=20)
    late = respond(client, again, right=True)
    assert late.status_code == 410
    assert late.json["error"]["code"] == "time_up"  # type: ignore[index]
    assert late.json["sitting"]["finished"]  # type: ignore[index]
    assert late.json["sitting"]["score"] == 0  # type: ignore[index]
    assert client.get("/api/practice/sittings?mode=exam").json["sittings"] == []  # type: ignore[index]


# Forged and replayed answers ---------------------------------------------------------------


def test_forged_and_replayed_answers_change_nothing(app: Flask, client: FlaskClient) -> None:
    register(client, "卓玛")
    sitting = start(client, mode="practice", count=3)
    first = respond(client, sitting, right=False)
    assert first.status_code == 200
    after_first = first.json["sitting"]  # type: ignore[index]
    refusals = [
        ({"position": 0, "response": 0}, 409, "already_answered"),
        ({"position": 2, "response": 0}, 409, "not_served"),
        ({"position": 7, "response": 0}, 409, "not_served"),
        ({"position": -1, "response": 0}, 400, "bad_field"),
        ({"position": 1}, 400, "bad_response"),
        ({"position": 1, "response": {"x": 1}}, 400, "bad_response"),
        ({"position": 1, "response": "字" * 201}, 400, "bad_response"),
        ({"position": 1, "response": 0, "correct": True}, 400, "bad_field"),
    ]
    for payload, status, code in refusals:
        answer = client.post(f"/api/practice/sittings/{sitting['id']}/answers", json=payload)
        assert (answer.status_code, answer.json["error"]["code"]) == (status, code), payload  # type: ignore[index]
    assert client.get(f"/api/practice/sittings/{sitting['id']}").json == {
        **after_first,
        "server_ms": after_first["server_ms"],
    }
    book = client.get("/api/practice/wrongbook").json
    assert book["total"] == 1  # type: ignore[index]


def test_a_response_of_the_wrong_type_is_refused(client: FlaskClient) -> None:
    register(client, "卓玛")
    sitting = start(client, mode="practice", count=20)
    # A random draw of 20 may hold no true/false question: keep drawing until one comes up.
    while sitting["finished"] or sitting["question"]["type"] != "truefalse":
        if sitting["finished"]:
            sitting = start(client, mode="practice", count=20)
        else:
            sitting = respond(client, sitting, right=True).json["sitting"]
    answer = client.post(
        f"/api/practice/sittings/{sitting['id']}/answers",
        json={"position": sitting["question"]["position"], "response": 1},
    )
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "bad_response"  # type: ignore[index]


def test_another_users_sitting_is_not_found(app: Flask, client: FlaskClient) -> None:
    register(client, "卓玛")
    sitting = start(client, mode="practice", count=2)
    other = app.test_client()
    register(other, "扎西")
    assert other.get(f"/api/practice/sittings/{sitting['id']}").status_code == 404
    forged = respond(other, sitting, right=True)
    assert forged.status_code == 404
    assert client.get(f"/api/practice/sittings/{sitting['id']}").json["answered"] == 0  # type: ignore[index]


def test_oversized_and_malformed_bodies_are_refused(client: FlaskClient) -> None:
    register(client, "卓玛")
    big = client.post(
        "/api/practice/sittings",
        data='{"mode": "practice", "tags": ["' + "x" * 20_000 + '"]}',
        content_type="application/json",
    )
    assert big.status_code == 413
    assert big.json["error"]["code"] == "too_large"  # type: ignore[index]
    huge = client.post(
        "/api/practice/sittings", data=b"x" * (17 * 1024 * 1024), content_type="application/json"
    )
    assert huge.status_code == 413
    for data in ("not json", "[1, 2]", '{"mode": "practice", "count": 1000}', '{"mode": "x"}'):
        answer = client.post("/api/practice/sittings", data=data, content_type="application/json")
        assert answer.status_code == 400, data
        assert answer.json["error"]["code"] == "bad_field"  # type: ignore[index]


# The wrong-answer book ----------------------------------------------------------------------


def test_a_wrong_answer_is_reviewed_until_mastered(client: FlaskClient, clock: Clock) -> None:
    register(client, "卓玛")
    sitting = start(client, mode="practice", count=1)
    question_id = sitting["question"]["id"]
    respond(client, sitting, right=False)
    book = client.get("/api/practice/wrongbook").json
    assert (book["due"], book["total"], book["mastered"]) == (1, 1, 0)  # type: ignore[index]
    card = book["cards"][0]  # type: ignore[index]
    assert (card["question"]["id"], card["box"], card["due"]) == (question_id, 1, True)
    for box, wait in ((1, 1), (2, 3), (3, 0)):
        review = start(client, mode="review")
        assert review["count"] == 1
        assert review["question"]["id"] == question_id
        feedback = respond(client, review, right=True).json
        assert feedback["correct"] is True  # type: ignore[index]
        book = client.get("/api/practice/wrongbook").json
        if box < 3:
            assert book["cards"][0]["box"] == box + 1  # type: ignore[index]
            assert book["due"] == 0  # type: ignore[index]
            refused = client.post("/api/practice/sittings", json={"mode": "review"})
            assert refused.json["error"]["code"] == "nothing_due"  # type: ignore[index]
            clock.advance(days=wait)
    assert (book["due"], book["total"], book["mastered"]) == (0, 0, 1)  # type: ignore[index]


def test_a_wrong_review_sends_the_card_back_to_box_one(client: FlaskClient, clock: Clock) -> None:
    register(client, "卓玛")
    respond(client, start(client, mode="practice", count=1), right=False)
    respond(client, start(client, mode="review"), right=True)
    clock.advance(days=1)
    respond(client, start(client, mode="review"), right=False)
    card = client.get("/api/practice/wrongbook").json["cards"][0]  # type: ignore[index]
    assert (card["box"], card["due"], card["lapses"], card["reviews"]) == (1, True, 1, 2)


# The daily challenge and leaderboards ------------------------------------------------------


def test_everyone_gets_the_same_daily_set_once_a_day(app: Flask, clock: Clock) -> None:
    players = [
        (app.test_client(), name, unit)
        for name, unit in (("卓玛", "拉萨支队"), ("扎西", "拉萨支队"), ("次仁", "日喀则支队"))
    ]
    sets = []
    for index, (client, name, unit) in enumerate(players):
        register(client, name, unit)
        sitting = start(client, mode="daily")
        assert sitting["count"] == 10
        seen = []
        for position in range(10):
            seen.append(sitting["question"]["id"])
            clock.advance(seconds=2 + index)
            sitting = respond(client, sitting, right=position >= index * 3).json["sitting"]
        sets.append(seen)
        assert sitting["score"] == 10 * (10 - index * 3)
        again = client.post("/api/practice/sittings", json={"mode": "daily"})
        assert again.status_code == 409
        assert again.json["sitting"] == sitting["id"]  # type: ignore[index]
    assert sets[0] == sets[1] == sets[2]

    client = players[0][0]
    status = client.get("/api/practice/daily").json
    assert (status["done"], status["score"], status["rank"]) == (True, 100, 1)  # type: ignore[index]
    day = client.get("/api/practice/leaderboard?period=day&by=person").json
    assert [(r["rank"], r["name"], r["score"]) for r in day["rows"]] == [  # type: ignore[index]
        (1, "卓玛", 100),
        (2, "扎西", 70),
        (3, "次仁", 40),
    ]
    units = client.get("/api/practice/leaderboard?period=day&by=detachment").json["rows"]  # type: ignore[index]
    assert [(r["detachment"], r["people"], r["mean"]) for r in units] == [
        ("拉萨支队", 2, 85.0),
        ("日喀则支队", 1, 40.0),
    ]

    clock.advance(days=1)
    tomorrow = start(client, mode="daily")
    next_set = []
    for _ in range(10):
        next_set.append(tomorrow["question"]["id"])
        clock.advance(seconds=3)
        tomorrow = respond(client, tomorrow, right=False).json["sitting"]
    assert next_set != sets[0]
    month = client.get("/api/practice/leaderboard?period=month&by=person").json
    assert month["key"] == "2026-11"  # type: ignore[index]
    assert [(r["name"], r["score"], r["days"]) for r in month["rows"]] == [  # type: ignore[index]
        ("卓玛", 100, 2),
        ("扎西", 70, 1),
        ("次仁", 40, 1),
    ]


def test_guests_are_not_on_the_leaderboard(client: FlaskClient) -> None:
    client.post("/api/practice/guest")
    sitting = start(client, mode="daily")
    while not sitting["finished"]:
        sitting = respond(client, sitting, right=True).json["sitting"]
    rows = client.get("/api/practice/leaderboard?period=day&by=person").json["rows"]  # type: ignore[index]
    assert rows == []


def play_daily(client: FlaskClient, clock: Clock, seconds: float, right: bool = True) -> Any:
    """Answer today's challenge, ``seconds`` a question; the last answer's JSON."""
    sitting = start(client, mode="daily")
    while True:
        clock.advance(seconds=seconds)
        answered = respond(client, sitting, right=right).json
        sitting = answered["sitting"]
        if sitting["finished"]:
            return answered


def test_the_daily_keys_stay_back_until_the_run_is_finished(
    client: FlaskClient, clock: Clock
) -> None:
    register(client, "卓玛")
    sitting = start(client, mode="daily")
    for _ in range(9):
        clock.advance(seconds=5)
        answered = respond(client, sitting, right=False).json
        # Not the key, not even right or wrong (a true/false verdict is the key).
        assert answered == {"accepted": True, "sitting": answered["sitting"]}
        sitting = answered["sitting"]
        assert sitting["correct"] is None
        assert {r["correct"] for r in sitting["results"]} == {None}
        assert sitting["review"] is None
        no_secrets(sitting["question"])
        again = client.get(f"/api/practice/sittings/{sitting['id']}").json
        assert again["correct"] is None  # type: ignore[index]
        # A wrong answer's card would show the key in the book: it waits for the end.
        assert client.get("/api/practice/wrongbook").json["cards"] == []  # type: ignore[index]
    clock.advance(seconds=5)
    finished = respond(client, sitting, right=False).json["sitting"]
    assert finished["finished"]
    assert all(set(entry["question"]) >= SECRET_KEYS for entry in finished["review"])
    assert client.get("/api/practice/wrongbook").json["total"] == 10  # type: ignore[index]


def test_a_guests_run_stays_off_the_board_after_the_guest_registers(
    client: FlaskClient, clock: Clock
) -> None:
    client.post("/api/practice/guest")
    play_daily(client, clock, seconds=5)
    register(client, "次仁")
    rows = client.get("/api/practice/leaderboard?period=day&by=person").json["rows"]  # type: ignore[index]
    assert rows == []
    status = client.get("/api/practice/daily").json
    assert (status["score"], status["rank"], status["unranked"]) == (100, None, "guest")  # type: ignore[index]


def test_a_run_faster_than_the_floor_is_scored_but_not_ranked(app: Flask, clock: Clock) -> None:
    cheat, honest = app.test_client(), app.test_client()
    register(cheat, "快手")
    assert play_daily(cheat, clock, seconds=0.01)["sitting"]["score"] == 100
    register(honest, "卓玛")
    play_daily(honest, clock, seconds=4, right=False)
    rows = cheat.get("/api/practice/leaderboard?period=day&by=person").json["rows"]  # type: ignore[index]
    assert [(row["name"], row["rank"]) for row in rows] == [("卓玛", 1)]
    status = cheat.get("/api/practice/daily").json
    assert (status["score"], status["rank"], status["unranked"]) == (100, None, "too_fast")  # type: ignore[index]
    assert status["min_seconds"] == 2.0  # type: ignore[index]
    month = cheat.get("/api/practice/leaderboard?period=month&by=detachment").json["rows"]  # type: ignore[index]
    assert [(row["entries"], row["mean"]) for row in month] == [(1, 0.0)]


@pytest.mark.parametrize(
    "query",
    ["period=week", "by=team", "period=day&key=2026-13-01", "period=month&key=2026-11-01"],
)
def test_bad_leaderboard_queries_are_refused(client: FlaskClient, query: str) -> None:
    register(client, "卓玛")
    answer = client.get(f"/api/practice/leaderboard?{query}")
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "bad_field"  # type: ignore[index]


# History ----------------------------------------------------------------------------------


def test_history_shows_each_sitting_and_the_weakest_tags_first(client: FlaskClient) -> None:
    register(client, "卓玛")
    for right in (True, False):
        sitting = start(client, mode="practice", banks=["party-history"], count=4)
        while not sitting["finished"]:
            sitting = respond(client, sitting, right=right).json["sitting"]
    history = client.get("/api/practice/history").json
    assert [p["accuracy"] for p in history["points"]] == [1.0, 0.0]  # type: ignore[index]
    accuracies = [row["accuracy"] for row in history["tags"]]  # type: ignore[index]
    assert accuracies == sorted(accuracies)
    assert accuracies[0] == 0.0
    assert accuracies[-1] == 1.0
    assert history["pk"] == {"played": 0, "won": 0, "lost": 0, "drawn": 0}  # type: ignore[index]


def test_the_practice_api_works_on_postgresql(postgres_url: str, clock: Clock) -> None:
    import_bundled_banks(postgres_url)
    app = clocked_app(postgres_url, clock)
    client = app.test_client()
    register(client, "卓玛")
    sitting = start(client, mode="daily")
    first_question = sitting["question"]["id"]
    while not sitting["finished"]:
        clock.advance(seconds=3)
        sitting = respond(client, sitting, right=sitting["question"]["position"] > 0).json[
            "sitting"
        ]
    assert sitting["score"] == 90
    assert respond(client, start(client, mode="review"), right=True).json["correct"]  # type: ignore[index]
    other = app.test_client()
    register(other, "扎西")
    assert start(other, mode="daily")["question"]["id"] == first_question
    rows = client.get("/api/practice/leaderboard?period=month&by=detachment").json["rows"]  # type: ignore[index]
    assert rows == [{"rank": 1, "detachment": "拉萨支队", "people": 1, "entries": 1, "mean": 90.0}]
    app.extensions["leitai"].sessions.kw["bind"].dispose()
