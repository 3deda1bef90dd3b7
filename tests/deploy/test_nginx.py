"""The documented deployment, for real: Debian's nginx terminating TLS in front of two `quiz
serve` processes on PostgreSQL and Redis (deploy/nginx/leitai.conf, docs/deploy.md).

A contest and a PK match run through nginx with phones on both processes; one process is
killed mid-question, every phone reconnects through nginx, and nothing is lost.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import requests

from tests.conftest import need_service
from tests.web.live import LiveServer, Recorder, close_all, free_port, wait_until
from tests.web.test_pk import Queue, account, play

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "nginx" / "leitai.conf"
REDIS_URL = "redis://127.0.0.1:6379/8"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Gateway(LiveServer):
    """nginx's address, used like a server by the test helpers; it runs no process of its own."""

    https_port: int = 0

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, as an operator would make for a test hall."""
    cert, key = folder / "leitai.crt", folder / "leitai.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def nginx_config(folder: Path, ports: tuple[int, int], https_port: int) -> Path:
    """deploy/nginx/leitai.conf with this test's ports, inside a minimal nginx.conf."""
    cert, key = certificate(folder)
    site = CONFIG.read_text(encoding="utf-8")
    for placeholder, value in {
        "@PORT_1@": str(ports[0]),
        "@PORT_2@": str(ports[1]),
        "@HTTPS_PORT@": str(https_port),
        "@SERVER_NAME@": "127.0.0.1",
        "@CERTIFICATE@": str(cert),
        "@CERTIFICATE_KEY@": str(key),
    }.items():
        site = site.replace(placeholder, value)
    (folder / "leitai.conf").write_text(site, encoding="utf-8")
    # Run as root (CI), nginx's workers would switch to nobody, who cannot read pytest's folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "events { worker_connections 512; }\n"
        f"http {{\n  access_log {folder}/access.log;\n"
        + "".join(
            f"  {name}_temp_path {folder}/{name};\n"
            for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"  include {folder}/leitai.conf;\n}}\n",
        encoding="utf-8",
    )
    return main


@pytest.fixture
def deployment(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Gateway, LiveServer, LiveServer]]:
    if not Path(NGINX).exists():
        need_service("nginx", "Debian's nginx package is not installed")
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        need_service("Redis", f"{REDIS_URL}: {error}")
    https_port = free_port()
    gateway_url = f"https://127.0.0.1:{https_port}"
    environment = {
        "QUIZ_DATABASE_URL": postgres_url,
        "QUIZ_MESSAGE_QUEUE": REDIS_URL,
        "QUIZ_PUBLIC_URL": gateway_url,
        "QUIZ_TRUSTED_PROXIES": "1",
        "QUIZ_PK_REVEAL_S": "0.3",
        "QUIZ_PK_BOT_AFTER_S": "60",
    }
    first = LiveServer(tmp_path / "a", extra_env=environment)
    second = LiveServer(tmp_path / "b", extra_env=environment)
    nginx_dir = tmp_path / "nginx"
    for folder in (first.data_dir, second.data_dir, nginx_dir):
        folder.mkdir()
    first.set_password()
    first.start()  # the first start imports the bundled banks; then the second joins
    second.start()
    config = nginx_config(nginx_dir, (first.port, second.port), https_port)
    # nginx logs to error.log in its folder (the config says so), so it needs no pipe.
    nginx = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(nginx_dir), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cert = nginx_dir / "leitai.crt"
    # requests and websocket-client both verify against the test's own certificate.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    gateway = Gateway(tmp_path / "gateway", https_port=https_port)
    try:
        wait_until(lambda: _healthy(gateway_url), timeout=30, what="nginx in front")
        yield gateway, first, second
    finally:
        nginx.terminate()
        nginx.wait(timeout=15)
        for server in (first, second):
            server.stop()


def _healthy(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def cookie_for(gateway: Gateway, server: LiveServer) -> str:
    """A leitai_node cookie that nginx routes to ``server`` (found by asking /healthz)."""
    assert server.process is not None
    for attempt in range(200):
        value = f"phone-{attempt}"
        answer = requests.get(
            gateway.url + "/healthz", headers={"Cookie": f"leitai_node={value}"}, timeout=5
        )
        if answer.json()["process"] == server.process.pid:
            return f"leitai_node={value}"
    raise AssertionError("no cookie value reached the process")


def placed(recorder: Recorder, cookie: str) -> Recorder:
    recorder.headers["Cookie"] = "; ".join(filter(None, [recorder.headers.get("Cookie"), cookie]))
    return recorder.connect()


def test_tls_health_and_secure_cookies_through_nginx(
    deployment: tuple[Gateway, LiveServer, LiveServer],
) -> None:
    gateway, first, second = deployment
    health = requests.get(gateway.url + "/healthz", timeout=5)
    assert health.json()["status"] == "ok"
    assert "Secure" in health.headers["Set-Cookie"]  # nginx's own routing cookie
    host = gateway.host()
    session_cookie = next(cookie for cookie in host.cookies if cookie.name == "session")
    # Behind TLS (an https public URL) the session cookie never travels in clear text.
    assert session_cookie.secure
    pids = {requests.get(gateway.url + "/healthz", timeout=5).json()["process"] for _ in range(40)}
    assert first.process is not None
    assert second.process is not None
    assert pids == {first.process.pid, second.process.pid}
    host.close()


def test_a_contest_survives_a_process_killed_mid_question(
    deployment: tuple[Gateway, LiveServer, LiveServer],
) -> None:
    gateway, first, second = deployment
    on_first, on_second = cookie_for(gateway, first), cookie_for(gateway, second)
    host_http = gateway.host()
    code = gateway.create_contest(host_http)["code"]
    host = placed(Recorder(gateway, {"role": "host", "contest": code}, host_http), on_first)
    near = placed(
        Recorder(gateway, {"role": "team", "seat": gateway.join(code, "shigatse", "A")}), on_first
    )
    far = placed(
        Recorder(gateway, {"role": "team", "seat": gateway.join(code, "lhasa", "B")}), on_second
    )
    watcher = placed(Recorder(gateway, {"role": "audience", "contest": code}), on_second)

    def command(kind: str, **fields: object) -> int:
        ack = host.call("command", {"type": kind, **fields})
        assert ack["ok"], ack
        return int(ack["seq"])

    command("StartRound")
    command("EndRound")
    command("StartRound")  # 抢答
    command("OpenQuestion")
    seq = command("ArmBuzzers")
    wait_until(lambda: far.seq() >= seq, what="the armed state on the second process")
    second.kill()  # mid-question, with a phone and the audience on it
    for client in (far, watcher):
        wait_until(lambda c=client: len(c.snapshots()) >= 2, timeout=30, what="a reconnect")
        assert client.snapshots()[-1]["seq"] == seq  # nothing before the kill was lost
    ack = far.call("buzz", {})
    assert ack["ok"], ack
    winner = wait_until(
        lambda: host.view()["question"]["race"]["winner"], what="the far team's buzz decided"
    )
    assert winner == "lhasa"
    seq = command("Judge", team="lhasa", correct=True)
    for client in (near, far, watcher):
        wait_until(lambda c=client: c.seq() >= seq, what="the judgement everywhere")
    assert far.view()["standings"] == host.view()["standings"] == watcher.view()["standings"]
    scores = {row["team"]: row["score"] for row in host.view()["standings"]}
    assert scores["lhasa"] == scores["shigatse"] + 10
    close_all(host, near, far, watcher)
    host_http.close()


def test_a_pk_match_through_nginx_pairs_players_on_both_processes(
    deployment: tuple[Gateway, LiveServer, LiveServer],
) -> None:
    gateway, first, second = deployment
    near_http = account(gateway, "卓玛", "拉萨支队")
    far_http = account(gateway, "扎西", "日喀则支队")
    for http, server in ((near_http, first), (far_http, second)):
        http.cookies.set("leitai_node", None)  # drop the one nginx gave at random
        http.cookies.set("leitai_node", cookie_for(gateway, server).split("=", 1)[1])
    near_queue, far_queue = Queue(gateway, near_http), Queue(gateway, far_http)
    assert near_queue.find()["waiting"]
    matched = far_queue.find()
    assert matched["ok"], matched
    far_seat, near_seat = matched["matched"], near_queue.pairing()
    assert near_seat["contest"] == far_seat["contest"]
    near = placed(Recorder(gateway, {"role": "team", "seat": near_seat["seat"]}), "")
    far = placed(Recorder(gateway, {"role": "team", "seat": far_seat["seat"]}), "")
    players = [
        threading.Thread(target=play, args=(near, True, [])),
        threading.Thread(target=play, args=(far, False, [])),
    ]
    for thread in players:
        thread.start()
    for thread in players:
        thread.join(timeout=120)
    for client in (near, far):
        assert client.view()["podium"] == [near_seat["team"], far_seat["team"]]
    close_all(near, far)
    near_queue.client.disconnect()
    far_queue.client.disconnect()
