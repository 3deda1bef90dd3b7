"""The console entry point: gevent's monkey-patching must happen before anything else loads.

`quiz serve` in gevent mode patches the standard library first, then imports the command line;
every other command runs unpatched.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

ASYNC_MODES = ("gevent", "threading")
DEFAULT_ASYNC_MODE = "gevent"


def async_mode(argv: Sequence[str]) -> str | None:
    """The async mode `quiz serve` will use (--async-mode, else QUIZ_ASYNC_MODE, else the
    default); None for every other command."""
    if not argv or argv[0] != "serve":
        return None
    for index, argument in enumerate(argv):
        if argument.startswith("--async-mode="):
            return argument.partition("=")[2]
        if argument == "--async-mode" and index + 1 < len(argv):
            return argv[index + 1]
    return os.environ.get("QUIZ_ASYNC_MODE") or DEFAULT_ASYNC_MODE


def main() -> int:
    """Patch for gevent when serving with it, then run the quiz command."""
    if async_mode(sys.argv[1:]) == "gevent":
        from gevent import monkey  # noqa: PLC0415

        monkey.patch_all()
    from quiz.cli import main as cli_main  # noqa: PLC0415

    return cli_main()
