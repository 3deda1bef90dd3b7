"""CPU-heavy work that must not stall a gevent server: on one of gevent's real threads when the
work releases the GIL (scrypt), in a worker process when it is Python code (reading a bank)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

Result = TypeVar("Result")
# Each scrypt hash holds 32 MB while it runs; more hashes at once than cores would only add
# memory (gevent's default pool of 10 threads peaked at 363 MB during a burst of sign-ups).
POOL_SIZE = min(4, os.cpu_count() or 1)
_pool: Any = None
_pool_lock = threading.Lock()


class Offload(Protocol):
    """How a service runs pure CPU-heavy work: in place, or off the event loop."""

    def __call__(self, function: Callable[..., Result], /, *args: object) -> Result:
        """Run ``function(*args)`` and return its result."""
        ...


def in_place(function: Callable[..., Result], /, *args: object) -> Result:
    """Run ``function(*args)`` on the calling thread (threading servers, the CLI, tests)."""
    return function(*args)


def on_real_thread(function: Callable[..., Result], /, *args: object) -> Result:
    """Run ``function(*args)`` on one of gevent's real OS threads and wait for it.

    A scrypt hash takes about 0.1 s of CPU; on gevent's single loop thread it froze every other
    request and every live contest for that long (benchmarks/practice_bench.py measured 200
    sign-ups holding the server for 19 s). hashlib.scrypt releases the GIL, so on a real thread
    the loop keeps serving. Only pure computation belongs here: database sessions and gevent's
    patched locks must stay on the loop.
    """
    return _gevent_pool().apply(function, args)  # type: ignore[no-any-return]


# A worker may use this much memory (address space) before its allocations fail: checking a
# 44 MB bank peaked at 1.4 GB (16 MB is the upload limit), and a hostile file must not push the
# server out of memory.
WORKER_MEMORY = 3 * 1024**3
_WORKER = "from quiz.app.blocking import serve_one_job; serve_one_job()"


class WorkerFailed(RuntimeError):
    """A worker process died or answered with something that is not a result."""


def in_process(function: Callable[..., Result], /, *args: object) -> Result:
    """Run ``function(*args)`` in a fresh Python process and wait for it; its error is raised here.

    Reading a 15 MB bank is about 30 s of pure Python. On a real thread it still holds the GIL
    for most of that time: checking a 30,000-question bank on gevent's thread pool made the
    loop's 10 ms ticks late by p99 300 ms (max 1.8 s) on a busy 2-core machine, in a worker
    process by p99 54 ms (max 0.4 s). Under gevent the
    ``subprocess`` module is cooperative, so the loop serves everyone while this waits. The
    function and its arguments travel pickled, so they must be importable by name; the result
    should be small (a summary), since unpickling it happens here.
    """
    job = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
    done = subprocess.run(
        [sys.executable, "-c", _WORKER], input=job, capture_output=True, check=False
    )
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["killed"]
        raise WorkerFailed(f"worker exited with {done.returncode}: {reason[0]}")
    succeeded, value = pickle.loads(done.stdout)
    if not succeeded:
        raise value
    return value  # type: ignore[no-any-return]


def serve_one_job() -> None:
    """The worker's side of :func:`in_process`: one pickled job on stdin, its outcome on stdout."""
    import resource  # noqa: PLC0415 - POSIX only, and only in the worker

    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    function, args = pickle.loads(sys.stdin.buffer.read())
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except Exception as error:
        outcome = (False, error)
    try:
        answer = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:
        answer = pickle.dumps((False, WorkerFailed(f"{type(error).__name__}: {error}")))
    sys.stdout.buffer.write(answer)


def offload_for(async_mode: str) -> Offload:
    """Real threads for heavy work under gevent, where the loop is one thread; else in place."""
    return on_real_thread if async_mode == "gevent" else in_place


def _gevent_pool() -> Any:
    """The process's small pool of real threads (made on first use, in the serving process)."""
    global _pool  # noqa: PLW0603 - one pool per process, made lazily so other commands skip gevent
    with _pool_lock:
        if _pool is None:
            from gevent.threadpool import ThreadPool  # noqa: PLC0415 - gevent mode only

            _pool = ThreadPool(POOL_SIZE)
        return _pool
