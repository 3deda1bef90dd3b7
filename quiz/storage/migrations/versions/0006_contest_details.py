"""give each contest the 成绩单's venue, organiser and host name

Three texts the host may give at creation or later (``venue`` 地点, ``organiser`` 主办单位,
``host_name`` 主持人). A contest created before them has none: they start empty, and the
成绩单 prints a blank line to fill in by hand.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = ("venue", "organiser", "host_name")


def upgrade() -> None:
    with op.batch_alter_table("contests", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("contests", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
