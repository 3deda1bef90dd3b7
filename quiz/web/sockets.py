"""Socket.IO handlers: authenticate, check the payload, hand a command to the service.

Handlers stay a few lines each; every refusal becomes an ack ``{ok: false, code, message}``
and nothing a client sends can raise out of a handler. What each role receives is decided by
the core's ``view`` and ``events_for`` in :meth:`Hub.publish` and :meth:`Hub.snapshot`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from flask import request, session
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from quiz.app.contests import ContestService, LiveContest
from quiz.app.errors import Refused
from quiz.app.host_auth import HostSessions
from quiz.app.lobby import contest_info, seat_of
from quiz.app.pk import PkService
from quiz.app.question_reports import QuestionReports
from quiz.engine.clocksync import estimate_clock
from quiz.engine.commands import Buzz, PassQuestion, SyncClock
from quiz.engine.errors import CommandRefused, ContestError
from quiz.engine.events import BuzzIgnored, Event
from quiz.engine.views import events_for, view
from quiz.storage.contest_repo import player_id_of
from quiz.storage.report_repo import seat_row_id
from quiz.web.clocks import DeviceClocks
from quiz.web.limits import RateLimiter
from quiz.web.protocol import (
    PROTOCOL_VERSION,
    CommandFactory,
    ProtocolError,
    checked_payload,
    host_command,
    team_answer,
    team_buzz_times,
    team_tier,
)

log = logging.getLogger(__name__)
PING_EVERY_S = 2.0
PING_SLICES = 20
FIRST_PINGS = 5
LOGGED_OUT = "主持人登录已结束（已退出或密码已更改），请重新登录"


def now_ms() -> int:
    """The server clock every command is stamped with (Unix epoch, ms)."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class Client:
    """Who is on the other end of one Socket.IO connection."""

    role: str  # "host", "screen", "audience" or "team:<id>"
    code: str
    title: str
    team: str | None = None
    player: str | None = None
    name: str | None = None
    host_session: str | None = None  # the host login this connection was opened with

    @property
    def room(self) -> str:
        return f"{self.code}/{self.role}"

    def me(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "contest": self.code,
            "title": self.title,
            "team": self.team,
            "player": self.player,
            "name": self.name,
        }


def _pinged(client: Client) -> bool:
    """Team devices and screens get clock pings: both show 开始抢答 at armed_at."""
    return client.team is not None or client.role == "screen"


class PracticeRoom(Protocol):
    """Where self-test connections (``auth: {role: "practice"}``) go instead of a contest."""

    def connect(self, sid: str, user_id: Any) -> None:
        """Accept a logged-in user's connection, or raise Refused."""

    def disconnect(self, sid: str) -> None:
        """Forget a connection that closed."""


class Hub:
    """Connections, their rooms and clocks, and the publishing of every accepted command."""

    def __init__(
        self, socketio: SocketIO, service: ContestService, host_sessions: HostSessions
    ) -> None:
        self.socketio = socketio
        self.service = service
        self.host_sessions = host_sessions
        self.clients: dict[str, Client] = {}
        self.clocks = DeviceClocks()
        self.buzzes = RateLimiter(5, burst=5)
        self.events = RateLimiter(20, burst=20)
        # The host is one logged-in console whose scripted or key-mode commands may come faster
        # than a phone's taps; its budget only stops a runaway client.
        self.host_events = RateLimiter(100, burst=100)
        self.synced: dict[tuple[str, str], tuple[tuple[int, int, int], ...]] = {}
        self.practice: PracticeRoom | None = None
        self.reports: QuestionReports | None = None
        self._lock = threading.Lock()

    def rooms_of(self, live: LiveContest) -> list[str]:
        """Every role of a contest that may have listeners."""
        teams = list(live.state.totals)
        return ["host", "screen", "audience", *(f"team:{team}" for team in teams)]

    def publish(self, live: LiveContest, events: tuple[Event, ...]) -> None:
        """Send each role its view and its share of the events (called under the contest lock)."""
        server_ms = now_ms()
        for role in self.rooms_of(live):
            payload = {
                "protocol": PROTOCOL_VERSION,
                "seq": live.seq,
                "server_ms": server_ms,
                "events": events_for(live.state, events, role),
                "view": view(live.state, role),
            }
            self.socketio.emit("update", payload, to=f"{live.code}/{role}")

    def close_seat(self, code: str, player: str, notice: dict[str, Any]) -> None:
        """Send each device of a seat the host removed or moved a `notice`, then disconnect it:
        a removed seat's reconnect is refused, a moved one's comes back on its new team."""
        for sid, client in list(self.clients.items()):
            if client.code == code and client.player == player:
                self.socketio.emit("notice", notice, to=sid)
                self.socketio.server.disconnect(sid)

    def snapshot(self, client: Client) -> dict[str, Any]:
        """A connecting client's full picture of its role."""
        current = self.service.snapshot_of(client.code)
        assert current is not None
        state, seq = current
        return {
            "protocol": PROTOCOL_VERSION,
            "seq": seq,
            "server_ms": now_ms(),
            "view": view(state, client.role),
            "me": client.me(),
        }

    def authenticate(self, auth: Any, host_session: Any) -> Client:
        """The client an ``auth`` object proves, or ProtocolError saying why not;
        ``host_session`` is the host login the session cookie carries."""
        fields = checked_payload(auth, ("role", "contest", "key", "seat"))
        role = fields.get("role")
        if role == "team":
            seat_token = fields.get("seat")
            if not isinstance(seat_token, str) or len(seat_token) > 100:
                raise ProtocolError("unauthorized", "a team device needs its seat token")
            seat = seat_of(self.service, seat_token)
            if seat is None:
                raise ProtocolError("unauthorized", "unknown seat: join the contest again")
            title, _ = self._contest(seat.code)
            return Client(
                f"team:{seat.team}",
                seat.code,
                title,
                seat.team,
                player_id_of(seat.player_id),
                seat.player_name,
            )
        code = fields.get("contest")
        if not isinstance(code, str) or len(code) > 16:
            raise ProtocolError("unknown_contest", "give the contest code")
        title, screen_key = self._contest(code)
        code = code.strip().upper()
        if role == "host":
            if not self.host_sessions.alive(host_session):
                raise ProtocolError("unauthorized", "log in as the host first")
            # Kept so that every later command is checked against the same login.
            return Client("host", code, title, host_session=host_session)
        if role == "screen":
            if fields.get("key") != screen_key:
                raise ProtocolError("unauthorized", "wrong screen key")
        elif role != "audience":
            raise ProtocolError("bad_payload", "role must be host, screen, team or audience")
        return Client(str(role), code, title)

    def _contest(self, code: str) -> tuple[str, str]:
        """A contest's title and screen key, in one query; unknown codes are refused."""
        info = contest_info(self.service, code)
        if info is None:
            raise ProtocolError("unknown_contest", f"no contest with code {code!r}")
        return info.title, info.screen_key

    def run(self, sid: str, make: CommandFactory) -> dict[str, Any]:
        """Execute a command for a client and describe the outcome as an ack."""
        client = self.clients[sid]
        try:
            outcome = self.service.execute(client.code, make)
        except CommandRefused as error:
            ack = {"ok": False, "code": error.code, "message": str(error)}
            return {**ack, "reason": error.reason_code}
        except ContestError as error:
            return {"ok": False, "code": error.code, "message": str(error)}
        # An early press is logged (it starts a lockout) yet counts for nothing: say so too.
        ignored = outcome.ignored or next(
            (e.reason for e in outcome.events if isinstance(e, BuzzIgnored)), None
        )
        if ignored is not None:
            return {"ok": True, "ignored": ignored, "seq": outcome.seq}
        return {"ok": True, "seq": outcome.seq}

    def buzz(self, sid: str, payload: Any) -> dict[str, Any]:
        """A team's buzz: log the device's clock samples first (compensated mode), then it."""
        client = self.team_client(sid)
        if not self.buzzes.allow(sid):
            raise ProtocolError("rate_limited", "more than 5 buzzes a second from this device")
        shown, pressed = team_buzz_times(payload)
        team, player = client.team or "", client.player
        live = self.service.live(client.code)
        assert live is not None
        state = live.state
        samples = self.clocks.samples(sid)[:4]
        compensated = state.round is not None and state.round_rules().fairness == "compensated"
        if compensated and samples and self.synced.get((client.code, team)) != samples:
            ack = self.run(sid, lambda at: SyncClock(at=at, team=team, samples=samples))
            if ack["ok"]:
                self.synced[(client.code, team)] = samples
        return self.run(
            sid,
            lambda at: Buzz(at=at, team=team, player=player, shown_ms=shown, pressed_ms=pressed),
        )

    def report(self, sid: str, payload: Any) -> dict[str, Any]:
        """A seated player's 纠错 of a revealed question of their contest; nobody else is told."""
        client = self.team_client(sid)
        fields = checked_payload(payload, ("question", "reason", "note"))
        seat = seat_row_id(client.player or "")
        if seat is None or self.reports is None:
            raise ProtocolError("not_permitted", "only a seated player may report a question")
        return self.reports.report_in_contest(
            client.code,
            seat,
            client.name or "",
            fields.get("question"),
            fields.get("reason"),
            fields.get("note"),
        )

    def limit(self, sid: str) -> None:
        """Refuse a device's 21st event within a second (the host's 101st)."""
        client = self.clients.get(sid)
        if client is not None and client.role == "host":
            if not self.host_events.allow(sid):
                raise ProtocolError("rate_limited", "more than 100 events a second from the host")
        elif not self.events.allow(sid):
            raise ProtocolError("rate_limited", "more than 20 events a second from this device")

    def team_client(self, sid: str) -> Client:
        """The connection's client, which must be a team device."""
        client = self.clients.get(sid)
        if client is None or client.team is None:
            raise ProtocolError("not_permitted", "only a team device may send this")
        return client

    def host_client(self, sid: str) -> Client:
        """The connection's client, which must be the host whose login still holds; a
        connection whose login was ended (logout, a new password, expiry) is refused and
        closed."""
        client = self.clients.get(sid)
        if client is None or client.role != "host":
            raise ProtocolError("not_permitted", "only the host may send this")
        if not self.host_sessions.alive(client.host_session):
            # The refusal is the ack; the timer loop closes the connection within a second.
            raise ProtocolError("unauthorized", LOGGED_OUT)
        return client

    def close_ended_host_logins(self) -> None:
        """Close every host connection whose login has ended, so it stops receiving the host's
        view (which holds the keys) even if it sends nothing."""
        for sid, client in list(self.clients.items()):
            if client.role == "host" and not self.host_sessions.alive(client.host_session):
                self.socketio.emit(
                    "notice", {"code": "unauthorized", "message": LOGGED_OUT}, to=sid
                )
                self.socketio.server.disconnect(sid)

    def ping_loop(self) -> None:
        """Ping every team device and screen once every 2 s, in 20 slices spread over the 2 s.

        Pinging every device at once made a burst that delayed any update sent at the same
        moment (p99 fan-out doubled with 1,000 phones); one sleep per device instead cost
        twice the idle CPU. Twenty slices keep both small.
        """
        while True:
            devices = [sid for sid, client in list(self.clients.items()) if _pinged(client)]
            for start in range(PING_SLICES):
                for sid in devices[start::PING_SLICES]:
                    if sid in self.clients:
                        self.ping(sid)
                self.socketio.sleep(PING_EVERY_S / PING_SLICES)

    def ping(self, sid: str) -> None:
        """Send one clock ping; the device's ack becomes a sample."""
        ping_id = self.clocks.ping_sent(sid, now_ms())

        def pong(reply: Any = None) -> None:
            if isinstance(reply, dict):
                self.clocks.pong(sid, reply.get("id"), reply.get("client_ms"), now_ms())

        message: dict[str, Any] = {"id": ping_id, "server_ms": now_ms()}
        samples = self.clocks.samples(sid)[:4]
        if samples:
            # The device's offset as the server measured it (round trips it timed itself), so
            # a page can show a server instant such as armed_at at the same true moment.
            estimate = estimate_clock(samples)
            message["offset_ms"] = estimate.offset_ms
            message["bound_ms"] = estimate.bound_ms
        self.socketio.emit("clock", message, to=sid, callback=pong)

    def welcome(self, sid: str, client: Client) -> None:
        """A new connection's snapshot, then (for a team device or a screen) its first pings."""
        self.socketio.emit("snapshot", self.snapshot(client), to=sid)
        if _pinged(client):
            self.first_pings(sid)

    def first_pings(self, sid: str) -> None:
        """A quick burst of pings after connecting, so a fresh device is synced at once."""
        for _ in range(FIRST_PINGS):
            if sid not in self.clients:
                return
            self.ping(sid)
            self.socketio.sleep(0.2)

    def tick_loop(self) -> None:
        """Fire due timers every 100 ms and mark the server alive every second."""
        beats = 0
        while True:
            self.socketio.sleep(0.1)
            try:
                self.service.tick()
                beats += 1
                if beats % 10 == 0:
                    self.service.mark_alive()
                    self.close_ended_host_logins()
            except Exception:  # a timer fault must not stop the timers of other contests
                log.exception("timer tick failed")


def guarded(handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Turn every refusal or fault of a handler into an ack; nothing escapes to the transport."""

    def wrapper(*args: Any) -> dict[str, Any]:
        try:
            return handler(*args)
        except Refused as error:
            return error.as_ack()
        except Exception:
            log.exception("socket handler %s failed", handler.__name__)
            return {"ok": False, "code": "internal", "message": "server fault; nothing changed"}

    wrapper.__name__ = handler.__name__
    return wrapper


def register(socketio: SocketIO, hub: Hub) -> None:
    """Attach the protocol's handlers to ``socketio``."""

    def on_connect(auth: Any = None) -> None:
        sid = request.sid  # type: ignore[attr-defined]
        try:
            if isinstance(auth, dict) and auth.get("role") == "practice" and hub.practice:
                hub.practice.connect(sid, session.get("user_id"))
                return
            client = hub.authenticate(auth, session.get("host"))
        except Refused as error:
            raise ConnectionRefusedError(
                error.message, {"code": error.code, "message": error.message}
            ) from None
        hub.clients[sid] = client
        join_room(client.room)
        # Sent from a task so that it follows the connect acknowledgement, which Socket.IO
        # sends only after this handler returns; a client never sees state before it is in.
        socketio.start_background_task(hub.welcome, sid, client)

    def on_disconnect(*_reason: Any) -> None:
        sid = request.sid  # type: ignore[attr-defined]
        hub.clients.pop(sid, None)
        hub.clocks.forget(sid)
        hub.buzzes.forget(sid)
        hub.events.forget(sid)
        hub.host_events.forget(sid)
        if hub.practice is not None:
            hub.practice.disconnect(sid)

    limited = hub.limit

    def on_command(payload: Any = None) -> dict[str, Any]:
        sid = request.sid  # type: ignore[attr-defined]
        limited(sid)
        client = hub.host_client(sid)
        live = hub.service.live(client.code)
        assert live is not None
        return hub.run(sid, host_command(payload, list(live.state.totals)))

    def on_local_buzz(payload: Any = None) -> dict[str, Any]:
        sid = request.sid  # type: ignore[attr-defined]
        limited(sid)
        client = hub.host_client(sid)
        team = checked_payload(payload, ("team",)).get("team")
        live = hub.service.live(client.code)
        assert live is not None
        if not isinstance(team, str) or team not in live.state.totals:
            raise ProtocolError("bad_payload", "'team' must be a team of this contest")
        return hub.run(sid, lambda at: Buzz(at=at, team=team))

    def on_buzz(payload: Any = None) -> dict[str, Any]:
        sid = request.sid  # type: ignore[attr-defined]
        limited(sid)
        return hub.buzz(sid, payload)

    def on_answer(payload: Any = None) -> dict[str, Any]:
        sid = request.sid  # type: ignore[attr-defined]
        limited(sid)
        client = hub.team_client(sid)
        return hub.run(sid, team_answer(payload, client.team or "", client.player or ""))

    def on_pass(payload: Any = None) -> dict[str, Any]:
        sid = request.sid  # type: ignore[attr-defined]
        limited(sid)
        client = hub.team_client(sid)
        checked_payload(payload, ())
        team = client.team or ""
        return hub.run(sid, lambda at: PassQuestion(at=at, team=team))

    def on_choose_tier(payload: Any = None) -> dict[str, Any]:
        sid = request.sid  # type: ignore[attr-defined]
        limited(sid)
        client = hub.team_client(sid)
        return hub.run(sid, team_tier(payload, client.team or ""))

    def on_report_question(payload: Any = None) -> dict[str, Any]:
        sid = request.sid  # type: ignore[attr-defined]
        limited(sid)
        return hub.report(sid, payload)

    def on_error(error: Exception) -> dict[str, Any]:
        log.error("unhandled socket error: %r", error)
        return {"ok": False, "code": "internal", "message": "server fault; nothing changed"}

    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    for name, handler in (
        ("command", on_command),
        ("local_buzz", on_local_buzz),
        ("buzz", on_buzz),
        ("answer", on_answer),
        ("pass", on_pass),
        ("choose_tier", on_choose_tier),
        ("report_question", on_report_question),
    ):
        socketio.on_event(name, guarded(handler))
    socketio.on_error_default(on_error)


def register_pk(socketio: SocketIO, pk: PkService, limited: Callable[[str], None]) -> None:
    """Attach the PK queue's events (``pk_find``, ``pk_cancel``) to ``socketio``; tell waiting
    players of their match through it."""
    pk.notify = lambda sid, event, payload: socketio.emit(event, payload, to=sid)

    def on_find(payload: Any = None) -> dict[str, Any]:
        sid = request.sid  # type: ignore[attr-defined]
        limited(sid)
        checked_payload(payload, ())
        return pk.find(sid)

    def on_cancel(payload: Any = None) -> dict[str, Any]:
        sid = request.sid  # type: ignore[attr-defined]
        limited(sid)
        checked_payload(payload, ())
        pk.player(sid)
        pk.cancel(sid)
        return {"ok": True}

    socketio.on_event("pk_find", guarded(on_find))
    socketio.on_event("pk_cancel", guarded(on_cancel))


def pk_loop(socketio: SocketIO, pk: PkService) -> None:
    """Run the PK host's :meth:`PkService.step` every 100 ms for the life of the server."""
    while True:
        socketio.sleep(0.1)
        try:
            pk.step()
        except Exception:  # one bad match must not stop the others
            log.exception("PK step failed")
