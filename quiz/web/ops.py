"""What an operator's tools ask of a running server: is it alive and can it reach its database."""

from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from quiz.web.http import services

ops = Blueprint("ops", __name__)


@ops.get("/healthz")
def health() -> tuple[Response, int]:
    """200 when this process answers and its database does, 503 with a code when not; `process`
    (the process id) tells an operator which of several processes behind a proxy answered."""
    try:
        with services().sessions() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        failed = {
            "status": "unhealthy",
            "code": "database_unreachable",
            "message": "数据库无法连接",
        }
        return jsonify(failed), 503
    version = current_app.config["VERSION"]
    body: dict[str, str | int] = {"status": "ok", "database": "ok", "version": version}
    body["process"] = os.getpid()
    return jsonify(body), 200
