"""Typed errors of the contest core; every one is a ValueError so callers may catch broadly."""

from __future__ import annotations

from typing import ClassVar


class ContestError(ValueError):
    """Base of every error the contest core raises; `code` is its protocol error code."""

    # Stable across releases: clients branch on it, while the message is for people.
    code: ClassVar[str] = "refused"


class CommandRefused(ContestError):
    """A command that the current phase or the rules do not allow; names that phase.

    `reason` is the English phrase for logs; `reason_code` is its stable code (docs/protocol.md
    "Reason codes"), which pages translate. Without one a refusal takes its class's code.
    """

    # The reason code of a refusal raised without a more precise one.
    default_reason: ClassVar[str] = "wrong_phase"

    def __init__(
        self, command: str, phase: str, reason: str, reason_code: str | None = None
    ) -> None:
        super().__init__(f"{command} refused in phase {phase!r}: {reason}")
        self.command = command
        self.phase = phase
        self.reason = reason
        self.reason_code = reason_code or self.default_reason


class WrongPhase(CommandRefused):
    """The command has no meaning in the current phase (e.g. Buzz between rounds)."""


class UnknownTeam(CommandRefused):
    """The command names a team (or player) that is not in the contest."""

    default_reason: ClassVar[str] = "unknown_team"


class NotPermitted(CommandRefused):
    """The phase is right but a rule forbids it (not your turn, no pass left, answered twice)."""

    default_reason: ClassVar[str] = "not_allowed"


class BadResponse(CommandRefused):
    """An answer of the wrong shape for the question's type (text for a choice, a stray index)."""

    code: ClassVar[str] = "bad_response"
    default_reason: ClassVar[str] = "bad_response"


class ContestOver(CommandRefused):
    """A command that would change the result of a finished contest; the host must reopen it."""

    code: ClassVar[str] = "finished"
    default_reason: ClassVar[str] = "finished"


class RuleSetError(ContestError):
    """A contest template value is invalid; `path` locates it, e.g. ("rounds", 2, "points")."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        where = "/".join(str(part) for part in path) or "(top)"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.message = message


class SelectionError(ContestError):
    """The banks hold too few questions matching a round's selection."""


class DecodeError(ContestError):
    """A JSON document is not a valid state, command or event."""
