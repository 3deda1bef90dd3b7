"""Organisers' side of players' 纠错 reports (docs/bank-review.md): the open reports grouped by
question, and resolving a question's reports. The reports themselves arrive through the
``report_question`` socket event and the practice API."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, session

from quiz.app.errors import Refused
from quiz.app.question_reports import QuestionReports
from quiz.web.http import Answer, api_error, host_only, json_body, services

question_reports = Blueprint("question_reports", __name__)
MAX_BODY = 4 * 1024


def reports() -> QuestionReports:
    """The app's report service."""
    service: QuestionReports = current_app.extensions["leitai.reports"]
    return service


@question_reports.errorhandler(Refused)
def refused(failure: Refused) -> Answer:
    return api_error(failure.code, failure.message)


@question_reports.get("/api/review/reports")
@host_only
def open_reports() -> Answer:
    return jsonify(reports().open_reports()), 200


@question_reports.post("/api/review/reports/<int:question_id>/resolve")
@host_only
def resolve(question_id: int) -> Answer:
    fields = json_body(("note",), MAX_BODY, "bad_payload")
    # The name given with this host login (see review_pages), else the role.
    by = services().host_sessions.name(session.get("host")) or "host"
    return jsonify(reports().resolve(question_id, fields.get("note"), by)), 200
