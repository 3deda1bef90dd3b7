"""Backups: a running contest moves from SQLite to PostgreSQL and back, and a restored server
carries on; a bad file or a used database is refused with a code."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from quiz.app import Services, build_services
from quiz.app.contest_setup import build_contest
from quiz.app.lobby import seat_of
from quiz.cli import main
from quiz.engine.commands import OpenQuestion, StartRound
from quiz.storage.backup import BackupError, restore_backup, write_backup
from quiz.storage.db import make_engine, migrate, session_factory
from quiz.storage.models import Base
from tests.helpers import join_with_code
from tests.web.practice_fixtures import import_bundled_banks

TEMPLATES = Path(__file__).parent.parent / "web" / "templates"


def services_on(engine: Engine) -> Services:
    return build_services(session_factory(engine), clock_ms=lambda: 5_000)


def everything(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Engine, str, str]:
    """A SQLite database with the bundled banks, a contest in its first round, a member seated."""
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    import_bundled_banks(url)
    engine = make_engine(url)
    services = services_on(engine)
    code = build_contest(
        services.contests, title="备份赛", template="mini", seed=3, bank_ids=["party-history"]
    ).code
    token = join_with_code(services.contests, code, "lhasa", "扎西")["seat"]
    services.contests.execute(code, lambda at: StartRound(at=at))
    services.contests.execute(code, lambda at: OpenQuestion(at=at))
    return engine, code, token


def test_a_running_contest_moves_to_postgresql_and_back_unchanged(
    running: tuple[Engine, str, str], postgres_url: str, tmp_path: Path
) -> None:
    source, code, token = running
    backup = tmp_path / "leitai.backup.gz"
    written = write_backup(source, backup)
    assert written.rows["contest_commands"] == 3
    target = make_engine(postgres_url)
    migrate(target)
    try:
        restored = restore_backup(target, backup)
        assert restored == written
        assert everything(target) == everything(source)
        before, after = services_on(source), services_on(target)
        assert after.contests.snapshot_of(code) == before.contests.snapshot_of(code)
        seat = seat_of(after.contests, token)
        assert seat is not None
        assert seat.player_name == "扎西"
        # New rows get fresh ids: the sequences were moved past the restored ones.
        assert join_with_code(after.contests, code, "lhasa", "卓玛")["team"] == "lhasa"
        again = tmp_path / "again.backup.gz"
        write_backup(target, again)
        back = make_engine(f"sqlite:///{tmp_path / 'back.sqlite3'}")
        migrate(back)
        restore_backup(back, again)
        assert everything(back) == everything(target)
        back.dispose()
    finally:
        target.dispose()


def test_a_used_database_is_refused_and_keeps_its_rows(
    running: tuple[Engine, str, str], tmp_path: Path
) -> None:
    source, _, _ = running
    backup = tmp_path / "leitai.backup.gz"
    write_backup(source, backup)
    rows = everything(source)
    with pytest.raises(BackupError) as refused:
        restore_backup(source, backup)
    assert refused.value.code == "restore_not_empty"
    assert everything(source) == rows


def test_a_damaged_or_foreign_file_is_refused_and_restores_nothing(
    running: tuple[Engine, str, str], tmp_path: Path
) -> None:
    source, _, _ = running
    good = tmp_path / "good.backup.gz"
    write_backup(source, good)
    lines = gzip.decompress(good.read_bytes()).decode("utf-8").splitlines()
    truncated = tmp_path / "truncated.backup.gz"
    # Cut inside the command log: the rows before it must not stay behind.
    cut = next(i for i, line in enumerate(lines) if '"table":"contest_commands"' in line)
    truncated.write_bytes(gzip.compress("\n".join(lines[: cut + 2]).encode()[:-5]))
    foreign = tmp_path / "foreign.backup.gz"
    foreign.write_bytes(gzip.compress(json.dumps({"format": "other"}).encode()))
    plain = tmp_path / "plain.txt"
    plain.write_text("not gzip", encoding="utf-8")
    for path, code in (
        (truncated, "backup_unreadable"),
        (foreign, "backup_unreadable"),
        (plain, "backup_unreadable"),
    ):
        target = make_engine(f"sqlite:///{tmp_path / (path.stem + '.sqlite3')}")
        migrate(target)
        with pytest.raises(BackupError) as refused:
            restore_backup(target, path)
        assert refused.value.code == code
        assert all(not rows for rows in everything(target).values())
        target.dispose()


def test_the_commands_back_up_and_restore_with_a_summary(
    running: tuple[Engine, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, _, _ = running
    backup = tmp_path / "cli.backup.gz"
    assert main(["backup", str(backup), "--database", str(source.url)]) == 0
    assert "contest_commands 3" in capsys.readouterr().out
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert main(["restore", str(backup), "--database", fresh]) == 0
    assert capsys.readouterr().out.startswith(f"restored {backup}")
    assert main(["restore", str(backup), "--database", fresh]) == 2
    assert "[restore_not_empty]" in capsys.readouterr().err
