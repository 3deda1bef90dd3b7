"""The fan-out baseline: a bare Flask-SocketIO server that broadcasts a fixed ``update`` payload.

Usage: python benchmarks/bare_server.py [--async-mode threading|gevent] [--port 5002]
                                        [--payload benchmarks/update_payload.json]

A client connecting with ``auth={"role": "player"}`` joins the room ``players``; one connecting
with ``auth={"role": "host"}`` may send ``command``. Each ``command`` emits one ``update`` to
``players`` (the payload file's content, with a fresh ``seq`` and ``server_ms``) and is acked
with ``{ok: true, seq}``, as Leitai acks a host command. No database, no contest logic, no
clock pings (unless ``--clock-pings`` asks for them, to study their cost): only what any
Flask-SocketIO server broadcasting the same payload must do.

Unlike ``quiz serve``, it does not monkey-patch (it has no database and no locks that would need
it): in gevent mode it runs on gevent's WSGI server with simple-websocket given gevent's
primitives, exactly as Flask-SocketIO sets it up.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

PAYLOAD = Path(__file__).with_name("update_payload.json")
ROOM = "players"
PING_EVERY_S = 2.0
SLICES = 20


def create_app(
    async_mode: str, payload: dict[str, Any], clock_pings: str = "off"
) -> tuple[Flask, SocketIO]:
    """The bare app: players join one room; each host ``command`` broadcasts ``payload``.

    ``clock_pings`` "burst" pings every player every 2 s in one loop, as Leitai does; "spread"
    sends the same pings in 20 slices 100 ms apart; "off" (the baseline) sends none.
    """
    app = Flask(__name__)
    socketio = SocketIO(
        app,
        async_mode=async_mode,
        max_http_buffer_size=64 * 1024,
        logger=False,
        engineio_logger=False,
    )
    hosts: set[str] = set()
    players: dict[str, None] = {}  # insertion-ordered set of the players' sids
    seq_lock = threading.Lock()
    seq = [int(payload.get("seq", 0))]

    @app.get("/health")
    def health() -> str:
        return "ok"

    def on_connect(auth: Any = None) -> None:
        role = auth.get("role") if isinstance(auth, dict) else None
        if role == "host":
            hosts.add(request.sid)  # type: ignore[attr-defined]
        elif role == "player":
            players[request.sid] = None  # type: ignore[attr-defined]
            join_room(ROOM)
        else:
            raise ConnectionRefusedError("role must be host or player")

    def on_disconnect(*_reason: Any) -> None:
        hosts.discard(request.sid)  # type: ignore[attr-defined]
        players.pop(request.sid, None)  # type: ignore[attr-defined]

    def on_command(_payload: Any = None) -> dict[str, Any]:
        if request.sid not in hosts:  # type: ignore[attr-defined]
            return {"ok": False, "code": "not_permitted", "message": "only the host may send"}
        with seq_lock:  # Leitai emits under the contest's lock too
            seq[0] += 1
            update = {**payload, "seq": seq[0], "server_ms": time.time_ns() // 1_000_000}
            socketio.emit("update", update, to=ROOM)
            return {"ok": True, "seq": seq[0]}

    def ping(sid: str, ping_id: int) -> None:
        message = {"id": ping_id, "server_ms": time.time_ns() // 1_000_000}
        socketio.emit("clock", message, to=sid, callback=lambda *_reply: None)

    def ping_loop() -> None:
        slices = SLICES if clock_pings == "spread" else 1
        ping_id = 0
        while True:
            for part in range(slices):
                socketio.sleep(PING_EVERY_S / slices)
                ping_id += 1
                for sid in list(players)[part::slices]:
                    ping(sid, ping_id)

    if clock_pings != "off":
        socketio.start_background_task(ping_loop)
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    socketio.on_event("command", on_command)
    return app, socketio


def main() -> None:
    """Parse the options and serve until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--async-mode", default="threading", choices=["threading", "gevent"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5002)
    parser.add_argument("--payload", type=Path, default=PAYLOAD, help="the update to broadcast")
    parser.add_argument(
        "--clock-pings",
        default="off",
        choices=["off", "burst", "spread"],
        help="also ping every player every 2 s: all at once (as Leitai) or in 20 slices",
    )
    args = parser.parse_args()
    payload = json.loads(args.payload.read_text(encoding="utf-8"))
    app, socketio = create_app(args.async_mode, payload, args.clock_pings)
    size = len(json.dumps(payload, separators=(",", ":")).encode())
    print(
        f"bare server ({args.async_mode}) on http://{args.host}:{args.port}, "
        f"update of {size} bytes",
        flush=True,
    )
    socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True, log_output=False)


if __name__ == "__main__":
    main()
