"""GIFT banks (.gift), Moodle's text format: ``::id::text{=right ~wrong####explanation}``.

One question per paragraph (blank lines between). What Moodle has no field for (the bank's
header, a question's source, difficulty, status, points, time limit, fixed option order) is
carried in ``// key: value`` comment lines, which Moodle ignores; tags use Moodle's own
``// [tag:…]`` comments. docs/bank-format.md, "Moodle exchange formats", has the whole mapping.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from quiz.banks.formats.base import FileReport
from quiz.banks.formats.exchange import (
    Collector,
    category_tag,
    decoded,
    default_bank_id,
    header_texts,
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

# The GIFT escapes; "\n" is a line break inside one line.
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_MASKED = "\x00\x00"
_HEADER_KEYS = {
    "bank": "id",
    "title": "title",
    "description": "description",
    "language": "language",
    "version": "version",
    "authors": "authors",
    "reviewed_by": "reviewed_by",
    "reviewed_at": "reviewed_at",
    "tags": "tags",
}
_META_KEYS = ("source", "difficulty", "status", "points", "time_limit", "shuffle")
_COMMENT_FIELD = re.compile(r"(?P<key>[a-z_]+)\s*[:：]\s*(?P<value>.*)")
_MOODLE_MARK = re.compile(r"\[(?P<kind>tag|id):(?P<value>[^\]]*)\]")
_FORMAT = re.compile(r"\s*\[(?P<format>html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"\s*%(?P<weight>[^%]*)%")
_TRUTH = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# Moodle's own grade steps for n right options out of a multiple-answer question.
_SHARES = {2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667", 7: "14.28571", 8: "12.5"}


def unescape(text: str) -> str:
    """GIFT text as written, its escapes resolved (``\\n`` is a line break)."""
    return _ESCAPE.sub(lambda found: "\n" if found[1] == "n" else found[1], text)


def escape(text: str) -> str:
    """Text as GIFT writes it: its special characters escaped, line breaks as ``\\n``."""
    text = re.sub(r"([\\~=#{}:])", r"\\\1", text)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _mask(text: str) -> str:
    """The text with each escape blotted out, same length, so searches find only real marks."""
    return _ESCAPE.sub(_MASKED, text)


@dataclass(slots=True)
class _Field:
    text: str
    line: int
    column: int


@dataclass(slots=True)
class _Block:
    """The lines of one paragraph and the comment fields read before it."""

    lines: list[tuple[int, str]] = field(default_factory=list)
    meta: dict[str, _Field] = field(default_factory=dict)
    tags: list[_Field] = field(default_factory=list)
    options: list[_Field] = field(default_factory=list)
    idnumber: _Field | None = None


@dataclass(slots=True)
class _Answer:
    mark: str
    text: str
    weight: float
    feedback: str
    offset: int


class _Reader:
    """One pass over the lines: comments and categories, then each paragraph as a question."""

    def __init__(self, filename: str) -> None:
        self.out = Collector(filename, Term("fmt_hint_gift"))
        self.header: dict[str, _Field] = {}
        self.block = _Block()
        self.category: str | None = None
        self.questions: list[dict[str, Any]] = []
        self.used: set[str] = set()
        self.started = False
        self.count = 0

    @property
    def bank_id(self) -> str:
        """The bank's id as read so far (the header comes first), for generated question ids."""
        given = self.header.get("id")
        return given.text if given else default_bank_id(self.out.filename)

    def read(self, text: str) -> FileReport:
        for number, line in enumerate(text.splitlines(), start=1):
            self.feed(number, line)
        self.flush()
        header: dict[str, Any] = {}
        for key, value in self.header.items():
            header[key] = header_value(key, value.text)
            self.out.record(("bank", key), value.line, value.column)
        header = header_with_defaults(header, self.out.filename)
        return self.out.report(header, self.questions)

    def feed(self, number: int, line: str) -> None:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip()) + 1
        if not stripped:
            self.flush()
        elif stripped.startswith("//"):
            # Moodle ignores comments; one inside a question's lines carries nothing.
            if not self.block.lines:
                self.comment(number, indent, stripped[2:])
        elif stripped.startswith("$CATEGORY:"):
            self.flush()
            self.category = category_tag(unescape(stripped[len("$CATEGORY:") :]))
        else:
            self.block.lines.append((number, line))

    def comment(self, number: int, indent: int, body: str) -> None:
        column = indent + 2 + len(body) - len(body.lstrip())
        found = _COMMENT_FIELD.fullmatch(body.strip())
        key = found["key"] if found is not None else ""
        if key not in _HEADER_KEYS and key != "option" and key not in _META_KEYS:
            # Moodle's own marks, in any other comment: // [id:…] [tag:…]
            for mark in _MOODLE_MARK.finditer(body):
                value = _Field(mark["value"].strip(), number, indent + 2 + mark.start())
                if mark["kind"] == "tag":
                    self.block.tags.append(value)
                else:
                    self.block.idnumber = value
            return
        assert found is not None
        value = _Field(unescape(found["value"]).strip(), number, column)
        if key in _HEADER_KEYS:
            if self.started:
                self.out.problem(
                    number,
                    column,
                    "warning",
                    "header_after_questions",
                    key=key,
                    text=quote(body),
                )
            elif _HEADER_KEYS[key] in self.header:
                self.out.problem(number, column, "error", "field_repeated", word=key)
            else:
                self.header[_HEADER_KEYS[key]] = value
        elif key == "option":
            self.block.options.append(value)
        elif key in _META_KEYS:
            self.block.meta[key] = value

    def flush(self) -> None:
        block, self.block = self.block, _Block()
        if block.lines:
            self.started = True
            self.count += 1
            _Question(self, block).read()


class _Question:
    """One paragraph: ``::title::``, ``[format]``, the text and the answer block ``{…}``."""

    def __init__(self, reader: _Reader, block: _Block) -> None:
        self.reader = reader
        self.out = reader.out
        self.block = block
        self.raw = "\n".join(line for _, line in block.lines)
        self.masked = _mask(self.raw)
        self.starts: list[int] = []
        offset = 0
        for _, line in block.lines:
            self.starts.append(offset)
            offset += len(line) + 1
        self.path: Path = ("questions", len(reader.questions))
        # Set by read() as it finds them: the name, the text, where the text and block start.
        self.title, self.text, self.start, self.opening = "", "", 0, 0
        self.data: dict[str, Any] = {}

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.block.lines[index][0], offset - self.starts[index] + 1

    def fail(self, offset: int, code: str, /, **args: ArgValue) -> None:
        self.out.problem(*self.at(offset), "error", code, **args)

    def read(self) -> None:
        raw, masked = self.raw, self.masked
        start = len(masked) - len(masked.lstrip())
        title = ""
        if masked.startswith("::", start):
            end = masked.find("::", start + 2)
            if end < 0:
                why = Term("fmt_gift_title_open")
                self.fail(start, "gift_syntax", why=why, text=quote(raw))
                return
            title = unescape(raw[start + 2 : end]).strip()
            start = end + 2
        found_format = _FORMAT.match(masked, start)
        text_format = found_format["format"].lower() if found_format else "moodle"
        if found_format is not None:
            start = found_format.end()
        opening = masked.find("{", start)
        if opening < 0:
            self.fail(
                start,
                "no_answer_block",
                text=quote(raw),
            )
            return
        closing = masked.find("}", opening)
        if closing < 0:
            why = Term("fmt_gift_block_open")
            self.fail(opening, "gift_syntax", why=why, text=quote(raw[opening:]))
            return
        if masked.find("{", closing) >= 0:
            self.fail(
                masked.find("{", closing),
                "gift_syntax",
                why=Term("fmt_gift_two_blocks"),
                text=quote(raw),
            )
            return
        # Text after the block is Moodle's "missing word" form: the block stands for a blank.
        after = raw[closing + 1 :]
        stem = raw[start:opening] + ("____" + after if after.strip() else "")
        text = unescape(stem).strip()
        if text_format == "html":
            text, images = html_to_text(text)
            if images:
                self.out.problem(
                    *self.at(start),
                    "warning",
                    "image_dropped",
                    count=images,
                    text=quote(text),
                )
        self.title, self.text, self.start, self.opening = title, text, start, opening
        self.answers(opening, closing)

    def answers(self, opening: int, closing: int) -> None:
        body_start = opening + 1
        body_end = closing
        general = self.masked.find("####", body_start, body_end)
        explanation = ""
        if general >= 0:
            explanation = unescape(self.raw[general + 4 : closing]).strip()
            body_end = general
        body = self.masked[body_start:body_end]
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        if not stripped:
            self.unsupported(opening, "fmt_gift_essay")
            return
        if stripped.startswith("#"):
            self.unsupported(opening, "fmt_gift_numerical")
            return
        word = stripped.split("#", 1)[0].strip().upper()
        if word in _TRUTH:
            # {TRUE#feedback when wrong#feedback when right}: the second teaches the fact.
            marks = [i for i in range(body_start + lead, body_end) if self.masked[i] == "#"]
            right_feedback = ""
            if len(marks) >= 2:
                right_feedback = unescape(self.raw[marks[1] + 1 : body_end]).strip()
            self.build("truefalse", _TRUTH[word], [], [])
            self.finish(explanation or right_feedback)
            return
        answers = self.split(body_start, body_end)
        if answers is None:
            return
        if all(answer.mark == "=" for answer in answers):
            if any("->" in answer.text for answer in answers):
                self.order(answers, explanation)
            else:
                self.fill(answers, explanation)
        else:
            self.choice(answers, explanation)

    def split(self, body_start: int, body_end: int) -> list[_Answer] | None:
        masked = self.masked
        marks = [index for index in range(body_start, body_end) if masked[index] in "=~"] + [
            body_end
        ]
        if masked[body_start : marks[0]].strip():
            self.fail(
                body_start,
                "gift_syntax",
                why=Term("fmt_gift_no_mark"),
                text=quote(unescape(self.raw[body_start : marks[0]])),
            )
            return None
        answers = []
        for here, there in itertools.pairwise(marks):
            piece_start = here + 1
            weight_text = _WEIGHT.match(masked, piece_start, there)
            weight = 100.0 if masked[here] == "=" else 0.0
            if weight_text is not None:
                try:
                    weight = float(weight_text["weight"])
                except ValueError:
                    self.fail(
                        here,
                        "bad_weight",
                        weight=weight_text["weight"],
                    )
                    return None
                piece_start = weight_text.end()
            feedback_at = masked.find("#", piece_start, there)
            text_end = feedback_at if feedback_at >= 0 else there
            feedback = (
                unescape(self.raw[feedback_at + 1 : there]).strip() if feedback_at >= 0 else ""
            )
            answers.append(
                _Answer(
                    masked[here],
                    unescape(self.raw[piece_start:text_end]).strip(),
                    weight,
                    feedback,
                    here,
                )
            )
        return answers

    def fill(self, answers: list[_Answer], explanation: str) -> None:
        accepted = [answer.text for answer in answers if answer.weight >= 100]
        for answer in answers:
            if answer.weight < 100:
                self.out.problem(
                    *self.at(answer.offset),
                    "warning",
                    "partial_credit",
                    text=quote(answer.text),
                    weight=f"{answer.weight:g}",
                )
        if not accepted:
            why = Term("fmt_no_right")
            self.fail(self.opening, "no_right_answer", why=why, text=quote(self.text))
            return
        choices = self.block.options
        positions = [(choice.line, choice.column) for choice in choices]
        self.build("fill", accepted, [choice.text for choice in choices], positions)
        self.finish(explanation or answers[0].feedback)

    def choice(self, answers: list[_Answer], explanation: str) -> None:
        right = [answer for answer in answers if answer.weight > 0]
        whole_marks = [answer for answer in right if answer.weight >= 100]
        if not right:
            self.fail(
                self.opening,
                "no_right_answer",
                why=Term("fmt_choice_no_right"),
                text=quote(self.text),
            )
            return
        if len(whole_marks) > 1:
            self.fail(
                whole_marks[1].offset,
                "several_right",
                text=quote(whole_marks[1].text),
                fix=Term("fmt_fix_gift"),
            )
            return
        options = [answer.text for answer in answers]
        positions = [self.at(answer.offset) for answer in answers]
        if len(right) == 1 and right[0].weight >= 100:
            self.build("single", right[0].text, options, positions)
        else:
            picked = [answer.text for answer in right]
            self.build("multiple", picked, options, positions)
        self.finish(explanation or right[0].feedback)

    def order(self, answers: list[_Answer], explanation: str) -> None:
        """A matching of each item to its place (1, 2, 3...) is an order question."""
        pairs = [answer.text.rsplit("->", 1) for answer in answers]
        places = [pair[1].strip() for pair in pairs if len(pair) == 2]
        if sorted(places) != sorted(str(number) for number in range(1, len(answers) + 1)):
            self.unsupported(self.opening, "fmt_gift_matching")
            return
        options = [pair[0].strip() for pair in pairs]
        sequence = [options[places.index(str(number))] for number in range(1, len(options) + 1)]
        positions = [self.at(answer.offset) for answer in answers]
        self.build("order", sequence, options, positions)
        self.finish(explanation)

    def unsupported(self, opening: int, what: str) -> None:
        self.fail(
            opening,
            "unsupported_type",
            kind=Term(what),
            text=quote(self.raw),
        )

    def build(
        self, kind: str, answer: Any, options: list[str], positions: list[tuple[int, int]]
    ) -> None:
        reader, out, path = self.reader, self.out, self.path
        fallback = f"{reader.bank_id}-{reader.count:03d}"
        name = self.title or (self.block.idnumber.text if self.block.idnumber else "")
        data: dict[str, Any] = {
            "id": question_id(name, reader.used, fallback),
            "type": kind,
            "text": self.text,
        }
        first_line, first_column = self.at(len(self.raw) - len(self.raw.lstrip()))
        out.record(path, first_line, first_column)
        out.record((*path, "text"), *self.at(self.start))
        if options:
            data["options"] = options
            for index, (line, column) in enumerate(positions):
                out.record((*path, "options", index), line, column)
        data["answer"] = answer
        out.record((*path, "answer"), *self.at(self.opening))
        out.record((*path, "type"), *self.at(self.opening))
        self.data = data

    def finish(self, explanation: str) -> None:
        block, out, path = self.block, self.out, self.path
        meta: dict[str, Any] = {"explanation": explanation}
        for key, value in block.meta.items():
            out.record((*path, key), value.line, value.column)
            if key in ("difficulty", "points", "time_limit"):
                meta[key] = whole(value.text)
            elif key == "shuffle":
                meta[key] = {"true": True, "false": False}.get(value.text.lower(), value.text)
            else:
                meta[key] = value.text
        if block.tags:
            meta["tags"] = [tag.text for tag in block.tags]
            out.record((*path, "tags"), block.tags[0].line, block.tags[0].column)
        self.data.update(question_fields(meta, self.reader.category))
        self.reader.questions.append(self.data)


class GiftFormat:
    """Banks as Moodle GIFT text: single, multiple, true/false and fill questions."""

    name = "gift"
    extensions = (".gift",)

    def read(self, data: bytes, filename: str) -> FileReport:
        """Decode the bytes (UTF-8, or a Chinese encoding detected), then read every question."""
        text = decoded(data, filename, ".gift")
        return text if isinstance(text, FileReport) else _Reader(filename).read(text)

    def write(self, bank: Bank) -> bytes:
        """The bank as UTF-8 GIFT: Moodle's fields, then ``//`` comment lines for the rest."""
        lines = ["// Leitai 题库（GIFT）：“// 键: 值”行是题库信息，Moodle 当作注释"]
        lines += [f"// {_header_key(key)}: {escape(value)}" for key, value in header_texts(bank)]
        for question in bank.questions:
            lines.append("")
            lines += _question_lines(question)
        return ("\n".join(lines) + "\n").encode("utf-8")


def _header_key(key: str) -> str:
    return "bank" if key == "id" else key


def _question_lines(question: Question) -> list[str]:
    """A question's comment fields, then ``::id::text{`` and its answers, one a line."""
    lines = []
    if question.tags:
        lines.append("// " + " ".join(f"[tag:{tag}]" for tag in question.tags))
    lines.append(f"// source: {escape(question.source)}")
    lines.append(f"// difficulty: {question.difficulty}")
    lines.append(f"// status: {question.status}")
    if question.points is not None:
        lines.append(f"// points: {question.points}")
    if question.time_limit is not None:
        lines.append(f"// time_limit: {question.time_limit}")
    if not question.shuffle:
        lines.append("// shuffle: false")
    if question.type == "fill":
        lines += [f"// option: {escape(option)}" for option in question.options]
    text = escape(question.text)
    prefix = "[moodle]" if text.startswith("[") else ""
    if question.type == "truefalse":
        lines.append(f"::{question.id}::{prefix}{text}{{{'TRUE' if question.answer else 'FALSE'}")
    else:
        lines.append(f"::{question.id}::{prefix}{text}{{")
        lines += _answer_lines(question)
    lines.append(f"####{escape(question.explanation)}")
    lines.append("}")
    return lines


def _answer_lines(question: Question) -> list[str]:
    answer = question.answer
    assert isinstance(answer, tuple)
    if question.type == "fill":
        return [f"={_weighed(text, '100')}" for text in answer]
    if question.type == "order":
        # GIFT has no ordering type: each item is matched to its place, which Moodle shows as
        # a matching question and this reader takes back as an order question.
        return [
            f"={_weighed(option, '100')} -> {answer.index(option) + 1}"
            for option in question.options
        ]
    if question.type == "single":
        return [
            f"={_weighed(option, '100')}" if option == answer[0] else f"~{_weighed(option, '0')}"
            for option in question.options
        ]
    share = _SHARES[len(answer)]
    return [
        f"~%{share if option in answer else '-100'}%{escape(option)}" for option in question.options
    ]


def _weighed(text: str, weight: str) -> str:
    """An answer's text, with its weight written out when the text itself starts with ``%``."""
    return f"%{weight}%{escape(text)}" if text.startswith("%") else escape(text)
