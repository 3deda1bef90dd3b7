"""Contest templates: YAML in, a frozen RuleSet out, every problem with file, line and column.

The core's ruleset_from_mapping does the checking and names the path of a bad value; this
adapter only reads the file and turns that path into a position in it.
"""

from __future__ import annotations

import os
from pathlib import Path

from quiz.engine.errors import RuleSetError
from quiz.engine.rules import RuleSet, ruleset_from_mapping
from quiz.resources import resource_dir
from quiz.yamlsource import Problem, YamlSourceError, load_yaml, read_source


class TemplateError(ValueError):
    """A template that is malformed or breaks a rule; `problems` locate each finding."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def load_template(text: str, filename: str) -> RuleSet:
    """Parse template text; malformed YAML or a bad value raises TemplateError with positions."""
    try:
        located = load_yaml(text, filename)
    except YamlSourceError as error:
        raise TemplateError(error.problems) from error
    try:
        return ruleset_from_mapping(located.data)
    except RuleSetError as error:
        line, column = located.position(error.path)
        problem = Problem(filename, line, column, "error", error.message)
        raise TemplateError([problem]) from error


def read_template(path: str | Path) -> RuleSet:
    """Read and load a template file (size and encoding checked like bank files)."""
    try:
        text = read_source(str(path))
    except YamlSourceError as error:
        raise TemplateError(error.problems) from error
    return load_template(text, str(path))


def shipped_templates() -> dict[str, Path]:
    """Templates by file stem: the shipped ones, then the organiser's own in QUIZ_TEMPLATES_DIR
    (a template there with a shipped template's name replaces it)."""
    folders = [resource_dir("contest_templates")]
    if os.environ.get("QUIZ_TEMPLATES_DIR"):
        folders.append(Path(os.environ["QUIZ_TEMPLATES_DIR"]))
    return {path.stem: path for folder in folders for path in sorted(folder.glob("*.yaml"))}
