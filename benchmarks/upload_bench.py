"""A live contest's host acks while a big bank is uploaded: does an upload freeze contests?

Usage: python benchmarks/upload_bench.py [--questions 100000] [--repeats 3] [--interval 0.05]

Per repeat: starts a real ``quiz serve`` (gevent, the default) on a free 127.0.0.1 port with a
fresh QUIZ_DATA_DIR (SQLite) and the web tests' templates, logs in as the host, creates a contest
and connects the host's console as a python-socketio client. A thread sends ``AdjustScore``
(+1/-1 with a note) every ``--interval`` seconds and times each ack. Phases, in one run:

1. **baseline**: 5 s with nothing else happening;
2. **validate**: ``POST /api/banks/validate`` of a generated bank of ``--questions`` short
   questions (100,000 make 14.4 MB, the size that once froze the server for 30 s);
3. **import**: ``POST /api/banks/import`` of the same file.

An ack belongs to the phase during which it was sent. Reported per phase (medians over the
repeats): acks, acks refused (e.g. ``internal`` on a locked database), p50, p99 (nearest rank)
and max in ms, p99 over the baseline's p99, and how long the upload's request took.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests
import socketio
from benchlib import ROOT, Server, log, percentile

PASSWORD = "bench-password-123"
TEMPLATES = ROOT / "tests" / "web" / "templates"
BANKS = ["party-history", "tibet-history", "fire-rescue", "tibet-geography"]
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
PHASES = ("baseline", "validate", "import")


def bank_bytes(size: int, bank_id: str = "upload-bench", seed: int = 0) -> bytes:
    """A bank of ``size`` short true/false questions, one flow mapping a line (~145 B each)."""
    rng = random.Random(seed)
    characters = [chr(code) for code in range(0x4E00, 0x4E00 + 2000)]

    def words(count: int) -> str:
        return "".join(rng.choices(characters, k=count))

    lines = [
        f"bank: {{id: {bank_id}, title: 上传压测, language: zh-CN, version: 1, authors: [bench]}}",
        "questions:",
    ]
    lines.extend(
        f"- {{id: q{index}, type: truefalse, text: {words(5)}, answer: true, "
        f"explanation: {words(2)}, source: 生, difficulty: 1, tags: [t], status: draft}}"
        for index in range(size)
    )
    return ("\n".join(lines) + "\n").encode("utf-8")


class Host(requests.Session):
    """The host's HTTP session: every POST carries the CSRF token of a fresh page."""

    def post(self, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        base = re.sub(r"(https?://[^/]+).*", r"\1", str(url))
        page = self.get(base + "/login", timeout=30).text
        token = CSRF_META.search(page)
        headers = {**kwargs.pop("headers", {}), **({"X-CSRFToken": token[1]} if token else {})}
        return super().post(url, *args, headers=headers, **kwargs)


def start_server(work: Path, database_url: str | None) -> Server:
    """A fresh ``quiz serve`` with the host password set, started."""
    data = Path(tempfile.mkdtemp(prefix="data-", dir=work))
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUIZ_")}
    env |= {"QUIZ_DATA_DIR": str(data), "QUIZ_TEMPLATES_DIR": str(TEMPLATES)}
    if database_url:
        env["QUIZ_DATABASE_URL"] = database_url
    quiz = [sys.executable, "-m", "quiz"]
    subprocess.run(
        [*quiz, "admin", "set-password", "--password", PASSWORD],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    server = Server([*quiz, "serve"], env, data / "server.log", "/api/contests/NONE")
    server.start()
    return server


class Pinger:
    """The host's console sending a command every ``interval`` s and timing each ack."""

    def __init__(self, url: str, host: Host, code: str, interval: float) -> None:
        self.interval = interval
        self.samples: list[tuple[float, float]] = []  # (sent at, ack ms)
        self.failures: list[tuple[float, str]] = []  # (sent at, the refusal's code)
        self.stopping = threading.Event()
        self.client = socketio.Client(reconnection=False)
        cookie = "; ".join(f"{name}={value}" for name, value in host.cookies.items())
        self.client.connect(
            url,
            auth={"role": "host", "contest": code},
            headers={"Cookie": cookie},
            transports=["websocket"],
            wait_timeout=30,
        )
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        count = 0
        while not self.stopping.is_set():
            count += 1
            command = {
                "type": "AdjustScore",
                "team": "lhasa",
                "delta": 1 if count % 2 else -1,
                "note": "上传压测",
            }
            sent = time.perf_counter()
            ack = self.client.call("command", command, timeout=120)
            if not ack.get("ok"):
                self.failures.append((sent, str(ack.get("code"))))
            self.samples.append((sent, (time.perf_counter() - sent) * 1000))
            self.stopping.wait(max(0.0, self.interval - (time.perf_counter() - sent)))

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=180)
        self.client.disconnect()


def one_run(
    work: Path, data: bytes, interval: float, database_url: str | None
) -> dict[str, dict[str, float]]:
    """The three phases against one fresh server: each phase's ack figures and duration."""
    server = start_server(work, database_url)
    try:
        host = Host()
        host.post(server.url + "/login", data={"password": PASSWORD}, timeout=30)
        created = host.post(
            server.url + "/api/contests",
            json={"title": "上传压测", "template": "mini", "banks": BANKS, "seed": 11},
            timeout=60,
        )
        created.raise_for_status()
        pinger = Pinger(server.url, host, created.json()["code"], interval)
        pinger.thread.start()
        spans: dict[str, tuple[float, float]] = {}
        start = time.perf_counter()
        time.sleep(5)
        spans["baseline"] = (start, time.perf_counter())
        for phase in ("validate", "import"):
            start = time.perf_counter()
            answer = host.post(
                f"{server.url}/api/banks/{phase}",
                files={"file": ("upload-bench.yaml", data)},
                timeout=600,
            )
            spans[phase] = (start, time.perf_counter())
            if answer.status_code != 200 or not answer.json().get("ok"):
                raise RuntimeError(f"{phase} failed: {answer.status_code} {answer.text[:300]}")
            log(f"{phase}: {spans[phase][1] - spans[phase][0]:.1f} s")
        time.sleep(interval * 2)
        pinger.stop()
    finally:
        server.stop()
        for line in server.complaints(("Error", "Traceback", "locked", "WARNING")):
            log(f"server: {line}")
    figures: dict[str, dict[str, float]] = {}
    for phase, (begin, end) in spans.items():
        acks = [ms for sent, ms in pinger.samples if begin <= sent < end]
        failed = [code for sent, code in pinger.failures if begin <= sent < end]
        figures[phase] = {
            "acks": len(acks),
            "failed": len(failed),
            "p50": percentile(acks, 0.5),
            "p99": percentile(acks, 0.99),
            "max": max(acks, default=float("nan")),
            "seconds": end - begin,
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between commands")
    parser.add_argument(
        "--database-url",
        help="an empty database for the server instead of a fresh SQLite file per repeat "
        "(postgresql+psycopg://...); each repeat uploads a bank of its own id",
    )
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for repeat in range(args.repeats):
            data = bank_bytes(args.questions, f"upload-bench-{os.getpid()}-{repeat}")
            log(f"bank of {args.questions:,} questions, {len(data) / 1e6:.1f} MB")
            runs.append(one_run(Path(folder), data, args.interval, args.database_url))
            log(f"repeat {repeat + 1}: {runs[-1]}")
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}; {args.questions:,} "
        f"questions ({len(data) / 1e6:.1f} MB), "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}; medians of {args.repeats}"
    )
    print("| phase | acks | refused | p50 ms | p99 ms | max ms | p99 / baseline p99 | phase s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    base = statistics.median(run["baseline"]["p99"] for run in runs)
    for phase in PHASES:
        median = {
            key: statistics.median(run[phase][key] for run in runs)
            for key in ("acks", "failed", "p50", "p99", "max", "seconds")
        }
        print(
            f"| {phase} | {median['acks']:.0f} | {median['failed']:.0f} | {median['p50']:.1f} | "
            f"{median['p99']:.1f} | "
            f"{median['max']:.1f} | {median['p99'] / base:.1f}x | {median['seconds']:.1f} |"
        )


if __name__ == "__main__":
    main()
