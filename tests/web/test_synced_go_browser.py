"""A synchronized go, side by side: with a 3-2-1 before 开始抢答, a phone on a direct link, a phone
and the projector behind a link that delivers every byte 250 ms late each way (tests/web/
delay_proxy.py) all show the armed state at the same true instant, the server's `armed_at`.

Each page converts `armed_at` with the clock offset the server measured from its pings
(`clock.offset_ms`, docs/protocol.md), so a slow link changes when the news arrives, not when
the buzzers look armed. The pages run in one Chromium on one machine, so their clocks agree:
each records `performance.timeOrigin + performance.now()` when its armed state appears.

Needs Debian's Chromium and the Python Playwright package, like tests/web/test_browser.py: the
tests skip without them, or fail when LEITAI_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browsers import Watch
from tests.web.delay_proxy import DelayProxy
from tests.web.live import LiveServer, Recorder, close_all, server_with_templates, wait_until

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, BrowserContext, Page, WebSocket, expect

TIMEOUT_MS = 20_000
DELAY_S = 0.25
COUNTDOWN_MS = 3000
# How far apart the pages may show the go: well under the link's one-way delay.
AGREE_MS = 80
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "has_touch": True}
TEMPLATE_NAME = "synced_go"
TEMPLATE = f"""\
name: {TEMPLATE_NAME}
label: 同步开始 Synchronized go
base_score: 100
teams:
  - {{id: lhasa, name: 拉萨支队}}
  - {{id: ngari, name: 阿里支队}}
rounds:
  - kind: 抢答
    name: 抢答题
    answer_input: spoken
    fairness: arrival
    questions: {{count: 2, reserve: 0}}
"""
# When each state first shows, as performance.timeOrigin + performance.now() (Unix ms).
RECORD = """(selectors) => {
  window.seenAt = {};
  const check = () => {
    const now = performance.timeOrigin + performance.now();
    for (const [name, selector] of Object.entries(selectors)) {
      if (!(name in window.seenAt) && document.querySelector(selector)) window.seenAt[name] = now;
    }
  };
  new MutationObserver(check).observe(document.body,
    { subtree: true, childList: true, characterData: true, attributes: true });
  check();
}"""
PHONE_STATES = {"countdown": "#buzzer.bz-countdown", "armed": "#buzzer.bz-armed"}
SCREEN_STATES = {
    "countdown": "#stage .stage-countdown:not([hidden]):not(.is-go)",
    "armed": "#stage .stage-countdown.is-go:not([hidden])",
    "open": "#stage .race-open:not(.is-countdown):not(.is-collecting)",
}


class ClockPings:
    """The `clock` pings a page received over its WebSocket: the server's offset estimates."""

    def __init__(self, page: Page) -> None:
        self.bounds: list[float] = []
        page.on("websocket", self._socket)

    def _socket(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        # A Socket.IO event with an ack: "42<ack id>[name, body]".
        if not isinstance(payload, str) or not payload.startswith("42"):
            return
        try:
            name, body = json.loads(payload.lstrip("0123456789"))[:2]
        except (ValueError, TypeError):
            return
        if name == "clock" and isinstance(body, dict) and "offset_ms" in body:
            self.bounds.append(float(body["bound_ms"]))


@pytest.fixture
def go_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server whose only template is this test's own."""
    with server_with_templates(tmp_path, {TEMPLATE_NAME: TEMPLATE}) as live:
        yield live


@pytest.fixture
def slow_link(go_server: LiveServer) -> Iterator[DelayProxy]:
    """The server behind a link 250 ms slow each way."""
    proxy = DelayProxy(go_server.port, DELAY_S).start()
    yield proxy
    proxy.close()


def command(host: Recorder, kind: str, **fields: Any) -> dict[str, Any]:
    ack = host.call("command", {"type": kind, **fields})
    assert ack["ok"], ack
    wait_until(lambda: host.seq() >= ack["seq"], what=f"the update after {kind}")
    return host.view()


def open_page(browser: Browser, **options: Any) -> tuple[BrowserContext, Page, Watch, ClockPings]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page, Watch(page), ClockPings(page)


def seat_phone(page: Page, server: LiveServer, code: str, team: str, base: str = "") -> None:
    """Open /play (at ``base``, the server by default) as a member of ``team``, seated as the
    join page would seat it."""
    base = base or server.url
    seat = server.join(code, team, f"{team}-phone")
    page.goto(f"{base}/join")
    page.evaluate(
        """([seat, code, team]) => {
          localStorage.setItem("leitai.seat", seat);
          localStorage.setItem("leitai.contest", code);
          localStorage.setItem("leitai.team", team);
        }""",
        [seat, code, team],
    )
    page.goto(f"{base}/play")


def pump_until(page: Page, condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` while Playwright delivers the pages' events (sleeping would not)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(50)


def test_phones_and_the_screen_show_the_go_at_the_same_instant_over_a_slow_link(
    browser: Browser, go_server: LiveServer, slow_link: DelayProxy
) -> None:
    server = go_server
    expect.set_options(timeout=TIMEOUT_MS)
    http = server.host()
    created = server.create_contest(http, template=TEMPLATE_NAME)
    code, key = created["code"], created["screen_key"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    near_context, near, near_watch, near_pings = open_page(browser, **PHONE)
    far_context, far, far_watch, far_pings = open_page(browser, **PHONE)
    tv_context, tv, tv_watch, tv_pings = open_page(browser, viewport={"width": 1600, "height": 900})
    pages = {"near phone": near, "far phone": far, "far screen": tv}
    try:
        seat_phone(near, server, code, "lhasa")
        seat_phone(far, server, code, "ngari", base=slow_link.url)
        tv.goto(f"{slow_link.url}/screen/{code}?key={key}")
        command(host, "StartRound")
        command(host, "OpenQuestion")
        for page in (near, far):
            expect(page.locator("#buzzer")).to_have_class("buzzer bz-ready")
        expect(tv.locator("#stage .q-text")).to_be_visible()
        # Each page holds the server's estimate of its clock, from round trips through its link.
        for pings in (near_pings, far_pings, tv_pings):
            pump_until(near, lambda pings=pings: len(pings.bounds) >= 2, "measured clock offsets")
        # The bound is half the round trip the server timed: 500 ms and more behind the proxy.
        far_bounds = far_pings.bounds + tv_pings.bounds
        assert 2 * min(far_bounds) >= 400, far_bounds

        for page in (near, far):
            page.evaluate(RECORD, PHONE_STATES)
        tv.evaluate(RECORD, SCREEN_STATES)
        armed = command(host, "ArmBuzzers", countdown_ms=COUNTDOWN_MS)
        armed_at = armed["question"]["race"]["armed_at"]
        for page in (near, far):
            expect(page.locator("#buzzer")).to_have_class("buzzer bz-armed")
        expect(tv.locator("#stage .race-open")).to_have_text("抢答！")
        seen = {name: page.evaluate("() => window.seenAt") for name, page in pages.items()}

        # The slow link really is slow: the far pages learnt of the arming a delay later...
        late = min(seen["far phone"]["countdown"], seen["far screen"]["countdown"])
        assert late - seen["near phone"]["countdown"] >= DELAY_S * 1000 - 50, seen
        # ...yet every page showed the go at armed_at, together.
        went = {name: seen[name]["armed"] for name in pages} | {
            "far screen strip": seen["far screen"]["open"]
        }
        assert max(went.values()) - min(went.values()) <= AGREE_MS, (went, armed_at)
        for name, instant in went.items():
            assert abs(instant - armed_at) <= AGREE_MS, (name, instant - armed_at)
    finally:
        for context in (near_context, far_context, tv_context):
            context.close()
        close_all(host)
        http.close()
    for watch in (near_watch, far_watch, tv_watch):
        assert watch.errors == []
        assert watch.foreign == []
