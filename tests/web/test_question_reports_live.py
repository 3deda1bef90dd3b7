"""纠错 over a real server: a phone reports a question after its reveal and is refused before it,
forged payloads are refused with their codes, nobody else is told, and an organiser lists and
resolves the reports; self-test reports go through the practice API."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.web.keys import as_shown, bundled_questions, wrong_answer
from tests.web.live import LiveServer, PageSession, Recorder, close_all, wait_until

QUESTIONS = bundled_questions()


def command(host: Recorder, kind: str, **fields: Any) -> dict[str, Any]:
    ack = host.call("command", {"type": kind, **fields})
    assert ack["ok"], ack
    wait_until(lambda: host.seq() >= ack["seq"], what=f"the update after {kind}")
    return host.view()


@pytest.fixture
def contest(server: LiveServer) -> Any:
    host_http = server.host()
    created = server.create_contest(host_http)
    code = created["code"]
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    lhasa = Recorder(server, {"role": "team", "seat": server.join(code, "lhasa", "扎西")}).connect()
    screen = Recorder(
        server, {"role": "screen", "contest": code, "key": created["screen_key"]}
    ).connect()
    yield code, host_http, host, lhasa, screen
    close_all(host, lhasa, screen)
    host_http.close()


def test_a_phone_reports_a_revealed_question_and_nobody_is_told(
    server: LiveServer, contest: Any
) -> None:
    code, host_http, host, lhasa, screen = contest
    command(host, "StartRound")
    view = command(host, "OpenQuestion", team="lhasa")
    question = view["question"]["question"]["id"]
    report = {"question": question, "reason": "answer", "note": "答案应该是 B"}

    early = lhasa.call("report_question", report)
    assert (early["ok"], early["code"]) == (False, "not_revealed")

    view = command(host, "PromptAnswer")
    key = view["question"]["question"]["answer_indices"][0]
    assert lhasa.call("answer", {"response": key})["ok"]
    wait_until(
        lambda: (
            lhasa.view()["question"] is None or lhasa.view()["question"]["question"].get("revealed")
        ),
        what="the reveal on the phone",
    )
    seqs = (host.seq(), screen.seq(), lhasa.seq())
    messages = (len(host.messages), len(screen.messages), len(lhasa.messages))
    done = lhasa.call("report_question", report)
    assert done == {"ok": True, "replaced": False}
    again = lhasa.call("report_question", {**report, "reason": "stem", "note": ""})
    assert again == {"ok": True, "replaced": True}
    # Nothing was broadcast: no role received an update for the reports.
    assert (host.seq(), screen.seq(), lhasa.seq()) == seqs
    assert (len(host.messages), len(screen.messages), len(lhasa.messages)) == messages

    listed = host_http.get(server.url + "/api/review/reports", timeout=10)
    assert listed.status_code == 200, listed.text
    [entry] = [q for q in listed.json()["questions"] if f"{q['bank']}/{q['qid']}" == question]
    assert entry["count"] == 1
    assert entry["reasons"] == {"stem": 1}
    assert [(r["reporter"], r["source"], r["contest"]) for r in entry["reports"]] == [
        ("扎西", "contest", code)
    ]
    resolved = host_http.post(
        f"{server.url}/api/review/reports/{entry['question_id']}/resolve",
        json={"note": "已核对"},
        timeout=10,
    )
    assert resolved.json() == {"ok": True, "resolved": 1}
    listed = host_http.get(server.url + "/api/review/reports", timeout=10).json()
    assert all(q["question_id"] != entry["question_id"] for q in listed["questions"])


def test_forged_reports_and_commands_are_refused_and_change_nothing(
    server: LiveServer, contest: Any
) -> None:
    code, _host_http, host, lhasa, screen = contest
    command(host, "StartRound")
    view = command(host, "OpenQuestion", team="lhasa")
    question = view["question"]["question"]["id"]
    command(host, "PromptAnswer")
    key = host.view()["question"]["question"]["answer_indices"][0]
    assert lhasa.call("answer", {"response": key})["ok"]
    wait_until(
        lambda: (
            lhasa.view()["question"] is None or lhasa.view()["question"]["question"].get("revealed")
        ),
        what="the reveal on the phone",
    )
    good = {"question": question, "reason": "answer", "note": ""}
    cases = [
        ({**good, "points": 10}, "bad_payload"),
        ({**good, "note": "长" * 201}, "note_too_long"),
        ({**good, "note": "x" * 5000}, "too_large"),
        ({**good, "reason": "typo"}, "bad_reason"),
        ({**good, "question": "party-history/none"}, "unknown_question"),
        ({**good, "question": ["x"]}, "bad_payload"),
        ("report", "bad_payload"),
    ]
    for payload, code_expected in cases:
        ack = lhasa.call("report_question", payload)
        assert (ack["ok"], ack["code"]) == (False, code_expected), payload
    for other in (screen, host):
        ack = other.call("report_question", good)
        assert (ack["ok"], ack["code"]) == (False, "not_permitted")
    before = host.seq()
    forged = lhasa.call("command", {"type": "EndContest"})
    assert (forged["ok"], forged["code"]) == (False, "not_permitted")
    assert host.seq() == before
    assert host.view()["phase"] != "finished"
    nobody = requests.get(server.url + "/api/review/reports", timeout=10)
    assert nobody.status_code == 401
    refused = PageSession().post(
        server.url + "/api/review/reports/1/resolve", json={"note": ""}, timeout=10
    )
    assert refused.status_code == 401
    assert code


def test_a_guest_reports_in_self_test_after_the_feedback(server: LiveServer) -> None:
    guest = PageSession()
    assert guest.post(server.url + "/api/practice/guest", timeout=10).status_code == 201
    started = guest.post(
        server.url + "/api/practice/sittings", json={"mode": "practice", "count": 2}, timeout=10
    )
    assert started.status_code == 201, started.text
    sitting = started.json()
    url = f"{server.url}/api/practice/sittings/{sitting['id']}/reports"
    early = guest.post(url, json={"position": 0, "reason": "answer"}, timeout=10)
    assert early.status_code == 400
    assert early.json()["error"]["code"] == "not_revealed"
    shown = sitting["question"]
    question = as_shown(QUESTIONS[f"{shown['bank']}/{shown['id']}"], shown)
    answered = guest.post(
        f"{server.url}/api/practice/sittings/{sitting['id']}/answers",
        json={"position": 0, "response": wrong_answer(question)},
        timeout=10,
    )
    assert answered.status_code == 200, answered.text
    done = guest.post(url, json={"position": 0, "reason": "answer", "note": "笔误"}, timeout=10)
    assert done.status_code == 200, done.text
    assert done.json() == {"ok": True, "replaced": False}
    forged = guest.post(url, json={"position": 0, "reason": "answer", "who": 1}, timeout=10)
    assert (forged.status_code, forged.json()["error"]["code"]) == (400, "bad_field")
    stranger = PageSession()
    assert stranger.post(server.url + "/api/practice/guest", timeout=10).status_code == 201
    theirs = stranger.post(url, json={"position": 0, "reason": "answer"}, timeout=10)
    assert (theirs.status_code, theirs.json()["error"]["code"]) == (404, "not_found")
    nobody = PageSession().post(url, json={"position": 0, "reason": "answer"}, timeout=10)
    assert (nobody.status_code, nobody.json()["error"]["code"]) == (401, "not_logged_in")
    # The question is now a card of the guest's wrong-answer book: reported there, it replaces.
    card = {"bank": shown["bank"], "question": shown["id"], "reason": "other"}
    book = guest.post(server.url + "/api/practice/wrongbook/reports", json=card, timeout=10)
    assert book.status_code == 200, book.text
    assert book.json() == {"ok": True, "replaced": True}
    none = stranger.post(server.url + "/api/practice/wrongbook/reports", json=card, timeout=10)
    assert (none.status_code, none.json()["error"]["code"]) == (404, "not_found")
