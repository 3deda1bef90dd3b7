"""Whether one slow or quick client stalls others: back-to-back requests and a sign-up burst.

Usage: python benchmarks/responsiveness_bench.py [--signups 20] [--requests 100] [--repeats 3]

Starts a real ``quiz serve`` (gevent, the default) on a free 127.0.0.1 port with a fresh
QUIZ_DATA_DIR and QUIZ_PRACTICE_SIGNUPS_PER_MINUTE=100000 (every client is on 127.0.0.1), then:

1. **Back to back**: one user on one keep-alive connection sends ``--requests`` catalog reads and
   as many practice answers, each right after the reply to the last. Nagle's algorithm on the
   server's sockets once made each such request wait about 40 ms for a delayed ACK.
2. **Sign-up burst**: a poller reads ``GET /api/practice/me`` every 10 ms on its own connection,
   first for 2 s with nothing else happening (the baseline), then while ``--signups`` users
   register at once. A password hash on the server's loop thread once held every other request
   for about 0.1 s per sign-up.

Reported per repeat and as medians: the back-to-back p50 and p99 (nearest rank), the poller's
p50 / p99 / max alone and during the burst, their p99 ratio, and the burst's wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests
from benchlib import Server, csrf_token, log, percentile

PASSWORD = "bench-password-123"


def practice_server(data_dir: Path) -> Server:
    """``quiz serve`` on a fresh data dir, ready once the catalog answers 200."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUIZ_")}
    env |= {"QUIZ_DATA_DIR": str(data_dir), "QUIZ_PRACTICE_SIGNUPS_PER_MINUTE": "100000"}
    env["QUIZ_CONNECTIONS_PER_ADDRESS"] = "0"  # every client is on 127.0.0.1
    argv = [sys.executable, "-m", "quiz", "serve"]
    return Server(argv, env, data_dir / "server.log", "/api/practice/catalog", ready_status=200)


def timed(call: Any) -> float:
    """Milliseconds one call takes."""
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def any_response(question: dict[str, Any]) -> Any:
    """A well-formed response for the question's type (right or wrong does not matter)."""
    kind = question["type"]
    if kind == "truefalse":
        return True
    if kind == "fill":
        return "1951"
    if kind == "single":
        return 0
    if kind == "multiple":
        return [0]
    return list(range(len(question["options"])))


def back_to_back(url: str, count: int) -> tuple[list[float], list[float]]:
    """One user's catalog reads and answers, each sent right after the last reply."""
    user = requests.Session()
    user.headers["X-CSRFToken"] = csrf_token(user.get(url + "/practice", timeout=30).text)
    reply = user.post(
        url + "/api/practice/register",
        json={"name": "back-to-back", "detachment": "拉萨支队", "password": PASSWORD},
        timeout=30,
    )
    reply.raise_for_status()
    catalog = [
        timed(lambda: user.get(url + "/api/practice/catalog", timeout=30)) for _ in range(count)
    ]
    answers: list[float] = []
    sitting: dict[str, Any] = {"finished": True}
    while len(answers) < count:
        if sitting["finished"]:
            sitting = user.post(
                url + "/api/practice/sittings", json={"mode": "practice", "count": 20}, timeout=30
            ).json()
        shown = sitting["question"]
        body = {"position": shown["position"], "response": any_response(shown)}
        path = f"{url}/api/practice/sittings/{sitting['id']}/answers"
        start = time.perf_counter()
        reply = user.post(path, json=body, timeout=30)
        answers.append((time.perf_counter() - start) * 1000)
        reply.raise_for_status()
        sitting = reply.json()["sitting"]
    return catalog, answers


def poll_while(url: str, action: Any) -> tuple[list[float], float]:
    """Poll ``/api/practice/me`` every 10 ms while ``action()`` runs; its latencies and the
    action's wall time."""
    latencies: list[float] = []
    done = threading.Event()

    def poll() -> None:
        poller = requests.Session()
        while not done.is_set():
            latencies.append(timed(lambda: poller.get(url + "/api/practice/me", timeout=30)))
            time.sleep(0.01)

    thread = threading.Thread(target=poll)
    thread.start()
    time.sleep(0.3)
    started = time.perf_counter()
    action()
    wall = time.perf_counter() - started
    done.set()
    thread.join()
    return latencies, wall


def sign_up_burst(url: str, count: int, repeat: int) -> None:
    """``count`` users register at the same moment, each on its own connection."""
    barrier = threading.Barrier(count)

    def one(index: int) -> None:
        with requests.Session() as user:
            # The page first, as a browser opens it, so that the burst is the sign-ups alone.
            user.headers["X-CSRFToken"] = csrf_token(user.get(url + "/practice", timeout=60).text)
            barrier.wait()
            reply = user.post(
                url + "/api/practice/register",
                json={
                    "name": f"b{repeat}-{index}",
                    "detachment": "日喀则支队",
                    "password": PASSWORD,
                },
                timeout=60,
            )
            reply.raise_for_status()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def one_repeat(args: argparse.Namespace, repeat: int) -> dict[str, float]:
    """A fresh server, then both measurements."""
    server = practice_server(Path(tempfile.mkdtemp(prefix="responsiveness-")))
    try:
        server.start()
        catalog, answers = back_to_back(server.url, args.requests)
        alone, _ = poll_while(server.url, lambda: time.sleep(2))
        burst, wall = poll_while(
            server.url, lambda: sign_up_burst(server.url, args.signups, repeat)
        )
    finally:
        server.stop()
    figures = {
        "catalog p50": percentile(catalog, 0.5),
        "catalog p99": percentile(catalog, 0.99),
        "answer p50": percentile(answers, 0.5),
        "answer p99": percentile(answers, 0.99),
        "poll alone p50": percentile(alone, 0.5),
        "poll alone p99": percentile(alone, 0.99),
        "poll alone max": max(alone),
        "poll in burst p50": percentile(burst, 0.5),
        "poll in burst p99": percentile(burst, 0.99),
        "poll in burst max": max(burst),
        "burst wall s": wall,
    }
    figures["poll p99 ratio"] = figures["poll in burst p99"] / figures["poll alone p99"]
    log(f"repeat {repeat}: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--signups", type=int, default=20, help="users registering at once")
    parser.add_argument("--requests", type=int, default=100, help="back-to-back requests of each")
    parser.add_argument("--repeats", type=int, default=3, help="fresh servers, medians reported")
    args = parser.parse_args()
    runs = [one_repeat(args, repeat) for repeat in range(1, args.repeats + 1)]
    print(
        "| figure | " + " | ".join(f"repeat {i}" for i in range(1, len(runs) + 1)) + " | median |"
    )
    print("|---|" + "---:|" * (len(runs) + 1))
    for key in runs[0]:
        values = [run[key] for run in runs]
        cells = " | ".join(f"{value:.1f}" for value in values)
        print(f"| {key} | {cells} | {statistics.median(values):.1f} |")
    print(
        f"\n`python benchmarks/responsiveness_bench.py --signups {args.signups} "
        f"--requests {args.requests} --repeats {args.repeats}`; times in ms unless marked s"
    )


if __name__ == "__main__":
    main()
