"""The documented systemd unit (deploy/systemd/leitai@.service) is one systemd accepts as written,
with its command pointed at this checkout's `quiz` (docs/deploy.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import need_service

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "leitai@.service"


def test_systemd_finds_nothing_wrong_with_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        need_service("systemd-analyze", "Debian's systemd package is not installed")
        return
    quiz = Path(sys.executable).with_name("quiz")
    text = UNIT.read_text(encoding="utf-8")
    assert "ExecStart=/opt/leitai/venv/bin/quiz serve --host 127.0.0.1 --port %i" in text
    (tmp_path / UNIT.name).write_text(
        text.replace("/opt/leitai/venv/bin/quiz", str(quiz)), encoding="utf-8"
    )
    # verify exits 0 even for a setting it ignores, so anything it says is a failure here.
    checked = subprocess.run(
        [analyze, "verify", "--man=no", str(tmp_path / "leitai@5001.service")],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")
