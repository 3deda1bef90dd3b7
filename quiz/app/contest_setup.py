"""Planning a new contest from a template and stored banks (what the host's form asks for).

This module decides what the contest will be: its rules, its questions and their versions.
Creating it (logging the set-up command, caching and publishing it) is the contest service's
job, under the same lock and in the same order as every other command.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from quiz.app.contests import ContestService, CreatedContest, NewContest
from quiz.contests.templates import Template, TemplateError, read_template_file, shipped_templates
from quiz.engine.errors import SelectionError
from quiz.engine.questions import Question
from quiz.engine.rules import RuleSet, TeamSpec
from quiz.engine.selection import plan_contest
from quiz.storage.bank_repo import current_version_ids, load_bank

MAX_TITLE = 100
MAX_TEAM_NAME = 40


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
            data = template_named(name).data
        except SetupError as error:
            summaries.append(
                {"name": name, "label": name, "rounds": [], "teams": [], "error": str(error)}
            )
            continue
        summaries.append(
            {
                "name": name,
                "label": data.get("label", name),
                "rounds": [r.get("name", r.get("kind")) for r in data.get("rounds", [])],
                "teams": [t.get("name") for t in data.get("teams", [])],
            }
        )
    return summaries


def _renamed(template: Template, names: dict[str, str]) -> tuple[RuleSet, dict[str, Any]]:
    """The template's rules and stored data with the host's team names put in."""
    teams = tuple(
        TeamSpec(team.id, names.get(team.id, team.name), team.players)
        for team in template.rules.teams
    )
    data = {
        **template.data,
        "teams": [
            {**entry, "name": names[entry["id"]]}
            if isinstance(entry, dict) and entry.get("id") in names
            else entry
            for entry in template.data.get("teams", [])
        ],
    }
    return replace(template.rules, teams=teams), data


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


def build_contest(
    contests: ContestService,
    *,
    title: str,
    template: str,
    bank_ids: list[str],
    reviewed_only: bool = True,
    seed: int | None = None,
    team_names: dict[str, str] | None = None,
    purpose: str = "contest",
) -> CreatedContest:
    """Plan a contest's questions from the banks and create it through the contest service."""
    title = title.strip()
    if not 1 <= len(title) <= MAX_TITLE:
        raise SetupError("the title needs 1 to 100 characters")
    if not bank_ids:
        raise SetupError("choose at least one bank")
    names = {
        key: value.strip()[:MAX_TEAM_NAME]
        for key, value in (team_names or {}).items()
        if isinstance(value, str) and value.strip()
    }
    rules, data = _renamed(template_named(template), names)
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
        )
    )
