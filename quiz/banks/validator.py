"""The rules of bank format v1: from loaded YAML data to a :class:`Bank`, or precise findings."""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Any, cast

from quiz.banks.document import Document
from quiz.banks.fields import (
    Findings,
    as_mapping,
    as_one_or_more_texts,
    as_text,
    as_text_list,
    as_whole_number,
    check_keys,
    describe,
    named,
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
from quiz.texts import Args, ArgValue, Term
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
        findings.error((), "bank_file_empty")
        return None, findings
    root = as_mapping(findings, (), data, named("bank_file_root"))
    if root is None:
        return None, findings
    check_keys(findings, (), root, ("bank", "questions"), (), named("bank_file"))
    header = _check_header(findings, root["bank"]) if "bank" in root else None
    questions = _check_questions(findings, root["questions"]) if "questions" in root else None
    if header is not None and questions and header["reviewed_by"] == ():
        reviewed = [
            index for index, question in enumerate(questions) if question.status == "reviewed"
        ]
        if reviewed:
            findings.warning(("bank",), "reviewed_without_reviewer", count=len(reviewed))
    if findings.has_errors or header is None or questions is None:
        return None, findings
    return Bank(questions=tuple(questions), **header), findings


def _check_header(findings: Findings, value: Any) -> dict[str, Any] | None:
    header = as_mapping(findings, ("bank",), value, named("bank_header"))
    if header is None:
        return None
    check_keys(findings, ("bank",), header, BANK_REQUIRED, BANK_OPTIONAL, named("bank_header"))
    result: dict[str, Any] = {}
    bank_id = header.get("id")
    if bank_id is not None:
        if isinstance(bank_id, str) and BANK_ID.match(bank_id):
            result["id"] = bank_id
        else:
            findings.error(("bank", "id"), "bad_bank_id", describe(bank_id))
    if "title" in header:
        result["title"] = as_text(
            findings, ("bank", "title"), header["title"], named("field_title")
        )
    if "description" in header:
        result["description"] = as_text(
            findings, ("bank", "description"), header["description"], named("field_description")
        )
    language = header.get("language")
    if language is not None:
        if isinstance(language, str) and LANGUAGE_TAG.match(language):
            result["language"] = language
        else:
            findings.error(("bank", "language"), "bad_language_tag", describe(language))
    if "version" in header:
        result["version"] = as_whole_number(
            findings, ("bank", "version"), header["version"], named("field_version"), 1, None
        )
    if "authors" in header:
        result["authors"] = as_text_list(
            findings, ("bank", "authors"), header["authors"], named("field_authors"), minimum=1
        )
    result["reviewed_by"] = (
        as_text_list(
            findings, ("bank", "reviewed_by"), header["reviewed_by"], named("field_reviewed_by")
        )
        if "reviewed_by" in header
        else ()
    )
    if "reviewed_at" in header:
        reviewed_at = header["reviewed_at"]
        if isinstance(reviewed_at, dt.date) and not isinstance(reviewed_at, dt.datetime):
            result["reviewed_at"] = reviewed_at
        else:
            findings.error(("bank", "reviewed_at"), "bad_reviewed_at", describe(reviewed_at))
    if "tags" in header:
        result["tags"] = as_text_list(
            findings, ("bank", "tags"), header["tags"], named("field_tags")
        )
    if "translations" in header:
        result["translations"] = _check_bank_translations(findings, header["translations"])
    return result


def _check_bank_translations(findings: Findings, value: Any) -> dict[str, dict[str, str]]:
    path: Path = ("bank", "translations")
    translations = as_mapping(findings, path, value, named("field_translations"))
    result: dict[str, dict[str, str]] = {}
    for language, fields in (translations or {}).items():
        if language not in LANGUAGES:
            _unknown_language(findings, (*path, language), language)
            continue
        what = named("translation_of", language=str(language))
        mapping = as_mapping(findings, (*path, language), fields, what)
        if mapping is None:
            continue
        check_keys(findings, (*path, language), mapping, (), ("title", "description"), what)
        result[language] = {
            key: text
            for key in ("title", "description")
            if key in mapping
            and (
                text := as_text(
                    findings, (*path, language, key), mapping[key], named(f"field_{key}")
                )
            )
            is not None
        }
    return result


def _unknown_language(findings: Findings, path: Path, language: Any) -> None:
    findings.error(
        path,
        "unknown_translation_language",
        on_key=True,
        language=str(language),
        languages=" / ".join(LANGUAGES),
    )


def _check_questions(findings: Findings, value: Any) -> list[Question] | None:
    if value == []:
        findings.error(("questions",), "questions_empty")
        return None
    if not isinstance(value, list):
        findings.error(("questions",), "questions_not_list", describe(value))
        return None
    if len(value) > MAX_QUESTIONS:
        findings.error(
            ("questions",),
            "too_many_questions",
            count=f"{len(value):,}",
            limit=f"{MAX_QUESTIONS:,}",
        )
        return None
    questions: list[Question] = []
    first_index_of_id: dict[str, int] = {}
    for index, item in enumerate(value):
        path: Path = ("questions", index)
        mapping = as_mapping(findings, path, item, named("question_numbered", number=index + 1))
        if mapping is None:
            continue
        question_id = mapping.get("id")
        if isinstance(question_id, str) and question_id in first_index_of_id:
            first = first_index_of_id[question_id]
            findings.error((*path, "id"), "duplicate_question_id", id=question_id, first=first + 1)
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
        self.name: Args = (
            named("question_named", question=raw_id)
            if isinstance(raw_id, str)
            else named("question_numbered", number=int(path[-1]) + 1)
        )

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
            findings.error(self.at("id"), "bad_question_id", describe(question_id))
        question_type = mapping.get("type")
        kind = QUESTION_KINDS.get(question_type) if isinstance(question_type, str) else None
        if question_type is not None and kind is None:
            findings.error(
                self.at("type"),
                "bad_question_type",
                describe(question_type),
                types=", ".join(QUESTION_KINDS),
            )
        fields = {
            key: as_text(findings, self.at(key), mapping[key], named(f"field_{key}"))
            for key in ("text", "explanation", "source")
            if key in mapping
        }
        difficulty = (
            as_whole_number(
                findings,
                self.at("difficulty"),
                mapping["difficulty"],
                named("field_difficulty"),
                1,
                5,
            )
            if "difficulty" in mapping
            else None
        )
        tags = (
            as_text_list(findings, self.at("tags"), mapping["tags"], named("field_tags"), minimum=1)
            if "tags" in mapping
            else None
        )
        status = mapping.get("status")
        if status is not None and status not in ("draft", "reviewed"):
            findings.error(self.at("status"), "bad_status", describe(status))
        if status == "reviewed" and fields.get("source") == NO_SOURCE:
            # Formats that cannot require a source fill in this placeholder; a reviewer has
            # checked the question against a source, so a reviewed one must name it.
            findings.error(self.at("source"), "reviewed_without_source", placeholder=NO_SOURCE)
        points = (
            as_whole_number(
                findings, self.at("points"), mapping["points"], named("field_points"), 0, 1000
            )
            if "points" in mapping
            else None
        )
        time_limit = (
            as_whole_number(
                findings,
                self.at("time_limit"),
                mapping["time_limit"],
                named("field_time_limit"),
                1,
                600,
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
                self.at("shuffle"), "shuffle_without_options", type=Term(f"type_{kind.name}")
            )
            return True
        if not isinstance(raw, bool):
            self.findings.error(self.at("shuffle"), "shuffle_not_bool", describe(raw))
            return True
        return raw

    def check_options(self, kind: QuestionKind) -> tuple[str, ...]:
        raw = self.mapping.get("options")
        rule = kind.options
        if rule is None:
            if raw is not None:
                self.findings.error(
                    self.at("options"), "options_not_allowed", type=Term(f"type_{kind.name}")
                )
            return ()
        if raw is None:
            if rule.required:
                self.findings.error(self.path, "options_missing", self.name, type=kind.name)
            return ()
        options = as_text_list(self.findings, self.at("options"), raw, named("field_options"))
        if options is None:
            return ()
        if not rule.minimum <= len(options) <= rule.maximum:
            self.findings.error(
                self.at("options"),
                "option_count",
                type=Term(f"type_{kind.name}"),
                minimum=rule.minimum,
                maximum=rule.maximum,
                count=len(options),
            )
        seen: dict[str, int] = {}
        for index, option in enumerate(options):
            normal = normalize_answer(option)
            if normal in seen:
                self.findings.error(
                    self.at("options", index),
                    "option_text_repeated",
                    letter=LETTERS[index : index + 1],
                    option=option,
                    first_letter=LETTERS[seen[normal]],
                )
            seen.setdefault(normal, index)
        return options

    def resolve(self, path: Path, value: Any, options: tuple[str, ...]) -> str | None:
        """An answer entry by option text, or else by letter; None (reported) if neither."""
        text = as_text(self.findings, path, value, named("field_answer"))
        if text is None:
            return None
        if text in options:
            return text
        if len(text) == 1 and text in LETTERS and LETTERS.index(text) < len(options):
            return options[LETTERS.index(text)]
        letters = LETTERS[: len(options)]
        self.findings.error(
            path, "answer_not_option", answer=text, first=letters[0], last=letters[-1]
        )
        return None

    def error(self, path: Path, code: str, **args: ArgValue) -> None:
        """Record an error ``code`` at ``path`` (the kinds report through this)."""
        self.findings.error(path, code, tuple(args.items()))

    def describe(self, value: Any) -> dict[str, ArgValue]:
        """How a value reads to a person, as arguments for the kinds' messages."""
        return dict(describe(value))

    def texts(self, path: Path, value: Any, what: str) -> tuple[str, ...] | None:
        """One text or a non-empty list of them (``what`` a term key); None once reported."""
        return as_one_or_more_texts(self.findings, path, value, named(what))

    def check_translations(
        self, kind: QuestionKind | None, options: tuple[str, ...]
    ) -> dict[str, Translation]:
        raw = self.mapping.get("translations")
        if raw is None:
            return {}
        path = self.at("translations")
        mapping = as_mapping(self.findings, path, raw, named("field_translations"))
        result: dict[str, Translation] = {}
        for language, fields in (mapping or {}).items():
            where = (*path, language)
            if language not in LANGUAGES:
                _unknown_language(self.findings, where, language)
                continue
            what = named("translation_of", language=str(language))
            entry = as_mapping(self.findings, where, fields, what)
            if entry is None:
                continue
            answers = kind is not None and kind.translated_answers
            allowed = TRANSLATION_KEYS if answers else TRANSLATION_KEYS[:3]
            check_keys(self.findings, where, entry, (), allowed, what)
            texts = {
                key: as_text(self.findings, (*where, key), entry[key], named(f"field_{key}"))
                for key in ("text", "explanation")
                if key in entry
            }
            translated_options = None
            if "options" in entry:
                translated_options = as_text_list(
                    self.findings,
                    (*where, "options"),
                    entry["options"],
                    named("translated_options"),
                )
                if translated_options is not None and len(translated_options) != len(options):
                    self.findings.error(
                        (*where, "options"),
                        "translated_option_count",
                        translated=len(translated_options),
                        count=len(options),
                    )
            answer = None
            if "answer" in entry and answers:
                answer = as_one_or_more_texts(
                    self.findings, (*where, "answer"), entry["answer"], named("translated_answer")
                )
            result[language] = Translation(
                texts.get("text"), translated_options, texts.get("explanation"), answer
            )
        return result
