"""The self-test pages and their JSON API (docs/practice.md): accounts, sittings, the wrong-answer
book, the daily challenge, leaderboards and history."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Response, current_app, jsonify, render_template, request, session

from quiz.selftest.sittings import MAX_COUNT, MAX_MINUTES, STARTABLE, SittingError
from quiz.storage.selftest_repo import fold_login
from quiz.web import accounts, practice_reports
from quiz.web.accounts import AccountError
from quiz.web.limits import RateLimiter
from quiz.web.pk import PkArena
from quiz.web.practice_service import AlreadyDone, PracticeService, TimeUp
from quiz.web.protocol import ProtocolError, parse_response

practice = Blueprint("practice", __name__)
MAX_BODY = 16 * 1024
MAX_LIST = 50
MAX_TAG = 64
View = TypeVar("View", bound=Callable[..., Any])
Answer = tuple[Response, int]


class Limits:
    """Per-app rate limits: logins per name and per address, new accounts per address."""

    def __init__(self, signups_per_minute: int = 20) -> None:
        self.logins_by_name = RateLimiter(5 / 60, burst=5)
        self.logins_by_address = RateLimiter(20 / 60, burst=20)
        self.new_accounts = RateLimiter(signups_per_minute / 60, burst=signups_per_minute)


def limits() -> Limits:
    """The app's self-test rate limits."""
    return cast(Limits, current_app.extensions["leitai.practice_limits"])


STATUS = {
    "not_found": 404,
    "not_served": 409,
    "already_answered": 409,
    "finished": 409,
    "no_questions": 409,
    "nothing_due": 409,
    "already_done": 409,
    "time_up": 410,
    "name_taken": 409,
    "bad_login": 401,
    "too_large": 413,
}


def service() -> PracticeService:
    """The app's practice service."""
    return cast(PracticeService, current_app.extensions["leitai.practice"])


def error(code: str, message: str, status: int | None = None, **extra: Any) -> Answer:
    """A JSON error in the protocol's shape."""
    return jsonify({"error": {"code": code, "message": message}, **extra}), status or STATUS.get(
        code, 400
    )


def current_user_id() -> int | None:
    """The logged-in self-test user's id, from the signed session cookie."""
    value = session.get("user_id")
    return value if isinstance(value, int) else None


def user_required(view_function: View) -> View:
    """API calls that need a user get 401 ``not_logged_in`` without one."""

    @wraps(view_function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user_id = current_user_id()
        if user_id is None or accounts.get_user(service().sessions, user_id) is None:
            return error("not_logged_in", "log in or play as a guest first", 401)
        return view_function(user_id, *args, **kwargs)

    return cast(View, wrapper)


def body(allowed: tuple[str, ...]) -> dict[str, Any]:
    """The request's JSON object: at most 16 KB and only the ``allowed`` fields."""
    if (request.content_length or 0) > MAX_BODY:
        raise AccountError("too_large", f"the body is over {MAX_BODY} bytes")
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY:
        raise AccountError("too_large", f"the body is over {MAX_BODY} bytes")
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise AccountError("bad_field", "the body is not JSON") from None
    if not isinstance(data, dict):
        raise AccountError("bad_field", "the body must be a JSON object")
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise AccountError("bad_field", f"unknown field(s): {', '.join(unknown)}")
    return data


def sign_in(user: dict[str, Any]) -> None:
    """Bind the session cookie to a user; it outlives the browser (a guest's history is here)."""
    session["user_id"] = user["id"]
    session.permanent = True


@practice.errorhandler(AccountError)
@practice.errorhandler(SittingError)
def refused(failure: AccountError | SittingError) -> Answer:
    if isinstance(failure, AlreadyDone | TimeUp):
        return error(failure.code, failure.message, sitting=failure.sitting)
    return error(failure.code, failure.message)


@practice.get("/practice")
def page() -> str:
    return render_template("practice.html")


@practice.post("/api/practice/register")
def register() -> Answer:
    if not limits().new_accounts.allow(request.remote_addr or ""):
        return error("rate_limited", "too many new accounts from this address; wait a minute", 429)
    fields = body(("name", "detachment", "brigade", "password"))
    user = accounts.register(service().sessions, fields, current_user_id())
    sign_in(user)
    return jsonify({"user": user}), 201


@practice.post("/api/practice/login")
def login() -> Answer:
    fields = body(("name", "password"))
    name = fields.get("name")
    name_key = fold_login(name)[:80] if isinstance(name, str) else ""
    if not limits().logins_by_address.allow(request.remote_addr or "") or not (
        limits().logins_by_name.allow(name_key)
    ):
        return error("rate_limited", "too many login attempts; wait a minute", 429)
    user = accounts.login(service().sessions, fields)
    sign_in(user)
    return jsonify({"user": user}), 200


@practice.post("/api/practice/guest")
def guest() -> Answer:
    if not limits().new_accounts.allow(request.remote_addr or ""):
        return error("rate_limited", "too many new accounts from this address; wait a minute", 429)
    body(())
    user = accounts.new_guest(service().sessions)
    sign_in(user)
    return jsonify({"user": user}), 201


@practice.post("/api/practice/logout")
def logout() -> Answer:
    session.pop("user_id", None)
    return jsonify({}), 200


@practice.get("/api/practice/me")
def me() -> Answer:
    user_id = current_user_id()
    user = accounts.get_user(service().sessions, user_id) if user_id is not None else None
    return jsonify({"user": user}), 200


@practice.get("/api/practice/catalog")
def catalog() -> Answer:
    return jsonify(service().catalog()), 200


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


@practice.post("/api/practice/sittings")
@user_required
def start(user_id: int) -> Answer:
    fields = body(("mode", "banks", "tags", "difficulty", "count", "minutes"))
    mode = fields.get("mode")
    if mode not in STARTABLE:
        raise SittingError("bad_field", f"'mode' must be one of {', '.join(STARTABLE)}")
    return jsonify(service().start(user_id, mode, _sitting_request(fields))), 201


@practice.get("/api/practice/sittings")
@user_required
def open_sittings(user_id: int) -> Answer:
    mode = request.args.get("mode")
    return jsonify({"sittings": service().open_sittings(user_id, mode)}), 200


@practice.get("/api/practice/sittings/<int:sitting_id>")
@user_required
def sitting(user_id: int, sitting_id: int) -> Answer:
    return jsonify(service().view(user_id, sitting_id)), 200


@practice.post("/api/practice/sittings/<int:sitting_id>/answers")
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
    return jsonify(service().answer(user_id, sitting_id, position, response)), 200


@practice.post("/api/practice/sittings/<int:sitting_id>/finish")
@user_required
def finish(user_id: int, sitting_id: int) -> Answer:
    body(())
    return jsonify(service().finish(user_id, sitting_id)), 200


@practice.get("/api/practice/wrongbook")
@user_required
def wrongbook(user_id: int) -> Answer:
    return jsonify(practice_reports.wrongbook(service(), user_id)), 200


@practice.get("/api/practice/daily")
@user_required
def daily(user_id: int) -> Answer:
    return jsonify(practice_reports.daily_status(service(), user_id)), 200


@practice.get("/api/practice/leaderboard")
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
    return jsonify(practice_reports.leaderboard(service(), period, by, key)), 200


@practice.get("/api/practice/history")
@user_required
def history(user_id: int) -> Answer:
    return jsonify(practice_reports.history(service(), user_id)), 200


def arena() -> PkArena:
    """The app's PK queue and matches."""
    return cast(PkArena, current_app.extensions["leitai.pk"])


@practice.get("/api/practice/pk/<code>")
@user_required
def pk_summary(user_id: int, code: str) -> Answer:
    summary = arena().summary(code[:16], user_id)
    if summary is None:
        return error("not_found", f"no PK match {code!r} of yours", 404)
    return jsonify(summary), 200


@practice.post("/api/practice/pk/<code>/seat")
@user_required
def pk_seat(user_id: int, code: str) -> Answer:
    body(())
    seat = arena().rejoin(code[:16], user_id)
    if seat is None:
        return error("not_found", f"no running PK match {code!r} of yours", 404)
    return jsonify(seat), 200
