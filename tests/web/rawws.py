"""A WebSocket client on a bare TCP socket, for tests that send what no library would: frame
headers that lie about their length, frames cut short, Engine.IO text that is not Socket.IO."""

from __future__ import annotations

import base64
import os
import socket
import struct
from pathlib import Path

from tests.web.live import LiveServer

MB = 1024 * 1024
CLOSE = 0x8


def vm_rss_kb(server: LiveServer) -> int:
    """The server process's resident memory in kB (/proc/<pid>/status VmRSS)."""
    assert server.process is not None
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS line")


def frame_header(length: int, opcode: int = 0x1, *, fin: bool = True) -> bytes:
    """A client frame's header announcing ``length`` bytes, with an all-zero mask."""
    first = (0x80 if fin else 0) | opcode
    if length < 126:
        size = bytes([0x80 | length])
    elif length <= 0xFFFF:
        size = bytes([0x80 | 126]) + struct.pack("!H", length)
    else:
        size = bytes([0x80 | 127]) + struct.pack("!Q", length)
    return bytes([first]) + size + b"\0\0\0\0"


class RawSocket:
    """One Engine.IO WebSocket connection, its frames read and written by hand."""

    def __init__(self, server: LiveServer, timeout: float = 5.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        opened = self.frame()
        assert opened[1].startswith(b"0"), opened  # the Engine.IO open packet

    def _recv(self) -> bytes:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("closed by the server")
        return data

    def _take(self, count: int) -> bytes:
        while len(self.buffer) < count:
            self.buffer += self._recv()
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken

    def frame(self) -> tuple[int, bytes]:
        """The next frame from the server: its opcode and payload (servers do not mask)."""
        first, second = self._take(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._take(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._take(8))
        return first & 0x0F, self._take(length)

    def text(self) -> str:
        """The next text message (skipping nothing: a close frame fails the test)."""
        opcode, payload = self.frame()
        assert opcode == 0x1, (opcode, payload)
        return payload.decode()

    def send(self, text: str) -> None:
        """One whole text frame."""
        data = text.encode()
        self.sock.sendall(frame_header(len(data)) + data)

    def close_code(self) -> int:
        """Read frames until the server's close frame; its status code."""
        while True:
            opcode, payload = self.frame()
            if opcode == CLOSE:
                (code,) = struct.unpack("!H", payload[:2])
                return int(code)

    def close(self) -> None:
        self.sock.close()
