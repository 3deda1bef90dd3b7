"""Backups that move between databases: every table as gzip'd JSON lines, restored into an
empty database at the same schema revision (SQLite to PostgreSQL and back).

A backup is taken inside one read transaction, so it is a consistent picture even while a
contest runs. The command log's append-only triggers forbid only UPDATE and DELETE, so a
restore, which only inserts, passes them.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, Table, func, insert, select, text

from quiz.storage.models import Base

FORMAT = "leitai-backup"
VERSION = 1
BATCH = 500


class BackupError(ValueError):
    """A backup cannot be written or restored: the message starts with its code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code = code


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a backup holds: the schema revision and the rows per table."""

    revision: str
    rows: dict[str, int]


def _revision(connection: Connection) -> str:
    current = MigrationContext.configure(connection).get_current_revision()
    if current is None:
        raise BackupError("backup_no_schema", "数据库尚未建表（没有迁移版本）")
    return current


def _plain(value: Any) -> Any:
    """A column value as JSON: dates and times as ISO text, the rest as they are."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _typed(table: Table) -> dict[str, type[Any]]:
    """The columns whose JSON text must turn back into dates and times."""
    kinds: dict[str, type[Any]] = {}
    for column in table.columns:
        try:
            python_type = column.type.python_type
        except NotImplementedError:
            continue
        if python_type in (dt.datetime, dt.date):
            kinds[column.name] = python_type
    return kinds


def write_backup(engine: Engine, path: Path) -> BackupSummary:
    """Write every table of the database to ``path``, in one consistent read."""
    rows: dict[str, int] = {}
    with engine.connect() as connection, gzip.open(path, "wt", encoding="utf-8") as out:
        revision = _revision(connection)
        _line(out, {"format": FORMAT, "version": VERSION, "revision": revision})
        for table in Base.metadata.sorted_tables:
            columns = [column.name for column in table.columns]
            _line(out, {"table": table.name, "columns": columns})
            order = [column for column in table.primary_key.columns]
            count = 0
            for row in connection.execute(select(table).order_by(*order)):
                _line(out, [_plain(value) for value in row])
                count += 1
            rows[table.name] = count
    return BackupSummary(revision, rows)


def _line(out: IO[str], value: object) -> None:
    out.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")


def restore_backup(engine: Engine, path: Path) -> BackupSummary:
    """Load a backup into an empty database migrated to the backup's revision, all or nothing."""
    lines = _read(path)
    header = next(lines, None)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("backup_unreadable", f"{path} 不是擂台的备份文件")
    if header.get("version") != VERSION:
        raise BackupError(
            "backup_version", f"{path} 的备份格式版本 {header.get('version')} 无法读取"
        )
    tables = {table.name: table for table in Base.metadata.sorted_tables}
    rows: dict[str, int] = {}
    with engine.begin() as connection:
        revision = _revision(connection)
        if header.get("revision") != revision:
            raise BackupError(
                "backup_revision",
                f"备份的数据库版本是 {header.get('revision')}，目标数据库是 {revision}；"
                "请先用同一版本的擂台建好目标数据库",
            )
        for existing in tables.values():
            if connection.scalar(select(func.count()).select_from(existing)):
                raise BackupError(
                    "restore_not_empty",
                    f"目标数据库的 {existing.name} 表已有数据，只能恢复到空数据库",
                )
        table: Table | None = None
        columns: list[str] = []
        kinds: dict[str, type[Any]] = {}
        batch: list[dict[str, Any]] = []
        for item in lines:
            if isinstance(item, dict):
                _flush(connection, table, batch)
                if item.get("table") not in tables:
                    raise BackupError("backup_unreadable", f"备份里有未知的表 {item.get('table')}")
                table = tables[str(item["table"])]
                columns, kinds = list(item["columns"]), _typed(table)
                rows[table.name] = 0
                continue
            if table is None or not isinstance(item, list) or len(item) != len(columns):
                raise BackupError("backup_unreadable", f"{path} 的内容不完整或已损坏")
            record = dict(zip(columns, item, strict=True))
            for name, kind in kinds.items():
                if isinstance(record.get(name), str):
                    record[name] = kind.fromisoformat(record[name])
            batch.append(record)
            rows[table.name] += 1
            if len(batch) >= BATCH:
                _flush(connection, table, batch)
        _flush(connection, table, batch)
        if connection.dialect.name == "postgresql":
            _advance_sequences(connection)
    return BackupSummary(revision, rows)


def _read(path: Path) -> Iterator[Any]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as source:
            for line in source:
                yield json.loads(line)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError("backup_unreadable", f"{path} 无法读取：{error}") from error


def _flush(connection: Connection, table: Table | None, batch: list[dict[str, Any]]) -> None:
    if table is not None and batch:
        connection.execute(insert(table), batch)
    batch.clear()


def _advance_sequences(connection: Connection) -> None:
    """Move each serial id's sequence past the restored rows, or the next insert collides."""
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and column.type.python_type is int
            ):
                sequence = connection.scalar(
                    text("SELECT pg_get_serial_sequence(:table, :column)"),
                    {"table": table.name, "column": column.name},
                )
                if sequence is not None:
                    highest = f"SELECT MAX({column.name}) FROM {table.name}"
                    connection.execute(
                        text(f"SELECT setval('{sequence}', COALESCE(({highest}), 0) + 1, false)")
                    )
