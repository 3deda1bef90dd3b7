"""The located YAML loader: plain data out, positions on demand, unsafe input refused."""

from __future__ import annotations

import datetime as dt

import pytest

from quiz.yamlsource import MAX_KEYS, MAX_PROBLEMS, YamlSourceError, decode_source, load_yaml

TEXT = """\
bank:
  id: x
questions:
  - id: a
    answer: [1, "2"]
  - when: 2026-11-29
"""


def test_loads_plain_values() -> None:
    located = load_yaml(TEXT, "t.yaml")
    assert located.data == {
        "bank": {"id": "x"},
        "questions": [{"id": "a", "answer": [1, "2"]}, {"when": dt.date(2026, 11, 29)}],
    }
    assert located.problems == []


def test_positions_of_values_and_keys() -> None:
    located = load_yaml(TEXT, "t.yaml")
    assert located.position(("questions", 0, "answer", 1)) == (5, 17)
    assert located.position(("questions", 1, "when")) == (6, 11)
    assert located.positions([("questions", 1, "when")], of_keys=True) == {
        ("questions", 1, "when"): (6, 5)
    }


def test_missing_path_falls_back_to_nearest_ancestor() -> None:
    located = load_yaml(TEXT, "t.yaml")
    assert located.position(("questions", 0, "nothing", 3)) == located.position(("questions", 0))


def test_duplicate_key_is_reported_and_first_value_kept() -> None:
    located = load_yaml("a: 1\nb: 2\na: 3\n", "d.yaml")
    assert located.data == {"a": 1, "b": 2}
    assert [problem.line_text("en") for problem in located.problems] == [
        "d.yaml:3:1: error: key 'a' appears twice in this mapping (first at line 1 column 1); "
        "the first one is used [duplicate_key]"
    ]
    assert [str(problem) for problem in located.problems] == [
        "d.yaml:3:1: 错误: 键“a”在同一个映射里出现了两次（第一次在第 1 行第 1 列），"
        "只用第一个：请删掉或改名其中一个 [duplicate_key]"
    ]


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("a: &x 1\nb: *x\n", "yaml_anchor", "anchor &x is not allowed"),
        ("a: !!python/name:os.system ''\n", "yaml_tag", "is not allowed: banks hold plain data"),
        ("a: !custom 1\n", "yaml_tag", "the tag !custom is not allowed"),
        ("[" * 40 + "]" * 40, "yaml_too_deep", "nesting deeper than 32 levels"),
        ("a: 1\n---\nb: 2\n", "yaml_documents", "more than one YAML document"),
        ("? [a, b]\n: 1\n", "yaml_complex_key", "a mapping key must be plain text"),
        ("a: 2026-13-45\n", "yaml_bad_value", "cannot read the value '2026-13-45'"),
    ],
)
def test_refuses_unsafe_or_malformed_text(text: str, code: str, message: str) -> None:
    with pytest.raises(YamlSourceError) as caught:
        load_yaml(text, "bad.yaml")
    [problem] = caught.value.problems
    assert (problem.file, problem.code) == ("bad.yaml", code)
    assert message in problem.text("en")


# Each slip PyYAML or libyaml reports in English reads in Chinese at the parser's line and column.
@pytest.mark.parametrize(
    ("text", "code", "where", "chinese"),
    [
        ("a: b: c\n", "yaml_colon_in_value", (1, 5), "值里有“冒号+空格”"),
        ("a:\n\t- b\n", "yaml_tab", (2, 1), "制表符（Tab）：请用空格缩进"),
        ("a: @x\n", "yaml_bad_character", (1, 4), "值不能以“@”开头：请给整个值加上引号"),
        ("a:\n  b: 1\n c: 2\n", "yaml_indentation", (3, 2), "缩进没有对齐"),
        ('a: "abc\nb: 1\n', "yaml_unclosed_quote", (3, 1), "第 1 行第 4 列开始的引号没有闭合"),
        ("a: [1, 2\nb: 3\n", "yaml_unclosed_bracket", (2, 2), "第 1 行第 4 列开始的方括号 ["),
        ("a: {x: 1\n", "yaml_unclosed_brace", (2, 1), "开始的花括号 { 没有闭合"),
        ('a: "\\q"\n', "yaml_bad_escape", (1, 5), "反斜杠 \\ 后面不是合法的转义"),
        ("a: b\nc\nd: e\n", "yaml_missing_colon", (3, 1), "找不到键后面的冒号"),
        ("%FOO\n---\na: 1\n", "yaml_syntax", (1, 5), "YAML 语法错误"),
    ],
)
def test_syntax_errors_are_coded_and_read_in_chinese(
    text: str, code: str, where: tuple[int, int], chinese: str
) -> None:
    with pytest.raises(YamlSourceError) as caught:
        load_yaml(text, "s.yaml")
    [problem] = caught.value.problems
    assert (problem.code, (problem.line, problem.column)) == (code, where)
    assert chinese in problem.message
    # The parser's own English never reaches a Chinese reader.
    assert not any(word in problem.message for word in ("found", "expected", "while", "scanning"))
    assert problem.text("en").startswith("malformed YAML: ")


def test_billion_laughs_is_refused_before_expansion() -> None:
    lines = ['a: &a ["lol"]'] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(12)
    ]
    with pytest.raises(YamlSourceError, match="不允许使用锚点 &a"):
        load_yaml("\n".join(lines), "bomb.yaml")


def test_very_deep_nesting_does_not_recurse() -> None:
    # libyaml's own depth limit (1,000) may speak first; either way it is a nesting refusal.
    with pytest.raises(YamlSourceError, match="嵌套超过 32 层"):
        load_yaml("[" * 100_000 + "]" * 100_000, "deep.yaml")


def test_decode_accepts_bom_and_refuses_other_encodings() -> None:
    assert decode_source("\ufeffa: 题".encode(), "f.yaml") == "a: 题"
    with pytest.raises(YamlSourceError) as refused:
        decode_source("a: 1\nb: 党史".encode("gbk"), "f.yaml")
    [problem] = refused.value.problems
    assert problem.line_text("en").startswith("f.yaml:2:4: error: file is not UTF-8 text")
    assert str(problem) == (
        "f.yaml:2:4: 错误: 文件不是 UTF-8 文本（此处是字节 0xB5）：请用 UTF-8 编码另存 [not_utf8]"
    )


def test_decode_refuses_oversized_input() -> None:
    with pytest.raises(YamlSourceError) as refused:
        decode_source(b"a: 1\n" * 10, "big.yaml", max_bytes=10)
    [problem] = refused.value.problems
    assert problem.code == "file_too_large"
    assert problem.text("en") == "The file is 0.0 MB; the limit is 0.0 MB"


def test_a_mapping_past_the_key_limit_stops_the_load_there() -> None:
    text = "".join(f"k{n}: {n}\n" for n in range(MAX_KEYS + 5))
    with pytest.raises(YamlSourceError) as refused:
        load_yaml(text, "keys.yaml")
    [problem] = refused.value.problems
    assert (problem.line, problem.column, problem.code) == (MAX_KEYS + 1, 1, "too_many_keys")
    assert problem.message.startswith(f"一个映射里的键超过 {MAX_KEYS} 个")


def test_repeated_keys_past_the_problem_cap_are_counted_not_listed() -> None:
    text = "questions:\n" + "  a: 1\n" * (MAX_PROBLEMS + 31)
    located = load_yaml(text, "dup.yaml")
    assert len(located.problems) == MAX_PROBLEMS
    assert located.unlisted == 30
