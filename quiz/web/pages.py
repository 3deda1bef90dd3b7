"""HTML pages: home, host login, the host's list and console, screen, phones, results, practice.

Each view looks up what it shows through one service function and renders a template; the JSON
API is in :mod:`quiz.web.api` and :mod:`quiz.web.practice_api`.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

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
from quiz.app.errors import Refused
from quiz.app.host_auth import check_host_password, clean_name
from quiz.app.lobby import ContestInfo, contest_info, contest_list, teams_of
from quiz.app.results import Results, contest_results
from quiz.app.sign_in_limits import RateLimited, SignInGuard
from quiz.banks.formats import format_named
from quiz.banks.formats.tabular_rows import TEMPLATE_BANK
from quiz.web.http import api_error, host_only, services
from quiz.web.result_sheets import (
    SIGNATURES,
    inert_cell,
    ledger_table,
    members_table,
    questions_table,
    rounds_table,
    standings_table,
    workbook,
)
from quiz.web.security import safe_target
from quiz.yamlsource import MAX_BYTES

pages = Blueprint("pages", __name__)
LOGIN_WAIT = "密码错误次数过多，请 {n} 秒后再试 / Too many wrong passwords: try again in {n} s"


def public_url(path: str) -> str:
    """``path`` on the address phones use: PUBLIC_URL when set (the laptop's LAN address), else
    the address the requesting browser used."""
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return f"{base.rstrip('/')}{path}"


def join_url(code: str) -> str:
    """The address phones open to join a contest."""
    return public_url(f"/join/{code}")


def watch_url(code: str) -> str:
    """The audience's address of a contest."""
    return public_url(f"/watch/{code}")


def team_join_url(code: str, join_code: str) -> str:
    """The address that seats a phone on one team: the join URL with the team's code, so a
    scan needs no typing."""
    return f"{join_url(code)}?team={join_code}"


def _svg_qr(url: str) -> Response:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


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
def login() -> str | BaseResponse | tuple[str, int] | tuple[str, int, dict[str, str]]:
    error = None
    if request.method == "POST":
        guard = _sign_ins()
        # Wrong passwords back off per address: five free, then 2 s, 4 s, ... up to 15 minutes.
        key = ("host", request.remote_addr or "")
        try:
            guard.before_password(key)
        except RateLimited as waiting:
            return _login_page(LOGIN_WAIT.format(n=waiting.retry_after_s), waiting.retry_after_s)
        right = check_host_password(
            services().sessions, request.form.get("password", ""), services().offload
        )
        guard.after_password(key, right)
        try:
            # 姓名 is optional here; the editor and the review queue ask for it when missing.
            name = clean_name(request.form.get("name", ""))
        except Refused as refusal:
            return render_template("login.html", error=refusal.message), 400
        if right:
            # A fresh session for the host, keeping the self-test player of this browser.
            player = session.get("user_id")
            services().host_sessions.close(session.get("host"))
            session.clear()
            session["host"] = services().host_sessions.open(name)
            if player is not None:
                session["user_id"] = player
                session.permanent = True
            target = safe_target(request.args.get("next", ""))
            return redirect(target or url_for("pages.host_index"), code=303)
        error = "密码错误 / Wrong password"
    return render_template("login.html", error=error)


def _login_page(error: str, retry_after_s: int) -> tuple[str, int, dict[str, str]]:
    """The login form again with a refusal: 429 and how long to wait."""
    page = render_template("login.html", error=error)
    return page, 429, {"Retry-After": str(retry_after_s)}


@pages.post("/logout")
def logout() -> BaseResponse:
    # Ends this login on the server too: a copy of the cookie opens nothing afterwards.
    services().host_sessions.close(session.pop("host", None))
    return redirect(url_for("pages.index"), code=303)


def _sign_ins() -> SignInGuard:
    guard: SignInGuard = current_app.extensions["leitai.sign_ins"]
    return guard


@pages.get("/host")
@host_only
def host_index() -> str:
    return render_template(
        "host_index.html",
        contests=contest_list(services().contests),
        banks=bank_list(services().sessions),
        templates=template_summaries(),
        hall_limit=_sign_ins().per_minute(),
        saved=request.args.get("saved") == "limits",
    )


@pages.post("/host/limits")
@host_only
def hall_limits() -> BaseResponse:
    value = request.form.get("per_minute", "").strip()
    try:
        _sign_ins().set_per_minute(int(value) if value.isdigit() else 0)
    except Refused as refusal:
        abort(400, refusal.message)
    return redirect(url_for("pages.host_index", saved="limits") + "#hall-limits", code=303)


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
        watch_url=watch_url(contest.code),
        join_mode=contest.join,
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
        watch_url=watch_url(contest.code),
        join_mode=contest.join,
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


@pages.get("/admin/banks/template.xlsx")
@host_only
def bank_template() -> Response:
    """The Excel template organisers fill in (the same as ``quiz template xlsx``)."""
    # An ASCII name for old clients, the Chinese one (RFC 6266) for the rest.
    names = f"filename=bank-template.xlsx; filename*=UTF-8''{quote('题库模板.xlsx')}"
    return Response(
        format_named("xlsx").write(TEMPLATE_BANK),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; {names}"},
    )


@pages.get("/practice")
def practice() -> str:
    return render_template("practice.html")


@pages.get("/qr/<code>.svg")
def qr(code: str) -> Response:
    contest = _contest_or_404(code)
    return _svg_qr(join_url(contest.code))


@pages.get("/qr/watch/<code>.svg")
def watch_qr(code: str) -> Response:
    """The QR of the audience page, which the projector shows when teams join by team code."""
    contest = _contest_or_404(code)
    return _svg_qr(watch_url(contest.code))


def _team_codes_or_404(code: str) -> dict[str, Any]:
    found = teams_of(services().contests, code, member_names=False, join_codes=True)
    if found is None:
        abort(404, f"no contest with code {code}")
    return found


@pages.get("/qr/<code>/<team>.svg")
@host_only
def team_qr(code: str, team: str) -> Response:
    found = _team_codes_or_404(code)
    join_code = next((t.get("join_code") for t in found["teams"] if t["id"] == team), None)
    if join_code is None:
        abort(404, f"no team {team} with a join code")
    answer = _svg_qr(team_join_url(found["code"], join_code))
    # The host may give the team a new code: never show a stale one.
    answer.headers["Cache-Control"] = "no-store"
    return answer


@pages.get("/host/<code>/team-codes")
@host_only
def team_codes(code: str) -> str:
    found = _team_codes_or_404(code)
    teams = [
        {**team, "url": team_join_url(found["code"], team["join_code"])}
        for team in found["teams"]
        if "join_code" in team
    ]
    return render_template("team_codes.html", contest=found, teams=teams)


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
    """One table as a CSV download, UTF-8 with a BOM so that Excel reads the Chinese headers;
    no text cell can start a formula."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows([inert_cell(cell) for cell in row] for row in rows)
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
        if status == 413:
            # Only a bank file is ever this big; say so, with the one limit the docs name.
            message = f"上传的题库文件超过 {MAX_BYTES // (1024 * 1024)} MB 的上限"
            if request.path.startswith("/api/"):
                return api_error("file_too_large", message, 413)
            return render_template("error.html", status=413, message=message), 413
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
