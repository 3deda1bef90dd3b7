"""Pages and the HTTP API around a contest: QR code, bank upload, results, fair buzzers."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import requests
from sqlalchemy import select

from quiz.storage.db import make_engine
from quiz.storage.models import CommandRow
from tests.web.live import LiveServer, Recorder, close_all, wait_until

BAD = Path(__file__).parent.parent / "banks" / "bad"


def test_pages_answer_and_need_the_right_credentials(server: LiveServer) -> None:
    host = server.host()
    created = server.create_contest(host)
    code = created["code"]
    anonymous = requests.Session()
    for path in ("/", "/join", f"/join/{code}", "/play", f"/watch/{code}", "/login"):
        answer = anonymous.get(server.url + path, timeout=10)
        assert answer.status_code == 200, path
        assert "Traceback" not in answer.text
    for path in ("/host", f"/host/{code}", "/admin/banks", f"/contests/{code}/results"):
        assert (
            anonymous.get(server.url + path, allow_redirects=False, timeout=10).status_code == 302
        )
        assert host.get(server.url + path, timeout=10).status_code == 200, path
    assert anonymous.get(f"{server.url}/screen/{code}?key=wrong", timeout=10).status_code == 403
    screen = anonymous.get(f"{server.url}/screen/{code}?key={created['screen_key']}", timeout=10)
    assert screen.status_code == 200
    assert anonymous.get(server.url + "/watch/NOSUCH", timeout=10).status_code == 404
    qr = anonymous.get(f"{server.url}/qr/{code}.svg", timeout=10)
    assert qr.headers["Content-Type"].startswith("image/svg+xml")
    assert qr.text.lstrip().startswith(("<?xml", "<svg"))
    host.close()
    anonymous.close()


def test_bank_upload_reports_problems_with_positions_then_imports(server: LiveServer) -> None:
    host = server.host()
    bad = (BAD / "answer-not-among-options.yaml").read_bytes()
    checked = host.post(
        server.url + "/api/banks/validate", files={"file": ("bad.yaml", bad)}, timeout=30
    ).json()
    assert checked["ok"] is False
    assert checked["problems"][0]["line"] == 12
    assert checked["problems"][0]["column"] == 13
    assert checked["problems"][0]["code"] == "answer_not_option"
    refused = host.post(
        server.url + "/api/banks/import", files={"file": ("bad.yaml", bad)}, timeout=30
    )
    assert refused.status_code == 400
    good = bad.replace("answer: 1922年".encode(), "answer: 1921年".encode()).replace(
        b"id: bad", b"id: uploaded"
    )
    preview = host.post(
        server.url + "/api/banks/validate", files={"file": ("g.yaml", good)}, timeout=30
    ).json()
    assert preview["ok"] is True
    assert preview["preview"][0]["answer"] == "1921年"
    imported = host.post(
        server.url + "/api/banks/import", files={"file": ("g.yaml", good)}, timeout=30
    ).json()
    assert imported == {
        "ok": True,
        "result": {
            "bank": "uploaded",
            "added": ["q1"],
            "changed": [],
            "unchanged": 0,
            "retired": [],
            "notes": [],
        },
    }
    assert "uploaded" in host.get(server.url + "/admin/banks", timeout=10).text
    unclaimed = host.post(
        server.url + "/api/banks/validate", files={"file": ("题库.pdf", good)}, timeout=30
    ).json()
    assert unclaimed["ok"] is False
    assert [(p["line"], p["column"]) for p in unclaimed["problems"]] == [(1, 1)]
    assert unclaimed["problems"][0]["code"] == "unknown_format"
    assert "“.pdf”" in unclaimed["problems"][0]["message"]
    host.close()


def test_results_csv_after_a_question(server: LiveServer) -> None:
    host_http = server.host()
    code = server.create_contest(host_http)["code"]
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    for kind, fields in (
        ("StartRound", {}),
        ("AdjustScore", {"team": "ngari", "delta": 5, "note": "纪律好"}),
    ):
        assert host.call("command", {"type": kind, **fields})["ok"]
    answer = host_http.get(f"{server.url}/contests/{code}/results.csv", timeout=10)
    assert answer.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["名次", "队伍", "队伍代码", "基础分", "答题得分", "总分"]
    assert rows[1][:6] == ["1", "阿里支队", "ngari", "100", "5", "105"]
    # The ledger is a table of its own (tests/web/test_results_export.py checks every column).
    answer = host_http.get(f"{server.url}/contests/{code}/ledger.csv", timeout=10)
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [rows[-1][8], rows[-1][11], rows[-1][12]] == ["adjustment", "5", "纪律好"]
    close_all(host)
    host_http.close()


def test_compensated_buzz_logs_the_device_clock_first(server: LiveServer) -> None:
    host_http = server.host()
    code = server.create_contest(host_http, template="mini_fair")["code"]
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    team = Recorder(server, {"role": "team", "seat": server.join(code, "lhasa", "卓玛")}).connect()
    for kind in ("StartRound", "EndRound", "StartRound", "OpenQuestion", "ArmBuzzers"):
        assert host.call("command", {"type": kind})["ok"]
    time.sleep(1.5)  # the first pings after connecting have been answered
    now = time.time_ns() // 1_000_000
    assert team.call("buzz", {"shown_ms": now - 400, "pressed_ms": now - 150})["ok"]
    view = wait_until(
        lambda: host.view()["question"]["race"]["winner"] == "lhasa" and host.view(),
        what="the compensated decision",
    )
    evidence = view["question"]["race"]["evidence"][0]
    assert evidence["claim_ms"] == 250
    assert evidence["reaction_ms"] is not None
    assert "lhasa" in view["clocks"]
    engine = make_engine(f"sqlite:///{server.data_dir / 'leitai.sqlite3'}")
    with engine.connect() as connection:
        kinds = connection.scalars(select(CommandRow.type).order_by(CommandRow.id)).all()
    engine.dispose()
    assert kinds[-3:-1] == ["SyncClock", "Buzz"] or kinds[-2:] == ["SyncClock", "Buzz"]
    close_all(host, team)
    host_http.close()
