"""a search index over each question's current text, for the bank browser

``question_search`` holds each active question's searchable text (lower-cased) and
``question_tags`` its tags. SQLite indexes the text in an FTS5 table with the trigram
tokenizer, kept in step with ``question_search`` by triggers; PostgreSQL in a ``pg_trgm`` GIN
index. A role that may not ``CREATE EXTENSION pg_trgm`` gets no index: search still works,
by scanning. Existing questions are indexed here.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 18:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from quiz.storage.search_repo import search_body

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_FTS_TRIGGERS = {
    "question_search_fts_insert": (
        "AFTER INSERT ON question_search BEGIN "
        "INSERT INTO question_search_fts (rowid, body) VALUES (new.question_id, new.body); END"
    ),
    "question_search_fts_delete": (
        "AFTER DELETE ON question_search BEGIN "
        "INSERT INTO question_search_fts (question_search_fts, rowid, body) "
        "VALUES ('delete', old.question_id, old.body); END"
    ),
    "question_search_fts_update": (
        "AFTER UPDATE ON question_search BEGIN "
        "INSERT INTO question_search_fts (question_search_fts, rowid, body) "
        "VALUES ('delete', old.question_id, old.body); "
        "INSERT INTO question_search_fts (rowid, body) VALUES (new.question_id, new.body); END"
    ),
}


def upgrade() -> None:
    op.create_table(
        "question_search",
        sa.Column("question_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_id"], ["banks.id"], name=op.f("fk_question_search_bank_id_banks")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"], name=op.f("fk_question_search_question_id_questions")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["question_versions.id"],
            name=op.f("fk_question_search_version_id_question_versions"),
        ),
        sa.PrimaryKeyConstraint("question_id", name=op.f("pk_question_search")),
    )
    op.create_index(
        op.f("ix_question_search_bank_id"), "question_search", ["bank_id"], unique=False
    )
    op.create_table(
        "question_tags",
        sa.Column("question_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tag", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"], name=op.f("fk_question_tags_question_id_questions")
        ),
        sa.PrimaryKeyConstraint("question_id", "tag", name=op.f("pk_question_tags")),
    )
    op.create_index(op.f("ix_question_tags_tag"), "question_tags", ["tag"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE question_search_fts USING fts5(body, "
            "content='question_search', content_rowid='question_id', tokenize='trigram')"
        )
        for name, body in _FTS_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    else:
        _trigram_index()
    _backfill()


def _trigram_index() -> None:
    """The GIN index, if pg_trgm is there or this role may create it; else none."""
    bind = op.get_bind()
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return
    savepoint.commit()
    op.execute(
        "CREATE INDEX ix_question_search_body_trgm ON question_search USING gin (body gin_trgm_ops)"
    )


def _backfill() -> None:
    """Index the current version of every active question."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT q.id, q.bank_id, v.id, v.content FROM questions q "
            "JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version "
            "WHERE NOT q.retired"
        ).columns(
            sa.column("id", sa.Integer()),
            sa.column("bank_id", sa.Integer()),
            sa.column("vid", sa.Integer()),
            sa.column("content", sa.JSON()),
        )
    ).all()
    search = sa.table(
        "question_search",
        sa.column("question_id", sa.Integer()),
        sa.column("bank_id", sa.Integer()),
        sa.column("version_id", sa.Integer()),
        sa.column("body", sa.Text()),
    )
    tags = sa.table("question_tags", sa.column("question_id"), sa.column("tag"))
    entries = [
        {"question_id": qid, "bank_id": bank, "version_id": vid, "body": search_body(c)}
        for qid, bank, vid, c in rows
    ]
    tagged = [
        {"question_id": qid, "tag": tag}
        for qid, _, _, content in rows
        for tag in dict.fromkeys(str(tag) for tag in content.get("tags", ()))
    ]
    if entries:
        bind.execute(sa.insert(search), entries)
    if tagged:
        bind.execute(sa.insert(tags), tagged)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE question_search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_question_search_body_trgm")
    op.drop_index(op.f("ix_question_tags_tag"), table_name="question_tags")
    op.drop_table("question_tags")
    op.drop_index(op.f("ix_question_search_bank_id"), table_name="question_search")
    op.drop_table("question_search")
