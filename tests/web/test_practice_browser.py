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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from quiz.engine.questions import Question
from tests.helpers import bank_text, question
from tests.web.browsers import ARTIFACTS, Watch
from tests.web.keys import bundled_questions
from tests.web.live import LiveServer

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, Locator, Page, expect

TIMEOUT_MS = 15_000
BANK = "party-history"
PK_QUESTIONS = 5
# The bot joins after 1 s instead of 10, the pause after each question is short and the bot
# answers ten times faster than a person would, so a whole match takes seconds.
PK_FAST = {"QUIZ_PK_BOT_AFTER_S": "1", "QUIZ_PK_REVEAL_S": "0.5", "QUIZ_PK_BOT_PACE": "0.1"}


@pytest.fixture
def pk_server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path, extra_env=PK_FAST)
    live.start()
    yield live
    live.stop()


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
        # By the option's text, not its place: a PK match shows the options shuffled.
        for index in picks:
            scope.get_by_test_id(f"option-{shown_at(scope, question.options[index])}").click()
    scope.get_by_test_id("submit-answer").click()


def shown_at(scope: Locator, text: str) -> int:
    """Where the option reading ``text`` is shown among the question's buttons."""
    shown = scope.locator('[data-testid^="option-"] > span:nth-child(2)').evaluate_all(
        "spans => spans.map((span) => span.firstChild.textContent)"
    )
    assert text in shown, (text, shown)
    return int(shown.index(text))


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"


def test_practice_review_pk_and_history_on_a_phone(browser: Browser, pk_server: LiveServer) -> None:
    server = pk_server
    questions = bundled_questions()
    expect.set_options(timeout=TIMEOUT_MS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("practice-*.png"):
        old.unlink()
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


def serve_bank(tmp_path: Path, bank: str, name: str) -> Iterator[LiveServer]:
    """A running server whose only bank is ``bank``, imported through the CLI beforehand."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(bank, encoding="utf-8")
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
    yield from serve_bank(tmp_path, bank.replace("  options: null\n", ""), "tibetan-sample")


def test_tibetan_text_renders_in_a_tibetan_font(
    browser: Browser, tibetan_server: LiveServer
) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
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


PAD_BANK = "pad-types"


def reviewed(**fields: Any) -> dict[str, Any]:
    """A reviewed question of the pad bank; ``options=None`` leaves the key out."""
    made = question(status="reviewed", tags=["题型"], **fields)
    if made["options"] is None:
        del made["options"]
    return made


@dataclass(frozen=True)
class PadCase:
    """One question of each type: what the player taps or types, and what the server must get."""

    question: dict[str, Any]
    steps: tuple[str, ...]  # test ids to click; "type:<text>" fills the text box
    response: Any
    correct: bool
    words: str  # the response as the review shows it


PAD_CASES = (
    # A change of mind: the second tap replaces the first.
    PadCase(reviewed(id="pad-single"), ("option-2", "option-1"), 1, True, "B. 1921年"),
    # Toggled on and off, in any order; sent sorted.
    PadCase(
        reviewed(
            id="pad-multiple",
            type="multiple",
            text="下列哪些城市在西藏自治区？",
            options=["拉萨", "西宁", "日喀则", "林芝"],
            answer=["拉萨", "日喀则", "林芝"],
        ),
        ("option-3", "option-0", "option-1", "option-1", "option-2"),
        [0, 2, 3],
        True,
        "A. 拉萨、C. 日喀则、D. 林芝",
    ),
    # Wrong on purpose: the verdict follows the response, it is not always "right".
    PadCase(
        reviewed(
            id="pad-truefalse",
            type="truefalse",
            text="拉萨是西藏自治区的首府。",
            answer=True,
            options=None,
        ),
        ("option-1",),
        False,
        False,
        "错误",
    ),
    # Typed with spaces round it; sent trimmed.
    PadCase(
        reviewed(
            id="pad-fill",
            type="fill",
            text="中国共产党第一次全国代表大会于____年召开。",
            answer=["1921年", "1921"],
            options=None,
        ),
        ("type:  1921年 ",),
        "1921年",
        True,
        "1921年",
    ),
    # A slip undone: B, A, undo, then C, A, D.
    PadCase(
        reviewed(
            id="pad-order",
            type="order",
            text="按时间先后排列下列事件。",
            options=["西藏自治区成立", "中共一大召开", "中华人民共和国成立", "青藏铁路全线通车"],
            answer=["B", "C", "A", "D"],
        ),
        ("option-1", "option-0", "order-undo", "option-2", "option-0", "option-3"),
        [1, 2, 0, 3],
        True,
        "B. 中共一大召开 → C. 中华人民共和国成立 → A. 西藏自治区成立 → D. 青藏铁路全线通车",
    ),
)


@pytest.fixture
def pad_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server whose only bank has one question of each of the five types."""
    bank = bank_text(*(case.question for case in PAD_CASES), id=PAD_BANK)
    yield from serve_bank(tmp_path, bank, PAD_BANK)


def test_each_question_type_answers_through_its_pad(
    browser: Browser, pad_server: LiveServer
) -> None:
    cases = {case.question["id"]: case for case in PAD_CASES}
    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch(page)
    try:
        page.goto(f"{pad_server.url}/practice")
        page.get_by_test_id("guest-button").click()
        panel = page.get_by_test_id("panel-practice")
        page.get_by_test_id("tab-practice").click()
        panel.get_by_test_id(f"bank-{PAD_BANK}").click()
        panel.get_by_test_id("practice-count").fill(str(len(PAD_CASES)))
        panel.get_by_test_id("start-practice").click()
        seen: list[str] = []
        for position in range(len(PAD_CASES)):
            card = panel.get_by_test_id("question")
            expect(card).to_have_attribute("data-position", str(position))
            case = cases[card.get_attribute("data-question-id") or ""]
            pad = panel.get_by_test_id("answer-pad")
            expect(pad).to_have_attribute("data-type", case.question["type"])
            submit = pad.get_by_test_id("submit-answer")
            expect(submit).to_be_disabled()
            for step in case.steps:
                if step.startswith("type:"):
                    pad.get_by_test_id("fill-input").fill(step.removeprefix("type:"))
                else:
                    pad.get_by_test_id(step).click()
            submit.click()
            feedback = panel.get_by_test_id("feedback")
            expect(feedback).to_have_attribute("data-correct", "true" if case.correct else "false")
            seen.append(case.question["id"])
            panel.get_by_test_id("next-question").click()
        assert sorted(seen) == sorted(cases)
        expect(panel.get_by_test_id("summary-score")).to_have_text("答对 4/5")

        # The server holds exactly the response each pad was meant to send, judged as intended.
        sitting = panel.get_by_test_id("sitting").get_attribute("data-sitting")
        stored = page.request.get(f"{pad_server.url}/api/practice/sittings/{sitting}").json()
        judged = {
            entry["question"]["id"]: (entry["response"], entry["correct"])
            for entry in stored["review"]
        }
        assert judged == {key: (case.response, case.correct) for key, case in cases.items()}
        reviews = panel.get_by_test_id("review-item")
        expect(reviews).to_have_count(len(PAD_CASES))
        for item in reviews.all():
            case = cases[
                item.get_by_test_id("review-question").get_attribute("data-question-id") or ""
            ]
            expect(item.locator(".review-yours")).to_contain_text(f"你的答案：{case.words}")

        # A type no pad knows gets a translated notice, never a blank space.
        notice = page.evaluate(
            """async () => {
                const { answerPad } = await import("/static/js/pads.js");
                const essay = { id: "x", type: "essay", text: "?", options: [] };
                const pad = answerPad(essay, async () => false);
                return [pad.el.dataset.testid, pad.el.textContent];
            }"""
        )
        assert notice == ["pad-unsupported", "此题型（essay）无法在此作答"]
    except Exception:
        with contextlib.suppress(Exception):  # never hide the failure behind a screenshot's
            page.screenshot(path=str(ARTIFACTS / "practice-pads-failed.png"), full_page=True)
        print(f"page errors: {watch.errors}\nthe server's log ends:\n{pad_server.log()[-4000:]}")
        raise
    finally:
        context.close()
    assert watch.errors == []
    assert watch.foreign == []
