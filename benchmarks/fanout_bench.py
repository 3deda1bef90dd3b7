"""Fan-out latency and memory of Leitai's live updates, against a bare Flask-SocketIO server.

Usage: python benchmarks/fanout_bench.py [--players 100 500 1000] [--modes threading gevent]
                                         [--rounds 30] [--clients-per-proc 250] [--json FILE]
                                         [--no-uvloop] [--budget 1200]
       python benchmarks/fanout_bench.py --calibrate [--players 1000] [--modes gevent]

For each async mode and player count it starts a real ``quiz serve --async-mode MODE`` on a free
127.0.0.1 port (fresh QUIZ_DATA_DIR, a 10-team template in a temp QUIZ_TEMPLATES_DIR), logs in
as the host, creates a contest, opens a question and pauses (so the views carry a question and
no timer fires), joins the players over ``POST /api/join`` spread over the teams, and connects
them as python-socketio AsyncClients (websocket transport) in worker processes. The host then
sends ``AdjustScore`` (+1/-1 with a note) ``rounds`` times; fan-out latency is the last player's
receipt of that command's ``update`` minus the host's send time, both on CLOCK_MONOTONIC (one
clock for every process of the machine). The same is done against ``bare_server.py`` in the
same mode with the same player count, broadcasting the ``update`` payload captured from Leitai.

p50 and p99 are nearest-rank over the measured rounds (3 warm-up rounds dropped): with 30
rounds p99 is the slowest round. Memory per client is the growth of the server's VmRSS from
before the players connect to after, divided by the players. Server CPU per action is the
server's CPU time during the rounds, less its idle rate (Leitai's clock pings), per command.
Everything runs on one machine, so the players' own CPU competes with the server's (and so does
any other program: a measurement during which others kept the machine busy is flagged). The
``--calibrate`` run measures where the client side saturates (1, 2 and 4 client processes
against the bare server) and what clock pings cost (the bare server pinging every player every
2 s all at once, as Leitai once did, or in 20 slices). The players run on uvloop when it is
installed. The whole run stops itself after ``--budget`` seconds. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import math
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

import requests
import socketio
import yaml
from benchlib import (
    CLK_TCK,
    ROOT,
    Server,
    csrf_token,
    has_uvloop,
    log,
    percentile,
    proc_cpu_s,
    proc_kb,
)

BARE = Path(__file__).with_name("bare_server.py")
MINI = ROOT / "tests" / "web" / "templates" / "mini.yaml"
PASSWORD = "bench-password-123"
BANKS = ["party-history", "tibet-history", "fire-rescue", "tibet-geography"]
TEAM_NAMES = ["拉萨", "日喀则", "林芝", "阿里", "山南", "那曲", "昌都", "成都", "重庆", "西安"]
WARMUP = 3
ROUND_TIMEOUT_S = 10.0
SETTLE_S = 2.5  # after connecting: Leitai's 5 quick clock pings per device take 1 s
IDLE_WINDOW_S = 6.0  # three periods of Leitai's clock pings
CONNECT_CONCURRENCY = 50
BURST_GAP_NS = 500_000_000  # clock pings closer than this belong to one burst
BURST_MARGIN_NS = 50_000_000  # the server is still taking the burst's acks this long after
OTHER_LOAD_WARNING = 0.15  # cores busy with other programs that make a measurement suspect
BANNER = ("This is a development server", "appears to be used in a production deployment")
LOG_WORDS = ("Traceback", "Error", "error", "Warning", "WARNING", "Invalid", "Exception")


def machine_busy_s() -> float:
    """CPU seconds the whole machine has been busy (all cores; /proc/stat, less idle and iowait)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLK_TCK


# --------------------------------------------------------------------------- servers


@dataclass
class Target:
    """A server ready for the players: where to connect and what the host sends."""

    kind: str  # "leitai" or "bare"
    server: Server
    host_auth: dict[str, Any]
    host_headers: dict[str, str]
    player_auths: list[dict[str, Any]]
    command: Callable[[int], dict[str, Any]]
    payload: dict[str, Any] | None = None  # Leitai's team update, for the bare server


def write_template(folder: Path, teams: int) -> None:
    """The live tests' mini template with ``teams`` teams, as ``bench.yaml``."""
    template = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    template["name"] = "bench"
    template["label"] = "压测赛 fan-out benchmark"
    template["teams"] = [
        {"id": f"t{i + 1:02d}", "name": f"{TEAM_NAMES[i % len(TEAM_NAMES)]}{i + 1}支队"}
        for i in range(teams)
    ]
    (folder / "bench.yaml").write_text(
        yaml.safe_dump(template, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def leitai_server(mode: str, work: Path, templates: Path) -> Server:
    """A fresh ``quiz serve`` (own data folder, host password set), started."""
    data = Path(tempfile.mkdtemp(prefix="data-", dir=work))
    env = {**os.environ, "QUIZ_DATA_DIR": str(data), "QUIZ_TEMPLATES_DIR": str(templates)}
    env["QUIZ_CONNECTIONS_PER_ADDRESS"] = "0"  # every simulated phone is on 127.0.0.1
    env.pop("QUIZ_DATABASE_URL", None)
    quiz = [sys.executable, "-m", "quiz"]
    subprocess.run(
        [*quiz, "admin", "set-password", "--password", PASSWORD],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )
    server = Server(
        [*quiz, "serve", "--async-mode", mode], env, data / "server.log", "/api/contests/NONE"
    )
    server.start()
    return server


def bare_server(mode: str, work: Path, payload: Path, clock_pings: str = "off") -> Server:
    """The bare baseline server in ``mode``, broadcasting ``payload``, started."""
    server = Server(
        [
            *(sys.executable, str(BARE), "--async-mode", mode, "--payload", str(payload)),
            *("--clock-pings", clock_pings),
        ],
        dict(os.environ),
        Path(tempfile.mkdtemp(prefix="bare-", dir=work)) / "server.log",
        "/health",
    )
    server.start()
    return server


def adjust(team: str) -> Callable[[int], dict[str, Any]]:
    """Host commands for round i: AdjustScore of ``team`` by -1, +1, -1, ..."""

    def command(i: int) -> dict[str, Any]:
        delta = -1 if i % 2 == 0 else 1
        return {"type": "AdjustScore", "team": team, "delta": delta, "note": "压测 fan-out"}

    return command


async def prepare_contest(server: Server, players: int, teams: int) -> Target:
    """Log in, create a contest with an open (paused) question, join ``players`` seats."""
    host = requests.Session()
    host.headers["X-CSRFToken"] = csrf_token(host.get(server.url + "/login", timeout=30).text)
    answer = host.post(
        server.url + "/login", data={"password": PASSWORD}, allow_redirects=False, timeout=30
    )
    answer.raise_for_status()
    host.headers["X-CSRFToken"] = csrf_token(host.get(server.url + "/login", timeout=30).text)
    created = host.post(
        server.url + "/api/contests",
        json={"title": "压测赛", "template": "bench", "banks": BANKS, "seed": 11},
        timeout=60,
    )
    created.raise_for_status()
    code = created.json()["code"]
    team_ids = [f"t{i + 1:02d}" for i in range(teams)]
    # Each team's join code, as the host's console shows it to hand to that team.
    found = host.get(f"{server.url}/api/contests/{code}", timeout=30).json()["teams"]
    team_codes = {team["id"]: team.get("join_code") for team in found}

    def join(index: int) -> str:
        team = team_ids[index % teams]
        with requests.Session() as phone:
            token = csrf_token(phone.get(server.url + "/join", timeout=60).text)
            joined = phone.post(
                server.url + "/api/join",
                json={"code": code, "team_code": team_codes[team], "name": f"选手{index}"},
                headers={"X-CSRFToken": token},
                timeout=60,
            )
        joined.raise_for_status()
        seat: str = joined.json()["seat"]
        return seat

    with ThreadPoolExecutor(8) as pool:
        seats = list(pool.map(join, range(players + 1)))
    cookie = "; ".join(f"{name}={value}" for name, value in host.cookies.items())
    host_auth = {"role": "host", "contest": code}
    target = Target(
        "leitai",
        server,
        host_auth,
        {"Cookie": cookie},
        [{"role": "team", "seat": seat} for seat in seats[1:]],
        adjust(team_ids[0]),
    )
    # One probe device keeps a real team update: the bare server broadcasts that payload.
    captured: list[dict[str, Any]] = []
    probe = socketio.AsyncClient(reconnection=False)
    probe.on("update", captured.append)
    probe.on("clock", lambda data: {"id": data.get("id"), "client_ms": time.time_ns() // 10**6})
    await probe.connect(
        server.url, auth={"role": "team", "seat": seats[0]}, transports=["websocket"]
    )
    console = socketio.AsyncClient(reconnection=False)
    await console.connect(
        server.url, auth=host_auth, headers=dict(target.host_headers), transports=["websocket"]
    )
    for command in ({"type": "StartRound"}, {"type": "OpenQuestion"}, {"type": "Pause"}):
        ack = await console.call("command", command, timeout=30)
        if not ack.get("ok"):
            raise RuntimeError(f"{command['type']} refused: {ack}")
    ack = await console.call("command", adjust(team_ids[0])(1), timeout=30)
    deadline = time.monotonic() + 10
    while not any(update.get("seq") == ack.get("seq") for update in captured):
        if time.monotonic() > deadline:
            raise RuntimeError("the probe device got no update")
        await asyncio.sleep(0.05)
    target.payload = next(update for update in captured if update.get("seq") == ack.get("seq"))
    await console.disconnect()
    await probe.disconnect()
    return target


# --------------------------------------------------------------------------- player workers


async def worker(config: dict[str, Any]) -> None:
    """A client process: connect the players, then report when all got each update's seq."""
    url: str = config["url"]
    auths: list[dict[str, Any]] = config["auths"]
    clients = [socketio.AsyncClient(reconnection=False) for _ in auths]
    seen: dict[int, list[int]] = {}  # seq -> [count, first_ns, last_ns]
    expected = [len(auths)]
    dropped = [0]

    def say(message: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    def on_update(data: Any) -> None:
        now = time.monotonic_ns()
        seq = data.get("seq") if isinstance(data, dict) else None
        if not isinstance(seq, int):
            return
        entry = seen.setdefault(seq, [0, now, now])
        entry[0] += 1
        entry[2] = now
        if entry[0] == expected[0]:
            say({"event": "seq", "seq": seq, "first_ns": entry[1], "last_ns": now})

    bursts: list[list[int]] = []  # [first_ns, last_ns] of each burst of Leitai's clock pings

    def on_clock(data: Any) -> dict[str, Any]:
        now = time.monotonic_ns()
        if bursts and now - bursts[-1][1] < BURST_GAP_NS:
            bursts[-1][1] = now
        else:
            bursts.append([now, now])
        return {"id": data.get("id"), "client_ms": time.time_ns() // 10**6}

    def on_disconnect(*_reason: Any) -> None:
        dropped[0] += 1

    for client in clients:
        client.on("update", on_update)
        client.on("clock", on_clock)
        client.on("disconnect", on_disconnect)

    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    errors: list[str] = []

    async def connect(client: socketio.AsyncClient, auth: dict[str, Any]) -> bool:
        async with gate:
            try:
                await client.connect(url, auth=auth, transports=["websocket"], wait_timeout=30)
                return True
            except Exception as error:  # reported, not raised: the count tells
                errors.append(f"{error.__class__.__name__}: {error}")
                return False

    started = time.monotonic()
    done = await asyncio.gather(*(connect(c, a) for c, a in zip(clients, auths, strict=True)))
    expected[0] = sum(done)
    say(
        {
            "event": "connected",
            "connected": expected[0],
            "failed": len(auths) - expected[0],
            "seconds": time.monotonic() - started,
            "errors": errors[:3],
        }
    )
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line or line.strip() == "quit":
            break
        if line.strip() == "status":
            say({"event": "status", "dropped": dropped[0]})
    say({"event": "bye", "dropped": dropped[0], "bursts": bursts})
    os._exit(0)  # closing 1,000 websockets politely takes seconds; the server is stopped anyway


def worker_main() -> None:
    """Entry point of a client process: its config is the first line of stdin."""
    config = json.loads(sys.stdin.readline())
    if config.get("uvloop", True):
        try:
            import uvloop  # noqa: PLC0415 (optional: a cheaper event loop for the players)
        except ImportError:
            pass
        else:
            uvloop.run(worker(config))
            return
    asyncio.run(worker(config))


# --------------------------------------------------------------------------- measuring


@dataclass
class Measurement:
    """What one run of ``rounds`` host actions against one server showed."""

    kind: str
    mode: str
    players: int
    procs: int
    connected: int = 0
    failed: int = 0
    dropped: int = 0
    connect_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    windows_ns: list[tuple[int, int]] = field(default_factory=list)  # (sent, last receipt)
    in_ping_burst_ms: list[float] = field(default_factory=list)  # rounds that met a ping burst
    clear_ms: list[float] = field(default_factory=list)  # the other rounds
    ping_bursts_ms: list[tuple[float, float]] = field(default_factory=list)  # from round 1
    acks_ms: list[float] = field(default_factory=list)
    lost: int = 0
    rss_before_kb: int = 0
    rss_after_kb: int = 0
    idle_cpu_pct: float = 0.0
    cpu_ms_per_action: float = 0.0
    client_cpu_ms_per_round: float = 0.0  # the busiest client process
    other_load: float = 0.0  # cores busy with other programs during the rounds
    complaints: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def p50(self) -> float:
        return percentile(self.latencies_ms, 0.50)

    @property
    def p99(self) -> float:
        return percentile(self.latencies_ms, 0.99)

    @property
    def mb_per_client(self) -> float:
        if not self.connected:
            return math.nan
        return (self.rss_after_kb - self.rss_before_kb) / 1024 / self.connected


class Workers:
    """The client processes of one measurement and the messages they send back."""

    def __init__(self, uvloop: bool = True) -> None:
        self.uvloop = uvloop
        self.processes: list[asyncio.subprocess.Process] = []
        self.inbox: asyncio.Queue[tuple[int, dict[str, Any]]] = asyncio.Queue()
        self.arrivals: dict[int, dict[int, int]] = {}  # seq -> worker -> last_ns
        self.connected: dict[int, dict[str, Any]] = {}
        self.byes: dict[int, dict[str, Any]] = {}
        self.readers: list[asyncio.Task[None]] = []

    async def start(self, url: str, auths: list[dict[str, Any]], procs: int, err: Path) -> None:
        """Spawn ``procs`` client processes sharing ``auths`` between them."""
        for index in range(procs):
            share = auths[index::procs]
            with err.open("ab") as stderr:
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "--worker",
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=stderr,
                    cwd=ROOT,
                )
            assert process.stdin is not None
            config = {"url": url, "auths": share, "uvloop": self.uvloop}
            process.stdin.write((json.dumps(config) + "\n").encode())
            await process.stdin.drain()
            self.processes.append(process)
            self.readers.append(asyncio.create_task(self._read(index, process)))

    async def _read(self, index: int, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        async for line in process.stdout:
            await self.inbox.put((index, json.loads(line)))

    def _take(self, index: int, message: dict[str, Any]) -> None:
        event = message.get("event")
        if event == "seq":
            self.arrivals.setdefault(message["seq"], {})[index] = message["last_ns"]
        elif event == "connected":
            self.connected[index] = message
        elif event == "bye":
            self.byes[index] = message

    async def until(self, condition: Callable[[], bool], deadline: float) -> bool:
        """Take messages until ``condition()`` holds (True) or ``deadline`` passes (False)."""
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                index, message = await asyncio.wait_for(self.inbox.get(), remaining)
            except TimeoutError:
                return False
            self._take(index, message)
        return True

    def all_got(self, seq: int) -> bool:
        """Whether every client process said that all its players got update ``seq``."""
        return len(self.arrivals.get(seq, {})) == len(self.processes)

    def cpu_s(self) -> list[float]:
        """CPU seconds used so far by each client process."""
        return [proc_cpu_s(process.pid) for process in self.processes]

    async def stop(self) -> None:
        """Ask every process to quit; kill those that do not within a few seconds."""
        for process in self.processes:
            if process.stdin is not None and process.returncode is None:
                try:
                    process.stdin.write(b"quit\n")
                    await process.stdin.drain()
                except (BrokenPipeError, ConnectionResetError):
                    pass
        await self.until(lambda: len(self.byes) == len(self.processes), time.monotonic() + 10)
        for process in self.processes:
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()
        for reader in self.readers:
            reader.cancel()


async def measure(
    target: Target, mode: str, rounds: int, procs: int, work: Path, seed: int, uvloop: bool = True
) -> Measurement:
    """Connect the players, then time ``rounds`` host actions (after the warm-up)."""
    server = target.server
    players = len(target.player_auths)
    result = Measurement(target.kind, mode, players, procs)
    host = socketio.AsyncClient(reconnection=False)
    await host.connect(
        server.url,
        auth=target.host_auth,
        headers=dict(target.host_headers),
        transports=["websocket"],
    )
    workers = Workers(uvloop)
    try:
        await asyncio.sleep(0.5)
        result.rss_before_kb = proc_kb(server.pid)
        started = time.monotonic()
        await workers.start(server.url, target.player_auths, procs, work / "workers.err")
        connected = await workers.until(
            lambda: len(workers.connected) == procs, time.monotonic() + 60 + players * 0.15
        )
        result.connect_s = time.monotonic() - started
        result.connected = sum(m["connected"] for m in workers.connected.values())
        result.failed = sum(m["failed"] for m in workers.connected.values())
        if not connected or result.failed:
            errors = [e for m in workers.connected.values() for e in m["errors"]]
            result.error = f"{result.failed} player(s) failed to connect: {errors[:3]}"
            if not connected or result.connected < players * 0.9:
                return result
        await asyncio.sleep(SETTLE_S)
        result.rss_after_kb = proc_kb(server.pid)
        idle_from = proc_cpu_s(server.pid)
        await asyncio.sleep(IDLE_WINDOW_S)
        idle_rate = (proc_cpu_s(server.pid) - idle_from) / IDLE_WINDOW_S
        result.idle_cpu_pct = 100 * idle_rate
        rng = random.Random(seed)
        cpu_from, clients_from, rounds_from = (
            proc_cpu_s(server.pid),
            workers.cpu_s(),
            time.monotonic(),
        )
        machine_from, own_from = machine_busy_s(), proc_cpu_s(os.getpid())
        for index in range(WARMUP + rounds):
            sent = time.monotonic_ns()
            ack = await host.call("command", target.command(index), timeout=ROUND_TIMEOUT_S)
            acked = time.monotonic_ns()
            if not ack.get("ok") or "seq" not in ack or "ignored" in ack:
                raise RuntimeError(f"the host's command was not applied: {ack}")
            seq: int = ack["seq"]
            complete = await workers.until(
                partial(workers.all_got, seq), time.monotonic() + ROUND_TIMEOUT_S
            )
            if index >= WARMUP:
                if complete:
                    last = max(workers.arrivals[seq].values())
                    result.latencies_ms.append((last - sent) / 1e6)
                    result.windows_ns.append((sent, last))
                    result.acks_ms.append((acked - sent) / 1e6)
                else:
                    result.lost += 1
            await asyncio.sleep(rng.uniform(0.15, 0.35))
        elapsed = time.monotonic() - rounds_from
        server_cpu = proc_cpu_s(server.pid) - cpu_from
        busy = server_cpu - idle_rate * elapsed
        result.cpu_ms_per_action = 1000 * max(0.0, busy) / (WARMUP + rounds)
        client_cpu = [b - a for a, b in zip(clients_from, workers.cpu_s(), strict=True)]
        result.client_cpu_ms_per_round = 1000 * max(client_cpu) / (WARMUP + rounds)
        ours = server_cpu + sum(client_cpu) + proc_cpu_s(os.getpid()) - own_from
        result.other_load = max(0.0, machine_busy_s() - machine_from - ours) / elapsed
    finally:
        await workers.stop()
        result.dropped = sum(m.get("dropped", 0) for m in workers.byes.values())
        bursts = [burst for m in workers.byes.values() for burst in m.get("bursts", [])]
        origin = result.windows_ns[0][0] if result.windows_ns else 0
        result.ping_bursts_ms = [
            ((start - origin) / 1e6, (end - origin) / 1e6) for start, end in sorted(bursts)
        ]
        for sent, last in result.windows_ns:
            hit = any(start <= last and end >= sent - BURST_MARGIN_NS for start, end in bursts)
            (result.in_ping_burst_ms if hit else result.clear_ms).append((last - sent) / 1e6)
        await host.disconnect()
    return result


def run_pair(
    mode: str, players: int, args: argparse.Namespace, work: Path, templates: Path
) -> tuple[Measurement, Measurement]:
    """Leitai then the bare server, same mode and players, each on a fresh process."""
    procs = max(1, math.ceil(players / args.clients_per_proc))
    scratch = Path(tempfile.mkdtemp(prefix=f"{mode}-{players}-", dir=work))
    results: list[Measurement] = []
    payload_path = scratch / "update.json"
    for kind in ("leitai", "bare"):
        server: Server | None = None
        try:
            if kind == "leitai":
                server = leitai_server(mode, scratch, templates)
                target = asyncio.run(prepare_contest(server, players, args.teams))
                assert target.payload is not None
                payload_path.write_text(json.dumps(target.payload, ensure_ascii=False))
            else:
                if not payload_path.exists():
                    shutil.copy(BARE.with_name("update_payload.json"), payload_path)
                server = bare_server(mode, scratch, payload_path)
                target = bare_target(server, players)
            log(f"{kind} {mode} {players} players: connecting ({procs} client process(es))")
            seed = players * 7 + len(mode)
            result = asyncio.run(
                measure(target, mode, args.rounds, procs, scratch, seed, not args.no_uvloop)
            )
        except Exception as error:
            result = Measurement(kind, mode, players, procs, error=f"{error!r}")
        finally:
            if server is not None:
                server.stop()
        if server is not None:
            result.complaints = server.complaints(LOG_WORDS, BANNER)
        log(
            f"{kind} {mode} {players}: p50 {result.p50:.1f} ms, p99 {result.p99:.1f} ms, "
            f"{result.mb_per_client * 1024:.0f} kB/client, {result.cpu_ms_per_action:.1f} ms "
            f"CPU/action, clients {result.client_cpu_ms_per_round:.1f} ms CPU/round, "
            f"connect {result.connect_s:.1f} s, lost {result.lost}, dropped {result.dropped}, "
            f"other load {result.other_load:.2f} cores"
            + (f", ERROR {result.error}" if result.error else "")
        )
        results.append(result)
    return results[0], results[1]


# --------------------------------------------------------------------------- reporting


def machine_line() -> str:
    """Which machine and software the figures are from, and when."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    packages = ", ".join(
        f"{name} {version(name)}"
        for name in ("Flask-SocketIO", "python-socketio", "python-engineio", "gevent")
    )
    return (
        f"{os.cpu_count()} x {model}, Linux {platform.release()}, Python "
        f"{platform.python_version()}, {packages}; "
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    )


def fmt(value: float, digits: int = 0) -> str:
    """A number for the table; a dash for NaN."""
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def table(pairs: list[tuple[Measurement, Measurement]]) -> str:
    """The Markdown table of every measured pair."""
    lines = [
        "| mode | players | Leitai p50 / p99 (ms) | bare p50 / p99 (ms) | p99 ratio "
        "| server kB per client Leitai / bare | server CPU ms per action Leitai / bare "
        "| client CPU ms per round (busiest proc) | lost rounds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for leitai, bare in pairs:
        ratio = leitai.p99 / bare.p99 if bare.p99 and not math.isnan(bare.p99) else math.nan
        lines.append(
            f"| {leitai.mode} | {leitai.players} "
            f"| {fmt(leitai.p50)} / {fmt(leitai.p99)} | {fmt(bare.p50)} / {fmt(bare.p99)} "
            f"| {fmt(ratio, 2)} "
            f"| {fmt(leitai.mb_per_client * 1024)} / {fmt(bare.mb_per_client * 1024)} "
            f"| {fmt(leitai.cpu_ms_per_action, 1)} / {fmt(bare.cpu_ms_per_action, 1)} "
            f"| {fmt(leitai.client_cpu_ms_per_round, 1)} / "
            f"{fmt(bare.client_cpu_ms_per_round, 1)} "
            f"| {leitai.lost} / {bare.lost} |"
        )
    return "\n".join(lines)


def notes(pairs: list[tuple[Measurement, Measurement]]) -> list[str]:
    """Errors, failed connections and server log complaints worth reading."""
    found = []
    for pair in pairs:
        for result in pair:
            where = f"{result.kind} {result.mode} {result.players}"
            if result.error:
                found.append(f"- {where}: {result.error}")
            if result.kind == "leitai" and result.acks_ms:
                found.append(
                    f"- {where}: the host's ack (apply, commit, views, queueing) p50 / p99 "
                    f"{fmt(percentile(result.acks_ms, 0.5))} / "
                    f"{fmt(percentile(result.acks_ms, 0.99))} ms; server idle CPU (clock pings) "
                    f"{result.idle_cpu_pct:.0f}%"
                )
            if result.in_ping_burst_ms and result.clear_ms:
                found.append(
                    f"- {where}: {len(result.in_ping_burst_ms)} of {len(result.latencies_ms)} "
                    "rounds met a burst of Leitai's clock pings: p50 / p99 "
                    f"{fmt(percentile(result.in_ping_burst_ms, 0.5))} / "
                    f"{fmt(percentile(result.in_ping_burst_ms, 0.99))} ms; the others "
                    f"{fmt(percentile(result.clear_ms, 0.5))} / "
                    f"{fmt(percentile(result.clear_ms, 0.99))} ms"
                )
            elif result.in_ping_burst_ms:
                found.append(f"- {where}: clock pings arrive all the time (spread, no bursts)")
            if result.other_load > OTHER_LOAD_WARNING:
                found.append(
                    f"- {where}: other programs kept {result.other_load:.2f} core(s) busy "
                    "during the rounds: these figures are disturbed"
                )
            if result.dropped:
                found.append(f"- {where}: {result.dropped} player(s) dropped during the rounds")
            if result.complaints:
                kinds: dict[str, int] = {}
                for line in result.complaints:
                    key = re.sub(r"\d+", "N", line.split(": (from", 1)[-1])[:100]
                    kinds[key] = kinds.get(key, 0) + 1
                shown = "; ".join(f"{count} x {key!r}" for key, count in kinds.items())
                found.append(f"- {where}: server log: {shown}")
    return found


def bare_target(server: Server, players: int) -> Target:
    """The bare server's host and players (its host command's content does not matter)."""
    return Target(
        "bare",
        server,
        {"role": "host"},
        {},
        [{"role": "player"}] * players,
        lambda _i: {"type": "AdjustScore"},
    )


def calibrate(args: argparse.Namespace, work: Path, deadline: float) -> None:
    """The client side's share (1, 2, 4 client processes) and the cost of bursts of pings."""
    players = max(args.players)
    payload = BARE.with_name("update_payload.json")
    default_procs = max(1, math.ceil(players / args.clients_per_proc))
    runs = [(mode, procs, "off") for mode in args.modes for procs in (1, 2, 4)]
    runs += [(mode, default_procs, pings) for mode in args.modes for pings in ("burst", "spread")]
    rows = [
        "| mode | players | client processes | clock pings | bare p50 / p99 (ms) "
        "| server CPU ms per action | client CPU ms per round (busiest proc) "
        "| other programs (cores) |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for mode, procs, pings in runs:
        if time.monotonic() > deadline:
            log(f"over the budget: not run: {mode} x {procs} {pings}")
            continue
        server = bare_server(mode, work, payload, pings)
        try:
            result = asyncio.run(
                measure(
                    bare_target(server, players),
                    mode,
                    args.rounds,
                    procs,
                    work,
                    procs,
                    not args.no_uvloop,
                )
            )
        finally:
            server.stop()
        log(f"calibrate {mode} {players} x {procs} {pings}: {result.p50:.1f} / {result.p99:.1f}")
        rows.append(
            f"| {mode} | {players} | {procs} | {pings} | {fmt(result.p50)} / {fmt(result.p99)} "
            f"| {fmt(result.cpu_ms_per_action, 1)} "
            f"| {fmt(result.client_cpu_ms_per_round, 1)} | {result.other_load:.2f} |"
        )
    print("\n".join(rows))
    print(f"\n{machine_line()}; {args.rounds} rounds after {WARMUP} warm-up")


def main() -> None:
    """Run every (mode, players) pair within the time budget and print the table."""
    if "--worker" in sys.argv[1:]:
        worker_main()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, nargs="+", default=[100, 500, 1000])
    parser.add_argument("--modes", nargs="+", default=["threading", "gevent"])
    parser.add_argument("--rounds", type=int, default=30, help="measured host actions")
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--clients-per-proc", type=int, default=250)
    parser.add_argument("--budget", type=float, default=1200, help="seconds for the whole run")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    parser.add_argument(
        "--no-uvloop", action="store_true", help="players on asyncio's own loop, not uvloop's"
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="bare server only: 1, 2, 4 client processes; clock pings in bursts or spread",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="leitai-fanout-"))
    started = time.monotonic()
    try:
        if args.calibrate:
            calibrate(args, work, started + args.budget)
            return
        templates = work / "templates"
        templates.mkdir()
        write_template(templates, args.teams)
        pairs: list[tuple[Measurement, Measurement]] = []
        skipped = []
        for mode in args.modes:
            for players in args.players:
                if time.monotonic() - started > args.budget:
                    skipped.append(f"{mode} {players}")
                    continue
                pairs.append(run_pair(mode, players, args, work, templates))
        print(table(pairs))
        print(
            f"\n{machine_line()}; {args.rounds} rounds after {WARMUP} warm-up, {args.teams} "
            f"teams, {args.clients_per_proc} players per client process "
            f"({'asyncio' if args.no_uvloop or not has_uvloop() else 'uvloop'})"
        )
        found = notes(pairs)
        if skipped:
            found.append(f"- over the {args.budget:.0f} s budget, not run: {', '.join(skipped)}")
        if found:
            print("\n" + "\n".join(found))
        if args.json:
            args.json.write_text(
                json.dumps(
                    [{**asdict(m), "p50": m.p50, "p99": m.p99} for pair in pairs for m in pair],
                    indent=1,
                    ensure_ascii=False,
                )
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
