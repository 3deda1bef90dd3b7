"""HTML pages: home, host login, the host's list and console, screen, phones, results, practice.

Each view looks up what it shows through one service function and renders a template; the JSON
API is in :mod:`quiz.web.api` and :mod:`quiz.web.practice_api`.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import segno
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers.response import Response as BaseResponse

from quiz.app.banks import bank_list
from quiz.app.contest_setup import template_summaries
from quiz.app.host_auth import check_host_password
from quiz.app.lobby import ContestInfo, contest_info, contest_list
from quiz.app.results import Results, contest_results
from quiz.web.http import api_error, host_only, services
from quiz.web.limits import RateLimiter
from quiz.web.result_sheets import (
    SIGNATURES,
    ledger_table,
    members_table,
    questions_table,
    rounds_table,
    standings_table,
    workbook,
)

pages = Blueprint("pages", __name__)
_login_attempts = RateLimiter(5 / 60, burst=5)


def join_url(code: str) -> str:
    """The address phones open to join: PUBLIC_URL when set (the laptop's LAN address), else
    the address the requesting browser used."""
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return f"{base.rstrip('/')}/join/{code}"


def _contest_or_404(code: str) -> ContestInfo:
    info = contest_info(services().contests, code)
    if info is None:
        abort(404, f"no contest with code {code}")
    return info


@pages.get("/")
def index() -> str:
    banks = bank_list(services().sessions)
    return render_template("index.html", banks=banks, version=current_app.config["VERSION"])


@pages.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse:
    error = None
    if request.method == "POST":
        if not _login_attempts.allow(request.remote_addr or "?"):
            error = "尝试次数过多，请一分钟后再试 / Too many attempts: wait a minute"
        elif check_host_password(
            services().sessions, request.form.get("password", ""), services().offload
        ):
            # A fresh session for the host, keeping the self-test player of this browser.
            player = session.get("user_id")
            session.clear()
            session["host"] = True
            if player is not None:
                session["user_id"] = player
                session.permanent = True
            target = request.args.get("next", "")
            return redirect(
                target
                if target.startswith("/") and not target.startswith("//")
                else url_for("pages.host_index"),
                code=303,
            )
        else:
            error = "密码错误 / Wrong password"
    return render_template("login.html", error=error)


@pages.post("/logout")
def logout() -> BaseResponse:
    session.pop("host", None)
    return redirect(url_for("pages.index"), code=303)


@pages.get("/host")
@host_only
def host_index() -> str:
    return render_template(
        "host_index.html",
        contests=contest_list(services().contests),
        banks=bank_list(services().sessions),
        templates=template_summaries(),
    )


@pages.get("/host/<code>")
@host_only
def host_console(code: str) -> str:
    contest = _contest_or_404(code)
    return render_template(
        "host_console.html",
        code=contest.code,
        title=contest.title,
        screen_key=contest.screen_key,
        join_url=join_url(contest.code),
    )


@pages.get("/screen/<code>")
def screen(code: str) -> str:
    contest = _contest_or_404(code)
    if request.args.get("key") != contest.screen_key:
        abort(403, "this screen link needs the contest's screen key (see the host console)")
    return render_template(
        "screen.html",
        code=contest.code,
        key=contest.screen_key,
        title=contest.title,
        join_url=join_url(contest.code),
    )


@pages.get("/join")
@pages.get("/join/<code>")
def join(code: str = "") -> str:
    return render_template("join.html", code=code.upper())


@pages.get("/play")
def play() -> str:
    return render_template("play.html")


@pages.get("/watch/<code>")
def watch(code: str) -> str:
    contest = _contest_or_404(code)
    return render_template("watch.html", code=contest.code, title=contest.title)


@pages.get("/local/<code>")
@host_only
def local(code: str) -> str:
    contest = _contest_or_404(code)
    current = services().contests.snapshot_of(contest.code)
    assert current is not None
    state, _ = current
    teams = state.rules.teams if state.rules else ()
    keys = [
        {"team": team.id, "name": team.name, "key": str(index + 1)}
        for index, team in enumerate(teams[:9])
    ]
    return render_template("local.html", code=contest.code, title=contest.title, keys=keys)


@pages.get("/admin/banks")
@host_only
def admin_banks() -> str:
    return render_template("admin_banks.html", banks=bank_list(services().sessions))


@pages.get("/practice")
def practice() -> str:
    return render_template("practice.html")


@pages.get("/qr/<code>.svg")
def qr(code: str) -> Response:
    contest = _contest_or_404(code)
    buffer = io.BytesIO()
    segno.make(join_url(contest.code), error="m").save(buffer, kind="svg", scale=8, border=2)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


def _results_or_404(code: str) -> Results:
    results = contest_results(services().contests, code)
    if results is None:
        abort(404, f"no contest with code {code}")
    return results


@pages.get("/contests/<code>/results")
@host_only
def results(code: str) -> str:
    found = _results_or_404(code)
    return render_template("results.html", r=found, code=found.contest.code)


@pages.get("/contests/<code>/print")
@host_only
def results_print(code: str) -> str:
    found = _results_or_404(code)
    return render_template(
        "results_print.html",
        r=found,
        code=found.contest.code,
        standings=standings_table(found),
        rounds=rounds_table(found),
        members=members_table(found),
        questions=questions_table(found),
        signatures=SIGNATURES,
    )


def _csv(rows: list[list[Any]], filename: str) -> Response:
    """One table as a CSV download, UTF-8 with a BOM so that Excel reads the Chinese headers."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows(rows)
    # content_type, not mimetype: Flask appends "; charset=utf-8" to a text mimetype itself.
    return Response(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@pages.get("/contests/<code>/results.csv")
@host_only
def results_csv(code: str) -> Response:
    found = _results_or_404(code)
    return _csv(standings_table(found), f"leitai-{found.contest.code}-results.csv")


@pages.get("/contests/<code>/ledger.csv")
@host_only
def ledger_csv(code: str) -> Response:
    found = _results_or_404(code)
    return _csv(ledger_table(found), f"leitai-{found.contest.code}-ledger.csv")


@pages.get("/contests/<code>/results.xlsx")
@host_only
def results_xlsx(code: str) -> Response:
    found = _results_or_404(code)
    return Response(
        workbook(found),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f"attachment; filename=leitai-{found.contest.code}-results.xlsx"
        },
    )


def register_errors(app: Flask) -> None:
    """Errors as a page (or JSON under /api/), never a traceback."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | Response, int]:
        status = error.code or 500
        if request.path.startswith("/api/"):
            return api_error(
                "bad_payload" if status < 500 else "internal", error.description or "", status
            )
        return render_template("error.html", status=status, message=error.description), status

    @app.errorhandler(Exception)
    def server_fault(error: Exception) -> tuple[str | Response, int]:
        app.logger.exception("request failed: %s", request.path)
        if request.path.startswith("/api/"):
            return api_error("internal", "server fault; nothing changed", 500)
        return render_template("error.html", status=500, message="server fault"), 500
