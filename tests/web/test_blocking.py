"""Heavy pure work leaves gevent's loop thread for a real one, and only under gevent."""

from __future__ import annotations

import threading

from flask import Flask

from quiz.web.blocking import off_loop


def test_under_gevent_the_work_runs_on_another_os_thread() -> None:
    app = Flask(__name__)
    app.config["ASYNC_MODE"] = "gevent"
    with app.app_context():
        assert off_loop(threading.get_ident) != threading.get_ident()
        assert off_loop(sum, [1, 2, 3]) == 6


def test_otherwise_it_runs_in_place() -> None:
    app = Flask(__name__)
    app.config["ASYNC_MODE"] = "threading"
    with app.app_context():
        assert off_loop(threading.get_ident) == threading.get_ident()
    assert off_loop(threading.get_ident) == threading.get_ident()  # no app: the CLI, tests
