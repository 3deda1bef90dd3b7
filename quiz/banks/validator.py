"""The rules of bank format v1: from loaded YAML data to a :class:`Bank`, or precise findings."""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Any, cast

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
from quiz.engine.questions import (
    LANGUAGES,
    QUESTION_TYPES,
    Answer,
    Question,
    QuestionType,
    Status,
    Translation,
)
from quiz.yamlsource import Located, Path

BANK_ID = re.compile(r"^[a-z][a-z0-9-]{1,63}$")
QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
LETTERS = string.ascii_uppercase[:8]
MAX_OPTIONS = 8
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
QUESTION_OPTIONAL = ("options", "points", "time_limit", "translations")
TRANSLATION_KEYS = ("text", "options", "explanation", "answer")
CHOICE_TYPES = ("single", "multiple", "order")


def check_bank(located: Located) -> tuple[Bank | None, Findings]:
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
        errors_before = len(findings.items)
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
        if question_type is not None and question_type not in QUESTION_TYPES:
            findings.error(
                self.at("type"),
                f"the type should be one of {', '.join(QUESTION_TYPES)}, not "
                f"{describe(question_type)}",
            )
            question_type = None
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
        if question_type is not None:
            options = self.check_options(cast(QuestionType, question_type))
            # Choice answers are checked against the options, so only once the options are good.
            needs_options = question_type in CHOICE_TYPES
            if "answer" in mapping and (options or not needs_options):
                answer = self.check_answer(cast(QuestionType, question_type), options)
        translations = self.check_translations(question_type, options)
        if len(findings.items) > errors_before and any(
            item.severity == "error" for item in findings.items[errors_before:]
        ):
            return None
        assert answer is not None
        assert difficulty is not None
        assert tags is not None
        return Question(
            id=cast(str, question_id),
            type=cast(QuestionType, question_type),
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
        )

    def check_options(self, question_type: QuestionType) -> tuple[str, ...]:
        raw = self.mapping.get("options")
        if question_type == "truefalse":
            if raw is not None:
                self.findings.error(self.at("options"), "a truefalse question has no options")
            return ()
        if raw is None:
            if question_type != "fill":
                self.findings.error(
                    self.path, f"{self.name} ({question_type}) is missing 'options'"
                )
            return ()
        low = 3 if question_type == "order" else 2
        options = as_text_list(self.findings, self.at("options"), raw, "options")
        if options is None:
            return ()
        if not low <= len(options) <= MAX_OPTIONS:
            self.findings.error(
                self.at("options"),
                f"{article(question_type)} {question_type} question needs {low} to "
                f"{MAX_OPTIONS} options, not {len(options)}",
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

    def check_answer(self, question_type: QuestionType, options: tuple[str, ...]) -> Answer | None:
        raw = self.mapping["answer"]
        path = self.at("answer")
        if question_type == "truefalse":
            if isinstance(raw, bool):
                return raw
            self.findings.error(
                path, f"a truefalse answer should be true or false, not {describe(raw)}"
            )
            return None
        if question_type == "fill":
            return self.check_fill_answer(raw, options)
        if question_type == "single":
            if isinstance(raw, list):
                self.findings.error(
                    path,
                    f"a single question has exactly one answer, not a list "
                    f"of {len(raw)} (for several right answers use type: "
                    "multiple)",
                )
                return None
            chosen = self.resolve(path, raw, options)
            return None if chosen is None else (chosen,)
        if not isinstance(raw, list):
            what = "at least two answers" if question_type == "multiple" else "every option"
            self.findings.error(
                path,
                f"{article(question_type)} {question_type} answer should be a list of {what}, "
                f"not {describe(raw)}",
            )
            return None
        resolved = [self.resolve((*path, index), item, options) for index, item in enumerate(raw)]
        if any(item is None for item in resolved):
            return None
        chosen_list = cast(list[str], resolved)
        for index, item in enumerate(chosen_list):
            if item in chosen_list[:index]:
                self.findings.error((*path, index), f"the answer names {item!r} twice")
                return None
        if question_type == "multiple":
            if len(chosen_list) < 2:
                self.findings.error(
                    path,
                    "a multiple question needs at least two right answers "
                    "(for one, use type: single)",
                )
                return None
            return tuple(sorted(chosen_list, key=options.index))
        missing = [option for option in options if option not in chosen_list]
        if missing:
            self.findings.error(
                path,
                f"the order leaves out {', '.join(map(repr, missing))}; "
                "it must list every option once",
            )
            return None
        return tuple(chosen_list)

    def check_fill_answer(self, raw: Any, options: tuple[str, ...]) -> Answer | None:
        path = self.at("answer")
        accepted = as_one_or_more_texts(self.findings, path, raw, "the answer")
        if accepted is None:
            return None
        normals = {normalize_answer(text) for text in accepted}
        if "" in normals:
            self.findings.error(path, "an accepted answer is only spaces or punctuation")
            return None
        if options:
            first = normalize_answer(accepted[0])
            matching = [i for i, option in enumerate(options) if normalize_answer(option) == first]
            if not matching:
                self.findings.error(
                    path, f"the first accepted answer {accepted[0]!r} should be one of the options"
                )
                return None
            for index, option in enumerate(options):
                if index != matching[0] and normalize_answer(option) in normals:
                    self.findings.error(
                        self.at("options", index),
                        f"wrong option {option!r} "
                        "matches an accepted answer and would be judged right",
                    )
                    return None
        return accepted

    def check_translations(
        self, question_type: Any, options: tuple[str, ...]
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
            allowed = TRANSLATION_KEYS if question_type == "fill" else TRANSLATION_KEYS[:3]
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
            if "answer" in entry and question_type == "fill":
                answer = as_one_or_more_texts(
                    self.findings, (*where, "answer"), entry["answer"], "the translated answer"
                )
            result[language] = Translation(
                texts.get("text"), translated_options, texts.get("explanation"), answer
            )
        return result
