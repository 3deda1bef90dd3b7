"""The refusal every service and adapter shares: a stable code and a message for the client."""

from __future__ import annotations

from typing import Any


class Refused(ValueError):
    """A refused request or event: ``code`` is one of the documented error codes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_ack(self) -> dict[str, Any]:
        """The Socket.IO acknowledgement a client receives for this refusal."""
        return {"ok": False, "code": self.code, "message": self.message}
