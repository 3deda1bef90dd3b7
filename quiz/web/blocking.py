"""CPU-heavy work that must not stall a gevent server: run it on one of gevent's real threads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, has_app_context

Result = TypeVar("Result")


def off_loop(function: Callable[..., Result], *args: object) -> Result:
    """Run ``function(*args)`` on a real OS thread when serving with gevent, else in place.

    A scrypt hash takes about 0.1 s of CPU; on gevent's single loop thread it froze every other
    request and every live contest for that long (benchmarks/practice_bench.py measured 200
    sign-ups holding the server for 19 s). hashlib.scrypt releases the GIL, so on a real thread
    the loop keeps serving. Only pure computation belongs here: database sessions and gevent's
    patched locks must stay on the loop.
    """
    if has_app_context() and current_app.config.get("ASYNC_MODE") == "gevent":
        import gevent  # noqa: PLC0415 - only a gevent server has a hub to borrow a thread from

        return gevent.get_hub().threadpool.apply(function, args)  # type: ignore[no-any-return]
    return function(*args)
