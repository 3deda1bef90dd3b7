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
    assert [str(problem) for problem in located.problems] == [
        "d.yaml:3:1: error: key 'a' appears twice in this mapping (first at line 1 column 1); "
        "the first one is used"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x 1\nb: *x\n", "anchor &x is not allowed"),
        ("a: !!python/name:os.system ''\n", "is not allowed: banks hold plain data"),
        ("a: !custom 1\n", "the tag !custom is not allowed"),
        ("[" * 40 + "]" * 40, "nesting deeper than 32 levels"),
        ("a: 1\n---\nb: 2\n", "more than one YAML document"),
        ("? [a, b]\n: 1\n", "a mapping key must be plain text"),
        ("a: 2026-13-45\n", "cannot read the value '2026-13-45'"),
    ],
)
def test_refuses_unsafe_or_malformed_text(text: str, message: str) -> None:
    with pytest.raises(YamlSourceError) as caught:
        load_yaml(text, "bad.yaml")
    assert message in str(caught.value)
    assert all(problem.file == "bad.yaml" for problem in caught.value.problems)


def test_billion_laughs_is_refused_before_expansion() -> None:
    lines = ['a: &a ["lol"]'] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(12)
    ]
    with pytest.raises(YamlSourceError, match="anchor &a is not allowed"):
        load_yaml("\n".join(lines), "bomb.yaml")


def test_very_deep_nesting_does_not_recurse() -> None:
    # libyaml's own depth limit (1,000) may speak first; either way it is a nesting refusal.
    with pytest.raises(YamlSourceError, match="nesting"):
        load_yaml("[" * 100_000 + "]" * 100_000, "deep.yaml")


def test_decode_accepts_bom_and_refuses_other_encodings() -> None:
    assert decode_source("\ufeffa: 题".encode(), "f.yaml") == "a: 题"
    with pytest.raises(YamlSourceError, match=r"f.yaml:2:4: error: file is not UTF-8 text"):
        decode_source("a: 1\nb: 党史".encode("gbk"), "f.yaml")


def test_decode_refuses_oversized_input() -> None:
    with pytest.raises(YamlSourceError, match=r"file is 0\.0 MB; the limit is 0\.0 MB"):
        decode_source(b"a: 1\n" * 10, "big.yaml", max_bytes=10)


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
