"""Small builders for bank text used across test modules, and joining a team as a phone does."""

from __future__ import annotations

from typing import Any

import yaml

from quiz.app.contests import ContestService
from quiz.app.lobby import join, teams_of

HEADER: dict[str, Any] = {
    "id": "sample",
    "title": "样例题库",
    "language": "zh-CN",
    "version": 1,
    "authors": ["测试"],
}


def question(**fields: Any) -> dict[str, Any]:
    """A valid single-choice question, with ``fields`` replacing or adding keys."""
    base: dict[str, Any] = {
        "id": "q1",
        "type": "single",
        "text": "中国共产党第一次全国代表大会于哪一年召开？",
        "options": ["1919年", "1921年", "1927年", "1949年"],
        "answer": "1921年",
        "explanation": "中共一大于1921年7月在上海召开。",
        "source": "《中国共产党简史》",
        "difficulty": 1,
        "tags": ["建党"],
        "status": "draft",
    }
    base.update(fields)
    return base


def bank_text(*questions: dict[str, Any], **header: Any) -> str:
    """YAML text of a bank with the given questions (one default question if none)."""
    document = {"bank": {**HEADER, **header}, "questions": list(questions) or [question()]}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def join_with_code(contests: ContestService, code: str, team: str, name: str) -> dict[str, Any]:
    """Join ``team`` with the join code the host's view shows for it (none in an open contest),
    as a member handed that code does."""
    found = teams_of(contests, code, member_names=False, join_codes=True)
    codes = {entry["id"]: entry.get("join_code") for entry in found["teams"]} if found else {}
    return join(contests, code, team, name, codes.get(team))
