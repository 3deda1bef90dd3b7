"""The question editor and the review queue over HTTP on a real server: who may call, CSRF,
coded problems at the editor's fields, saving versions, a second person's approval."""

from __future__ import annotations

import json
import re
from typing import Any

import requests

from tests.web.live import PASSWORD, LiveServer, PageSession

BANK = "fire-rescue"
QID = "fr-008"


def login(server: LiveServer, name: str = "") -> PageSession:
    """A browser's session logged in as the host, with the name given (or none)."""
    session = PageSession()
    answer = session.post(
        server.url + "/login",
        data={"password": PASSWORD, "name": name},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 303, answer.text
    return session


def editor_fields(
    host: requests.Session, server: LiveServer, qid: str
) -> tuple[dict[str, Any], int]:
    """The editor's fields and version as the editor page carries them."""
    page = host.get(f"{server.url}/admin/banks/{BANK}/questions/{qid}/edit", timeout=10)
    assert page.status_code == 200, page.text
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', page.text)
    assert found is not None
    state = json.loads(found.group(1))["state"]
    keep = ("type", "text", "options", "answer", "explanation", "source", "difficulty", "tags")
    return {key: state["content"][key] for key in keep if key in state["content"]}, state["version"]


def api(server: LiveServer, qid: str, what: str) -> str:
    return f"{server.url}/api/banks/{BANK}/questions/{qid}/{what}"


def test_only_a_host_reaches_the_editor_and_the_queue(server: LiveServer) -> None:
    guest = PageSession()
    for path in (f"/admin/banks/{BANK}/questions/{QID}/edit", "/admin/review"):
        page = guest.get(server.url + path, allow_redirects=False, timeout=10)
        assert page.status_code == 302
        assert "/login" in page.headers["Location"]
    answers = [
        guest.post(api(server, QID, "check"), json={"question": {}}, timeout=10),
        guest.post(api(server, QID, "versions"), json={"question": {}}, timeout=10),
        guest.get(server.url + "/api/review/queue", timeout=10),
        guest.post(server.url + "/api/review/1/approve", json={}, timeout=10),
        guest.post(server.url + "/api/review/1/reject", json={"note": "x"}, timeout=10),
        guest.post(server.url + "/api/staff/name", json={"name": "x"}, timeout=10),
    ]
    for answer in answers:
        assert (answer.status_code, answer.json()["error"]["code"]) == (401, "unauthorized")


def test_a_post_without_the_page_token_is_refused(server: LiveServer) -> None:
    host = login(server, "张三")
    bare = requests.Session()
    bare.cookies.update(host.cookies)
    for path in (api(server, QID, "check"), server.url + "/api/review/1/approve"):
        answer = bare.post(path, json={}, timeout=10)
        assert (answer.status_code, answer.json()["error"]["code"]) == (403, "csrf_failed")
    bare.close()


def test_the_check_answers_coded_problems_at_field_paths(server: LiveServer) -> None:
    host = login(server, "张三")
    fields, _ = editor_fields(host, server, QID)
    broken = {**fields, "text": "", "options": [fields["options"][0]] * 2 + fields["options"][2:]}
    for language in ("zh", "en"):
        answer = host.post(
            api(server, QID, "check"), json={"question": broken, "language": language}, timeout=10
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["ok"] is False
        errors = {p["field"]: p for p in body["problems"] if p["severity"] == "error"}
        assert set(errors) == {"text", "options.1"}
        for problem in body["problems"]:
            assert re.fullmatch(r"[a-z][a-z_]+", problem["code"])
            assert problem["text"]
    good = host.post(api(server, QID, "check"), json={"question": fields}, timeout=10).json()
    assert good == {"ok": True, "problems": []}
    unknown = host.post(
        api(server, QID, "check"), json={"question": {**fields, "status": "reviewed"}}, timeout=10
    )
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (400, "bad_payload")


def test_a_name_is_needed_to_save_and_is_given_once(server: LiveServer) -> None:
    host = login(server)
    page = host.get(f"{server.url}/admin/banks/{BANK}/questions/{QID}/edit", timeout=10)
    assert re.search(r'<section class="card" id="name-card"\s*>', page.text)
    fields, version = editor_fields(host, server, QID)
    changed = {**fields, "text": fields["text"] + "（改）"}
    refused = host.post(
        api(server, QID, "versions"),
        json={"question": changed, "base_version": version},
        timeout=10,
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "name_required")
    too_long = host.post(server.url + "/api/staff/name", json={"name": "名" * 41}, timeout=10)
    assert (too_long.status_code, too_long.json()["error"]["code"]) == (400, "bad_name")
    named = host.post(server.url + "/api/staff/name", json={"name": " 王五 "}, timeout=10)
    assert named.json() == {"name": "王五"}
    page = host.get(f"{server.url}/admin/banks/{BANK}/questions/{QID}/edit", timeout=10)
    assert re.search(r'<section class="card" id="name-card"\s*hidden>', page.text)


def test_a_login_refuses_an_unusable_name(server: LiveServer) -> None:
    session = PageSession()
    answer = session.post(
        server.url + "/login", data={"password": PASSWORD, "name": "x" * 41}, timeout=10
    )
    assert answer.status_code == 400
    assert "姓名" in answer.text


def test_save_waits_for_a_second_persons_approval(server: LiveServer) -> None:
    zhang, li = login(server, "张三"), login(server, "李四")
    fields, version = editor_fields(zhang, server, "fr-007")
    text = "2018年改革中，与公安消防部队一起转制的是哪支武警部队？"
    invalid = zhang.post(
        api(server, "fr-007", "versions"),
        json={"question": {**fields, "source": ""}, "base_version": version},
        timeout=10,
    )
    assert (invalid.status_code, invalid.json()["error"]["code"]) == (400, "invalid_question")
    assert [p["field"] for p in invalid.json()["problems"]] == ["source"]
    saved = zhang.post(
        api(server, "fr-007", "versions"),
        json={"question": {**fields, "text": text}, "base_version": version},
        timeout=10,
    )
    assert saved.status_code == 201, saved.text
    body = saved.json()
    assert (body["version"], body["status"], body["pending"], body["current"]) == (
        version + 1,
        "draft",
        True,
        False,
    )
    stale = zhang.post(
        api(server, "fr-007", "versions"),
        json={"question": {**fields, "text": text + "？"}, "base_version": version},
        timeout=10,
    )
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "stale_version")
    queue = li.get(server.url + "/api/review/queue", params={"bank": BANK}, timeout=10).json()
    item = next(i for i in queue["items"] if i["qid"] == "fr-007")
    assert (item["author"], item["state"], item["version_id"]) == (
        "张三",
        "waiting",
        body["version_id"],
    )
    assert item["changes"][0]["field"] == "text"
    assert queue["waiting"] >= 1
    own = zhang.post(f"{server.url}/api/review/{body['version_id']}/approve", json={}, timeout=10)
    assert (own.status_code, own.json()["error"]["code"]) == (403, "own_version")
    banks_page = li.get(server.url + "/admin/banks", timeout=10).text
    assert re.search(r'id="review-waiting">\d+<', banks_page)
    approved = li.post(f"{server.url}/api/review/{body['version_id']}/approve", json={}, timeout=10)
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["version"]) == ("reviewed", version + 2)
    again = li.post(f"{server.url}/api/review/{body['version_id']}/approve", json={}, timeout=10)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "not_waiting")
    missing = li.post(f"{server.url}/api/review/99999999/reject", json={"note": "x"}, timeout=10)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    _, newest = editor_fields(li, server, "fr-007")
    assert newest == version + 2


def test_a_new_question_is_saved_into_the_bank(server: LiveServer) -> None:
    zhang = login(server, "张三")
    page = zhang.get(f"{server.url}/admin/banks/{BANK}/questions/new", timeout=10)
    assert page.status_code == 200
    question = {
        "id": "fr-http-1",
        "type": "truefalse",
        "text": "灭火器应放置在明显和便于取用的地点。",
        "answer": True,
        "explanation": "灭火器应设置在位置明显和便于取用的地点。",
        "source": "GB 50140",
        "difficulty": 1,
        "tags": ["灭火器"],
    }
    checked = zhang.post(
        api(server, "new", "check"), json={"question": question, "new": True}, timeout=10
    )
    assert checked.json() == {"ok": True, "problems": []}
    saved = zhang.post(
        api(server, "new", "versions"),
        json={"question": question, "new": True, "base_version": 0},
        timeout=10,
    )
    assert saved.status_code == 201, saved.text
    assert (saved.json()["qid"], saved.json()["version"], saved.json()["current"]) == (
        "fr-http-1",
        1,
        True,
    )
    taken = zhang.post(
        api(server, "new", "check"), json={"question": question, "new": True}, timeout=10
    ).json()
    assert taken["ok"] is False
    assert [(p["field"], p["code"]) for p in taken["problems"]] == [("id", "question_id_taken")]
