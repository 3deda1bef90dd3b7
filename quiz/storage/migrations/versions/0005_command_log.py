"""name the command log for what it holds, and drop the results table nothing wrote

The log holds commands (the core's input), not events, so ``contest_events`` becomes
``contest_commands`` and its ``kind`` column ``type`` (the name the protocol uses). Results
are derived from the log by one function (quiz/app/results.py), so the never-written
``results`` table goes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _create_log(table: str, type_column: str) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.Column(type_column, sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contests.id"], name=op.f(f"fk_{table}_contest_id_contests")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("contest_id", "seq", name=op.f(f"uq_{table}_contest_id")),
    )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_contest_id"), ["contest_id"], unique=False)


def _copy_log(source: str, source_type: str, target: str, target_type: str) -> None:
    op.execute(
        f"INSERT INTO {target} (id, contest_id, seq, at_ms, {target_type}, payload, recorded_at) "
        f"SELECT id, contest_id, seq, at_ms, {source_type}, payload, recorded_at FROM {source}"
    )
    if op.get_bind().dialect.name == "postgresql":
        # Rows came with their ids: move the id sequence past them.
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{target}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {target}), 0) + 1, false)"
        )


def _drop_log(table: str) -> None:
    _allow_changes(table)
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f"ix_{table}_contest_id"))
    op.drop_table(table)


def _refuse_changes(table: str) -> None:
    """The log is append-only: the database itself refuses updates and deletes."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql"
        )
        for action in ("update", "delete"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} "
                f"ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            )
        return
    for action in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} "
            f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def _allow_changes(table: str) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER {table}_no_{action}" + (f" ON {table}" if postgres else ""))
    if postgres:
        op.execute(f"DROP FUNCTION {table}_append_only()")


def upgrade() -> None:
    _create_log("contest_commands", "type")
    _copy_log("contest_events", "kind", "contest_commands", "type")
    _refuse_changes("contest_commands")
    _drop_log("contest_events")
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_results_team_id"))
        batch_op.drop_index(batch_op.f("ix_results_contest_id"))
    op.drop_table("results")


def downgrade() -> None:
    op.create_table(
        "results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("round_index", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("answered_at_ms", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contests.id"], name=op.f("fk_results_contest_id_contests")
        ),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_versions.id"],
            name=op.f("fk_results_question_version_id_question_versions"),
        ),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_results_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_results")),
    )
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_results_contest_id"), ["contest_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_results_team_id"), ["team_id"], unique=False)
    _create_log("contest_events", "kind")
    _copy_log("contest_commands", "type", "contest_events", "kind")
    _refuse_changes("contest_events")
    _drop_log("contest_commands")
