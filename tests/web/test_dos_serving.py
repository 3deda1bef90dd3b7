"""The gevent server against greedy and slow clients: oversized WebSocket frames are refused from
their header, and idle or trickling connections neither pile up nor lock others out."""

from __future__ import annotations

import contextlib
import json
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from tests.web.live import LiveServer, Recorder, wait_until
from tests.web.rawws import MB, RawSocket, frame_header, vm_rss_kb

CAP = 50
HEADER_TIMEOUT_S = 2


@pytest.fixture(scope="module")
def watcher(server: LiveServer) -> Iterator[Recorder]:
    """An audience client of a contest: another user whose service must not suffer."""
    host = server.host()
    code = server.create_contest(host)["code"]
    host.close()
    recorder = Recorder(server, {"role": "audience", "contest": code}).connect()
    yield recorder
    recorder.close()


def slowest_ack_during(watcher: Recorder, attack: Callable[[], Any]) -> float:
    """Run ``attack`` in a thread while ``watcher`` sends an event every 0.1 s (for at least
    1 s); the slowest acknowledgement's wait in seconds."""
    done = threading.Event()

    def run() -> None:
        attack()
        done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    slowest = 0.0
    started = time.monotonic()
    while not done.is_set() or time.monotonic() - started < 1:
        sent = time.monotonic()
        ack = watcher.call("buzz", {})
        assert ack["code"] == "not_permitted", ack  # an audience may not buzz: an answer
        slowest = max(slowest, time.monotonic() - sent)
        time.sleep(0.1)
        assert time.monotonic() - started < 60, "the attack did not end"
    thread.join()
    return slowest


def trickle(sock: socket.socket, total: int) -> int:
    """Send up to ``total`` bytes in 64 KB pieces; how many went before the server closed."""
    sent = 0
    with contextlib.suppress(OSError):
        while sent < total:
            sock.sendall(b"\0" * 65536)
            sent += 65536
            time.sleep(0.005)
    return sent


def test_a_frame_announcing_100_mb_is_closed_from_its_header(
    server: LiveServer, watcher: Recorder
) -> None:
    before = vm_rss_kb(server)
    raw = RawSocket(server)
    raw.sock.sendall(frame_header(100 * MB))
    assert raw.close_code() == 1009  # at once: the server read no payload to decide
    sent: list[int] = []
    slowest = slowest_ack_during(watcher, lambda: sent.append(trickle(raw.sock, 20 * MB)))
    raw.close()
    assert sent[0] < 20 * MB, "the server kept reading after refusing the frame"
    assert slowest < 1.0, f"another client waited {slowest:.2f} s for an ack"
    assert vm_rss_kb(server) - before < 5 * 1024


def test_a_whole_10_mb_frame_does_not_stall_other_contests(
    server: LiveServer, watcher: Recorder
) -> None:
    raw = RawSocket(server)

    def send_frame() -> None:
        with contextlib.suppress(OSError):
            raw.sock.sendall(frame_header(10 * MB) + b"a" * (10 * MB))

    slowest = slowest_ack_during(watcher, send_frame)
    raw.close()
    assert slowest < 1.0, f"another client waited {slowest:.2f} s for an ack"


def test_a_stream_of_frames_just_under_the_cap_does_not_stall_other_contests(
    server: LiveServer, watcher: Recorder
) -> None:
    raw = RawSocket(server)
    noop = b"6" + "字".encode() * 21_000  # an Engine.IO no-op of 63 KB: read, unmasked, checked
    frame = frame_header(len(noop)) + noop

    def stream() -> None:
        with contextlib.suppress(OSError):
            for _ in range(40):
                raw.sock.sendall(frame)

    slowest = slowest_ack_during(watcher, stream)
    raw.close()
    assert slowest < 1.0, f"another client waited {slowest:.2f} s for an ack"


def test_a_message_of_many_small_frames_is_capped_in_total(server: LiveServer) -> None:
    raw = RawSocket(server)
    piece = 40 * 1024
    raw.sock.sendall(frame_header(piece, fin=False) + b"4" * piece)
    raw.sock.sendall(frame_header(piece, opcode=0x0, fin=False) + b"x" * piece)
    assert raw.close_code() == 1009
    raw.close()


def test_a_message_under_the_cap_still_reaches_socket_io(server: LiveServer) -> None:
    raw = RawSocket(server)
    raw.send("40" + json.dumps({"role": "audience", "pad": "x" * 50_000}))  # 50 KB
    refusal = raw.text()  # a connect refusal: the whole message was read and judged
    assert refusal.startswith("44"), refusal
    assert json.loads(refusal[2:])["data"]["code"] == "too_large"
    raw.close()


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server that lets one address hold 50 connections and waits 2 s for headers."""
    live = LiveServer(
        tmp_path_factory.mktemp("capped"),
        extra_env={
            "QUIZ_CONNECTIONS_PER_ADDRESS": str(CAP),
            "QUIZ_HEADER_TIMEOUT_S": str(HEADER_TIMEOUT_S),
        },
    )
    live.set_password()
    live.start()
    yield live
    live.stop()


def idle_socket(server: LiveServer, source: str = "127.0.0.1") -> socket.socket:
    """A connection that starts a request and never finishes its headers."""
    sock = socket.create_connection(
        ("127.0.0.1", server.port), timeout=5, source_address=(source, 0)
    )
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    return sock


def answered(sock: socket.socket, within: float) -> bytes | None:
    """What the server sent (b"" once it closed) within ``within`` s, or None for silence."""
    readable, _, _ = select.select([sock], [], [], within)
    if not readable:
        return None
    with contextlib.suppress(ConnectionResetError):
        return sock.recv(4096)
    return b""


def get_from(server: LiveServer, source: str) -> bytes:
    """A plain GET of a JSON route from ``source``; the whole answer."""
    with socket.create_connection(
        ("127.0.0.1", server.port), timeout=5, source_address=(source, 0)
    ) as sock:
        sock.sendall(b"GET /api/contests/NONE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_idle_connections_are_capped_per_address_and_closed_after_the_header_timeout(
    capped: LiveServer,
) -> None:
    host = capped.host()
    code = capped.create_contest(host)["code"]
    host.close()
    watcher = Recorder(capped, {"role": "audience", "contest": code}).connect()
    time.sleep(0.5)  # the host's keep-alive connection closes on the server too
    idle = [idle_socket(capped) for _ in range(CAP - 1)]  # the watcher holds one
    over = idle_socket(capped)
    refusal = answered(over, within=1.0)
    assert refusal is not None
    assert refusal.startswith(b"HTTP/1.1 503"), refusal
    assert b'"too_many_connections"' in refusal
    assert all(answered(sock, within=0) is None for sock in idle), "an idle socket was refused"
    assert get_from(capped, "127.0.0.1").startswith(b"HTTP/1.1 503")
    assert get_from(capped, "127.0.0.2").startswith(b"HTTP/1.1 404")  # another address: served
    assert watcher.call("buzz", {})["code"] == "not_permitted"  # the open WebSocket: served

    # A client that trickles a header byte a second is closed at the same deadline.
    trickler = idle_socket(capped, "127.0.0.3")
    started = time.monotonic()
    with contextlib.suppress(OSError):
        while time.monotonic() - started < HEADER_TIMEOUT_S + 5:
            trickler.sendall(b"X")
            if answered(trickler, within=0.5) is not None:
                break
    assert time.monotonic() - started < HEADER_TIMEOUT_S + 3, "the trickling client stayed"

    closed = wait_until(
        lambda: all(answered(sock, within=0) == b"" for sock in idle),
        timeout=HEADER_TIMEOUT_S + 5,
        what="the idle sockets closed by the header timeout",
    )
    assert closed
    response = requests.get(capped.url + "/api/contests/NONE", timeout=5)
    assert response.status_code == 404
    assert watcher.call("buzz", {})["code"] == "not_permitted", "the WebSocket was cut"
    for sock in (*idle, over, trickler):
        sock.close()
    watcher.close()
