"""Heavy pure work leaves gevent's loop thread: for a real thread under gevent, or for a worker
process (bank uploads, whose Python would hold the GIL on any thread)."""

from __future__ import annotations

import os
import threading

import pytest

from quiz.app.blocking import WorkerFailed, in_place, in_process, offload_for, on_real_thread


def test_under_gevent_the_work_runs_on_another_os_thread() -> None:
    offload = offload_for("gevent")
    assert offload is on_real_thread
    assert offload(threading.get_ident) != threading.get_ident()
    assert offload(sum, [1, 2, 3]) == 6


def test_otherwise_it_runs_in_place() -> None:
    offload = offload_for("threading")
    assert offload is in_place
    assert offload(threading.get_ident) == threading.get_ident()


def test_in_a_process_the_work_runs_in_another_process_and_returns_its_result() -> None:
    assert in_process(os.getpid) != os.getpid()
    assert in_process(sum, [1, 2, 3]) == 6


def test_the_workers_error_is_raised_in_the_caller() -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        in_process(int, "not a number")


def test_a_worker_that_dies_is_a_worker_failure() -> None:
    with pytest.raises(WorkerFailed, match="exited with 3"):
        in_process(os._exit, 3)
