"""Safe YAML loading that remembers where every value came from.

Banks and contest templates are written by hand, so every problem must name a file, line and
column. PyYAML's own loaders either lose positions or build them for every node (too much
memory for 100,000 questions), and they follow aliases and recurse without limit. This loader
walks the parser's events once, builds plain Python values, refuses anchors, aliases, object
tags and absurd nesting, and finds positions only for the paths a problem asks about, by a
second walk that runs only when there is something to report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from quiz.texts import LANGUAGES, Args, ArgValue, Language, Term, args_of, render

Path: TypeAlias = tuple[str | int, ...]
Position: TypeAlias = tuple[int, int]
Severity: TypeAlias = Literal["error", "warning"]

# One limit for the command line, uploads and the docs: a bank of 100,000 short questions is about
# 15 MB, and checking 16 MB takes a worker process about 1.5 GB at its peak.
MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
# No mapping of a bank or template has more than a few dozen keys; a million of them took 83 s
# and 1 GB before this limit, which stops such a file at the first key past it.
MAX_KEYS = 1000
# Problems kept per file; the rest are counted (a file with a million faults is not a report).
MAX_PROBLEMS = 200
_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
# PyYAML's and libyaml's wordings of the commonest slips, by a phrase of the problem, each with
# the code whose message says in the reader's language what to write instead.
_SYNTAX_CODES = (
    ("mapping values are not allowed", "yaml_colon_in_value"),
    ("cannot start any token", "yaml_bad_character"),
    ("did not find expected key", "yaml_indentation"),
    ("expected <block end>", "yaml_indentation"),
    ("found unexpected end of stream", "yaml_unclosed_quote"),
    ("expected ',' or ']'", "yaml_unclosed_bracket"),
    ("expected ',' or '}'", "yaml_unclosed_brace"),
    ("unknown escape character", "yaml_bad_escape"),
    ("could not find expected ':'", "yaml_missing_colon"),
    ("maximum nesting depth", "yaml_too_deep"),  # libyaml's own limit, far past ours
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in a file: a documented ``code`` with its ``args``, rendered in Chinese or
    English by :mod:`quiz.texts` only when shown, as ``file:line:col: severity: text [code]``.

    Formats that are not lines of text name the place their own way in ``place`` (a cell:
    ``题库.xlsx!单选题!D7``; a paragraph: ``题库.docx:段落 12:列 5``), printed instead of
    ``file:line:col``; ``line`` and ``column`` then only order the problems.
    """

    file: str
    line: int
    column: int
    severity: Severity
    code: str
    args: Args = ()
    place: str | None = None

    @property
    def where(self) -> str:
        """The place to show a person: ``place``, else ``file:line:col``."""
        return self.place or f"{self.file}:{self.line}:{self.column}"

    def text(self, language: Language = "zh") -> str:
        """The sentence a person reads, in ``language``."""
        return render(self.code, self.args, language)

    @property
    def message(self) -> str:
        """The sentence in Chinese, the product's first language."""
        return self.text("zh")

    def line_text(self, language: Language = "zh") -> str:
        """The whole line a terminal prints: place, severity, sentence and code."""
        severity = SEVERITY_WORDS[self.severity][LANGUAGES.index(language)]
        return f"{self.where}: {severity}: {self.text(language)} [{self.code}]"

    def __str__(self) -> str:
        return self.line_text("zh")


SEVERITY_WORDS: dict[Severity, tuple[str, str]] = {
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
}


class YamlSourceError(ValueError):
    """A file that cannot be read as a bank at all; ``problems`` says why and where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def decode_source(raw: bytes, filename: str, max_bytes: int = MAX_BYTES) -> str:
    """Decode a file's bytes as UTF-8 (a BOM is allowed), refusing oversized or non-UTF-8 data."""
    if len(raw) > max_bytes:
        raise _fatal(
            filename,
            1,
            1,
            "file_too_large",
            what=Term("fmt_the_file"),
            size=_megabytes(len(raw)),
            limit=_megabytes(max_bytes),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise _fatal(filename, line, column, "not_utf8", byte=f"0x{raw[error.start]:02X}") from None


def read_source(path: str, max_bytes: int = MAX_BYTES) -> str:
    """Read a file as UTF-8 text, refusing it before reading when it is over the size limit."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise YamlSourceError([unreadable(path, error)]) from None
    return decode_source(raw, path, max_bytes)


def unreadable(path: str, error: OSError) -> Problem:
    """The problem of a file the system would not open: missing, forbidden, or the system's why."""
    if isinstance(error, FileNotFoundError):
        return Problem(path, 1, 1, "error", "file_not_found")
    if isinstance(error, PermissionError):
        return Problem(path, 1, 1, "error", "file_not_permitted")
    if isinstance(error, IsADirectoryError):
        return Problem(path, 1, 1, "error", "file_is_folder")
    return Problem(path, 1, 1, "error", "file_unreadable", args_of({"reason": str(error.strerror)}))


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line)
    return lines[line - 1][column - 1 : column] if len(lines) >= line else ""


def _code_point(character: str | int) -> int:
    """libyaml reports the offending character as a code point, PyYAML as a string."""
    return character if isinstance(character, int) else ord(character)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _fatal(filename: str, line: int, column: int, code: str, **args: ArgValue) -> YamlSourceError:
    return YamlSourceError([Problem(filename, line, column, "error", code, args_of(args))])


@dataclass(slots=True)
class Located:
    """A loaded document: plain data, problems found while loading, and positions on demand."""

    data: Any
    filename: str
    text: str
    problems: list[Problem] = field(default_factory=list)
    unlisted: int = 0  # problems found past MAX_PROBLEMS, counted only

    def position(self, path: Path) -> Position:
        """Line and column of the value at ``path``, or of its nearest existing ancestor."""
        return self.positions([path])[path]

    def place(self, position: Position) -> str | None:
        """No place of its own: a YAML file's problems print as ``file:line:col``."""
        return None

    def positions(self, paths: Collection[Path], *, of_keys: bool = False) -> dict[Path, Position]:
        """Positions of many paths in one walk; ``of_keys`` gives a mapping entry's key instead."""
        wanted = {prefix for path in paths for prefix in _prefixes(path)}
        values: dict[Path, Position] = {}
        keys: dict[Path, Position] = {}
        for path, key_mark, value_mark in _walk(self.text):
            if path in wanted:
                values.setdefault(path, value_mark)
                if key_mark is not None:
                    keys.setdefault(path, key_mark)
        found: dict[Path, Position] = {}
        for path in paths:
            source = keys if of_keys else values
            found[path] = next(
                (source[prefix] for prefix in _prefixes(path) if prefix in source),
                next((values[p] for p in _prefixes(path) if p in values), (1, 1)),
            )
        return found


def _prefixes(path: Path) -> Iterator[Path]:
    """The path itself, then each ancestor down to the root ``()``."""
    for length in range(len(path), -1, -1):
        yield path[:length]


def _mark(event: Any) -> Position:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _walk(text: str) -> Iterator[tuple[Path, Position | None, Position]]:
    """Every value's path with its key's and its own position (the text is already known good)."""
    stack: list[list[Any]] = []  # each: [path, is_mapping, next index or pending key, key mark]
    event: Any
    for event in yaml.parse(text, Loader=_PARSER):
        if isinstance(event, yaml.ScalarEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if stack and stack[-1][1] and stack[-1][2] is None:
                stack[-1][2] = cast(
                    Any, event
                ).value  # a mapping key (keys are scalars, checked on load)
                stack[-1][3] = _mark(event)
                continue
            path, key_mark = _child_path(stack)
            yield path, key_mark, _mark(event)
            if not isinstance(event, yaml.ScalarEvent):
                stack.append([path, isinstance(event, yaml.MappingStartEvent), None, None])
                if not stack[-1][1]:
                    stack[-1][2] = 0
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()


def _child_path(stack: list[list[Any]]) -> tuple[Path, Position | None]:
    """Path of the next value in the innermost container, advancing that container."""
    if not stack:
        return (), None
    parent = stack[-1]
    if parent[1]:
        key, key_mark = parent[2], parent[3]
        parent[2] = None
        return (*parent[0], key), key_mark
    index = parent[2]
    parent[2] = index + 1
    return (*parent[0], index), None


class _Frame:
    """A mapping or sequence being built, with the key waiting for its value."""

    __slots__ = ("container", "is_mapping", "key", "seen")

    def __init__(self, is_mapping: bool) -> None:
        self.is_mapping = is_mapping
        self.container: dict[Any, Any] | list[Any] = {} if is_mapping else []
        self.key: Any = _NO_KEY
        self.seen: dict[Any, Position] = {}

    def add(self, value: Any) -> None:
        if not self.is_mapping:
            self.container.append(value)  # type: ignore[union-attr]
            return
        if self.key is not _DUPLICATE:
            self.container[self.key] = value
        self.key = _NO_KEY


_NO_KEY: Any = object()
_DUPLICATE: Any = object()


class _Builder:
    """Turns parser events into plain values, collecting duplicate keys and refusing the unsafe."""

    def __init__(self, filename: str, max_depth: int) -> None:
        self.filename = filename
        self.max_depth = max_depth
        self.resolver = Resolver()
        self.implicit_types: dict[str, Any] = self.resolver.yaml_implicit_resolvers
        self.constructor = SafeConstructor()
        self.problems: list[Problem] = []
        self.unlisted = 0

    def fatal(self, event: Any, code: str, **args: ArgValue) -> YamlSourceError:
        line, column = _mark(event)
        return _fatal(self.filename, line, column, code, **args)

    def check_tag(self, event: Any, tag: str | None) -> None:
        if tag not in _ALLOWED_TAGS:
            raise self.fatal(event, "yaml_tag", tag=str(event.tag))

    def scalar(self, event: Any) -> Any:
        tag = event.tag
        value: str = event.value
        if tag in (None, "!"):
            # Fast path for the common case, text: quoted scalars and plain ones whose first
            # character starts no implicit type (numbers, booleans, dates, null) are strings.
            # This is exactly what Resolver.resolve decides, without building a node.
            if not event.implicit[0] or not self.implicit_types.get(value[:1]):
                return value
            tag = self.resolver.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, value, event.implicit
            )
        if tag == _STR_TAG:
            return value
        self.check_tag(event, tag)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as error:
            raise self.fatal(
                event, "yaml_bad_value", value=event.value, detail=str(error)
            ) from None

    def take_key(self, frame: _Frame, event: Any, key: Any) -> None:
        if isinstance(key, dt.date | float) or key is None:
            key = str(key)
        if key in frame.seen:
            if len(self.problems) >= MAX_PROBLEMS:
                self.unlisted += 1
                frame.key = _DUPLICATE
                return
            line, column = _mark(event)
            first_line, first_column = frame.seen[key]
            self.problems.append(
                Problem(
                    self.filename,
                    line,
                    column,
                    "error",
                    "duplicate_key",
                    args_of(
                        {"key": str(key), "first_line": first_line, "first_column": first_column}
                    ),
                )
            )
            frame.key = _DUPLICATE
            return
        if len(frame.seen) >= MAX_KEYS:
            raise self.fatal(event, "too_many_keys", limit=MAX_KEYS)
        frame.seen[key] = _mark(event)
        frame.key = key

    def build(self, text: str) -> Any:
        # The hot loop of every bank load: dispatch on the exact event type, commonest first.
        frames: list[_Frame] = []
        documents = 0
        root: Any = None
        event: Any
        for event in yaml.parse(text, Loader=_PARSER):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.anchor is not None:
                    raise self.fatal(event, "yaml_anchor", anchor=event.anchor)
                value = self.scalar(event)
                if frames and frames[-1].is_mapping and frames[-1].key is _NO_KEY:
                    self.take_key(frames[-1], event, value)
                    continue
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None:
                    raise self.fatal(event, "yaml_anchor", anchor=event.anchor)
                if len(frames) >= self.max_depth:
                    raise self.fatal(event, "yaml_too_deep", limit=self.max_depth)
                if event.tag not in (None, "!"):
                    self.check_tag(event, event.tag)
                if frames and frames[-1].is_mapping and frames[-1].key is _NO_KEY:
                    raise self.fatal(event, "yaml_complex_key")
                frames.append(_Frame(kind is yaml.MappingStartEvent))
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value = frames.pop().container
            elif kind is yaml.AliasEvent:
                raise self.fatal(event, "yaml_alias", anchor=event.anchor)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.fatal(event, "yaml_documents")
                continue
            else:
                continue
            if frames:
                frames[-1].add(value)
            else:
                root = value
        return root


def load_yaml(text: str, filename: str, max_depth: int = MAX_DEPTH) -> Located:
    """Load one YAML document as plain data; malformed or unsafe text raises YamlSourceError."""
    builder = _Builder(filename, max_depth)
    try:
        data = builder.build(text)
    except yaml.MarkedYAMLError as error:
        raise YamlSourceError([_syntax_problem(error, text, filename)]) from None
    except yaml.reader.ReaderError as error:
        offset = min(error.position, len(text))
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise _fatal(
            filename,
            line,
            column,
            "yaml_control_character",
            character=f"U+{_code_point(error.character):04X}",
        ) from None
    except yaml.YAMLError as error:
        raise _fatal(filename, 1, 1, "yaml_syntax", detail=str(error)) from None
    return Located(data, filename, text, builder.problems, builder.unlisted)


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, filename: str) -> Problem:
    """A parser's or scanner's complaint as a coded problem at its line and column; the
    parser's own English words reach only the English text of the generic ``yaml_syntax``."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = str(error.problem or error.context or "malformed YAML")
    code = next((code for phrase, code in _SYNTAX_CODES if phrase in problem), "yaml_syntax")
    args: dict[str, ArgValue] = {}
    character = _char_at(text, line, column) if mark else ""
    if character == "\t":
        code = "yaml_tab"
    elif code == "yaml_bad_character":
        args["character"] = character
    elif code == "yaml_too_deep":
        args["limit"] = MAX_DEPTH
    context = error.context_mark
    if code in ("yaml_unclosed_quote", "yaml_unclosed_bracket", "yaml_unclosed_brace"):
        start = context or mark
        args["start_line"] = start.line + 1 if start else line
        args["start_column"] = start.column + 1 if start else column
    if code == "yaml_syntax":
        detail = problem
        if error.problem and error.context and context and context is not mark:
            detail += (
                f" ({error.context} that starts at line {context.line + 1} "
                f"column {context.column + 1})"
            )
        args["detail"] = detail
    return Problem(filename, line, column, "error", code, args_of(args))
