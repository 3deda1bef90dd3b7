"""The quiz command: exit codes, messages, and the import/list/export cycle."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.cli import main
from tests.helpers import bank_text, question

BAD = Path(__file__).parent / "banks" / "bad"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def english_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """An English locale, so the commands speak English unless --lang says otherwise."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


@pytest.fixture
def bank_file(tmp_path: Path) -> Path:
    path = tmp_path / "sample.yaml"
    path.write_text(
        bank_text(question(id="a"), question(id="b", type="truefalse", options=None, answer=True)),
        encoding="utf-8",
    )
    return path


def test_validate_clean_file_exits_0(capsys: pytest.CaptureFixture[str], bank_file: Path) -> None:
    assert run(capsys, "validate", str(bank_file)) == (
        0,
        "1 file(s), 2 question(s): 0 error(s), 0 warning(s)\n",
        "",
    )


def test_validate_reports_each_problem_then_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(BAD / "unknown-key-typo.yaml"))
    assert code == 1
    assert out.splitlines()[-1] == "1 file(s), 0 question(s): 2 error(s), 0 warning(s) in 1 file(s)"
    assert out.splitlines()[0].startswith(f"{BAD / 'unknown-key-typo.yaml'}:8:5: error:")


TYPO = BAD / "unknown-key-typo.yaml"
TYPO_EN = [
    f"{TYPO}:8:5: error: question 'q1' is missing 'answer' [missing_key]",
    f"{TYPO}:12:5: error: unknown key 'anwser' in question 'q1' (did you mean 'answer'?) "
    "[unknown_key_suggest]",
    "1 file(s), 0 question(s): 2 error(s), 0 warning(s) in 1 file(s)",
]
TYPO_ZH = [
    f"{TYPO}:8:5: 错误: 题目“q1”缺少“answer”：请补上这一项 [missing_key]",
    f"{TYPO}:12:5: 错误: 题目“q1”里有未知的键“anwser”：是不是想写“answer”？ [unknown_key_suggest]",
    "1 个文件，0 道题：2 个错误，0 个警告（在 1 个文件中）",
]


@pytest.mark.parametrize(
    ("environment", "flag", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, [], TYPO_EN),
        ({"LANG": "zh_CN.UTF-8"}, [], TYPO_ZH),
        ({"LANG": "C.UTF-8"}, [], TYPO_ZH),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, [], TYPO_EN),
        ({"LANG": "zh_CN.UTF-8"}, ["--lang", "en"], TYPO_EN),
        ({"LANG": "en_US.UTF-8"}, ["--lang", "zh"], TYPO_ZH),
    ],
)
def test_validate_speaks_the_language_asked_else_the_locales(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    flag: list[str],
    expected: list[str],
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    code, out, _ = run(capsys, "validate", *flag, str(TYPO))
    assert (code, out.splitlines()) == (1, expected)


def test_import_speaks_chinese_when_asked(
    capsys: pytest.CaptureFixture[str], bank_file: Path, isolated_environment: Path
) -> None:
    bad = BAD / "answer-not-among-options.yaml"
    code, out, _ = run(capsys, "import", "--lang", "zh", "--dry-run", str(bank_file), str(bad))
    assert code == 1
    assert out.splitlines() == [
        f"{bad}:12:13: 错误: 答案“1922年”不在选项中：请写选项原文或字母 A–D [answer_not_option]",
        "试运行，没有导入任何内容：",
        f"sample（{bank_file}）：新增 2，修改 0，未变 0，停用 0",
        f"未导入 {bad}：有 1 个错误，什么都没有导入",
    ]


def test_an_unknown_language_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--lang", "fr", str(TYPO)])
    assert caught.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_validate_a_whole_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(BAD))
    assert code == 1
    assert f"{len(list(BAD.glob('*.yaml')))} file(s)" in out.splitlines()[-1]


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "validate", str(tmp_path / "missing.yaml"))[0] == 2
    with pytest.raises(SystemExit) as caught:
        main(["validate"])
    assert caught.value.code == 2


def test_import_list_export_cycle(
    capsys: pytest.CaptureFixture[str],
    bank_file: Path,
    tmp_path: Path,
    isolated_environment: Path,
) -> None:
    code, out, _ = run(capsys, "import", "--dry-run", str(bank_file))
    assert (code, out) == (
        0,
        "dry run, nothing imported:\n"
        f"sample ({bank_file}): 2 added, 0 changed, 0 unchanged, 0 retired\n",
    )
    code, out, _ = run(capsys, "import", str(bank_file))
    assert (code, out) == (0, f"sample ({bank_file}): 2 added, 0 changed, 0 unchanged, 0 retired\n")
    assert run(capsys, "import", str(bank_file))[1].endswith(
        "0 added, 0 changed, 2 unchanged, 0 retired\n"
    )
    code, out, _ = run(capsys, "banks")
    assert code == 0
    _header, row = out.splitlines()
    assert row.split()[:4] == ["sample", "1", "2", "0"]
    exported = tmp_path / "out.yaml"
    assert run(capsys, "export", "sample", "-o", str(exported))[0] == 0
    assert run(capsys, "import", str(exported))[1].endswith("2 unchanged, 0 retired\n")
    assert (isolated_environment / "leitai.sqlite3").is_file()


def test_import_refuses_a_bad_bank_whole(
    capsys: pytest.CaptureFixture[str], bank_file: Path, isolated_environment: Path
) -> None:
    bad = BAD / "answer-not-among-options.yaml"
    code, out, _ = run(capsys, "import", str(bank_file), str(bad))
    assert code == 1
    assert f"refused {bad}: 1 error(s); nothing imported" in out
    assert run(capsys, "banks")[1].count("\n") == 2  # header and the good bank only


def test_import_refuses_one_bank_id_in_two_files(
    capsys: pytest.CaptureFixture[str],
    bank_file: Path,
    tmp_path: Path,
    isolated_environment: Path,
) -> None:
    twin = tmp_path / "twin.yaml"
    twin.write_text(bank_text(question(id="z", text="另一道题？")), encoding="utf-8")
    code, out, _ = run(capsys, "import", str(bank_file), str(twin))
    assert code == 1
    assert out.count("is in more than one of the files given") == 2
    assert run(capsys, "banks")[1] == "no banks yet: load one with 'quiz import FILE'\n"


def test_export_unknown_bank(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    code, _, err = run(capsys, "export", "nope")
    assert code == 1
    assert "no bank 'nope'" in err


def test_unreachable_database_is_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "banks", "--database", "postgresql+psycopg://nobody@127.0.0.1:1/x")
    assert code == 1
    assert err.startswith("quiz banks: cannot use the database: OperationalError")


def test_console_script_never_prints_a_traceback() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "quiz.cli", "validate", str(BAD)],
        env={**os.environ, "LANG": "en_US.UTF-8"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stdout + completed.stderr
    assert completed.stdout.count(": error: ") >= len(list(BAD.glob("*.yaml")))


KNOWN = (
    "the known formats are yaml (.yaml, .yml), xlsx (.xlsx), csv (.csv), docx (.docx), "
    "txt (.txt), gift (.gift), aiken (.aiken), moodle-xml (.xml)"
)


def test_a_file_no_format_claims_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], bank_file: Path
) -> None:
    notes = bank_file.rename(bank_file.with_suffix(".md"))
    for command in ("validate", "import"):
        assert run(capsys, command, str(notes)) == (
            2,
            "",
            f"quiz {command}: {notes}: No bank format reads “.md” files; {KNOWN}\n",
        )
    assert run(capsys, "validate", "--format", "yaml", str(notes)) == (
        0,
        "1 file(s), 2 question(s): 0 error(s), 0 warning(s)\n",
        "",
    )


def test_an_unknown_format_name_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], bank_file: Path, isolated_environment: Path
) -> None:
    for args in (("validate", str(bank_file)), ("import", str(bank_file)), ("export", "x")):
        assert run(capsys, *args, "--format", "excel") == (
            2,
            "",
            f"quiz {args[0]}: No bank format is called “excel”; {KNOWN}\n",
        )
    assert not isolated_environment.exists()


def test_a_usage_error_speaks_the_language_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.yaml"
    assert run(capsys, "validate", "--lang", "zh", str(missing)) == (
        2,
        "",
        f"quiz validate: {missing}：没有这个文件或文件夹\n",
    )
    assert run(capsys, "validate", "--lang", "zh", "--format", "excel", str(missing)) == (
        2,
        "",
        "quiz validate: 没有名为“excel”的题库格式：已知的格式有 " + KNOWN.split(" are ")[1] + "\n",
    )
    assert run(capsys, "validate", str(missing)) == (
        2,
        "",
        f"quiz validate: {missing}: no such file or folder\n",
    )


def test_format_chooses_how_import_reads_and_export_writes(
    capsys: pytest.CaptureFixture[str],
    bank_file: Path,
    tmp_path: Path,
    isolated_environment: Path,
) -> None:
    notes = bank_file.rename(bank_file.with_suffix(".md"))
    assert run(capsys, "import", "--format", "yaml", str(notes))[:2] == (
        0,
        f"sample ({notes}): 2 added, 0 changed, 0 unchanged, 0 retired\n",
    )
    code, standard_output, _ = run(capsys, "export", "sample")
    assert code == 0
    assert standard_output.startswith("# yaml-language-server: $schema=bank.schema.json\n")
    assert run(capsys, "export", "sample", "--format", "yaml")[1] == standard_output
    refused = tmp_path / "out.md"
    assert run(capsys, "export", "sample", "-o", str(refused)) == (
        2,
        "",
        f"quiz export: {refused}: No bank format reads “.md” files; {KNOWN}\n",
    )
    assert not refused.exists()
    assert run(capsys, "export", "sample", "-o", str(refused), "--format", "yaml")[0] == 0
    assert refused.read_text(encoding="utf-8") == standard_output
    by_extension = tmp_path / "out.YML"
    assert run(capsys, "export", "sample", "-o", str(by_extension))[0] == 0
    assert by_extension.read_text(encoding="utf-8") == standard_output
    assert run(capsys, "import", str(by_extension))[1].endswith("2 unchanged, 0 retired\n")
