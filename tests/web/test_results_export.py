"""The results downloads over real HTTP (standings CSV, ledger CSV, the XLSX 成绩单) and the
printable page in Chromium."""

from __future__ import annotations

import contextlib
import csv
import io

import requests
from openpyxl import load_workbook

from quiz.web.result_sheets import (
    LEDGER_HEADERS,
    MEMBER_HEADERS,
    QUESTION_HEADERS,
    STANDINGS_HEADERS,
)
from tests.web.browsers import ARTIFACTS, Watch
from tests.web.live import LiveServer, Recorder, close_all

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, expect


def played_contest(server: LiveServer, host_http: requests.Session) -> str:
    """A mini contest with a seated member, one adjustment and one 必答 question opened."""
    code = server.create_contest(host_http)["code"]
    server.join(code, "lhasa", "卓玛")
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    for kind, fields in (
        ("StartRound", {}),
        ("AdjustScore", {"team": "ngari", "delta": 5, "note": "纪律好"}),
        ("OpenQuestion", {}),
    ):
        assert host.call("command", {"type": kind, **fields})["ok"], kind
    close_all(host)
    return code


def read_csv(answer: requests.Response) -> list[list[str]]:
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def test_standings_and_ledger_are_one_chinese_table_each(server: LiveServer) -> None:
    host_http = server.host()
    code = played_contest(server, host_http)
    standings = read_csv(host_http.get(f"{server.url}/contests/{code}/results.csv", timeout=10))
    assert standings[0] == list(STANDINGS_HEADERS)
    assert standings[0][:6] == ["名次", "队伍", "队伍代码", "基础分", "答题得分", "总分"]
    assert standings[1][:6] == ["1", "阿里支队", "ngari", "100", "5", "105"]
    assert len(standings) == 5  # the header and four teams: no second table, no blank line
    assert {len(row) for row in standings} == {len(STANDINGS_HEADERS)}
    ledger = read_csv(host_http.get(f"{server.url}/contests/{code}/ledger.csv", timeout=10))
    assert ledger[0] == list(LEDGER_HEADERS)
    adjusted = dict(zip(ledger[0], ledger[-1], strict=True))
    assert (adjusted["队伍"], adjusted["原因代码"], adjusted["原因"]) == (
        "阿里支队",
        "adjustment",
        "人工调整",
    )
    assert (adjusted["计入"], adjusted["分值"], adjusted["备注"]) == ("总分", "5", "纪律好")
    assert (adjusted["轮次"], adjusted["轮次名称"]) == ("1", "必答题")
    anonymous = requests.get(
        f"{server.url}/contests/{code}/ledger.csv", allow_redirects=False, timeout=10
    )
    assert anonymous.status_code == 302
    host_http.close()


def test_the_xlsx_results_sheet_has_four_sheets_with_chinese_headers(server: LiveServer) -> None:
    host_http = server.host()
    code = played_contest(server, host_http)
    answer = host_http.get(f"{server.url}/contests/{code}/results.xlsx", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["总成绩", "各轮得分", "队员", "题目"]
    total = book["总成绩"]
    assert total["A1"].value == "测试赛 成绩单"
    facts = {row[0]: row[1] for row in total.iter_rows(min_row=2, max_row=7, values_only=True)}
    assert facts["比赛代码"] == code
    assert facts["赛制"] == "测试赛 Mini contest"
    assert facts["地点"] == "测试赛"
    assert str(facts["排名方式"]).startswith("实时排名")
    rows = [list(row) for row in total.iter_rows(values_only=True)]
    header = rows.index(list(STANDINGS_HEADERS))
    assert rows[header + 1][:6] == [1, "阿里支队", "ngari", 100, 5, 105]
    assert ["主持人（签字）", None, None, "日期", None] in [row[:5] for row in rows]
    per_round = [list(row) for row in book["各轮得分"].iter_rows(min_row=3, values_only=True)]
    assert per_round[0] == ["队伍", "基础分", "第1轮 必答题", "总分", "加赛分"]
    assert per_round[1] == ["阿里支队", 100, 5, 105, 0]
    members = [list(row) for row in book["队员"].iter_rows(min_row=3, values_only=True)]
    assert members[0] == list(MEMBER_HEADERS)
    assert members[1][:2] == ["拉萨支队", "卓玛"]
    asked = [list(row) for row in book["题目"].iter_rows(min_row=3, values_only=True)]
    assert asked[0] == list(QUESTION_HEADERS)
    assert len(asked) == 2  # one question opened so far
    assert asked[1][1:3] == [1, "必答题"]
    assert isinstance(asked[1][4], int)  # the bank version asked
    assert asked[1][7]  # its key
    host_http.close()


def test_the_print_page_renders_the_title_and_the_tables(
    browser: Browser, server: LiveServer
) -> None:
    host_http = server.host()
    code = played_contest(server, host_http)
    context = browser.new_context(locale="zh-CN")
    context.add_cookies(
        [
            {"name": cookie.name, "value": cookie.value or "", "url": server.url}
            for cookie in host_http.cookies
        ]
    )
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{server.url}/contests/{code}/print")
    expect(page.locator("h1")).to_have_text("测试赛 成绩单")
    standings = page.locator("table").first
    expect(standings.locator("thead th").first).to_have_text("名次")
    expect(standings.locator("tbody tr").first).to_contain_text("阿里支队")
    expect(page.locator("table")).to_have_count(4)
    expect(page.get_by_text("裁判长（签字）")).to_be_visible()
    page.emulate_media(media="print")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "results-print.png"), full_page=True)
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator(".no-print").first).to_be_hidden()
    assert len(page.pdf(format="A4")) > 1000
    assert watch.errors == []
    assert watch.foreign == []
    context.close()
    host_http.close()
