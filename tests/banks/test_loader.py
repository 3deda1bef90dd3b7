"""Finding bank files and warning on near-duplicates across them."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.banks.loader import UsageError, find_bank_files, validate_paths
from tests.helpers import bank_text, question


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_folders_are_searched_in_a_stable_order(tmp_path: Path) -> None:
    write(tmp_path / "b" / "two.yml", bank_text())
    write(tmp_path / "a.yaml", bank_text())
    write(tmp_path / "notes.md", "not a bank")
    assert find_bank_files([str(tmp_path)]) == [
        str(tmp_path / "a.yaml"),
        str(tmp_path / "b" / "two.yml"),
    ]


def test_missing_path_and_empty_folder_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        find_bank_files([str(tmp_path / "nope.yaml")])
    with pytest.raises(UsageError, match="no bank files"):
        find_bank_files([str(tmp_path)])


def test_near_duplicates_across_banks_are_warned_with_both_places(tmp_path: Path) -> None:
    first = write(tmp_path / "one.yaml", bank_text(question(id="a"), question(id="b", text="x？")))
    second = write(
        tmp_path / "two.yaml",
        bank_text(question(id="c", text="中国共产党第一次全国代表大会于哪一年召开"), id="other"),
    )
    reports = validate_paths([str(first), str(second)])
    assert reports[0].warnings == []
    [warning] = reports[1].warnings
    assert warning.line_text("en") == (
        f"{second}:9:3: warning: question 'c' is nearly the same as 'a' ({first}:9), 100% alike"
        " [near_duplicate]"
    )
    assert str(warning) == (
        f"{second}:9:3: 警告: 题目“c”与“a”（{first}:9）几乎相同，相似度 100% [near_duplicate]"
    )
