"""A real `quiz serve` process and recording python-socketio clients, for the live-contest tests."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import socketio
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

TEMPLATES = Path(__file__).with_name("templates")
CONTEST_BANKS = ["party-history", "tibet-history", "fire-rescue", "tibet-geography"]
PASSWORD = "test-password-123"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token(page: str) -> str:
    """The CSRF token in a page's ``<meta name="csrf-token">``."""
    found = CSRF_META.search(page)
    assert found is not None, f"no csrf-token meta in the page: {page[:300]}"
    return found.group(1)


def close_adapters(adapters: list[Any]) -> None:
    """Close a dropped session's connection pools."""
    for adapter in adapters:
        adapter.close()


class PageSession(requests.Session):
    """An HTTP client that acts as a page of the server: before each POST, PUT, PATCH or
    DELETE it reads the CSRF token from a fresh page (a login renews the session, and with it
    the token) and sends it as ``X-CSRFToken`` with the session cookie."""

    def __init__(self) -> None:
        super().__init__()
        # Closed when dropped, so that a one-off ``PageSession().post(...)`` leaves no socket
        # open (an unclosed socket's ResourceWarning fails the test run).
        weakref.finalize(self, close_adapters, list(self.adapters.values()))

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        verb = method.decode() if isinstance(method, bytes) else method
        if verb.upper() in STATE_CHANGING:
            parts = urlsplit(url.decode() if isinstance(url, bytes) else url)
            origin = f"{parts.scheme}://{parts.netloc}"
            page = super().request("GET", f"{origin}/login", timeout=10)
            kwargs["headers"] = {
                **(kwargs.get("headers") or {}),
                "X-CSRFToken": csrf_token(page.text),
                # As a browser sends it (Referrer-Policy: same-origin); over HTTPS the CSRF check
                # also wants the request to come from a page of the same origin.
                "Referer": f"{origin}/login",
            }
        return super().request(method, url, *args, **kwargs)


class PageClient(FlaskClient):
    """Flask's test client acting as a page, like :class:`PageSession` (``app.test_client_class
    = PageClient``)."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        if str(kwargs.get("method", "GET")).upper() in STATE_CHANGING:
            page = super().open("/login")
            kwargs["headers"] = {
                **(kwargs.get("headers") or {}),
                "X-CSRFToken": csrf_token(page.text),
            }
        return super().open(*args, **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Poll until ``condition()`` is truthy; fail the test with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")


@dataclass
class LiveServer:
    """One server process on a free port with a data folder of its own."""

    data_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None
    log_path: Path | None = None
    hosting: requests.Session | None = None  # the host's login that team_code reads with

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        env = {
            **os.environ,
            "QUIZ_DATA_DIR": str(self.data_dir),
            "QUIZ_TEMPLATES_DIR": str(TEMPLATES),
        }
        env.pop("QUIZ_DATABASE_URL", None)
        return {**env, **self.extra_env}

    def set_password(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "quiz.cli", "admin", "set-password", "--password", PASSWORD],
            env=self.environment(),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        self.log_path = self.data_dir / f"server-{time.monotonic_ns()}.log"
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "quiz", "serve", "--port", str(self.port)],
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
        wait_until(self._answers, timeout=60, what=f"the server on {self.url}")

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"the server exited: {self.log()}")
        try:
            return requests.get(self.url + "/api/contests/NONE", timeout=1).status_code == 404
        except requests.RequestException:
            return False

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path else ""

    def kill(self) -> None:
        """SIGKILL: no cleanup of any kind runs in the server."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def host(self) -> requests.Session:
        """An HTTP session logged in as the host."""
        session = PageSession()
        answer = session.post(
            self.url + "/login", data={"password": PASSWORD}, allow_redirects=False, timeout=10
        )
        assert answer.status_code == 303, answer.text
        return session

    def create_contest(
        self, host: requests.Session, template: str = "mini", **extra: Any
    ) -> dict[str, str]:
        answer = host.post(
            self.url + "/api/contests",
            json={
                "title": "测试赛",
                "template": template,
                "banks": CONTEST_BANKS,
                "seed": 11,
                **extra,
            },
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        created: dict[str, str] = answer.json()
        return created

    def team_code(self, code: str, team: str) -> str | None:
        """A team's join code as the host's console reads it (None in an open contest)."""
        if self.hosting is None:
            self.hosting = self.host()
        answer = self.hosting.get(f"{self.url}/api/contests/{code}", timeout=10)
        assert answer.status_code == 200, answer.text
        codes: dict[str, str | None] = {
            entry["id"]: entry.get("join_code") for entry in answer.json()["teams"]
        }
        return codes[team]

    def join(self, code: str, team: str, name: str) -> str:
        body = {"code": code, "team": team, "team_code": self.team_code(code, team), "name": name}
        answer = PageSession().post(self.url + "/api/join", json=body, timeout=10)
        assert answer.status_code == 200, answer.text
        seat: str = answer.json()["seat"]
        return seat


class Recorder:
    """A python-socketio client that keeps every snapshot and update it receives."""

    def __init__(
        self, server: LiveServer, auth: dict[str, Any], host: requests.Session | None = None
    ) -> None:
        self.server = server
        self.auth = auth
        self.messages: list[tuple[str, dict[str, Any]]] = []
        self.lock = threading.Lock()
        self.client = socketio.Client(
            reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1
        )
        self.headers = {}
        if host is not None:
            self.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in host.cookies.items())
        for name in ("snapshot", "update"):
            self.client.on(name, self._keeper(name))
        self.client.on(
            "clock", lambda data: {"id": data["id"], "client_ms": time.time_ns() // 1_000_000}
        )

    def _keeper(self, name: str) -> Callable[[dict[str, Any]], None]:
        def keep(data: dict[str, Any]) -> None:
            with self.lock:
                self.messages.append((name, data))

        return keep

    def connect(self) -> Recorder:
        self.client.connect(
            self.server.url,
            auth=self.auth,
            headers=self.headers,
            transports=["websocket"],
            wait_timeout=10,
        )
        wait_until(self.snapshots, what="the first snapshot")
        return self

    def snapshots(self) -> list[dict[str, Any]]:
        with self.lock:
            return [data for name, data in self.messages if name == "snapshot"]

    def view(self) -> dict[str, Any]:
        """The newest view this client holds (every message carries a full one)."""
        with self.lock:
            newest = max(self.messages, key=lambda message: message[1]["seq"])
            return dict(newest[1]["view"])

    def seq(self) -> int:
        with self.lock:
            return max((data["seq"] for _, data in self.messages), default=0)

    def call(self, event: str, payload: Any = None) -> dict[str, Any]:
        answer: dict[str, Any] = self.client.call(event, payload, timeout=10)
        return answer

    def close(self) -> None:
        self.client.disconnect()


def close_all(*recorders: Recorder) -> None:
    """Disconnect clients in parallel (each websocket close waits about 3 s for the server)."""
    threads = [threading.Thread(target=recorder.close) for recorder in recorders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


@contextlib.contextmanager
def server_with_templates(
    root: Path, templates: dict[str, str], *, web_templates: bool = False
) -> Iterator[LiveServer]:
    """A started server (host password set) in ``root`` whose templates are ``templates`` (name
    -> YAML text), after the web tests' own ones when ``web_templates``."""
    folder = root / "templates"
    if web_templates:
        shutil.copytree(TEMPLATES, folder)
    else:
        folder.mkdir()
    for name, text in templates.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    data = root / "data"
    data.mkdir()
    live = LiveServer(data, extra_env={"QUIZ_TEMPLATES_DIR": str(folder)})
    live.set_password()
    live.start()
    try:
        yield live
    finally:
        live.stop()
