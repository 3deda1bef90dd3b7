"""The Excel template on the bank page, and Excel banks uploaded through it, on a real server
and in Chromium: the download validates cleanly, and a bad workbook's problems name their cells."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from quiz.banks.formats.tabular_rows import TEMPLATE_BANK
from quiz.banks.formats.xlsx_format import XlsxFormat
from tests.banks.sheets import BAD
from tests.web.live import PASSWORD, LiveServer, csrf_token

if TYPE_CHECKING:
    from playwright.sync_api import Browser

TIMEOUT_MS = 15_000


def test_the_template_is_for_the_host_and_validates_cleanly(server: LiveServer) -> None:
    url = server.url + "/admin/banks/template.xlsx"
    anonymous = requests.get(url, allow_redirects=False, timeout=30)
    assert anonymous.status_code in (302, 303, 401, 403)
    answer = server.host().get(url, timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = answer.headers["Content-Disposition"]
    assert "filename*=UTF-8''%E9%A2%98%E5%BA%93%E6%A8%A1%E6%9D%BF.xlsx" in disposition
    report = XlsxFormat().read(answer.content, "题库模板.xlsx")
    assert (report.problems, report.bank) == ([], TEMPLATE_BANK)


def upload(server: LiveServer, kind: str, name: str, data: bytes) -> Any:
    files = {"file": (name, data)}
    return server.host().post(f"{server.url}/api/banks/{kind}", files=files, timeout=60).json()


def test_an_uploaded_workbook_is_checked_at_its_cells_and_imported(server: LiveServer) -> None:
    bad = (BAD / "missing-answer.xlsx").read_bytes()
    checked = upload(server, "validate", "missing-answer.xlsx", bad)
    assert checked["ok"] is False
    [problem] = checked["problems"]
    assert (problem["place"], problem["code"], problem["message"]) == (
        "missing-answer.xlsx!题目!H2",
        "missing_answer",
        "第 2 行没有答案：“中共一大最后一天的会议在哪里举行？”",
    )
    template = XlsxFormat().write(TEMPLATE_BANK)
    # The check is a dry run: it says what importing would do, and imports nothing.
    would = upload(server, "validate", "题库模板.xlsx", template)["would"]
    assert (sorted(would["added"]), would["changed"], would["retired"]) == (
        ["q1", "q2", "q3", "q4", "q5"],
        [],
        [],
    )
    imported = upload(server, "import", "题库模板.xlsx", template)
    assert imported["ok"] is True
    assert sorted(imported["result"]["added"]) == ["q1", "q2", "q3", "q4", "q5"]


def test_the_bank_page_offers_the_template_and_shows_a_cells_place(
    server: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    token = csrf_token(context.request.get(server.url + "/login").text())
    login = context.request.post(
        server.url + "/login", form={"password": PASSWORD, "csrf_token": token}
    )
    assert login.ok, login.status
    page = context.new_page()
    page.goto(server.url + "/admin/banks")
    with page.expect_download() as download:
        page.locator("#template-link").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "题库模板.xlsx"
    assert XlsxFormat().read(saved.read_bytes(), saved.name).problems == []
    page.locator("#bank-file").set_input_files(str(BAD / "answer-letter-no-option.xlsx"))
    page.locator("#validate-btn").click()
    places = page.locator(".problem-pos")
    places.first.wait_for()
    assert places.all_text_contents() == [
        "answer-letter-no-option.xlsx!题目!H2",
        "answer-letter-no-option.xlsx!题目!H3",
    ]
    assert page.locator("#import-btn").is_disabled()
    page.locator("#bank-file").set_input_files(str(saved))
    page.locator("#validate-btn").click()
    would = page.locator(".would-line")
    would.wait_for()
    assert "（尚未导入）" in would.inner_text()
    assert page.locator("#import-btn").is_enabled()
    context.close()
