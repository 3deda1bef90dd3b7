"""settings, contest screen key and question versions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 17:39:43.066372
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    with op.batch_alter_table("contests", schema=None) as batch_op:
        # Server defaults fill the rows of contests created before this migration.
        batch_op.add_column(
            sa.Column("screen_key", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("question_versions", sa.JSON(), nullable=False, server_default="{}")
        )


def downgrade() -> None:
    with op.batch_alter_table("contests", schema=None) as batch_op:
        batch_op.drop_column("question_versions")
        batch_op.drop_column("screen_key")

    op.drop_table("settings")
