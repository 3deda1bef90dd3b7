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
_HINTS = {
    "mapping values are not allowed in this context": (
        "a colon and a space inside a value: put the value in quotes"
    ),
    "mapping values are not allowed here": (
        "a colon and a space inside a value: put the value in quotes"
    ),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in a file, printed as ``file:line:col: severity: message``; a finding with a
    ``code`` (a documented reason, for programs) prints it after the message in brackets.

    Formats that are not lines of text name the place their own way in ``place`` (a cell:
    ``题库.xlsx!单选题!D7``; a paragraph: ``题库.docx:段落 12:列 5``), printed instead of
    ``file:line:col``; ``line`` and ``column`` then only order the problems.
    """

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    code: str | None = None
    place: str | None = None

    @property
    def where(self) -> str:
        """The place to show a person: ``place``, else ``file:line:col``."""
        return self.place or f"{self.file}:{self.line}:{self.column}"

    def __str__(self) -> str:
        where = f"{self.where}: {self.severity}: {self.message}"
        return f"{where} [{self.code}]" if self.code else where


class YamlSourceError(ValueError):
    """A file that cannot be read as a bank at all; ``problems`` says why and where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def decode_source(raw: bytes, filename: str, max_bytes: int = MAX_BYTES) -> str:
    """Decode a file's bytes as UTF-8 (a BOM is allowed), refusing oversized or non-UTF-8 data."""
    if len(raw) > max_bytes:
        raise _fatal(
            filename, 1, 1, f"file is {_megabytes(len(raw))}; the limit is {_megabytes(max_bytes)}"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise _fatal(
            filename,
            line,
            column,
            f"file is not UTF-8 text (byte 0x{raw[error.start]:02X} here); save it as UTF-8",
        ) from None


def read_source(path: str, max_bytes: int = MAX_BYTES) -> str:
    """Read a file as UTF-8 text, refusing it before reading when it is over the size limit."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise _fatal(path, 1, 1, f"cannot read the file: {error.strerror}") from None
    return decode_source(raw, path, max_bytes)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line)
    return lines[line - 1][column - 1 : column] if len(lines) >= line else ""


def _code_point(character: str | int) -> int:
    """libyaml reports the offending character as a code point, PyYAML as a string."""
    return character if isinstance(character, int) else ord(character)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _fatal(
    filename: str, line: int, column: int, message: str, code: str | None = None
) -> YamlSourceError:
    return YamlSourceError([Problem(filename, line, column, "error", message, code)])


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

    def fatal(self, event: Any, message: str, code: str | None = None) -> YamlSourceError:
        line, column = _mark(event)
        return _fatal(self.filename, line, column, message, code)

    def check_tag(self, event: Any, tag: str | None) -> None:
        if tag not in _ALLOWED_TAGS:
            raise self.fatal(event, f"the tag {event.tag} is not allowed: banks hold plain data")

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
            raise self.fatal(event, f"cannot read the value {event.value!r}: {error}") from None

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
                    f"key '{key}' appears twice in this mapping (first at line {first_line} "
                    f"column {first_column}); the first one is used",
                )
            )
            frame.key = _DUPLICATE
            return
        if len(frame.seen) >= MAX_KEYS:
            raise self.fatal(
                event,
                f"一个映射里的键超过 {MAX_KEYS} 个，不再往下读（题库的映射只有几十个键）",
                "too_many_keys",
            )
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
                    raise self.fatal(event, f"anchor &{event.anchor} is not allowed: write it out")
                value = self.scalar(event)
                if frames and frames[-1].is_mapping and frames[-1].key is _NO_KEY:
                    self.take_key(frames[-1], event, value)
                    continue
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None:
                    raise self.fatal(event, f"anchor &{event.anchor} is not allowed: write it out")
                if len(frames) >= self.max_depth:
                    raise self.fatal(event, f"nesting deeper than {self.max_depth} levels")
                if event.tag not in (None, "!"):
                    self.check_tag(event, event.tag)
                if frames and frames[-1].is_mapping and frames[-1].key is _NO_KEY:
                    raise self.fatal(event, "a mapping key must be plain text")
                frames.append(_Frame(kind is yaml.MappingStartEvent))
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value = frames.pop().container
            elif kind is yaml.AliasEvent:
                raise self.fatal(event, f"alias *{event.anchor} is not allowed: write it out")
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.fatal(event, "more than one YAML document (---): a bank is one")
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
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = str(error.problem or error.context or "malformed YAML")
        hint = _HINTS.get(problem)
        if mark and _char_at(text, line, column) == "\t":
            hint = "a tab character: indent with spaces"
        context = error.context_mark
        if error.problem and error.context and context and context is not mark:
            hint = (f"{hint}; " if hint else "") + (
                f"{error.context} that starts at line {context.line + 1} column "
                f"{context.column + 1}"
            )
        message = f"malformed YAML: {problem}" + (f" ({hint})" if hint else "")
        raise _fatal(filename, line, column, message) from None
    except yaml.reader.ReaderError as error:
        offset = min(error.position, len(text))
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise _fatal(
            filename,
            line,
            column,
            f"character U+{_code_point(error.character):04X} is not allowed in "
            "YAML (control characters cannot appear in a bank, even in quotes)",
        ) from None
    except yaml.YAMLError as error:
        raise _fatal(filename, 1, 1, f"malformed YAML: {error}") from None
    return Located(data, filename, text, builder.problems, builder.unlisted)
