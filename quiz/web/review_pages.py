"""The question editor and the review queue (organisers only): pages and their JSON.

Every view parses the request and calls one function of :mod:`quiz.app.question_editing`; the
person acting is the name given with this browser's host login (self-declared until staff
accounts exist).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request, session

from quiz.app import question_editing as editing
from quiz.app.banks import bank_list
from quiz.app.errors import Refused
from quiz.web.http import Answer, api_error, host_only, is_host, json_body, services

review_pages = Blueprint("review_pages", __name__)
BODY_LIMIT = 32 * 1024
# HTTP status of this blueprint's refusal codes (others as quiz.web.http.STATUS says).
STATUS = {
    "name_required": 403,
    "own_version": 403,
    "not_found": 404,
    "not_waiting": 409,
    "stale_version": 409,
    "question_exists": 409,
    "unchanged": 409,
    "too_large": 413,
    "bad_content_type": 415,
    "unauthorized": 401,
}


def _problems(problems: list[editing.FieldProblem]) -> list[dict[str, str]]:
    return [
        {"field": p.field, "code": p.code, "severity": p.severity, "text": p.text} for p in problems
    ]


@review_pages.errorhandler(Refused)
def refused(failure: Refused) -> Answer:
    extra: dict[str, Any] = {}
    if isinstance(failure, editing.Invalid):
        extra["problems"] = _problems(failure.problems)
    return api_error(failure.code, failure.message, STATUS.get(failure.code), **extra)


@review_pages.app_context_processor
def review_counts() -> dict[str, Any]:
    """``review_waiting()`` for the admin navigation: the queue's count, for hosts only."""

    def review_waiting() -> int | None:
        return editing.waiting_count(services().sessions) if is_host() else None

    return {"review_waiting": review_waiting}


def staff_name() -> str:
    """The name given with this browser's host login ("" when none was)."""
    return services().host_sessions.name(session.get("host")) or ""


def _editor(bank: str, qid: str | None) -> str:
    try:
        state = editing.editor_state(services().sessions, bank, qid)
    except Refused as failure:
        abort(404, failure.message)
    return render_template("question_editor.html", state=state, staff_name=staff_name())


@review_pages.get("/admin/banks/<bank>/questions/new")
@host_only
def new_question(bank: str) -> str:
    return _editor(bank, None)


@review_pages.get("/admin/banks/<bank>/questions/<qid>/edit")
@host_only
def edit_question(bank: str, qid: str) -> str:
    return _editor(bank, qid)


@review_pages.get("/admin/review")
@host_only
def review_page() -> str:
    banks = bank_list(services().sessions)
    return render_template("review_queue.html", staff_name=staff_name(), banks=banks)


@review_pages.post("/api/staff/name")
@host_only
def set_name() -> Response:
    body = json_body(("name",), BODY_LIMIT, "bad_payload")
    name = services().host_sessions.set_name(session.get("host"), body.get("name", ""))
    return jsonify({"name": name})


def _edit_body() -> tuple[dict[str, Any], bool]:
    body = json_body(("question", "new", "language", "base_version"), BODY_LIMIT, "bad_payload")
    fields = body.get("question", {})
    if not isinstance(fields, dict):
        raise Refused("bad_payload", "question must be an object of the editor's fields")
    return body, body.get("new") is True


@review_pages.post("/api/banks/<bank>/questions/<qid>/check")
@host_only
def check(bank: str, qid: str) -> Response:
    body, new = _edit_body()
    checked = editing.check_edit(
        services().sessions,
        bank,
        qid,
        body.get("question", {}),
        new=new,
        language=body.get("language", "zh"),
    )
    return jsonify({"ok": checked.content is not None, "problems": _problems(checked.problems)})


@review_pages.post("/api/banks/<bank>/questions/<qid>/versions")
@host_only
def save(bank: str, qid: str) -> tuple[Response, int]:
    body, new = _edit_body()
    base = body.get("base_version", 0)
    if not isinstance(base, int) or isinstance(base, bool):
        raise Refused("bad_payload", "base_version must be a whole number")
    saved = editing.save_edit(
        services().sessions,
        bank,
        qid,
        body.get("question", {}),
        base_version=base,
        author=staff_name(),
        new=new,
    )
    return jsonify(saved), 201


@review_pages.get("/api/review/queue")
@host_only
def queue() -> Response:
    page = request.args.get("page", "0")
    return jsonify(
        editing.review_queue(
            services().sessions,
            staff_name(),
            request.args.get("bank") or None,
            int(page) if page.isdigit() and len(page) < 6 else 0,
        )
    )


@review_pages.post("/api/review/<int:version_id>/approve")
@host_only
def approve(version_id: int) -> Response:
    json_body((), BODY_LIMIT, "bad_payload")
    return jsonify(editing.approve(services().sessions, version_id, staff_name()))


@review_pages.post("/api/review/<int:version_id>/reject")
@host_only
def reject(version_id: int) -> Response:
    body = json_body(("note",), BODY_LIMIT, "bad_payload")
    return jsonify(editing.reject(services().sessions, version_id, staff_name(), body.get("note")))
