"""1-v-1 PK on the live contest machinery: a matchmaking queue, the server as host, and the bot.

A match is a contest of the ``pk_1v1`` template, so it is logged, published and recovered by the
same :class:`ContestService` as any contest; players join it as team seats. The web adapter calls
:meth:`PkService.step` every 100 ms: it plays the host (``referee_step``) and the bot
(``bot_step``) of every running match, pairs waiting players, and records finished matches into
their players' history. Players are told of a match through ``notify`` (the adapter's emit).

The queue is a table, so every process pairs from it: a waiter is claimed by deleting its row,
which only one request can do, and the pairing is sent through the message queue to whichever
process holds the other player's connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from quiz.app import history
from quiz.app.contest_setup import SetupError, build_contest
from quiz.app.contests import ContestService
from quiz.app.errors import Refused
from quiz.app.practice import PracticeService
from quiz.engine.commands import Command
from quiz.engine.errors import ContestError
from quiz.engine.state import ContestState
from quiz.engine.views import question_view
from quiz.selftest.pk import BOT_NAME, bot_step, referee_step
from quiz.storage import selftest_repo as repo
from quiz.storage.contest_repo import add_player, contest_by_code
from quiz.storage.models import PkMatchRow, PkQueueRow, UserRow

log = logging.getLogger(__name__)
Notify = Callable[[str, str, dict[str, Any]], None]

TEMPLATE = "pk_1v1"
# A wait nobody claimed for the bot this long after it was due belongs to a process that died.
STALE_AFTER_MS = 30_000


@dataclass(frozen=True, slots=True)
class PkSettings:
    """How long a player waits before the bot joins, the pause between questions, bot pace."""

    bot_after_ms: int = 10_000
    pause_ms: int = 3_000
    bot_pace: float = 1.0


@dataclass(frozen=True, slots=True)
class Waiter:
    """A player in the queue: the connection that asked and when."""

    user_id: int
    sid: str
    since_ms: int


@dataclass(frozen=True, slots=True)
class Running:
    """A match this process plays the host of; ``bot`` is the bot's side, if any."""

    code: str
    bot: str | None


class PkService:
    """The queue and every running match of this process."""

    def __init__(
        self,
        contests: ContestService,
        practice: PracticeService,
        settings: PkSettings,
        notify: Notify | None = None,
    ) -> None:
        # notify(connection id, event name, payload): how a waiting player hears of its match.
        self.notify: Notify = notify or (lambda sid, event, payload: None)
        self.contests = contests
        self.practice = practice
        self.settings = settings
        self.clock_ms: Callable[[], int] = contests.clock_ms
        self.running: dict[str, Running] = {}
        self.users: dict[str, int] = {}  # sid -> user id of practice connections

    # Connections and the queue -------------------------------------------------------------

    def connect(self, sid: str, user_id: Any) -> None:
        """A practice page's connection, for the user its session cookie names."""
        if not isinstance(user_id, int):
            raise Refused("unauthorized", "log in or play as a guest first")
        self.users[sid] = user_id

    def disconnect(self, sid: str) -> None:
        """A closed page leaves the queue."""
        self.cancel(sid)
        self.users.pop(sid, None)

    def player(self, sid: str) -> int:
        """The user behind a practice connection; other connections are refused."""
        user_id = self.users.get(sid)
        if user_id is None:
            raise Refused("not_permitted", "only a logged-in practice page may do this")
        return user_id

    def find(self, sid: str) -> dict[str, Any]:
        """Pair the connection's user with the longest-waiting other player, or queue it."""
        user_id = self.player(sid)
        me = Waiter(user_id, sid, self.clock_ms())
        with self.practice.sessions.begin() as session:
            rival = next(
                (
                    self._waiter(row)
                    for row in repo.waiters(session, not_user=user_id)
                    if repo.claim(session, row)
                ),
                None,
            )
            if rival is None:
                repo.enqueue(session, user_id, sid, me.since_ms)
            else:
                repo.leave_queue(session, user_id=user_id)
        if rival is None:
            return {"ok": True, "waiting": True, "bot_after_ms": self.settings.bot_after_ms}
        seats = self.start_match(rival, me)
        if user_id not in seats:
            return {"ok": False, "code": "refused", "message": "no PK match could be set up"}
        return {"ok": True, "matched": seats[user_id]}

    def cancel(self, sid: str) -> None:
        """Leave the queue (a closed page leaves it too)."""
        with self.practice.sessions.begin() as session:
            repo.leave_queue(session, sid=sid)

    def pair_waiting(self, now: int) -> None:
        """Pair players who queued at the same moment (each found the queue empty, perhaps on
        different processes); give the bot to this process's players who waited long enough;
        drop waits whose process must have died (nobody claimed them for the bot)."""
        pairs: list[tuple[Waiter, Waiter | None]] = []
        with self.practice.sessions.begin() as session:
            queue = repo.waiters(session)
            while len(queue) >= 2:
                first = queue.pop(0)
                if not repo.claim(session, first):
                    continue
                partner = next((row for row in queue if repo.claim(session, row)), None)
                if partner is None:  # the others were taken meanwhile: first waits on
                    repo.enqueue(session, first.user_id, first.sid, first.since_ms)
                    break
                queue.remove(partner)
                pairs.append((self._waiter(first), self._waiter(partner)))
            lonely_since = now - self.settings.bot_after_ms
            for row in queue:  # the unpaired, longest-waiting first
                if row.since_ms > lonely_since:
                    break
                mine = self.users.get(row.sid) == row.user_id
                dead = row.since_ms < lonely_since - STALE_AFTER_MS
                claimed = (mine or dead) and repo.claim(session, row)
                if claimed and mine:
                    pairs.append((self._waiter(row), None))
        for red, blue in pairs:
            self.start_match(red, blue)

    @staticmethod
    def _waiter(row: PkQueueRow) -> Waiter:
        return Waiter(row.user_id, row.sid, row.since_ms)

    def start_match(self, red: Waiter, blue: Waiter | None) -> dict[int, dict[str, Any]]:
        """Create a match for two players (or one and the bot) and tell each its seat."""
        with self.practice.sessions() as session:
            users = repo.users_by_id(session, [red.user_id, *([blue.user_id] if blue else [])])
            banks = repo.bank_slugs(session)
        people = {"red": users[red.user_id], "blue": users[blue.user_id] if blue else None}
        names = {side: row.name if row else BOT_NAME for side, row in people.items()}
        try:
            created = build_contest(
                self.contests,
                title=f"PK {names['red']} vs {names['blue']}",
                template=TEMPLATE,
                bank_ids=banks,
                team_names=names,
                purpose="pk",
            )
        except SetupError as error:
            log.error("cannot create a PK match: %s", error)
            for waiter in (red, blue):
                if waiter is not None:
                    self.notify(waiter.sid, "pk_failed", {"message": str(error)})
            return {}
        seats: dict[int, dict[str, Any]] = {}
        with self.contests.sessions.begin() as session:
            contest = contest_by_code(session, created.code)
            assert contest is not None
            repo.add_pk_match(session, contest.id, red.user_id, blue.user_id if blue else None)
            for side, waiter in (("red", red), ("blue", blue)):
                if waiter is None:
                    continue
                _, token = add_player(session, contest, side, names[side])
                other = people[other_side(side)]
                seats[waiter.user_id] = {
                    "contest": created.code,
                    "seat": token,
                    "team": side,
                    "opponent": {
                        "name": other.name if other else BOT_NAME,
                        "detachment": other.detachment if other else "",
                        "bot": other is None,
                    },
                }
        self.running[created.code] = Running(created.code, None if blue else "blue")
        for waiter in (red, blue):
            if waiter is not None:
                self.notify(waiter.sid, "pk_matched", seats[waiter.user_id])
        return seats

    # The loop ----------------------------------------------------------------------------

    def step(self) -> None:
        """One pass: pair long waiters with the bot, host and bot every match, record the ends."""
        now = self.clock_ms()
        self.pair_waiting(now)
        for match in list(self.running.values()):
            try:
                self._drive(match, now)
            except ContestError as error:
                log.warning("PK %s: %s", match.code, error)

    def _drive(self, match: Running, now: int) -> None:
        live = self.contests.live(match.code)
        if live is None:
            self.running.pop(match.code, None)
            return
        state = live.state
        command: Command | None = None
        if match.bot is not None:
            command = bot_step(state, match.bot, now, self.settings.bot_pace)
        command = command or referee_step(state, now, live.last_at, self.settings.pause_ms)
        if command is not None:
            chosen = command
            self.contests.execute(match.code, lambda at: replace(chosen, at=at))
        elif state.phase == "finished" and state.podium is not None:
            record_match(self.practice, match.code, state)
            self.running.pop(match.code, None)
            # Thousands of matches a day would otherwise stay cached for the server's life.
            self.contests.unload(match.code)

    def recover(self) -> None:
        """After a restart, host again every match whose result is not recorded yet."""
        with self.practice.sessions() as session:
            for row, code in repo.unrecorded_matches(session):
                self.running[code] = Running(code, row.bot_team)

    def rejoin(self, code: str, user_id: int) -> dict[str, Any] | None:
        """A fresh seat on the user's side of a running match (after a reload or a new phone)."""
        with self.contests.sessions.begin() as session:
            contest = contest_by_code(session, code)
            match = repo.pk_match_of(session, contest.id) if contest else None
            if contest is None or match is None or match.recorded:
                return None
            side = side_of(match, user_id)
            if side is None:
                return None
            user = session.get(UserRow, user_id)
            assert user is not None
            _, token = add_player(session, contest, side, user.name)
            return {"contest": contest.code, "seat": token, "team": side}

    # Reports ------------------------------------------------------------------------------

    def summary(self, code: str, user_id: int) -> dict[str, Any] | None:
        """A match as one of its players sees it afterwards; None for anyone else."""
        with self.practice.sessions() as session:
            contest = contest_by_code(session, code)
            match = repo.pk_match_of(session, contest.id) if contest else None
        you = side_of(match, user_id) if match is not None else None
        if match is None or you is None:
            return None
        current = self.contests.snapshot_of(code)
        assert current is not None
        state, _ = current
        other = other_side(you)
        finished = state.phase == "finished"
        judged: dict[tuple[str, str], Any] = {(j.team, j.question_id): j for j in state.judgements}
        review = []
        for question_id in dict.fromkeys(j.question_id for j in state.judgements):
            if question_id not in state.revealed:
                continue
            mine, theirs = judged.get((you, question_id)), judged.get((other, question_id))
            review.append(
                {
                    "question": question_view(state.questions[question_id], reveal=True),
                    "you": {"correct": mine.correct, "points": mine.delta} if mine else None,
                    "opponent": {"correct": theirs.correct, "points": theirs.delta}
                    if theirs
                    else None,
                }
            )
        teams = {t.id: t.name for t in state.rules.teams} if state.rules else {}
        return {
            "contest": code,
            "finished": finished,
            "you": {"team": you, "name": teams.get(you), "score": state.totals.get(you, 0)},
            "opponent": {
                "team": other,
                "name": teams.get(other),
                "score": state.totals.get(other, 0),
                "bot": match.bot_team == other,
            },
            "review": review,
        }


def other_side(side: str) -> str:
    """The opponent's side of a match: red against blue."""
    return "blue" if side == "red" else "red"


def side_of(match: PkMatchRow, user_id: int) -> str | None:
    """The side a user plays in a match; None when they are not one of its players."""
    if match.red_user_id == user_id:
        return "red"
    return "blue" if match.blue_user_id == user_id else None


def record_match(practice: PracticeService, code: str, state: ContestState) -> None:
    """Put a finished match into each human player's history and wrong-answer book, once."""
    with practice.sessions.begin() as session:
        contest = contest_by_code(session, code)
        match = repo.pk_match_of(session, contest.id) if contest is not None else None
        # Two processes hosting the same match (one restarted) may both get here: the
        # conditional update lets exactly one of them record it.
        if contest is None or match is None or not repo.claim_recording(session, match.id):
            return
        started = min((j.at for j in state.judgements), default=practice.clock_ms())
        names = {t.id: t.name for t in state.rules.teams} if state.rules else {}
        today = practice.today()
        for team, user_id in (("red", match.red_user_id), ("blue", match.blue_user_id)):
            if user_id is None:
                continue
            other = other_side(team)
            mine = [j for j in state.judgements if j.team == team]
            version_ids = [int(contest.question_versions[j.question_id]) for j in mine]
            items = practice.versions(session, version_ids)
            gap = state.totals.get(team, 0) - state.totals.get(other, 0)
            sitting = repo.add_sitting(
                session,
                user_id=user_id,
                mode="pk",
                config={
                    "contest": code,
                    "opponent": names.get(other, ""),
                    "bot": match.bot_team == other,
                    "outcome": "won" if gap > 0 else "lost" if gap < 0 else "drawn",
                },
                question_versions=version_ids,
                started_ms=started,
                finished_ms=max((j.at for j in mine), default=started),
                answered=len(mine),
                correct=sum(j.correct for j in mine),
                score=state.totals.get(team, 0),
                contest_code=code,
            )
            for position, (judgement, version_id) in enumerate(zip(mine, version_ids, strict=True)):
                history.record_answer(
                    session,
                    sitting,
                    position,
                    items[version_id],
                    None,
                    judgement.correct,
                    judgement.at,
                    today,
                )
