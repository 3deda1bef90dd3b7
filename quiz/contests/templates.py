"""Contest templates: YAML in, a frozen RuleSet out, every problem with file, line and column.

The core's ruleset_from_mapping does the checking and names the path of a bad value; this
adapter only reads the file, puts in the reader's defaults (:data:`READER_DEFAULTS`) and turns
that path into a position in it. It is the one template reader: the host's form, PK matches,
the tests and the CLI all go through it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiz.engine.errors import RuleSetError
from quiz.engine.rules import RuleSet, ruleset_from_mapping
from quiz.resources import resource_dir
from quiz.texts import ArgValue, args_of
from quiz.yamlsource import Path as KeyPath
from quiz.yamlsource import Problem, YamlSourceError, load_yaml, read_source

# Round values a template gets when neither its `defaults:` nor the round says: options shuffled
# from the contest's seed. The core's own default (RoundRules) stays unshuffled, so an old log
# whose rules lack the field replays unchanged; a new contest's SetUpContest records every rule
# of every round, so this default never reaches a log already written.
READER_DEFAULTS: dict[str, Any] = {"shuffle_options": True}


# The core names a bad value in English (it has no catalogue); each of its sentences has a code
# here, its named groups the arguments, so a host reads the problem in the page's language.
_RULE_CODES = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"expected a mapping$", "template_not_mapping"),
        (r"expected a non-empty list of rounds$", "template_no_rounds"),
        (r"a PK round needs 2 or 4 contestants$", "template_pk_contestants"),
        (r"a (?P<kind>\w+) round's mode is one of (?P<choices>.+)$", "template_bad_mode"),
        (r"expected one of (?P<choices>.+)$", "template_not_choice"),
        (r"unknown round kind '?(?P<value>.*?)'?$", "template_unknown_kind"),
        (r"needs one difficulty per tier$", "template_tier_difficulty"),
        (r"tiers must differ$", "template_tiers_repeat"),
        (r"expected a number from (?P<low>-?\d+) to (?P<high>-?\d+)$", "template_number_range"),
        (r"expected a level or \[low, high\], low <= high$", "template_difficulty"),
        (r"unknown question type '?(?P<value>.*?)'?$", "template_unknown_type"),
        (r"expected a list of at least two teams$", "template_teams"),
        (r"team id '?(?P<value>.*?)'? is used twice$", "template_team_repeat"),
        (r"player ids repeat$", "template_players_repeat"),
        (r"unknown key '?(?P<value>.*?)'?$", "template_unknown_key"),
        (r"expected a non-empty string$", "template_not_text"),
        (r"expected true or false$", "template_not_bool"),
        (r"expected a whole number$", "template_not_whole_number"),
        (r"expected a non-empty list of whole numbers$", "template_not_number_list"),
        (r"expected a list of strings$", "template_not_text_list"),
    )
)


def rule_problem(filename: str, line: int, column: int, path: KeyPath, message: str) -> Problem:
    """The core's finding on a template value as a coded problem (``template_rule`` with the
    core's English words for a sentence no pattern knows)."""
    args: dict[str, ArgValue] = {"key": "/".join(str(part) for part in path) or "/"}
    code = "template_rule"
    for pattern, candidate in _RULE_CODES:
        match = pattern.match(message)
        if match:
            code = candidate
            args.update(match.groupdict())
            break
    else:
        args["detail"] = message
    if isinstance(choices := args.get("choices"), str):
        # The core writes a tuple's repr: ('score', 'ledger') reads as score, ledger.
        args["choices"] = ", ".join(re.findall(r"'([^']*)'", choices)) or choices
    return Problem(filename, line, column, "error", code, args_of(args))


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
        problem = rule_problem(filename, line, column, error.path, error.message)
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
