"""The 题库 dialect of Word and plain-text banks: from numbered lines to the plain bank data.

Word (.docx) and text (.txt) banks are written the way organisers type them: a front block of
``标题：…`` lines, section headings naming the type (``一、单选题``), numbered stems, lettered
options, then ``答案：`` and optional field lines (docs/bank-format.md, "Word and text banks").
Both formats hand this module the same thing, a sequence of :class:`Line`, and get back a
:class:`MappedDocument` for the one validator. Matching is done on a width-folded copy of each
line (full-width ASCII to half-width, one character for one), so columns stay those of the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from quiz.banks.document import MappedDocument, Place
from quiz.banks.formats.base import FileReport
from quiz.banks.formats.dialect_words import (
    ARROW,
    BLANK,
    DEFAULT_DIFFICULTY,
    DEFAULT_EXPLANATION,
    DEFAULT_LANGUAGE,
    DEFAULT_SOURCE,
    DEFAULT_TAG,
    DIFFICULTY_WORDS,
    FIELD,
    FILL_SEPARATORS,
    HEADER_KEYS,
    HEADING,
    HEADING_TYPES,
    ID_MARKER,
    LETTERS,
    NEXT_OPTION,
    OPTION,
    QUESTION_KEYS,
    SHUFFLE_WORDS,
    STATUS_WORDS,
    STEM,
    difficulty_of,
    fold,
    generated_id,
    header_value,
    indent,
    known_words,
    letters_of,
    numeral_value,
    quote,
    split_list,
    truth_of,
    whole_number,
)
from quiz.banks.validator import BANK_ID, check_bank
from quiz.texts import ArgValue, Term, args_of
from quiz.yamlsource import MAX_PROBLEMS, Path, Problem, Severity

# The defaults are shared with the Moodle formats (exchange.py), which import them from here.
__all__ = [
    "DEFAULT_DIFFICULTY",
    "DEFAULT_EXPLANATION",
    "DEFAULT_LANGUAGE",
    "DEFAULT_SOURCE",
    "DEFAULT_TAG",
    "Labeller",
    "Line",
    "read_lines",
    "read_report",
]


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a bank: its paragraph (or line) number and its text.

    ``start`` is the text's column offset in its paragraph (a Word paragraph split at soft line
    breaks); ``shown`` counts characters Word displays but the file does not hold (a list's
    number), put in front of ``text`` so that numbered lists read as typed numbers.
    """

    number: int
    text: str
    start: int = 0
    shown: int = 0

    def column(self, index: int) -> int:
        """The 1-based column, in the file's own text, of ``text[index]``."""
        return max(1, self.start + index - self.shown + 1)


Labeller = Callable[[int, int], str]


@dataclass(slots=True)
class _Value:
    """A text as read, with the line it is on and where in that line it starts."""

    text: str
    line: Line
    index: int


@dataclass(slots=True)
class _Draft:
    """A question as read so far, before its type and answer are settled."""

    line: Line
    number: int
    section: int | None
    heading: str | None
    stem: list[_Value] = field(default_factory=list)
    options: list[_Value] = field(default_factory=list)
    fields: dict[str, _Value] = field(default_factory=dict)
    last_field: str | None = None
    broken: bool = False


def read_lines(lines: Iterable[Line], filename: str, label: Labeller) -> MappedDocument:
    """Read a dialect bank into plain bank data, each value's place and the dialect's problems."""
    reader = _Reader(filename, label)
    for line in lines:
        reader.feed(line)
    return reader.finish()


def read_report(lines: Iterable[Line], filename: str, label: Labeller) -> FileReport:
    """Read a dialect bank and check it with the one validator; every problem at its place."""
    document = read_lines(lines, filename, label)
    if not document.data["questions"]:
        # Every question was set aside for a problem already reported (or none was found):
        # the validator would only add that the list is empty.
        return FileReport(filename, None, document.problems, None, document.unlisted)
    bank, findings = check_bank(document)
    return FileReport(filename, bank, findings.problems(), document, findings.unlisted)


class _Reader:
    """One pass over the lines: a front block, then sections and questions."""

    def __init__(self, filename: str, label: Labeller) -> None:
        self.filename = filename
        self.label = label
        self.document = MappedDocument(None, filename)
        self.header: dict[str, _Value] = {}
        self.first_line: Line | None = None
        self.section: int | None = None
        self.sections = 0
        self.heading: str | None = None
        self.heading_value: _Value | None = None
        self.draft: _Draft | None = None
        self.drafts: list[tuple[_Draft, _Value | None]] = []
        self.numbers: dict[int | None, list[int]] = {}
        self.last_number = 0
        self.status_reported = False

    # -- reporting ------------------------------------------------------------------------

    def place(self, line: Line, index: int) -> Place:
        column = line.column(index)
        return Place((line.number, column), self.label(line.number, column))

    def problem(
        self, line: Line, index: int, severity: Severity, code: str, /, **args: ArgValue
    ) -> None:
        at = self.place(line, index)
        if len(self.document.problems) >= MAX_PROBLEMS:
            # Findings count what is past the cap as errors; warnings past it are only dropped.
            self.document.unlisted += severity == "error"
            return
        self.document.problems.append(
            Problem(self.filename, *at.position, severity, code, args_of(args), at.label)
        )

    # -- the pass -------------------------------------------------------------------------

    def feed(self, line: Line) -> None:
        folded = fold(line.text)
        if not folded.strip():
            return
        if self.first_line is None:
            self.first_line = line
        heading = HEADING.fullmatch(folded)
        if heading is not None:
            self.close()
            self.sections += 1
            numeral = heading["numeral"] or heading["part"]
            self.section = numeral_value(numeral) if numeral else self.sections
            self.heading = HEADING_TYPES[heading["word"]]
            self.heading_value = _Value(heading["word"], line, heading.start("word"))
            return
        stem = STEM.match(folded)
        if stem is not None:
            self.close()
            self.start_question(line, stem)
            return
        if self.draft is None:
            self.front(line, folded)
        else:
            self.inside(self.draft, line, folded)

    def start_question(self, line: Line, stem: re.Match[str]) -> None:
        number = int(stem["paren"] or stem["number"])
        self.check_number(line, number)
        self.draft = _Draft(line, number, self.section, self.heading)
        self.draft.stem.append(_Value(line.text[stem.end() :], line, stem.end()))

    def check_number(self, line: Line, number: int) -> None:
        seen = self.numbers.setdefault(self.section, [])
        if number in seen:
            self.problem(
                line,
                0,
                "warning",
                "number_repeated",
                number=number,
                text=quote(line.text),
            )
        else:
            expected = seen[-1] + 1 if seen else None
            if expected is None and number not in (1, self.last_number + 1):
                expected = 1
            if expected is not None and number != expected:
                self.problem(
                    line,
                    0,
                    "warning",
                    "number_gap",
                    expected=expected,
                    number=number,
                    text=quote(line.text),
                )
        seen.append(number)
        self.last_number = number

    def front(self, line: Line, folded: str) -> None:
        found = FIELD.match(folded)
        if found is not None:
            word = found["bracketed"] or found["key"]
            value = _Value(line.text[found.end() :].strip(), line, found.end())
            key = HEADER_KEYS.get(word)
            if key is None:
                what = "fmt_front_question_field" if word in QUESTION_KEYS else "fmt_front_field"
                self.problem(
                    line,
                    0,
                    "warning",
                    "unknown_field",
                    what=Term(what),
                    word=word,
                    text=quote(line.text),
                    known=known_words(HEADER_KEYS),
                )
            elif key in self.header:
                self.problem(line, 0, "error", "field_repeated", word=word)
            else:
                self.header[key] = value
            return
        if "title" not in self.header and line is self.first_line:
            self.header["title"] = _Value(line.text.strip(), line, indent(line.text))
            return
        self.problem(
            line,
            indent(line.text),
            "warning",
            "stray_text",
            why=Term("fmt_stray_front"),
            text=quote(line.text),
        )

    def inside(self, draft: _Draft, line: Line, folded: str) -> None:
        option = OPTION.match(folded)
        if option is not None:
            if draft.fields:
                self.stray(draft, line, "fmt_option_after_fields")
            else:
                self.read_options(draft, line, folded)
            return
        found = FIELD.match(folded)
        if found is not None:
            word = found["bracketed"] or found["key"]
            key = QUESTION_KEYS.get(word)
            if key is not None:
                value = _Value(line.text[found.end() :].strip(), line, found.end())
                if key in draft.fields:
                    self.problem(
                        line,
                        0,
                        "error",
                        "field_repeated",
                        word=word,
                    )
                    draft.broken = True
                draft.fields[key] = value
                draft.last_field = key
                return
            # Before any option or field, "材料：…" is more likely the stem going on.
            if found["bracketed"] or draft.options or draft.fields:
                self.problem(
                    line,
                    0,
                    "error",
                    "unknown_field",
                    what=Term("fmt_question_field"),
                    word=word,
                    text=quote(line.text),
                    known=known_words(QUESTION_KEYS),
                )
                draft.broken = True
                return
        if draft.fields:
            if draft.last_field == "explanation":
                previous = draft.fields["explanation"]
                previous.text = f"{previous.text}\n{line.text.strip()}"
                return
            self.stray(draft, line, "fmt_not_question_or_field")
        elif draft.options:
            self.stray(draft, line, "fmt_not_option_or_field")
        else:
            draft.stem.append(_Value(line.text, line, 0))

    def stray(self, draft: _Draft, line: Line, why: str) -> None:
        text = quote(line.text)
        self.problem(line, indent(line.text), "error", "stray_text", why=Term(why), text=text)
        draft.broken = True

    def read_options(self, draft: _Draft, line: Line, folded: str) -> None:
        """One option, or several on one line, each after a space and in letter order."""
        position = 0
        while True:
            found = OPTION.match(folded, position)
            assert found is not None
            letter = found["paren"] or found["letter"]
            expected = LETTERS[len(draft.options)] if len(draft.options) < len(LETTERS) else None
            if letter != expected:
                seen = LETTERS[: len(draft.options)]
                args: dict[str, ArgValue] = {"letter": letter, "text": quote(line.text)}
                if letter not in seen:
                    args["expected"] = expected or Term("fmt_no_more_options")
                self.problem(
                    line,
                    found.start() + indent(found.group()),
                    "error",
                    "option_repeated" if letter in seen else "option_out_of_order",
                    **args,
                )
                draft.broken = True
                return
            after = NEXT_OPTION.search(folded, found.end())
            end = after.start() if after is not None else len(folded)
            text = line.text[found.end() : end].strip()
            draft.options.append(_Value(text, line, found.start() + indent(found.group())))
            if after is None:
                return
            position = end

    def close(self) -> None:
        if self.draft is not None:
            self.drafts.append((self.draft, self.heading_value))
            self.draft = None

    # -- building the data ----------------------------------------------------------------

    def finish(self) -> MappedDocument:
        self.close()
        document = self.document
        header = self.build_header()
        # An id the validator refuses (reported once, at its line) would make every generated
        # question id wrong too, and each would be reported again.
        bank_id = header["id"] if BANK_ID.match(str(header["id"])) else "q"
        questions: list[dict[str, Any]] = []
        used: set[str] = set()
        for draft, heading in self.drafts:
            built = _Builder(self, draft, heading, len(questions)).build(bank_id, used)
            if built is not None:
                questions.append(built)
        document.data = {"bank": header, "questions": questions}
        if not self.drafts:
            line = self.first_line or Line(1, "")
            self.problem(line, 0, "error", "no_questions", hint=Term("fmt_hint_dialect"))
        document.problems.sort(key=lambda problem: (problem.line, problem.column))
        return document

    def record(self, path: Path, value: _Value) -> None:
        self.document.places[path] = self.place(value.line, value.index)

    def build_header(self) -> dict[str, Any]:
        header: dict[str, Any] = {}
        start = self.first_line or Line(1, "")
        self.document.places[("bank",)] = self.place(start, 0)
        for key, value in self.header.items():
            if key == "status":
                continue
            self.record(("bank", key), value)
            header[key] = header_value(key, value.text)
        stem = self.filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if "id" not in header:
            slug = re.sub(r"[\s_]+", "-", stem.strip().lower())
            if BANK_ID.match(slug):
                header["id"] = slug
            else:
                self.problem(
                    start,
                    0,
                    "error",
                    "header_missing",
                    field="题库编号",
                    rule=Term("fmt_rule_bank_id"),
                    stem=stem,
                )
                # A stand-in keeps the validator from reporting the same gap again in
                # English; the error above already keeps the bank from loading.
                header["id"] = "unnamed"
        header.setdefault("title", stem)
        header.setdefault("language", DEFAULT_LANGUAGE)
        header.setdefault("version", 1)
        if "authors" not in header:
            rule = Term("fmt_rule_authors")
            self.problem(start, 0, "error", "header_missing", field="作者", rule=rule)
            header["authors"] = ["?"]
        return header

    def default_status(self) -> str:
        """The status of questions that do not say: the front block's 状态, else draft."""
        value = self.header.get("status")
        found = STATUS_WORDS.get(fold(value.text).strip()) if value else "draft"
        if found is None and value is not None and not self.status_reported:
            self.status_reported = True
            self.problem(
                value.line,
                value.index,
                "error",
                "unknown_status",
                text=value.text,
                words=known_words(STATUS_WORDS),
            )
        return found or "draft"


class _Builder:
    """Settles one draft's type and answer and turns it into a question mapping."""

    def __init__(self, reader: _Reader, draft: _Draft, heading: _Value | None, index: int) -> None:
        self.reader = reader
        self.draft = draft
        self.heading = heading
        self.path: Path = ("questions", index)

    def fail(self, value: _Value, code: str, /, **args: ArgValue) -> None:
        self.reader.problem(value.line, value.index, "error", code, **args)
        self.draft.broken = True

    def build(self, bank_id: str, used: set[str]) -> dict[str, Any] | None:
        draft = self.draft
        stem_text = "\n".join(value.text.strip() for value in draft.stem).strip()
        marker = ID_MARKER.search(fold(stem_text))
        if marker is not None:
            question_id = marker["id"]
            stem_text = (stem_text[: marker.start()] + stem_text[marker.end() :]).strip()
        else:
            question_id = generated_id(bank_id, draft.section, draft.number, used)
        used.add(question_id)
        first = draft.stem[0]
        answer = draft.fields.get("answer")
        if answer is None or not answer.text:
            self.fail(
                first,
                "missing_answer",
                number=draft.number,
                unit=Term("fmt_unit_question"),
                text=quote(stem_text),
            )
            return None
        kind, answer_data = self.settle(answer, stem_text)
        if draft.broken or kind is None:
            return None
        data: dict[str, Any] = {"id": question_id, "type": kind, "text": stem_text}
        self.reader.document.places[self.path] = self.reader.place(draft.line, 0)
        self.reader.record((*self.path, "text"), first)
        self.reader.record((*self.path, "id"), first)
        if draft.options:
            data["options"] = [value.text for value in draft.options]
            self.reader.record((*self.path, "options"), draft.options[0])
            for index, value in enumerate(draft.options):
                self.reader.record((*self.path, "options", index), value)
        data["answer"] = answer_data
        self.reader.record((*self.path, "answer"), answer)
        self.reader.record((*self.path, "type"), self.heading or answer)
        self.fields(data)
        return None if draft.broken else data

    def settle(self, answer: _Value, stem: str) -> tuple[str | None, Any]:
        """The type (the heading's, else inferred from the answer) and the answer's data."""
        draft = self.draft
        heading = draft.heading
        raw = fold(answer.text).strip()
        options = [value.text for value in draft.options]
        truth = truth_of(raw, loose=heading == "truefalse")
        if heading == "fill":
            texts = [text.strip() for text in FILL_SEPARATORS.split(answer.text) if text.strip()]
            blanks = len(BLANK.findall(fold(stem)))
            if blanks > 1:
                self.reader.problem(
                    draft.stem[0].line,
                    draft.stem[0].index,
                    "warning",
                    "fill_blanks",
                    number=draft.number,
                    blanks=blanks,
                    answers=len(texts),
                    text=quote(stem),
                )
            return "fill", texts
        if heading == "truefalse" and options and truth is None:
            truth = self.truth_by_letter(raw, options)
        if heading == "truefalse" or (heading is None and not options and truth is not None):
            if truth is None:
                return self.mismatch(answer, "fmt_rule_truefalse")
            return "truefalse", truth
        if heading is None and not options:
            return "fill", [
                text.strip() for text in FILL_SEPARATORS.split(answer.text) if text.strip()
            ]
        letters = letters_of(raw)
        if letters is None:
            if heading in (None, "single", "choice") and answer.text.strip() in options:
                return "single", answer.text.strip()
            rule = "fmt_rule_letters" if heading != "order" else "fmt_rule_order_letters"
            return self.mismatch(answer, rule)
        for letter in letters:
            if LETTERS.index(letter) >= len(options):
                last = LETTERS[max(len(options) - 1, 0)]
                self.fail(
                    answer,
                    "answer_letter_no_option",
                    text=answer.text,
                    letters=letter,
                    last=last,
                )
                return None, None
        texts = [options[LETTERS.index(letter)] for letter in letters]
        if heading == "order" or ARROW.search(raw):
            return (
                ("order", texts)
                if heading in (None, "order")
                else self.mismatch(answer, "fmt_rule_order_only")
            )
        if heading == "single" and len(texts) != 1:
            return self.mismatch(answer, "fmt_rule_single")
        if heading == "multiple" and len(texts) < 2:
            return self.mismatch(answer, "fmt_rule_multiple")
        return ("single", texts[0]) if len(texts) == 1 else ("multiple", texts)

    def truth_by_letter(self, raw: str, options: list[str]) -> bool | None:
        """A 判断题 written as a choice (A. 正确 B. 错误, 答案：A): the chosen option's truth,
        and the options dropped, since a 判断题 has none."""
        truths = [truth_of(fold(option).strip(), loose=True) for option in options]
        letters = letters_of(raw)
        if None in truths or letters is None or len(letters) != 1:
            return None
        index = LETTERS.index(letters[0])
        if index >= len(options):
            return None
        self.draft.options = []
        return truths[index]

    def mismatch(self, answer: _Value, rule: str) -> tuple[None, None]:
        # The heading, when it decides the type, is quoted as written (单选题, 单项选择题).
        section: ArgValue = Term("fmt_its_type")
        if self.heading and self.draft.heading:
            section = f"“{self.heading.text}”"
        self.fail(
            answer,
            "type_mismatch",
            number=self.draft.number,
            answer=answer.text,
            section=section,
            rule=Term(rule),
        )
        return None, None

    def fields(self, data: dict[str, Any]) -> None:
        """The optional fields, each with its documented default when absent."""
        got = self.draft.fields
        reader = self.reader
        for key, value in got.items():
            if key != "answer":
                reader.record((*self.path, key), value)
        data["explanation"] = (
            got["explanation"].text if "explanation" in got else DEFAULT_EXPLANATION
        )
        data["source"] = got["source"].text if "source" in got else DEFAULT_SOURCE
        data["difficulty"] = DEFAULT_DIFFICULTY
        if "difficulty" in got:
            data["difficulty"] = self.word(
                got["difficulty"],
                difficulty_of,
                "difficulty",
                known_words(DIFFICULTY_WORDS),
            )
        data["tags"] = split_list(got["tags"].text) if "tags" in got else [DEFAULT_TAG]
        data["status"] = reader.default_status()
        if "status" in got:
            data["status"] = self.word(
                got["status"], STATUS_WORDS.get, "status", known_words(STATUS_WORDS)
            )
        for key in ("points", "time_limit"):
            if key in got:
                data[key] = whole_number(got[key].text.rstrip("秒分sS ").strip())
        if "shuffle" in got:
            data["shuffle"] = self.word(got["shuffle"], SHUFFLE_WORDS.get, "shuffle", "固定、打乱")

    def word(self, value: _Value, read: Callable[[str], Any], field: str, words: str) -> Any:
        """A field written as one of its words; an unknown word is an error quoting it."""
        found = read(fold(value.text).strip())
        if found is None:
            args: dict[str, ArgValue] = {"text": value.text, "words": words}
            if field == "shuffle":
                args["field"] = Term("fmt_option_order")
            self.fail(value, f"unknown_{field}", **args)
        return found
