"""The self-test page in a real browser on a phone-sized screen: register, practise five
questions with one deliberately wrong, find it in the wrong-answer book, review it right, play a
PK match against the bot, and see the history chart.

Needs Debian's Chromium and the Python Playwright package, like tests/web/test_browser.py: the
test skips without them, or fails when LEITAI_REQUIRE_SERVICES=1. Screenshots go to
test-artifacts/browser/practice-*.png.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from quiz.engine.questions import Question
from tests.conftest import need_service
from tests.helpers import bank_text, question
from tests.web.keys import bundled_questions
from tests.web.live import LiveServer
from tests.web.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

try:
    from playwright.sync_api import (
        Browser,
        ConsoleMessage,
        Locator,
        Page,
        Request,
        expect,
        sync_playwright,
    )
except ImportError:  # pragma: no cover - the skip (or CI failure) below says what to install
    HAVE_PLAYWRIGHT = False
else:
    HAVE_PLAYWRIGHT = True

TIMEOUT_MS = 15_000
BANK = "party-history"
PK_QUESTIONS = 5
# The bot joins after 1 s instead of 10, the pause after each question is short and the bot
# answers ten times faster than a person would, so a whole match takes seconds.
PK_FAST = {"QUIZ_PK_BOT_AFTER_S": "1", "QUIZ_PK_REVEAL_S": "0.5", "QUIZ_PK_BOT_PACE": "0.1"}


@pytest.fixture
def phone_browser() -> Iterator[Browser]:
    if not HAVE_PLAYWRIGHT or not CHROMIUM.exists():
        missing = "the playwright module" if not HAVE_PLAYWRIGHT else str(CHROMIUM)
        need_service(
            "Chromium and Playwright",
            f"{missing} is missing; to enable the browser tests: apt-get install chromium "
            "fonts-noto-cjk fonts-noto-core; pip install playwright (do not run `playwright "
            "install`: the tests use Debian's /usr/bin/chromium)",
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def pk_server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path, extra_env=PK_FAST)
    live.start()
    yield live
    live.stop()


class Watch:
    """A page's console errors, uncaught exceptions and requests to any host but this one."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("request", self.request)
        page.on("dialog", lambda dialog: dialog.accept())

    def console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = str(message.location.get("url", ""))
        self.errors.append(f"console.error: {message.text} ({url})")

    def request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname != "127.0.0.1":
            self.foreign.append(request.url)


def answer(scope: Locator, question: Question, right: bool) -> None:
    """Answer the question shown in ``scope`` through its buttons, rightly or not."""
    if question.type == "fill":
        assert not isinstance(question.answer, bool)
        scope.get_by_test_id("fill-input").fill(question.answer[0] if right else "不是这个答案")
    elif question.type == "truefalse":
        value = question.answer if right else not question.answer
        scope.get_by_test_id("option-0" if value else "option-1").click()
    else:
        key = list(question.answer_indices())
        others = [i for i in range(len(question.options)) if i not in key]
        if right:
            picks = key
        elif question.type == "order":
            picks = key[::-1]
        else:
            picks = others[:1]
        for index in picks:
            scope.get_by_test_id(f"option-{index}").click()
    scope.get_by_test_id("submit-answer").click()


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"


def test_practice_review_pk_and_history_on_a_phone(
    phone_browser: Browser, pk_server: LiveServer
) -> None:
    server = pk_server
    questions = bundled_questions()
    expect.set_options(timeout=TIMEOUT_MS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("practice-*.png"):
        old.unlink()
    context = phone_browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch(page)

    def shot(moment: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"practice-{moment}.png"), full_page=True)

    try:
        # a) Register a new account.
        page.goto(f"{server.url}/practice")
        page.get_by_test_id("account-tab-register").click()
        page.get_by_test_id("reg-name").fill("卓玛")
        page.get_by_test_id("reg-detachment").fill("拉萨支队")
        page.get_by_test_id("reg-brigade").fill("城关大队")
        page.get_by_test_id("reg-password").fill("brave-firefighter-1")
        shot("register")
        page.get_by_test_id("reg-submit").click()
        expect(page.get_by_test_id("user-name")).to_have_text("卓玛")

        # b) Five questions of one bank; the first answered wrong on purpose, the rest right.
        panel = page.get_by_test_id("panel-practice")
        page.get_by_test_id("tab-practice").click()
        panel.get_by_test_id(f"bank-{BANK}").click()
        panel.get_by_test_id("practice-count").fill("5")
        no_sideways_scroll(page)
        panel.get_by_test_id("start-practice").click()
        wrong_id = ""
        for position in range(5):
            card = panel.get_by_test_id("question")
            expect(card).to_have_attribute("data-position", str(position))
            question_id = card.get_attribute("data-question-id") or ""
            question = questions[f"{BANK}/{question_id}"]
            right = position != 0
            if not right:
                wrong_id = question_id
            answer(panel, question, right)
            feedback = panel.get_by_test_id("feedback")
            expect(feedback).to_have_attribute("data-correct", "true" if right else "false")
            expect(feedback).to_contain_text("回答正确" if right else "回答错误")
            expect(feedback).to_contain_text(question.explanation)
            expect(feedback).to_contain_text(question.source)
            if position == 0:
                no_sideways_scroll(page)
                shot("feedback-wrong")
            panel.get_by_test_id("next-question").click()
        expect(panel.get_by_test_id("summary-score")).to_have_text("答对 4/5")
        review = panel.get_by_test_id("review-item")
        expect(review).to_have_count(5)
        expect(review.and_(page.locator('[data-correct="false"]'))).to_have_attribute(
            "data-question-id", wrong_id
        )
        shot("summary")
        panel.get_by_test_id("sitting-done").click()

        # c) The wrong answer is in the book, alone.
        page.get_by_test_id("tab-wrongbook").click()
        book = page.get_by_test_id("panel-wrongbook")
        cards = book.get_by_test_id("wrongbook-card")
        expect(cards).to_have_count(1)
        expect(cards).to_have_attribute("data-question-id", wrong_id)
        expect(cards).to_have_attribute("data-box", "1")
        shot("wrongbook")

        # d) Review it, rightly this time.
        book.get_by_test_id("start-review").click()
        card = book.get_by_test_id("question")
        expect(card).to_have_attribute("data-question-id", wrong_id)
        answer(book, questions[f"{BANK}/{wrong_id}"], right=True)
        expect(book.get_by_test_id("feedback")).to_have_attribute("data-correct", "true")
        expect(book.get_by_test_id("feedback")).to_contain_text("回答正确")
        shot("review")
        book.get_by_test_id("next-question").click()
        book.get_by_test_id("sitting-done").click()
        expect(cards).to_have_attribute("data-box", "2")

        # e) PK against the bot: labelled as one, five questions, a result.
        page.get_by_test_id("tab-pk").click()
        pk = page.get_by_test_id("panel-pk")
        pk.get_by_test_id("pk-find").click()
        expect(pk.get_by_test_id("pk-searching")).to_be_visible()
        opponent = pk.get_by_test_id("pk-opponent")
        expect(opponent).to_have_attribute("data-bot", "true")
        expect(opponent).to_contain_text("机器人")
        expect(opponent.get_by_text("机器人", exact=True)).to_be_visible()
        shot("pk-opponent")
        played: list[str] = []
        for _ in range(PK_QUESTIONS):
            fresh = "".join(f':not([data-question-id="{done}"])' for done in played)
            card = pk.locator(f'[data-testid="question"]{fresh}')
            expect(pk.get_by_test_id("submit-answer")).to_be_visible()
            expect(card).to_be_visible()
            question_id = card.get_attribute("data-question-id") or ""
            answer(pk, questions[question_id], right=True)
            # Taken: "sent" while the bot thinks, the reveal, or (after the last question, when
            # the round ends at once) straight to the match's result.
            taken = pk.get_by_test_id("pk-sent").or_(pk.get_by_test_id("pk-reveal"))
            expect(taken.or_(pk.get_by_test_id("pk-result")).first).to_be_visible()
            played.append(question_id)
        result = pk.get_by_test_id("pk-result")
        expect(result).to_be_visible(timeout=30_000)
        expect(result).to_have_attribute("data-outcome", re.compile(r"^(win|lose|draw)$"))
        assert int(pk.get_by_test_id("pk-my-score").inner_text()) >= 50 * PK_QUESTIONS
        no_sideways_scroll(page)
        shot("pk-result")

        # f) The history: a chart with a point per finished sitting or match, and tag rows.
        page.get_by_test_id("tab-history").click()
        history = page.get_by_test_id("panel-history")
        chart = history.get_by_test_id("history-chart")
        expect(chart).to_be_visible()
        # The practice and the review are recorded; the match may land a moment after the page
        # asked, so it is not counted on.
        assert chart.get_by_test_id("history-point").count() >= 2
        expect(history.get_by_test_id("tag-row").first).to_be_visible()
        no_sideways_scroll(page)
        shot("history")
    except Exception:
        with contextlib.suppress(Exception):  # never hide the failure behind a screenshot's
            shot("failed")
        print(f"page errors: {watch.errors}\nthe server's log ends:\n{server.log()[-4000:]}")
        raise
    finally:
        context.close()

    assert watch.errors == []
    assert watch.foreign == []


TIBETAN_TEXT = "ལྷ་ས་ནི་བོད་རང་སྐྱོང་ལྗོངས་ཀྱི་རྒྱལ་ས་ཡིན།"


def fonts_drawing(page: Page, selector: str) -> list[str]:
    """The fonts Chromium actually draws a node's text with (not what its CSS asks for)."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("DOM.enable")
    devtools.send("CSS.enable")
    root = devtools.send("DOM.getDocument")["root"]["nodeId"]
    node = devtools.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    used = devtools.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [font["familyName"] for font in used if font["glyphCount"] > 0]


@pytest.fixture
def tibetan_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server whose only bank has a question with a Tibetan (bo) translation."""
    bank = bank_text(
        question(
            id="lhasa-capital",
            type="truefalse",
            text="拉萨是西藏自治区的首府。",
            answer=True,
            explanation="西藏自治区的首府是拉萨。",
            source="西藏自治区人民政府网站",
            tags=["西藏"],
            status="reviewed",
            options=None,
            translations={"bo": {"text": TIBETAN_TEXT}},
        ),
        id="tibetan-sample",
    )
    path = tmp_path / "tibetan-sample.yaml"
    path.write_text(bank.replace("  options: null\n", ""), encoding="utf-8")
    live = LiveServer(tmp_path)
    imported = subprocess.run(
        [sys.executable, "-m", "quiz.cli", "import", str(path)],
        env=live.environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert imported.returncode == 0, imported.stdout + imported.stderr
    live.start()
    yield live
    live.stop()


def test_tibetan_text_renders_in_a_tibetan_font(
    phone_browser: Browser, tibetan_server: LiveServer
) -> None:
    context = phone_browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch(page)
    try:
        page.goto(f"{tibetan_server.url}/practice")
        page.get_by_test_id("guest-button").click()
        panel = page.get_by_test_id("panel-practice")
        page.get_by_test_id("tab-practice").click()
        panel.get_by_test_id("practice-count").fill("1")
        panel.get_by_test_id("start-practice").click()
        tibetan = panel.get_by_test_id("question").locator('[lang="bo"]')
        expect(tibetan).to_have_text(TIBETAN_TEXT)
        expect(tibetan).to_be_visible()
        family = tibetan.evaluate("(node) => getComputedStyle(node).fontFamily")
        assert "Tibetan" in family, family
        fonts = fonts_drawing(page, '[data-testid="question"] [lang="bo"]')
        assert any("Tibetan" in name for name in fonts), (
            f"the Tibetan text is drawn with {fonts}, not a Tibetan font "
            "(Debian: apt-get install fonts-noto-core)"
        )
        page.screenshot(path=str(ARTIFACTS / "practice-tibetan.png"))
    finally:
        context.close()
    assert watch.errors == []
    assert watch.foreign == []
