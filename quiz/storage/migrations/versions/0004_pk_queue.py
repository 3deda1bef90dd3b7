"""the PK queue, shared by every server process

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 21:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pk_queue",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("since_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_pk_queue_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_pk_queue")),
    )


def downgrade() -> None:
    op.drop_table("pk_queue")
