"""The host's creation form and the lobby in a real browser (Debian's Chromium).

Needs Debian's Chromium and the Python Playwright package; without them the tests skip, or fail
when LEITAI_REQUIRE_SERVICES=1 (see tests/web/browsers.py).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest
import requests

from tests.web.browsers import Watch
from tests.web.live import LiveServer
from tests.web.test_accessibility import problems, settled

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, Page, expect

TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def hosting(server: LiveServer) -> Iterator[requests.Session]:
    """One host login for the module: the server allows five login attempts a minute."""
    session = server.host()
    yield session
    session.close()


def logged_in(browser: Browser, server: LiveServer, host: requests.Session) -> tuple[Page, Watch]:
    """A browser page holding the host's session cookie, on the host's start page."""
    context = browser.new_context()
    context.add_cookies(
        [{"name": k, "value": v, "url": server.url} for k, v in host.cookies.items()]
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch(page)
    page.goto(server.url + "/host")
    return page, watch


def test_the_form_sets_teams_and_round_values_with_a_live_summary(
    browser: Browser, server: LiveServer, hosting: requests.Session
) -> None:
    page, watch = logged_in(browser, server, hosting)
    page.check("input[name=template][value=mini]")
    summary = page.locator("#setup-summary")
    expect(summary).to_contain_text("4 支队伍")
    page.fill("input[name=title]", "表单赛")
    names = page.locator("#team-rows input[name=team_name]")
    page.locator("#team-rows li").nth(3).get_by_role("button").click()
    page.locator("#team-rows li").nth(2).get_by_role("button").click()
    expect(names).to_have_count(2)
    page.click("#add-team")
    names.nth(2).fill("山南支队")
    expect(summary).to_contain_text("3 支队伍")
    page.fill("input[data-round='1'][data-field=buzz_window_seconds]", "6")
    page.fill("input[data-round='1'][data-field=count]", "2")
    expect(summary).to_contain_text("抢答题：2 题，抢答窗口 6 秒")
    page.fill("input[data-round='1'][data-field=answer_seconds]", "0")
    page.click("#create-form button[type=submit]")
    expect(page.locator("#create-error")).to_contain_text("rounds/1/answer_seconds")
    page.fill("input[data-round='1'][data-field=answer_seconds]", "20")
    page.click("#create-form button[type=submit]")
    page.wait_for_url(re.compile(r"/host/[A-Z0-9]{6}$"))
    code = page.url.rsplit("/", 1)[1]
    found = hosting.get(f"{server.url}/api/contests/{code}", timeout=10).json()
    assert [team["name"] for team in found["teams"]] == ["拉萨支队", "日喀则支队", "山南支队"]
    assert [team["id"] for team in found["teams"]][:2] == ["lhasa", "shigatse"]
    # The refused first try is logged by the browser itself; nothing else may be.
    assert [error for error in watch.errors if "status of 400" not in error] == []
    assert watch.foreign == []


def test_the_console_removes_and_moves_members_and_warns_of_an_empty_team(
    browser: Browser, server: LiveServer, hosting: requests.Session
) -> None:
    code = server.create_contest(hosting)["code"]
    for team, name in (("lhasa", "达瓦"), ("lhasa", "白玛"), ("shigatse", "次仁")):
        server.join(code, team, name)
    page, watch = logged_in(browser, server, hosting)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    page.goto(f"{server.url}/host/{code}")
    teams = page.locator("#hc-teams .team-list > li")
    lhasa, ngari = teams.nth(0), teams.nth(3)
    expect(lhasa.locator(".lobby-member")).to_have_count(2)
    lhasa.locator(".lobby-member", has_text="达瓦").get_by_role("button", name="移除").click()
    expect(lhasa.locator(".lobby-member")).to_have_count(1)
    assert dialogs[-1] == "移除队员「达瓦」？这台手机将退出比赛。"
    lhasa.locator(".lobby-member", has_text="白玛").locator("select").select_option("ngari")
    expect(ngari.locator(".lobby-member", has_text="白玛")).to_have_count(1)
    expect(lhasa.locator(".lobby-member")).to_have_count(0)
    page.locator("#hc-commands button", has_text="开始下一轮").click()
    expect(page.locator("#hc-state")).not_to_contain_text("等待开赛")
    assert dialogs[-1] == "这些队伍还没有队员：拉萨支队、林芝支队。仍然开始第一轮？"
    expect(page.locator("#hc-teams .lobby-member")).to_have_count(0)
    expect(page.locator("#hc-teams .member-names").first).to_contain_text("次仁")
    assert watch.errors == []


def test_the_projector_lobby_shows_the_qr_and_who_has_joined_as_they_join(
    browser: Browser, server: LiveServer, hosting: requests.Session
) -> None:
    created = server.create_contest(hosting)
    code = created["code"]
    server.join(code, "lhasa", "卓玛")
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch(page)
    page.goto(f"{server.url}/screen/{code}?key={created['screen_key']}")
    # Members join by their own team's code, so the hall's QR leads to the audience page.
    expect(page.locator(".lobby-qr img")).to_have_attribute("src", f"/qr/watch/{code}.svg")
    expect(page.locator(".lobby-join")).to_have_text(
        "各队队员：请扫描本队的入队二维码（向主持人领取）"
    )
    expect(page.locator(".lobby-url")).to_have_text(f"{server.url}/watch/{code}")
    qr = requests.get(f"{server.url}/qr/watch/{code}.svg", timeout=10)
    assert qr.headers["Content-Type"].startswith("image/svg+xml")
    lhasa = page.locator(".lobby-team[data-team=lhasa]")
    shigatse = page.locator(".lobby-team[data-team=shigatse]")
    expect(lhasa).to_contain_text("拉萨支队 (1)")
    expect(lhasa.locator(".lobby-names")).to_have_text("卓玛")
    expect(shigatse.locator(".lobby-names")).to_have_text("还没有人加入")
    server.join(code, "shigatse", "次仁")
    expect(shigatse.locator(".lobby-names")).to_have_text("次仁")
    assert watch.errors == []
    assert watch.foreign == []


def test_the_form_and_the_lobby_list_pass_axe_in_both_languages(
    browser: Browser, server: LiveServer, hosting: requests.Session
) -> None:
    code = server.create_contest(hosting)["code"]
    server.join(code, "lhasa", "达瓦")
    page, watch = logged_in(browser, server, hosting)
    found: list[str] = []
    for lang in ("zh", "en"):
        page.evaluate(f"localStorage.setItem('leitai.lang', '{lang}')")
        settled(page, server.url + "/host")
        page.click("#add-team")
        found += problems(page, f"/host ({lang})")
        settled(page, f"{server.url}/host/{code}")
        expect(page.locator("#hc-teams .lobby-member")).to_have_count(1)
        found += problems(page, f"/host/{code} ({lang})")
    assert found == []
    assert watch.errors == []


def test_a_phone_hears_a_taken_name_and_its_removal_in_chinese(
    browser: Browser, server: LiveServer, hosting: requests.Session
) -> None:
    code = server.create_contest(hosting)["code"]
    server.join(code, "lhasa", "卓玛")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch = Watch(page)
    page.goto(f"{server.url}/join/{code}")
    page.fill("#team-code-input", server.team_code(code, "lhasa") or "")
    page.fill("#name-input", "卓玛")
    page.click("#join-btn")
    expect(page.locator("#join-error")).to_have_text(
        "这支队伍已有同名队员，请换一个名字（例如加上姓或编号）。"
    )
    page.fill("#name-input", "次仁")
    page.click("#join-btn")
    page.wait_for_url(re.compile(r"/play"))
    expect(page.locator(".welcome-msg")).to_be_visible()  # the snapshot came: it is connected
    player = next(
        member["id"]
        for team in hosting.get(f"{server.url}/api/contests/{code}", timeout=10).json()["teams"]
        for member in team.get("member_names", [])
        if member["name"] == "次仁"
    )
    hosting.delete(f"{server.url}/api/contests/{code}/members/{player}", timeout=10)
    expect(page.locator(".noseat-text")).to_have_text(
        "主持人已将你移出比赛。如需参赛，请重新加入。"
    )
    expect(page.locator(".noseat a")).to_have_attribute("href", f"/join/{code}")
    assert [error for error in watch.errors if "status of 409" not in error] == []


def test_the_form_sends_the_sheets_venue_organiser_and_host(
    browser: Browser, server: LiveServer, hosting: requests.Session
) -> None:
    page, watch = logged_in(browser, server, hosting)
    page.check("input[name=template][value=mini]")
    page.fill("input[name=title]", "地点赛")
    page.get_by_label("地点").fill("  拉萨支队训练基地 ")
    page.get_by_label("主办单位").fill("西藏消防救援总队")
    page.get_by_label("主持人").fill("次仁")
    page.click("#create-form button[type=submit]")
    page.wait_for_url(re.compile(r"/host/[A-Z0-9]{6}$"))
    code = page.url.rsplit("/", 1)[1]
    sheet = hosting.get(f"{server.url}/contests/{code}/print", timeout=10).text
    assert '<dd data-detail="venue">拉萨支队训练基地</dd>' in sheet
    assert '<dd data-detail="organiser">西藏消防救援总队</dd>' in sheet
    assert '<dd data-detail="host_name">次仁</dd>' in sheet
    assert watch.errors == []
