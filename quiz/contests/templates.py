"""Contest templates: YAML in, a frozen RuleSet out, every problem with file, line and column.

The core's ruleset_from_mapping does the checking and names the path of a bad value; this
adapter only reads the file and turns that path into a position in it. It is the one template
reader: the host's form, PK matches, the tests and the CLI all go through it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiz.engine.errors import RuleSetError
from quiz.engine.rules import RuleSet, ruleset_from_mapping
from quiz.resources import resource_dir
from quiz.yamlsource import Problem, YamlSourceError, load_yaml, read_source


class TemplateError(ValueError):
    """A template that is malformed or breaks a rule; `problems` locate each finding."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Template:
    """A template's plain data (stored with each contest made from it) and the rules it makes."""

    name: str
    data: dict[str, Any]
    rules: RuleSet


def parse_template(text: str, filename: str) -> Template:
    """Parse template text; malformed YAML or a bad value raises TemplateError with positions."""
    try:
        located = load_yaml(text, filename)
    except YamlSourceError as error:
        raise TemplateError(error.problems) from error
    try:
        rules = ruleset_from_mapping(located.data)
    except RuleSetError as error:
        line, column = located.position(error.path)
        problem = Problem(filename, line, column, "error", error.message)
        raise TemplateError([problem]) from error
    # Round-trip through JSON so the copy stored with a contest holds only JSON types.
    data: dict[str, Any] = json.loads(json.dumps(located.data, default=str))
    return Template(Path(filename).stem, data, rules)


def load_template(text: str, filename: str) -> RuleSet:
    """The rules of template text (see :func:`parse_template`)."""
    return parse_template(text, filename).rules


def read_template_file(path: str | Path) -> Template:
    """Read and parse a template file (size and encoding checked like bank files)."""
    try:
        text = read_source(str(path))
    except YamlSourceError as error:
        raise TemplateError(error.problems) from error
    return parse_template(text, str(path))


def read_template(path: str | Path) -> RuleSet:
    """The rules of a template file."""
    return read_template_file(path).rules


def shipped_templates() -> dict[str, Path]:
    """Templates by file stem: the shipped ones, then the organiser's own in QUIZ_TEMPLATES_DIR
    (a template there with a shipped template's name replaces it)."""
    folders = [resource_dir("contest_templates")]
    if os.environ.get("QUIZ_TEMPLATES_DIR"):
        folders.append(Path(os.environ["QUIZ_TEMPLATES_DIR"]))
    return {path.stem: path for folder in folders for path in sorted(folder.glob("*.yaml"))}
