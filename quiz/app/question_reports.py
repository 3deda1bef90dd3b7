"""Players' reports of wrong questions (纠错), from a live contest's phone or from self-test, and
their review by an organiser (docs/bank-review.md).

A player may report a question only once its key has been shown to them: in a contest after the
question's reveal, in self-test after the answer's feedback (an exam or a daily challenge shows
it when finished). One open report per player and question: a second one replaces the first.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from quiz.app.contests import ContestService
from quiz.app.errors import Refused
from quiz.selftest.sittings import Mode, Progress
from quiz.storage import report_repo as repo
from quiz.storage.report_repo import Asked, Reporter
from quiz.storage.selftest_repo import sitting_of

# Reason codes and their Chinese names, in the order the phone's chips show them.
REASONS: dict[str, str] = {
    "answer": "答案有误",
    "stem": "题干有误",
    "options": "选项有误",
    "explanation": "解析有误",
    "other": "其他",
}
MAX_NOTE = 200
MAX_RESOLUTION = 200
# Reports (new or replacing) one player may send in a window: enough for every question of a
# round, too few to fill the review queue by script.
RATE_COUNT = 10
RATE_WINDOW_MS = 60_000


class ReportRefused(Refused):
    """A refused report: ``code`` is one of docs/protocol.md's report codes."""


def checked_report(reason: Any, note: Any, bad: str = "bad_payload") -> tuple[str, str]:
    """A report's reason code (one of ``REASONS``) and its note (trimmed, at most 200 characters,
    may be empty); a note that is not text is refused with ``bad``, the API's bad-field code."""
    if not isinstance(reason, str) or reason not in REASONS:
        raise ReportRefused("bad_reason", f"'reason' must be one of: {', '.join(REASONS)}")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise ReportRefused(bad, "'note' must be text")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ReportRefused("note_too_long", f"the note has {len(note)} characters; at most 200")
    return reason, note


class QuestionReports:
    """Takes players' reports and lists and resolves them for organisers, on one database."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        contests: ContestService,
        clock_ms: Callable[[], int],
    ) -> None:
        self.sessions = sessions
        self.contests = contests
        self.clock_ms = clock_ms
        self._recent: dict[str, deque[int]] = {}
        self._lock = threading.Lock()

    def _admit(self, reporter: str) -> None:
        """At most RATE_COUNT reports a minute from one reporter (in this process)."""
        now = self.clock_ms()
        with self._lock:
            for key in [
                k for k, times in self._recent.items() if times[-1] <= now - RATE_WINDOW_MS
            ]:
                del self._recent[key]
            times = self._recent.setdefault(reporter, deque())
            while times and times[0] <= now - RATE_WINDOW_MS:
                times.popleft()
            if len(times) >= RATE_COUNT:
                raise ReportRefused(
                    "rate_limited", f"more than {RATE_COUNT} reports a minute from one player"
                )
            times.append(now)

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock_ms() / 1000, dt.UTC).replace(tzinfo=None)

    def report_in_contest(
        self, code: str, player_id: int, name: str, question: Any, reason: Any, note: Any
    ) -> dict[str, Any]:
        """A seated player's report of a question of their contest, once it has been revealed."""
        if not isinstance(question, str) or not 1 <= len(question) <= 200:
            raise ReportRefused("bad_payload", "'question' must be a question id")
        reason, note = checked_report(reason, note)
        current = self.contests.snapshot_of(code)
        if current is None or question not in current[0].questions:
            raise ReportRefused("unknown_question", f"no question {question!r} in this contest")
        if question not in current[0].revealed:
            raise ReportRefused("not_revealed", "a question may be reported after its reveal")
        self._admit(f"player:{player_id}")
        with self.sessions.begin() as session:
            asked = repo.asked_in_contest(session, code, question)
            if asked is None:
                raise ReportRefused("unknown_question", f"no question {question!r} is stored")
            reporter = Reporter(name, "contest", player_id=player_id, contest_code=code)
            replaced = repo.save_report(session, asked, reporter, reason, note, self._now())
        return {"ok": True, "replaced": replaced}

    def report_in_sitting(
        self, user_id: int, sitting_id: int, position: Any, reason: Any, note: Any
    ) -> dict[str, Any]:
        """A self-test user's report of a question of their sitting, once its key was shown:
        after the answer in practice and review, after the end in an exam or a daily challenge."""
        if type(position) is not int or position < 0:
            raise ReportRefused("bad_field", "'position' must be the question's position")
        reason, note = checked_report(reason, note, "bad_field")
        with self.sessions.begin() as session:
            row = sitting_of(session, sitting_id, user_id)
            if row is None:
                raise ReportRefused("not_found", f"no sitting {sitting_id} of yours")
            if position >= len(row.question_versions):
                raise ReportRefused("unknown_question", f"no question {position + 1} in it")
            mode: Mode = row.mode  # type: ignore[assignment]
            progress = Progress(
                mode,
                len(row.question_versions),
                row.answered,
                row.finished_ms is not None,
                row.deadline_ms,
            )
            shown = progress.finished or (progress.gives_feedback() and position < row.answered)
            if not shown:
                raise ReportRefused(
                    "not_revealed", "a question may be reported once its answer is shown"
                )
            asked: Asked | None = repo.asked_version(session, int(row.question_versions[position]))
            if asked is None:
                raise ReportRefused("unknown_question", "the question is not stored")
            self._admit(f"user:{user_id}")
            reporter = Reporter(
                repo.user_name(session, user_id), "selftest", user_id=user_id, sitting_id=sitting_id
            )
            replaced = repo.save_report(session, asked, reporter, reason, note, self._now())
        return {"ok": True, "replaced": replaced}

    def report_in_wrongbook(
        self, user_id: int, bank: Any, question: Any, reason: Any, note: Any
    ) -> dict[str, Any]:
        """A self-test user's report of a question in their wrong-answer book (whose cards show
        the key), by bank id and question id."""
        if not all(isinstance(v, str) and 0 < len(v) <= 64 for v in (bank, question)):
            raise ReportRefused("bad_field", "'bank' and 'question' must name a question")
        reason, note = checked_report(reason, note, "bad_field")
        with self.sessions.begin() as session:
            asked = repo.asked_in_wrongbook(session, user_id, bank, question)
            if asked is None:
                raise ReportRefused(
                    "not_found", "no card of that question in your wrong-answer book"
                )
            self._admit(f"user:{user_id}")
            reporter = Reporter(repo.user_name(session, user_id), "selftest", user_id=user_id)
            replaced = repo.save_report(session, asked, reporter, reason, note, self._now())
        return {"ok": True, "replaced": replaced}

    def open_reports(self) -> dict[str, Any]:
        """Open reports grouped by question, newest first, with their total."""
        with self.sessions() as session:
            questions = repo.open_reports(session)
        return {"questions": questions, "open": sum(q["count"] for q in questions)}

    def resolve(self, question_id: int, resolution: Any, by: str = "host") -> dict[str, Any]:
        """Resolve every open report of a question with an optional note (at most 200
        characters); ``not_found`` when it has none open."""
        if resolution is None:
            resolution = ""
        if not isinstance(resolution, str) or len(resolution.strip()) > MAX_RESOLUTION:
            raise ReportRefused("note_too_long", "the note must be text of at most 200 characters")
        with self.sessions.begin() as session:
            count = repo.resolve_reports(session, question_id, by, resolution.strip(), self._now())
        if count == 0:
            raise ReportRefused("not_found", f"question {question_id} has no open report")
        return {"ok": True, "resolved": count}
