"""The phone's buzzer cannot be mistaken for live before 开始抢答, ties stand tied on the podium,
and the audience page holds twelve teams on a TV: real browsers on a live contest driven by a
python-socketio host.

Before arming the buzzer is a flat, dashed panel with a padlock that says 等待开始抢答 (and, in a
round whose `early_press` is `foul`, 提前按将被判违规); a press then in a `lockout` round shows
抢早了，稍候 with the lockout counting down, and the buzzer comes back by itself.

Needs Debian's Chromium and the Python Playwright package, like tests/web/test_browser.py: the
tests skip without them, or fail when LEITAI_REQUIRE_SERVICES=1. Screenshots go to
test-artifacts/browser/lock-*.png.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.browsers import ARTIFACTS, Watch
from tests.web.live import (
    LiveServer,
    Recorder,
    close_all,
    server_with_templates,
    wait_until,
)

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, BrowserContext, Page, expect

TIMEOUT_MS = 15_000
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
}
LOCKOUT_MS = 2500
TWELVE = [(f"t{n:02d}", f"第{n}消防救援支队") for n in range(1, 13)]
# Twelve teams, one 抢答 round on the phones whose early presses lock the buzzer (the default
# rule, with a lockout long enough to watch it count down).
TWELVE_TEMPLATE = "\n".join(
    [
        "name: twelve",
        "label: 十二队 Twelve teams",
        "base_score: 100",
        "final_ranking: score",
        "teams:",
        *(f"  - {{id: {team}, name: {name}}}" for team, name in TWELVE),
        "rounds:",
        "  - kind: 抢答",
        "    name: 抢答题",
        "    answer_input: spoken",
        "    points: 10",
        "    answer_seconds: 30",
        "    buzz_window_seconds: 20",
        f"    early_lockout_ms: {LOCKOUT_MS}",
        "    questions: {count: 3, reserve: 1}",
        "",
    ]
)
# The same round with a lockout long enough to reload the phone inside it.
RELOAD_LOCKOUT_MS = 5000  # the longest a template allows
RELOAD_TEMPLATE = TWELVE_TEMPLATE.replace("name: twelve", "name: reload").replace(
    f"early_lockout_ms: {LOCKOUT_MS}", f"early_lockout_ms: {RELOAD_LOCKOUT_MS}"
)
LOCK_SCRIPT = """() => {
  const b = document.getElementById("buzzer");
  const lock = b.querySelector(".bz-lock");
  const style = getComputedStyle(b);
  return {
    lock: !!lock && lock.getBoundingClientRect().height > 0,
    shadow: style.boxShadow,
    border: style.borderTopStyle,
    disabled: b.getAttribute("aria-disabled"),
  };
}"""


@pytest.fixture(scope="module")
def lock_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with the web tests' templates (mini: a 抢答 round with fouls) and twelve teams."""
    root = tmp_path_factory.mktemp("lock")
    templates = {"twelve": TWELVE_TEMPLATE, "reload": RELOAD_TEMPLATE}
    with server_with_templates(root, templates, web_templates=True) as live:
        yield live


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


def new_page(
    browser: Browser, locale: str = "zh-CN", **options: Any
) -> tuple[BrowserContext, Page, Watch]:
    context = browser.new_context(locale=locale, timezone_id="Asia/Shanghai", **options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page, Watch(page)


def seated_phone(
    browser: Browser,
    server: LiveServer,
    code: str,
    team: str,
    lang: str = "zh",
    clock_ahead_ms: int = 0,
) -> tuple[BrowserContext, Page, Watch]:
    """A phone already seated for `team` (seat in localStorage), on /play in `lang`, its clock
    `clock_ahead_ms` ahead of the server's."""
    seat = server.join(code, team, "卓玛")
    context, page, watch = new_page(browser, **PHONE)
    context.add_init_script(
        f"localStorage.setItem('leitai.seat', {seat!r});"
        f"localStorage.setItem('leitai.team', {team!r});"
        f"localStorage.setItem('leitai.lang', {lang!r});"
    )
    if clock_ahead_ms:
        context.add_init_script(
            f"{{ const now = Date.now; Date.now = () => now.call(Date) + {clock_ahead_ms}; }}"
        )
    page.goto(f"{server.url}/play")
    return context, page, watch


def tap(page: Page) -> None:
    """A real touch in the middle of the buzzer."""
    box = page.locator("#buzzer").bounding_box()
    assert box is not None
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"lock-{name}.png"), animations="disabled")


def test_before_arming_the_buzzer_is_locked_and_an_early_press_shows_the_lockout(
    browser: Browser, lock_server: LiveServer
) -> None:
    server = lock_server
    http = server.host()
    code = server.create_contest(http, template="twelve")["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    context, phone, watch = seated_phone(browser, server, code, "t01")
    try:
        expect(phone.locator("#play-q .welcome-team")).to_have_text("第1消防救援支队")
        view = command(host, "StartRound")
        assert (view["round"]["early_press"], view["round"]["early_lockout_ms"]) == (
            "lockout",
            LOCKOUT_MS,
        )
        command(host, "OpenQuestion")
        buzzer = phone.locator("#buzzer")
        expect(buzzer).to_have_class(re.compile(r"\bbz-ready\b"))
        expect(buzzer.locator(".bz-main")).to_have_text("等待开始抢答")
        # The rule of this round: an early press only locks; no foul is threatened.
        expect(buzzer.locator(".bz-sub")).to_have_text("提前按无效，并会短暂锁定")
        expect(buzzer).not_to_have_class(re.compile(r"\bwarns-foul\b"))
        looks = phone.evaluate(LOCK_SCRIPT)
        assert looks == {"lock": True, "shadow": "none", "border": "dashed", "disabled": "true"}
        shot(phone, "ready")

        # A touch now: the server ignores it and locks the buzzer; the phone counts it down.
        tap(phone)
        expect(buzzer).to_have_class(re.compile(r"\bbz-early\b"))
        expect(buzzer.locator(".bz-main")).to_have_text("抢早了，稍候")
        expect(buzzer.locator(".bz-sub")).to_have_text(re.compile(r"^[0-2]\.\d 秒后可再按$"))
        expect(buzzer).to_have_attribute("data-reason", "buzzers_not_armed")
        assert phone.evaluate(LOCK_SCRIPT)["lock"] is True
        first = buzzer.locator(".bz-sub").inner_text()
        phone.wait_for_timeout(400)
        assert buzzer.locator(".bz-sub").inner_text() != first  # it counts down
        shot(phone, "early")
        # The lockout over, the buzzer is back to waiting (not "buzzed").
        expect(buzzer).to_have_class(re.compile(r"\bbz-ready\b"), timeout=LOCKOUT_MS + 2000)
        with host.lock:
            updates = [data for name, data in host.messages if name == "update"]
        events = [event for data in updates for event in data["events"]]
        ignored = [e for e in events if e["kind"] == "BuzzIgnored" and e["team"] == "t01"]
        assert [e["reason"] for e in ignored] == ["buzzers_not_armed"]
        assert not [e for e in events if e["kind"] == "FoulCommitted"]

        # Armed: a live button again, no padlock.
        command(host, "ArmBuzzers", countdown_ms=0)
        expect(buzzer).to_have_class(re.compile(r"\bbz-armed\b"))
        looks = phone.evaluate(LOCK_SCRIPT)
        assert (looks["lock"], looks["disabled"]) == (False, "false")
    finally:
        context.close()
        close_all(host)
        http.close()
    assert watch.errors == []
    assert watch.foreign == []


def test_a_phone_reloaded_during_an_early_lockout_still_counts_it_down(
    browser: Browser, lock_server: LiveServer
) -> None:
    server = lock_server
    http = server.host()
    code = server.create_contest(http, template="reload")["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    # The phone's clock is 90 s fast: the lockout's end (server ms, from the view) only shows
    # right when the page converts it with its server clock offset.
    context, phone, watch = seated_phone(browser, server, code, "t01", clock_ahead_ms=90_000)
    try:
        expect(phone.locator("#play-q .welcome-team")).to_have_text("第1消防救援支队")
        command(host, "StartRound")
        command(host, "OpenQuestion")
        buzzer = phone.locator("#buzzer")
        expect(buzzer).to_have_class(re.compile(r"\bbz-ready\b"))
        tap(phone)
        expect(buzzer).to_have_class(re.compile(r"\bbz-early\b"))
        wait_until(
            lambda: any(
                e["kind"] == "BuzzIgnored" and e["team"] == "t01"
                for name, data in list(host.messages)
                if name == "update"
                for e in data["events"]
            ),
            what="the early press logged",
        )

        phone.reload()
        expect(buzzer).to_have_class(re.compile(r"\bbz-early\b"))
        expect(buzzer.locator(".bz-main")).to_have_text("抢早了，稍候")
        left = buzzer.locator(".bz-sub")
        expect(left).to_have_text(re.compile(r"^[0-5]\.\d 秒后可再按$"))
        expect(buzzer).to_have_attribute("data-reason", "buzzers_not_armed")
        assert phone.evaluate(LOCK_SCRIPT)["lock"] is True
        first = left.inner_text()
        phone.wait_for_timeout(400)
        assert left.inner_text() != first  # it counts down
        shot(phone, "early-reloaded")
        # When the lockout ends the buzzer is back to waiting by itself.
        expect(buzzer).to_have_class(re.compile(r"\bbz-ready\b"), timeout=RELOAD_LOCKOUT_MS)
        command(host, "ArmBuzzers", countdown_ms=0)
        expect(buzzer).to_have_class(re.compile(r"\bbz-armed\b"))
    finally:
        context.close()
        close_all(host)
        http.close()
    assert watch.errors == []
    assert watch.foreign == []


@pytest.mark.parametrize(
    ("lang", "waiting", "warning"),
    [
        ("zh", "等待开始抢答", "提前按将被判违规"),
        ("en", "Wait for the start", "Pressing early is a foul"),
    ],
)
def test_in_a_foul_round_the_locked_buzzer_warns_of_the_foul(
    browser: Browser, lock_server: LiveServer, lang: str, waiting: str, warning: str
) -> None:
    server = lock_server
    http = server.host()
    code = server.create_contest(http)["code"]  # mini: its 抢答 round fouls early presses
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    context, phone, watch = seated_phone(browser, server, code, "lhasa", lang)
    try:
        command(host, "StartRound")
        command(host, "EndRound")
        view = command(host, "StartRound")
        assert view["round"]["early_press"] == "foul"
        command(host, "OpenQuestion")
        buzzer = phone.locator("#buzzer")
        expect(buzzer).to_have_class(re.compile(r"\bbz-ready\b.*\bwarns-foul\b"))
        expect(buzzer.locator(".bz-main")).to_have_text(waiting)
        expect(buzzer.locator(".bz-sub")).to_have_text(warning)
        assert phone.evaluate(LOCK_SCRIPT)["lock"] is True
        # The countdown after 开始抢答 is still early: the warning stays.
        command(host, "ArmBuzzers", countdown_ms=5000)
        expect(buzzer).to_have_class(re.compile(r"\bbz-countdown\b.*\bwarns-foul\b"))
        expect(buzzer.locator(".bz-sub")).to_have_text(warning)
        shot(phone, f"foul-{lang}")
    finally:
        context.close()
        close_all(host)
        http.close()
    assert watch.errors == []
    assert watch.foreign == []


def test_the_podium_shows_tied_teams_tied(browser: Browser, lock_server: LiveServer) -> None:
    server = lock_server
    http = server.host()
    created = server.create_contest(http)
    code, key = created["code"], created["screen_key"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    pages: list[tuple[BrowserContext, Page, Watch]] = []
    try:
        tv = new_page(browser, viewport={"width": 1920, "height": 1080})
        screen = new_page(browser, viewport={"width": 1920, "height": 1080})
        pages += [tv, screen]
        tv[1].goto(f"{server.url}/watch/{code}")
        screen[1].goto(f"{server.url}/screen/{code}?key={key}")
        # 拉萨 110 first; 日喀则, 林芝 and 阿里 on 100, split by seat order only: tied second. The
        # podium holds the top three: two of them stand on second place's blocks.
        command(host, "AdjustScore", team="lhasa", delta=10, note="测试")
        command(host, "EndContest")
        view = command(host, "RevealPodium")
        assert view["podium"] == ["lhasa", "shigatse", "nyingchi"]
        for page in (tv[1], screen[1]):
            podium = page.locator("#podium")
            expect(podium.locator(".podium-slot.place-1 .podium-name")).to_have_text("拉萨支队")
            second = podium.locator(".podium-slot.place-2")
            expect(second).to_have_count(2)
            expect(second.locator(".podium-tied")).to_have_text(["并列第 2", "并列第 2"])
            expect(second.locator(".podium-place")).to_have_text(["2", "2"])
            expect(podium.locator(".podium-slot.place-3")).to_have_count(0)
            expect(podium.locator(".podium-slot.place-1 .podium-tied")).to_have_count(0)
            expect(second.locator(".podium-name")).to_have_text(["日喀则支队", "林芝支队"])
        shot(tv[1], "podium-watch")
        shot(screen[1], "podium-screen")
    finally:
        for context, _, _ in pages:
            context.close()
        close_all(host)
        http.close()
    for _, _, watch in pages:
        assert watch.errors == []
        assert watch.foreign == []


# Every standings row (and the podium's) inside the window, none cut off, the page not wider.
FITS_SCRIPT = """() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) out.push(`page ${doc.scrollWidth} > ${doc.clientWidth}`);
  const sel = "#standings .st-row, #podium .podium-slot, #podium li";
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) {
      const where = [r.left, r.right, r.bottom].map(Math.round);
      out.push(`${el.className} ${el.textContent} at ${where}`);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1080p", "720p"])
def test_the_audience_page_holds_twelve_teams_on_a_tv(
    browser: Browser, lock_server: LiveServer, size: tuple[int, int]
) -> None:
    server = lock_server
    width, height = size
    http = server.host()
    code = server.create_contest(http, template="twelve")["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    context, tv, watch = new_page(browser, viewport={"width": width, "height": height})
    try:
        tv.goto(f"{server.url}/watch/{code}")
        rows = tv.locator("#standings .st-row")
        expect(rows).to_have_count(12)
        settle(tv)
        assert tv.evaluate(FITS_SCRIPT) == []
        command(host, "StartRound")
        command(host, "OpenQuestion")
        expect(tv.locator("#stage .q-text")).to_be_visible()
        settle(tv)
        assert tv.evaluate(FITS_SCRIPT) == []
        shot(tv, f"twelve-{width}")
        # The end: the podium and the twelve rows below it.
        command(host, "AdjustScore", team="t05", delta=10, note="测试")
        command(host, "SkipQuestion")
        command(host, "EndRound")
        command(host, "EndContest")
        command(host, "RevealPodium")
        expect(tv.locator("#podium .podium-slot.place-1 .podium-name")).to_have_text(
            "第5消防救援支队"
        )
        expect(rows).to_have_count(12)
        settle(tv)
        assert tv.evaluate(FITS_SCRIPT) == []
        shot(tv, f"twelve-{width}-podium")
    finally:
        context.close()
        close_all(host)
        http.close()
    assert watch.errors == []
    assert watch.foreign == []


def settle(page: Page) -> None:
    """Let the rows' entry and the podium's rising animations finish."""
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        running = page.evaluate(
            "document.getAnimations().filter((a) => a.playState === 'running'"
            " && a.effect && a.effect.getComputedTiming().endTime !== Infinity).length"
        )
        if not running:
            return
        page.wait_for_timeout(100)
