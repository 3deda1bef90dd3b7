"""The host's judging over a real server: a spoken answer whose clock ran out waits for the host's
✓, and the console shows what a team answered on its device, in words."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.live import (
    PASSWORD,
    LiveServer,
    Recorder,
    close_all,
    server_with_templates,
    wait_until,
)

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, expect

TEMPLATE_NAME = "host_judging"
TEMPLATE = """\
name: host_judging
label: 主持人裁判 Host judging
base_score: 100
teams:
  - {id: lhasa, name: 拉萨支队}
  - {id: shigatse, name: 日喀则支队}
rounds:
  - kind: 必答
    name: 必答题
    mode: turn
    answer_input: device
    answer_seconds: 30
    questions: {count: 2, types: [single]}
  - kind: 抢答
    name: 抢答题
    answer_input: spoken
    points: 10
    deduction: 10
    answer_seconds: 1
    buzz_window_seconds: 10
    rebound: once
    fairness: arrival
    questions: {count: 2}
"""
LETTERS = "ABCDEFGH"


@pytest.fixture(scope="module")
def judging_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server whose templates are this module's own (QUIZ_TEMPLATES_DIR)."""
    root = tmp_path_factory.mktemp("host-judging")
    with server_with_templates(root, {TEMPLATE_NAME: TEMPLATE}) as live:
        yield live


@pytest.fixture
def contest(judging_server: LiveServer) -> Iterator[tuple[str, Recorder, dict[str, Recorder]]]:
    """A new contest with the host and both teams connected: (code, host, teams)."""
    server = judging_server
    http = server.host()
    code = server.create_contest(http, template=TEMPLATE_NAME)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    teams = {
        team: Recorder(
            server, {"role": "team", "seat": server.join(code, team, f"{team}-1")}
        ).connect()
        for team in ("lhasa", "shigatse")
    }
    yield code, host, teams
    close_all(host, *teams.values())
    http.close()


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


def scores(host: Recorder) -> dict[str, int]:
    return {row["team"]: row["score"] for row in host.view()["standings"]}


def test_a_spoken_buzzer_answer_past_its_clock_waits_for_the_hosts_tick(
    contest: tuple[str, Recorder, dict[str, Recorder]],
) -> None:
    _code, host, teams = contest
    command(host, "StartRound")
    command(host, "EndRound")
    command(host, "StartRound")
    command(host, "OpenQuestion")
    command(host, "ArmBuzzers", countdown_ms=0)
    assert teams["shigatse"].call("buzz", {})["ok"]
    wait_until(
        lambda: (host.view()["question"]["race"] or {}).get("winner") == "shigatse",
        what="shigatse winning the race",
    )
    # The one-second answer clock runs out; the server's timer loop logs the time-up.
    view = wait_until(
        lambda: host.view()["question"]["step"] == "judging" and host.view(),
        what="the answer clock running out",
    )
    assert view["question"]["deadline"] is None
    assert view["question"]["answering"] == ["shigatse"]
    assert view["legal"]["Judge"]["teams"] == ["shigatse"]
    assert judged(host) == []
    assert scores(host) == {"lhasa": 100, "shigatse": 100}

    view = command(host, "Judge", team="shigatse", correct=True)
    assert [(e["team"], e["by"], e["delta"]) for e in judged(host)] == [("shigatse", "host", 10)]
    assert scores(host) == {"lhasa": 100, "shigatse": 110}
    assert view["question"]["outcome"] == "correct"


def test_the_console_shows_a_device_answer_in_words(
    browser: Browser,
    judging_server: LiveServer,
    contest: tuple[str, Recorder, dict[str, Recorder]],
) -> None:
    code, host, teams = contest
    expect.set_options(timeout=15_000)
    page = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{judging_server.url}/login")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.login-card button[type=submit]").click()
    page.wait_for_url(f"{judging_server.url}/host")
    page.goto(f"{judging_server.url}/host/{code}")
    expect(page.locator("#hc-state .phase-lobby")).to_be_visible()

    command(host, "StartRound")
    command(host, "OpenQuestion")
    question = command(host, "PromptAnswer")["question"]["question"]
    chosen = (question["answer_indices"][0] + 1) % len(question["options"])
    ack = teams["lhasa"].call("answer", {"response": chosen})
    assert ack["ok"], ack
    words = f"{LETTERS[chosen]}. {question['options'][chosen]}"

    rows = page.locator('#hc-play .answers-block tr[data-team="lhasa"]')
    row = rows.first
    expect(row.locator(".answer-words")).to_have_text(words)
    expect(row).to_contain_text("✗")
    expect(row).to_contain_text("拉萨支队")

    # After an undo the host judges again, and still sees what the team answered.
    command(host, "UndoJudgement")
    expect(row).to_contain_text("已撤销，请重新裁判")
    expect(row.locator(".answer-words")).to_have_text(words)
    command(host, "Judge", team="lhasa", correct=True)
    expect(rows).to_have_count(2)
    expect(rows.last).to_contain_text("✓ 主持人判定")
    expect(rows.last.locator(".answer-words")).to_have_text(words)
    assert errors == []
    page.context.close()
