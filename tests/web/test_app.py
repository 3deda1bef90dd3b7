"""The web app: the minimal page, and a real `quiz serve` process on first start."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from quiz.banks.loader import load_bank_text
from quiz.resources import bundled_banks_dir
from quiz.storage.bank_import import import_bank
from quiz.web import create_app
from tests.helpers import bank_text


def test_index_lists_the_banks(database_url: str, sessions: sessionmaker[Session]) -> None:
    bank = load_bank_text(bank_text(), "b.yaml").bank
    assert bank is not None
    with sessions.begin() as session:
        import_bank(session, bank)
    client = create_app({"DATABASE_URL": database_url, "TESTING": True}).test_client()
    page = client.get("/").get_data(as_text=True)
    assert "样例题库" in page
    assert '<html lang="zh-CN">' in page


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_imports_the_bundled_banks_on_first_start(tmp_path: Path) -> None:
    port = free_port()
    environment = {**os.environ, "QUIZ_DATA_DIR": str(tmp_path)}
    environment.pop("QUIZ_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "quiz", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert page, "the server did not answer within 60 s"
        stylesheet = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/leitai.css", timeout=5)
        assert stylesheet.status == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "first start: importing the bundled banks" in output
    assert "Traceback" not in output
    bundled = sorted(bundled_banks_dir().glob("*.yaml"))
    assert bundled
    for path in bundled:
        assert f"<code>{path.stem}</code>" in page
    assert (tmp_path / "leitai.sqlite3").is_file()
