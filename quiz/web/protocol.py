"""Checking what clients send, before anything reaches the contest core (docs/protocol.md).

Every client event is a small JSON object. These functions turn one into a command factory
(``at`` is stamped later, under the contest's lock) or raise :class:`ProtocolError` with a
code and a message the client is shown.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from typing import Any

from quiz.app.errors import Refused
from quiz.engine import commands as c
from quiz.engine.questions import Response

PROTOCOL_VERSION = 1
MAX_PAYLOAD_BYTES = 4096
MAX_TEXT_ANSWER = 200
MAX_NOTE = 200
MAX_CHOICES = 8

CommandFactory = Callable[[int], c.Command]


class ProtocolError(Refused):
    """A refused client event: ``code`` is one of docs/protocol.md's error codes."""


def checked_payload(payload: Any, allowed: Collection[str]) -> dict[str, Any]:
    """A JSON object of at most 4 KB holding only ``allowed`` keys."""
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise ProtocolError("bad_payload", "the payload must be a JSON object")
    try:
        size = len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    except (TypeError, ValueError, RecursionError):
        raise ProtocolError("bad_payload", "the payload is not plain JSON") from None
    if size > MAX_PAYLOAD_BYTES:
        raise ProtocolError("too_large", f"the payload is {size} bytes; the limit is 4096")
    unknown = sorted(str(key) for key in payload if key not in allowed)
    if unknown:
        raise ProtocolError("bad_payload", f"unknown field(s): {', '.join(unknown)}")
    return payload


def _int(payload: dict[str, Any], key: str, low: int, high: int, *, required: bool) -> int | None:
    value = payload.get(key)
    if value is None:
        if required:
            raise ProtocolError("bad_payload", f"'{key}' is required")
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ProtocolError("bad_payload", f"'{key}' must be a whole number from {low} to {high}")
    return value


def _team(payload: dict[str, Any], teams: Collection[str], *, required: bool) -> str | None:
    value = payload.get("team")
    if value is None and not required:
        return None
    if not isinstance(value, str) or value not in teams:
        raise ProtocolError("bad_payload", f"'team' must be one of: {', '.join(teams)}")
    return value


def _bool(payload: dict[str, Any], key: str) -> bool:
    value = payload.get(key)
    if not isinstance(value, bool):
        raise ProtocolError("bad_payload", f"'{key}' must be true or false")
    return value


def _note(payload: dict[str, Any]) -> str:
    """A host's note saying why: 1 to 200 characters once trimmed."""
    note = payload.get("note")
    if not isinstance(note, str) or not 1 <= len(note.strip()) <= MAX_NOTE:
        raise ProtocolError("bad_payload", "'note' must say why, in 1 to 200 characters")
    return note.strip()


_PLAIN: dict[str, Callable[..., c.Command]] = {
    "StartRound": c.StartRound,
    "EndRound": c.EndRound,
    "PromptAnswer": c.PromptAnswer,
    "UndoJudgement": c.UndoJudgement,
    "SkipQuestion": c.SkipQuestion,
    "Pause": c.Pause,
    "Resume": c.Resume,
    "FreezeStandings": c.FreezeStandings,
    "EndContest": c.EndContest,
    "RevealPodium": c.RevealPodium,
}
_FIELDS: dict[str, tuple[str, ...]] = {
    "OpenQuestion": ("team",),
    "ArmBuzzers": ("countdown_ms",),
    "Judge": ("team", "correct"),
    "PassQuestion": ("team",),
    "ChooseTier": ("team", "points"),
    "StartWindow": ("team",),
    "AdjustScore": ("team", "delta", "note"),
    "ReplaceQuestion": ("question_id",),
    "ReopenContest": ("note",),
}
HOST_COMMANDS = (*_PLAIN, *_FIELDS)


def host_command(payload: Any, teams: Collection[str]) -> CommandFactory:
    """A host ``command`` event: its type and exactly the fields that type takes."""
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        raise ProtocolError("bad_payload", "a command needs a 'type'")
    kind = payload["type"]
    if kind not in HOST_COMMANDS:
        raise ProtocolError("bad_payload", f"unknown command type {kind!r}")
    fields = checked_payload(payload, ("type", *_FIELDS.get(kind, ())))
    if kind in _PLAIN:
        plain = _PLAIN[kind]
        return lambda at: plain(at=at)
    match kind:
        case "OpenQuestion":
            team = _team(fields, teams, required=False)
            return lambda at: c.OpenQuestion(at=at, team=team)
        case "ArmBuzzers":
            countdown = _int(fields, "countdown_ms", 0, 10_000, required=False) or 0
            return lambda at: c.ArmBuzzers(at=at, countdown_ms=countdown)
        case "Judge":
            judged = _team(fields, teams, required=True)
            correct = _bool(fields, "correct")
            assert judged is not None
            return lambda at: c.Judge(at=at, team=judged, correct=correct)
        case "PassQuestion":
            passing = _team(fields, teams, required=True)
            assert passing is not None
            return lambda at: c.PassQuestion(at=at, team=passing)
        case "ChooseTier":
            chooser = _team(fields, teams, required=True)
            tier = _int(fields, "points", 0, 1000, required=True)
            assert chooser is not None
            assert tier is not None
            return lambda at: c.ChooseTier(at=at, team=chooser, points=tier)
        case "StartWindow":
            window_team = _team(fields, teams, required=False)
            return lambda at: c.StartWindow(at=at, team=window_team)
        case "AdjustScore":
            adjusted = _team(fields, teams, required=True)
            delta = _int(fields, "delta", -1000, 1000, required=True)
            note = _note(fields)
            assert adjusted is not None
            assert delta is not None
            return lambda at: c.AdjustScore(at=at, team=adjusted, delta=delta, note=note)
        case "ReopenContest":
            why = _note(fields)
            return lambda at: c.ReopenContest(at=at, note=why)
        case _:
            question_id = fields.get("question_id")
            if question_id is not None and (
                not isinstance(question_id, str) or not 1 <= len(question_id) <= 200
            ):
                raise ProtocolError("bad_payload", "'question_id' must be a question id")
            return lambda at: c.ReplaceQuestion(at=at, question_id=question_id)


def team_tier(payload: Any, team: str) -> CommandFactory:
    """A ``choose_tier`` event: the risk tier's points."""
    fields = checked_payload(payload, ("points",))
    points = _int(fields, "points", 0, 1000, required=True)
    assert points is not None
    return lambda at: c.ChooseTier(at=at, team=team, points=points)


def team_answer(payload: Any, team: str, player: str) -> CommandFactory:
    """An ``answer`` event: an option index, a list of indices, true/false, or short text."""
    fields = checked_payload(payload, ("response",))
    if "response" not in fields:
        raise ProtocolError("bad_payload", "'response' is required")
    response = parse_response(fields["response"])
    return lambda at: c.SubmitAnswer(at=at, team=team, response=response, player=player)


def parse_response(raw: Any) -> Response:
    """An answer as JSON gives it: an option index (0-7), a list of them, true/false, or text of
    at most 200 characters."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        if not 0 <= raw < MAX_CHOICES:
            raise ProtocolError("bad_payload", "an option index must be from 0 to 7")
        return raw
    if isinstance(raw, str):
        if len(raw) > MAX_TEXT_ANSWER:
            raise ProtocolError("bad_payload", "a typed answer may be at most 200 characters")
        return raw
    if (
        isinstance(raw, list)
        and len(raw) <= MAX_CHOICES
        and all(type(item) is int and 0 <= item < MAX_CHOICES for item in raw)
    ):
        return tuple(raw)
    raise ProtocolError(
        "bad_payload", "'response' must be an option index, a list of them, true/false or text"
    )


def team_buzz_times(payload: Any) -> tuple[int | None, int | None]:
    """A ``buzz`` event's device times (shown, pressed), each optional."""
    fields = checked_payload(payload, ("shown_ms", "pressed_ms"))
    limit = 10**15
    shown = _int(fields, "shown_ms", 0, limit, required=False)
    pressed = _int(fields, "pressed_ms", 0, limit, required=False)
    return shown, pressed
