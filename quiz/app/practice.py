"""Self-test sittings on the database: start, serve, judge, finish, and the views the API returns.

Each request is one transaction. The pure rules (``quiz.selftest``) decide; this module reads the
rows they need and writes what they decided. Question versions are immutable, so they are cached
by id for the life of the process.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from quiz.app import history
from quiz.engine.qtypes import kind_of
from quiz.engine.questions import Response
from quiz.engine.views import question_view
from quiz.selftest import leitner
from quiz.selftest.daily import DAILY_COUNT, DAILY_FLOOR_MS, pick_daily, too_fast
from quiz.selftest.sittings import (
    DEFAULT_COUNT,
    Mode,
    Progress,
    SittingError,
    check_answer,
    exam_minutes,
    score,
)
from quiz.storage import selftest_repo as repo
from quiz.storage.models import SittingRow

Today = Callable[[], dt.date]


class PracticeService:
    """Practice, exams, reviews and daily challenges of every user, on one database."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock_ms: Callable[[], int],
        today: Today,
        daily_floor_ms: int = DAILY_FLOOR_MS,
    ):
        self.sessions = sessions
        self.clock_ms = clock_ms
        self.today = today
        self.daily_floor_ms = daily_floor_ms
        self._versions: dict[int, repo.PoolQuestion] = {}
        self._pool: tuple[tuple[Any, ...], list[repo.PoolQuestion]] | None = None
        self._lock = threading.Lock()

    # Questions -----------------------------------------------------------------------------

    def pool(self, session: Session) -> list[repo.PoolQuestion]:
        """Every servable question, re-read only when a bank import has changed the banks."""
        generation = repo.banks_generation(session)
        with self._lock:
            if self._pool is not None and self._pool[0] == generation:
                return self._pool[1]
        items = repo.pool_questions(session)
        with self._lock:
            self._pool = (generation, items)
            for item in items:
                self._versions.setdefault(item.version_id, item)
        return items

    def versions(self, session: Session, version_ids: list[int]) -> dict[int, repo.PoolQuestion]:
        """Question versions by id, from the cache or the database."""
        with self._lock:
            missing = [v for v in version_ids if v not in self._versions]
        if missing:
            found = repo.versions_by_id(session, missing)
            with self._lock:
                self._versions.update(found)
        with self._lock:
            return {v: self._versions[v] for v in version_ids}

    def catalog(self) -> dict[str, Any]:
        """Banks, tags and difficulties of the servable questions, with counts."""
        with self.sessions() as session:
            items = self.pool(session)
            titles = repo.bank_titles(session)
        banks: dict[str, int] = {}
        tags: dict[str, int] = {}
        for item in items:
            banks[item.bank] = banks.get(item.bank, 0) + 1
            for tag in item.question.tags:
                tags[tag] = tags.get(tag, 0) + 1
        return {
            "banks": [{"id": b, "title": titles.get(b, b), "count": n} for b, n in banks.items()],
            "tags": [{"tag": t, "count": n} for t, n in sorted(tags.items(), key=lambda x: -x[1])],
            "difficulties": [1, 2, 3, 4, 5],
        }

    # Sittings ------------------------------------------------------------------------------

    def start(self, user_id: int, mode: Mode, request: dict[str, Any]) -> dict[str, Any]:
        """Start a sitting of ``mode`` as the request asks (docs/practice.md, "Sittings")."""
        now = self.clock_ms()
        with self.sessions.begin() as session:
            day = None
            deadline = None
            count = request.get("count") or DEFAULT_COUNT[mode]
            config: dict[str, Any] = {}
            if mode in ("practice", "exam"):
                chosen = self._choose(session, request, count)
                config = {k: request[k] for k in ("banks", "tags", "difficulty") if k in request}
                if mode == "exam":
                    minutes = exam_minutes(len(chosen), request.get("minutes"))
                    deadline = now + minutes * 60_000
                    config["minutes"] = minutes
            elif mode == "review":
                chosen = self._due_cards(session, user_id, count)
            else:
                day = self.today().isoformat()
                existing = repo.daily_sitting_of(session, user_id, day)
                if existing is not None:
                    raise AlreadyDone(existing.id)
                chosen = self._daily(session, day)
                user = repo.users_by_id(session, [user_id]).get(user_id)
                if user is None or user.password_hash is None:
                    # Decided now: a guest's run stays unranked even if the guest registers.
                    config = {"unranked": "guest"}
            try:
                row = repo.add_sitting(
                    session,
                    user_id=user_id,
                    mode=mode,
                    config=config,
                    question_versions=chosen,
                    started_ms=now,
                    deadline_ms=deadline,
                    day=day,
                )
            except IntegrityError:
                raise SittingError("already_done", "today's challenge was already taken") from None
            return self._describe(session, row, now)

    def _choose(self, session: Session, request: dict[str, Any], count: int) -> list[int]:
        banks = set(request.get("banks") or ())
        tags = set(request.get("tags") or ())
        low, high = request.get("difficulty") or (1, 5)
        matching = [
            item.version_id
            for item in self.pool(session)
            if (not banks or item.bank in banks)
            and (not tags or tags.intersection(item.question.tags))
            and low <= item.question.difficulty <= high
        ]
        if not matching:
            raise SittingError("no_questions", "no reviewed question matches this choice")
        return random.SystemRandom().sample(matching, min(count, len(matching)))

    def _due_cards(self, session: Session, user_id: int, count: int) -> list[int]:
        today = self.today()
        due = [
            row.question_version_id
            for row in repo.cards_of(session, user_id)
            if leitner.is_due(repo.card_value(row), today)
        ]
        if not due:
            raise SittingError("nothing_due", "no card of the wrong-answer book is due today")
        return due[:count]

    def _daily(self, session: Session, day: str) -> list[int]:
        chosen = repo.daily_set(session, day)
        if chosen is not None:
            return chosen
        by_name = {
            f"{item.bank}/{item.question.id}": item.version_id for item in self.pool(session)
        }
        picked = pick_daily(list(by_name), dt.date.fromisoformat(day), DAILY_COUNT)
        chosen = [by_name[name] for name in picked]
        if not chosen:
            raise SittingError("no_questions", "no reviewed question is loaded")
        # Two first requests of a day may race: the primary key keeps the first set.
        return repo.keep_daily_set(session, day, chosen)

    def view(self, user_id: int, sitting_id: int) -> dict[str, Any]:
        """A user's sitting as the API shows it (an exam past its deadline is finished first)."""
        now = self.clock_ms()
        with self.sessions.begin() as session:
            row = self._own(session, user_id, sitting_id)
            self._expire(session, row, now)
            return self._describe(session, row, now)

    def open_sittings(self, user_id: int, mode: str | None) -> list[dict[str, Any]]:
        """A user's unfinished sittings (of one mode), newest first, to resume one."""
        now = self.clock_ms()
        with self.sessions.begin() as session:
            rows = repo.open_sittings_of(session, user_id, mode)
            for row in rows:
                self._expire(session, row, now)
            return [
                {
                    "id": row.id,
                    "mode": row.mode,
                    "count": len(row.question_versions),
                    "answered": row.answered,
                    "deadline_ms": row.deadline_ms,
                }
                for row in rows
                if row.finished_ms is None
            ]

    def answer(
        self, user_id: int, sitting_id: int, position: int, response: Response
    ) -> dict[str, Any]:
        """Judge an answer to the open position; refusals change nothing."""
        now = self.clock_ms()
        with self.sessions.begin() as session:
            row = self._own(session, user_id, sitting_id)
            if not self._expire(session, row, now):
                return self._judge(session, row, self._progress(row), position, response, now)
            expired = self._describe(session, row, now)
        raise TimeUp(expired)

    def _judge(
        self,
        session: Session,
        row: SittingRow,
        progress: Progress,
        position: int,
        response: Response,
        now: int,
    ) -> dict[str, Any]:
        check_answer(progress, position, now)
        version_id = int(row.question_versions[position])
        item = self.versions(session, [version_id])[version_id]
        kind = kind_of(item.question)
        if not kind.fits(item.question, response):
            raise SittingError("bad_response", kind.refusal(item.question))
        correct = kind.matches_key(item.question, response)
        if not repo.claim_position(session, row, position, correct):
            raise SittingError("already_answered", f"question {position + 1} was answered")
        history.record_answer(
            session,
            row,
            position,
            item,
            response,
            correct,
            now,
            self.today(),
            file=progress.gives_feedback(),
        )
        session.flush()
        session.refresh(row)
        if row.answered >= len(row.question_versions):
            self._finish(session, row, now)
        result: dict[str, Any] = {"sitting": self._describe(session, row, now)}
        if progress.gives_feedback():
            revealed = question_view(item.question, reveal=True)
            result.update(
                correct=correct,
                answer=revealed["answer"],
                answer_indices=revealed["answer_indices"],
                explanation=revealed["explanation"],
                source=revealed["source"],
            )
        else:
            result["accepted"] = True
        return result

    def finish(self, user_id: int, sitting_id: int) -> dict[str, Any]:
        """End a sitting now (an exam's unanswered questions count as wrong)."""
        now = self.clock_ms()
        with self.sessions.begin() as session:
            row = self._own(session, user_id, sitting_id)
            if row.finished_ms is None:
                self._finish(session, row, min(now, row.deadline_ms or now))
            return self._describe(session, row, now)

    def _own(self, session: Session, user_id: int, sitting_id: int) -> SittingRow:
        row = repo.sitting_of(session, sitting_id, user_id)
        if row is None:
            raise SittingError("not_found", f"no sitting {sitting_id} of yours")
        return row

    @staticmethod
    def _progress(row: SittingRow) -> Progress:
        mode: Mode = row.mode  # type: ignore[assignment]
        return Progress(
            mode,
            len(row.question_versions),
            row.answered,
            row.finished_ms is not None,
            row.deadline_ms,
        )

    def _expire(self, session: Session, row: SittingRow, now: int) -> bool:
        """Finish an exam whose deadline has passed, at its deadline; True when this did it."""
        if row.finished_ms is None and self._progress(row).timed_out(now):
            self._finish(session, row, row.deadline_ms or now)
            return True
        return False

    def _finish(self, session: Session, row: SittingRow, at: int) -> None:
        """End a sitting. One that gave no feedback files its wrong answers' cards now (a card
        shows the key); an exam's unanswered questions were not known, so they go in too."""
        row.finished_ms = at
        today = self.today()
        if not self._progress(row).gives_feedback():
            attempts = repo.attempts_of(session, row.id)
            wrong = {a.question_version_id: a.response for a in attempts if not a.correct}
            items = self.versions(session, list(wrong))
            for version_id, response in wrong.items():
                item = items[version_id]
                history.file_card(session, row.user_id, row.mode, item, False, response, today)
        if row.mode == "exam":
            unanswered = [int(v) for v in row.question_versions[row.answered :]]
            for item in self.versions(session, unanswered).values():
                history.file_card(session, row.user_id, row.mode, item, False, None, today)
        mode: Mode = row.mode  # type: ignore[assignment]
        row.score = score(mode, row.correct, len(row.question_versions), row.score)
        if mode == "daily" and "unranked" not in row.config:
            count = len(row.question_versions)
            if too_fast(at - row.started_ms, count, self.daily_floor_ms):
                row.config = {**row.config, "unranked": "too_fast"}

    def _describe(self, session: Session, row: SittingRow, now: int) -> dict[str, Any]:
        """The sitting as docs/practice.md shows it: the open question never carries its key."""
        version_ids = [int(v) for v in row.question_versions]
        finished = row.finished_ms is not None
        feedback = self._progress(row).gives_feedback() or finished
        attempts = repo.attempts_of(session, row.id) if row.answered or finished else []
        data: dict[str, Any] = {
            "id": row.id,
            "mode": row.mode,
            "count": len(version_ids),
            "answered": row.answered,
            "correct": row.correct if feedback else None,
            "score": row.score if finished else None,
            "finished": finished,
            "started_ms": row.started_ms,
            "finished_ms": row.finished_ms,
            "deadline_ms": row.deadline_ms,
            "server_ms": now,
            "config": row.config,
            "question": None,
            "results": [
                {"position": a.position, "correct": a.correct if feedback else None}
                for a in attempts
            ],
            "review": None,
        }
        if not finished and row.answered < len(version_ids):
            version_id = version_ids[row.answered]
            item = self.versions(session, [version_id])[version_id]
            data["question"] = {
                "position": row.answered,
                "bank": item.bank,
                # Self-test draws by tag, so its own tags are shown before the answer.
                **question_view(item.question, reveal=False, tags=True),
            }
        if finished:
            items = self.versions(session, version_ids)
            given = {a.position: a for a in attempts}
            data["review"] = [
                {
                    "position": position,
                    "question": {"bank": items[v].bank, **question_view(items[v].question, True)},
                    "response": given[position].response if position in given else None,
                    "correct": given[position].correct if position in given else False,
                }
                for position, v in enumerate(version_ids)
            ]
        return data


class AlreadyDone(SittingError):
    """Today's challenge was taken: ``sitting`` is that attempt's id."""

    def __init__(self, sitting: int) -> None:
        super().__init__("already_done", "today's challenge was already taken")
        self.sitting = sitting


class TimeUp(SittingError):
    """An answer after the exam's deadline: the exam is now finished; ``sitting`` is its view."""

    def __init__(self, sitting: dict[str, Any]) -> None:
        super().__init__("time_up", "the exam's time is up; answers are no longer accepted")
        self.sitting = sitting
