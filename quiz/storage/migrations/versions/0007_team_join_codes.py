"""give each team its own join code, and each contest a join mode

Anyone who could read the contest code off the projector could join any team. A member now
joins with its team's code (``teams.join_code``), which the host hands to that team only; a
contest may instead be ``open`` (``contests.join_mode``) for informal practice rooms. Teams of
contests made before this get a fresh code each, so their hosts find them on the console; PK
matches get none (their seats go only to their two players).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 15:50:00
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# As quiz.storage.contest_repo makes them (copied: a migration must not change when it does).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 5


def upgrade() -> None:
    with op.batch_alter_table("contests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("join_mode", sa.String(length=16), nullable=False, server_default="team_code")
        )
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("join_code", sa.String(length=8), nullable=True))
    connection = op.get_bind()
    teams = connection.execute(
        sa.text(
            "SELECT teams.id, teams.contest_id FROM teams JOIN contests "
            "ON contests.id = teams.contest_id WHERE contests.purpose = 'contest'"
        )
    ).all()
    taken: set[tuple[int, str]] = set()
    for team_id, contest_id in teams:
        code = ""
        while not code or (contest_id, code) in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        taken.add((contest_id, code))
        connection.execute(
            sa.text("UPDATE teams SET join_code = :code WHERE id = :id"),
            {"code": code, "id": team_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("join_code")
    with op.batch_alter_table("contests", schema=None) as batch_op:
        batch_op.drop_column("join_mode")
