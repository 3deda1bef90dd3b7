"""Answer submissions per second and their latency with N users practising, against a baseline.

Usage: python benchmarks/practice_bench.py [--users 200] [--duration 30] [--warmup 5]
                                           [--think-ms 0 [1000-3000 ...]] [--repeats 3]
                                           [--procs 2] [--count 10] [--json FILE] [--budget 900]

Each repeat starts a real ``quiz serve --async-mode gevent`` (the default mode) on a free
127.0.0.1 port with a fresh QUIZ_DATA_DIR (a new SQLite file; the first start imports the bundled
banks) and QUIZ_PRACTICE_SIGNUPS_PER_MINUTE=100000, since every simulated user signs up from
127.0.0.1. The users register over ``POST /api/practice/register`` (each its own aiohttp session
and cookie jar), spread over ``--procs`` client processes running uvloop when it is installed.

Then, for each think time, two phases run on the same server with the same users: every user
answers the open question of a practice sitting (``POST /api/practice/sittings/<id>/answers``,
a random well-formed response for the question's type; a finished sitting is followed by a new
one of ``--count`` questions, the user's first has 1 to ``--count`` so that the users do not
finish their sittings in lockstep), or reads the catalog (``GET /api/practice/catalog``: the
baseline, a read-only call with no user behind it, which measures the clients, HTTP and the
gevent server with a little of Leitai's work: two small queries, counts over the cached question
pool, 19 KB of JSON). A user waits its think time (uniform in LOW-HIGH ms; 0 is a closed-loop
stress test) before each request and sends the next one only when the last has been answered.
The phases' order alternates between repeats.

A request counts when its answer arrives inside the measured window, after ``--warmup`` s:
submissions/s is the accepted ones (200) over ``--duration``; p50/p90/p99/max are nearest-rank
over the accepted ones. Any other answer, and any transport error, is counted by status and
code and reported. The server's CPU (/proc/PID/stat, as % of one core: gevent runs on one), its
VmRSS, each client process's CPU and the CPU other programs took are read over the same window;
a server near 100% is the bottleneck, a client process near 100% means the clients are. The
table gives the medians over ``--repeats`` and every repeat's figures. The whole run stops
itself after ``--budget`` seconds. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import math
import os
import platform
import random
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiohttp
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

PASSWORD = "bench-password-123"
DETACHMENTS = ["拉萨支队", "日喀则支队", "林芝支队", "阿里支队", "山南支队", "那曲支队", "昌都支队"]
SIGNUPS_PER_MINUTE = "100000"  # every simulated user signs up from 127.0.0.1
SIGNUP_PARALLEL = 4  # per client process; the server hashes one password at a time anyway
REQUEST_TIMEOUT_S = 30.0
ERROR_PAUSE_S = 0.2  # a user that got an error waits this long before its next try
START_DELAY_S = 0.5  # from sending a phase to the client processes to its first request
MESSAGE_LIMIT = 2**28  # bytes of one client report (every latency of a phase, as JSON)
SLACK_S = 40.0  # a phase may outlast its warm-up and window by this much (slow last answers)
OK = {"answer": 200, "catalog": 200, "start": 201}
LOG_WORDS = ("Traceback", "Error", "error", "Warning", "WARNING", "locked", "Exception", "Invalid")


def machine_cpu_s() -> tuple[float, float]:
    """CPU seconds the machine's processes have used (user, nice, system; all cores) and the
    hypervisor has stolen, from /proc/stat (interrupt time, such as loopback TCP's, is in
    neither)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (fields[0] + fields[1] + fields[2]) / CLK_TCK, fields[7] / CLK_TCK


def think_range(text: str) -> tuple[int, int]:
    """A think time ``MS`` or ``LOW-HIGH`` (milliseconds) as (low, high)."""
    low, _, high = text.partition("-")
    bounds = (int(low), int(high or low))
    if not 0 <= bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"a think time is MS or LOW-HIGH, not {text!r}")
    return bounds


def think_label(think: tuple[int, int]) -> str:
    """A think time as the table shows it."""
    return str(think[0]) if think[0] == think[1] else f"{think[0]}-{think[1]}"


# --------------------------------------------------------------------------- the server


def practice_server(data_dir: Path) -> Server:
    """``quiz serve`` (gevent) on a fresh data dir and a free port, logging to the data dir;
    ready once ``GET /api/practice/catalog`` answers 200 (the first start imports the bundled
    banks before it listens)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUIZ_")}
    env |= {"QUIZ_DATA_DIR": str(data_dir), "QUIZ_PRACTICE_SIGNUPS_PER_MINUTE": SIGNUPS_PER_MINUTE}
    env["QUIZ_CONNECTIONS_PER_ADDRESS"] = "0"  # every simulated user is on 127.0.0.1
    argv = [sys.executable, "-m", "quiz", "serve", "--async-mode", "gevent"]
    return Server(argv, env, data_dir / "server.log", "/api/practice/catalog", ready_status=200)


def database_mb(data_dir: Path) -> tuple[float, float]:
    """Sizes in MB of the SQLite file and of its write-ahead log."""

    def mb(path: Path) -> float:
        return path.stat().st_size / 2**20 if path.exists() else 0.0

    main = data_dir / "leitai.sqlite3"
    return mb(main), mb(main.with_name(main.name + "-wal"))


# --------------------------------------------------------------------------- client processes


def response_for(question: dict[str, Any], rng: random.Random) -> Any:
    """A random well-formed response to ``question`` (docs/practice.md): an option index for
    single, a non-empty set of indices for multiple, a permutation for order, a boolean for
    truefalse, text for fill."""
    options = len(question.get("options") or [])
    match question["type"]:
        case "single":
            return rng.randrange(options)
        case "multiple":
            return sorted(rng.sample(range(options), rng.randint(1, options)))
        case "order":
            return rng.sample(range(options), options)
        case "truefalse":
            return rng.random() < 0.5
        case _:
            return "拉萨"


@dataclass
class User:
    """One simulated user: its own HTTP session (cookie jar, keep-alive connection) and its
    current sitting (None before the first) and open question (None when it is finished)."""

    name: str
    session: aiohttp.ClientSession
    rng: random.Random
    sitting: int | None = None
    question: dict[str, Any] | None = None


@dataclass
class Tally:
    """What the users of one client process saw in one phase."""

    latencies_ms: list[float] = field(default_factory=list)  # accepted, inside the window
    done_ms: list[float] = field(default_factory=list)  # their arrival, from the window's start
    outcomes: dict[str, int] = field(default_factory=dict)  # "answer 200", "start 409 ...", ...
    warmup_errors: dict[str, int] = field(default_factory=dict)
    correct: int = 0
    start_ms: list[float] = field(default_factory=list)  # sitting starts inside the window


async def call(
    user: User, method: str, path: str, body: dict[str, Any] | None
) -> tuple[str, dict[str, Any] | None]:
    """Send one request; the outcome is the status (with the error code of a refusal) or the
    transport error's class name, and the JSON answer when it was 2xx."""
    try:
        async with user.session.request(method, path, json=body) as reply:
            data = await reply.json(content_type=None)
            if reply.status < 300:
                return str(reply.status), data
            code = data.get("error", {}).get("code") if isinstance(data, dict) else None
            return f"{reply.status} {code}", None
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        return error.__class__.__name__, None


def count(tally: Tally, outcome: str, what: str, done: float, window: tuple[float, float]) -> None:
    """Count a finished request: outcomes inside the window, errors in the warm-up too."""
    key = f"{what} {outcome}"
    if window[0] <= done < window[1]:
        tally.outcomes[key] = tally.outcomes.get(key, 0) + 1
    elif done < window[0] and outcome != str(OK[what]):
        tally.warmup_errors[key] = tally.warmup_errors.get(key, 0) + 1


async def start_sitting(
    user: User, questions: int, tally: Tally, window: tuple[float, float]
) -> bool:
    """Start a practice sitting of ``questions`` questions, or of 1 to ``questions`` for the
    user's first (so that users started together do not all finish their sittings together);
    whether it was started (201)."""
    if user.sitting is None:
        questions = user.rng.randint(1, questions)
    sent = time.monotonic()
    outcome, data = await call(
        user, "POST", "/api/practice/sittings", {"mode": "practice", "count": questions}
    )
    done = time.monotonic()
    count(tally, outcome, "start", done, window)
    if data is None:
        return False
    if window[0] <= done < window[1]:
        tally.start_ms.append((done - sent) * 1000)
    user.sitting, user.question = data["id"], data["question"]
    return True


async def run_user(user: User, phase: dict[str, Any], tally: Tally) -> None:
    """One user's loop until the window closes: (start a sitting if none is open,) think, then
    answer the open question or read the catalog, and wait for the reply."""
    kind: str = phase["kind"]
    low, high = phase["think"]
    window = (phase["measure_from"], phase["until"])
    await asyncio.sleep(max(0.0, phase["start"] - time.monotonic()))
    while time.monotonic() < window[1]:
        if kind == "answer" and user.question is None:
            if not await start_sitting(user, phase["count"], tally, window):
                await asyncio.sleep(ERROR_PAUSE_S)
            continue
        if high:
            await asyncio.sleep(user.rng.uniform(low, high) / 1000)
            if time.monotonic() >= window[1]:
                break
        sent = time.monotonic()
        if kind == "answer":
            assert user.question is not None
            body = {
                "position": user.question["position"],
                "response": response_for(user.question, user.rng),
            }
            outcome, data = await call(
                user, "POST", f"/api/practice/sittings/{user.sitting}/answers", body
            )
        else:
            outcome, data = await call(user, "GET", "/api/practice/catalog", None)
        done = time.monotonic()
        count(tally, outcome, kind, done, window)
        if data is not None and window[0] <= done < window[1]:
            tally.latencies_ms.append((done - sent) * 1000)
            tally.done_ms.append((done - window[0]) * 1000)
            tally.correct += bool(data.get("correct"))
        if kind == "answer":
            # A refused answer leaves the sitting in a state this user no longer knows.
            user.question = data["sitting"]["question"] if data is not None else None
        if data is None:
            await asyncio.sleep(ERROR_PAUSE_S)


async def sign_up(user: User, gate: asyncio.Semaphore, index: int) -> str:
    """Register the user (``POST /api/practice/register``); the outcome as :func:`call` gives it."""
    async with gate:
        # The page first, as a browser opens it: its token goes with every later POST.
        try:
            async with user.session.get("/practice") as page:
                user.session.headers["X-CSRFToken"] = csrf_token(await page.text())
        except (aiohttp.ClientError, TimeoutError, RuntimeError) as error:
            return error.__class__.__name__
        outcome, _ = await call(
            user,
            "POST",
            "/api/practice/register",
            {
                "name": user.name,
                "detachment": DETACHMENTS[index % len(DETACHMENTS)],
                "password": PASSWORD,
            },
        )
    return outcome


def say(message: dict[str, Any]) -> None:
    """A message to the parent process: one JSON line on stdout."""
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def worker(config: dict[str, Any]) -> None:
    """A client process: sign its users up, then run each phase the parent sends and report
    its tally; ``quit`` ends it."""
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    users = [
        User(
            name,
            aiohttp.ClientSession(
                base_url=config["url"],
                # unsafe: keep cookies from an IP address (127.0.0.1), as a browser does
                cookie_jar=aiohttp.CookieJar(unsafe=True),
                timeout=timeout,
            ),
            random.Random(f"{config['seed']}-{name}"),
        )
        for name in config["names"]
    ]
    started = time.monotonic()
    gate = asyncio.Semaphore(SIGNUP_PARALLEL)
    outcomes = await asyncio.gather(
        *(sign_up(user, gate, index) for index, user in zip(config["indices"], users, strict=True))
    )
    failures: dict[str, int] = {}
    for outcome in outcomes:
        if outcome != "201":
            failures[outcome] = failures.get(outcome, 0) + 1
    say({"event": "ready", "seconds": time.monotonic() - started, "failures": failures})
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line or json.loads(line)["cmd"] == "quit":
            break
        phase = json.loads(line)
        tally = Tally()
        await asyncio.gather(*(run_user(user, phase, tally) for user in users))
        say({"event": "phase", **asdict(tally)})
    for user in users:
        await user.session.close()


def worker_main() -> None:
    """Entry point of a client process: its config is the first line of stdin."""
    config = json.loads(sys.stdin.readline())
    if has_uvloop():
        import uvloop  # noqa: PLC0415 (optional: a cheaper event loop for the clients)

        uvloop.run(worker(config))
    else:
        asyncio.run(worker(config))


class Workers:
    """The client processes of one server and the JSON lines they send back."""

    def __init__(self) -> None:
        self.processes: list[asyncio.subprocess.Process] = []

    async def start(self, url: str, users: int, procs: int, seed: int, err: Path) -> None:
        """Spawn ``procs`` client processes sharing ``users`` users between them."""
        for index in range(procs):
            indices = list(range(index, users, procs))
            with err.open("ab") as stderr:
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "--worker",
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=stderr,
                    cwd=ROOT,
                    limit=MESSAGE_LIMIT,
                )
            config = {
                "url": url,
                "names": [f"bench-{i:04d}" for i in indices],
                "indices": indices,
                "seed": seed,
            }
            self.processes.append(process)
            await self.send(process, config)

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]

    @staticmethod
    async def send(process: asyncio.subprocess.Process, message: dict[str, Any]) -> None:
        """One JSON line to a client process."""
        assert process.stdin is not None
        process.stdin.write((json.dumps(message) + "\n").encode())
        await process.stdin.drain()

    async def broadcast(self, message: dict[str, Any]) -> None:
        """One JSON line to every client process."""
        for process in self.processes:
            await self.send(process, message)

    async def collect(self, event: str, timeout: float) -> list[dict[str, Any]]:
        """The next message of each process, which must be ``event``, within ``timeout`` s."""

        async def one(process: asyncio.subprocess.Process) -> dict[str, Any]:
            assert process.stdout is not None
            line = await process.stdout.readline()
            if not line:
                raise RuntimeError(f"client process {process.pid} exited")
            message: dict[str, Any] = json.loads(line)
            if message.get("event") != event:
                raise RuntimeError(f"expected {event!r} from a client, got {message}")
            return message

        return list(
            await asyncio.wait_for(asyncio.gather(*(one(p) for p in self.processes)), timeout)
        )

    async def stop(self) -> None:
        """Ask every process to quit; kill those that do not within a few seconds."""
        for process in self.processes:
            if process.returncode is None:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    await self.send(process, {"cmd": "quit"})
        for process in self.processes:
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


# --------------------------------------------------------------------------- measuring


@dataclass
class Phase:
    """One measured window of one request kind at one think time, on one server."""

    repeat: int
    think: str
    kind: str  # "answer" or "catalog"
    users: int
    seconds: float
    latencies_ms: list[float]
    done_ms: list[float]  # when each of them arrived, from the window's start
    outcomes: dict[str, int]
    warmup_errors: dict[str, int]
    per_second: list[int]  # accepted requests in each second of the window
    correct: int
    starts: int  # sittings started inside the window
    start_p50_ms: float
    server_cpu_pct: float  # % of one core
    server_rss_mb: float
    client_cpu_pct: list[float]  # each client process, % of one core
    other_load: float  # cores busy with other programs
    steal: float  # cores the hypervisor gave to other machines

    @property
    def accepted(self) -> int:
        return len(self.latencies_ms)

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds

    @property
    def errors(self) -> dict[str, int]:
        """Every outcome in the window that is not the expected success."""
        return {
            key: n
            for key, n in self.outcomes.items()
            if key.split(" ", 1)[1] != str(OK[key.split(" ", 1)[0]])
        }

    def q(self, level: float) -> float:
        """Nearest-rank latency percentile (ms) of the accepted requests."""
        return percentile(self.latencies_ms, level)

    @property
    def cpu_ms_per_request(self) -> float:
        """Server CPU per accepted request (sitting starts included in the answer phase)."""
        return (
            math.nan
            if not self.accepted
            else self.server_cpu_pct * self.seconds * 10 / (self.accepted)
        )


def snapshot(
    server: int, clients: list[int]
) -> tuple[float, float, list[float], tuple[float, float], float]:
    """Clock, server CPU, each client's CPU, the machine's process and stolen CPU, and this
    process's CPU."""
    return (
        time.monotonic(),
        proc_cpu_s(server),
        [proc_cpu_s(pid) for pid in clients],
        machine_cpu_s(),
        proc_cpu_s(os.getpid()),
    )


async def measure_phase(
    server: Server,
    workers: Workers,
    args: argparse.Namespace,
    repeat: int,
    think: tuple[int, int],
    kind: str,
) -> Phase:
    """Run one phase on every client process and read the server and the machine over its
    measured window."""
    start = time.monotonic() + START_DELAY_S
    measure_from = start + args.warmup
    until = measure_from + args.duration
    await workers.broadcast(
        {
            "cmd": "phase",
            "kind": kind,
            "think": list(think),
            "count": args.count,
            "start": start,
            "measure_from": measure_from,
            "until": until,
        }
    )
    await asyncio.sleep(measure_from - time.monotonic())
    before = snapshot(server.pid, workers.pids)
    await asyncio.sleep(until - time.monotonic())
    after = snapshot(server.pid, workers.pids)
    rss_mb = proc_kb(server.pid, "VmRSS") / 1024
    tallies = await workers.collect("phase", REQUEST_TIMEOUT_S + 15)
    elapsed = after[0] - before[0]
    server_cpu = after[1] - before[1]
    clients_cpu = [b - a for a, b in zip(before[2], after[2], strict=True)]
    ours = server_cpu + sum(clients_cpu) + after[4] - before[4]
    outcomes: dict[str, int] = {}
    warmup_errors: dict[str, int] = {}
    for tally in tallies:
        for mine, total in ((tally["outcomes"], outcomes), (tally["warmup_errors"], warmup_errors)):
            for key, n in mine.items():
                total[key] = total.get(key, 0) + n
    per_second = [0] * math.ceil(args.duration)
    for tally in tallies:
        for done in tally["done_ms"]:
            per_second[min(len(per_second) - 1, int(done // 1000))] += 1
    starts = [ms for tally in tallies for ms in tally["start_ms"]]
    return Phase(
        repeat=repeat,
        think=think_label(think),
        kind=kind,
        users=args.users,
        seconds=args.duration,
        latencies_ms=[ms for tally in tallies for ms in tally["latencies_ms"]],
        done_ms=[ms for tally in tallies for ms in tally["done_ms"]],
        outcomes=outcomes,
        warmup_errors=warmup_errors,
        per_second=per_second,
        correct=sum(tally["correct"] for tally in tallies),
        starts=len(starts),
        start_p50_ms=percentile(starts, 0.5),
        server_cpu_pct=100 * server_cpu / elapsed,
        server_rss_mb=rss_mb,
        client_cpu_pct=[100 * cpu / elapsed for cpu in clients_cpu],
        other_load=max(0.0, after[3][0] - before[3][0] - ours) / elapsed,
        steal=(after[3][1] - before[3][1]) / elapsed,
    )


@dataclass
class Repeat:
    """What one server's life showed besides the phases: sign-up, memory, database, log."""

    repeat: int
    signup_s: float = math.nan
    signup_server_cpu_pct: float = math.nan
    signup_failures: dict[str, int] = field(default_factory=dict)
    peak_rss_mb: float = math.nan
    database_mb: float = math.nan
    wal_mb: float = math.nan
    complaints: list[str] = field(default_factory=list)
    exit_code: int | None = None
    error: str | None = None
    kept: str | None = None  # the data dir (database, server log), kept when something failed


async def run_repeat(
    args: argparse.Namespace,
    repeat: int,
    deadline: float,
    phases: list[Phase],
    skipped: list[str],
) -> Repeat:
    """Start a server, sign the users up, and run every think time's two phases on it (their
    order alternates with the repeat), within the deadline; the server stops in any case."""
    info = Repeat(repeat)
    data_dir = Path(tempfile.mkdtemp(prefix=f"leitai-practice-{repeat}-"))
    server = practice_server(data_dir)
    workers = Workers()
    try:
        log(f"repeat {repeat}: starting the server (fresh data dir {data_dir})")
        await asyncio.to_thread(server.start)
        cpu_from, clock_from = proc_cpu_s(server.pid), time.monotonic()
        await workers.start(server.url, args.users, args.procs, repeat, data_dir / "clients.err")
        ready = await workers.collect("ready", 120 + args.users)
        info.signup_server_cpu_pct = (
            100 * (proc_cpu_s(server.pid) - cpu_from) / (time.monotonic() - clock_from)
        )
        info.signup_s = max(message["seconds"] for message in ready)
        for message in ready:
            for key, n in message["failures"].items():
                info.signup_failures[key] = info.signup_failures.get(key, 0) + n
        log(
            f"repeat {repeat}: {args.users} users signed up in {info.signup_s:.1f} s (server "
            f"CPU {info.signup_server_cpu_pct:.0f}%)"
        )
        if info.signup_failures:
            raise RuntimeError(f"sign-ups refused: {info.signup_failures}")
        kinds = ("answer", "catalog") if repeat % 2 else ("catalog", "answer")
        for think in args.think_ms:
            for kind in kinds:
                if time.monotonic() + START_DELAY_S + args.warmup + args.duration + SLACK_S > (
                    deadline
                ):
                    skipped.append(f"repeat {repeat} think {think_label(think)} {kind}")
                    continue
                phase = await measure_phase(server, workers, args, repeat, think, kind)
                phases.append(phase)
                log(
                    f"repeat {repeat} think {phase.think} {kind}: {phase.rate:.0f}/s, p50 "
                    f"{phase.q(0.5):.1f} p99 {phase.q(0.99):.1f} max {phase.q(1):.1f} ms, server "
                    f"CPU {phase.server_cpu_pct:.0f}%, clients "
                    f"{'/'.join(f'{c:.0f}' for c in phase.client_cpu_pct)}%, errors "
                    f"{phase.errors or 0}"
                )
        info.peak_rss_mb = proc_kb(server.pid, "VmHWM") / 1024
    except Exception as error:
        info.error = f"{error!r}"
        log(f"repeat {repeat}: ERROR {error!r}")
    finally:
        await workers.stop()
        server.stop()
        info.database_mb, info.wal_mb = database_mb(data_dir)
        info.complaints = server.complaints(LOG_WORDS)
        info.exit_code = server.process.returncode if server.process else None
        trouble = (
            info.error
            or info.complaints
            or any(p.errors or p.warmup_errors for p in phases if p.repeat == repeat)
        )
        if trouble:
            info.kept = str(data_dir)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    return info


# --------------------------------------------------------------------------- reporting


def machine_line() -> str:
    """Which machine and software the figures are from, and when."""
    model = "unknown CPU"
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        model = next(
            line.split(":", 1)[1].strip()
            for line in lscpu.splitlines()
            if line.startswith("Model name")
        )
    except (OSError, subprocess.CalledProcessError, StopIteration):
        pass
    packages = ", ".join(
        f"{name} {version(name)}" for name in ("Flask", "gevent", "SQLAlchemy", "aiohttp")
    )
    return (
        f"{os.cpu_count()} x {model} (lscpu), Linux {platform.release()}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, {packages}; "
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    )


def fmt(value: float, digits: int = 0) -> str:
    """A number for the table; a dash for NaN."""
    return "-" if math.isnan(value) else f"{value:,.{digits}f}"


def median(values: list[float]) -> float:
    """The median, NaN for none."""
    return statistics.median(values) if values else math.nan


def latencies(phase: Phase) -> str:
    """p50 / p90 / p99 / max of a phase, in ms."""
    return " / ".join(fmt(phase.q(level), 1) for level in (0.5, 0.9, 0.99, 1.0))


def summary_table(phases: list[Phase], think_ms: list[tuple[int, int]]) -> str:
    """Medians over the repeats: answers against the catalog baseline, one row per think time."""
    lines = [
        "| think (ms) | users | answers/s | answer p50 / p90 / p99 / max (ms) | catalog/s "
        "| catalog p50 / p90 / p99 / max (ms) | p50 ratio | throughput ratio "
        "| server CPU % answer / catalog | errors | repeats |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for think in map(think_label, think_ms):
        answer = [p for p in phases if p.think == think and p.kind == "answer"]
        catalog = [p for p in phases if p.think == think and p.kind == "catalog"]
        if not answer and not catalog:
            continue

        def med(group: list[Phase], level: float) -> float:
            return median([p.q(level) for p in group])

        answer_p50, catalog_p50 = med(answer, 0.5), med(catalog, 0.5)
        answer_rate = median([p.rate for p in answer])
        catalog_rate = median([p.rate for p in catalog])
        errors = sum(n for p in answer + catalog for n in p.errors.values())
        users = (answer + catalog)[0].users
        lines.append(
            f"| {think} | {users} | {fmt(answer_rate)} "
            f"| {' / '.join(fmt(med(answer, q), 1) for q in (0.5, 0.9, 0.99, 1.0))} "
            f"| {fmt(catalog_rate)} "
            f"| {' / '.join(fmt(med(catalog, q), 1) for q in (0.5, 0.9, 0.99, 1.0))} "
            f"| {fmt(answer_p50 / catalog_p50, 2)} | {fmt(answer_rate / catalog_rate, 2)} "
            f"| {fmt(median([p.server_cpu_pct for p in answer]))} / "
            f"{fmt(median([p.server_cpu_pct for p in catalog]))} "
            f"| {errors} | {max(len(answer), len(catalog))} |"
        )
    return "\n".join(lines)


def repeat_table(phases: list[Phase], think_ms: list[tuple[int, int]]) -> str:
    """Every phase of every repeat, with what the server and the clients used."""
    lines = [
        "| repeat | think (ms) | request | accepted | per s | p50 / p90 / p99 / max (ms) "
        "| slowest second (accepted) | server CPU % | server CPU ms per request | server RSS MB "
        "| client CPU % per process | other programs (cores) | sittings started | correct |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    order = [think_label(think) for think in think_ms]
    for p in sorted(phases, key=lambda p: (order.index(p.think), p.repeat, p.kind)):
        answers = p.kind == "answer"
        right = f"{fmt(100 * p.correct / p.accepted)}%" if answers and p.accepted else "-"
        lines.append(
            f"| {p.repeat} | {p.think} | {p.kind} | {p.accepted:,} | {fmt(p.rate)} "
            f"| {latencies(p)} | {min(p.per_second, default=0):,} | {fmt(p.server_cpu_pct)} "
            f"| {fmt(p.cpu_ms_per_request, 2)} | {fmt(p.server_rss_mb)} "
            f"| {' / '.join(fmt(c) for c in p.client_cpu_pct)} | {p.other_load:.2f} "
            f"| {p.starts if answers else '-'} | {right} |"
        )
    return "\n".join(lines)


def notes(
    phases: list[Phase], repeats: list[Repeat], skipped: list[str], budget: float
) -> list[str]:
    """Errors, refusals, server log complaints, saturation and disturbance worth reading."""
    found = []
    for info in repeats:
        where = f"repeat {info.repeat}"
        found.append(
            f"- {where}: sign-up of the users {fmt(info.signup_s, 1)} s (server CPU "
            f"{fmt(info.signup_server_cpu_pct)}%); server peak RSS "
            f"{fmt(info.peak_rss_mb)} MB; database {fmt(info.database_mb, 1)} MB + WAL "
            f"{fmt(info.wal_mb, 1)} MB at the end"
        )
        if info.error:
            found.append(f"- {where}: ERROR {info.error}")
        if info.kept:
            found.append(f"- {where}: its data dir (database, server.log) is kept in {info.kept}")
        if info.complaints:
            kinds: dict[str, int] = {}
            for line in info.complaints:
                key = re.sub(r"\d+", "N", line)[:120]
                kinds[key] = kinds.get(key, 0) + 1
            shown = "; ".join(f"{n} x {key!r}" for key, n in kinds.items())
            found.append(f"- {where}: server log: {shown}")
    for p in phases:
        where = f"repeat {p.repeat} think {p.think} {p.kind}"
        if p.errors:
            found.append(f"- {where}: refused or failed in the window: {p.errors}")
        if p.warmup_errors:
            found.append(f"- {where}: refused or failed in the warm-up: {p.warmup_errors}")
        if p.other_load > 0.15:
            found.append(f"- {where}: other programs kept {p.other_load:.2f} core(s) busy")
        if p.steal > 0.05:
            found.append(f"- {where}: the hypervisor took {p.steal:.2f} core(s) (steal)")
        if max(p.client_cpu_pct, default=0) > 90:
            found.append(f"- {where}: a client process used over 90% of a core (client-bound)")
        if p.server_cpu_pct > 90:
            found.append(f"- {where}: the server used over 90% of its one core (server-bound)")
    for kind in ("answer", "catalog"):
        group = [p for p in phases if p.kind == kind and p.accepted]
        if group:
            per_request = median(
                [sum(p.client_cpu_pct) * p.seconds * 10 / p.accepted for p in group]
            )
            found.append(
                f"- clients, {kind}: {per_request:.2f} ms of client CPU per request (median), "
                f"so one client process would saturate near {1000 / per_request:,.0f} requests/s"
            )
    if skipped:
        found.append(f"- over the {budget:.0f} s budget, not run: {', '.join(skipped)}")
    return found


async def run_all(
    args: argparse.Namespace, phases: list[Phase], repeats: list[Repeat], skipped: list[str]
) -> None:
    """Every repeat, each on a fresh server, within the budget."""
    deadline = time.monotonic() + args.budget
    for repeat in range(1, args.repeats + 1):
        if time.monotonic() + 60 + args.warmup + args.duration > deadline:
            skipped.append(f"repeat {repeat}")
            continue
        repeats.append(await run_repeat(args, repeat, deadline, phases, skipped))


def main() -> None:
    """Measure, then print the tables (medians, every repeat) and the notes."""
    if "--worker" in sys.argv[1:]:
        worker_main()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30, help="measured seconds per phase")
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured seconds first")
    parser.add_argument(
        "--think-ms",
        type=think_range,
        nargs="+",
        default=[(0, 0)],
        help="think time before each request: MS or LOW-HIGH (uniform); several run in turn",
    )
    parser.add_argument("--repeats", type=int, default=3, help="each on a fresh server")
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--count", type=int, default=10, help="questions per practice sitting")
    parser.add_argument("--budget", type=float, default=900, help="seconds for the whole run")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    args = parser.parse_args()
    phases: list[Phase] = []
    repeats: list[Repeat] = []
    skipped: list[str] = []
    try:
        asyncio.run(asyncio.wait_for(run_all(args, phases, repeats, skipped), args.budget))
    except TimeoutError:
        skipped.append("the rest (the run hit its budget)")
    command = shlex.join(["python", "benchmarks/practice_bench.py", *sys.argv[1:]])
    print(f"Medians of {args.repeats} repeat(s):\n")
    print(summary_table(phases, args.think_ms))
    print("\nEvery repeat:\n")
    print(repeat_table(phases, args.think_ms))
    print(
        f"\n{machine_line()}\n`{command}`: {args.users} users in {args.procs} client processes "
        f"({'uvloop' if has_uvloop() else 'asyncio'}), {args.warmup:g} s warm-up then "
        f"{args.duration:g} s measured per phase, practice sittings of {args.count} questions"
    )
    found = notes(phases, repeats, skipped, args.budget)
    if found:
        print("\n" + "\n".join(found))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "command": command,
                    "machine": machine_line(),
                    "phases": [
                        {
                            **asdict(p),
                            "latencies_ms": [round(ms, 2) for ms in p.latencies_ms],
                            "done_ms": [round(ms, 1) for ms in p.done_ms],
                            "accepted": p.accepted,
                            "per_s": p.rate,
                            "p50_ms": p.q(0.5),
                            "p90_ms": p.q(0.9),
                            "p99_ms": p.q(0.99),
                            "max_ms": p.q(1.0),
                            "errors": p.errors,
                        }
                        for p in phases
                    ],
                    "repeats": [asdict(info) for info in repeats],
                    "skipped": skipped,
                },
                indent=1,
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
