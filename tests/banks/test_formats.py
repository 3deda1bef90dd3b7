"""Bank formats: the registry, choosing a format, and YAML through the one interface."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from quiz.banks import formats
from quiz.banks.formats import (
    BankFormat,
    FileReport,
    FormatRegistry,
    UnknownFormat,
    UsageError,
    format_for,
    format_named,
    known_extensions,
    read_bank,
)
from quiz.banks.formats.yaml_format import YamlFormat
from quiz.banks.loader import find_bank_files, validate_paths
from quiz.banks.model import Bank, bank_header_to_dict, question_to_dict
from quiz.resources import bundled_banks_dir
from quiz.texts import core as core_texts
from quiz.texts import formats as formats_texts
from quiz.yamlsource import MAX_BYTES
from tests.banks.test_export import banks
from tests.helpers import bank_text, question

BAD = Path(__file__).with_name("bad")
KNOWN = (
    "yaml (.yaml, .yml), xlsx (.xlsx), csv (.csv), docx (.docx), "
    "txt (.txt), gift (.gift), aiken (.aiken), moodle-xml (.xml)"
)


class JsonFormat:
    """A second format as a new module would write one: JSON is YAML, so it reads as YAML."""

    name = "json"
    extensions: tuple[str, ...] = (".json",)

    def read(self, data: bytes, filename: str) -> FileReport:
        return YamlFormat().read(data, filename)

    def write(self, bank: Bank) -> bytes:
        document = {
            "bank": bank_header_to_dict(bank),
            "questions": [question_to_dict(question) for question in bank.questions],
        }
        return json.dumps(document, ensure_ascii=False, default=str).encode("utf-8")


@pytest.fixture
def with_json(monkeypatch: pytest.MonkeyPatch) -> FormatRegistry:
    """The registry with JSON added, for this test only."""
    registry = FormatRegistry([YamlFormat(), JsonFormat()])
    monkeypatch.setattr(formats, "REGISTRY", registry)
    return registry


def test_yaml_is_registered_under_its_name_and_extensions() -> None:
    assert [bank_format.name for bank_format in formats.REGISTRY.formats] == [
        "yaml",
        "xlsx",
        "csv",
        "docx",
        "txt",
        "gift",
        "aiken",
        "moodle-xml",
    ]
    assert known_extensions() == (
        ".yaml",
        ".yml",
        ".xlsx",
        ".csv",
        ".docx",
        ".txt",
        ".gift",
        ".aiken",
        ".xml",
    )
    assert known_extensions("yaml") == (".yaml", ".yml")
    assert isinstance(format_named("yaml"), YamlFormat)


@pytest.mark.parametrize("filename", ["a.yaml", "dir/b.yml", "C.YAML", "d.Yml"])
def test_the_extension_chooses_the_format_in_any_letter_case(filename: str) -> None:
    assert format_for(filename).name == "yaml"


def test_a_name_chooses_the_format_whatever_the_extension(with_json: FormatRegistry) -> None:
    assert format_for("bank.json").name == "json"
    assert format_for("bank.json", "yaml").name == "yaml"
    assert format_for("notes.txt", "json").name == "json"
    assert known_extensions() == (".yaml", ".yml", ".json")
    assert known_extensions("json") == (".json",)


def test_unknown_extension_or_name_is_a_usage_error_naming_the_formats() -> None:
    with pytest.raises(UsageError) as caught:
        format_for("bank.pdf")
    assert (
        str(caught.value)
        == f"bank.pdf: No bank format reads “.pdf” files; the known formats are {KNOWN}"
    )
    with pytest.raises(UnknownFormat) as caught:
        format_for("bank", None)
    assert str(caught.value) == (
        "bank: The file name “bank” has no extension to choose a bank format by; "
        f"the known formats are {KNOWN}"
    )
    with pytest.raises(UnknownFormat) as caught:
        format_for("bank.yaml", "excel")
    assert str(caught.value) == f"No bank format is called “excel”; the known formats are {KNOWN}"
    with pytest.raises(UnknownFormat):
        known_extensions("excel")


def test_registry_refuses_a_name_or_extension_twice() -> None:
    registry = FormatRegistry([YamlFormat()])
    with pytest.raises(ValueError, match="named 'yaml' is already registered"):
        registry.register(YamlFormat())

    class Clash(JsonFormat):
        extensions = (".json", ".yml")

    with pytest.raises(ValueError, match=r"'\.yml' files are already read by the yaml format"):
        registry.register(Clash())

    class Shouting(JsonFormat):
        extensions = (".JSON",)

    with pytest.raises(ValueError, match="must be lower-case"):
        registry.register(Shouting())
    assert [bank_format.name for bank_format in registry.formats] == ["yaml"]


def test_yaml_round_trip_through_the_interface() -> None:
    yaml_format: BankFormat = format_named("yaml")
    text = bank_text(
        question(id="a"), question(id="b", type="truefalse", options=None, answer=True)
    )
    first = yaml_format.read(text.encode("utf-8"), "in.yaml")
    assert first.problems == []
    assert first.bank is not None
    written = yaml_format.write(first.bank)
    assert written.startswith(b"# yaml-language-server: $schema=bank.schema.json\n")
    again = yaml_format.read(written, "out.yaml")
    assert (again.bank, again.problems) == (first.bank, [])
    assert again.bank is not None
    assert yaml_format.write(again.bank) == written


@settings(max_examples=40)
@given(banks())
def test_any_valid_bank_written_reads_back_equal(bank: Bank) -> None:
    report = read_bank(format_named("yaml").write(bank), "any.yaml")
    assert (report.bank, report.problems) == (bank, [])


@pytest.mark.parametrize("path", sorted(bundled_banks_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_banks_survive_a_round_trip(path: Path) -> None:
    report = read_bank(path.read_bytes(), path.name)
    assert report.bank is not None, report.errors
    rewritten = read_bank(format_for(path.name).write(report.bank), path.name)
    assert rewritten.bank == report.bank


@pytest.mark.parametrize("path", sorted(BAD.glob("*.yaml")), ids=lambda path: path.stem)
def test_a_bad_file_gives_its_exact_problems_not_an_exception(path: Path) -> None:
    # The YAML corpus keeps English lines in .expected and Chinese ones in .zh.expected.
    english = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    chinese = path.with_suffix(".zh.expected").read_text(encoding="utf-8").splitlines()
    report = read_bank(path.read_bytes(), path.name)
    assert [problem.line_text("en") for problem in report.problems] == english
    assert [str(problem) for problem in report.problems] == chinese
    assert report.bank is None


@pytest.mark.parametrize(
    ("data", "where", "code"),
    [
        (b"", "1:1", "bank_file_empty"),
        (b"bank: [\n", "2:1", "yaml_syntax"),
        (b"bank:\n  id: \xff\n", "2:7", "not_utf8"),
        (b"\x00\x01\x02", "1:1", "yaml_control_character"),
    ],
)
def test_garbage_gives_a_positioned_problem(data: bytes, where: str, code: str) -> None:
    report = read_bank(data, "junk.yaml")
    assert report.bank is None
    # The sentences are the YAML reader's, checked by its own tests.
    assert str(report.errors[0]).startswith(f"junk.yaml:{where}: 错误: ")
    assert report.errors[0].code == code


def test_read_bank_turns_an_unclaimed_extension_into_a_problem() -> None:
    report = read_bank(bank_text().encode("utf-8"), "upload.pdf")
    assert report.bank is None
    assert [str(problem) for problem in report.problems] == [
        f"upload.pdf:1:1: 错误: 没有哪种题库格式读取扩展名为“.pdf”的文件：已知的格式有 {KNOWN}"
        " [unknown_format]"
    ]
    assert [problem.text("en") for problem in report.problems] == [
        f"No bank format reads “.pdf” files; the known formats are {KNOWN}"
    ]
    bare = read_bank(b"", "folder/README", format_name=None)
    assert [problem.message for problem in bare.problems] == [
        f"文件名“README”没有扩展名，无法据此选择题库格式：已知的格式有 {KNOWN}"
    ]
    named = read_bank(bank_text().encode("utf-8"), "upload.pdf", format_name="yaml")
    assert named.problems == []
    assert named.bank is not None
    unknown = read_bank(b"", "a.yaml", format_name="word")
    assert [problem.message for problem in unknown.problems] == [
        f"没有名为“word”的题库格式：已知的格式有 {KNOWN}"
    ]
    assert [problem.text("en") for problem in unknown.problems] == [
        f"No bank format is called “word”; the known formats are {KNOWN}"
    ]


def test_read_bank_applies_the_size_limit_it_is_given() -> None:
    data = bank_text().encode("utf-8")
    [problem] = read_bank(data, "big.yaml", max_bytes=len(data) - 1).problems
    assert (problem.line, problem.column, problem.severity) == (1, 1, "error")
    assert (problem.code, problem.message) == (
        "file_too_large",
        "文件有 0.0 MB，超过 0.0 MB 的上限",
    )
    assert problem.text("en") == "The file is 0.0 MB; the limit is 0.0 MB"
    assert read_bank(data, "big.yaml", max_bytes=len(data)).bank is not None


def test_a_limit_above_the_default_is_honoured() -> None:
    data = b"#" + b"x" * MAX_BYTES
    [problem] = read_bank(data, "big.yaml", max_bytes=len(data)).problems
    assert problem.code == "bank_file_empty"


def test_folder_scans_find_every_registered_format(
    tmp_path: Path, with_json: FormatRegistry
) -> None:
    (tmp_path / "a.yaml").write_text(bank_text(), encoding="utf-8")
    (tmp_path / "b.JSON").write_text("{}", encoding="utf-8")
    (tmp_path / "c.txt").write_text("not a bank", encoding="utf-8")
    assert find_bank_files([str(tmp_path)]) == [str(tmp_path / "a.yaml"), str(tmp_path / "b.JSON")]
    assert find_bank_files([str(tmp_path)], "json") == [str(tmp_path / "b.JSON")]
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match=r"no bank files \(\*\.json\) in .*empty$"):
        find_bank_files([str(tmp_path / "empty")], "json")


def test_each_file_is_read_in_its_own_format(tmp_path: Path, with_json: FormatRegistry) -> None:
    yaml_path = tmp_path / "a.yaml"
    yaml_path.write_text(bank_text(question(id="a")), encoding="utf-8")
    bank = read_bank(yaml_path.read_bytes(), "a.yaml").bank
    assert bank is not None
    json_path = tmp_path / "b.json"
    json_path.write_bytes(JsonFormat().write(bank))
    first, second = validate_paths([str(yaml_path), str(json_path)])
    assert second.bank == first.bank == bank
    [warning] = second.warnings
    assert warning.message.startswith("题目“a”与“a”")


def test_a_named_file_no_format_claims_is_a_usage_error(tmp_path: Path) -> None:
    notes = tmp_path / "bank.md"
    notes.write_text(bank_text(), encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        find_bank_files([str(notes)])
    assert (
        str(caught.value)
        == f"{notes}: No bank format reads “.md” files; the known formats are {KNOWN}"
    )
    [report] = validate_paths([str(notes)], format_name="yaml")
    assert report.bank is not None


def _doc_row(key: str, pair: tuple[str, str]) -> str:
    """A catalogue entry as docs/bank-format.md lists it (doubled braces written once)."""
    zh, en = (text.replace("{{", "{").replace("}}", "}") for text in pair)
    return f"| `{key}` | `{zh}` | `{en}` |"


def test_the_bank_format_lists_every_reader_code_and_term_exactly() -> None:
    docs = Path("docs/bank-format.md").read_text(encoding="utf-8")
    heading = "## Problems found while reading Excel, CSV, Word, text and Moodle files\n"
    section = docs.split(heading, 1)[1].split("\n## ", 1)[0]
    listed = [line for line in section.splitlines() if line.startswith("| `")]
    expected = [_doc_row(key, pair) for key, pair in formats_texts.MESSAGES.items()]
    expected += [_doc_row(key, pair) for key, pair in formats_texts.TERMS.items()]
    assert listed == expected


def test_the_readers_codes_and_terms_do_not_shadow_the_validators() -> None:
    # Both catalogues share one namespace; an entry in both would silently replace the other.
    assert not formats_texts.MESSAGES.keys() & core_texts.MESSAGES.keys()
    assert not formats_texts.TERMS.keys() & core_texts.TERMS.keys()
