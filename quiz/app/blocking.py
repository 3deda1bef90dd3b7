"""CPU-heavy work that must not stall a gevent server: run it on one of gevent's real threads."""

from __future__ import annotations

import os
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
