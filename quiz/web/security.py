"""Who may send what, from where: CSRF tokens on every state-changing request, the Origin of
Socket.IO connections, a same-site target after login, and the headers of every response.

A browser sends cookies with requests that another site's page starts (a form, a fetch, a
WebSocket), so the session cookie alone proves nothing. A state-changing request must also carry
the token the server put in its own page (``<meta name="csrf-token">``), which no other site can
read; a Socket.IO connection must come from this server's origin (or the public URL it is served
under); and no page may be framed, nor run script or style that this server did not send.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect

from quiz.web.http import api_error

log = logging.getLogger(__name__)

# No inline script, no inline style, nothing from another origin. The favicon is a data: SVG.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: Flask-WTF compares the Referer with the host over HTTPS.
    "Referrer-Policy": "same-origin",
    # For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
}
CSRF_MESSAGE = (
    "页面已过期或来自别的网站：请刷新页面后再试 / "
    "The page has expired or came from another site: reload it and try again"
)
# Whitespace or a control character anywhere in a decoded target, and "\" (which browsers read
# as "/", so "/\evil.example" is another host).
UNSAFE_TARGET = re.compile(r"[\s\x00-\x1f\x7f\\]")


def protect(app: Flask) -> None:
    """Require the CSRF token on every POST, PUT, PATCH and DELETE, answer a missing or bad one
    with code ``csrf_failed``, and put the security headers on every response."""
    # The token lives as long as the session: a phone's page may stay open through a whole
    # contest, and a time limit would refuse its first press after an hour.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    CSRFProtect(app)

    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError) -> tuple[str | Response, int]:
        log.info("refused %s %s: %s", request.method, request.path, error.description)
        if request.path.startswith("/api/"):
            return api_error("csrf_failed", CSRF_MESSAGE, 403)
        return render_template("error.html", status=403, message=CSRF_MESSAGE), 403

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def safe_target(target: str) -> str | None:
    """``target`` when it is a path on this site (one leading "/", no backslash, whitespace or
    control character even after percent-decoding), else None."""
    decoded = unquote(target)
    for text in (target, decoded):
        if not text.startswith("/") or text.startswith("//") or UNSAFE_TARGET.search(text):
            return None
    parts = urlsplit(decoded)
    return target if not parts.scheme and not parts.netloc else None


def origin_of(url: str) -> str:
    """The origin (``scheme://host[:port]``) of a URL, as a browser sends it in ``Origin``."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def origin_check(extra: list[str]) -> Callable[[str | None, dict[str, Any]], bool]:
    """Engine.IO's ``cors_allowed_origins``: a connection from a browser page is accepted when
    its Origin is this server's own (the Host it asked for) or one of ``extra`` (PUBLIC_URL and
    ALLOWED_ORIGINS, for a server behind a proxy). A client that sends no Origin (no browser)
    is not asked."""
    allowed = {origin_of(url) for url in extra} - {""}
    warned: set[str] = set()
    lock = threading.Lock()

    def allow(origin: str | None, environ: dict[str, Any]) -> bool:
        if origin is None:
            return True
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        if origin.lower() in allowed or origin.lower() == own.lower():
            return True
        with lock:
            first = origin not in warned and len(warned) < 100
            warned.add(origin)
        if first:
            log.warning(
                "refused a Socket.IO connection from Origin %r (served as %r); behind a proxy, "
                "set --public-url or QUIZ_ALLOWED_ORIGINS",
                origin[:200],
                own[:200],
            )
        return False

    return allow
