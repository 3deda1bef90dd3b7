"""The pages tell the truth at a glance, in real browsers on a live contest driven by a
python-socketio host: a refusal reads in Chinese with none of the engine's English, a pause shows
edge to edge and disables the phone's answer pad, tied teams are shown tied (并列), the audience
page fits a TV at 1920x1080 and 1280x720, and the one-laptop page buzzes with keys 1-9 and runs
the question with the console's shortcuts N, A, C, W.

Needs Debian's Chromium and the Python Playwright package, like tests/web/test_browser.py: the
tests skip without them, or fail when LEITAI_REQUIRE_SERVICES=1. Screenshots go to
test-artifacts/browser/truth-*.png.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.web.browsers import ARTIFACTS, Watch
from tests.web.live import (
    LiveServer,
    Recorder,
    close_all,
    server_with_templates,
    wait_until,
)
from tests.web.test_browser import SlowDownlink

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, BrowserContext, Page, expect

TIMEOUT_MS = 15_000
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
}
TEAMS = {"lhasa": "拉萨支队", "shigatse": "日喀则支队", "nyingchi": "林芝支队", "ngari": "阿里支队"}
NINE = [(f"t{n}", f"第{n}支队") for n in range(1, 10)]
# Nine teams, one 抢答 round answered aloud in one hall: a key of the one-laptop page per team.
NINE_TEMPLATE = "\n".join(
    [
        "name: nine",
        "label: 九队 Nine teams",
        "base_score: 100",
        "final_ranking: score",
        "teams:",
        *(f"  - {{id: {team}, name: {name}}}" for team, name in NINE),
        "rounds:",
        "  - kind: 抢答",
        "    name: 抢答题",
        "    answer_input: spoken",
        "    points: 10",
        "    deduction: 10",
        "    answer_seconds: 30",
        "    buzz_window_seconds: 20",
        "    fairness: arrival",
        "    questions: {count: 3, reserve: 1}",
        "",
    ]
)
# A 必答 round answered on the phones with two seconds to answer: time runs out on its own.
QUICK_TEMPLATE = """\
name: quick
label: 限时 Quick
base_score: 100
final_ranking: score
teams:
  - {id: lhasa, name: 拉萨支队}
  - {id: shigatse, name: 日喀则支队}
rounds:
  - kind: 必答
    name: 必答题
    mode: turn
    answer_input: device
    points: 10
    deduction: 5
    answer_seconds: 2
    questions: {count: 2, reserve: 0, types: [single]}
"""
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def truth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with the web tests' templates and the nine-team one."""
    root = tmp_path_factory.mktemp("truth")
    templates = {"nine": NINE_TEMPLATE, "quick": QUICK_TEMPLATE}
    with server_with_templates(root, templates, web_templates=True) as live:
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


def join(page: Page, server: LiveServer, code: str, team_name: str, player: str) -> None:
    """Join as a phone that scanned the team's QR (its link carries the team's code)."""
    team = next(key for key, name in TEAMS.items() if name == team_name)
    page.goto(f"{server.url}/join/{code}?team={server.team_code(code, team)}")
    page.locator("#name-input").fill(player)
    page.locator("#join-btn").click()
    page.wait_for_url(f"{server.url}/play")
    expect(page.locator("#play-q .welcome-team")).to_have_text(team_name)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"truth-{name}.png"), animations="disabled")


def test_a_pause_disables_the_pad_and_a_refusal_reads_in_chinese(
    browser: Browser, truth_server: LiveServer
) -> None:
    server = truth_server
    http = host_http(server)
    code = server.create_contest(http)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    downlink = SlowDownlink()
    phone_context, phone, phone_watch = new_page(browser, **PHONE)
    phone_context.route_web_socket(re.compile(r"/socket\.io/"), downlink.attach)
    tv_context, tv, tv_watch = new_page(browser, viewport={"width": 1280, "height": 720})
    try:
        join(phone, server, code, TEAMS["lhasa"], "卓玛")
        tv.goto(f"{server.url}/watch/{code}")
        command(host, "StartRound")
        command(host, "OpenQuestion", team="lhasa")
        command(host, "PromptAnswer")
        pad = phone.get_by_test_id("answer-pad")
        expect(pad.get_by_test_id("option-0")).to_be_enabled()
        expect(phone.locator("#play-paused")).to_be_hidden()

        # Paused: a bar across the phone, every control of the pad disabled, the stage covered.
        command(host, "Pause")
        bar = phone.locator("#play-paused")
        expect(bar).to_be_visible()
        expect(bar).to_contain_text("比赛暂停")
        box = bar.bounding_box()
        assert box is not None
        assert box["width"] >= 380, box
        for control in ("option-0", "option-1", "submit-answer"):
            expect(pad.get_by_test_id(control)).to_be_disabled()
        expect(phone.locator("#play-action")).to_have_class(re.compile(r"\bis-paused\b"))
        expect(tv.locator("#stage .stage-paused")).to_be_visible()
        expect(tv.locator("#stage .stage-paused")).to_contain_text("比赛暂停")
        shot(phone, "paused-phone")
        shot(tv, "paused-watch")

        # Resumed: the pad is live again.
        command(host, "Resume")
        expect(bar).to_be_hidden()
        expect(tv.locator("#stage .stage-paused")).to_be_hidden()
        pad.get_by_test_id("option-1").click()
        expect(pad.get_by_test_id("submit-answer")).to_be_enabled()

        # The host skips the question while the phone's network holds the news back; the
        # phone's answer is refused, and the person reads why in Chinese only.
        downlink.holding = True
        command(host, "SkipQuestion")
        pad.get_by_test_id("submit-answer").click()
        downlink.release()
        toast = phone.locator("#toasts .toast-error")
        expect(toast).to_have_count(1)
        text = toast.inner_text()
        assert CHINESE.search(text), text
        assert not ENGLISH_WORD.search(text), text
        shot(phone, "refused-phone")
    finally:
        phone_context.close()
        tv_context.close()
        close_all(host)
    assert phone_watch.errors == []
    assert tv_watch.errors == []
    assert phone_watch.foreign == []
    assert tv_watch.foreign == []


def test_tied_teams_are_shown_tied(browser: Browser, truth_server: LiveServer) -> None:
    server = truth_server
    http = host_http(server)
    code = server.create_contest(http)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    phone_context, phone, phone_watch = new_page(browser, **PHONE)
    tv_context, tv, tv_watch = new_page(browser, viewport={"width": 1920, "height": 1080})
    rows = tv.locator("#standings .st-row")
    try:
        join(phone, server, code, TEAMS["ngari"], "次仁")
        tv.goto(f"{server.url}/watch/{code}")
        # Four teams on 100: all tied first, on the audience page and on the phone.
        expect(rows).to_have_count(4)
        expect(rows.locator(".st-rank")).to_have_text(["并列第 1"] * 4)
        expect(phone.locator("#play-rank")).to_have_text("并列第 1 名")
        shot(tv, "tied-watch")

        # 拉萨 reaches 110 first, then 阿里: both on 110, 拉萨 above by 先到此分, which is said
        # of 拉萨 and not of 阿里; the other two stay tied third.
        command(host, "AdjustScore", team="lhasa", delta=10, note="测试")
        command(host, "AdjustScore", team="ngari", delta=10, note="测试")
        expect(rows.locator(".st-rank")).to_have_text(["1", "2", "并列第 3", "并列第 3"])
        first, second = rows.nth(0), rows.nth(1)
        expect(first).to_have_attribute("data-team", "lhasa")
        expect(first.locator(".st-tie")).to_have_text("先到此分")
        expect(second).to_have_attribute("data-team", "ngari")
        expect(second.locator(".st-tie")).to_have_count(0)
        expect(phone.locator("#play-rank")).to_have_text("第 2 名")
        shot(tv, "tie-broken-watch")
    finally:
        phone_context.close()
        tv_context.close()
        close_all(host)
    assert phone_watch.errors == []
    assert tv_watch.errors == []


LONG_TEXT_SCRIPT = """() => {
  const doc = document.documentElement;
  const out = [];
  if (doc.scrollWidth > doc.clientWidth) out.push(`page ${doc.scrollWidth} > ${doc.clientWidth}`);
  const body = document.querySelector("#stage .stage-body");
  if (body && body.scrollHeight > body.clientHeight + 2) {
    out.push(`stage body ${body.scrollHeight} > ${body.clientHeight}`);
  }
  const sel = "#stage .q-text, #stage .opt, #standings .st-row, .watch-head, #stage .stage-top";
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) {
      const where = [r.left, r.right, r.bottom].map(Math.round).join(",");
      out.push(`${el.className} at ${where}`);
    }
    if (el.scrollWidth > el.clientWidth + 2) out.push(`${el.className} is cut off`);
  }
  return out;
}"""


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1080p", "720p"])
def test_the_audience_page_fits_a_tv(
    browser: Browser, truth_server: LiveServer, size: tuple[int, int]
) -> None:
    server = truth_server
    width, height = size
    http = host_http(server)
    code = server.create_contest(http)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    context, tv, watch = new_page(browser, viewport={"width": width, "height": height})
    try:
        tv.goto(f"{server.url}/watch/{code}")
        expect(tv.locator("#stage .lobby-code")).to_have_text(code)
        assert tv.evaluate(LONG_TEXT_SCRIPT) == []
        command(host, "StartRound")
        command(host, "OpenQuestion", team="lhasa")
        expect(tv.locator("#stage .q-text")).to_be_visible()
        expect(tv.locator("#stage .opt")).to_have_count(4)
        tv.wait_for_timeout(500)  # the rows' entry animations
        assert tv.evaluate(LONG_TEXT_SCRIPT) == []
        # The stage and the standings share the width of the TV, side by side.
        stage = tv.locator("#stage").bounding_box()
        board = tv.locator(".watch-board").bounding_box()
        assert stage is not None
        assert board is not None
        assert stage["width"] + board["width"] >= 0.85 * width, (stage, board)
        shot(tv, f"watch-{width}")
        # The answer and its explanation, once revealed, are not cut off either.
        command(host, "PromptAnswer")
        command(host, "Judge", team="lhasa", correct=False)
        expect(tv.locator("#stage .q-reveal")).to_be_visible()
        tv.wait_for_timeout(500)
        assert tv.evaluate(LONG_TEXT_SCRIPT) == []
        shot(tv, f"watch-{width}-reveal")
    finally:
        context.close()
        close_all(host)
    assert watch.errors == []
    assert watch.foreign == []


def buzzers_live(host: Recorder) -> bool:
    """True once the host's view has buzzers armed and the 3-2-1 is over."""
    play = host.view().get("question") or {}
    race = play.get("race") or {}
    armed_at = race.get("armed_at")
    return play.get("step") == "armed" and armed_at is not None and armed_at < time.time() * 1000


def press(page: Page, key: str) -> None:
    """A host shortcut, once the page's own view allows its button (a disabled one only shakes)."""
    expect(page.locator(f'#local-controls button[data-shortcut="{key}"]')).to_be_enabled()
    page.keyboard.press(key)


def test_the_one_laptop_page_takes_keys_one_to_nine_and_host_shortcuts(
    browser: Browser, truth_server: LiveServer
) -> None:
    server = truth_server
    http = host_http(server)
    code = server.create_contest(http, template="nine")["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    context, page, watch = new_page(browser, viewport={"width": 1600, "height": 900})
    context.add_cookies(
        [{"name": k, "value": v, "url": server.url} for k, v in http.cookies.items() if v]
    )
    keys = page.locator("#local-keys .local-key")
    try:
        page.goto(f"{server.url}/local/{code}")
        expect(keys.locator("kbd")).to_have_text([str(n) for n in range(1, 10)])
        command(host, "StartRound")
        scores = page.locator("#standings .st-row .st-score")
        expect(scores).to_have_count(9)

        # N opens a question, A arms the buzzers, key 9 buzzes for the ninth team, C: right.
        press(page, "n")
        press(page, "a")
        wait_until(lambda: buzzers_live(host), what="the buzzers to arm")
        page.keyboard.press("9")
        expect(page.locator('.local-key[data-team="t9"]')).to_have_class(re.compile("is-winner"))
        shot(page, "local-won")
        press(page, "c")
        expect(page.locator('#standings .st-row[data-team="t9"] .st-score')).to_have_text("110")
        # The question closed: its winner's ★ does not linger into the next race.
        expect(page.locator('.local-key[data-team="t9"]')).not_to_have_class(
            re.compile("is-winner")
        )

        # The next question: key 1 for the first team, W: wrong.
        press(page, "n")
        press(page, "a")
        wait_until(lambda: buzzers_live(host), what="the buzzers to arm again")
        page.keyboard.press("1")
        expect(page.locator('.local-key[data-team="t1"]')).to_have_class(re.compile("is-winner"))
        press(page, "w")
        expect(page.locator('#standings .st-row[data-team="t1"] .st-score')).to_have_text("90")
        expect(page.locator("#local-controls button[data-shortcut]")).to_have_count(5)
        shot(page, "local-judged")
    finally:
        context.close()
        close_all(host)
    assert watch.errors == []
    assert watch.foreign == []


def test_a_verdict_flash_leaves_the_question_in_view(
    browser: Browser, truth_server: LiveServer
) -> None:
    server = truth_server
    http = host_http(server)
    code = server.create_contest(http)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    context, tv, watch = new_page(browser, viewport={"width": 1920, "height": 1080})
    try:
        tv.goto(f"{server.url}/watch/{code}")
        command(host, "StartRound")
        command(host, "OpenQuestion", team="lhasa")
        command(host, "PromptAnswer")
        # The flash follows the judgement's event: the page must be connected and showing the
        # question before the host judges, or it only ever gets the judged snapshot.
        expect(tv.locator("#stage .q-text")).to_be_visible()
        command(host, "Judge", team="lhasa", correct=True)
        flash = tv.locator("#stage .stage-flash .flash")
        expect(flash).to_have_count(1)
        overlap = tv.evaluate(
            """() => {
              const f = document.querySelector("#stage .stage-flash .flash")
                .getBoundingClientRect();
              const sel = "#stage .q-text, #stage .opt, #stage .q-reveal";
              return [...document.querySelectorAll(sel)]
                .map((el) => el.getBoundingClientRect())
                .filter((r) => r.left < f.right && f.left < r.right)
                .filter((r) => r.top < f.bottom && f.top < r.bottom)
                .length;
            }"""
        )
        assert overlap == 0
        shot(tv, "flash-watch")
    finally:
        context.close()
        close_all(host)
    assert watch.errors == []


def test_a_timeout_reads_as_a_timeout(browser: Browser, truth_server: LiveServer) -> None:
    server = truth_server
    http = host_http(server)
    code = server.create_contest(http, template="quick")["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    phone_context, phone, phone_watch = new_page(browser, **PHONE)
    tv_context, tv, tv_watch = new_page(browser, viewport={"width": 1920, "height": 1080})
    try:
        join(phone, server, code, TEAMS["lhasa"], "卓玛")
        tv.goto(f"{server.url}/watch/{code}")
        command(host, "StartRound")
        command(host, "OpenQuestion", team="lhasa")
        command(host, "PromptAnswer")
        expect(phone.get_by_test_id("answer-pad")).to_be_visible()
        # Two seconds pass with no answer: time's up, −5, and no page calls it a wrong answer.
        verdict = phone.locator("#play-q .pq-result")
        expect(verdict).to_have_class(re.compile(r"\bis-timeout\b"))
        expect(verdict).to_have_text("时间到，未作答 −5")
        expect(phone.locator("#play-score-num")).to_have_text("95")
        expect(tv.locator("#stage .status-line")).to_have_text("超时未答")
        shot(phone, "timeout-phone")
        shot(tv, "timeout-watch")
    finally:
        phone_context.close()
        tv_context.close()
        close_all(host)
    assert phone_watch.errors == []
    assert tv_watch.errors == []
