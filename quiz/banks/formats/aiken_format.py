"""Aiken banks (.aiken), Moodle's simplest format: single-choice questions only.

A question is its text on one line, its options ``A. …`` or ``A) …`` one a line, then
``ANSWER: B``. Nothing else can be said, so the bank's header comes from the file's name and
every other field takes its documented default (docs/bank-format.md, "Moodle exchange formats").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from quiz.banks.formats.base import FileReport
from quiz.banks.formats.exchange import (
    Collector,
    decoded,
    default_bank_id,
    header_with_defaults,
    question_fields,
    quote,
    refuse_uncarried,
)
from quiz.banks.model import Bank
from quiz.engine.qtypes import MAX_OPTIONS
from quiz.texts import ArgValue, Term

LETTERS = "ABCDEFGH"[:MAX_OPTIONS]
_OPTION = re.compile(r"(?P<letter>[A-Z])[.)]\s+(?P<text>.*)")
_ANSWER = re.compile(r"ANSWER\s*:\s*(?P<letters>.*)", re.IGNORECASE)


@dataclass(slots=True)
class _Draft:
    line: int
    column: int
    text: str
    options: list[tuple[str, int, int]] = field(default_factory=list)
    broken: bool = False


class _Reader:
    """One pass: a text line opens a question, options follow, ``ANSWER:`` closes it."""

    def __init__(self, filename: str) -> None:
        self.out = Collector(filename, Term("fmt_hint_aiken"))
        self.bank_id = default_bank_id(filename)
        self.draft: _Draft | None = None
        self.questions: list[dict[str, Any]] = []
        self.count = 0

    def read(self, text: str) -> FileReport:
        for number, line in enumerate(text.splitlines(), start=1):
            self.feed(number, line)
        if self.draft is not None:
            draft = self.draft
            after = Term("fmt_at_end")
            self.fail(draft.line, draft.column, "no_answer", text=quote(draft.text), after=after)
        header = header_with_defaults({}, self.out.filename)
        return self.out.report(header, self.questions)

    def fail(self, line: int, column: int, code: str, /, **args: ArgValue) -> None:
        self.out.problem(line, column, "error", code, **args)
        if self.draft is not None:
            self.draft.broken = True

    def feed(self, number: int, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            return
        column = len(line) - len(line.lstrip()) + 1
        draft = self.draft
        answer = _ANSWER.fullmatch(stripped)
        option = _OPTION.fullmatch(stripped)
        if draft is None:
            if answer is not None or option is not None:
                why = Term("fmt_no_question_before")
                self.fail(number, column, "stray_text", why=why, text=quote(stripped))
                return
            self.count += 1
            self.draft = _Draft(number, column, stripped)
        elif answer is not None:
            self.draft = None
            self.close(draft, number, column + answer.start("letters"), answer["letters"].strip())
        elif option is not None and option["letter"] not in LETTERS:
            self.fail(
                number,
                column,
                "too_many_options",
                letter=option["letter"],
                text=quote(stripped),
            )
        elif option is not None:
            expected = LETTERS[len(draft.options)] if len(draft.options) < len(LETTERS) else "?"
            if option["letter"] != expected:
                self.fail(
                    number,
                    column,
                    "option_out_of_order",
                    letter=option["letter"],
                    expected=expected,
                    text=quote(stripped),
                )
            draft.options.append((option["text"].strip(), number, column))
        elif draft.options:
            self.fail(
                draft.line,
                draft.column,
                "no_answer",
                text=quote(draft.text),
                after=Term("fmt_next_line"),
                next=quote(stripped),
            )
            self.draft = _Draft(number, column, stripped)
            self.count += 1
        else:
            # Aiken puts a question's text on one line; a second line goes on the text.
            draft.text = f"{draft.text} {stripped}"

    def close(self, draft: _Draft, line: int, column: int, letters: str) -> None:
        if draft.broken:
            # Its options were already refused: the letter cannot be judged against them.
            return
        if len(letters) != 1 or letters not in LETTERS:
            self.fail(
                line,
                column,
                "answer_not_single",
                letters=letters,
                text=quote(draft.text),
            )
            return
        index = LETTERS.index(letters)
        if index >= len(draft.options):
            last = LETTERS[max(len(draft.options) - 1, 0)]
            self.fail(
                line,
                column,
                "answer_letter_unknown",
                letters=letters,
                last=last,
                text=quote(draft.text),
            )
            return
        out, path = self.out, ("questions", len(self.questions))
        out.record(path, draft.line, draft.column)
        out.record((*path, "text"), draft.line, draft.column)
        for position, (_, number, column_at) in enumerate(draft.options):
            out.record((*path, "options", position), number, column_at)
        out.record((*path, "answer"), line, column)
        options = [text for text, _, _ in draft.options]
        self.questions.append(
            {
                "id": f"{self.bank_id}-{self.count:03d}",
                "type": "single",
                "text": draft.text,
                "options": options,
                "answer": options[index],
                **question_fields({}, None),
            }
        )


class AikenFormat:
    """Banks as Moodle Aiken text: single-choice questions, the header from the file name."""

    name = "aiken"
    extensions = (".aiken",)

    def read(self, data: bytes, filename: str) -> FileReport:
        """Decode the bytes (UTF-8, or a Chinese encoding detected), then read every question."""
        text = decoded(data, filename, ".aiken")
        return text if isinstance(text, FileReport) else _Reader(filename).read(text)

    def write(self, bank: Bank) -> bytes:
        """The bank's questions as UTF-8 Aiken; any but single choice is a CannotCarry."""
        refuse_uncarried(bank, "Aiken", "single")
        lines: list[str] = []
        for question in bank.questions:
            # Aiken has one line per question and option: a line break becomes a space.
            lines.append(question.text.replace("\n", " "))
            lines += [
                f"{letter}. " + option.replace("\n", " ")
                for letter, option in zip(LETTERS, question.options, strict=False)
            ]
            answer = question.answer
            assert isinstance(answer, tuple)
            lines.append(f"ANSWER: {LETTERS[question.options.index(answer[0])]}")
            lines.append("")
        return "\n".join(lines).encode("utf-8")
