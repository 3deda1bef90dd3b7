"""The application layer: every service that owns side effects, between the core and the adapters.

Services here read and write the database through ``quiz.storage`` and decide through the pure
cores (``quiz.engine``, ``quiz.selftest``); they never import Flask, Socket.IO or engine.io
(a test enforces it). The web adapter parses a request, calls one service function and renders
the result; the CLI does the same from the command line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from quiz.app.accounts import Accounts
from quiz.app.blocking import Offload, in_place
from quiz.app.contests import ContestService
from quiz.app.host_auth import SESSION_HOURS, HostSessions
from quiz.app.pk import PkService, PkSettings
from quiz.app.practice import PracticeService
from quiz.selftest.daily import DAILY_FLOOR_MS


@dataclass(frozen=True, slots=True)
class Services:
    """One process's services on one database."""

    sessions: sessionmaker[Session]
    contests: ContestService
    practice: PracticeService
    pk: PkService
    accounts: Accounts
    offload: Offload
    host_sessions: HostSessions


def build_services(
    sessions: sessionmaker[Session],
    *,
    clock_ms: Callable[[], int],
    today: Callable[[], dt.date] = dt.date.today,
    shared: bool = False,
    offload: Offload = in_place,
    pk_settings: PkSettings | None = None,
    host_session_hours: float = SESSION_HOURS,
    daily_floor_ms: int = DAILY_FLOOR_MS,
) -> Services:
    """Wire the services together; ``shared`` when other processes write the same database."""
    contests = ContestService(sessions, clock_ms, shared=shared)
    practice = PracticeService(sessions, clock_ms, today, daily_floor_ms)
    pk = PkService(contests, practice, pk_settings or PkSettings())
    host_sessions = HostSessions(sessions, clock_ms, host_session_hours)
    return Services(
        sessions, contests, practice, pk, Accounts(sessions, offload), offload, host_sessions
    )
