"""Where the shipped banks, page templates and static files are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """A data folder: inside the installed wheel (quiz/_data/NAME), else the checkout's NAME."""
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def bundled_banks_dir() -> Path:
    """The folder of the banks that ship with Leitai."""
    return resource_dir("question_banks")
