"""What the Moodle exchange formats (GIFT, Aiken, Moodle XML) share: the defaults for what a
Moodle file cannot say, question ids made from Moodle names, HTML turned into plain text, and
the collection of problems at ``file:line:col`` (docs/bank-format.md, "Moodle exchange formats").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from html.parser import HTMLParser
from typing import Any

from quiz.banks.document import MappedDocument, Place
from quiz.banks.formats.base import FileReport, UsageError
from quiz.banks.formats.dialect import (
    DEFAULT_DIFFICULTY,
    DEFAULT_EXPLANATION,
    DEFAULT_LANGUAGE,
    DEFAULT_SOURCE,
    DEFAULT_TAG,
)
from quiz.banks.formats.text_format import decode_text
from quiz.banks.model import Bank
from quiz.banks.validator import BANK_ID, QUESTION_ID, check_bank
from quiz.texts import ArgValue, Term, args_of
from quiz.yamlsource import MAX_PROBLEMS, Path, Problem, Severity

DEFAULT_AUTHOR = "（未署名）"
HEADER_KEYS = (
    "id",
    "title",
    "description",
    "language",
    "version",
    "authors",
    "reviewed_by",
    "reviewed_at",
    "tags",
)
LIST_KEYS = frozenset({"authors", "reviewed_by", "tags"})
# Header lists are written joined by "、"; reading also takes the separators people type.
LIST_SEPARATORS = re.compile(r"[、,;，；]")
TYPE_NAMES = {
    "single": "单选题",
    "multiple": "多选题",
    "truefalse": "判断题",
    "fill": "填空题",
    "order": "排序题",
}
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")
# Moodle's own category levels, never a topic a person chose.
_MOODLE_LEVELS = re.compile(r"^(?:\$\w+\$|top|顶层|Default for .*|.*的默认)$", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})


class CannotCarry(UsageError):
    """A bank holds something the chosen format cannot write (a type, fill choices)."""


class Collector:
    """Plain bank data being built, each value's ``file:line:col``, and the problems found."""

    def __init__(self, filename: str, hint: Term) -> None:
        self.filename = filename
        self.document = MappedDocument(None, filename)
        # How a question of this format looks, for a file in which none was found.
        self.hint = hint

    def place(self, line: int, column: int) -> Place:
        """The place of a line and column, labelled as text formats print it."""
        return Place((line, column), f"{self.filename}:{line}:{column}")

    def record(self, path: Path, line: int, column: int) -> None:
        """Remember where the value at ``path`` was read."""
        self.document.places[path] = self.place(line, column)

    def problem(
        self, line: int, column: int, severity: Severity, code: str, /, **args: ArgValue
    ) -> None:
        """Keep a problem found while reading; past ``MAX_PROBLEMS`` errors are only counted."""
        if len(self.document.problems) >= MAX_PROBLEMS:
            self.document.unlisted += severity == "error"
            return
        label = self.place(line, column).label
        self.document.problems.append(
            Problem(self.filename, line, column, severity, code, args_of(args), label)
        )

    def report(self, header: dict[str, Any], questions: list[dict[str, Any]]) -> FileReport:
        """Check the data with the one validator; with no question left, only the problems."""
        document = self.document
        document.data = {"bank": header, "questions": questions}
        document.problems.sort(key=lambda problem: (problem.line, problem.column))
        if not questions:
            if not any(problem.severity == "error" for problem in document.problems):
                self.problem(1, 1, "error", "no_questions", hint=self.hint)
            return FileReport(self.filename, None, document.problems, None, document.unlisted)
        bank, findings = check_bank(document)
        return FileReport(self.filename, bank, findings.problems(), document, findings.unlisted)


def file_stem(filename: str) -> str:
    """The file's name without folders and without its (possibly double) extension."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    for ending in (".aiken", ".gift", ".xml", ".txt"):
        if name.lower().endswith(ending):
            name = name[: -len(ending)]
    return name


def default_bank_id(filename: str) -> str:
    """The file name as a bank id when it is one, else ``bank-`` and a hash of the name."""
    stem = file_stem(filename)
    slug = re.sub(r"[\s_]+", "-", stem.strip().lower())
    if BANK_ID.match(slug):
        return slug
    return "bank-" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]


def header_with_defaults(given: dict[str, Any], filename: str) -> dict[str, Any]:
    """The header read, each missing required field filled with its documented default."""
    header = dict(given)
    header.setdefault("id", default_bank_id(filename))
    header.setdefault("title", file_stem(filename) or header["id"])
    header.setdefault("language", DEFAULT_LANGUAGE)
    header.setdefault("version", 1)
    header.setdefault("authors", [DEFAULT_AUTHOR])
    return header


def header_value(key: str, text: str) -> Any:
    """A header field's text in the shape the validator expects (bad values left as text)."""
    text = text.strip()
    if key in LIST_KEYS:
        return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]
    if key == "version":
        return int(text) if text.isascii() and text.isdigit() else text
    if key == "reviewed_at":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def header_texts(bank: Bank) -> list[tuple[str, str]]:
    """The bank's header fields as (key, text) pairs, lists joined by ``、``."""
    values: dict[str, Any] = {
        "id": bank.id,
        "title": bank.title,
        "description": bank.description,
        "language": bank.language,
        "version": str(bank.version),
        "authors": "、".join(bank.authors),
        "reviewed_by": "、".join(bank.reviewed_by),
        "reviewed_at": bank.reviewed_at.isoformat() if bank.reviewed_at else "",
        "tags": "、".join(bank.tags),
    }
    return [(key, values[key]) for key in HEADER_KEYS if values[key]]


def whole(text: str) -> Any:
    """Digits as an int; anything else stays text for the validator to report."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else text


def question_id(name: str, used: set[str], fallback: str) -> str:
    """A Moodle name as a question id: runs of other characters become ``-``, cut to 64
    characters; an empty result takes ``fallback``; a repeat gets ``-2``, ``-3``..."""
    candidate = _NOT_ID.sub("-", name.strip()).strip("-._")[:64].rstrip("-._")
    base = candidate if QUESTION_ID.match(candidate) else fallback
    candidate, copy = base, 1
    while candidate in used:
        copy += 1
        candidate = f"{base[:60]}-{copy}"
    used.add(candidate)
    return candidate


def category_tag(path: str) -> str | None:
    """The topic a Moodle category path names: its last level that Moodle did not make."""
    levels = [level.strip() for level in path.split("/") if level.strip()]
    chosen = [level for level in levels if not _MOODLE_LEVELS.match(level)]
    return chosen[-1][:50] if chosen else None


def question_fields(meta: dict[str, Any], category: str | None) -> dict[str, Any]:
    """The fields Moodle files leave out, with their documented defaults, and the category."""
    tags = list(meta.get("tags") or [])
    if category is not None and category not in tags:
        tags.append(category)
    return {
        "explanation": meta.get("explanation") or DEFAULT_EXPLANATION,
        "source": meta.get("source", DEFAULT_SOURCE),
        "difficulty": meta.get("difficulty", DEFAULT_DIFFICULTY),
        "tags": tags or [DEFAULT_TAG],
        "status": meta.get("status", "draft"),
        **{key: meta[key] for key in ("points", "time_limit", "shuffle") if key in meta},
    }


def refuse_uncarried(bank: Bank, format_name: str, carried: str) -> None:
    """Raise :class:`CannotCarry` naming the questions of types other than ``carried`` (the one
    type the format can write: only Aiken refuses types, and it carries single choice)."""
    misfits = [question for question in bank.questions if question.type != carried]
    if not misfits:
        return
    raise CannotCarry(
        "cannot_carry",
        format=format_name,
        carried=Term(f"fmt_only_{carried}"),
        questions="、".join(question.id for question in misfits[:5]),
        count=len(misfits),
    )


def quote(text: str, most: int = 40) -> str:
    """A text to quote in a message: on one line, cut to ``most`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


class _TextOfHtml(HTMLParser):
    """Collects the text of HTML: tags dropped, entities decoded, blocks as lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.images = 0
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag == "img":
            self.images += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            # In HTML a line break in the source is only a space; the editor's &nbsp; too.
            self.parts.append(re.sub(r"[ \t\n\r\f\xa0]+", " ", data))


def html_to_text(html: str) -> tuple[str, int]:
    """The plain text of an HTML fragment (scripts and styles dropped) and its image count."""
    parser = _TextOfHtml()
    # Python 3.11's parser asserts on a malformed "<![" section (CDATA written in HTML, a stray
    # "<![>"); as text it can do no harm.
    parser.feed(html.replace("<![", "&lt;!["))
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line), parser.images


def decoded(data: bytes, filename: str, extension: str) -> str | FileReport:
    """The file's text (UTF-8, or a Chinese encoding detected), or the report refusing a file
    that is not text (``not_text``)."""
    text = decode_text(data)
    if text is None or "\x00" in text:
        args = args_of({"reason": Term("fmt_binary_or_encoding"), "extension": extension})
        problem = Problem(filename, 1, 1, "error", "not_text", args, f"{filename}:1:1")
        return FileReport(filename, None, [problem])
    return text
