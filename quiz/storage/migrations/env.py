"""Alembic environment: migrations run on the engine the application hands over."""

from __future__ import annotations

from alembic import context

from quiz.storage.models import Base, mapped_schema_name

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_name=mapped_schema_name,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
