"""The one place where a live contest changes: lock, apply, log, commit, then publish.

Each command goes through :meth:`ContestService.execute`: take the contest's lock, apply the
command to the cached state, append it to the command log and commit, and only then hand the
events to the publisher. The cached state is only a cache of the log: it is rebuilt from the
database when a process starts or when another process has written first (the unique
``(contest, seq)`` pair makes a stale writer fail instead of forking the history).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from quiz.engine.commands import Command, Pause, Resume, SetUpContest, Tick
from quiz.engine.errors import ContestError, DecodeError
from quiz.engine.events import Event
from quiz.engine.machine import apply, next_deadline
from quiz.engine.questions import Question
from quiz.engine.rules import RuleSet
from quiz.engine.selection import RoundPlan
from quiz.engine.serialization import (
    command_from_dict,
    command_to_dict,
    state_from_json,
    state_to_json,
)
from quiz.engine.state import BLANK, ContestState
from quiz.storage import contest_repo
from quiz.storage.models import ContestRow

log = logging.getLogger(__name__)
SNAPSHOT_EVERY = 200
ATTEMPTS = 5
ALIVE_KEY = "alive_at_ms"


@dataclass(slots=True)
class LiveContest:
    """A contest's current state as of log position ``seq``, with the lock that guards it."""

    id: int
    code: str
    state: ContestState
    seq: int
    last_at: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What executing a command did: the new position, its events, or why it changed nothing."""

    seq: int
    events: tuple[Event, ...]
    ignored: str | None = None


@dataclass(frozen=True, slots=True)
class NewContest:
    """Everything a contest is created with: what the host chose and the planned questions."""

    title: str
    purpose: str
    template: dict[str, Any]
    rules: RuleSet
    questions: tuple[Question, ...]
    plan: tuple[RoundPlan, ...]
    seed: int
    question_versions: dict[str, int]
    # The 成绩单's venue, organiser and host_name, as far as the host gave them.
    details: dict[str, str] = field(default_factory=dict)
    # How members join: "team_code" (each team's own code) or "open" (the contest code alone).
    join_mode: str = "team_code"


@dataclass(frozen=True, slots=True)
class CreatedContest:
    """The new contest's code and projector key."""

    code: str
    screen_key: str


Publisher = Callable[[LiveContest, tuple[Event, ...]], None]


def _status(state: ContestState) -> str:
    if state.phase == "finished":
        return "finished"
    return "lobby" if state.phase in ("blank", "lobby") else "running"


class ContestService:
    """Runs every live contest of this process against the shared command log."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock_ms: Callable[[], int],
        publish: Publisher | None = None,
        *,
        shared: bool = False,
    ) -> None:
        self.sessions = sessions
        # With several server processes on one database, another process may have logged
        # commands this one has not seen: read them before every command and snapshot.
        self.shared = shared
        self.clock_ms = clock_ms
        self.publish: Publisher = publish or (lambda live, events: None)
        self._contests: dict[str, LiveContest] = {}
        self._registry = threading.Lock()

    def live(self, code: str) -> LiveContest | None:
        """The contest with this code, loaded from the log on first use; None if unknown."""
        code = code.strip().upper()
        with self._registry:
            cached = self._contests.get(code)
            if cached is not None:
                return cached
            with self.sessions() as session:
                row = contest_repo.contest_by_code(session, code)
                if row is None:
                    return None
                loaded = self._load(session, row)
            self._contests[code] = loaded
            return loaded

    def _load(self, session: Session, row: ContestRow) -> LiveContest:
        """Rebuild a contest: its snapshot (if any), then every command logged after it; a
        snapshot of an older format is passed over and the whole log replayed instead."""
        state, seq = BLANK, 0
        if row.snapshot is not None:
            try:
                state, seq = state_from_json(json.dumps(row.snapshot)), row.snapshot_seq
            except DecodeError:
                log.info("contest %s: snapshot of an older format; replaying its log", row.code)
        live = LiveContest(row.id, row.code, state, seq)
        self._catch_up(session, live)
        return live

    def _refresh(self, live: LiveContest) -> None:
        """Fold in the commands other processes logged since this one last looked."""
        with self.sessions() as session:
            self._catch_up(session, live)

    @staticmethod
    def _catch_up(session: Session, live: LiveContest) -> None:
        for seq, payload in contest_repo.commands_after(session, live.id, live.seq):
            command = command_from_dict(payload)
            try:
                live.state, _ = apply(live.state, command)
            except ContestError as error:
                # Logged under older rules that today's core refuses (say, a wrong-shaped answer
                # logged before such answers were refused): it changes nothing now, and one old
                # entry must not keep a contest, or the server's recovery, from loading.
                log.warning(
                    "contest %s: logged command %d refused on replay: %s", live.code, seq, error
                )
            live.seq, live.last_at = seq, max(live.last_at, command.at)

    def create(self, new: NewContest) -> CreatedContest:
        """Create a contest by its first command, ``SetUpContest``: stamped, applied, logged and
        committed under the new contest's lock, then cached and published like any command."""
        lock = threading.RLock()
        with lock, self.sessions.begin() as session:
            code = contest_repo.new_code(session)
            setup = SetUpContest(
                at=self.clock_ms(),
                contest_id=code,
                rules=new.rules,
                questions=new.questions,
                plan=new.plan,
                seed=new.seed,
            )
            state, events = apply(BLANK, setup)
            row = contest_repo.create_contest(
                session,
                code=code,
                title=new.title,
                template=new.template,
                status=_status(state),
                teams=[(team.id, team.name) for team in new.rules.teams],
                setup=command_to_dict(setup),
                question_versions=new.question_versions,
                purpose=new.purpose,
                details=new.details,
                join_mode=new.join_mode,
            )
            live = LiveContest(row.id, code, state, seq=1, last_at=setup.at, lock=lock)
            created = CreatedContest(code, row.screen_key)
        with self._registry:
            self._contests[code] = live
        with lock:
            self.publish(live, events)
        return created

    def execute(self, code: str, make: Callable[[int], Command]) -> Outcome:
        """Apply the command ``make(at)`` durably; the core's refusal propagates unchanged."""
        live = self.live(code)
        if live is None:
            raise LookupError(code)
        with live.lock:
            for attempt in range(ATTEMPTS):
                if self.shared or attempt:
                    self._refresh(live)
                # A contest's clock never runs backwards, even if the server's clock steps back.
                at = max(self.clock_ms(), live.last_at)
                command = make(at)
                state, events = apply(live.state, command)
                if state is live.state:
                    reason = getattr(events[0], "reason", "nothing_changed") if events else None
                    return Outcome(live.seq, events, ignored=reason or "nothing_changed")
                try:
                    self._record(live, command, state)
                except IntegrityError:
                    # Another process logged first: fold its commands in and try again.
                    if attempt == ATTEMPTS - 1:
                        raise
                    continue
                live.state, live.seq, live.last_at = state, live.seq + 1, command.at
                self.publish(live, events)
                return Outcome(live.seq, events)
        raise AssertionError("unreachable")

    def _record(self, live: LiveContest, command: Command, state: ContestState) -> None:
        with self.sessions.begin() as session:
            contest_repo.append_command(session, live.id, live.seq + 1, command_to_dict(command))
            # The status follows from the state, so the row is touched only when it changes.
            status = _status(state)
            if status != _status(live.state):
                session.execute(
                    update(ContestRow).where(ContestRow.id == live.id).values(status=status)
                )
            if (live.seq + 1) % SNAPSHOT_EVERY == 0:
                snapshot = json.loads(state_to_json(state))
                contest_repo.save_snapshot(session, live.id, live.seq + 1, snapshot)

    def tick(self) -> None:
        """Fire the due timers of every loaded contest (called about every 100 ms)."""
        now = self.clock_ms()
        for live in list(self._contests.values()):
            if self.shared:
                with live.lock:
                    self._refresh(live)
            due = next_deadline(live.state)
            if due is not None and due <= now:
                self.execute(live.code, lambda at: Tick(at=at))

    def mark_alive(self) -> None:
        """Record that the server is alive now; recovery pauses timers at the last such mark."""
        with self.sessions.begin() as session:
            contest_repo.set_setting(session, ALIVE_KEY, str(self.clock_ms()))

    def recover(self) -> list[str]:
        """Load every running contest; timers that ran while the server was down are paused at
        the last alive mark and resumed now, so each keeps the time it had left."""
        with self.sessions() as session:
            codes = [
                row.code
                for row in contest_repo.list_contests(session, None)
                if row.status == "running"
            ]
            alive = int(contest_repo.get_setting(session, ALIVE_KEY) or 0)
        recovered = []
        for code in codes:
            live = self.live(code)
            assert live is not None
            if next_deadline(live.state) is None:
                continue
            paused_at = max(alive, live.last_at)
            self.execute(code, partial(_pause_at, paused_at))
            self.execute(code, lambda at: Resume(at=at))
            recovered.append(code)
        return recovered

    def unload(self, code: str) -> None:
        """Drop one contest from the cache (a finished PK match); its next use reloads it."""
        with self._registry:
            self._contests.pop(code, None)

    def forget(self) -> None:
        """Drop every cached contest (the next use reloads it from the log)."""
        with self._registry:
            self._contests.clear()

    @contextmanager
    def locked(self, code: str) -> Iterator[tuple[LiveContest, Session] | None]:
        """The contest up to date and held, with an open transaction, for a change kept outside
        the log (seating members) that must not interleave with a command, in this process or
        another: the contest's row stays locked until the transaction commits; None for an
        unknown code."""
        live = self.live(code)
        if live is None:
            yield None
            return
        with live.lock, self.sessions.begin() as session:
            if self.shared:
                contest_repo.hold_contest(session, live.id)
                self._catch_up(session, live)
            yield live, session

    def snapshot_of(self, code: str) -> tuple[ContestState, int] | None:
        """The contest's current state and log position, for a connecting client."""
        live = self.live(code)
        if live is None:
            return None
        with live.lock:
            if self.shared:
                self._refresh(live)
            return live.state, live.seq


def _pause_at(when: int, _now: int) -> Pause:
    """A pause stamped at a past moment (the last time the server was known alive)."""
    return Pause(at=when)
