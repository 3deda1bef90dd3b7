"""A plain (non-editable) install finds its banks, templates and static files from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    [built] = out.glob("leitai-*.whl")
    return built


def test_wheel_carries_the_data_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "quiz/_data/question_banks/bank.schema.json" in names
    assert "quiz/_data/templates/index.html" in names
    assert "quiz/_data/static/leitai.css" in names
    assert "quiz/_data/contest_templates/classic.yaml" in names
    assert any(name.startswith("quiz/storage/migrations/versions/0001") for name in names)


def test_installed_package_works_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=600,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(target), "QUIZ_DATA_DIR": str(tmp_path)}
    probe = (
        "import quiz.resources as r, quiz.web as w; "
        "print(r.bundled_banks_dir()); print(r.resource_dir('templates')); "
        "print(r.resource_dir('static'))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    banks, templates, static = (Path(line) for line in completed.stdout.splitlines())
    for folder in (banks, templates, static):
        assert folder.is_relative_to(target), folder
        assert any(folder.iterdir())
    validated = subprocess.run(
        [sys.executable, "-m", "quiz.cli", "validate", str(banks)],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
