"""Creating a contest from a shipped template and stored banks (what the host's form does)."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from quiz.contests.templates import shipped_templates
from quiz.engine.commands import SetUpContest
from quiz.engine.errors import RuleSetError, SelectionError
from quiz.engine.questions import Question
from quiz.engine.rules import RuleSet, ruleset_from_mapping
from quiz.engine.selection import plan_contest
from quiz.engine.serialization import command_to_dict
from quiz.storage.bank_repo import current_version_ids, load_bank
from quiz.storage.contest_repo import create_contest, new_code
from quiz.yamlsource import YamlSourceError, load_yaml, read_source

MAX_TITLE = 100
MAX_TEAM_NAME = 40


class SetupError(ValueError):
    """A contest that cannot be created as asked; the message says why, for the form."""


@dataclass(frozen=True, slots=True)
class CreatedContest:
    """The new contest's code and projector key."""

    code: str
    screen_key: str


def template_mapping(name: str) -> dict[str, Any]:
    """A shipped template's plain data (before the core turns it into rules)."""
    path = shipped_templates().get(name)
    if path is None:
        raise SetupError(f"no template named {name!r}")
    try:
        data = load_yaml(read_source(str(path)), str(path)).data
    except YamlSourceError as error:
        raise SetupError(str(error)) from error
    if not isinstance(data, dict):
        raise SetupError(f"template {name!r} is not a mapping")
    # Round-trip through JSON so the stored copy holds only JSON types.
    loaded: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return loaded


def template_summaries() -> list[dict[str, Any]]:
    """Name, label and round kinds of every shipped template, for the host's form."""
    summaries = []
    for name in shipped_templates():
        data = template_mapping(name)
        summaries.append(
            {
                "name": name,
                "label": data.get("label", name),
                "rounds": [r.get("name", r.get("kind")) for r in data.get("rounds", [])],
                "teams": [t.get("name") for t in data.get("teams", [])],
            }
        )
    return summaries


def _rules(mapping: dict[str, Any], team_names: dict[str, str]) -> RuleSet:
    for team in mapping.get("teams", []):
        name = team_names.get(team.get("id"))
        if name is not None:
            team["name"] = name
    try:
        return ruleset_from_mapping(mapping)
    except RuleSetError as error:
        raise SetupError(f"template: {error}") from error


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
    sessions: sessionmaker[Session],
    *,
    title: str,
    template: str,
    bank_ids: list[str],
    reviewed_only: bool = True,
    seed: int | None = None,
    team_names: dict[str, str] | None = None,
    purpose: str = "contest",
) -> CreatedContest:
    """Plan a contest's questions from the banks and store it, ready in the lobby."""
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
    mapping = template_mapping(template)
    rules = _rules(mapping, names)
    seed = secrets.randbelow(2**31) if seed is None else seed
    with sessions.begin() as session:
        pool, versions = _pool(session, bank_ids, reviewed_only)
        try:
            plans = plan_contest(rules, pool, seed)
        except SelectionError as error:
            raise SetupError(str(error)) from error
        planned = {qid for plan in plans for qid in (*plan.question_ids, *plan.reserve_ids)}
        planned.update(qid for plan in plans for _, ids in plan.tiers for qid in ids)
        questions = tuple(question for question in pool if question.id in planned)
        code = new_code(session)
        setup = SetUpContest(
            at=time.time_ns() // 1_000_000,
            contest_id=code,
            rules=rules,
            questions=questions,
            plan=plans,
            seed=seed,
        )
        contest = create_contest(
            session,
            code=code,
            title=title,
            template=mapping,
            teams=[(team.id, team.name) for team in rules.teams],
            setup=command_to_dict(setup),
            question_versions={qid: versions[qid] for qid in sorted(planned)},
            purpose=purpose,
        )
        return CreatedContest(contest.code, contest.screen_key)
