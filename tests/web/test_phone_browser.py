"""One team's phone is a real browser in a live contest: it joins through /join/<code>, and in a
必答 round answered on the device it answers one question of every type (single, multiple,
truefalse, fill, order) through the answer pads of static/js/pads.js, some right and some wrong
on purpose, while a host drives the contest over python-socketio. The host's side must then hold
exactly the response each pad was meant to send, judged as intended, in its events, its
standings and the results ledger.

Needs Debian's Chromium and the Python Playwright package, like tests/web/test_browser.py: the
test skips without them, or fails when LEITAI_REQUIRE_SERVICES=1. Screenshots go to
test-artifacts/browser/phone-*.png.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.helpers import bank_text, question
from tests.web.browsers import ARTIFACTS, Watch
from tests.web.live import LiveServer, Recorder, close_all, server_with_templates, wait_until

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, Page, expect

TIMEOUT_MS = 15_000
TEAM, TEAM_NAME, PLAYER = "lhasa", "拉萨支队", "卓玛"
BANK = "phone-pads"
TEMPLATE_NAME = "phone_pads"
BASE, POINTS, DEDUCTION = 100, 10, 5
# Two teams (a contest needs two); every question goes to the phone's team. One 必答 round
# answered on the device, one question of each type: the five of BANK, so the draw is certain.
TEMPLATE = f"""\
name: {TEMPLATE_NAME}
label: 手机答题 Phone pads
base_score: {BASE}
final_ranking: score
teams:
  - {{id: {TEAM}, name: {TEAM_NAME}}}
  - {{id: shigatse, name: 日喀则支队}}
rounds:
  - kind: 必答
    name: 必答题
    mode: turn
    answer_input: device
    points: {POINTS}
    deduction: {DEDUCTION}
    answer_seconds: 120
    # Each case taps options by their place in the bank: keep that order (templates shuffle).
    shuffle_options: false
    questions: {{count: 5, reserve: 0, types: [single, multiple, truefalse, fill, order]}}
"""


def reviewed(**fields: Any) -> dict[str, Any]:
    """A reviewed question of the bank; ``options=None`` leaves the key out."""
    made = question(status="reviewed", tags=["题型"], **fields)
    if made["options"] is None:
        del made["options"]
    return made


@dataclass(frozen=True)
class Case:
    """One question: what the player taps or types, and what the server must receive and judge."""

    question: dict[str, Any]
    steps: tuple[str, ...]  # test ids to click; "type:<text>" fills the text box
    response: Any
    correct: bool


CASES = (
    # A change of mind: the second tap replaces the first. Right.
    Case(reviewed(id="phone-single"), ("option-2", "option-1"), 1, True),
    # D, A, B on, B off again: sent sorted, and C is missing. Wrong on purpose.
    Case(
        reviewed(
            id="phone-multiple",
            type="multiple",
            text="下列哪些城市在西藏自治区？",
            options=["拉萨", "西宁", "日喀则", "林芝"],
            answer=["拉萨", "日喀则", "林芝"],
        ),
        ("option-3", "option-0", "option-1", "option-1"),
        [0, 3],
        False,
    ),
    # 错误 for a true statement: false is sent, and judged wrong.
    Case(
        reviewed(
            id="phone-truefalse",
            type="truefalse",
            text="拉萨是西藏自治区的首府。",
            answer=True,
            options=None,
        ),
        ("option-0", "option-1"),
        False,
        False,
    ),
    # Typed with spaces round it; sent trimmed. Right.
    Case(
        reviewed(
            id="phone-fill",
            type="fill",
            text="中国共产党第一次全国代表大会于____年召开。",
            answer=["1921年", "1921"],
            options=None,
        ),
        ("type:  1921年 ",),
        "1921年",
        True,
    ),
    # A slip undone, then cleared and tapped again: B, A, undo, C, clear, B, C, A, D. Right.
    Case(
        reviewed(
            id="phone-order",
            type="order",
            text="按时间先后排列下列事件。",
            options=["西藏自治区成立", "中共一大召开", "中华人民共和国成立", "青藏铁路全线通车"],
            answer=["B", "C", "A", "D"],
        ),
        (
            "option-1",
            "option-0",
            "order-undo",
            "option-2",
            "order-clear",
            "option-1",
            "option-2",
            "option-0",
            "option-3",
        ),
        [1, 2, 0, 3],
        True,
    ),
)
ORDER_CHIPS = ["1. B", "2. C", "3. A", "4. D"]


@pytest.fixture
def phone_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server whose templates are this test's own (QUIZ_TEMPLATES_DIR)."""
    with server_with_templates(tmp_path, {TEMPLATE_NAME: TEMPLATE}) as live:
        yield live


def import_bank(server: LiveServer, host: requests.Session) -> None:
    """The five-question bank, imported through the host's upload API."""
    text = bank_text(*(case.question for case in CASES), id=BANK)
    answer = host.post(
        server.url + "/api/banks/import",
        files={"file": (f"{BANK}.yaml", text.encode("utf-8"))},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()["result"]
    assert result["bank"] == BANK
    assert sorted(result["added"]) == sorted(case.question["id"] for case in CASES)


def command(host: Recorder, kind: str, **fields: Any) -> dict[str, Any]:
    """A host command, acknowledged and seen in the host's own view."""
    ack = host.call("command", {"type": kind, **fields})
    assert ack["ok"], ack
    wait_until(lambda: host.seq() >= ack["seq"], what=f"the update after {kind}")
    return host.view()


def judged(host: Recorder) -> list[dict[str, Any]]:
    """Every AnswerJudged event the host has received, in order."""
    with host.lock:
        updates = [data for name, data in host.messages if name == "update"]
    return [
        event
        for data in sorted(updates, key=lambda data: data["seq"])
        for event in data["events"]
        if event["kind"] == "AnswerJudged"
    ]


def join_in_the_browser(page: Page, server: LiveServer, code: str) -> None:
    page.goto(f"{server.url}/join/{code}")
    page.locator("#team-code-input").fill(server.team_code(code, TEAM) or "")
    page.locator("#name-input").fill(PLAYER)
    page.locator("#join-btn").click()
    page.wait_for_url(f"{server.url}/play")
    expect(page.locator("#play-team")).to_have_text(TEAM_NAME)
    expect(page.locator("#play-player")).to_have_text(PLAYER)
    expect(page.locator("#play-q .welcome-team")).to_have_text(TEAM_NAME)
    assert page.evaluate("localStorage.getItem('leitai.seat')")


def answer_on_the_phone(page: Page, case: Case, moment: str) -> None:
    """Tap or type the case's steps on the pad, check it is ready only when whole, then send."""
    pad = page.get_by_test_id("answer-pad")
    expect(pad).to_have_attribute("data-type", case.question["type"])
    submit = pad.get_by_test_id("submit-answer")
    expect(submit).to_be_disabled()
    for step in case.steps:
        if step.startswith("type:"):
            pad.get_by_test_id("fill-input").fill(step.removeprefix("type:"))
        else:
            pad.get_by_test_id(step).click()
    if case.question["type"] == "order":
        expect(pad.get_by_test_id("order-seq").locator(".order-chip")).to_have_text(ORDER_CHIPS)
        page.screenshot(path=str(ARTIFACTS / f"{moment}.png"))
    expect(submit).to_be_enabled()
    submit.click()


def test_a_phone_answers_every_question_type_in_a_live_contest(
    browser: Browser, phone_server: LiveServer
) -> None:
    server = phone_server
    cases = {f"{BANK}/{case.question['id']}": case for case in CASES}
    expect.set_options(timeout=TIMEOUT_MS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("phone-*.png"):
        old.unlink()

    http = server.host()
    import_bank(server, http)
    created = server.create_contest(http, template=TEMPLATE_NAME, banks=[BANK])
    code = created["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch(page)
    try:
        join_in_the_browser(page, server, code)
        view = command(host, "StartRound")
        assert view["round"]["answer_input"] == "device"
        assert view["round"]["questions_left"] == len(CASES)

        asked: list[str] = []
        score = BASE
        for number in range(len(CASES)):
            view = command(host, "OpenQuestion", team=TEAM)
            question_id = view["question"]["question"]["id"]
            case = cases[question_id]
            asked.append(question_id)
            # Before 请回答 the phone waits: no pad yet.
            expect(page.locator("#play-action")).to_have_class("play-action mode-prompt")
            expect(page.get_by_test_id("answer-pad")).to_have_count(0)
            command(host, "PromptAnswer")
            answer_on_the_phone(page, case, "phone-order-pad")
            judgement = wait_until(
                lambda n=number: len(judged(host)) > n and judged(host)[n],
                what=f"the host to hear the judgement of {question_id}",
            )
            fields = ("team", "question_id", "response", "correct", "by", "delta")
            assert {key: judgement.get(key) for key in fields} == {
                "team": TEAM,
                "question_id": question_id,
                "response": case.response,
                "correct": case.correct,
                "by": "auto",
                "delta": POINTS if case.correct else -DEDUCTION,
            }
            # The phone shows its new score, and its verdict on the closed question (after the
            # last one the round ends at once and the phone shows the break instead).
            score += POINTS if case.correct else -DEDUCTION
            expect(page.locator("#play-score-num")).to_have_text(str(score))
            if number < len(CASES) - 1:
                verdict = "is-right" if case.correct else "is-wrong"
                expect(page.locator(f"#play-q .pq-result.{verdict}")).to_be_visible()
        assert sorted(asked) == sorted(cases)

        # Nothing else was judged, and the host's standings and the ledger agree.
        wait_until(lambda: host.view()["phase"] != "round", what="the end of the round")
        assert len(judged(host)) == len(CASES)
        right = sum(case.correct for case in CASES)
        expected = BASE + right * POINTS - (len(CASES) - right) * DEDUCTION
        scores = {row["team"]: row["score"] for row in host.view()["standings"]}
        assert scores == {TEAM: expected, "shigatse": BASE}
        assert score == expected
        expect(page.locator("#play-q .card-big")).to_have_text("本轮结束，等待下一轮")
        sheet = http.get(f"{server.url}/contests/{code}/ledger.csv", timeout=10)
        assert sheet.status_code == 200, sheet.text
        header, *rows = csv.reader(io.StringIO(sheet.content.decode("utf-8-sig")))
        ledger = [dict(zip(header, row, strict=True)) for row in rows]
        ledger = [row for row in ledger if row["题号"]]
        assert sorted(
            (row["题号"], row["队伍代码"], row["原因代码"], int(row["分值"])) for row in ledger
        ) == sorted(
            (
                question_id,
                TEAM,
                "correct" if case.correct else "wrong",
                POINTS if case.correct else -DEDUCTION,
            )
            for question_id, case in cases.items()
        )
        page.screenshot(path=str(ARTIFACTS / "phone-end.png"), animations="disabled")
    except Exception:
        with contextlib.suppress(Exception):  # never hide the failure behind a screenshot's
            page.screenshot(path=str(ARTIFACTS / "phone-failed.png"), full_page=True)
        print(f"page errors: {watch.errors}\nthe server's log ends:\n{server.log()[-4000:]}")
        raise
    finally:
        context.close()
        close_all(host)
        http.close()

    assert watch.errors == []
    assert watch.foreign == []
