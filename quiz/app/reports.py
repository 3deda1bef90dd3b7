"""What a player looks back at: the wrong-answer book, the daily challenge, rankings, history."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from quiz.app.practice import PracticeService
from quiz.engine.views import question_view
from quiz.selftest import leitner
from quiz.selftest.daily import DAILY_COUNT, month_of
from quiz.storage import selftest_repo as repo


def wrongbook(service: PracticeService, user_id: int) -> dict[str, Any]:
    """A user's cards, due first; a card shows its question with the key (it was answered)."""
    today = service.today()
    with service.sessions() as session:
        rows = repo.cards_of(session, user_id)
        items = service.versions(session, [row.question_version_id for row in rows])
    cards = [
        {
            "question": {
                "bank": items[row.question_version_id].bank,
                **question_view(items[row.question_version_id].question, reveal=True),
            },
            "box": row.box,
            "due_day": row.due.isoformat(),
            "due": leitner.is_due(repo.card_value(row), today),
            "reviews": row.reviews,
            "lapses": row.lapses,
            "mastered": row.mastered,
            "last_response": row.last_response,
        }
        for row in rows
    ]
    return {
        "due": sum(card["due"] for card in cards),
        "total": sum(not card["mastered"] for card in cards),
        "mastered": sum(card["mastered"] for card in cards),
        "cards": cards,
    }


def daily_status(service: PracticeService, user_id: int) -> dict[str, Any]:
    """Today's challenge for a user: taken or not, the score, the rank among everyone, and why
    a finished run is not ranked (``guest`` or ``too_fast``)."""
    day = service.today().isoformat()
    with service.sessions() as session:
        row = repo.daily_sitting_of(session, user_id, day)
    status: dict[str, Any] = {
        "day": day,
        "count": DAILY_COUNT,
        "done": row is not None and row.finished_ms is not None,
        "sitting": row.id if row is not None else None,
        "score": None,
        "seconds": None,
        "rank": None,
        "unranked": None,
        "min_seconds": service.daily_floor_ms / 1000,
    }
    if row is not None and row.finished_ms is not None:
        status["score"] = row.score
        status["seconds"] = (row.finished_ms - row.started_ms) / 1000
        status["unranked"] = row.config.get("unranked")
        board = leaderboard(service, "day", "person", day)["rows"]
        status["rank"] = next((r["rank"] for r in board if r["user"] == user_id), None)
    return status


def leaderboard(service: PracticeService, period: str, by: str, key: str | None) -> dict[str, Any]:
    """A day's or a month's daily-challenge ranking, by person or by detachment."""
    today = service.today()
    if period == "day":
        day = dt.date.fromisoformat(key) if key else today
        key, first, last = day.isoformat(), day, day
    else:
        year, month = (int(part) for part in (key or month_of(today)).split("-"))
        first = dt.date(year, month, 1)
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        key = month_of(first)
    with service.sessions() as session:
        entries = repo.daily_entries(session, first.isoformat(), last.isoformat())
    rows = _by_detachment(entries) if by == "detachment" else _by_person(entries, period)
    return {"period": period, "by": by, "key": key, "rows": rows}


def _by_person(entries: list[dict[str, Any]], period: str) -> list[dict[str, Any]]:
    """Highest score first, then fastest; a month adds up each person's days."""
    people: dict[int, dict[str, Any]] = {}
    for entry in entries:
        person = people.setdefault(
            entry["user"],
            {
                "user": entry["user"],
                "name": entry["name"],
                "detachment": entry["detachment"],
                "score": 0,
                "seconds": 0.0,
                "days": 0,
            },
        )
        person["score"] += entry["score"]
        person["seconds"] += entry["seconds"]
        person["days"] += 1
    ordered = sorted(people.values(), key=lambda p: (-p["score"], p["seconds"], p["user"]))
    rows: list[dict[str, Any]] = []
    for index, person in enumerate(ordered):
        tied = rows and (rows[-1]["score"], rows[-1]["seconds"]) == (
            person["score"],
            person["seconds"],
        )
        rank = rows[-1]["rank"] if tied else index + 1
        row = {**person, "rank": rank, "seconds": round(person["seconds"], 1)}
        if period == "day":
            del row["days"]
        rows.append(row)
    return rows


def _by_detachment(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mean score per participation, so a big detachment does not win by its size."""
    units: dict[str, dict[str, Any]] = {}
    for entry in entries:
        unit = units.setdefault(entry["detachment"], {"people": set(), "entries": 0, "total": 0})
        unit["people"].add(entry["user"])
        unit["entries"] += 1
        unit["total"] += entry["score"]
    ordered = sorted(
        units.items(), key=lambda item: (-item[1]["total"] / item[1]["entries"], item[0])
    )
    return [
        {
            "rank": index + 1,
            "detachment": name,
            "people": len(unit["people"]),
            "entries": unit["entries"],
            "mean": round(unit["total"] / unit["entries"], 1),
        }
        for index, (name, unit) in enumerate(ordered)
    ]


def history(service: PracticeService, user_id: int) -> dict[str, Any]:
    """Each finished sitting's accuracy over time, accuracy by tag (weakest first), PK record."""
    with service.sessions() as session:
        sittings = repo.finished_sittings(session, user_id)
        answers = repo.answered_versions(session, user_id)
        items = service.versions(session, sorted({version for version, _ in answers}))
    points = [
        {
            "sitting": row.id,
            "mode": row.mode,
            "finished_ms": row.finished_ms,
            "count": len(row.question_versions),
            "correct": row.correct,
            "accuracy": round(row.correct / len(row.question_versions), 3)
            if row.question_versions
            else 0.0,
        }
        for row in sittings
    ]
    tags: dict[str, list[int]] = {}
    for version, correct in answers:
        for tag in items[version].question.tags:
            tally = tags.setdefault(tag, [0, 0])
            tally[0] += 1
            tally[1] += int(correct)
    by_tag = [
        {"tag": tag, "answered": n, "correct": right, "accuracy": round(right / n, 3)}
        for tag, (n, right) in sorted(
            tags.items(), key=lambda i: (i[1][1] / i[1][0], -i[1][0], i[0])
        )
    ]
    outcomes = [row.config.get("outcome") for row in sittings if row.mode == "pk"]
    return {
        "points": points,
        "tags": by_tag,
        "pk": {
            "played": len(outcomes),
            "won": outcomes.count("won"),
            "lost": outcomes.count("lost"),
            "drawn": outcomes.count("drawn"),
        },
    }
