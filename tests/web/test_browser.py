"""Real browsers on one contest: the host console, the projector and two team phones, each in a
browser context of its own, play a 抢答 (buzzer) question through the pages' own buttons.

Needs Debian's Chromium and the Python Playwright package (never ``playwright install``):
``apt-get install chromium fonts-noto-cjk`` and ``pip install playwright``. Without them the test
skips, or fails when LEITAI_REQUIRE_SERVICES=1. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.web.browsers import ARTIFACTS
from tests.web.live import PASSWORD, LiveServer

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, ConsoleMessage, Page, WebSocketRoute, expect

TIMEOUT_MS = 15_000
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True}
TEAM_A = ("lhasa", "拉萨支队", "卓玛")
TEAM_B = ("shigatse", "日喀则支队", "次仁")


@dataclass
class Pages:
    """The open pages by name, and every console error or uncaught exception they produced."""

    pages: dict[str, Page] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def watch(self, name: str, page: Page) -> Page:
        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.errors.append(f"{name}: console.error: {message.text} ({message.location})")

        page.on("console", console)
        page.on("pageerror", lambda error: self.errors.append(f"{name}: uncaught: {error}"))
        page.on("dialog", lambda dialog: dialog.accept())  # the console's "结束本轮？" confirm
        page.set_default_timeout(TIMEOUT_MS)
        self.pages[name] = page
        return page

    def screenshots(self, moment: str) -> None:
        for name, page in self.pages.items():
            page.screenshot(path=str(ARTIFACTS / f"{moment}-{name}.png"))


class SlowDownlink:
    """A phone's Socket.IO traffic from the server, held back while ``holding``: a slow network.

    Phone B taps a moment after phone A; on one machine the server's "A won" would otherwise
    reach phone B before its tap does, and the page rightly ignores a tap on a decided race.
    What the page sends goes straight through; what it receives keeps its order.
    """

    def __init__(self) -> None:
        self.holding = False
        self.held: list[tuple[WebSocketRoute, str | bytes]] = []

    def attach(self, page_side: WebSocketRoute) -> None:
        server_side = page_side.connect_to_server()

        def from_server(message: str | bytes) -> None:
            if self.holding or self.held:
                self.held.append((page_side, message))
            else:
                page_side.send(message)

        server_side.on_message(from_server)

    def release(self) -> None:
        self.holding = False
        while self.held:
            page_side, message = self.held.pop(0)
            page_side.send(message)


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path)
    live.set_password()
    live.start()
    yield live
    live.stop()


def test_a_buzzer_round_in_four_browsers(browser: Browser, own_server: LiveServer) -> None:
    server = own_server
    expect.set_options(timeout=TIMEOUT_MS)
    http = server.host()
    created = server.create_contest(http)
    http.close()
    code, screen_key = created["code"], created["screen_key"]
    seen = Pages()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()

    downlink_b = SlowDownlink()

    def open_page(name: str, downlink: SlowDownlink | None = None, **options: Any) -> Page:
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
        if downlink is not None:
            context.route_web_socket(re.compile(r"/socket\.io/"), downlink.attach)
        return seen.watch(name, context.new_page())

    try:
        # The host logs in through the form and opens the console.
        host = open_page("host", viewport={"width": 1440, "height": 1000})
        host.goto(f"{server.url}/login")
        host.locator("input[name=password]").fill(PASSWORD)
        host.locator("form.login-card button[type=submit]").click()
        host.wait_for_url(f"{server.url}/host")
        host.goto(f"{server.url}/host/{code}")
        expect(host.locator("#hc-state .phase-lobby")).to_be_visible()

        # The projector, in the lobby with the join code.
        screen = open_page("screen", viewport={"width": 1600, "height": 900})
        screen.goto(f"{server.url}/screen/{code}?key={screen_key}")
        expect(screen.locator("#stage .lobby-code")).to_have_text(code)

        # Two phones join through /join/<code>, each for another team, and land on /play.
        phones = {}
        for label, (team, team_name, player), downlink in (
            ("phone-a", TEAM_A, None),
            ("phone-b", TEAM_B, downlink_b),
        ):
            phone = open_page(label, downlink, **PHONE)
            phone.goto(f"{server.url}/join/{code}?team={server.team_code(code, team)}")
            phone.locator("#name-input").fill(player)
            phone.locator("#join-btn").click()
            phone.wait_for_url(f"{server.url}/play")
            expect(phone.locator("#play-team")).to_have_text(team_name)
            expect(phone.locator("#play-player")).to_have_text(player)
            expect(phone.locator("#play-q .welcome-team")).to_have_text(team_name)
            phones[team] = phone
        phone_a, phone_b = phones[TEAM_A[0]], phones[TEAM_B[0]]
        standing_a = screen.locator(f'#standings .st-row[data-team="{TEAM_A[0]}"] .st-score')
        expect(standing_a).to_have_text("100")

        # Round 1 (必答) starts and is ended at once; round 2 is the 抢答 round.
        host.locator('button[data-cmd="StartRound"]').click()
        expect(host.locator("#hc-state .badge-round")).to_contain_text("必答题")
        host.locator('button[data-cmd="EndRound"]').click()  # confirm() is accepted
        expect(host.locator("#hc-state .phase-between_rounds")).to_be_visible()
        expect(screen.locator("#board-wrap")).to_be_visible()
        host.locator('button[data-cmd="StartRound"]').click()
        expect(host.locator("#hc-state .badge-round")).to_contain_text("抢答题")
        expect(screen.locator("#stage .badge-round")).to_have_text("抢答题")

        # A question (shortcut N), then the buzzers arm after the console's 3-2-1 (shortcut A).
        expect(host.locator('button[data-cmd="OpenQuestion"]')).to_be_enabled()
        host.keyboard.press("n")
        expect(host.locator("#hc-question .hq-answer strong")).not_to_have_text("—")
        for phone in (phone_a, phone_b):
            expect(phone.locator("#buzzer")).to_have_class(re.compile(r"\bbz-ready\b"))
        expect(host.locator("#arm-seconds")).to_have_value("3")
        expect(host.locator('button[data-cmd="ArmBuzzers"]')).to_be_enabled()
        host.keyboard.press("a")
        for phone in (phone_a, phone_b):
            expect(phone.locator("#buzzer")).to_have_class(re.compile(r"\bbz-armed\b"))
        expect(screen.locator("#stage .race-open")).to_be_visible()

        # Phone A taps first, phone B a moment later (real touches, back to back), while B's
        # network is slow to bring it the result.
        taps = []
        for phone in (phone_a, phone_b):
            box = phone.locator("#buzzer").bounding_box()
            assert box is not None
            taps.append((phone, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
        downlink_b.holding = True
        for phone, x, y in taps:
            phone.touchscreen.tap(x, y)
        expect(phone_b.locator("#buzzer")).to_have_class(re.compile(r"\bbz-sent\b"))
        downlink_b.release()

        # The projector: team A won, team B is shown with its margin.
        expect(screen.locator("#stage .race-winner-name")).to_have_text(TEAM_A[1])
        trail = screen.locator("#stage .race-trail li")
        expect(trail).to_have_count(1)
        expect(trail.locator(".trail-team")).to_have_text(TEAM_B[1])
        expect(trail.locator(".trail-ms")).to_have_text(re.compile(r"^\+\d+ ms$"))
        expect(phone_a.locator("#buzzer")).to_have_class(re.compile(r"\bbz-won\b"))
        expect(phone_b.locator("#buzzer")).to_have_class(re.compile(r"\bbz-lost\b"))
        expect(phone_b.locator("#buzzer .bz-main")).to_contain_text(TEAM_A[1])
        expect(host.locator("#judge-target")).to_contain_text(TEAM_A[1])
        expect(standing_a).to_have_text("100")
        seen.screenshots("race")

        # The host judges team A right (shortcut C): 100 -> 110 on the projector and the phone.
        host.keyboard.press("c")
        expect(standing_a).to_have_text("110")
        expect(
            screen.locator(f'#standings .st-row[data-team="{TEAM_B[0]}"] .st-score')
        ).to_have_text("100")
        expect(phone_a.locator("#play-score-num")).to_have_text("110")
        expect(host.locator("#hc-state .step-closed")).to_be_visible()
        expect(screen.locator("#stage .q-reveal")).to_be_visible()
        seen.screenshots("end")
    except Exception:
        with contextlib.suppress(Exception):  # never hide the failure behind a screenshot's
            seen.screenshots("failed")
        print(f"console errors: {seen.errors}\nthe server's log ends:\n{server.log()[-4000:]}")
        raise
    finally:
        for page in seen.pages.values():
            page.context.close()

    assert seen.errors == []
