"""Serving the app: Flask-SocketIO's own runner, except that gevent's sockets send at once."""

from __future__ import annotations

import socket
from typing import Any

from flask import Flask


def serve(app: Flask, host: str, port: int) -> None:
    """Serve until stopped; under gevent every accepted connection has TCP_NODELAY set.

    gevent's WSGI server writes a response's headers and body in two sends; with Nagle's
    algorithm on, the body waited for the client's delayed ACK, so a request sent right after
    another took about 40 ms instead of 2-3 ms (measured with benchmarks/practice_bench.py).
    Flask-SocketIO's runner takes no handler class, so the gevent server is built here the same
    way it builds it, with a handler that turns Nagle off.
    """
    socketio = app.extensions["leitai.hub"].socketio
    if app.config["ASYNC_MODE"] != "gevent":
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False)
        return
    from gevent import pywsgi  # noqa: PLC0415 - gevent mode only
    from geventwebsocket.handler import WebSocketHandler  # type: ignore[import-untyped]  # noqa: PLC0415

    class NoDelayHandler(WebSocketHandler):  # type: ignore[misc]
        def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, *args, **kwargs)

    pywsgi.WSGIServer((host, port), app, handler_class=NoDelayHandler, log=None).serve_forever()
