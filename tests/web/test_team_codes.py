"""Only a team's own members join it: per-team join codes over HTTP, sockets and in Chromium."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.web.browsers import Watch
from tests.web.live import LiveServer, PageSession, Recorder, close_all

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, expect

TIMEOUT_MS = 15_000
TEAMS = ("lhasa", "shigatse", "nyingchi", "ngari")


@pytest.fixture(scope="module")
def hosting(server: LiveServer) -> Iterator[requests.Session]:
    """One host login for the module: the server allows few login attempts a minute."""
    session = server.host()
    yield session
    session.close()


def hosts_view(server: LiveServer, host: requests.Session, code: str) -> dict[str, Any]:
    answer = host.get(f"{server.url}/api/contests/{code}", timeout=10)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def codes_of(server: LiveServer, host: requests.Session, code: str) -> dict[str, str]:
    return {team["id"]: team["join_code"] for team in hosts_view(server, host, code)["teams"]}


def post_join(server: LiveServer, **body: Any) -> requests.Response:
    return PageSession().post(f"{server.url}/api/join", json=body, timeout=10)


def refusal(answer: requests.Response) -> tuple[int, str]:
    return answer.status_code, answer.json()["error"]["code"]


def test_a_team_is_joined_over_http_only_with_its_own_code(
    server: LiveServer, hosting: requests.Session
) -> None:
    code = server.create_contest(hosting)["code"]
    codes = codes_of(server, hosting, code)
    assert hosts_view(server, hosting, code)["join"] == "team_code"
    # What anyone could do before: the contest code off the projector and a team's id.
    assert refusal(post_join(server, code=code, team="lhasa", name="路人")) == (
        403,
        "wrong_team_code",
    )
    for wrong in ("AAAAA", codes["shigatse"]):
        answer = post_join(server, code=code, team="lhasa", team_code=wrong, name="路人")
        assert refusal(answer) == (403, "wrong_team_code")
        assert "队伍码" in answer.json()["error"]["message"]
    joined = post_join(server, code=code, team_code=codes["lhasa"].lower(), name="卓玛")
    assert joined.status_code == 200, joined.text
    assert (joined.json()["team"], joined.json()["team_name"]) == ("lhasa", "拉萨支队")
    teams = hosts_view(server, hosting, code)["teams"]
    assert [team["members"] for team in teams] == [1, 0, 0, 0]
    bad_type = post_join(server, code=code, team_code=5, name="卓玛")
    assert refusal(bad_type) == (400, "bad_payload")


def test_no_view_but_the_hosts_carries_a_team_code(
    server: LiveServer, hosting: requests.Session
) -> None:
    created = server.create_contest(hosting)
    code, key = created["code"], created["screen_key"]
    codes = codes_of(server, hosting, code)
    seat = server.join(code, "lhasa", "卓玛")
    anyone = requests.Session()
    seen = {
        "public": anyone.get(f"{server.url}/api/contests/{code}", timeout=10).text,
        "projector": anyone.get(f"{server.url}/api/contests/{code}?key={key}", timeout=10).text,
        "screen page": anyone.get(f"{server.url}/screen/{code}?key={key}", timeout=10).text,
        "watch page": anyone.get(f"{server.url}/watch/{code}", timeout=10).text,
        "join page": anyone.get(f"{server.url}/join/{code}", timeout=10).text,
    }
    clients = [
        Recorder(server, {"role": "screen", "contest": code, "key": key}).connect(),
        Recorder(server, {"role": "audience", "contest": code}).connect(),
        Recorder(server, {"role": "team", "seat": seat}).connect(),
    ]
    try:
        for client in clients:
            role = client.auth["role"]
            seen[f"{role} socket"] = json.dumps(client.snapshots(), ensure_ascii=False)
    finally:
        close_all(*clients)
    for where, text in seen.items():
        assert not [team for team, value in codes.items() if value in text], where
    assert all(value in json.dumps(hosts_view(server, hosting, code)) for value in codes.values())


def test_the_host_renews_a_leaked_code_and_seated_members_stay(
    server: LiveServer, hosting: requests.Session
) -> None:
    code = server.create_contest(hosting)["code"]
    old = codes_of(server, hosting, code)["ngari"]
    seat = server.join(code, "ngari", "扎西")
    renew = f"{server.url}/api/contests/{code}/teams/ngari/join_code"
    assert refusal(PageSession().post(renew, timeout=10)) == (401, "unauthorized")
    answer = hosting.post(renew, timeout=10)
    assert answer.status_code == 200, answer.text
    fresh = answer.json()["join_code"]
    assert answer.json() == {"team": "ngari", "join_code": fresh}
    assert fresh != old
    assert codes_of(server, hosting, code)["ngari"] == fresh
    assert refusal(post_join(server, code=code, team_code=old, name="次仁")) == (
        403,
        "wrong_team_code",
    )
    assert post_join(server, code=code, team_code=fresh, name="次仁").json()["team"] == "ngari"
    phone = Recorder(server, {"role": "team", "seat": seat}).connect()
    assert phone.snapshots()[0]["me"]["team"] == "ngari"
    close_all(phone)
    unknown = hosting.post(f"{server.url}/api/contests/{code}/teams/atlantis/join_code")
    assert refusal(unknown) == (400, "bad_payload")


def test_an_open_contest_is_joined_by_choosing_a_team(
    server: LiveServer, hosting: requests.Session
) -> None:
    code = server.create_contest(hosting, join="open")["code"]
    found = hosts_view(server, hosting, code)
    assert found["join"] == "open"
    assert all("join_code" not in team for team in found["teams"])
    assert post_join(server, code=code, team="shigatse", name="达瓦").json()["team"] == "shigatse"
    renew = hosting.post(f"{server.url}/api/contests/{code}/teams/shigatse/join_code")
    assert refusal(renew) == (409, "no_team_codes")
    bad = hosting.post(
        f"{server.url}/api/contests",
        json={"title": "赛", "template": "mini", "banks": ["party-history"], "join": "anyone"},
        timeout=30,
    )
    assert refusal(bad) == (400, "bad_payload")


def test_the_team_qr_and_the_printed_codes_are_the_hosts(
    server: LiveServer, hosting: requests.Session
) -> None:
    code = server.create_contest(hosting)["code"]
    codes = codes_of(server, hosting, code)
    anyone = requests.Session()
    for path in (f"/qr/{code}/lhasa.svg", f"/host/{code}/team-codes"):
        answer = anyone.get(server.url + path, allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303), path
        assert "/login" in answer.headers["Location"]
    qr = hosting.get(f"{server.url}/qr/{code}/lhasa.svg", timeout=10)
    assert (qr.status_code, qr.headers["Content-Type"]) == (200, "image/svg+xml; charset=utf-8")
    assert qr.headers["Cache-Control"] == "no-store"
    assert hosting.get(f"{server.url}/qr/{code}/atlantis.svg", timeout=10).status_code == 404
    sheet = hosting.get(f"{server.url}/host/{code}/team-codes", timeout=10).text
    for team, value in codes.items():
        assert f"{server.url}/join/{code}?team={value}" in sheet, team
        assert f"/qr/{code}/{team}.svg" in sheet


def test_wrong_codes_from_one_address_are_limited_before_a_guess_can_land(
    tmp_path: Path,
) -> None:
    server = LiveServer(tmp_path)
    server.set_password()
    server.start()
    try:
        host = server.host()
        code = server.create_contest(host)["code"]
        right = codes_of(server, host, code)["lhasa"]
        guesses = [
            post_join(server, code=code, team_code=f"{n:05d}".replace("0", "A"), name="猜")
            for n in range(20)
        ]
        assert {refusal(answer) for answer in guesses} == {(403, "wrong_team_code")}
        limited = post_join(server, code=code, team_code=right, name="卓玛")
        assert refusal(limited) == (429, "rate_limited")
        assert "一分钟" in limited.json()["error"]["message"]
    finally:
        server.stop()


def test_a_phone_scans_its_teams_link_and_lands_on_that_team(
    browser: Browser, server: LiveServer, hosting: requests.Session
) -> None:
    code = server.create_contest(hosting)["code"]
    console = browser.new_context(viewport={"width": 1440, "height": 1000})
    console.add_cookies(
        [{"name": k, "value": v, "url": server.url} for k, v in hosting.cookies.items()]
    )
    host = console.new_page()
    host.set_default_timeout(TIMEOUT_MS)
    host_watch = Watch(host)
    host.goto(f"{server.url}/host/{code}")
    panel = host.locator("#hc-team-codes")
    shigatse = panel.locator('[data-team="shigatse"]')
    expect(shigatse.locator(".team-join-code")).to_have_text(re.compile(r"^[A-Z2-9]{5}$"))
    old = shigatse.locator(".team-join-code").inner_text()
    # A leaked code: the host gives the team a new one (Watch accepts the confirm), and the
    # panel shows it.
    shigatse.get_by_role("button").click()
    expect(shigatse.locator(".team-join-code")).not_to_have_text(old)
    link = shigatse.locator("a.join-link").get_attribute("href")
    assert link is not None
    assert link.endswith(f"/join/{code}?team={codes_of(server, hosting, code)['shigatse']}")
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    phone = phone_context.new_page()
    phone.set_default_timeout(TIMEOUT_MS)
    phone_watch = Watch(phone)
    try:
        # The old code, as a spectator who photographed it would use it, is refused.
        phone.goto(f"{server.url}/join/{code}?team={old}")
        expect(phone.locator("#team-field")).to_be_hidden()
        phone.fill("#name-input", "次仁")
        phone.click("#join-btn")
        expect(phone.locator("#join-error")).to_have_text("队伍码不对：请向主持人核对本队的队伍码")
        # The team's QR carries its link: opened, it needs only a name.
        phone.goto(link)
        expect(phone.locator("#team-code-input")).to_have_value(link.rsplit("=", 1)[1])
        assert "team=" not in phone.url  # the code leaves the address bar
        phone.fill("#name-input", "次仁")
        phone.click("#join-btn")
        phone.wait_for_url(f"{server.url}/play")
        expect(phone.locator("#play-team")).to_have_text("日喀则支队")
        teams = hosts_view(server, hosting, code)["teams"]
        assert [team["members"] for team in teams] == [0, 1, 0, 0]
        assert [e for e in phone_watch.errors if "status of 403" not in e] == []
        assert host_watch.errors == []
    finally:
        phone_context.close()
        console.close()
