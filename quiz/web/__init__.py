"""The web adapter: Flask app factory, pages and Socket.IO handlers."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from flask_socketio import SocketIO
from sqlalchemy.orm import Session, sessionmaker

from quiz import __version__
from quiz.resources import resource_dir
from quiz.storage.bank_repo import bank_summaries
from quiz.storage.db import make_engine, migrate, session_factory

socketio = SocketIO()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: migrate the database named by DATABASE_URL and register the pages."""
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    app.config.update(DATABASE_URL=None, MAX_CONTENT_LENGTH=16 * 1024 * 1024)
    app.config.update(config or {})
    engine = make_engine(app.config["DATABASE_URL"])
    migrate(engine)
    sessions: sessionmaker[Session] = session_factory(engine)
    app.extensions["leitai.sessions"] = sessions

    @app.get("/")
    def index() -> str:
        with sessions() as session:
            banks = bank_summaries(session)
        return render_template("index.html", banks=banks, version=__version__)

    socketio.init_app(app, async_mode="threading")
    return app
