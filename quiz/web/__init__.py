"""The web adapter: the Flask app factory, pages, the JSON APIs, and the Socket.IO protocol.

Everything here parses a request or an event, calls one service of :mod:`quiz.app`, and renders
or emits the result. No view or handler holds a rule or a query of its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

from quiz import __version__
from quiz.app import Services, build_services
from quiz.app.blocking import offload_for
from quiz.app.host_auth import session_secret
from quiz.app.pk import PkSettings
from quiz.resources import resource_dir
from quiz.storage.db import make_engine, migrate, session_factory
from quiz.web.api import api
from quiz.web.pages import pages, register_errors
from quiz.web.practice_api import Limits, practice_api
from quiz.web.sockets import Hub, now_ms, pk_loop, register, register_pk

# The transport refuses bigger messages outright; the protocol's own limit (4 KB) is checked
# per event with a clear error, this one only stops a client from making the server buffer MBs.
MAX_MESSAGE_BYTES = 64 * 1024


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app on the database named by DATABASE_URL (migrated to the newest schema)."""
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    app.config.update(
        DATABASE_URL=None,
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        ASYNC_MODE="threading",
        MESSAGE_QUEUE=None,
        VERSION=__version__,
        SESSION_COOKIE_SAMESITE="Lax",
        # A guest's history is bound to its cookie, so the cookie lasts as long as a year's study.
        PERMANENT_SESSION_LIFETIME=dt.timedelta(days=365),
        # Send the cookie only when it changes: a slow request that began before a login must
        # not answer with the cookie of before it.
        SESSION_REFRESH_EACH_REQUEST=False,
        PK_BOT_AFTER_S=float(os.environ.get("QUIZ_PK_BOT_AFTER_S", "10")),
        PK_REVEAL_S=float(os.environ.get("QUIZ_PK_REVEAL_S", "3")),
        PK_BOT_PACE=float(os.environ.get("QUIZ_PK_BOT_PACE", "1")),
        # A whole class signing up from one NAT address (or a benchmark) may need more.
        PRACTICE_SIGNUPS_PER_MINUTE=int(os.environ.get("QUIZ_PRACTICE_SIGNUPS_PER_MINUTE", "20")),
    )
    app.config.update(config or {})
    engine = make_engine(app.config["DATABASE_URL"])
    migrate(engine)
    sessions = session_factory(engine)
    app.secret_key = app.config.get("SECRET_KEY") or session_secret(sessions)
    socketio = SocketIO(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["MESSAGE_QUEUE"],
        max_http_buffer_size=MAX_MESSAGE_BYTES,
        logger=False,
        engineio_logger=False,
    )
    services = build_services(
        sessions,
        clock_ms=now_ms,
        shared=bool(app.config["MESSAGE_QUEUE"]),
        offload=offload_for(app.config["ASYNC_MODE"]),
        pk_settings=PkSettings(
            bot_after_ms=int(app.config["PK_BOT_AFTER_S"] * 1000),
            pause_ms=int(app.config["PK_REVEAL_S"] * 1000),
            bot_pace=app.config["PK_BOT_PACE"],
        ),
    )
    hub = Hub(socketio, services.contests)
    services.contests.publish = hub.publish
    hub.practice = services.pk
    register(socketio, hub)
    register_pk(socketio, services.pk, hub.limit)
    app.extensions["leitai"] = services
    app.extensions["leitai.hub"] = hub
    app.extensions["leitai.practice_limits"] = Limits(app.config["PRACTICE_SIGNUPS_PER_MINUTE"])
    app.register_blueprint(pages)
    app.register_blueprint(api)
    app.register_blueprint(practice_api)
    register_errors(app)
    logging.getLogger("quiz").setLevel(logging.INFO)
    return app


def start_background(app: Flask) -> list[str]:
    """Resume running contests and PK matches after a restart, then run the timers, the clock
    pings and the PK host."""
    services: Services = app.extensions["leitai"]
    hub: Hub = app.extensions["leitai.hub"]
    recovered = services.contests.recover()
    services.pk.recover()
    hub.socketio.start_background_task(hub.tick_loop)
    hub.socketio.start_background_task(pk_loop, hub.socketio, services.pk)
    hub.socketio.start_background_task(hub.ping_loop)
    return recovered
