"""The database schema: banks with versioned questions, contests, teams, players, the command
log, and self-test users, sittings, attempts and cards.

Questions are versioned rather than updated in place: an edit in a new bank version adds a
:class:`QuestionVersion` row, and a contest (``question_versions``) and every attempt point at
the version that was asked, so a finished contest's record never changes meaning when a bank is
corrected later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> dt.datetime:
    """The current time in UTC, naive, as every timestamp column stores it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class BankRow(Base):
    """A bank as last imported: its header fields; questions hang off it."""

    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(32))
    version: Mapped[int]
    header: Mapped[dict[str, Any]]
    header_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    questions: Mapped[list[QuestionRow]] = relationship(
        back_populates="bank", order_by="QuestionRow.position"
    )


class QuestionRow(Base):
    """A question's identity in a bank; its content lives in versions."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("bank_id", "qid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    qid: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    current_version: Mapped[int]
    retired: Mapped[bool] = mapped_column(default=False)

    bank: Mapped[BankRow] = relationship(back_populates="questions")
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", order_by="QuestionVersion.version"
    )


class QuestionVersion(Base):
    """One immutable version of a question's content, in the canonical bank-format mapping."""

    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    version: Mapped[int]
    bank_version: Mapped[int]
    type: Mapped[str] = mapped_column(String(16))
    difficulty: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    content: Mapped[dict[str, Any]]
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    # Who saved it in the editor (the name a host gave); None for a version a bank file brought.
    edited_by: Mapped[str | None] = mapped_column(Text)

    question: Mapped[QuestionRow] = relationship(back_populates="versions")


class QuestionReviewRow(Base):
    """One verdict on a question version: ``approve`` or ``reject``, by whom, when, and why.

    Versions stay immutable: approving writes a new version (the same content with status
    ``reviewed``), named by ``result_version_id``.
    """

    __tablename__ = "question_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    reviewer: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    result_version_id: Mapped[int | None] = mapped_column(ForeignKey("question_versions.id"))


class QuestionSearchRow(Base):
    """The search index's entry for an active question: the searchable text of its current
    version, lower-cased (``quiz.storage.search_repo`` writes it). SQLite also indexes ``body``
    in the FTS5 table ``question_search_fts`` (trigram tokenizer, kept in step by triggers);
    PostgreSQL in a ``pg_trgm`` GIN index. Both are built by migration 0008, outside the models.
    """

    __tablename__ = "question_search"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id"), primary_key=True, autoincrement=False
    )
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    body: Mapped[str] = mapped_column(Text)


class QuestionTagRow(Base):
    """A tag of an indexed question's current version, for the browser's tag filter."""

    __tablename__ = "question_tags"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id"), primary_key=True, autoincrement=False
    )
    tag: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)


# Schema objects migrations build that no model can describe: the FTS5 table and its shadow
# tables (SQLite), the trigram index (PostgreSQL). Schema comparisons pass over them.
UNMAPPED_SCHEMA = frozenset(
    {
        "question_search_fts",
        "question_search_fts_config",
        "question_search_fts_data",
        "question_search_fts_docsize",
        "question_search_fts_idx",
        "ix_question_search_body_trgm",
    }
)


def mapped_schema_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's ``include_name`` hook: every schema object except :data:`UNMAPPED_SCHEMA`."""
    return name not in UNMAPPED_SCHEMA


class ContestRow(Base):
    """A contest: its join code, template and lifecycle; its history is the command log.

    ``question_versions`` maps each contest question id to the question version it asks, so
    results point at exactly what was asked. ``screen_key`` is the projector's credential.
    ``venue``, ``organiser`` and ``host_name`` are printed on the 成绩单, nothing else reads them.
    """

    __tablename__ = "contests"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    title: Mapped[str] = mapped_column(Text)
    template: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="draft")
    screen_key: Mapped[str] = mapped_column(String(64), default="")
    question_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    snapshot: Mapped[dict[str, Any] | None]
    snapshot_seq: Mapped[int] = mapped_column(default=0)
    purpose: Mapped[str] = mapped_column(String(16), default="contest")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    # The 成绩单's 地点, 主办单位 and 主持人: empty until the host gives them.
    venue: Mapped[str] = mapped_column(Text, default="", server_default="")
    organiser: Mapped[str] = mapped_column(Text, default="", server_default="")
    host_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    # "team_code": a member joins with its team's own code; "open": with the contest code alone.
    join_mode: Mapped[str] = mapped_column(
        String(16), default="team_code", server_default="team_code"
    )


class TeamRow(Base):
    """A team of a contest; ``key`` is the team's id inside the contest core.

    ``join_code`` is what a member needs to join the team, given by the host to that team only;
    None in an open contest and in a PK match; distinct within a contest.
    """

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("contest_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text)
    seat: Mapped[int]
    join_code: Mapped[str | None] = mapped_column(String(8))


class SettingRow(Base):
    """Server-wide settings: the host password hash, the session secret, the alive mark."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PlayerRow(Base):
    """A member of a team on one device; the seat token (stored hashed) lets it reconnect."""

    __tablename__ = "players"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    seat_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    joined_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class CommandRow(Base):
    """One entry of a contest's append-only log: a command as the core accepted it.

    Numbered per contest; the unique (contest, seq) pair makes two writers racing for the
    same slot fail instead of interleaving. Database triggers refuse updates and deletes.
    """

    __tablename__ = "contest_commands"
    __table_args__ = (UniqueConstraint("contest_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), index=True)
    seq: Mapped[int]
    at_ms: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class UserRow(Base):
    """A self-test player: a registered account (with a password hash) or a device's guest.

    ``login`` is the name folded for comparison (NFKC, case-folded); guests have none.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str | None] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(Text)
    detachment: Mapped[str] = mapped_column(Text, default="")
    brigade: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class SittingRow(Base):
    """One practice, exam, review, daily challenge or PK match of a user: a fixed question list.

    ``question_versions`` lists the versions asked, in order. ``day`` is set for the daily
    challenge only, and the unique (user, day) pair allows one attempt a day.
    """

    __tablename__ = "sittings"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    config: Mapped[dict[str, Any]]
    question_versions: Mapped[list[Any]]
    started_ms: Mapped[int] = mapped_column(BigInteger)
    deadline_ms: Mapped[int | None] = mapped_column(BigInteger)
    finished_ms: Mapped[int | None] = mapped_column(BigInteger)
    answered: Mapped[int] = mapped_column(default=0)
    correct: Mapped[int] = mapped_column(default=0)
    score: Mapped[int] = mapped_column(default=0)
    day: Mapped[str | None] = mapped_column(String(10), index=True)
    contest_code: Mapped[str | None] = mapped_column(String(16))


class AttemptRow(Base):
    """One answer in a sitting; the unique (sitting, position) pair refuses a replayed answer."""

    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("sitting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sittings.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    position: Mapped[int]
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    correct: Mapped[bool]
    answered_ms: Mapped[int] = mapped_column(BigInteger)


class ReviewCardRow(Base):
    """A question in a user's wrong-answer book (Leitner box and due day)."""

    __tablename__ = "review_cards"
    __table_args__ = (UniqueConstraint("user_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    box: Mapped[int]
    due: Mapped[dt.date]
    reviews: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    mastered: Mapped[bool] = mapped_column(default=False)
    last_response: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class DailySetRow(Base):
    """The daily challenge's questions for one day, fixed by the first request of that day."""

    __tablename__ = "daily_sets"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    question_versions: Mapped[list[Any]]


class PkMatchRow(Base):
    """A 1-v-1 match: the contest that plays it and the user on each side (none for the bot)."""

    __tablename__ = "pk_matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), unique=True)
    red_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    blue_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    bot_team: Mapped[str | None] = mapped_column(String(16))
    recorded: Mapped[bool] = mapped_column(default=False)


class PkQueueRow(Base):
    """A player waiting for a PK opponent, on the connection ``sid`` (of whichever process).

    Kept in the database so that every server process pairs from one queue; a waiter is claimed
    by deleting its row, which only one process can do.
    """

    __tablename__ = "pk_queue"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    sid: Mapped[str] = mapped_column(String(64))
    since_ms: Mapped[int] = mapped_column(BigInteger)


class QuestionReportRow(Base):
    """A player's report that a question is wrong (纠错), open until an organiser resolves it.

    ``question_version_id`` is the version the player was asked, which may be older than the
    question's current one by the time an organiser reads the report. The reporter is a seat of
    a live contest (``player_id``, with ``contest_code``) or a self-test user (``user_id``, with
    ``sitting_id``); ``reporter_name`` keeps the name shown then.
    """

    __tablename__ = "question_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    source: Mapped[str] = mapped_column(String(16))
    contest_code: Mapped[str | None] = mapped_column(String(16))
    sitting_id: Mapped[int | None] = mapped_column(ForeignKey("sittings.id"))
    player_id: Mapped[int | None] = mapped_column(ForeignKey("players.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reporter_name: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    resolved_at: Mapped[dt.datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolution: Mapped[str | None] = mapped_column(Text)
