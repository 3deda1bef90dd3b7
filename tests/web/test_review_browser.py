"""The question editor and the review queue in a real browser (Debian's Chromium): 张三 edits a
question, sees a problem appear beside its field while typing and clear when fixed, and saves;
approving his own edit is refused; 李四, in another browser, approves it in /admin/review, and the
question page shows the reviewed new version.

Needs Debian's Chromium and the Python Playwright package; without them the tests skip, or fail
when LEITAI_REQUIRE_SERVICES=1 (see tests/web/browsers.py).
"""

from __future__ import annotations

import contextlib
import re

from tests.web.browsers import ARTIFACTS, Watch
from tests.web.live import PASSWORD, LiveServer

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, Page, expect

TIMEOUT_MS = 15_000
BANK = "fire-rescue"
QID = "fr-001"
NEW_TEXT = "2018年11月9日，习近平向哪支新组建的队伍授旗并致训词？"


def signed_in(browser: Browser, server: LiveServer, name: str) -> tuple[Page, Watch]:
    """A browser of its own, logged in as the host under ``name`` through the login form."""
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch(page)
    page.goto(f"{server.url}/login")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=name]").fill(name)
    page.locator("form.login-card button[type=submit]").click()
    page.wait_for_url(f"{server.url}/host")
    return page, watch


def test_an_edit_is_checked_as_typed_saved_and_approved_by_a_second_person(
    browser: Browser, server: LiveServer
) -> None:
    zhang, zhang_watch = signed_in(browser, server, "张三")
    zhang.goto(f"{server.url}/admin/banks/{BANK}/questions/{QID}/edit")
    save = zhang.locator("#save-btn")
    expect(zhang.locator("#check-status")).to_have_text("没有错误，可以保存")
    expect(save).to_be_enabled()
    expect(zhang.locator("#signed-as")).to_have_text("张三")

    # Emptying 出处 shows the validator's problem beside that field, with its code.
    zhang.locator("#f-source").fill("")
    source_problem = zhang.locator('[data-field="source"] .problem.sev-error')
    expect(source_problem).to_have_count(1)
    expect(source_problem.locator(".problem-code")).to_have_text(re.compile(r"^[a-z][a-z_]+$"))
    expect(zhang.locator("#f-source")).to_have_attribute("aria-invalid", "true")
    expect(save).to_be_disabled()
    zhang.screenshot(path=str(ARTIFACTS / "review-editor-problem.png"), full_page=True)
    zhang.locator("#f-source").fill("新华社 2018-11-09")
    expect(source_problem).to_have_count(0)
    expect(save).to_be_enabled()

    zhang.locator("#f-text").fill(NEW_TEXT)
    expect(zhang.locator("#check-status")).to_have_text("没有错误，可以保存")
    save.click()
    saved = zhang.locator("#saved")
    expect(saved).to_contain_text("已保存为版本 2")
    expect(saved).to_contain_text("待另一人审核通过后启用")
    expect(zhang.locator("#question-link")).to_have_attribute(
        "href", f"/admin/banks/{BANK}/questions/{QID}"
    )

    # 张三 may not approve his own edit.
    zhang.goto(f"{server.url}/admin/review")
    mine = zhang.locator(f'.review-item[data-qid="{QID}"]')
    expect(mine).to_contain_text("张三")
    expect(mine.locator('tr[data-field="text"] .diff-after')).to_have_text(NEW_TEXT)
    mine.locator('button[data-action="approve"]').click()
    expect(mine.locator('[data-code="own_version"]')).to_have_text(
        "不能审核自己编辑的题目，须由另一人通过"
    )

    # 李四, in a browser of his own, approves it.
    li, li_watch = signed_in(browser, server, "李四")
    li.goto(f"{server.url}/admin/review")
    waiting = li.locator(f'.review-item[data-qid="{QID}"]')
    expect(waiting).to_contain_text("张三")
    li.screenshot(path=str(ARTIFACTS / "review-queue.png"), full_page=True)
    waiting.locator('button[data-action="approve"]').click()
    expect(waiting).to_have_count(0)

    li.goto(f"{server.url}/admin/banks/{BANK}/questions/{QID}")
    shown = li.locator("#qd-question")
    expect(shown).to_contain_text(NEW_TEXT)
    expect(shown).to_contain_text("已审核")
    expect(shown).to_contain_text("第 3 版")
    # The refused approval is the one failed request the browser logs.
    refused = [error for error in zhang_watch.errors if "403" in error and "/approve" in error]
    assert len(refused) == 1
    assert [error for error in zhang_watch.errors if error not in refused] == []
    assert li_watch.errors == []
    assert zhang_watch.foreign == li_watch.foreign == []
