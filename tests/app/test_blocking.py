"""Heavy pure work leaves gevent's loop thread for a real one, and only under gevent."""

from __future__ import annotations

import threading

from quiz.app.blocking import in_place, offload_for, on_real_thread


def test_under_gevent_the_work_runs_on_another_os_thread() -> None:
    offload = offload_for("gevent")
    assert offload is on_real_thread
    assert offload(threading.get_ident) != threading.get_ident()
    assert offload(sum, [1, 2, 3]) == 6


def test_otherwise_it_runs_in_place() -> None:
    offload = offload_for("threading")
    assert offload is in_place
    assert offload(threading.get_ident) == threading.get_ident()
