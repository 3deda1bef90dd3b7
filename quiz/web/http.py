"""What every HTTP view shares: the app's services, JSON bodies and errors, and who may call."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, current_app, jsonify, redirect, request, session, url_for

from quiz.app import Services
from quiz.app.errors import Refused

View = TypeVar("View", bound=Callable[..., Any])
Answer = tuple[Response, int]

# HTTP status of each error code; a code not listed is a 400.
STATUS = {
    "unauthorized": 401,
    "not_logged_in": 401,
    "bad_login": 401,
    "not_found": 404,
    "unknown_contest": 404,
    "unknown_member": 404,
    "lobby_closed": 409,
    "not_served": 409,
    "already_answered": 409,
    "finished": 409,
    "no_questions": 409,
    "nothing_due": 409,
    "already_done": 409,
    "name_taken": 409,
    "busy": 409,
    "no_team_codes": 409,
    "pk_match": 403,
    "wrong_team_code": 403,
    "time_up": 410,
    "csrf_failed": 403,
    "too_large": 413,
    "file_too_large": 413,
    "bad_content_type": 415,
    "rate_limited": 429,
    "internal": 500,
}


def services() -> Services:
    """The app's services."""
    return cast(Services, current_app.extensions["leitai"])


def api_error(code: str, message: str, status: int | None = None, **extra: Any) -> Answer:
    """A JSON error in the protocol's shape: ``{"error": {"code", "message"}, ...extra}``."""
    body = {"error": {"code": code, "message": message}, **extra}
    return jsonify(body), status or STATUS.get(code, 400)


def json_body(allowed: tuple[str, ...], limit: int, bad_code: str) -> dict[str, Any]:
    """The request's JSON object: at most ``limit`` bytes and only the ``allowed`` fields.

    An empty body is an empty object; any other must be ``application/json``
    (``bad_content_type``). Other faults raise :class:`Refused` with ``bad_code``
    (each API keeps the code its docs name), or ``too_large``.
    """
    if (request.content_length or 0) > limit:
        raise Refused("too_large", f"the body is over {limit} bytes")
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise Refused("too_large", f"the body is over {limit} bytes")
    # A form of another site may post text/plain that parses as JSON; a page's fetch() cannot
    # send application/json across sites without the server's CORS consent, which it never gives.
    # (A form body may already be parsed away by the CSRF check, so its length tells it was sent.)
    if (raw.strip() or request.content_length) and request.mimetype != "application/json":
        raise Refused("bad_content_type", "send the body as Content-Type: application/json")
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Refused(bad_code, "the body is not JSON") from None
    except RecursionError:  # json's parser recurses once per level of nesting
        raise Refused(bad_code, "the body's JSON nests too deeply") from None
    if not isinstance(data, dict):
        raise Refused(bad_code, "the body must be a JSON object")
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise Refused(bad_code, f"unknown field(s): {', '.join(unknown)}")
    return data


def is_host() -> bool:
    """Whether this browser's session holds a host login that was neither ended nor expired
    (one read of the settings table: a logout on any process counts at once)."""
    return services().host_sessions.alive(session.get("host"))


def host_only(view_function: View) -> View:
    """Pages for the host: others are sent to the login page (or get 401 from the API)."""

    @wraps(view_function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not is_host():
            if request.path.startswith("/api/"):
                return api_error("unauthorized", "log in as the host first", 401)
            return redirect(url_for("pages.login", next=request.path))
        return view_function(*args, **kwargs)

    return cast(View, wrapper)


def current_user_id() -> int | None:
    """The logged-in self-test user's id, from the signed session cookie."""
    value = session.get("user_id")
    return value if isinstance(value, int) else None


def user_required(view_function: View) -> View:
    """API calls that need a self-test user get 401 ``not_logged_in`` without one; the view
    receives the user's id first."""

    @wraps(view_function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user_id = current_user_id()
        if user_id is None or services().accounts.get_user(user_id) is None:
            return api_error("not_logged_in", "log in or play as a guest first", 401)
        return view_function(user_id, *args, **kwargs)

    return cast(View, wrapper)


def sign_in(user: dict[str, Any]) -> None:
    """Bind the session cookie to a self-test user; it outlives the browser (a guest's history
    is here)."""
    session["user_id"] = user["id"]
    session.permanent = True
