"""纠错 in Chromium: a phone reports its question after the reveal (no button before it), a guest
reports a self-test question under its feedback, and the organiser sees both on /admin/review
with their counts and notes, and resolves one.

Needs Debian's Chromium and the Python Playwright package, like tests/web/test_browser.py: the
test skips without them, or fails when LEITAI_REQUIRE_SERVICES=1. Screenshots go to
test-artifacts/browser/reports-*.png.
"""

from __future__ import annotations

import contextlib

from tests.web.browsers import ARTIFACTS, Watch
from tests.web.keys import bundled_questions
from tests.web.live import PASSWORD, LiveServer, Recorder, close_all, wait_until
from tests.web.test_practice_browser import answer

with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, Page, expect

TIMEOUT_MS = 15_000
BANK = "party-history"


def report_in_sheet(page: Page, reason: str, note: str, said: str = "已提交纠错") -> None:
    """Fill and send the open 纠错 sheet."""
    sheet = page.locator("#report-sheet")
    expect(sheet).to_be_visible()
    submit = sheet.get_by_test_id("report-submit")
    expect(submit).to_be_disabled()
    sheet.get_by_role("button", name=reason).click()
    sheet.locator("#report-note").fill(note)
    submit.click()
    expect(sheet).to_have_count(0)
    expect(page.locator(".toast").last).to_contain_text(said)


def test_players_report_and_the_organiser_resolves(browser: Browser, server: LiveServer) -> None:
    expect.set_options(timeout=TIMEOUT_MS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    http = server.host()
    created = server.create_contest(http)
    code = created["code"]
    host = Recorder(server, {"role": "host", "contest": code}, http).connect()
    phone = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pages = [phone.new_page(), phone.new_page(), desk.new_page()]
    watches = [Watch(page) for page in pages]
    play, practice, review = pages
    try:
        # The phone joins lhasa and answers its 必答 question; 纠错 appears only after the reveal.
        play.goto(f"{server.url}/join/{code}")
        play.locator("#team-code-input").fill(server.team_code(code, "lhasa") or "")
        play.locator("#name-input").fill("扎西")
        play.locator("#join-btn").click()
        play.wait_for_url(f"{server.url}/play")
        for kind, fields in (("StartRound", {}), ("OpenQuestion", {"team": "lhasa"})):
            ack = host.call("command", {"type": kind, **fields})
            assert ack["ok"], ack
        ack = host.call("command", {"type": "PromptAnswer"})
        assert ack["ok"], ack
        wait_until(lambda: host.seq() >= ack["seq"], what="请回答")
        shown = host.view()["question"]["question"]
        contest_question = shown["id"]
        pad = play.get_by_test_id("answer-pad")
        expect(pad).to_be_visible()
        expect(play.get_by_test_id("report-open")).to_have_count(0)
        pad.get_by_test_id(f"option-{shown['answer_indices'][0]}").click()
        pad.get_by_test_id("submit-answer").click()
        expect(play.locator("#play-q .pq-result.is-right")).to_be_visible()
        seq = host.seq()
        play.get_by_test_id("report-open").click()
        play.screenshot(path=str(ARTIFACTS / "reports-phone-sheet.png"))
        report_in_sheet(play, "答案有误", "答案应为另一个选项")
        # The host heard nothing of it.
        assert host.seq() == seq

        # A guest practises one question and reports it under the feedback.
        practice.goto(f"{server.url}/practice")
        practice.get_by_test_id("guest-button").click()
        panel = practice.get_by_test_id("panel-practice")
        practice.get_by_test_id("tab-practice").click()
        panel.get_by_test_id(f"bank-{BANK}").click()
        panel.get_by_test_id("practice-count").fill("1")
        panel.get_by_test_id("start-practice").click()
        card = panel.get_by_test_id("question")
        expect(panel.get_by_test_id("report-open")).to_have_count(0)
        practice_question = card.get_attribute("data-question-id") or ""
        answer(panel, bundled_questions()[f"{BANK}/{practice_question}"], right=False)
        expect(panel.get_by_test_id("feedback")).to_be_visible()
        panel.get_by_test_id("report-open").click()
        report_in_sheet(practice, "解析有误", "解析没有说明出处")
        # The wrong answer filed a card; reporting it there replaces the guest's report.
        panel.get_by_test_id("next-question").click()
        panel.get_by_test_id("sitting-done").click()
        practice.get_by_test_id("tab-wrongbook").click()
        card = practice.get_by_test_id("panel-wrongbook").get_by_test_id("wrongbook-card")
        expect(card).to_have_attribute("data-question-id", practice_question)
        card.locator("summary").click()
        card.get_by_test_id("report-open").click()
        report_in_sheet(practice, "其他", "错题本里再报", "已更新你对这道题的纠错")

        # The organiser sees both on the review page, with counts and notes, and resolves one.
        review.goto(f"{server.url}/login")
        review.locator("input[name=password]").fill(PASSWORD)
        review.locator("form.login-card button[type=submit]").click()
        review.wait_for_url(f"{server.url}/host")
        review.goto(f"{server.url}/admin/review")
        section = review.locator("#review-reports")
        expect(section.get_by_role("heading", name="纠错报告")).to_be_visible()
        bank, qid = contest_question.split("/", 1)
        phone_entry = section.locator(f'[data-testid=report-entry][data-qid="{qid}"]')
        practice_entry = section.locator(
            f'[data-testid=report-entry][data-qid="{practice_question}"]'
        )
        expect(phone_entry).to_contain_text("1 条报告")
        expect(phone_entry).to_contain_text("答案应为另一个选项")
        expect(phone_entry).to_contain_text(f"扎西 · 比赛 {code}")
        expect(phone_entry).to_contain_text("答案有误 × 1")
        expect(phone_entry.get_by_role("link", name="修改题目")).to_have_attribute(
            "href", f"/admin/banks/{bank}/questions/{qid}/edit"
        )
        expect(practice_entry).to_contain_text("1 条报告")
        expect(practice_entry).to_contain_text("错题本里再报")
        expect(practice_entry).to_contain_text("其他 × 1")
        expect(practice_entry).to_contain_text("自测")
        review.screenshot(path=str(ARTIFACTS / "reports-review.png"), full_page=True)
        phone_entry.get_by_label("处理说明（可不填）").fill("已核对答案")
        phone_entry.get_by_test_id("report-resolve").click()
        expect(phone_entry).to_have_count(0)
        expect(practice_entry).to_be_visible()
        for watch in watches:
            assert watch.errors == [], watch.errors
            assert watch.foreign == [], watch.foreign
    finally:
        phone.close()
        desk.close()
        close_all(host)
        http.close()
