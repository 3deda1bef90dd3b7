"""players' reports of wrong questions (纠错)

A player reports a question after its reveal, from a live contest's phone or from self-test;
reports stay open (``resolved_at`` NULL) until an organiser resolves all of a question's open
reports at once on the review page.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("contest_code", sa.String(length=16), nullable=True),
        sa.Column("sitting_id", sa.Integer(), nullable=True),
        sa.Column("player_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("reporter_name", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_question_reports_question_id_questions"),
        ),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_versions.id"],
            name=op.f("fk_question_reports_question_version_id_question_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sittings.id"], name=op.f("fk_question_reports_sitting_id_sittings")
        ),
        sa.ForeignKeyConstraint(
            ["player_id"], ["players.id"], name=op.f("fk_question_reports_player_id_players")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_question_reports_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_reports")),
    )
    for column in ("question_id", "player_id", "user_id"):
        op.create_index(
            op.f(f"ix_question_reports_{column}"), "question_reports", [column], unique=False
        )


def downgrade() -> None:
    for column in ("user_id", "player_id", "question_id"):
        op.drop_index(op.f(f"ix_question_reports_{column}"), table_name="question_reports")
    op.drop_table("question_reports")
