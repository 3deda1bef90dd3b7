"""The bank browser in Chromium: a Chinese query typed into the search box, filters, paging, and
a question's page with its Tibetan text, its versions' differences and its statistics, on a
desktop and at phone width, in both languages."""

from __future__ import annotations

import contextlib

import requests

from tests.helpers import bank_text, question
from tests.web.browsers import ARTIFACTS, Watch
from tests.web.live import PASSWORD, LiveServer

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, Page, expect

BO_TEXT = "ཞོ་སྟོན་དུས་ཆེན་ནི་དུས་ཚིགས་གང་ལ་ཡིན།"


def import_bank(host: requests.Session, server: LiveServer, text: str) -> None:
    answer = host.post(
        f"{server.url}/api/banks/import",
        files={"file": ("browse.yaml", text.encode())},
        timeout=120,
    )
    assert answer.status_code == 200, answer.text


def browse_bank(stem: str, answer: str, version: int) -> str:
    return bank_text(
        question(
            id="bt-1",
            text=stem,
            options=["夏季", "冬季", "春季"],
            answer=answer,
            tags=["浏览测试"],
            translations={"bo": {"text": BO_TEXT}},
        ),
        id="browse-test",
        title="浏览测试题库",
        version=version,
    )


def logged_in(browser: Browser, server: LiveServer, **options: object) -> Page:
    context = browser.new_context(locale="zh-CN", **options)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=name]").fill("甲")
    page.locator("form.login-card button[type=submit]").click()
    page.wait_for_url(f"{server.url}/host")
    return page


def test_search_filter_and_open_a_question(browser: Browser, server: LiveServer) -> None:
    host = server.host()
    import_bank(host, server, browse_bank("雪顿节在每年的哪个季节举行？", "夏季", 1))
    import_bank(host, server, browse_bank("拉萨雪顿节一般在哪个季节举行？", "夏季", 2))
    everything = host.get(f"{server.url}/api/questions", timeout=30).json()["total"]
    page = logged_in(browser, server)
    watch = Watch(page)
    page.goto(f"{server.url}/admin/banks")
    page.get_by_role("link", name="题目浏览").click()
    page.wait_for_url(f"{server.url}/admin/questions")
    count = page.get_by_test_id("qb-count")
    expect(count).to_have_text(f"共 {everything} 题")
    expect(page.get_by_test_id("qb-hit")).to_have_count(50)
    expect(page.locator("#qb-page")).to_have_text(f"第 1 / {-(-everything // 50)} 页")
    page.locator("#qb-next").click()
    expect(page.locator("#qb-page")).to_have_text(f"第 2 / {-(-everything // 50)} 页")

    # Typed as a person types, one character at a time: the search runs once typing pauses.
    page.get_by_label("搜索题干、选项、解析、标签或题号").press_sequentially("西藏", delay=60)
    expected = host.get(f"{server.url}/api/questions", params={"q": "西藏"}, timeout=30).json()
    expect(count).to_have_text(f"共 {expected['total']} 题")
    expect(page.locator("#qb-page")).to_have_text(f"第 1 / {-(-expected['total'] // 50)} 页")
    marks = page.locator("[data-testid=qb-hit] mark")
    expect(marks.first).to_have_text("西藏")
    assert set(marks.all_inner_texts()) == {"西藏"}

    page.get_by_label("题库", exact=True).select_option("tibet-geography")
    page.get_by_label("题型", exact=True).select_option("single")
    narrowed = host.get(
        f"{server.url}/api/questions",
        params={"q": "西藏", "bank": "tibet-geography", "type": "single"},
        timeout=30,
    ).json()
    expect(count).to_have_text(f"共 {narrowed['total']} 题")
    hits = page.get_by_test_id("qb-hit")
    expect(hits).to_have_count(min(50, narrowed["total"]))
    assert all("tibet-geography" in text and "单选题" in text for text in hits.all_inner_texts())
    assert "q=%E8%A5%BF%E8%97%8F" in page.url
    assert "type=single" in page.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bank-browser-search.png"), full_page=True)

    page.get_by_label("搜索题干、选项、解析、标签或题号").fill("浏览测试")
    page.get_by_label("题库", exact=True).select_option("")
    page.get_by_label("题型", exact=True).select_option("")
    expect(count).to_have_text("共 1 题")
    hits.first.click()
    page.wait_for_url(f"{server.url}/admin/banks/browse-test/questions/bt-1")
    expect(page.locator("h1")).to_have_text("题目 bt-1")
    expect(page.get_by_test_id("qd-stem")).to_have_text("拉萨雪顿节一般在哪个季节举行？")
    tibetan = page.locator(".qd-stem-bo")
    expect(tibetan).to_have_text(BO_TEXT)
    assert tibetan.get_attribute("lang") == "bo"
    expect(page.locator(".qd-options li.is-key")).to_contain_text("A. 夏季")
    expect(page.get_by_test_id("qd-answer")).to_have_text("A. 夏季")
    assert page.get_by_test_id("qd-edit").get_attribute("href") == (
        "/admin/banks/browse-test/questions/bt-1/edit"
    )
    versions = page.get_by_test_id("qd-version")
    expect(versions).to_have_count(2)
    newest = versions.first
    expect(newest).to_contain_text("第 2 版（题库版本 2）")
    expect(newest).to_contain_text("当前")
    change = newest.locator("tr[data-field=text]")
    expect(change.locator("th")).to_have_text("题干")
    expect(change.locator("td.was")).to_have_text("雪顿节在每年的哪个季节举行？")
    expect(change.locator("td.now")).to_have_text("拉萨雪顿节一般在哪个季节举行？")
    expect(newest.locator("tbody tr")).to_have_count(1)
    expect(versions.last).to_contain_text("第一版")
    expect(page.get_by_test_id("qd-attempts").first).to_have_text("0")
    expect(page.get_by_test_id("qd-bars")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "bank-browser-question.png"), full_page=True)

    page.locator(".lang-switch").first.click()
    expect(page.locator("h1")).to_have_text("Question bt-1")
    expect(change.locator("th")).to_have_text("Stem")
    expect(newest).to_contain_text("Version 2 (bank version 2)")
    page.go_back()
    expect(page.get_by_test_id("qb-count")).to_have_text("1 questions")
    assert watch.errors == []
    assert watch.foreign == []
    page.context.close()


def test_the_pages_fit_a_phone(browser: Browser, server: LiveServer) -> None:
    page = logged_in(
        browser,
        server,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    watch = Watch(page)
    page.goto(f"{server.url}/admin/questions?q=首府")
    expect(page.get_by_test_id("qb-hit").first).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bank-browser-phone-search.png"), full_page=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]
    page.get_by_test_id("qb-hit").first.click()
    expect(page.get_by_test_id("qd-stem")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "bank-browser-phone-question.png"), full_page=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]
    assert watch.errors == []
    page.context.close()
