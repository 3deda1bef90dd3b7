"""who wrote each question version and who approved it

A version saved in the question editor records its author (``question_versions.edited_by``, the
name the host gave at login); ``question_reviews`` records each approval or rejection, so a
question reaches ``reviewed`` only through a second person's verdict. Versions brought by a bank
file have no editor (NULL).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edited_by", sa.Text(), nullable=True))
    op.create_table(
        "question_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reviewer", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("result_version_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["question_versions.id"],
            name=op.f("fk_question_reviews_version_id_question_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["result_version_id"],
            ["question_versions.id"],
            name=op.f("fk_question_reviews_result_version_id_question_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_reviews")),
    )
    with op.batch_alter_table("question_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_question_reviews_version_id"), ["version_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("question_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_reviews_version_id"))
    op.drop_table("question_reviews")
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.drop_column("edited_by")
