"""HTTP pages and the small JSON API around the live contest (docs/protocol.md, "HTTP")."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

import segno
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers.response import Response as BaseResponse

from quiz.banks.loader import FileReport, load_bank_bytes
from quiz.banks.model import question_to_dict
from quiz.engine.scoring import standings
from quiz.storage.bank_repo import bank_summaries, import_bank
from quiz.storage.contest_repo import add_player, contest_by_code, list_contests, team_members
from quiz.web.auth import check_host_password
from quiz.web.contest_setup import SetupError, build_contest, template_summaries
from quiz.web.limits import RateLimiter
from quiz.web.service import ContestService

pages = Blueprint("pages", __name__)
_login_attempts = RateLimiter(5 / 60, burst=5)
MAX_NAME = 20
View = TypeVar("View", bound=Callable[..., Any])


def sessions() -> sessionmaker[Session]:
    """The app's database sessions."""
    return cast(sessionmaker[Session], current_app.extensions["leitai.sessions"])


def service() -> ContestService:
    """The app's contest service."""
    return cast(ContestService, current_app.extensions["leitai.service"])


def host_only(view_function: View) -> View:
    """Pages for the host: others are sent to the login page (or get 401 from the API)."""

    @wraps(view_function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not session.get("host"):
            if request.path.startswith("/api/"):
                return api_error("unauthorized", "log in as the host first", 401)
            return redirect(url_for("pages.login", next=request.path))
        return view_function(*args, **kwargs)

    return cast(View, wrapper)


def api_error(code: str, message: str, status: int = 400) -> tuple[Response, int]:
    """A JSON error in the protocol's shape."""
    return jsonify({"error": {"code": code, "message": message}}), status


def join_url(code: str) -> str:
    """The address phones open to join: PUBLIC_URL when set (the laptop's LAN address), else
    the address the requesting browser used."""
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return f"{base.rstrip('/')}/join/{code}"


@pages.get("/")
def index() -> str:
    with sessions()() as db:
        banks = bank_summaries(db)
    return render_template("index.html", banks=banks, version=current_app.config["VERSION"])


@pages.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse:
    error = None
    if request.method == "POST":
        if not _login_attempts.allow(request.remote_addr or "?"):
            error = "尝试次数过多，请一分钟后再试 / Too many attempts: wait a minute"
        elif check_host_password(sessions(), request.form.get("password", "")):
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
    with sessions()() as db:
        contests = list_contests(db)
        banks = bank_summaries(db)
    return render_template(
        "host_index.html", contests=contests, banks=banks, templates=template_summaries()
    )


def _contest_or_404(code: str) -> Any:
    with sessions()() as db:
        contest = contest_by_code(db, code)
    if contest is None:
        abort(404, f"no contest with code {code}")
    return contest


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
    live = service().live(contest.code)
    assert live is not None
    teams = live.state.rules.teams if live.state.rules else ()
    keys = [
        {"team": team.id, "name": team.name, "key": str(index + 1)}
        for index, team in enumerate(teams[:9])
    ]
    return render_template("local.html", code=contest.code, title=contest.title, keys=keys)


@pages.get("/admin/banks")
@host_only
def admin_banks() -> str:
    with sessions()() as db:
        banks = bank_summaries(db)
    return render_template("admin_banks.html", banks=banks)


@pages.get("/qr/<code>.svg")
def qr(code: str) -> Response:
    contest = _contest_or_404(code)
    buffer = io.BytesIO()
    segno.make(join_url(contest.code), error="m").save(buffer, kind="svg", scale=8, border=2)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


def _results(code: str) -> tuple[Any, list[dict[str, Any]], list[dict[str, Any]]]:
    contest = _contest_or_404(code)
    live = service().live(contest.code)
    assert live is not None
    state = live.state
    names = {team.id: team.name for team in state.rules.teams} if state.rules else {}
    table = [
        {
            "rank": s.rank,
            "team": s.team,
            "name": names.get(s.team, s.team),
            "score": s.score,
            "fouls": s.fouls,
        }
        for s in standings(state)
    ]
    versions = contest.question_versions
    rows = [
        {
            "round": entry.round_index,
            "question_id": entry.question_id or "",
            "question_version": versions.get(entry.question_id or "", ""),
            "team": entry.team,
            "reason": entry.reason,
            "points": entry.delta,
            "note": entry.note,
            "at": time.strftime("%H:%M:%S", time.localtime(entry.at / 1000)),
        }
        for entry in state.ledger
    ]
    return contest, table, rows


@pages.get("/contests/<code>/results")
@host_only
def results(code: str) -> str:
    contest, table, rows = _results(code)
    return render_template(
        "results.html", code=contest.code, title=contest.title, standings=table, rows=rows
    )


@pages.get("/contests/<code>/results.csv")
@host_only
def results_csv(code: str) -> Response:
    contest, table, rows = _results(code)
    out = io.StringIO()
    out.write("\ufeff")  # a BOM so that Excel opens the UTF-8 file with the right encoding
    writer = csv.writer(out)
    writer.writerow(["rank", "team", "name", "score", "fouls"])
    writer.writerows([s["rank"], s["team"], s["name"], s["score"], s["fouls"]] for s in table)
    writer.writerow([])
    writer.writerow(
        ["round", "question", "question_version", "team", "reason", "points", "note", "time"]
    )
    writer.writerows(
        [
            r["round"],
            r["question_id"],
            r["question_version"],
            r["team"],
            r["reason"],
            r["points"],
            r["note"],
            r["at"],
        ]
        for r in rows
    )
    return Response(
        out.getvalue(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=leitai-{contest.code}-results.csv"},
    )


@pages.get("/api/contests/<code>")
def api_contest(code: str) -> Response | tuple[Response, int]:
    with sessions()() as db:
        contest = contest_by_code(db, code)
        if contest is None:
            return api_error("unknown_contest", f"no contest with code {code!r}", 404)
        members = team_members(db, contest.id)
    live = service().live(contest.code)
    assert live is not None
    teams = live.state.rules.teams if live.state.rules else ()
    return jsonify(
        {
            "code": contest.code,
            "title": contest.title,
            "status": contest.status,
            "teams": [
                {
                    "id": t.id,
                    "name": t.name,
                    "members": len(members.get(t.id, [])),
                    # Members' names are for the host only; anyone may see how many joined.
                    **({"member_names": members.get(t.id, [])} if session.get("host") else {}),
                }
                for t in teams
            ],
        }
    )


@pages.post("/api/join")
def api_join() -> Response | tuple[Response, int]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return api_error("bad_payload", "send JSON {code, team, name}")
    code, team, name = body.get("code"), body.get("team"), body.get("name")
    if not all(isinstance(value, str) for value in (code, team, name)):
        return api_error("bad_payload", "code, team and name must be text")
    assert isinstance(code, str)
    assert isinstance(team, str)
    assert isinstance(name, str)
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME:
        return api_error("bad_payload", "your name needs 1 to 20 characters")
    with sessions().begin() as db:
        contest = contest_by_code(db, code)
        if contest is None:
            return api_error("unknown_contest", f"no contest with code {code!r}", 404)
        if contest.status == "finished":
            return api_error("finished", "this contest is over")
        live = service().live(contest.code)
        assert live is not None
        if team not in live.state.totals:
            return api_error("bad_payload", "choose one of the contest's teams")
        seat, token = add_player(db, contest, team, name)
    return jsonify(
        {"seat": token, "team": seat.team, "team_name": seat.team_name, "contest": seat.code}
    )


@pages.post("/api/contests")
@host_only
def api_create_contest() -> Response | tuple[Response, int]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return api_error("bad_payload", "send a JSON object")
    banks, names, seed = body.get("banks"), body.get("team_names") or {}, body.get("seed")
    if not isinstance(banks, list) or not all(isinstance(b, str) for b in banks):
        return api_error("bad_payload", "'banks' must be a list of bank ids")
    if not isinstance(names, dict) or (seed is not None and not isinstance(seed, int)):
        return api_error("bad_payload", "'team_names' must map team ids to names; seed a number")
    try:
        created = build_contest(
            sessions(),
            title=str(body.get("title") or ""),
            template=str(body.get("template")),
            bank_ids=banks,
            reviewed_only=body.get("reviewed_only", True) is not False,
            seed=seed,
            team_names=names,
        )
    except SetupError as error:
        return api_error("bad_payload", str(error))
    return jsonify({"code": created.code, "screen_key": created.screen_key})


@pages.get("/api/templates")
@host_only
def api_templates() -> Response:
    return jsonify(template_summaries())


def _uploaded_report() -> FileReport | None:
    """The validation report of the uploaded bank file, or None when no file was sent."""
    upload = request.files.get("file")
    if upload is None:
        return None
    return load_bank_bytes(upload.read(), upload.filename or "upload.yaml")


def _problems(report: FileReport) -> list[dict[str, Any]]:
    return [
        {"line": p.line, "column": p.column, "severity": p.severity, "message": p.message}
        for p in report.problems
    ]


NO_FILE = ("bad_payload", "send the bank as the multipart field 'file'")


@pages.post("/api/banks/validate")
@host_only
def api_validate_bank() -> Response | tuple[Response, int]:
    report = _uploaded_report()
    if report is None:
        return api_error(*NO_FILE)
    preview = [question_to_dict(q) for q in report.bank.questions] if report.bank else []
    return jsonify(
        {"ok": report.bank is not None, "problems": _problems(report), "preview": preview}
    )


@pages.post("/api/banks/import")
@host_only
def api_import_bank() -> Response | tuple[Response, int]:
    report = _uploaded_report()
    if report is None:
        return api_error(*NO_FILE)
    if report.bank is None:
        return jsonify({"ok": False, "problems": _problems(report)}), 400
    with sessions().begin() as db:
        result = import_bank(db, report.bank)
    return jsonify(
        {
            "ok": True,
            "result": {
                "bank": result.bank_id,
                "added": result.added,
                "changed": result.changed,
                "unchanged": len(result.unchanged),
                "retired": result.retired,
                "notes": result.notes,
            },
        }
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
