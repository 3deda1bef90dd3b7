"""A finished contest over the wire: refusals carry code `finished`; a reopening reaches all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.live import LiveServer, Recorder, close_all, wait_until

TEAMS = ["lhasa", "shigatse", "nyingchi", "ngari"]


@pytest.fixture
def ended(server: LiveServer) -> Iterator[dict[str, Any]]:
    """A contest where lhasa got 10 points by adjustment, then ended; every role connected."""
    host_http = server.host()
    created = server.create_contest(host_http)
    code = created["code"]
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    teams = {
        t: Recorder(server, {"role": "team", "seat": server.join(code, t, t)}).connect()
        for t in TEAMS
    }
    screen = Recorder(
        server, {"role": "screen", "contest": code, "key": created["screen_key"]}
    ).connect()
    audience = Recorder(server, {"role": "audience", "contest": code}).connect()
    for payload in (
        {"type": "AdjustScore", "team": "lhasa", "delta": 10, "note": "抢答加分"},
        {"type": "EndContest"},
    ):
        assert host.call("command", payload)["ok"]
    seq = host.seq()
    for recorder in (screen, audience, *teams.values()):
        wait_until(lambda recorder=recorder: recorder.seq() >= seq, what="the end everywhere")
    yield {"host": host, "teams": teams, "screen": screen, "audience": audience}
    close_all(host, screen, audience, *teams.values())
    host_http.close()


def test_a_buzz_and_an_adjustment_after_the_end_are_refused_with_finished(
    ended: dict[str, Any],
) -> None:
    host, teams = ended["host"], ended["teams"]
    before, standings = host.seq(), host.view()["standings"]
    buzz = teams["ngari"].call("buzz", {})
    assert (buzz["ok"], buzz["code"]) == (False, "finished"), buzz
    assert "Buzz refused in phase 'finished'" in buzz["message"]
    adjust = host.call(
        "command", {"type": "AdjustScore", "team": "ngari", "delta": 50, "note": "改判"}
    )
    assert (adjust["ok"], adjust["code"], adjust["reason"]) == (False, "finished", "finished")
    for kind in ("StartRound", "EndContest", "Pause"):
        assert host.call("command", {"type": kind})["code"] == "finished"
    assert host.seq() == before
    assert host.view()["standings"] == standings
    assert standings[0]["team"] == "lhasa"


def test_screens_phones_and_audience_see_the_end_but_no_ranking_before_the_podium(
    ended: dict[str, Any],
) -> None:
    for recorder in (ended["screen"], ended["audience"], *ended["teams"].values()):
        view = recorder.view()
        assert (view["phase"], view["ranking_sealed"], view["standings"]) == ("finished", True, [])
        finished = [
            event
            for _, data in recorder.messages
            for event in data.get("events", ())
            if event["kind"] == "ContestFinished"
        ]
        assert finished == [{"kind": "ContestFinished", "at": finished[0]["at"], "ranking": []}]
    assert ended["teams"]["lhasa"].view()["you"]["score"] is None
    host = ended["host"]
    assert host.call("command", {"type": "RevealPodium"})["ok"]
    podium = wait_until(lambda: ended["screen"].view()["podium"], what="the podium")
    assert podium[0] == "lhasa"
    top, second = ended["screen"].view()["standings"][:2]
    assert (top["team"], top["score"] - second["score"]) == ("lhasa", 10)


def test_a_reopening_needs_a_note_and_every_role_hears_why(ended: dict[str, Any]) -> None:
    host = ended["host"]
    before = host.seq()
    for payload in (
        {"type": "ReopenContest"},
        {"type": "ReopenContest", "note": "   "},
        {"type": "ReopenContest", "note": "因" * 201},
    ):
        assert host.call("command", payload)["code"] == "bad_payload"
    assert host.seq() == before
    assert host.view()["legal"]["ReopenContest"] == {"ok": True}
    ack = host.call("command", {"type": "ReopenContest", "note": "第 3 题改判"})
    assert ack["ok"], ack
    for recorder in (host, ended["screen"], ended["audience"], *ended["teams"].values()):
        view = wait_until(
            lambda recorder=recorder: recorder.seq() >= ack["seq"] and recorder.view(),
            what="the reopening everywhere",
        )
        assert (view["phase"], view["reopened_note"]) == ("between_rounds", "第 3 题改判")
        events = [e for _, data in recorder.messages for e in data.get("events", ())]
        assert events[-1]["kind"] == "ContestReopened"
        assert events[-1]["note"] == "第 3 题改判"
    adjust = host.call(
        "command", {"type": "AdjustScore", "team": "ngari", "delta": 50, "note": "改判"}
    )
    assert adjust["ok"], adjust
