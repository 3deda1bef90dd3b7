"""The bank browser over real HTTP: organisers only, the JSON the pages read, and a question's
versions and answer statistics after a player's self-test answer and a contest."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from sqlalchemy import select

from quiz.storage.db import make_engine, session_factory
from quiz.storage.models import BankRow, ContestRow, QuestionRow, QuestionVersion
from tests.web.live import LiveServer, PageSession

BUNDLED = ["fire-rescue", "party-history", "tibet-geography", "tibet-history"]


@pytest.fixture(scope="module")
def host(server: LiveServer) -> requests.Session:
    return server.host()


def get(session: requests.Session, server: LiveServer, path: str, **params: Any) -> Any:
    return session.get(server.url + path, params=params, timeout=30, allow_redirects=False)


@pytest.mark.parametrize(
    "path",
    [
        "/api/questions",
        "/api/questions/facets",
        "/api/banks/tibet-geography/questions/tg-001",
    ],
)
def test_the_api_answers_only_the_host(server: LiveServer, path: str) -> None:
    answer = get(PageSession(), server, path)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    "path", ["/admin/questions", "/admin/banks/tibet-geography/questions/tg-001"]
)
def test_the_pages_send_others_to_the_login(server: LiveServer, path: str) -> None:
    answer = get(PageSession(), server, path)
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_a_search_returns_a_page_of_marked_hits(server: LiveServer, host: requests.Session) -> None:
    answer = get(host, server, "/api/questions", q="西藏 首府", limit=5)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"total", "offset", "limit", "terms", "questions"}
    assert body["terms"] == ["西藏", "首府"]
    assert (body["offset"], body["limit"]) == (0, 5)
    assert body["total"] >= 1
    assert len(body["questions"]) == min(5, body["total"])
    first = body["questions"][0]
    assert set(first) == {
        "bank",
        "qid",
        "version",
        "type",
        "difficulty",
        "status",
        "tags",
        "snippet",
    }
    assert set(first["snippet"]) == {"text", "marks", "clipped_start", "clipped_end"}
    for hit in body["questions"]:
        snippet = hit["snippet"]
        marked = {snippet["text"][start:end] for start, end in snippet["marks"]}
        assert marked <= {"西藏", "首府"}


def test_filters_and_paging(server: LiveServer, host: requests.Session) -> None:
    everything = get(host, server, "/api/questions", bank="tibet-geography", limit=200).json()
    singles = get(
        host, server, "/api/questions", bank="tibet-geography", type="single", limit=200
    ).json()
    assert {hit["bank"] for hit in everything["questions"]} == {"tibet-geography"}
    assert {hit["type"] for hit in singles["questions"]} == {"single"}
    assert 0 < singles["total"] < everything["total"] == len(everything["questions"])
    pages = [
        get(host, server, "/api/questions", bank="tibet-geography", offset=offset, limit=10).json()
        for offset in range(0, everything["total"], 10)
    ]
    assert [hit for page in pages for hit in page["questions"]] == everything["questions"]
    hard = get(host, server, "/api/questions", difficulty=5, limit=200).json()
    assert hard["total"] > 0
    assert {hit["difficulty"] for hit in hard["questions"]} == {5}


@pytest.mark.parametrize(
    "params",
    [{"difficulty": "二"}, {"limit": "0"}, {"limit": "201"}, {"offset": "-1"}, {"offset": "1e3"}],
)
def test_a_bad_number_is_refused(
    server: LiveServer, host: requests.Session, params: dict[str, str]
) -> None:
    answer = get(host, server, "/api/questions", **params)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_query"


def test_the_filters_values_come_from_the_data(server: LiveServer, host: requests.Session) -> None:
    facets = get(host, server, "/api/questions/facets").json()
    assert [bank["id"] for bank in facets["banks"]] == BUNDLED
    assert all(bank["title"] for bank in facets["banks"])
    assert facets["types"] == ["fill", "multiple", "order", "single", "truefalse"]
    assert facets["difficulties"] == [1, 2, 3, 4, 5]
    assert facets["statuses"] == ["reviewed"]
    assert "首府" in facets["tags"]


def test_an_unknown_question_is_not_found(server: LiveServer, host: requests.Session) -> None:
    answer = get(host, server, "/api/banks/tibet-geography/questions/nope")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    assert get(host, server, "/admin/banks/nowhere/questions/nope").status_code == 404


def play_one_answer(server: LiveServer) -> tuple[dict[str, Any], Any]:
    """A guest practises tibet-geography and answers its first question; the question and the
    response sent."""
    player = PageSession()
    assert player.post(server.url + "/api/practice/guest", json={}, timeout=10).status_code == 201
    started = player.post(
        server.url + "/api/practice/sittings",
        json={"mode": "practice", "banks": ["tibet-geography"], "tags": ["首府"], "count": 1},
        timeout=10,
    )
    assert started.status_code == 201, started.text
    sitting = started.json()
    question = sitting["question"]
    response: Any = {"single": 1, "multiple": [0, 1], "truefalse": False}.get(
        question["type"], "拉萨"
    )
    if question["type"] == "order":
        response = list(range(len(question["options"])))
    answered = player.post(
        f"{server.url}/api/practice/sittings/{sitting['id']}/answers",
        json={"position": 0, "response": response},
        timeout=10,
    )
    assert answered.status_code == 200, answered.text
    return question, answered.json()["correct"]


def test_a_question_shows_its_versions_and_a_players_answer(
    server: LiveServer, host: requests.Session
) -> None:
    question, correct = play_one_answer(server)
    path = f"/api/banks/{question['bank']}/questions/{question['id']}"
    detail = get(host, server, path).json()
    assert set(detail) == {
        "bank",
        "bank_title",
        "qid",
        "retired",
        "current_version",
        "versions",
        "total",
    }, detail
    assert (detail["bank"], detail["qid"], detail["retired"]) == (
        "tibet-geography",
        question["id"],
        False,
    )
    (version,) = detail["versions"]
    assert version["version"] == detail["current_version"] == 1
    assert version["content"]["text"] == question["text"]
    assert version["created_at"].endswith("Z")
    stats = version["stats"]
    assert (stats["attempts"], stats["correct"], stats["unanswered"]) == (1, int(correct), 0)
    assert stats["correct_rate"] == (1.0 if correct else 0.0)
    assert stats["median_ms"] is not None
    assert stats["median_ms"] >= 0
    if question["type"] == "single":
        assert stats["picks"] == [1 if i == 1 else 0 for i in range(len(question["options"]))]
    assert detail["total"] == {**stats, "picks": None}  # options may differ between versions
    page = get(host, server, "/admin/banks/tibet-geography/questions/" + question["id"])
    assert page.status_code == 200
    assert 'id="page-data"' in page.text
    assert f"/admin/banks/tibet-geography/questions/{question['id']}/edit" in page.text


def test_a_contest_that_included_a_question_is_counted(
    server: LiveServer, host: requests.Session
) -> None:
    code = server.create_contest(host)["code"]
    engine = make_engine(f"sqlite:///{server.data_dir / 'leitai.sqlite3'}")
    with session_factory(engine)() as session:
        mapping = session.scalar(
            select(ContestRow.question_versions).where(ContestRow.code == code)
        )
        version_id = sorted(mapping.values())[0]
        bank, qid = session.execute(
            select(BankRow.slug, QuestionRow.qid)
            .join(QuestionRow, QuestionRow.bank_id == BankRow.id)
            .join(QuestionVersion, QuestionVersion.question_id == QuestionRow.id)
            .where(QuestionVersion.id == version_id)
        ).one()
    engine.dispose()
    detail = get(host, server, f"/api/banks/{bank}/questions/{qid}").json()
    assert detail["total"]["contests"] == 1
    assert detail["versions"][0]["stats"]["contests"] == detail["total"]["contests"]
