"""The contest JSON API (docs/protocol.md, "HTTP"): contests, joining, templates, bank uploads.

Each view parses the request, calls one service function and returns its result as JSON; a
refusal becomes ``{"error": {"code", "message"}}`` with the status :data:`http.STATUS` names.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from quiz.app.banks import UploadReport, check_upload, import_upload
from quiz.app.contest_setup import (
    DETAIL_FIELDS,
    SetupError,
    build_contest,
    template_summaries,
    update_details,
)
from quiz.app.errors import Refused
from quiz.app.lobby import (
    contest_info,
    join,
    move_member,
    new_team_code,
    remove_member,
    teams_of,
)
from quiz.storage.bank_import import ImportResult
from quiz.texts import LANGUAGES, Language
from quiz.web.http import Answer, api_error, host_only, is_host, json_body, services
from quiz.web.limits import RateLimiter

api = Blueprint("api", __name__)
MAX_BODY = 16 * 1024
NO_FILE = ("bad_payload", "send the bank as the multipart field 'file'")
# Wrong team codes an address may send: a hall behind one NAT mistypes now and then, while a
# guesser gets 20 tries a minute against 28 million codes.
WRONG_CODES_PER_MINUTE = 20


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
    found = teams_of(
        services().contests, code, member_names=is_host() or screen, join_codes=is_host()
    )
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


@api.post("/api/contests/<code>/teams/<team>/join_code")
@host_only
def renew_join_code(code: str, team: str) -> Response:
    return jsonify({"team": team, "join_code": new_team_code(services().contests, code, team)})


@api.post("/api/join")
def join_contest() -> Response:
    body = json_body(("code", "team", "team_code", "name"), MAX_BODY, "bad_payload")
    code, team, name = body.get("code"), body.get("team", ""), body.get("name")
    team_code = body.get("team_code")
    if not (isinstance(code, str) and isinstance(team, str) and isinstance(name, str)):
        raise Refused("bad_payload", "code, team and name must be text")
    if not (team_code is None or (isinstance(team_code, str) and len(team_code) <= 16)):
        raise Refused("bad_payload", "team_code must be text")
    wrong_codes = current_app.extensions.setdefault(
        "leitai.wrong_team_codes", RateLimiter(WRONG_CODES_PER_MINUTE / 60, WRONG_CODES_PER_MINUTE)
    )
    address = request.remote_addr or "?"
    # A spent address is refused before its code is even looked at, so a guess cannot land.
    if wrong_codes.spent(address):
        raise Refused("rate_limited", "队伍码错误次数过多，请一分钟后再试")
    try:
        return jsonify(join(services().contests, code, team, name, team_code))
    except Refused as refusal:
        if refusal.code == "wrong_team_code":
            wrong_codes.allow(address)
        raise


@api.post("/api/contests")
@host_only
def create_contest() -> Response | Answer:
    body = json_body(
        (
            *("title", "template", "banks", "seed", "team_names", "teams", "rounds"),
            *("reviewed_only", "join", *DETAIL_FIELDS),
        ),
        MAX_BODY,
        "bad_payload",
    )
    banks, names, seed = body.get("banks"), body.get("team_names") or {}, body.get("seed")
    joining = body.get("join", "team_code")
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
            details={name: body[name] for name in DETAIL_FIELDS if name in body},
            join=joining if isinstance(joining, str) else "",
        )
    except SetupError as error:
        return api_error("bad_payload", str(error))
    return jsonify({"code": created.code, "screen_key": created.screen_key})


@api.post("/api/contests/<code>/details")
@host_only
def contest_details(code: str) -> Response:
    body = json_body(DETAIL_FIELDS, MAX_BODY, "bad_payload")
    return jsonify(update_details(services().contests, code, body))


@api.get("/api/templates")
@host_only
def templates() -> Response:
    return jsonify(template_summaries())


def _upload() -> tuple[bytes, str] | None:
    """The uploaded bank file's bytes and name, or None when no file was sent."""
    upload = request.files.get("file")
    if upload is None:
        return None
    return upload.read(), upload.filename or "upload.yaml"


_UNLISTED = ("另有 {count} 个问题未列出", "{count} more problem(s) not listed")


def _request_language() -> Language:
    """The ``lang`` form field or query parameter: ``en`` for English, else Chinese."""
    return "en" if (request.form.get("lang") or request.args.get("lang")) == "en" else "zh"


def _problems(report: UploadReport) -> dict[str, Any]:
    """The listed problems, each with its code, its sentence in the request's language and in
    both (so the page can switch languages), and how many more there are."""
    language = _request_language()
    listed = [
        {
            "line": p.line,
            "column": p.column,
            "place": p.where,
            "severity": p.severity,
            "code": p.code,
            "message": p.text(language),
            "text": {each: p.text(each) for each in LANGUAGES},
        }
        for p in report.problems
    ]
    unlisted = _UNLISTED[LANGUAGES.index(language)].format(count=report.unlisted)
    more = {"unlisted_message": unlisted} if report.unlisted else {}
    return {"problems": listed, "unlisted": report.unlisted, **more}


@api.post("/api/banks/validate")
@host_only
def validate_bank() -> Response | Answer:
    upload = _upload()
    if upload is None:
        return api_error(*NO_FILE)
    report = check_upload(services().sessions, *upload)
    would = {"would": _result_json(report.would)} if report.would is not None else {}
    return jsonify(
        {
            "ok": report.ok,
            **_problems(report),
            "questions": report.questions,
            "preview": list(report.preview),
            **would,
        }
    )


@api.post("/api/banks/import")
@host_only
def import_uploaded_bank() -> Response | Answer:
    upload = _upload()
    if upload is None:
        return api_error(*NO_FILE)
    report = import_upload(services().sessions, *upload)
    if report.result is None:
        return jsonify({"ok": False, **_problems(report)}), 400
    return jsonify({"ok": True, "result": _result_json(report.result)})


def _result_json(result: ImportResult) -> dict[str, Any]:
    """What an import did, or would do: ids added, changed and retired, a count unchanged."""
    return {
        "bank": result.bank_id,
        "added": result.added,
        "changed": result.changed,
        "unchanged": len(result.unchanged),
        "retired": result.retired,
        "notes": [
            {
                "code": note.code,
                "message": note.text(_request_language()),
                "text": {each: note.text(each) for each in LANGUAGES},
            }
            for note in result.notes
        ],
    }
