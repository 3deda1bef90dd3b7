"""What the benchmarks share: a server subprocess on a free port, /proc readings, percentiles."""

from __future__ import annotations

import math
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLK_TCK = os.sysconf("SC_CLK_TCK")
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(page: str) -> str:
    """The CSRF token in a page's ``<meta name="csrf-token">``: every POST sends it back as
    ``X-CSRFToken`` with the session cookie, as the pages' scripts do (read it again after a
    host login, which renews the session)."""
    found = CSRF_META.search(page)
    if found is None:
        raise RuntimeError("the page has no csrf-token meta")
    return found.group(1)


def log(message: str) -> None:
    """Progress to stderr (the tables go to stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def proc_kb(pid: int, key: str = "VmRSS") -> int:
    """A kB figure of /proc/PID/status (``VmRSS``, ``VmHWM``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} for pid {pid}")


def proc_cpu_s(pid: int) -> float:
    """User plus system CPU seconds a process (all its threads) has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def has_uvloop() -> bool:
    """Whether the clients can run on uvloop (cheaper per message than asyncio's own loop)."""
    try:
        import uvloop  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def http_status(url: str) -> int | None:
    """The HTTP status a GET of ``url`` gets, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError):
        return None


@dataclass
class Server:
    """One server subprocess on a free port, logging to a file; ready once ``ready_path``
    answers with a status below 500 (or exactly ``ready_status`` when given)."""

    argv: list[str]
    env: dict[str, str]
    log_path: Path
    ready_path: str
    ready_status: int | None = None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 120.0) -> None:
        """Start the process and wait until it is ready."""
        with self.log_path.open("ab") as out:
            self.process = subprocess.Popen(
                [*self.argv, "--port", str(self.port)],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log_path.read_text()[-2000:]}")
            status = http_status(self.url + self.ready_path)
            wanted = self.ready_status
            if status is not None and (status == wanted if wanted else status < 500):
                return
            time.sleep(0.1)
        raise RuntimeError(f"the server on {self.url} did not answer in {timeout} s")

    def stop(self) -> None:
        """Terminate the process (kill it if it lingers)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def complaints(self, words: tuple[str, ...], ignore: tuple[str, ...] = ()) -> list[str]:
        """Log lines holding any of ``words`` and none of ``ignore``."""
        if not self.log_path.exists():
            return []
        text = re.sub(r"\x1b\[[0-9;]*m", "", self.log_path.read_text(errors="replace"))
        return [
            line
            for line in text.splitlines()
            if any(word in line for word in words) and not any(i in line for i in ignore)
        ]
