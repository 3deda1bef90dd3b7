"""Planning a new contest from a template and stored banks (what the host's form asks for).

This module decides what the contest will be: its rules, its questions and their versions.
Creating it (logging the set-up command, caching and publishing it) is the contest service's
job, under the same lock and in the same order as every other command.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from quiz.app.contests import ContestService, CreatedContest, NewContest
from quiz.app.errors import Refused
from quiz.app.lobby import contest_info
from quiz.contests.templates import Template, TemplateError, read_template_file, shipped_templates
from quiz.engine.errors import RuleSetError, SelectionError
from quiz.engine.questions import Question
from quiz.engine.rules import RoundRules, RuleSet, ruleset_from_mapping
from quiz.engine.selection import plan_contest
from quiz.storage.bank_repo import current_version_ids, load_bank
from quiz.storage.contest_repo import set_details

MAX_TITLE = 100
MAX_TEAM_NAME = 40
MIN_TEAMS, MAX_TEAMS = 2, 12
# The round values the host's form may change; everything else stays the template's.
ROUND_OVERRIDES = frozenset({"count", "answer_seconds", "buzz_window_seconds", "points"})
# The 成绩单's 地点, 主办单位 and 主持人: optional texts the host gives at creation or later.
DETAIL_FIELDS = ("venue", "organiser", "host_name")
MAX_DETAIL = 60
# How members join a contest: with their team's own code, or (informal practice) the contest's.
JOIN_MODES = ("team_code", "open")


class SetupError(ValueError):
    """A contest that cannot be created as asked; the message says why, for the form."""


def template_named(name: str) -> Template:
    """A shipped (or organiser's) template by name; a broken one is refused with its position."""
    path = shipped_templates().get(name)
    if path is None:
        raise SetupError(f"no template named {name!r}")
    try:
        return read_template_file(path)
    except TemplateError as error:
        raise SetupError(str(error)) from error


def template_summaries() -> list[dict[str, Any]]:
    """Name, label, rounds and teams of every template, for the host's form; a template that
    does not load is listed with its problem instead of hiding it."""
    summaries: list[dict[str, Any]] = []
    for name in shipped_templates():
        try:
            loaded = template_named(name)
        except SetupError as error:
            broken = {"name": name, "label": name, "rounds": [], "teams": [], "team_list": []}
            summaries.append({**broken, "round_values": [], "error": str(error)})
            continue
        data, rules = loaded.data, loaded.rules
        summaries.append(
            {
                "name": name,
                "label": data.get("label", name),
                "rounds": [r.get("name", r.get("kind")) for r in data.get("rounds", [])],
                "teams": [t.get("name") for t in data.get("teams", [])],
                "team_list": [{"id": team.id, "name": team.name} for team in rules.teams],
                "round_values": [_round_values(round_rules) for round_rules in rules.rounds],
            }
        )
    return summaries


def _round_values(round_rules: RoundRules) -> dict[str, Any]:
    """A round's values the host's form may override, as the template (or its kind) sets them."""
    return {
        "name": round_rules.name,
        "kind": round_rules.kind,
        "count": round_rules.selection.count,
        "answer_seconds": round_rules.answer_time_ms // 1000,
        "buzz_window_seconds": round_rules.buzz_window_ms // 1000,
        "points": round_rules.points,
    }


def _team_entries(teams: list[Any]) -> list[dict[str, Any]]:
    """The host's teams in seat order: 2..12, each a name, ids from the order when absent."""
    if not isinstance(teams, list) or not MIN_TEAMS <= len(teams) <= MAX_TEAMS:
        raise SetupError(f"teams: expected a list of {MIN_TEAMS} to {MAX_TEAMS} teams")
    entries: list[dict[str, Any]] = []
    for index, team in enumerate(teams):
        if not isinstance(team, dict) or set(team) - {"id", "name"}:
            raise SetupError(f"teams/{index}: expected {{id?, name}}")
        name = team.get("name")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= MAX_TEAM_NAME:
            raise SetupError(f"teams/{index}/name: needs 1 to {MAX_TEAM_NAME} characters")
        # An absent id is made from the seat, so the same form gives the same ids every time.
        entries.append({"id": team.get("id", f"team{index + 1}"), "name": name.strip()})
    return entries


def _round_overrides(rounds: list[Any], overrides: dict[str, Any]) -> list[Any]:
    """The template's rounds with the host's per-round values put in, checked later by the core."""
    rounds = [dict(entry) if isinstance(entry, dict) else entry for entry in rounds]
    for key, values in overrides.items():
        # JSON object keys are text: "1" is the round at index 1.
        index = int(key) if isinstance(key, str) and key.isdigit() else -1
        if not 0 <= index < len(rounds) or not isinstance(rounds[index], dict):
            raise SetupError(f"rounds/{key}: the template has no round {key}")
        if not isinstance(values, dict) or set(values) - ROUND_OVERRIDES:
            raise SetupError(f"rounds/{key}: expected only {sorted(ROUND_OVERRIDES)}")
        entry = rounds[index]
        for name, value in values.items():
            if name == "count":
                entry["questions"] = {**(entry.get("questions") or {}), "count": value}
            else:
                entry[name] = value
    return rounds


def _overridden(
    template: Template,
    names: dict[str, str],
    teams: list[Any] | None,
    rounds: dict[str, Any] | None,
) -> tuple[RuleSet, dict[str, Any]]:
    """The template's plain data with the host's teams, names and round values put in, and the
    rules the core builds from it: a bad value is refused with the core's message and path."""
    data = dict(template.data)
    if teams is not None:
        data["teams"] = _team_entries(teams)
    data["teams"] = [
        {**entry, "name": names[entry["id"]]}
        if isinstance(entry, dict) and entry.get("id") in names
        else entry
        for entry in data.get("teams", [])
    ]
    if rounds:
        data["rounds"] = _round_overrides(data.get("rounds", []), rounds)
    team_names = [entry.get("name", entry.get("id")) for entry in data["teams"]]
    if len(set(team_names)) != len(team_names):
        raise SetupError("teams: two teams have the same name")
    try:
        rules = ruleset_from_mapping(data)
    except RuleSetError as error:
        raise SetupError(f"{_request_path(error.path)}: {error.message}") from error
    return rules, data


def _request_path(path: tuple[str | int, ...]) -> str:
    """The core's path in the request's terms: a round's questions/count is its `count`."""
    if len(path) == 4 and path[0] == "rounds" and path[2:] == ("questions", "count"):
        path = (path[0], path[1], "count")
    return "/".join(str(part) for part in path)


def _pool(
    session: Session, bank_ids: list[str], reviewed_only: bool
) -> tuple[list[Question], dict[str, int]]:
    """Every usable question of the banks, with ids made unique across banks (bank/question)."""
    pool: list[Question] = []
    versions: dict[str, int] = {}
    for bank_id in bank_ids:
        bank = load_bank(session, bank_id)
        if bank is None:
            raise SetupError(f"no bank {bank_id!r}")
        version_ids = current_version_ids(session, bank_id)
        for question in bank.questions:
            if reviewed_only and question.status != "reviewed":
                continue
            unique = replace(
                question, id=f"{bank.id}/{question.id}", tags=(*bank.tags, *question.tags)
            )
            pool.append(unique)
            versions[unique.id] = version_ids[question.id]
    return pool, versions


def contest_details(raw: dict[str, Any]) -> dict[str, str]:
    """The venue, organiser and host name ``raw`` gives, trimmed: each text (or null for empty)
    of at most 60 characters without control characters, else refused ``bad_details``."""
    details: dict[str, str] = {}
    for name in DETAIL_FIELDS:
        if name not in raw:
            continue
        value = raw[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise Refused("bad_details", f"{name}: expected text")
        value = value.strip()
        if len(value) > MAX_DETAIL:
            raise Refused("bad_details", f"{name}: at most {MAX_DETAIL} characters")
        # Line breaks, tabs and other control or separator characters would break the sheet's
        # one-line cells.
        if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in value):
            raise Refused("bad_details", f"{name}: no control characters or line breaks")
        details[name] = value
    return details


def update_details(contests: ContestService, code: str, raw: dict[str, Any]) -> dict[str, str]:
    """Change the venue, organiser or host name ``raw`` names until the contest finishes (a
    finished contest's 成绩单 is final); returns all three as now stored."""
    details = contest_details(raw)
    with contests.locked(code) as held:
        if held is None:
            raise Refused("unknown_contest", f"no contest with code {code!r}")
        live, session = held
        if live.state.phase == "finished":
            raise Refused("finished", "this contest is over: its 成绩单 is final")
        set_details(session, live.id, details)
    info = contest_info(contests, code)
    assert info is not None
    return info.details()


def build_contest(
    contests: ContestService,
    *,
    title: str,
    template: str,
    bank_ids: list[str],
    reviewed_only: bool = True,
    seed: int | None = None,
    team_names: dict[str, str] | None = None,
    teams: list[Any] | None = None,
    rounds: dict[str, Any] | None = None,
    purpose: str = "contest",
    details: dict[str, Any] | None = None,
    join: str = "team_code",
) -> CreatedContest:
    """Plan a contest's questions from the banks and create it through the contest service;
    `teams` replaces the template's teams, `rounds` overrides values of rounds by index and
    `details` gives the venue, organiser and host name (see :func:`contest_details`); `join` is
    how members join: with their team's code (``team_code``) or the contest's alone (``open``)."""
    title = title.strip()
    if not 1 <= len(title) <= MAX_TITLE:
        raise SetupError("the title needs 1 to 100 characters")
    checked = contest_details(details or {})
    if join not in JOIN_MODES:
        raise SetupError("join: expected team_code or open")
    if not bank_ids:
        raise SetupError("choose at least one bank")
    names = {
        key: value.strip()[:MAX_TEAM_NAME]
        for key, value in (team_names or {}).items()
        if isinstance(value, str) and value.strip()
    }
    rules, data = _overridden(template_named(template), names, teams, rounds)
    seed = secrets.randbelow(2**31) if seed is None else seed
    with contests.sessions() as session:
        pool, versions = _pool(session, bank_ids, reviewed_only)
    try:
        plans = plan_contest(rules, pool, seed)
    except SelectionError as error:
        raise SetupError(str(error)) from error
    planned = {qid for plan in plans for qid in (*plan.question_ids, *plan.reserve_ids)}
    planned.update(qid for plan in plans for _, ids in plan.tiers for qid in ids)
    return contests.create(
        NewContest(
            title=title,
            purpose=purpose,
            template=data,
            rules=rules,
            questions=tuple(question for question in pool if question.id in planned),
            plan=plans,
            seed=seed,
            question_versions={qid: versions[qid] for qid in sorted(planned)},
            details=checked,
            join_mode=join,
        )
    )
