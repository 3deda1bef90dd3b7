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
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from quiz.app.blocking import Offload, in_process
from quiz.app.errors import Refused
from quiz.banks.formats import FileReport, read_bank
from quiz.banks.model import Bank, question_to_dict
from quiz.storage import bank_repo
from quiz.storage.bank_import import ImportResult, import_bank_in_steps, preview_import
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
    bank file writes them; ``questions`` counts them all. ``would`` is what importing it would
    do (the dry run of a check); ``result`` is what importing it did.
    """

    ok: bool
    problems: tuple[Problem, ...]
    unlisted: int
    questions: int
    preview: tuple[dict[str, Any], ...] = ()
    result: ImportResult | None = field(default=None)
    would: ImportResult | None = field(default=None)


def bank_list(sessions: sessionmaker[Session]) -> list[BankSummary]:
    """Every stored bank with counts of its active questions, ordered by bank id."""
    with sessions() as session:
        return bank_repo.bank_summaries(session)


def import_bank(sessions: sessionmaker[Session], bank: Bank) -> ImportResult:
    """Store a validated bank in short steps that show it all at once at the end (idempotent;
    see ``bank_import.import_bank_in_steps``), so live contests never wait long for the write."""
    return import_bank_in_steps(sessions, bank)


def check_upload(
    sessions: sessionmaker[Session], data: bytes, filename: str, run: Offload = in_process
) -> UploadReport:
    """Read and check an uploaded bank file through ``run`` and, when it has no error, say what
    importing it would add, change and retire (writing nothing); ``busy`` while another upload
    runs."""
    with _one_upload():
        if _in_memory(sessions):
            return _check_against(sessions, data, filename)
        return run(_check, _url(sessions), data, filename)


def import_upload(
    sessions: sessionmaker[Session], data: bytes, filename: str, run: Offload = in_process
) -> UploadReport:
    """Check an uploaded bank and import it when it has no error, both through ``run``.

    The worker opens its own connection to the same database; a database only this process
    can see (SQLite in memory) is imported in place.
    """
    with _one_upload():
        if _in_memory(sessions):
            return _import_into(sessions, data, filename)
        return run(_import, _url(sessions), data, filename)


def _in_memory(sessions: sessionmaker[Session]) -> bool:
    """Whether the database lives in this process only (SQLite in memory): no worker sees it."""
    url = sessions.kw["bind"].url
    return bool(url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


def _url(sessions: sessionmaker[Session]) -> str:
    return str(sessions.kw["bind"].url.render_as_string(hide_password=False))


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
    return replace(report, result=result)


def _check(database_url: str, data: bytes, filename: str) -> UploadReport:
    """(In the worker) read and check the file, then compare it with the stored bank."""
    engine = make_engine(database_url)
    try:
        return _check_against(session_factory(engine), data, filename)
    finally:
        engine.dispose()


def _check_against(sessions: sessionmaker[Session], data: bytes, filename: str) -> UploadReport:
    """Read and check the file; a bank without errors gets the dry run of its import."""
    report = read_bank(data, filename)
    summary = _summary(report)
    if report.bank is None:
        return summary
    with sessions() as session:
        return replace(summary, would=preview_import(session, report.bank))


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
