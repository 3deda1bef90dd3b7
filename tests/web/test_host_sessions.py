"""Host logins that end: after logout or a new password a copied cookie opens nothing and an open
host socket is refused and closed; wrong host passwords back off; the host sets the hall's
sign-in limit on /host."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from flask import Flask

from quiz.app.host_auth import set_host_password
from quiz.web import create_app
from tests.web.live import (
    CONTEST_BANKS,
    PASSWORD,
    LiveServer,
    PageClient,
    Recorder,
    wait_until,
)
from tests.web.practice_fixtures import Clock, bank_database, practice_app

with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, expect

HOST_PASSWORD = "host-password"


@pytest.fixture(scope="module")
def banks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bank_database(tmp_path_factory.mktemp("banks"))


def copy_of(host: requests.Session) -> requests.Session:
    """Another browser holding the same cookies (a stolen or left-behind cookie)."""
    copy = requests.Session()
    copy.cookies.update(host.cookies)
    return copy


def opens_host_page(server: LiveServer, browser: requests.Session) -> bool:
    answer = browser.get(server.url + "/host", allow_redirects=False, timeout=10)
    assert answer.status_code in (200, 302), answer.text
    return answer.status_code == 200


def test_a_logged_out_cookie_opens_nothing(server: LiveServer) -> None:
    host = server.host()
    stolen = copy_of(host)
    other_login = server.host()
    assert opens_host_page(server, stolen)
    host.post(server.url + "/logout", timeout=10)
    assert not opens_host_page(server, stolen)
    api = stolen.get(server.url + "/api/templates", timeout=10)
    assert (api.status_code, api.json()["error"]["code"]) == (401, "unauthorized")
    # Logging out ends this login only.
    assert opens_host_page(server, other_login)


def test_a_new_password_ends_every_host_login(server: LiveServer) -> None:
    logins = [server.host(), server.host()]
    assert all(opens_host_page(server, login) for login in logins)
    server.set_password()  # `quiz admin set-password` in another process, the server running
    assert not any(opens_host_page(server, login) for login in logins)
    assert opens_host_page(server, server.host())


def test_an_open_host_socket_is_closed_after_logout(server: LiveServer) -> None:
    host = server.host()
    code = server.create_contest(host)["code"]
    console = Recorder(server, {"role": "host", "contest": code}, host)
    notices: list[Any] = []
    console.client.on("notice", notices.append)
    console.connect()
    assert console.call("command", {"type": "StartRound"})["ok"]
    host.post(server.url + "/logout", timeout=10)
    # Closed although it sends nothing: it would go on receiving the host's view, keys and all.
    wait_until(lambda: not console.client.connected, what="the host socket closed")
    assert notices[0]["code"] == "unauthorized"
    assert "重新登录" in notices[0]["message"]
    again = Recorder(server, {"role": "host", "contest": code}, host)
    refusals: list[Any] = []
    again.client.on("connect_error", refusals.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        again.connect()
    assert refusals[0]["data"]["code"] == "unauthorized"
    console.close()


def test_the_console_goes_to_the_login_page_when_its_login_is_ended(
    browser: Browser, server: LiveServer
) -> None:
    http = server.host()
    code = server.create_contest(http)["code"]
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{server.url}/login")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.login-card button[type=submit]").click()
    page.wait_for_url(f"{server.url}/host")
    page.goto(f"{server.url}/host/{code}")
    expect(page.locator("#hc-state .phase-lobby")).to_be_visible()
    server.set_password()
    # The server closes the console's socket, its reconnect is refused, and the page asks for
    # the password again, coming back to this console after it.
    page.wait_for_url(re.compile(rf"/login\?next=.*{code}"), timeout=30_000)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.login-card button[type=submit]").click()
    page.wait_for_url(f"{server.url}/host/{code}")
    expect(page.locator("#hc-state .phase-lobby")).to_be_visible()


def test_a_host_command_after_logout_gets_a_coded_refusal(banks: Path, tmp_path: Path) -> None:
    app = practice_app(banks, tmp_path, Clock())
    set_host_password(app.extensions["leitai"].sessions, HOST_PASSWORD)
    http = app.test_client()
    assert http.post("/login", data={"password": HOST_PASSWORD}).status_code == 303
    created = http.post(
        "/api/contests", json={"title": "测试赛", "template": "classic", "banks": CONTEST_BANKS}
    )
    auth = {"role": "host", "contest": created.json["code"]}  # type: ignore[index]
    # In process, without the server's timer loop: the refusal comes from the command itself.
    console = app.extensions["socketio"].test_client(app, auth=auth, flask_test_client=http)
    assert console.emit("command", {"type": "StartRound"}, callback=True)["ok"]
    http.post("/logout")
    ack = console.emit("command", {"type": "EndRound"}, callback=True)
    assert (ack["ok"], ack["code"]) == (False, "unauthorized")
    assert "重新登录" in ack["message"]


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'leitai.sqlite3'}", "TESTING": True})
    app.test_client_class = PageClient
    set_host_password(app.extensions["leitai"].sessions, HOST_PASSWORD)
    return app


def test_wrong_host_passwords_back_off_per_address(app: Flask) -> None:
    client = app.test_client()
    statuses = [
        client.post("/login", data={"password": "wrong-guess"}).status_code for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    waiting = client.post("/login", data={"password": HOST_PASSWORD})
    assert waiting.status_code == 429
    assert int(waiting.headers["Retry-After"]) >= 1
    assert "秒后再试" in waiting.text
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert elsewhere.post("/login", data={"password": HOST_PASSWORD}).status_code == 303


def test_the_host_sets_the_halls_sign_in_limit(app: Flask) -> None:
    client = app.test_client()
    assert client.post("/host/limits", data={"per_minute": "500"}).status_code == 302
    client.post("/login", data={"password": HOST_PASSWORD})
    assert 'name="per_minute" min="1" max="100000" value="120"' in client.get("/host").text
    saved = client.post("/host/limits", data={"per_minute": "500"})
    assert saved.status_code == 303
    assert 'value="500"' in client.get(saved.headers["Location"]).text
    assert app.extensions["leitai.sign_ins"].per_minute() == 500
    for bad in ("0", "-3", "lots", "100001"):
        assert client.post("/host/limits", data={"per_minute": bad}).status_code == 400
    assert app.extensions["leitai.sign_ins"].per_minute() == 500
