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
from werkzeug.middleware.proxy_fix import ProxyFix

from quiz import __version__
from quiz.app import Services, build_services
from quiz.app.blocking import offload_for
from quiz.app.host_auth import SESSION_HOURS, session_secret
from quiz.app.pk import PkSettings
from quiz.app.question_reports import QuestionReports
from quiz.app.sign_in_limits import DEFAULT_PER_MINUTE, SignInGuard
from quiz.resources import resource_dir
from quiz.selftest.daily import DAILY_FLOOR_MS
from quiz.storage.db import make_engine, migrate, session_factory
from quiz.web.api import api
from quiz.web.bank_browser import bank_browser
from quiz.web.guards import Guard
from quiz.web.ops import ops
from quiz.web.pages import pages, register_errors
from quiz.web.practice_api import practice_api
from quiz.web.question_reports import question_reports
from quiz.web.review_pages import review_pages
from quiz.web.security import origin_check, protect
from quiz.web.sockets import Hub, now_ms, pk_loop, register, register_pk
from quiz.yamlsource import MAX_BYTES

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
        # A bank file at the one limit (quiz.yamlsource.MAX_BYTES) and its multipart wrapping.
        MAX_CONTENT_LENGTH=MAX_BYTES + 64 * 1024,
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
        # The gevent server's limits (quiz/web/serving.py): a hall of phones behind one NAT
        # address fits in 200 connections; behind trusted reverse proxies every connection
        # comes from a proxy, so the default is no cap there and the proxy limits each client.
        HEADER_TIMEOUT_S=float(os.environ.get("QUIZ_HEADER_TIMEOUT_S", "10")),
        CONNECTIONS_PER_ADDRESS=int(
            os.environ.get(
                "QUIZ_CONNECTIONS_PER_ADDRESS",
                "0" if int(os.environ.get("QUIZ_TRUSTED_PROXIES") or 0) > 0 else "200",
            )
        ),
        # Sign-ups, guests and logins a minute from one address, unless the host set the hall's
        # own limit on /host: a whole 支队 behind one NAT address signs up at once.
        PRACTICE_SIGNUPS_PER_MINUTE=int(
            os.environ.get("QUIZ_PRACTICE_SIGNUPS_PER_MINUTE", str(DEFAULT_PER_MINUTE))
        ),
        # A host login ends after this many hours (and at logout, and with a new password).
        HOST_SESSION_HOURS=float(os.environ.get("QUIZ_HOST_SESSION_HOURS", str(SESSION_HOURS))),
        # A daily challenge run faster than this a question is finished but not ranked.
        DAILY_MIN_SECONDS=float(
            os.environ.get("QUIZ_DAILY_MIN_SECONDS", str(DAILY_FLOOR_MS / 1000))
        ),
        # Origins besides the server's own (and PUBLIC_URL's) whose pages may open a Socket.IO
        # connection: the public addresses of a server behind a proxy that rewrites Host.
        ALLOWED_ORIGINS=[
            url for url in os.environ.get("QUIZ_ALLOWED_ORIGINS", "").split(",") if url.strip()
        ],
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
        cors_allowed_origins=origin_check(
            [app.config.get("PUBLIC_URL") or "", *app.config["ALLOWED_ORIGINS"]]
        ),
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
        host_session_hours=app.config["HOST_SESSION_HOURS"],
        daily_floor_ms=int(app.config["DAILY_MIN_SECONDS"] * 1000),
    )
    hub = Hub(socketio, services.contests, services.host_sessions)
    services.contests.publish = hub.publish
    hub.practice = services.pk
    hub.reports = QuestionReports(sessions, services.contests, now_ms)
    register(socketio, hub)
    register_pk(socketio, services.pk, hub.limit)
    Guard(socketio).install()
    app.extensions["leitai"] = services
    app.extensions["leitai.hub"] = hub
    app.extensions["leitai.reports"] = hub.reports
    app.extensions["leitai.sign_ins"] = SignInGuard(
        sessions, now_ms, app.config["PRACTICE_SIGNUPS_PER_MINUTE"]
    )
    app.register_blueprint(pages)
    app.register_blueprint(api)
    app.register_blueprint(practice_api)
    app.register_blueprint(ops)
    app.register_blueprint(bank_browser)
    app.register_blueprint(review_pages)
    app.register_blueprint(question_reports)
    # After SocketIO wrapped the app, so its connections see the real client address too.
    _behind_proxies(app)
    register_errors(app)
    protect(app)
    logging.getLogger("quiz").setLevel(logging.INFO)
    return app


def _behind_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies (nginx), take the client's address, scheme and
    host from their X-Forwarded-* headers, so rate limits see the phone and not the proxy; with
    an https PUBLIC_URL, cookies are sent over TLS only."""
    hops = int(app.config.get("TRUSTED_PROXIES") or os.environ.get("QUIZ_TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )
    if str(app.config.get("PUBLIC_URL") or "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True


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
