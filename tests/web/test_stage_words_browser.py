"""What the live pages say and where they say it, in real browsers on a live contest driven by a
python-socketio host: the console's turn badge says 下一题轮到 while another team answers (and no
projector or phone says 当前轮到 then); a buzz that reaches the server after the race was decided
reads 慢了 N ms on the phone, never 本题未抢答; the 抢到！ banner leaves the projector and /local
once the question is judged or moves on, and never covers the question; /local's toasts cover
neither the team keys nor the question.

Needs Debian's Chromium and the Python Playwright package, like tests/web/test_browser.py: the
tests skip without them, or fail when LEITAI_REQUIRE_SERVICES=1. Screenshots go to
test-artifacts/browser/words-*.png.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.web.browsers import ARTIFACTS, Watch
from tests.web.delay_proxy import DelayProxy
from tests.web.live import LiveServer, Recorder, close_all, server_with_templates, wait_until
from tests.web.test_browser import SlowDownlink
from tests.web.test_synced_go_browser import seat_phone

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, BrowserContext, Page, expect

TIMEOUT_MS = 15_000
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "has_touch": True}
LAPTOP: dict[str, Any] = {"viewport": {"width": 1366, "height": 768}}
DESK: dict[str, Any] = {"viewport": {"width": 1440, "height": 1000}}
# Two teams, one 抢答 round answered aloud in one hall, a rebound after a wrong answer.
RACE_NAME = "words_race"
RACE_TEMPLATE = f"""\
name: {RACE_NAME}
label: 抢答用语 Race words
base_score: 100
teams:
  - {{id: lhasa, name: 拉萨支队}}
  - {{id: ngari, name: 阿里支队}}
rounds:
  - kind: 抢答
    name: 抢答题
    answer_input: spoken
    fairness: arrival
    rebound: once
    answer_seconds: 60
    buzz_window_seconds: 60
    questions: {{count: 3, reserve: 0, types: [single]}}
"""
# The words a phone must never use for a press the server recorded after the decision.
NOT_PRESSED = ("本题未抢答", "你们未按抢答")
# Every text the buzzer shows, as it changes.
BUZZER_TEXTS = """() => {
  window.buzzerTexts = [];
  const keep = () => {
    const button = document.getElementById("buzzer");
    const text = button ? button.innerText.replace(/\\s+/g, " ").trim() : "";
    const texts = window.buzzerTexts;
    if (text && texts[texts.length - 1] !== text) texts.push(text);
  };
  new MutationObserver(keep).observe(document.body,
    { subtree: true, childList: true, characterData: true, attributes: true });
  keep();
}"""
# How many of the elements matching `cover` overlap one matching `under` (boxes of the viewport).
OVERLAPS = """([cover, under]) => {
  const boxes = (selector) => [...document.querySelectorAll(selector)]
    .map((el) => el.getBoundingClientRect()).filter((r) => r.width && r.height);
  const meet = (a, b) => a.left < b.right && b.left < a.right
    && a.top < b.bottom && b.top < a.bottom;
  return boxes(cover).flatMap((a) => boxes(under).filter((b) => meet(a, b))).length;
}"""
QUESTION = "#stage .q-text, #stage .opt, #stage .q-reveal"
# Why an element is not wholly in view ("" when it is): cut off by a scrolling or hidden-overflow
# ancestor, below the window, or with text of its own that scrolls.
CLIPPED = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) return "missing";
  const r = el.getBoundingClientRect();
  for (let a = el.parentElement; a; a = a.parentElement) {
    const style = getComputedStyle(a);
    if (style.overflowY === "visible" && style.overflowX === "visible") continue;
    const b = a.getBoundingClientRect();
    if (r.top < b.top - 1 || r.bottom > b.bottom + 1) return `cut off by .${a.className}`;
  }
  if (r.bottom > window.innerHeight + 1) return "below the window";
  for (const c of [el, ...el.querySelectorAll("*")]) {
    if (c.scrollHeight > c.clientHeight + 1 && getComputedStyle(c).overflowY !== "visible") {
      return `scrolls inside .${c.className}`;
    }
  }
  return "";
}"""


@pytest.fixture(scope="module")
def words_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with the web tests' templates (mini: a 必答 round in turns) and this module's."""
    root = tmp_path_factory.mktemp("words")
    with server_with_templates(root, {RACE_NAME: RACE_TEMPLATE}, web_templates=True) as live:
        yield live
        for session in _host_sessions.pop(live.url, []):
            session.close()


# The server allows five host logins a minute from one address: the module's tests share one.
_host_sessions: dict[str, list[requests.Session]] = {}


def host_http(server: LiveServer) -> requests.Session:
    """The module's one logged-in host session on ``server``."""
    sessions = _host_sessions.setdefault(server.url, [])
    if not sessions:
        sessions.append(server.host())
    return sessions[0]


@pytest.fixture(autouse=True)
def _timeouts() -> None:
    expect.set_options(timeout=TIMEOUT_MS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


def command(host: Recorder, kind: str, **fields: Any) -> dict[str, Any]:
    """A host command, acknowledged and seen in the host's own view."""
    ack = host.call("command", {"type": kind, **fields})
    assert ack["ok"], ack
    wait_until(lambda: host.seq() >= ack["seq"], what=f"the update after {kind}")
    return host.view()


def new_page(browser: Browser, **options: Any) -> tuple[BrowserContext, Page, Watch]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page, Watch(page)


def as_host(context: BrowserContext, server: LiveServer, http: requests.Session) -> None:
    """Give a browser context the host's login (the console and /local are the host's pages)."""
    context.add_cookies(
        [{"name": k, "value": v, "url": server.url} for k, v in http.cookies.items() if v]
    )


def press_when_open(pages: dict[str, Page], local: Page, key: str) -> None:
    """Once every page shows the buzzers open, a team's key on the one-laptop page."""
    for page in pages.values():
        expect(page.locator("#stage .race-open")).to_have_text("抢答！")
    local.keyboard.press(key)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"words-{name}.png"), animations="disabled")


def no_text(page: Page, *words: str) -> None:
    body = page.locator("body").inner_text()
    for word in words:
        assert word not in body, (word, body)


def test_the_turn_badge_names_the_next_team_while_another_answers(
    browser: Browser, words_server: LiveServer
) -> None:
    server = words_server
    http = host_http(server)
    created = server.create_contest(http)
    code, key = created["code"], created["screen_key"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    console_context, console, console_watch = new_page(
        browser, viewport={"width": 1440, "height": 1000}
    )
    as_host(console_context, server, http)
    tv_context, tv, tv_watch = new_page(browser, viewport={"width": 1600, "height": 900})
    phone_context, phone, phone_watch = new_page(browser, **PHONE)
    badge = console.locator("#hc-play .badge-turn")
    try:
        console.goto(f"{server.url}/host/{code}")
        tv.goto(f"{server.url}/screen/{code}?key={key}")
        seat_phone(phone, server, code, "shigatse")

        # Before the first question the turn is the current one, on the console and projector.
        command(host, "StartRound")
        expect(badge).to_have_text("当前轮到：拉萨支队")
        expect(tv.locator("#stage .status-line")).to_have_text("轮到 拉萨支队")

        # 拉萨 answers: round.turn already names 日喀则, whose question is the next one.
        command(host, "OpenQuestion", team="lhasa")
        command(host, "PromptAnswer")
        expect(badge).to_have_text("下一题轮到：日喀则支队")
        expect(tv.locator("#stage .status-line.answering .answering-team")).to_have_text("拉萨支队")
        expect(phone.locator("#play-action")).to_contain_text("拉萨支队")
        for page in (console, tv, phone):
            no_text(page, "当前轮到", "轮到 日喀则支队", "轮到你们")
        shot(console, "turn-console")

        # Judged: still the next question's team, never "now".
        command(host, "Judge", team="lhasa", correct=True)
        expect(tv.locator("#stage .status-line")).to_have_text("回答正确")
        expect(badge).to_have_text("下一题轮到：日喀则支队")
        no_text(console, "当前轮到")

        # 日喀则's own question: its phone says so, and the console names 林芝 as the next.
        command(host, "OpenQuestion", team="shigatse")
        command(host, "PromptAnswer")
        expect(badge).to_have_text("下一题轮到：林芝支队")
        expect(phone.locator("#play-action .action-banner.is-turn")).to_have_text("轮到你们回答！")
        no_text(tv, "当前轮到", "轮到 林芝支队")
    finally:
        for context in (console_context, tv_context, phone_context):
            context.close()
        close_all(host)
    for watch in (console_watch, tv_watch, phone_watch):
        assert watch.errors == []
        assert watch.foreign == []


def test_a_buzz_that_reaches_the_server_after_the_decision_reads_as_late(
    browser: Browser, words_server: LiveServer
) -> None:
    """The phone presses at its go; its press crosses a slow link while a near rival's press
    decides the race; the phone says how far behind it was, never that it did not press."""
    server = words_server
    http = host_http(server)
    code = server.create_contest(http, template=RACE_NAME)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    rival = Recorder(server, {"role": "team", "seat": server.join(code, "lhasa", "卓玛")})
    rival.connect()
    proxy = DelayProxy(server.port, 0.4).start()
    context, phone, watch = new_page(browser, **PHONE)
    buzzer = phone.locator("#buzzer")
    try:
        seat_phone(phone, server, code, "ngari", base=proxy.url)
        command(host, "StartRound")
        command(host, "OpenQuestion")
        expect(buzzer).to_have_class("buzzer bz-ready")
        phone.evaluate(BUZZER_TEXTS)
        command(host, "ArmBuzzers")
        expect(buzzer).to_have_class("buzzer bz-armed")
        # The phone's press takes 400 ms to arrive; the rival's, a moment later, is there first.
        buzzer.dispatch_event("pointerdown", {"button": 0})
        assert rival.call("buzz", {})["ok"]
        ranking = wait_until(
            lambda: (
                len(host.view()["question"]["race"]["ranking"]) == 2
                and host.view()["question"]["race"]["ranking"]
            ),
            what="the phone's late buzz in the ranking",
        )
        assert [r["team"] for r in ranking] == ["lhasa", "ngari"], ranking
        margin = ranking[1]["margin_ms"]
        assert margin >= 300, ranking  # it crossed the slow link after the decision
        expect(buzzer).to_have_class("buzzer bz-lost")
        expect(buzzer.locator(".bz-main")).to_have_text("拉萨支队 抢到")
        expect(buzzer.locator(".bz-sub")).to_have_text(f"你们慢了 {margin} ms")
        texts: list[str] = phone.evaluate("() => window.buzzerTexts")
        assert not [text for text in texts if any(word in text for word in NOT_PRESSED)], texts
        shot(phone, "late-phone")
    finally:
        context.close()
        proxy.close()
        close_all(host, rival)
    assert watch.errors == []
    assert watch.foreign == []


def clear_of(page: Page, cover: str, under: str) -> None:
    """Nothing that matches ``cover`` overlaps anything that matches ``under``."""
    assert page.evaluate(OVERLAPS, [cover, under]) == 0, (cover, under)


def banner_leaves(pages: dict[str, Page], winner: str) -> None:
    """The 抢到！ banner shows on every page without covering the question."""
    for name, page in pages.items():
        banner = page.locator("#stage .race-result")
        expect(banner).to_be_visible()
        expect(banner.locator(".race-winner")).to_have_text(f"{winner}抢到！")
        page.wait_for_timeout(500)  # the banner's entry animation
        shot(page, f"banner-{name}")
        clear_of(page, "#stage .race-result", QUESTION)


def test_the_buzz_banner_goes_once_the_question_is_judged_or_moves_on(
    browser: Browser, words_server: LiveServer
) -> None:
    server = words_server
    http = host_http(server)
    created = server.create_contest(http, template=RACE_NAME)
    code, key = created["code"], created["screen_key"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    tv_context, tv, tv_watch = new_page(browser, viewport={"width": 1600, "height": 900})
    local_context, local, local_watch = new_page(browser, **LAPTOP)
    as_host(local_context, server, http)
    pages = {"screen": tv, "local": local}
    try:
        tv.goto(f"{server.url}/screen/{code}?key={key}")
        local.goto(f"{server.url}/local/{code}")
        command(host, "StartRound")

        # 拉萨 buzzes on the laptop and is judged right: the question closes, the banner goes.
        command(host, "OpenQuestion")
        command(host, "ArmBuzzers")
        press_when_open(pages, local, "1")
        banner_leaves(pages, "拉萨支队")
        command(host, "Judge", team="lhasa", correct=True)
        for name, page in pages.items():
            expect(page.locator("#stage .q-reveal")).to_be_visible()
            expect(page.locator("#stage .race-result")).to_have_count(0)
            page.wait_for_timeout(300)  # the stage shrinks its text to fit, a frame later
            shot(page, f"reveal-{name}")
            # The key and its explanation are read out to the hall: none of it may be cut off.
            assert page.evaluate(CLIPPED, "#stage .q-reveal") == "", name

        # 阿里 buzzes and is wrong: the question goes back to the other team, without the banner.
        command(host, "OpenQuestion")
        command(host, "ArmBuzzers")
        press_when_open(pages, local, "2")
        banner_leaves(pages, "阿里支队")
        command(host, "Judge", team="ngari", correct=False)
        for page in pages.values():
            expect(page.locator("#stage .q-text")).to_be_visible()
            expect(page.locator("#stage .race-result")).to_have_count(0)
            no_text(page, "阿里支队抢到")
        shot(tv, "rebound-screen")

        # The next question: no banner from the last race.
        command(host, "SkipQuestion")
        command(host, "OpenQuestion")
        for page in pages.values():
            expect(page.locator("#stage .q-text")).to_be_visible()
            expect(page.locator("#stage .race-result")).to_have_count(0)
    finally:
        tv_context.close()
        local_context.close()
        close_all(host)
    for watch in (tv_watch, local_watch):
        assert watch.errors == []
        assert watch.foreign == []


def test_a_refusal_toast_on_local_leaves_the_keys_and_the_question_in_view(
    browser: Browser, words_server: LiveServer
) -> None:
    server = words_server
    http = host_http(server)
    code = server.create_contest(http, template=RACE_NAME)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    downlink = SlowDownlink()
    context, local, watch = new_page(browser, **LAPTOP)
    as_host(context, server, http)
    context.route_web_socket(re.compile(r"/socket\.io/"), downlink.attach)
    right = local.locator('#local-controls button[data-shortcut="c"]')
    try:
        local.goto(f"{server.url}/local/{code}")
        command(host, "StartRound")
        command(host, "OpenQuestion")
        command(host, "ArmBuzzers")
        press_when_open({"local": local}, local, "1")
        expect(right).to_be_enabled()
        # The console judges first while this laptop's network holds the news back; the
        # host's two presses of ✓ here are then refused, and both refusals show.
        downlink.holding = True
        command(host, "Judge", team="lhasa", correct=True)
        local.keyboard.press("c")
        local.keyboard.press("c")
        downlink.release()
        toasts = local.locator("#toasts .toast-error")
        expect(toasts).to_have_count(2)
        for toast in toasts.all():
            expect(toast).to_be_visible()
        expect(local.locator("#stage .q-reveal")).to_be_visible()
        clear_of(local, "#toasts .toast", "#local-keys .local-key, .local-foot .local-hint")
        clear_of(local, "#toasts .toast", QUESTION)
        clear_of(local, "#toasts .toast", "#local-controls button")
        shot(local, "toast-local")
    finally:
        context.close()
        close_all(host)
    assert watch.errors == []
    assert watch.foreign == []
