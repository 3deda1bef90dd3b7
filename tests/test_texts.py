"""The catalogues of problem texts: every entry reads in both languages with the same fields, and
every code and term the code base names literally has an entry."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from quiz.banks.fields import LENGTH_LIMITS
from quiz.engine.qtypes import QUESTION_KINDS
from quiz.texts import MESSAGES, TERMS, Term, core, formats, language_from_environment, render

QUIZ = Path(__file__).resolve().parents[1] / "quiz"
CJK = re.compile(r"[\u4e00-\u9fff]")
CATALOGUES = [
    (name, key, pair)
    for name, table in (
        ("core messages", core.MESSAGES),
        ("core terms", core.TERMS),
        ("format messages", formats.MESSAGES),
        ("format terms", formats.TERMS),
    )
    for key, pair in table.items()
]


def fields(template: str) -> set[str]:
    """The names a template fills in ({what}, {count}); doubled braces are text."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize(("table", "key", "pair"), CATALOGUES, ids=lambda v: str(v)[:40])
def test_each_entry_reads_in_chinese_and_english_with_the_same_fields(
    table: str, key: str, pair: tuple[str, str]
) -> None:
    chinese, english = pair
    assert chinese.strip(), (table, key)
    assert english.strip(), (table, key)
    # The parser's or the core's own English ({detail}) may go only into the English text.
    assert fields(chinese) == fields(english) - {"detail"}, (table, key)
    # Chinese words, unless the text is only fields (its words then come from Chinese terms).
    words = re.sub(r"\{\w+\}", "", chinese)
    assert CJK.search(chinese) or not re.search("[A-Za-z]", words), (table, key, chinese)
    assert all(name.isidentifier() for name in fields(chinese)), (table, key)


def test_the_catalogues_share_no_key() -> None:
    """A key in both would be silently shadowed by the formats' entry when merged."""
    assert set(core.MESSAGES) & set(formats.MESSAGES) == set()
    assert set(core.TERMS) & set(formats.TERMS) == set()


def test_a_term_fills_in_the_plain_arguments_it_names() -> None:
    args = (("what", Term("field_answer")), ("found", Term("value_text")), ("raw", "对"))
    assert render("value_not_text", args, "zh") == "答案应该是文本，而不是文本“对”"
    assert render("value_not_text", args, "en") == "the answer should be text, not the text '对'"


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literal_at(call: ast.Call, index: int, keyword: str) -> str | None:
    """The string literal passed as argument ``index`` (or ``keyword=``), if it is one."""
    for named in call.keywords:
        if named.arg == keyword and isinstance(named.value, ast.Constant):
            return str(named.value.value)
    positional = call.args
    if any(isinstance(argument, ast.Starred) for argument in positional[: index + 1]):
        return None  # *at.position: the place of the code is unknown statically
    if len(positional) > index and isinstance(positional[index], ast.Constant):
        value = positional[index].value
        return value if isinstance(value, str) else None
    return None


# Where a call puts its code: Problem(file, line, column, severity, code, ...), a validator's
# error/warning(path, code, ...), the YAML reader's fatal(event, code) and _fatal(f, l, c, code),
# and the usage errors of the CLI, UsageError(code, ...) and UnknownFormat(code, ...).
CODE_PLACES = {
    "Problem": 4,
    "error": 1,
    "warning": 1,
    "fatal": 1,
    "_fatal": 3,
    "UsageError": 0,
    "UnknownFormat": 0,
}
CODE_FOLDERS = ("banks", "engine/qtypes", "contests", "yamlsource.py", "texts")


def literal_codes() -> list[tuple[str, str]]:
    """Every (file, code) found as a string literal in a code's place of a call in quiz/."""
    found = []
    for path in sorted(QUIZ.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        relative = path.relative_to(QUIZ).as_posix()
        for call in _calls(tree):
            name = _name(call)
            if name not in CODE_PLACES:
                continue
            # error()/warning() are also loggers' and Flask's; only the validators pass codes.
            if name in ("error", "warning", "fatal") and not relative.startswith(CODE_FOLDERS):
                continue
            code = _literal_at(call, CODE_PLACES[name], "code")
            if code is not None:
                found.append((relative, code))
    return found


def test_every_literal_code_has_a_text() -> None:
    found = literal_codes()
    assert len({code for _, code in found}) >= 60  # the scan does find the codes
    assert [(where, code) for where, code in found if code not in MESSAGES] == []


def test_every_literal_term_has_a_text() -> None:
    keys = []
    for path in sorted(QUIZ.rglob("*.py")):
        for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if _name(call) in ("Term", "named", "texts"):
                index = 2 if _name(call) == "texts" else 0
                key = _literal_at(call, index, "what")
                if key is not None:
                    keys.append(key)
    assert len(set(keys)) >= 20
    assert sorted(set(keys) - set(TERMS)) == []


def test_every_code_and_term_built_from_parts_has_a_text() -> None:
    """The names the validator builds: f"field_{key}", f"type_{kind}", the text variants."""
    assert {f"field_{name}" for name in LENGTH_LIMITS} <= set(TERMS)
    assert {f"type_{name}" for name in QUESTION_KINDS} <= set(TERMS)
    for entry in ("", "_entry"):
        assert f"text_empty{entry}" in MESSAGES
        for quote in ("", "_quote"):
            assert f"value_not_text{entry}{quote}" in MESSAGES
    assert {"field_version", "field_difficulty", "field_points", "field_time_limit"} <= set(TERMS)


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh"),
    ],
)
def test_the_terminals_language_follows_its_locale(
    environment: dict[str, str], language: str
) -> None:
    assert language_from_environment(environment) == language


def _doc_row(key: str, pair: tuple[str, str]) -> str:
    """A catalogue entry as docs/bank-format.md lists it (doubled braces written once)."""
    zh, en = (text.replace("{{", "{").replace("}}", "}") for text in pair)
    return f"| `{key}` | `{zh}` | `{en}` |"


def test_the_bank_format_lists_every_code_and_term_exactly() -> None:
    docs = (QUIZ.parent / "docs" / "bank-format.md").read_text(encoding="utf-8")
    section = docs.split("### Problem codes\n", 1)[1].split("\n## ", 1)[0]
    listed = [line for line in section.splitlines() if line.startswith("| `")]
    expected = [_doc_row(key, pair) for key, pair in core.MESSAGES.items()]
    expected += [_doc_row(key, pair) for key, pair in core.TERMS.items()]
    assert listed == expected
