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
from tests.web.live import LiveServer, PageSession, Recorder, close_all

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
    facts = {row[0]: row[1] for row in total.iter_rows(min_row=2, max_row=9, values_only=True)}
    assert facts["比赛代码"] == code
    assert facts["赛制"] == "测试赛 Mini contest"
    # Not given: blank (not the title), underlined to fill in by hand.
    assert (facts["地点"], facts["主办单位"], facts["主持人"]) == (None, None, None)
    assert total["B6"].border.bottom.style == "thin"
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


DETAILS = {"venue": " 拉萨支队训练基地 ", "organiser": "西藏消防救援总队", "host_name": "次仁"}


def sheet_facts(host_http: requests.Session, server: LiveServer, code: str) -> dict[str, object]:
    """地点, 主办单位 and 主持人 as the XLSX 成绩单 has them."""
    answer = host_http.get(f"{server.url}/contests/{code}/results.xlsx", timeout=10)
    total = load_workbook(io.BytesIO(answer.content))["总成绩"]
    facts = {row[0]: row[1] for row in total.iter_rows(min_row=2, max_row=9, values_only=True)}
    return {name: facts[name] for name in ("地点", "主办单位", "主持人")}


def test_the_sheets_details_are_given_at_creation_and_changed_until_the_end(
    server: LiveServer,
) -> None:
    host_http = server.host()
    code = server.create_contest(host_http, **DETAILS)["code"]
    assert sheet_facts(host_http, server, code) == {
        "地点": "拉萨支队训练基地",
        "主办单位": "西藏消防救援总队",
        "主持人": "次仁",
    }
    sheet = host_http.get(f"{server.url}/contests/{code}/print", timeout=10).text
    assert '<dd data-detail="venue">拉萨支队训练基地</dd>' in sheet
    assert '<dd data-detail="host_name">次仁</dd>' in sheet
    page = host_http.get(f"{server.url}/contests/{code}/results", timeout=10).text
    assert 'name="organiser" maxlength="60" value="西藏消防救援总队">' in page
    details = f"{server.url}/api/contests/{code}/details"
    changed = host_http.post(details, json={"venue": "日喀则", "host_name": ""}, timeout=10)
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"venue": "日喀则", "organiser": "西藏消防救援总队", "host_name": ""}
    assert sheet_facts(host_http, server, code)["主持人"] is None
    sheet = host_http.get(f"{server.url}/contests/{code}/print", timeout=10).text
    assert '<dd class="fill-line" data-detail="host_name"></dd>' in sheet
    for body, status, error in (
        ({"venue": "地" * 61}, 400, "bad_details"),
        ({"organiser": "西藏\n消防"}, 400, "bad_details"),
        ({"title": "改名"}, 400, "bad_payload"),
    ):
        refused = host_http.post(details, json=body, timeout=10)
        assert (refused.status_code, refused.json()["error"]["code"]) == (status, error), body
    stranger = PageSession().post(details, json={"venue": "林芝"}, timeout=10)
    assert stranger.status_code == 401
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    assert host.call("command", {"type": "EndContest"})["ok"]
    close_all(host)
    final = host_http.post(details, json={"venue": "林芝"}, timeout=10)
    assert (final.status_code, final.json()["error"]["code"]) == (409, "finished")
    assert sheet_facts(host_http, server, code)["地点"] == "日喀则"
    page = host_http.get(f"{server.url}/contests/{code}/results", timeout=10).text
    assert 'name="venue" maxlength="60" value="日喀则" disabled>' in page
    host_http.close()


def test_bad_details_at_creation_are_refused_with_their_code(server: LiveServer) -> None:
    host_http = server.host()
    before = host_http.get(f"{server.url}/host", timeout=10).text.count("/results")
    for details in ({"venue": "x" * 61}, {"host_name": "次\t仁"}, {"organiser": ["西藏"]}):
        answer = host_http.post(
            f"{server.url}/api/contests",
            json={"title": "赛", "template": "mini", "banks": ["party-history"], **details},
            timeout=30,
        )
        assert answer.status_code == 400, details
        assert answer.json()["error"]["code"] == "bad_details"
    assert host_http.get(f"{server.url}/host", timeout=10).text.count("/results") == before
    host_http.close()


def test_the_results_page_saves_the_details_in_the_browser(
    browser: Browser, server: LiveServer
) -> None:
    host_http = server.host()
    code = server.create_contest(host_http)["code"]
    context = browser.new_context(locale="zh-CN")
    context.add_cookies(
        [
            {"name": cookie.name, "value": cookie.value or "", "url": server.url}
            for cookie in host_http.cookies
        ]
    )
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{server.url}/contests/{code}/results")
    page.get_by_label("地点").fill(" 林芝支队 ")
    page.get_by_label("主持人").fill("卓玛")
    page.locator("#details-form button[type=submit]").click()
    expect(page.locator("#details-saved")).to_be_visible()
    expect(page.get_by_label("地点")).to_have_value("林芝支队")
    assert sheet_facts(host_http, server, code) == {"地点": "林芝支队", "主办单位": None} | {
        "主持人": "卓玛"
    }
    # Past the input's own limit, as a pasted or scripted value may be: the server refuses it.
    page.evaluate("document.querySelector('input[name=organiser]').removeAttribute('maxlength')")
    page.get_by_label("主办单位").fill("单" * 61)
    page.locator("#details-form button[type=submit]").click()
    expect(page.locator("#details-error")).to_have_text(
        "地点、主办单位、主持人每项最多 60 个字，不能换行或含控制字符"
    )
    assert [error for error in watch.errors if "status of 400" not in error] == []
    assert watch.foreign == []
    context.close()
    host_http.close()
