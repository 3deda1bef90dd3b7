"""self-test: users, sittings, attempts, wrong-answer book, daily sets, PK matches

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 19:55:44.633760
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_sets",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("question_versions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_daily_sets")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=80), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("detachment", sa.Text(), nullable=False),
        sa.Column("brigade", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("login", name=op.f("uq_users_login")),
    )
    op.create_table(
        "pk_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("red_user_id", sa.Integer(), nullable=True),
        sa.Column("blue_user_id", sa.Integer(), nullable=True),
        sa.Column("bot_team", sa.String(length=16), nullable=True),
        sa.Column("recorded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blue_user_id"], ["users.id"], name=op.f("fk_pk_matches_blue_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contests.id"], name=op.f("fk_pk_matches_contest_id_contests")
        ),
        sa.ForeignKeyConstraint(
            ["red_user_id"], ["users.id"], name=op.f("fk_pk_matches_red_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pk_matches")),
        sa.UniqueConstraint("contest_id", name=op.f("uq_pk_matches_contest_id")),
    )
    op.create_table(
        "sittings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("question_versions", sa.JSON(), nullable=False),
        sa.Column("started_ms", sa.BigInteger(), nullable=False),
        sa.Column("deadline_ms", sa.BigInteger(), nullable=True),
        sa.Column("finished_ms", sa.BigInteger(), nullable=True),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=True),
        sa.Column("contest_code", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sittings_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sittings")),
        sa.UniqueConstraint("user_id", "day", name=op.f("uq_sittings_user_id")),
    )
    with op.batch_alter_table("sittings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sittings_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_sittings_user_id"), ["user_id"], unique=False)

    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_versions.id"],
            name=op.f("fk_attempts_question_version_id_question_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sittings.id"], name=op.f("fk_attempts_sitting_id_sittings")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_attempts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempts")),
        sa.UniqueConstraint("sitting_id", "position", name=op.f("uq_attempts_sitting_id")),
    )
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attempts_sitting_id"), ["sitting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attempts_user_id"), ["user_id"], unique=False)

    op.create_table(
        "review_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("box", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("mastered", sa.Boolean(), nullable=False),
        sa.Column("last_response", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"], name=op.f("fk_review_cards_question_id_questions")
        ),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_versions.id"],
            name=op.f("fk_review_cards_question_version_id_question_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_review_cards_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cards")),
        sa.UniqueConstraint("user_id", "question_id", name=op.f("uq_review_cards_user_id")),
    )
    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_cards_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("contests", schema=None) as batch_op:
        # Contests made before PK matches existed are all live contests.
        batch_op.add_column(
            sa.Column("purpose", sa.String(length=16), nullable=False, server_default="contest")
        )


def downgrade() -> None:
    with op.batch_alter_table("contests", schema=None) as batch_op:
        batch_op.drop_column("purpose")

    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_cards_user_id"))

    op.drop_table("review_cards")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attempts_user_id"))
        batch_op.drop_index(batch_op.f("ix_attempts_sitting_id"))

    op.drop_table("attempts")
    with op.batch_alter_table("sittings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sittings_user_id"))
        batch_op.drop_index(batch_op.f("ix_sittings_day"))

    op.drop_table("sittings")
    op.drop_table("pk_matches")
    op.drop_table("users")
    op.drop_table("daily_sets")
