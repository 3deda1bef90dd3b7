"""Contest templates: YAML in, a frozen RuleSet out, every problem with file, line and column.

The core's ruleset_from_mapping does the checking and names the path of a bad value; this
adapter only reads the file, puts in the reader's defaults (:data:`READER_DEFAULTS`) and turns
that path into a position in it. It is the one template reader: the host's form, PK matches,
the tests and the CLI all go through it.
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

# Round values a template gets when neither its `defaults:` nor the round says: options shuffled
# from the contest's seed. The core's own default (RoundRules) stays unshuffled, so an old log
# whose rules lack the field replays unchanged; a new contest's SetUpContest records every rule
# of every round, so this default never reaches a log already written.
READER_DEFAULTS: dict[str, Any] = {"shuffle_options": True}


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


def with_reader_defaults(data: Any) -> Any:
    """The template's data with :data:`READER_DEFAULTS` under its `defaults:` wherever the
    template does not set them; data that is not a mapping is left for the core to refuse."""
    if not isinstance(data, dict):
        return data
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        return data
    return {**data, "defaults": {**READER_DEFAULTS, **defaults}}


def parse_template(text: str, filename: str) -> Template:
    """Parse template text; malformed YAML or a bad value raises TemplateError with positions.
    A round shuffles its options unless the template says `shuffle_options: false`."""
    try:
        located = load_yaml(text, filename)
    except YamlSourceError as error:
        raise TemplateError(error.problems) from error
    completed = with_reader_defaults(located.data)
    try:
        rules = ruleset_from_mapping(completed)
    except RuleSetError as error:
        line, column = located.position(error.path)
        problem = Problem(filename, line, column, "error", error.message)
        raise TemplateError([problem]) from error
    # Round-trip through JSON so the copy stored with a contest holds only JSON types; it keeps
    # the reader's defaults, since the host's form rebuilds the rules from this copy.
    data: dict[str, Any] = json.loads(json.dumps(completed, default=str))
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
