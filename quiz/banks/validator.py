"""The rules of bank format v1: from loaded YAML data to a :class:`Bank`, or precise findings."""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Any, cast

from quiz.banks.document import Document
from quiz.banks.fields import (
    Findings,
    article,
    as_mapping,
    as_one_or_more_texts,
    as_text,
    as_text_list,
    as_whole_number,
    check_keys,
    describe,
)
from quiz.banks.model import Bank
from quiz.engine.matching import normalize_answer
from quiz.engine.qtypes import MAX_OPTIONS, QUESTION_KINDS, QuestionKind
from quiz.engine.questions import (
    LANGUAGES,
    Answer,
    Question,
    QuestionType,
    Status,
    Translation,
)
from quiz.yamlsource import Path

# The source a format writes when its file gave none (Word, text and Moodle banks).
NO_SOURCE = "（未注明出处）"
BANK_ID = re.compile(r"^[a-z][a-z0-9-]{1,63}$")
QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
LETTERS = string.ascii_uppercase[:MAX_OPTIONS]
BANK_REQUIRED = ("id", "title", "language", "version", "authors")
BANK_OPTIONAL = ("description", "reviewed_by", "reviewed_at", "tags", "translations")
QUESTION_REQUIRED = (
    "id",
    "type",
    "text",
    "answer",
    "explanation",
    "source",
    "difficulty",
    "tags",
    "status",
)
QUESTION_OPTIONAL = ("options", "shuffle", "points", "time_limit", "translations")
# Twice the largest bank benchmarked (benchmarks/upload_bench.py); a longer list is refused
# before any question is checked.
MAX_QUESTIONS = 200_000
TRANSLATION_KEYS = ("text", "options", "explanation", "answer")


def check_bank(located: Document) -> tuple[Bank | None, Findings]:
    """Check a loaded document against format v1; the bank is returned only if it has no error."""
    findings = Findings(located)
    data = located.data
    if data is None:
        findings.error((), "the file is empty: a bank needs 'bank:' and 'questions:'")
        return None, findings
    root = as_mapping(findings, (), data, "a bank file")
    if root is None:
        return None, findings
    check_keys(findings, (), root, ("bank", "questions"), (), "the file")
    header = _check_header(findings, root["bank"]) if "bank" in root else None
    questions = _check_questions(findings, root["questions"]) if "questions" in root else None
    if header is not None and questions and header["reviewed_by"] == ():
        reviewed = [
            index for index, question in enumerate(questions) if question.status == "reviewed"
        ]
        if reviewed:
            findings.warning(
                ("bank",),
                f"{len(reviewed)} questions are reviewed but the bank "
                "names no reviewer (reviewed_by)",
            )
    if findings.has_errors or header is None or questions is None:
        return None, findings
    return Bank(questions=tuple(questions), **header), findings


def _check_header(findings: Findings, value: Any) -> dict[str, Any] | None:
    header = as_mapping(findings, ("bank",), value, "'bank'")
    if header is None:
        return None
    check_keys(findings, ("bank",), header, BANK_REQUIRED, BANK_OPTIONAL, "'bank'")
    result: dict[str, Any] = {}
    bank_id = header.get("id")
    if bank_id is not None:
        if isinstance(bank_id, str) and BANK_ID.match(bank_id):
            result["id"] = bank_id
        else:
            findings.error(
                ("bank", "id"),
                "the bank id should be 2-64 lower-case letters, digits and hyphens, starting "
                f"with a letter, not {describe(bank_id)}",
            )
    if "title" in header:
        result["title"] = as_text(findings, ("bank", "title"), header["title"], "the title")
    if "description" in header:
        result["description"] = as_text(
            findings, ("bank", "description"), header["description"], "the description"
        )
    language = header.get("language")
    if language is not None:
        if isinstance(language, str) and LANGUAGE_TAG.match(language):
            result["language"] = language
        else:
            findings.error(
                ("bank", "language"),
                f"the language should be a tag such as zh-CN, en or bo, not {describe(language)}",
            )
    if "version" in header:
        result["version"] = as_whole_number(
            findings, ("bank", "version"), header["version"], "the version", 1, None
        )
    if "authors" in header:
        result["authors"] = as_text_list(
            findings, ("bank", "authors"), header["authors"], "authors", minimum=1
        )
    result["reviewed_by"] = (
        as_text_list(findings, ("bank", "reviewed_by"), header["reviewed_by"], "reviewed_by")
        if "reviewed_by" in header
        else ()
    )
    if "reviewed_at" in header:
        reviewed_at = header["reviewed_at"]
        if isinstance(reviewed_at, dt.date) and not isinstance(reviewed_at, dt.datetime):
            result["reviewed_at"] = reviewed_at
        else:
            findings.error(
                ("bank", "reviewed_at"),
                f"reviewed_at should be a date written YYYY-MM-DD, not {describe(reviewed_at)}",
            )
    if "tags" in header:
        result["tags"] = as_text_list(findings, ("bank", "tags"), header["tags"], "tags")
    if "translations" in header:
        result["translations"] = _check_bank_translations(findings, header["translations"])
    return result


def _check_bank_translations(findings: Findings, value: Any) -> dict[str, dict[str, str]]:
    path: Path = ("bank", "translations")
    translations = as_mapping(findings, path, value, "translations")
    result: dict[str, dict[str, str]] = {}
    for language, fields in (translations or {}).items():
        if language not in LANGUAGES:
            findings.error(
                (*path, language),
                f"unknown translation language '{language}' (use {' or '.join(LANGUAGES)})",
                on_key=True,
            )
            continue
        mapping = as_mapping(findings, (*path, language), fields, f"the '{language}' translation")
        if mapping is None:
            continue
        check_keys(
            findings,
            (*path, language),
            mapping,
            (),
            ("title", "description"),
            f"the '{language}' translation",
        )
        result[language] = {
            key: text
            for key in ("title", "description")
            if key in mapping
            and (text := as_text(findings, (*path, language, key), mapping[key], key)) is not None
        }
    return result


def _check_questions(findings: Findings, value: Any) -> list[Question] | None:
    if not isinstance(value, list) or not value:
        found = "an empty list" if value == [] else describe(value)
        findings.error(
            ("questions",), f"'questions' should be a list of at least one question, not {found}"
        )
        return None
    if len(value) > MAX_QUESTIONS:
        findings.error(
            ("questions",),
            f"题库有 {len(value):,} 道题，超过每个题库 {MAX_QUESTIONS:,} 道的上限",
            code="too_many_questions",
        )
        return None
    questions: list[Question] = []
    first_index_of_id: dict[str, int] = {}
    for index, item in enumerate(value):
        path: Path = ("questions", index)
        mapping = as_mapping(findings, path, item, f"question {index + 1}")
        if mapping is None:
            continue
        question_id = mapping.get("id")
        if isinstance(question_id, str) and question_id in first_index_of_id:
            first = first_index_of_id[question_id]
            findings.error(
                (*path, "id"),
                f"question id '{question_id}' is already used by "
                f"question {first + 1}; ids must be unique in a bank",
            )
        elif isinstance(question_id, str):
            first_index_of_id[question_id] = index
        question = _QuestionChecker(findings, path, mapping).check()
        if question is not None:
            questions.append(question)
    return questions


class _QuestionChecker:
    """Checks one question mapping and builds its canonical :class:`Question`."""

    def __init__(self, findings: Findings, path: Path, mapping: dict[Any, Any]) -> None:
        self.findings = findings
        self.path = path
        self.mapping = mapping
        raw_id = mapping.get("id")
        self.name = f"question '{raw_id}'" if isinstance(raw_id, str) else f"question {path[-1]}"

    def at(self, *keys: str | int) -> Path:
        return (*self.path, *keys)

    def check(self) -> Question | None:
        findings, mapping = self.findings, self.mapping
        errors_before = findings.errors
        check_keys(findings, self.path, mapping, QUESTION_REQUIRED, QUESTION_OPTIONAL, self.name)
        question_id = mapping.get("id")
        if question_id is not None and not (
            isinstance(question_id, str) and QUESTION_ID.match(question_id)
        ):
            findings.error(
                self.at("id"),
                "the question id should be 1-64 letters, digits, '.', '_' or '-', not "
                f"{describe(question_id)}",
            )
        question_type = mapping.get("type")
        kind = QUESTION_KINDS.get(question_type) if isinstance(question_type, str) else None
        if question_type is not None and kind is None:
            findings.error(
                self.at("type"),
                f"the type should be one of {', '.join(QUESTION_KINDS)}, not "
                f"{describe(question_type)}",
            )
        fields = {
            key: as_text(findings, self.at(key), mapping[key], key)
            for key in ("text", "explanation", "source")
            if key in mapping
        }
        difficulty = (
            as_whole_number(
                findings, self.at("difficulty"), mapping["difficulty"], "difficulty", 1, 5
            )
            if "difficulty" in mapping
            else None
        )
        tags = (
            as_text_list(findings, self.at("tags"), mapping["tags"], "tags", minimum=1)
            if "tags" in mapping
            else None
        )
        status = mapping.get("status")
        if status is not None and status not in ("draft", "reviewed"):
            findings.error(
                self.at("status"), f"the status should be draft or reviewed, not {describe(status)}"
            )
        if status == "reviewed" and fields.get("source") == NO_SOURCE:
            # Formats that cannot require a source fill in this placeholder; a reviewer has
            # checked the question against a source, so a reviewed one must name it.
            findings.error(
                self.at("source"),
                f"已审核的题目必须注明出处，不能是“{NO_SOURCE}” "
                "(a reviewed question names its source)",
                code="reviewed_without_source",
            )
        points = (
            as_whole_number(findings, self.at("points"), mapping["points"], "points", 0, 1000)
            if "points" in mapping
            else None
        )
        time_limit = (
            as_whole_number(
                findings, self.at("time_limit"), mapping["time_limit"], "time_limit", 1, 600
            )
            if "time_limit" in mapping
            else None
        )
        options: tuple[str, ...] = ()
        answer: Answer | None = None
        if kind is not None:
            options = self.check_options(kind)
            # Choice answers are checked against the options, so only once the options are good.
            needs_options = kind.options is not None and kind.options.required
            if "answer" in mapping and (options or not needs_options):
                answer = kind.read_answer(self, mapping["answer"], options)
        translations = self.check_translations(kind, options)
        shuffle = self.check_shuffle(kind)
        if findings.errors > errors_before:
            return None
        assert kind is not None
        assert answer is not None
        assert difficulty is not None
        assert tags is not None
        return Question(
            id=cast(str, question_id),
            type=cast(QuestionType, kind.name),
            text=cast(str, fields["text"]),
            answer=answer,
            explanation=cast(str, fields["explanation"]),
            source=cast(str, fields["source"]),
            difficulty=difficulty,
            tags=tags,
            status=cast(Status, status),
            options=options,
            points=points,
            time_limit=time_limit,
            translations=translations,
            shuffle=shuffle,
        )

    def check_shuffle(self, kind: QuestionKind | None) -> bool:
        """`shuffle: false` keeps a question's options in bank order; only types with options."""
        if "shuffle" not in self.mapping:
            return True
        raw = self.mapping["shuffle"]
        if kind is not None and kind.options is None:
            self.findings.error(
                self.at("shuffle"),
                f"{article(kind.name)} {kind.name} question has no options to shuffle",
            )
            return True
        if not isinstance(raw, bool):
            self.findings.error(
                self.at("shuffle"), f"shuffle should be true or false, not {describe(raw)}"
            )
            return True
        return raw

    def check_options(self, kind: QuestionKind) -> tuple[str, ...]:
        raw = self.mapping.get("options")
        rule = kind.options
        if rule is None:
            if raw is not None:
                self.findings.error(
                    self.at("options"), f"{article(kind.name)} {kind.name} question has no options"
                )
            return ()
        if raw is None:
            if rule.required:
                self.findings.error(self.path, f"{self.name} ({kind.name}) is missing 'options'")
            return ()
        options = as_text_list(self.findings, self.at("options"), raw, "options")
        if options is None:
            return ()
        if not rule.minimum <= len(options) <= rule.maximum:
            self.findings.error(
                self.at("options"),
                f"{article(kind.name)} {kind.name} question needs {rule.minimum} to "
                f"{rule.maximum} options, not {len(options)}",
            )
        seen: dict[str, int] = {}
        for index, option in enumerate(options):
            normal = normalize_answer(option)
            if normal in seen:
                self.findings.error(
                    self.at("options", index),
                    f"option {LETTERS[index : index + 1]} "
                    f"({option!r}) repeats option {LETTERS[seen[normal]]}",
                )
            seen.setdefault(normal, index)
        return options

    def resolve(self, path: Path, value: Any, options: tuple[str, ...]) -> str | None:
        """An answer entry by option text, or else by letter; None (reported) if neither."""
        text = as_text(self.findings, path, value, "the answer")
        if text is None:
            return None
        if text in options:
            return text
        if len(text) == 1 and text in LETTERS and LETTERS.index(text) < len(options):
            return options[LETTERS.index(text)]
        letters = LETTERS[: len(options)]
        self.findings.error(
            path,
            f"the answer {text!r} is not among the options (give an "
            f"option's exact text or a letter {letters[0]}-{letters[-1]})",
        )
        return None

    def error(self, path: Path, message: str) -> None:
        """Record an error at ``path`` (the kinds report through this)."""
        self.findings.error(path, message)

    def describe(self, value: Any) -> str:
        """How a value reads to a person, for the kinds' messages."""
        return describe(value)

    def texts(self, path: Path, value: Any, what: str) -> tuple[str, ...] | None:
        """One text or a non-empty list of them; None once reported."""
        return as_one_or_more_texts(self.findings, path, value, what)

    def check_translations(
        self, kind: QuestionKind | None, options: tuple[str, ...]
    ) -> dict[str, Translation]:
        raw = self.mapping.get("translations")
        if raw is None:
            return {}
        path = self.at("translations")
        mapping = as_mapping(self.findings, path, raw, "translations")
        result: dict[str, Translation] = {}
        for language, fields in (mapping or {}).items():
            where = (*path, language)
            if language not in LANGUAGES:
                self.findings.error(
                    where,
                    f"unknown translation language '{language}' (use {' or '.join(LANGUAGES)})",
                    on_key=True,
                )
                continue
            entry = as_mapping(self.findings, where, fields, f"the '{language}' translation")
            if entry is None:
                continue
            answers = kind is not None and kind.translated_answers
            allowed = TRANSLATION_KEYS if answers else TRANSLATION_KEYS[:3]
            check_keys(self.findings, where, entry, (), allowed, f"the '{language}' translation")
            texts = {
                key: as_text(self.findings, (*where, key), entry[key], key)
                for key in ("text", "explanation")
                if key in entry
            }
            translated_options = None
            if "options" in entry:
                translated_options = as_text_list(
                    self.findings, (*where, "options"), entry["options"], "translated options"
                )
                if translated_options is not None and len(translated_options) != len(options):
                    self.findings.error(
                        (*where, "options"),
                        f"{len(translated_options)} translated options for {len(options)} options",
                    )
            answer = None
            if "answer" in entry and answers:
                answer = as_one_or_more_texts(
                    self.findings, (*where, "answer"), entry["answer"], "the translated answer"
                )
            result[language] = Translation(
                texts.get("text"), translated_options, texts.get("explanation"), answer
            )
        return result
