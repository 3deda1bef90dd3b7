"""A practice app on a real SQLite file holding the bundled banks, with a clock the test moves."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from quiz.app import Services
from quiz.banks.loader import validate_paths
from quiz.cli import import_reports
from quiz.resources import bundled_banks_dir
from quiz.storage.db import make_engine, migrate, session_factory
from quiz.web import create_app
from tests.web.keys import bundled_questions, right_answer, wrong_answer
from tests.web.live import PageClient

START_MS = 1_796_000_000_000
PASSWORD = "secret-123"


def import_bundled_banks(url: str) -> None:
    """Migrate the database at ``url`` and import the bundled banks into it."""
    engine = make_engine(url)
    migrate(engine)
    import_reports(session_factory(engine), validate_paths([str(bundled_banks_dir())]))
    engine.dispose()


def bank_database(folder: Path) -> Path:
    """A migrated SQLite file with the bundled banks imported (made once, copied per test)."""
    path = folder / "banks.sqlite3"
    import_bundled_banks(f"sqlite:///{path}")
    return path


@dataclass
class Clock:
    """The server's clock and date, moved by the test."""

    now_ms: int = START_MS
    today: dt.date = dt.date(2026, 11, 29)

    def advance(self, *, seconds: float = 0, days: int = 0) -> None:
        self.now_ms += int(seconds * 1000)
        self.today += dt.timedelta(days=days)


def clocked_app(url: str, clock: Clock) -> Flask:
    """An app on the database at ``url``, its practice clock replaced by ``clock``."""
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    app.test_client_class = PageClient
    services: Services = app.extensions["leitai"]
    services.practice.clock_ms = lambda: clock.now_ms
    services.practice.today = lambda: clock.today
    app.extensions["leitai.sign_ins"].clock_ms = lambda: clock.now_ms
    return app


def practice_app(template: Path, folder: Path, clock: Clock) -> Flask:
    """A fresh app on a copy of the bank database, its practice clock replaced by ``clock``."""
    path = folder / "leitai.sqlite3"
    shutil.copy(template, path)
    return clocked_app(f"sqlite:///{path}", clock)


def register(client: FlaskClient, name: str, detachment: str = "拉萨支队") -> dict[str, Any]:
    answer = client.post(
        "/api/practice/register",
        json={"name": name, "detachment": detachment, "password": PASSWORD},
    )
    assert answer.status_code == 201, answer.json
    user: dict[str, Any] = answer.json["user"]  # type: ignore[index]
    return user


def start(client: FlaskClient, **request: Any) -> dict[str, Any]:
    answer = client.post("/api/practice/sittings", json=request)
    assert answer.status_code == 201, answer.json
    sitting: dict[str, Any] = answer.json  # type: ignore[assignment]
    return sitting


def respond(client: FlaskClient, sitting: dict[str, Any], right: bool) -> Any:
    """Answer the sitting's open question right or wrong on purpose."""
    shown = sitting["question"]
    key = bundled_questions()[f"{shown['bank']}/{shown['id']}"]
    return client.post(
        f"/api/practice/sittings/{sitting['id']}/answers",
        json={
            "position": shown["position"],
            "response": right_answer(key) if right else wrong_answer(key),
        },
    )
