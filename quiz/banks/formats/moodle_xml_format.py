"""Moodle XML banks (.xml): ``<quiz>`` of ``<question type="…">`` elements, read safely.

The parser (defusedxml's SAX reader) refuses any DOCTYPE, so entity expansion ("billion
laughs") and external entities (XXE) never happen. Multichoice, truefalse, shortanswer and
ordering questions map to the bank's types; a category names a tag. What Moodle has no field
for is written in a ``<leitai>`` element (the bank in ``<quiz><bank>``), which Moodle ignores
(docs/bank-format.md, "Moodle exchange formats").
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, InputSource, Locator

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser

from quiz.banks.formats.base import FileReport
from quiz.banks.formats.exchange import (
    HEADER_KEYS,
    LIST_KEYS,
    Collector,
    category_tag,
    default_bank_id,
    header_value,
    header_with_defaults,
    html_to_text,
    question_fields,
    question_id,
    quote,
    whole,
)
from quiz.banks.model import Bank
from quiz.engine.questions import Question
from quiz.texts import ArgValue, Term
from quiz.yamlsource import Path

# The bank's list fields are repeated elements, one per item, named in the singular.
_ITEM = {"authors": "author", "reviewed_by": "reviewer", "tags": "tag"}
_HEADER_ELEMENTS = {_ITEM.get(key, key): key for key in HEADER_KEYS}
_META = ("source", "difficulty", "status", "points", "time_limit")
_HTML_FORMATS = frozenset({"html", "moodle_auto_format"})
_TRUE_WORDS = frozenset({"true", "正确", "对"})
_FALSE_WORDS = frozenset({"false", "错误", "错"})
# Moodle's types that Leitai lacks, named in the message by their term (quiz/texts/formats.py).
_KNOWN_TYPES = frozenset(
    {
        "numerical",
        "matching",
        "essay",
        "multianswer",
        "calculated",
        "calculatedsimple",
        "calculatedmulti",
        "ddwtos",
        "gapselect",
        "ddimageortext",
        "ddmarker",
        "randomsamatch",
    }
)
# What expat says, as a person reads it; anything else is "malformed" in general.
_EXPAT = {
    "mismatched tag": "fmt_expat_mismatched_tag",
    "not well-formed (invalid token)": "fmt_expat_invalid_token",
    "no element found": "fmt_expat_no_element",
    "undefined entity": "fmt_expat_undefined_entity",
    "junk after document element": "fmt_expat_junk_after",
    "unclosed token": "fmt_expat_unclosed_token",
    "syntax error": "fmt_expat_syntax_error",
}


@dataclass(slots=True)
class Node:
    """One element: its name, attributes, children, direct text and where it starts."""

    tag: str
    attrs: dict[str, str]
    line: int
    column: int
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's own character data (CDATA included)."""
        return "".join(self.parts)

    def child(self, tag: str) -> Node | None:
        """The first child called ``tag``."""
        return next((node for node in self.children if node.tag == tag), None)

    def all(self, tag: str) -> list[Node]:
        """Every child called ``tag``, in document order."""
        return [node for node in self.children if node.tag == tag]

    def value(self, tag: str) -> str | None:
        """The text of child ``tag``'s ``<text>`` (Moodle's way), else of the child itself."""
        node = self.child(tag)
        if node is None:
            return None
        inner = node.child("text")
        return (inner.text if inner is not None else node.text).strip()


class _TreeBuilder(ContentHandler):
    """Builds :class:`Node` trees, each element with the line and column it starts at."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        line = (self.locator.getLineNumber() or 1) if self.locator else 1
        column = (self.locator.getColumnNumber() or 0) + 1 if self.locator else 1
        node = Node(name, dict(attrs.items()), line, column)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name: str) -> None:
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(content)


# The encoding an XML declaration names; expat itself reads only UTF-8, UTF-16 and Latin-1.
_DECLARED = re.compile(
    rb"""(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']"""
)
_EXPAT_ENCODINGS = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "iso8859-1"})


def as_expat_reads(data: bytes) -> bytes | None:
    """The document in an encoding expat reads: one declared as GBK or GB18030 (which a
    Chinese editor may save) re-encoded as UTF-8; None when the declared one is unknown."""
    declared = _DECLARED.match(data)
    if declared is None:
        return data
    name = declared[1].decode("ascii")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec in _EXPAT_ENCODINGS:
        return data
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    # The name appears first in the declaration, at the very start of the text.
    return text.replace(name, "UTF-8", 1).encode("utf-8")


def parse(data: bytes, out: Collector) -> Node | None:
    """The document's tree, or None after reporting why it cannot be read (a DTD included)."""
    readable = as_expat_reads(data)
    if readable is None:
        out.problem(1, 1, "error", "not_xml", reason=Term("fmt_xml_encoding"))
        return None
    data = readable
    builder = _TreeBuilder()
    parser = make_parser()
    parser.setContentHandler(builder)
    # A DOCTYPE is refused outright: a bank needs none, and it is where entity bombs and
    # external entities are declared.
    parser.forbid_dtd = True
    parser.forbid_entities = True
    parser.forbid_external = True
    source = InputSource()
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except DefusedXmlException:
        line = (builder.locator.getLineNumber() or 1) if builder.locator else 1
        out.problem(
            line,
            1,
            "error",
            "xml_dtd",
        )
        return None
    except SAXParseException as error:
        reason = str(error.getMessage())
        said = next((term for key, term in _EXPAT.items() if reason.startswith(key)), None)
        out.problem(
            error.getLineNumber() or 1,
            (error.getColumnNumber() or 0) + 1,
            "error",
            "not_xml",
            reason=Term(said or "fmt_xml_malformed"),
        )
        return None
    return builder.root


class _Reader:
    """Reads ``<quiz>``: the bank element, categories, then each question."""

    def __init__(self, filename: str) -> None:
        self.out = Collector(filename, Term("fmt_hint_moodle"))
        self.header: dict[str, Any] = {}
        self.category: str | None = None
        self.questions: list[dict[str, Any]] = []
        self.used: set[str] = set()
        self.count = 0

    def read(self, data: bytes) -> FileReport:
        root = parse(data, self.out)
        if root is None:
            return FileReport(self.out.filename, None, self.out.document.problems)
        if root.tag != "quiz":
            self.out.problem(
                root.line,
                root.column,
                "error",
                "not_moodle_xml",
                tag=root.tag,
            )
            return FileReport(self.out.filename, None, self.out.document.problems)
        bank = root.child("bank")
        if bank is not None:
            self.read_header(bank)
        bank_id = self.header.get("id")
        prefix = bank_id if isinstance(bank_id, str) else default_bank_id(self.out.filename)
        for node in root.all("question"):
            self.read_question(node, prefix)
        header = header_with_defaults(self.header, self.out.filename)
        return self.out.report(header, self.questions)

    def read_header(self, bank: Node) -> None:
        self.out.record(("bank",), bank.line, bank.column)
        for node in bank.children:
            key = _HEADER_ELEMENTS.get(node.tag)
            if key is None:
                continue
            if key in LIST_KEYS:
                self.header.setdefault(key, []).append(node.text.strip())
                self.out.record(("bank", key, len(self.header[key]) - 1), node.line, node.column)
            else:
                self.header[key] = header_value(key, node.text)
            self.out.record(("bank", key), node.line, node.column)

    def read_question(self, node: Node, prefix: str) -> None:
        kind = node.attrs.get("type", "")
        if kind == "category":
            path = node.value("category")
            self.category = category_tag(path) if path else None
            return
        if kind == "description":
            self.out.problem(
                node.line,
                node.column,
                "warning",
                "not_a_question",
                text=quote(self.text_of(node, "questiontext")),
            )
            return
        self.count += 1
        fallback = f"{prefix}-{self.count:03d}"
        if kind not in ("multichoice", "truefalse", "shortanswer", "ordering"):
            named: ArgValue = Term(f"fmt_{kind}") if kind in _KNOWN_TYPES else f"“{kind}”"
            self.out.problem(
                node.line,
                node.column,
                "error",
                "unsupported_type",
                kind=named,
                text=quote(node.value("name") or fallback),
            )
            return
        _Question(self, node, kind, fallback).read()

    def text_of(self, node: Node, tag: str) -> str:
        """The text of a Moodle text field, HTML turned into plain text; images reported."""
        holder = node.child(tag)
        if holder is None:
            return ""
        raw = node.value(tag) or ""
        if holder.attrs.get("format", "html") not in _HTML_FORMATS:
            return raw
        text, images = html_to_text(raw)
        if images:
            self.out.problem(
                holder.line,
                holder.column,
                "warning",
                "image_dropped",
                count=images,
                text=quote(text),
            )
        return text


class _Question:
    """One ``<question>`` of a type the bank has, as a question mapping."""

    def __init__(self, reader: _Reader, node: Node, kind: str, fallback: str) -> None:
        self.reader = reader
        self.out = reader.out
        self.node = node
        self.kind = kind
        self.fallback = fallback
        self.path: Path = ("questions", len(reader.questions))
        self.extra = node.child("leitai")

    def fail(self, at: Node, code: str, /, **args: ArgValue) -> None:
        self.out.problem(at.line, at.column, "error", code, **args)

    def read(self) -> None:
        node, out, path = self.node, self.out, self.path
        text = self.reader.text_of(node, "questiontext")
        answers = [
            (self.answer_text(answer), _fraction(answer.attrs.get("fraction", "0")), answer)
            for answer in node.all("answer")
        ]
        built = self.settle(text, answers)
        if built is None:
            return
        kind, answer, options = built
        data: dict[str, Any] = {
            "id": question_id(node.value("name") or "", self.reader.used, self.fallback),
            "type": kind,
            "text": text,
        }
        out.record(path, node.line, node.column)
        for key, tag in (
            ("id", "name"),
            ("text", "questiontext"),
            ("explanation", "generalfeedback"),
        ):
            found = node.child(tag)
            if found is not None:
                out.record((*path, key), found.line, found.column)
        if options:
            data["options"] = options
        data["answer"] = answer
        meta = self.meta()
        data.update(question_fields(meta, self.reader.category))
        self.reader.questions.append(data)

    def answer_text(self, answer: Node) -> str:
        raw = answer.value("text") if answer.child("text") is not None else answer.text.strip()
        if answer.attrs.get("format", "plain_text") in _HTML_FORMATS:
            return html_to_text(raw or "")[0]
        return raw or ""

    def settle(
        self, text: str, answers: list[tuple[str, float, Node]]
    ) -> tuple[str, Any, list[str]] | None:
        """The type, the answer and the options, or None after reporting why not."""
        out, path, node = self.out, self.path, self.node
        for index, (_, _, element) in enumerate(answers):
            out.record((*path, "options", index), element.line, element.column)
        right = [(answer, fraction, at) for answer, fraction, at in answers if fraction > 0]
        first = right[0][2] if right else node
        out.record((*path, "answer"), first.line, first.column)
        if self.kind == "truefalse":
            for answer, fraction, _ in answers:
                word = answer.strip().lower()
                if word in _TRUE_WORDS | _FALSE_WORDS and fraction >= 100:
                    return "truefalse", word in _TRUE_WORDS, []
            why = Term("fmt_truefalse_no_full")
            self.fail(node, "no_right_answer", why=why, text=quote(text))
            return None
        if not right:
            self.fail(node, "no_right_answer", why=Term("fmt_no_right"), text=quote(text))
            return None
        if self.kind == "ordering":
            # Moodle lists the items in their right order.
            sequence = [answer for answer, _, _ in answers]
            shown = self.leitai_options()
            options = shown if shown and sorted(shown) == sorted(sequence) else sequence
            return "order", sequence, options
        if self.kind == "shortanswer":
            for answer, fraction, place in answers:
                if 0 < fraction < 100:
                    out.problem(
                        place.line,
                        place.column,
                        "warning",
                        "partial_credit",
                        text=quote(answer),
                        weight=f"{fraction:g}",
                    )
            accepted = [answer for answer, fraction, _ in answers if fraction >= 100]
            if not accepted:
                why = Term("fmt_no_full_marks")
                self.fail(node, "no_right_answer", why=why, text=quote(text))
                return None
            return "fill", accepted, self.leitai_options()
        options = [answer for answer, _, _ in answers]
        single = (node.value("single") or "true").lower() in ("true", "1")
        whole_marks = [entry for entry in right if entry[1] >= 100]
        if single:
            if len(whole_marks) > 1:
                second, _, place = whole_marks[1]
                self.fail(
                    place,
                    "several_right",
                    text=quote(second),
                    fix=Term("fmt_fix_moodle"),
                )
                return None
            best = max(right, key=lambda entry: entry[1])
            return "single", best[0], options
        return "multiple", [answer for answer, _, _ in right], options

    def leitai_options(self) -> list[str]:
        if self.extra is None:
            return []
        options = self.extra.all("option")
        for index, option in enumerate(options):
            self.out.record((*self.path, "options", index), option.line, option.column)
        return [option.text.strip() for option in options]

    def meta(self) -> dict[str, Any]:
        node, out, path = self.node, self.out, self.path
        meta: dict[str, Any] = {"explanation": self.reader.text_of(node, "generalfeedback")}
        shuffle = node.value("shuffleanswers")
        if shuffle is not None and shuffle.lower() in ("false", "0") and self.kind != "truefalse":
            meta["shuffle"] = False
            found = node.child("shuffleanswers")
            assert found is not None
            out.record((*path, "shuffle"), found.line, found.column)
        tags = node.child("tags")
        if tags is not None:
            meta["tags"] = [tag.value("text") or tag.text.strip() for tag in tags.all("tag")]
            out.record((*path, "tags"), tags.line, tags.column)
        if self.extra is not None:
            for key in _META:
                found = self.extra.child(key)
                if found is not None:
                    value = found.text.strip()
                    meta[key] = (
                        whole(value) if key in ("difficulty", "points", "time_limit") else value
                    )
                    out.record((*path, key), found.line, found.column)
        return meta


def _fraction(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


class MoodleXmlFormat:
    """Banks as Moodle XML: single, multiple, true/false, fill and ordering questions."""

    name = "moodle-xml"
    extensions = (".xml",)

    def read(self, data: bytes, filename: str) -> FileReport:
        """Parse the XML with DTDs refused, then read every question."""
        return _Reader(filename).read(data)

    def write(self, bank: Bank) -> bytes:
        """The bank as UTF-8 Moodle XML, texts as ``plain_text``; every type is carried."""
        quiz = ElementTree.Element("quiz")
        header = ElementTree.SubElement(quiz, "bank")
        for key, value in _header_items(bank):
            ElementTree.SubElement(header, _ITEM.get(key, key)).text = value
        for question in bank.questions:
            quiz.append(_question_element(question))
        ElementTree.indent(quiz)
        body = ElementTree.tostring(quiz, encoding="unicode")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _header_items(bank: Bank) -> list[tuple[str, str]]:
    items = [("id", bank.id), ("title", bank.title)]
    if bank.description:
        items.append(("description", bank.description))
    items += [("language", bank.language), ("version", str(bank.version))]
    items += [("authors", name) for name in bank.authors]
    items += [("reviewed_by", name) for name in bank.reviewed_by]
    if bank.reviewed_at is not None:
        items.append(("reviewed_at", bank.reviewed_at.isoformat()))
    items += [("tags", tag) for tag in bank.tags]
    return items


def _text(parent: ElementTree.Element, tag: str, value: str) -> None:
    holder = ElementTree.SubElement(parent, tag, {"format": "plain_text"})
    ElementTree.SubElement(holder, "text").text = value


_MOODLE_TYPES = {
    "single": "multichoice",
    "multiple": "multichoice",
    "truefalse": "truefalse",
    "fill": "shortanswer",
    "order": "ordering",
}


def _question_element(question: Question) -> ElementTree.Element:
    """One ``<question>``: Moodle's fields, then ``<leitai>`` with the rest."""
    element = ElementTree.Element("question", {"type": _MOODLE_TYPES[question.type]})
    name = ElementTree.SubElement(element, "name")
    ElementTree.SubElement(name, "text").text = question.id
    _text(element, "questiontext", question.text)
    _text(element, "generalfeedback", question.explanation)
    answer = question.answer
    if question.type == "truefalse":
        for word in ("true", "false"):
            right = (word == "true") == answer
            item = ElementTree.SubElement(element, "answer", {"fraction": "100" if right else "0"})
            ElementTree.SubElement(item, "text").text = word
    else:
        assert isinstance(answer, tuple)
        if question.type in ("single", "multiple"):
            ElementTree.SubElement(element, "single").text = str(question.type == "single").lower()
            share = 100 / len(answer)
            for option in question.options:
                fraction = f"{share:.5f}".rstrip("0").rstrip(".") if option in answer else "0"
                item = ElementTree.SubElement(
                    element, "answer", {"fraction": fraction, "format": "plain_text"}
                )
                ElementTree.SubElement(item, "text").text = option
        else:
            # An ordering lists its items in the right order; shortanswer its accepted texts.
            for position, text in enumerate(answer, start=1):
                fraction = str(position) if question.type == "order" else "100"
                item = ElementTree.SubElement(element, "answer", {"fraction": fraction})
                ElementTree.SubElement(item, "text").text = text
        ElementTree.SubElement(element, "shuffleanswers").text = str(question.shuffle).lower()
    if question.tags:
        tags = ElementTree.SubElement(element, "tags")
        for tag in question.tags:
            ElementTree.SubElement(ElementTree.SubElement(tags, "tag"), "text").text = tag
    extra = ElementTree.SubElement(element, "leitai")
    ElementTree.SubElement(extra, "source").text = question.source
    ElementTree.SubElement(extra, "difficulty").text = str(question.difficulty)
    ElementTree.SubElement(extra, "status").text = question.status
    if question.points is not None:
        ElementTree.SubElement(extra, "points").text = str(question.points)
    if question.time_limit is not None:
        ElementTree.SubElement(extra, "time_limit").text = str(question.time_limit)
    if question.type in ("fill", "order"):
        for option in question.options:
            ElementTree.SubElement(extra, "option").text = option
    return element
