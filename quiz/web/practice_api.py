"""The self-test JSON API (docs/practice.md): accounts, sittings, the wrong-answer book, the daily
challenge, leaderboards, history and PK seats."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, session

from quiz.app import reports
from quiz.app.accounts import AccountError
from quiz.app.errors import Refused
from quiz.app.practice import AlreadyDone, TimeUp
from quiz.app.question_reports import QuestionReports
from quiz.app.sign_in_limits import RateLimited, SignInGuard
from quiz.selftest.sittings import MAX_COUNT, MAX_MINUTES, STARTABLE, SittingError
from quiz.storage.selftest_repo import fold_login
from quiz.web.http import (
    Answer,
    api_error,
    current_user_id,
    json_body,
    services,
    sign_in,
    user_required,
)
from quiz.web.protocol import ProtocolError, parse_response

practice_api = Blueprint("practice_api", __name__)
MAX_BODY = 16 * 1024
MAX_LIST = 50
MAX_TAG = 64


def limits() -> SignInGuard:
    """The app's sign-in limits (the hall's budget per address, back-off per account)."""
    guard: SignInGuard = current_app.extensions["leitai.sign_ins"]
    return guard


def address() -> str:
    """The client's address as the app sees it (behind a trusted proxy, the real client's)."""
    return request.remote_addr or ""


def body(allowed: tuple[str, ...]) -> dict[str, Any]:
    """The request's JSON object: at most 16 KB and only the ``allowed`` fields."""
    return json_body(allowed, MAX_BODY, "bad_field")


@practice_api.errorhandler(Refused)
@practice_api.errorhandler(SittingError)
def refused(failure: Refused | SittingError) -> Answer | tuple[Response, int, dict[str, str]]:
    if isinstance(failure, AlreadyDone | TimeUp):
        return api_error(failure.code, failure.message, sitting=failure.sitting)
    if isinstance(failure, RateLimited):
        wait = failure.retry_after_s
        answer, status = api_error(failure.code, failure.message, retry_after=wait)
        return answer, status, {"Retry-After": str(wait)}
    return api_error(failure.code, failure.message)


@practice_api.post("/api/practice/register")
def register() -> Answer:
    limits().admit(address())
    fields = body(("name", "detachment", "brigade", "password"))
    user = services().accounts.register(fields, current_user_id())
    sign_in(user)
    return jsonify({"user": user}), 201


@practice_api.post("/api/practice/login")
def login() -> Answer:
    limits().admit(address())
    fields = body(("name", "password"))
    name = fields.get("name")
    # Back-off per (account, address): wrong tries from elsewhere never lock a player out here.
    key = (fold_login(name)[:80] if isinstance(name, str) else "", address())
    limits().before_password(key)
    try:
        user = services().accounts.login(fields)
    except AccountError as failure:
        if failure.code == "bad_login":
            limits().after_password(key, right=False)
        raise
    limits().after_password(key, right=True)
    sign_in(user)
    return jsonify({"user": user}), 200


@practice_api.post("/api/practice/guest")
def guest() -> Answer:
    limits().admit(address())
    body(())
    user = services().accounts.new_guest()
    sign_in(user)
    return jsonify({"user": user}), 201


@practice_api.post("/api/practice/logout")
def logout() -> Answer:
    session.pop("user_id", None)
    return jsonify({}), 200


@practice_api.get("/api/practice/me")
def me() -> Answer:
    user_id = current_user_id()
    user = services().accounts.get_user(user_id) if user_id is not None else None
    return jsonify({"user": user}), 200


@practice_api.get("/api/practice/catalog")
def catalog() -> Answer:
    return jsonify(services().practice.catalog()), 200


def _sitting_request(fields: dict[str, Any]) -> dict[str, Any]:
    """Check a start request's choices (each list short, each number in range)."""
    checked: dict[str, Any] = {}
    for key in ("banks", "tags"):
        value = fields.get(key)
        if value is None:
            continue
        if (
            not isinstance(value, list)
            or len(value) > MAX_LIST
            or not all(isinstance(item, str) and 0 < len(item) <= MAX_TAG for item in value)
        ):
            raise SittingError("bad_field", f"'{key}' must be a list of at most {MAX_LIST} names")
        checked[key] = value
    difficulty = fields.get("difficulty")
    if difficulty is not None:
        if (
            not isinstance(difficulty, list)
            or len(difficulty) != 2
            or not all(type(level) is int and 1 <= level <= 5 for level in difficulty)
            or difficulty[0] > difficulty[1]
        ):
            raise SittingError("bad_field", "'difficulty' must be [low, high] within 1 to 5")
        checked["difficulty"] = difficulty
    for key, high in (("count", MAX_COUNT), ("minutes", MAX_MINUTES)):
        value = fields.get(key)
        if value is None:
            continue
        if type(value) is not int or not 1 <= value <= high:
            raise SittingError("bad_field", f"'{key}' must be a whole number from 1 to {high}")
        checked[key] = value
    return checked


@practice_api.post("/api/practice/sittings")
@user_required
def start(user_id: int) -> Answer:
    fields = body(("mode", "banks", "tags", "difficulty", "count", "minutes"))
    mode = fields.get("mode")
    if mode not in STARTABLE:
        raise SittingError("bad_field", f"'mode' must be one of {', '.join(STARTABLE)}")
    return jsonify(services().practice.start(user_id, mode, _sitting_request(fields))), 201


@practice_api.get("/api/practice/sittings")
@user_required
def open_sittings(user_id: int) -> Answer:
    mode = request.args.get("mode")
    return jsonify({"sittings": services().practice.open_sittings(user_id, mode)}), 200


@practice_api.get("/api/practice/sittings/<int:sitting_id>")
@user_required
def sitting(user_id: int, sitting_id: int) -> Answer:
    return jsonify(services().practice.view(user_id, sitting_id)), 200


@practice_api.post("/api/practice/sittings/<int:sitting_id>/answers")
@user_required
def answer(user_id: int, sitting_id: int) -> Answer:
    fields = body(("position", "response"))
    position = fields.get("position")
    if type(position) is not int or not 0 <= position <= MAX_COUNT:
        raise SittingError("bad_field", "'position' must be the question's position")
    if "response" not in fields:
        raise SittingError("bad_response", "'response' is required")
    try:
        response = parse_response(fields["response"])
    except ProtocolError as failure:
        raise SittingError("bad_response", failure.message) from None
    return jsonify(services().practice.answer(user_id, sitting_id, position, response)), 200


@practice_api.post("/api/practice/sittings/<int:sitting_id>/reports")
@user_required
def report(user_id: int, sitting_id: int) -> Answer:
    fields = body(("position", "reason", "note"))
    reports: QuestionReports = current_app.extensions["leitai.reports"]
    return jsonify(
        reports.report_in_sitting(
            user_id, sitting_id, fields.get("position"), fields.get("reason"), fields.get("note")
        )
    ), 200


@practice_api.post("/api/practice/sittings/<int:sitting_id>/finish")
@user_required
def finish(user_id: int, sitting_id: int) -> Answer:
    body(())
    return jsonify(services().practice.finish(user_id, sitting_id)), 200


@practice_api.get("/api/practice/wrongbook")
@user_required
def wrongbook(user_id: int) -> Answer:
    return jsonify(reports.wrongbook(services().practice, user_id)), 200


@practice_api.post("/api/practice/wrongbook/reports")
@user_required
def report_card(user_id: int) -> Answer:
    fields = body(("bank", "question", "reason", "note"))
    reports: QuestionReports = current_app.extensions["leitai.reports"]
    return jsonify(
        reports.report_in_wrongbook(
            user_id,
            fields.get("bank"),
            fields.get("question"),
            fields.get("reason"),
            fields.get("note"),
        )
    ), 200


@practice_api.get("/api/practice/daily")
@user_required
def daily(user_id: int) -> Answer:
    return jsonify(reports.daily_status(services().practice, user_id)), 200


@practice_api.get("/api/practice/leaderboard")
@user_required
def leaderboard(_user_id: int) -> Answer:
    period = request.args.get("period", "day")
    by = request.args.get("by", "person")
    key = request.args.get("key") or None
    if period not in ("day", "month") or by not in ("person", "detachment"):
        raise SittingError("bad_field", "period is day or month; by is person or detachment")
    pattern = r"\d{4}-\d{2}-\d{2}" if period == "day" else r"\d{4}-\d{2}"
    if key is not None:
        if not re.fullmatch(pattern, key):
            raise SittingError("bad_field", f"'key' must look like {pattern}")
        try:
            dt.date.fromisoformat(key if period == "day" else f"{key}-01")
        except ValueError:
            raise SittingError("bad_field", f"no such date: {key}") from None
    return jsonify(reports.leaderboard(services().practice, period, by, key)), 200


@practice_api.get("/api/practice/history")
@user_required
def history(user_id: int) -> Answer:
    return jsonify(reports.history(services().practice, user_id)), 200


@practice_api.get("/api/practice/pk/<code>")
@user_required
def pk_summary(user_id: int, code: str) -> Answer:
    summary = services().pk.summary(code[:16], user_id)
    if summary is None:
        return api_error("not_found", f"no PK match {code!r} of yours", 404)
    return jsonify(summary), 200


@practice_api.post("/api/practice/pk/<code>/seat")
@user_required
def pk_seat(user_id: int, code: str) -> Answer:
    body(())
    seat = services().pk.rejoin(code[:16], user_id)
    if seat is None:
        return api_error("not_found", f"no running PK match {code!r} of yours", 404)
    return jsonify(seat), 200
