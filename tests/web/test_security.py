"""Attacks from other sites on a real server: forged requests (CSRF) from a page on another port,
JSON sent as a text/plain form, Socket.IO connects from a foreign Origin, open redirects after
login, the security headers, and spreadsheet formulas in the results downloads."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
import socketio
import websocket
from openpyxl import load_workbook

from quiz.web.result_sheets import inert_cell
from quiz.web.security import CONTENT_SECURITY_POLICY, origin_check, safe_target
from tests.helpers import bank_text, question
from tests.web.live import PASSWORD, LiveServer, PageSession, Recorder, close_all, csrf_token

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser

# http, not https: an https PUBLIC_URL makes the cookie Secure, and these tests speak plain HTTP.
PUBLIC_URL = "http://leitai.example.org"
FOREIGN = "http://evil.example"
FORMULAS = ("=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(1)", "\tTAB", "\rCR")
ATTACKER_PASSWORD = "open=sesame1"  # the "=" lets a text/plain form carry a JSON body


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("security"), {"QUIZ_PUBLIC_URL": PUBLIC_URL})
    live.set_password()
    live.start()
    yield live
    live.stop()


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/%09/evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/%2F/evil.example",
        "/%5Cevil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/host\r\nSet-Cookie: x=1",
        "/host%0d%0aSet-Cookie: x=1",
        " /host",
        "",
    ],
)
def test_only_a_same_site_path_is_a_target(target: str) -> None:
    assert safe_target(target) is None


@pytest.mark.parametrize("target", ["/", "/host", "/host/K7QX2M", "/contests/K7QX2M/results?x=1"])
def test_a_path_of_this_site_is_kept(target: str) -> None:
    assert safe_target(target) == target


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/\t/evil.example", "/host"),
        ("/%09/evil.example", "/host"),
        ("//evil.example", "/host"),
        ("/\\evil.example", "/host"),
        ("/host\r\nSet-Cookie: x=1", "/host"),
        ("https://evil.example/", "/host"),
        ("/admin/banks", "/admin/banks"),
    ],
)
def test_login_goes_only_to_a_path_of_this_site(
    server: LiveServer, target: str, location: str
) -> None:
    http = PageSession()
    answer = http.post(
        server.url + "/login",
        params={"next": target},
        data={"password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert (answer.status_code, answer.headers.get("Location")) == (303, location)


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_starts_like_a_formula_gets_a_quote(text: str) -> None:
    assert inert_cell(text) == "'" + text
    assert inert_cell("拉萨支队") == "拉萨支队"
    assert inert_cell(-5) == -5


def test_origin_check_accepts_the_own_and_the_public_origin_only() -> None:
    allow = origin_check([PUBLIC_URL + "/some/path", ""])
    own = {"wsgi.url_scheme": "http", "HTTP_HOST": "192.168.1.20:5000"}
    assert allow("http://192.168.1.20:5000", own)
    assert allow(PUBLIC_URL, own)
    assert allow(None, own)  # not a browser: nothing to check
    spoofed = {**own, "HTTP_X_FORWARDED_HOST": "evil.example", "HTTP_X_FORWARDED_PROTO": "http"}
    for origin in (FOREIGN, "http://192.168.1.20:5001", "https://192.168.1.20:5000", "null"):
        assert not allow(origin, own), origin
    assert not allow(FOREIGN, spoofed)


def connects(server: LiveServer, code: str, origin: str, transport: str, **headers: str) -> bool:
    """Whether a connection sending ``Origin: origin`` is accepted: an audience's Socket.IO
    connection by long-polling, an Engine.IO websocket's open packet."""
    if transport == "websocket":
        url = server.url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        lines = [f"{name}: {value}" for name, value in headers.items()]
        ws = websocket.WebSocket()
        try:
            ws.connect(url, origin=origin, header=lines, timeout=10)
            # A refused upgrade fails the handshake, or (when the server upgraded before
            # engine.io saw the Origin) closes without Engine.IO's open packet.
            return str(ws.recv()).startswith("0")
        except (websocket.WebSocketException, OSError):
            return False
        finally:
            ws.close()
            if ws.sock is not None:  # a failed handshake leaves its socket open
                ws.sock.close()
    client = socketio.Client(reconnection=False)
    try:
        client.connect(
            server.url,
            auth={"role": "audience", "contest": code},
            headers={**headers, "Origin": origin},
            transports=["polling"],
            wait_timeout=10,
        )
    except socketio.exceptions.ConnectionError:
        return False
    else:
        client.disconnect()
        return True
    finally:
        if client.eio.http is not None:
            client.eio.http.close()


@pytest.mark.parametrize("transport", ["polling", "websocket"])
def test_socket_connects_from_a_foreign_origin_are_refused(
    server: LiveServer, transport: str
) -> None:
    code = server.create_contest(server.host())["code"]
    assert connects(server, code, server.url, transport)
    assert connects(server, code, PUBLIC_URL, transport)
    assert not connects(server, code, FOREIGN, transport)
    assert not connects(server, code, "http://127.0.0.1:1", transport)
    # A forwarded host is no proof of origin: only the Host the request came to counts.
    assert not connects(server, code, FOREIGN, transport, **{"X-Forwarded-Host": "evil.example"})
    assert "refused a Socket.IO connection from Origin 'http://evil.example'" in server.log()


def test_state_changes_without_the_token_are_refused_with_a_code(server: LiveServer) -> None:
    host = server.host()
    bank = bank_text(question(id="csrf-q"), id="csrf-plain")
    upload = {"file": ("bank.yaml", bank.encode(), "text/yaml")}
    bare = requests.Session()
    bare.cookies.update(host.cookies)  # the host's own cookie, as a forged request carries it
    refused = bare.post(server.url + "/api/banks/import", files=upload, timeout=30)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert "刷新页面" in refused.json()["error"]["message"]
    wrong = bare.post(
        server.url + "/api/banks/import",
        files=upload,
        headers={"X-CSRFToken": "forged"},
        timeout=30,
    )
    assert wrong.json()["error"]["code"] == "csrf_failed"
    assert "csrf-plain" not in host.get(server.url + "/admin/banks", timeout=10).text
    form = bare.post(server.url + "/logout", allow_redirects=False, timeout=10)
    assert form.status_code == 403
    assert form.headers["Content-Type"].startswith("text/html")
    assert "刷新页面" in form.text
    bare.close()
    assert host.get(server.url + "/host", allow_redirects=False, timeout=10).status_code == 200
    # The same upload with the page's token goes through.
    accepted = host.post(server.url + "/api/banks/import", files=upload, timeout=30)
    assert accepted.json()["ok"] is True


def test_a_json_api_refuses_a_body_that_is_not_sent_as_json(server: LiveServer) -> None:
    http = PageSession()
    fields = {"name": "卓玛", "detachment": "拉萨支队", "password": "brave-firefighter-1"}
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"Content-Type": content_type} if content_type else {}
        answer = http.post(
            server.url + "/api/practice/register",
            data=json.dumps(fields).encode(),
            headers=headers,
            timeout=10,
        )
        assert answer.status_code == 415, content_type
        assert answer.json()["error"]["code"] == "bad_content_type"
    joined = http.post(
        server.url + "/api/join",
        data=json.dumps({"code": "ZZZZZZ", "team": "x", "name": "y"}),
        headers={"Content-Type": "text/plain"},
        timeout=10,
    )
    assert (joined.status_code, joined.json()["error"]["code"]) == (415, "bad_content_type")
    assert http.get(server.url + "/api/practice/me", timeout=10).json() == {"user": None}


class AttackerSite:
    """A page on another port of the same address: same site, other origin, its own script."""

    def __init__(self, page: str) -> None:
        body = page.encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def attack_page(target: str, bank: str) -> str:
    """Forged requests to ``target``: a bank import by fetch() and two auto-submitted forms."""
    name, value = json.dumps({"name": "攻击者", "password": ATTACKER_PASSWORD}).split("=", 1)
    return f"""<!doctype html><html><body>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe>
<form id="guest" method="post" action="{target}/api/practice/guest" target="sink1"></form>
<form id="login" method="post" enctype="text/plain" action="{target}/api/practice/login"
  target="sink2"><input name='{name}' value='{value}'></form>
<script>
(async () => {{
  const bank = new FormData();
  bank.append("file", new Blob([{json.dumps(bank)}], {{type: "text/yaml"}}), "bank.yaml");
  await fetch("{target}/api/banks/import",
    {{method: "POST", body: bank, mode: "no-cors", credentials: "include"}});
  document.getElementById("guest").submit();
  document.getElementById("login").submit();
  document.title = "sent";
}})();
</script></body></html>"""


def test_forged_requests_from_a_page_on_another_port_change_nothing(
    browser: Browser, server: LiveServer
) -> None:
    PageSession().post(
        server.url + "/api/practice/register",
        json={"name": "攻击者", "detachment": "日喀则支队", "password": ATTACKER_PASSWORD},
        timeout=10,
    ).raise_for_status()
    context = browser.new_context()
    try:
        token = csrf_token(context.request.get(server.url + "/login").text())
        login = context.request.post(
            server.url + "/login", form={"password": PASSWORD, "csrf_token": token}
        )
        assert login.ok
        token = csrf_token(context.request.get(server.url + "/login").text())
        player = context.request.post(
            server.url + "/api/practice/register",
            data={"name": "次仁", "detachment": "拉萨支队", "password": "brave-firefighter-1"},
            headers={"X-CSRFToken": token},
        )
        assert player.status == 201, player.text()
        me = player.json()["user"]
        bank = bank_text(question(id="csrf-q"), id="csrf-forged")
        site = AttackerSite(attack_page(server.url, bank))
        try:
            page = context.new_page()
            answered: dict[str, int] = {}
            page.on(
                "response",
                lambda response: answered.update(
                    {response.url.removeprefix(server.url): response.status}
                ),
            )
            page.goto(site.url)
            page.wait_for_function("document.title === 'sent'")
            page.wait_for_load_state("networkidle")
            forged = ("/api/banks/import", "/api/practice/guest", "/api/practice/login")
            assert {path: answered.get(path) for path in forged} == dict.fromkeys(forged, 403)
        finally:
            site.close()
        still = context.request.get(server.url + "/api/practice/me").json()
        assert still == {"user": me}
        banks = context.request.get(server.url + "/admin/banks")
        assert banks.ok
        assert "csrf-forged" not in banks.text()
        assert context.request.get(server.url + "/host", max_redirects=0).status == 200
    finally:
        context.close()


def test_every_response_carries_the_security_headers(server: LiveServer) -> None:
    host = server.host()
    code = server.create_contest(host)["code"]
    paths = (
        "/",
        "/login",
        "/join",
        "/practice",
        f"/qr/{code}.svg",
        "/static/js/common.js",
        "/api/contests/" + code,
        "/api/contests/NONE",
        "/api/practice/me",
        "/no/such/page",
        f"/contests/{code}/results",
        f"/contests/{code}/results.csv",
        f"/contests/{code}/ledger.csv",
        f"/contests/{code}/results.xlsx",
        f"/host/{code}",
    )
    for path in paths:
        answer = host.get(server.url + path, timeout=10)
        headers = answer.headers
        assert headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        assert headers.get("X-Content-Type-Options") == "nosniff", path
        assert headers.get("Referrer-Policy") == "same-origin", path
        assert headers.get("X-Frame-Options") == "DENY", path
    refused = requests.post(server.url + "/api/practice/guest", timeout=10)
    assert refused.headers.get("X-Content-Type-Options") == "nosniff"


def test_spreadsheet_formulas_in_names_and_notes_stay_text(server: LiveServer) -> None:
    host = server.host()
    teams = [{"id": f"t{n}", "name": name} for n, name in enumerate(FORMULAS[:4])]
    # Names and notes are trimmed, so a leading tab or CR never reaches a sheet from them.
    code = server.create_contest(host, teams=teams, title='=HYPERLINK("http://evil")')["code"]
    driver = Recorder(server, {"role": "host", "contest": code}, host).connect()
    try:
        assert driver.call("command", {"type": "StartRound"})["ok"]
        for note in FORMULAS[:4]:
            adjust = {"type": "AdjustScore", "team": "t0", "delta": 1, "note": note}
            assert driver.call("command", adjust)["ok"], note
    finally:
        close_all(driver)

    def table(name: str) -> list[list[str]]:
        answer = host.get(f"{server.url}/contests/{code}/{name}", timeout=10)
        assert answer.status_code == 200
        return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))

    standings = table("results.csv")
    assert sorted(row[1] for row in standings[1:]) == sorted("'" + n for n in FORMULAS[:4])
    ledger = table("ledger.csv")
    notes = [row[-1] for row in ledger[1:] if row[-1]]
    assert notes == ["'" + note for note in FORMULAS[:4]], notes
    assert "'=cmd|' /C calc'!A0" in [row[6] for row in ledger[1:]]
    numbers = [row[-2] for row in ledger[1:]]
    assert all(not value.startswith("'") for value in numbers)  # points stay numbers

    answer = host.get(f"{server.url}/contests/{code}/results.xlsx", timeout=30)
    book = load_workbook(io.BytesIO(answer.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert set(FORMULAS[:4]) <= texts
    assert '=HYPERLINK("http://evil") 成绩单' in texts


def test_pages_report_no_content_security_policy_violation(
    browser: Browser, server: LiveServer
) -> None:
    from tests.web.test_accessibility import (  # noqa: PLC0415 - shares its page list
        anyone_pages,
        host_pages,
    )

    host = server.host()
    created = server.create_contest(host)
    code, key = created["code"], created["screen_key"]
    seat = server.join(code, "lhasa", "卓玛")
    context = browser.new_context()
    context.add_init_script(
        "window.__csp = [];"
        "document.addEventListener('securitypolicyviolation', (e) => window.__csp.push("
        "`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"
    )
    try:
        token = csrf_token(context.request.get(server.url + "/login").text())
        login = context.request.post(
            server.url + "/login", form={"password": PASSWORD, "csrf_token": token}
        )
        assert login.ok
        page = context.new_page()
        console: list[str] = []
        page.on(
            "console",
            lambda message: (
                console.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        found: dict[str, list[str]] = {}
        paths = [*anyone_pages(code, key), *host_pages(code), "/practice", "/play"]
        for path in paths:
            answer = page.goto(server.url + path)
            assert answer is not None
            assert answer.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY
            if path == "/play":
                page.evaluate(
                    "([seat, code]) => { localStorage.setItem('leitai.seat', seat);"
                    " localStorage.setItem('leitai.contest', code); }",
                    [seat, code],
                )
                page.reload()
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(200)
            seen = page.evaluate("window.__csp")
            if seen:
                found[path] = seen
        assert found == {}
        assert console == []
        # The listener hears a violation: an inline style attribute is refused.
        page.evaluate("document.body.setAttribute('style', 'color: red')")
        page.wait_for_timeout(200)
        assert page.evaluate("window.__csp.length") == 1
    finally:
        context.close()
