"""The contest JSON API (docs/protocol.md, "HTTP"): contests, joining, templates, bank uploads.

Each view parses the request, calls one service function and returns its result as JSON; a
refusal becomes ``{"error": {"code", "message"}}`` with the status :data:`http.STATUS` names.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from quiz.app.banks import import_bank
from quiz.app.contest_setup import SetupError, build_contest, template_summaries
from quiz.app.errors import Refused
from quiz.app.lobby import contest_info, join, move_member, remove_member, teams_of
from quiz.banks.formats import FileReport, read_bank
from quiz.banks.model import question_to_dict
from quiz.web.http import Answer, api_error, host_only, is_host, json_body, services

api = Blueprint("api", __name__)
MAX_BODY = 16 * 1024
NO_FILE = ("bad_payload", "send the bank as the multipart field 'file'")


@api.errorhandler(Refused)
def refused(failure: Refused) -> Answer:
    return api_error(failure.code, failure.message)


@api.get("/api/contests/<code>")
def contest(code: str) -> Response | Answer:
    info = contest_info(services().contests, code)
    if info is None:
        return api_error("unknown_contest", f"no contest with code {code!r}", 404)
    # The projector's lobby screen shows who has joined: its key lets it read the names too.
    screen = hmac.compare_digest(request.args.get("key", ""), info.screen_key)
    found = teams_of(services().contests, code, member_names=is_host() or screen)
    assert found is not None
    return jsonify(found)


@api.delete("/api/contests/<code>/members/<player>")
@host_only
def remove_contest_member(code: str, player: str) -> Response:
    team = remove_member(services().contests, code, player)
    _close_seat(code, player, {"code": "seat_removed", "message": "the host removed this seat"})
    return jsonify({"ok": True, "player": player, "team": team})


@api.post("/api/contests/<code>/members/<player>/move")
@host_only
def move_contest_member(code: str, player: str) -> Response:
    team = json_body(("team",), MAX_BODY, "bad_payload").get("team")
    if not isinstance(team, str):
        raise Refused("bad_payload", "'team' must be a team id")
    moved_from = move_member(services().contests, code, player, team)
    if moved_from != team:
        notice = {"code": "seat_moved", "message": f"the host moved this seat to {team!r}"}
        _close_seat(code, player, {**notice, "team": team})
    return jsonify({"ok": True, "player": player, "from": moved_from, "team": team})


def _close_seat(code: str, player: str, notice: dict[str, Any]) -> None:
    """Disconnect the seat's devices (none in an app served without Socket.IO)."""
    hub = current_app.extensions.get("leitai.hub")
    info = contest_info(services().contests, code)
    if hub is not None and info is not None:
        hub.close_seat(info.code, player, notice)


@api.post("/api/join")
def join_contest() -> Response:
    body = json_body(("code", "team", "name"), MAX_BODY, "bad_payload")
    code, team, name = body.get("code"), body.get("team"), body.get("name")
    if not (isinstance(code, str) and isinstance(team, str) and isinstance(name, str)):
        raise Refused("bad_payload", "code, team and name must be text")
    return jsonify(join(services().contests, code, team, name))


@api.post("/api/contests")
@host_only
def create_contest() -> Response | Answer:
    body = json_body(
        ("title", "template", "banks", "seed", "team_names", "teams", "rounds", "reviewed_only"),
        MAX_BODY,
        "bad_payload",
    )
    banks, names, seed = body.get("banks"), body.get("team_names") or {}, body.get("seed")
    if not isinstance(banks, list) or not all(isinstance(b, str) for b in banks):
        return api_error("bad_payload", "'banks' must be a list of bank ids")
    if not isinstance(names, dict) or (seed is not None and not isinstance(seed, int)):
        return api_error("bad_payload", "'team_names' must map team ids to names; seed a number")
    teams, rounds = body.get("teams"), body.get("rounds")
    if not (teams is None or isinstance(teams, list)) or not isinstance(rounds or {}, dict):
        return api_error("bad_payload", "'teams' must be a list of teams; 'rounds' an object")
    try:
        created = build_contest(
            services().contests,
            title=str(body.get("title") or ""),
            template=str(body.get("template")),
            bank_ids=banks,
            reviewed_only=body.get("reviewed_only", True) is not False,
            seed=seed,
            team_names=names,
            teams=teams,
            rounds=rounds,
        )
    except SetupError as error:
        return api_error("bad_payload", str(error))
    return jsonify({"code": created.code, "screen_key": created.screen_key})


@api.get("/api/templates")
@host_only
def templates() -> Response:
    return jsonify(template_summaries())


def _uploaded_report() -> FileReport | None:
    """The validation report of the uploaded bank file, or None when no file was sent."""
    upload = request.files.get("file")
    if upload is None:
        return None
    return read_bank(upload.read(), upload.filename or "upload.yaml")


def _problems(report: FileReport) -> list[dict[str, Any]]:
    return [
        {"line": p.line, "column": p.column, "severity": p.severity, "message": p.message}
        for p in report.problems
    ]


@api.post("/api/banks/validate")
@host_only
def validate_bank() -> Response | Answer:
    report = _uploaded_report()
    if report is None:
        return api_error(*NO_FILE)
    preview = [question_to_dict(q) for q in report.bank.questions] if report.bank else []
    return jsonify(
        {"ok": report.bank is not None, "problems": _problems(report), "preview": preview}
    )


@api.post("/api/banks/import")
@host_only
def import_uploaded_bank() -> Response | Answer:
    report = _uploaded_report()
    if report is None:
        return api_error(*NO_FILE)
    if report.bank is None:
        return jsonify({"ok": False, "problems": _problems(report)}), 400
    result = import_bank(services().sessions, report.bank)
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
