"""A phone in a real browser keeps its buzzer live for a moment after an arrival race is decided,
so a close second press is still recorded with its margin (the screen's 2nd and 3rd places).

Needs Debian's Chromium and Playwright, like tests/web/test_browser.py (skips without them, or
fails when LEITAI_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browsers import Watch
from tests.web.live import (
    PASSWORD,
    LiveServer,
    Recorder,
    close_all,
    server_with_templates,
    wait_until,
)

with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, expect

TIMEOUT_MS = 15_000
TEMPLATE_NAME = "trailing_buzz"
# A long trailing window, so the test never races the browser against it.
TEMPLATE = f"""\
name: {TEMPLATE_NAME}
label: 抢答差距 Trailing buzzes
base_score: 100
teams:
  - {{id: lhasa, name: 拉萨支队}}
  - {{id: ngari, name: 阿里支队}}
rounds:
  - kind: 抢答
    name: 抢答题
    answer_input: spoken
    fairness: arrival
    collection_window_ms: 8000
    questions: {{count: 2, reserve: 0}}
"""


# The same teams in a compensated round, for claims the server judges.
FAIR_NAME = "suspect_buzz"
FAIR = (
    TEMPLATE.replace(TEMPLATE_NAME, FAIR_NAME)
    .replace("fairness: arrival", "fairness: compensated")
    .replace("collection_window_ms: 8000", "collection_window_ms: 300")
)


@pytest.fixture
def buzz_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server whose only templates are this test's own."""
    with server_with_templates(tmp_path, {TEMPLATE_NAME: TEMPLATE, FAIR_NAME: FAIR}) as live:
        yield live


def command(host: Recorder, kind: str) -> dict[str, Any]:
    ack = host.call("command", {"type": kind})
    assert ack["ok"], ack
    wait_until(lambda: host.seq() >= ack["seq"], what=f"the update after {kind}")
    return host.view()


def test_a_close_second_press_on_the_phone_is_recorded_with_its_margin(
    browser: Browser, buzz_server: LiveServer
) -> None:
    server = buzz_server
    expect.set_options(timeout=TIMEOUT_MS)
    http = server.host()
    code = server.create_contest(http, template=TEMPLATE_NAME)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    rival = Recorder(server, {"role": "team", "seat": server.join(code, "ngari", "次仁")})
    rival.connect()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch(page)
    try:
        page.goto(f"{server.url}/join/{code}?team={server.team_code(code, 'lhasa')}")
        page.locator("#name-input").fill("卓玛")
        page.locator("#join-btn").click()
        page.wait_for_url(f"{server.url}/play")
        for kind in ("StartRound", "OpenQuestion", "ArmBuzzers"):
            command(host, kind)
        buzzer = page.locator("#buzzer")
        expect(buzzer).to_have_class("buzzer bz-armed")
        assert rival.call("buzz", {})["ok"]
        # Decided for the rival; this phone has not pressed and may still do so.
        expect(buzzer).to_have_class("buzzer bz-trail")
        expect(buzzer).to_have_attribute("aria-disabled", "false")
        expect(buzzer).to_contain_text("阿里支队 抢到")
        buzzer.dispatch_event("pointerdown", {"button": 0})
        ranking = wait_until(
            lambda: (
                len(host.view()["question"]["race"]["ranking"]) == 2
                and host.view()["question"]["race"]["ranking"]
            ),
            what="the phone's trailing buzz in the ranking",
        )
        assert [r["team"] for r in ranking] == ["ngari", "lhasa"]
        assert ranking[1]["margin_ms"] > 0
        expect(buzzer).to_have_class("buzzer bz-lost")
        expect(buzzer).to_contain_text(f"你们慢了 {ranking[1]['margin_ms']} ms")
        assert watch.errors == []
        assert watch.foreign == []
    finally:
        context.close()
        close_all(host, rival)
        http.close()


def test_the_page_clock_prefers_the_servers_measured_offset(
    browser: Browser, buzz_server: LiveServer
) -> None:
    """server_ms samples are late by the link; the ping's offset_ms is used once it arrives."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{buzz_server.url}/join")
        offsets = page.evaluate(
            """async () => {
              const { ServerClock } = await import("/static/js/common.js");
              const clock = new ServerClock();
              clock.sample(10_000, 4_900);  // 100 ms one-way delay: offset looks 5,100
              const crude = clock.offset;
              clock.measured(-5_000);  // the device runs 5,000 ms behind the server
              clock.sample(10_000, 4_700);
              return [crude, clock.offset, clock.toLocal(20_000)];
            }"""
        )
        assert offsets == [5_100, 5_000, 15_000]
    finally:
        context.close()


def test_the_host_console_marks_an_impossible_claim(
    browser: Browser, buzz_server: LiveServer
) -> None:
    server = buzz_server
    expect.set_options(timeout=TIMEOUT_MS)
    http = server.host()
    code = server.create_contest(http, template=FAIR_NAME)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    liar = Recorder(server, {"role": "team", "seat": server.join(code, "ngari", "次仁")})
    liar.connect()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    watch = Watch(page)
    try:
        page.goto(f"{server.url}/login")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form.login-card button[type=submit]").click()
        page.wait_for_url(f"{server.url}/host")
        page.goto(f"{server.url}/host/{code}")
        for kind in ("StartRound", "OpenQuestion", "ArmBuzzers"):
            command(host, kind)
        now = time.time_ns() // 1_000_000
        assert liar.call("buzz", {"shown_ms": now - 1, "pressed_ms": now})["ok"]
        mark = page.get_by_test_id("ev-suspect")
        expect(mark).to_have_count(1)
        expect(mark).to_contain_text("可疑：反应快于人类下限")
        assert watch.errors == []
        assert watch.foreign == []
    finally:
        context.close()
        close_all(host, liar)
        http.close()
