"""A sitting's rules: which position may be answered, when, and how a finished one is scored.

A sitting is a fixed list of questions served one at a time. Only the open position (the first
unanswered one) may be answered, once; an exam refuses everything after its deadline. These
checks are the whole defence against forged and replayed submissions, so they live here, apart
from the storage that also enforces one answer per position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from quiz.selftest.daily import POINTS_PER_CORRECT

Mode: TypeAlias = Literal["practice", "exam", "review", "daily", "pk"]
STARTABLE: tuple[Mode, ...] = ("practice", "exam", "review", "daily")
MAX_COUNT = 100
MAX_MINUTES = 180
DEFAULT_COUNT: dict[Mode, int] = {"practice": 10, "exam": 20, "review": 20, "daily": 10, "pk": 5}


class SittingError(Exception):
    """A refused answer or request; ``code`` is one of docs/practice.md's error codes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a sitting stands: how many questions, how many answered, and its clock."""

    mode: Mode
    count: int
    answered: int
    finished: bool
    deadline_ms: int | None = None

    def gives_feedback(self) -> bool:
        """Practice, review and PK show the key right after each answer; an exam and the daily
        challenge show nothing (not even right or wrong) until the sitting is finished."""
        return self.mode not in ("exam", "daily")

    def timed_out(self, now_ms: int) -> bool:
        """An exam whose deadline has passed (answers from then on are refused)."""
        return self.deadline_ms is not None and now_ms >= self.deadline_ms


def check_answer(progress: Progress, position: int, now_ms: int) -> None:
    """Refuse an answer unless it is for the open position of a running, in-time sitting."""
    if progress.finished:
        raise SittingError("finished", "this sitting is finished")
    if progress.timed_out(now_ms):
        raise SittingError("time_up", "the exam's time is up; answers are no longer accepted")
    if position < progress.answered:
        raise SittingError("already_answered", f"question {position + 1} was already answered")
    if position != progress.answered or position >= progress.count:
        raise SittingError("not_served", f"question {position + 1} has not been served")


def score(mode: Mode, correct: int, count: int, pk_points: int = 0) -> int:
    """An exam scores 100 × correct / count (rounded half up); the daily challenge 10 per correct
    answer; a PK match its points; practice and review the number right."""
    match mode:
        case "exam":
            return (200 * correct + count) // (2 * count) if count else 0
        case "daily":
            return POINTS_PER_CORRECT * correct
        case "pk":
            return pk_points
        case _:
            return correct


def exam_minutes(count: int, minutes: int | None) -> int:
    """An exam's time limit: as asked (1 to 180), or one minute per question."""
    return minutes if minutes is not None else max(1, min(count, MAX_MINUTES))
