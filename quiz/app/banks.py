"""Question banks as the host's pages use them: the list with counts, and uploads.

An upload is read, checked and imported in a worker process (``blocking.in_process``): a
100,000-question file is half a minute of Python, which on the server's loop froze every live
contest. One upload is handled at a time per server process; a second one meanwhile is refused
with ``busy`` rather than queued, so a host is never left waiting on someone else's file.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from quiz.app.blocking import Offload, in_process
from quiz.app.errors import Refused
from quiz.banks.formats import FileReport, read_bank
from quiz.banks.model import Bank, question_to_dict
from quiz.storage import bank_repo
from quiz.storage.bank_import import ImportResult, import_bank_in_steps
from quiz.storage.bank_repo import BankSummary
from quiz.storage.db import make_engine, session_factory
from quiz.yamlsource import Problem

# Questions shown in an upload's preview; the count says how many the file has.
PREVIEW = 200
_uploading = threading.Lock()


@dataclass(frozen=True, slots=True)
class UploadReport:
    """What an upload's check (and import) found: small enough to send back from a worker.

    ``problems`` are the first ``MAX_PROBLEMS`` (at file:line:col); ``unlisted`` counts the
    rest. ``preview`` holds the first :data:`PREVIEW` questions of a bank without errors, as a
    bank file writes them; ``questions`` counts them all. ``result`` is set once imported.
    """

    ok: bool
    problems: tuple[Problem, ...]
    unlisted: int
    questions: int
    preview: tuple[dict[str, Any], ...] = ()
    result: ImportResult | None = field(default=None)


def bank_list(sessions: sessionmaker[Session]) -> list[BankSummary]:
    """Every stored bank with counts of its active questions, ordered by bank id."""
    with sessions() as session:
        return bank_repo.bank_summaries(session)


def import_bank(sessions: sessionmaker[Session], bank: Bank) -> ImportResult:
    """Store a validated bank in short steps that show it all at once at the end (idempotent;
    see ``bank_import.import_bank_in_steps``), so live contests never wait long for the write."""
    return import_bank_in_steps(sessions, bank)


def check_upload(data: bytes, filename: str, run: Offload = in_process) -> UploadReport:
    """Read and check an uploaded bank file through ``run``; ``busy`` while another upload runs."""
    with _one_upload():
        return run(_check, data, filename)


def import_upload(
    sessions: sessionmaker[Session], data: bytes, filename: str, run: Offload = in_process
) -> UploadReport:
    """Check an uploaded bank and import it when it has no error, both through ``run``.

    The worker opens its own connection to the same database; a database only this process
    can see (SQLite in memory) is imported in place.
    """
    url = sessions.kw["bind"].url
    with _one_upload():
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return _import_into(sessions, data, filename)
        return run(_import, url.render_as_string(hide_password=False), data, filename)


@contextmanager
def _one_upload() -> Iterator[None]:
    """Hold the process's one upload slot, or refuse with ``busy``."""
    if not _uploading.acquire(blocking=False):
        raise Refused("busy", "另一个题库正在检查或导入，请稍后再试")
    try:
        yield
    finally:
        _uploading.release()


def _summary(report: FileReport) -> UploadReport:
    bank = report.bank
    return UploadReport(
        ok=bank is not None,
        problems=tuple(report.problems),
        unlisted=report.unlisted,
        questions=len(bank.questions) if bank else 0,
        preview=tuple(question_to_dict(q) for q in bank.questions[:PREVIEW]) if bank else (),
    )


def _with_result(report: UploadReport, result: ImportResult) -> UploadReport:
    return UploadReport(
        report.ok, report.problems, report.unlisted, report.questions, report.preview, result
    )


def _check(data: bytes, filename: str) -> UploadReport:
    """(In the worker) read and check the file."""
    return _summary(read_bank(data, filename))


def _import(database_url: str, data: bytes, filename: str) -> UploadReport:
    """(In the worker) read and check the file, then import it on a connection of its own."""
    engine = make_engine(database_url)
    try:
        return _import_into(session_factory(engine), data, filename)
    finally:
        engine.dispose()


def _import_into(sessions: sessionmaker[Session], data: bytes, filename: str) -> UploadReport:
    """Read and check the file, then import a bank without errors in one transaction."""
    report = read_bank(data, filename)
    summary = _summary(report)
    if report.bank is None:
        return summary
    return _with_result(summary, import_bank(sessions, report.bank))
