"""A whole contest over real sockets: four teams through 必答, 抢答 (foul and rebound), 风险 and
加赛, with every message a team receives checked for leaked answers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.live import LiveServer, Recorder, close_all, wait_until

TEAMS = ["lhasa", "shigatse", "nyingchi", "ngari"]
SECRET_KEYS = {"answer", "answer_indices", "explanation", "source"}


def leaks(data: Any, path: str = "") -> list[str]:
    """Paths where an unrevealed answer (or a hidden response) would reach a client."""
    found: list[str] = []
    if isinstance(data, dict):
        revealed = data.get("revealed")
        if revealed is not True and "revealed" in data:
            found += [f"{path}.{key}" for key in SECRET_KEYS if key in data]
            for language, fields in (data.get("translations") or {}).items():
                found += [
                    f"{path}.translations.{language}.{key}" for key in fields if key in SECRET_KEYS
                ]
        for key, value in data.items():
            found += leaks(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found += leaks(item, f"{path}[{index}]")
    return found


@pytest.fixture
def contest_in_play(server: LiveServer) -> Any:
    host_http = server.host()
    created = server.create_contest(host_http)
    code = created["code"]
    host = Recorder(server, {"role": "host", "contest": code}, host_http).connect()
    teams = {
        team: Recorder(
            server, {"role": "team", "seat": server.join(code, team, f"{team}-1")}
        ).connect()
        for team in TEAMS
    }
    screen = Recorder(
        server, {"role": "screen", "contest": code, "key": created["screen_key"]}
    ).connect()
    yield code, host, teams, screen
    close_all(host, screen, *teams.values())
    host_http.close()


def command(host: Recorder, kind: str, **fields: Any) -> dict[str, Any]:
    ack = host.call("command", {"type": kind, **fields})
    assert ack["ok"], ack
    wait_until(lambda: host.seq() >= ack["seq"], what=f"the update after {kind}")
    return host.view()


def test_a_whole_contest(contest_in_play: Any) -> None:
    _code, host, teams, screen = contest_in_play
    # 必答: each team answers its own question on its device; lhasa and nyingchi are right.
    view = command(host, "StartRound")
    right = {"lhasa": True, "shigatse": False, "nyingchi": True, "ngari": False}
    for _ in TEAMS:
        view = command(host, "OpenQuestion")
        team = view["question"]["answering"][0]
        view = command(host, "PromptAnswer")
        key = view["question"]["question"]["answer_indices"][0]
        options = len(view["question"]["question"]["options"])
        ack = teams[team].call("answer", {"response": key if right[team] else (key + 1) % options})
        assert ack["ok"], ack
    wait_until(lambda: host.view()["phase"] == "between_rounds", what="the end of 必答")
    assert scores(host) == {"lhasa": 110, "shigatse": 100, "nyingchi": 110, "ngari": 100}

    # 抢答: lhasa buzzes before arming (foul -10), shigatse wins the race and is wrong (-10),
    # the question rebounds and nyingchi is right; then ngari and lhasa each win one.
    command(host, "StartRound")
    command(host, "OpenQuestion")
    foul = teams["lhasa"].call("buzz", {})
    assert foul["ok"], foul
    command(host, "ArmBuzzers")
    assert teams["shigatse"].call("buzz", {})["ok"]
    assert teams["ngari"].call("buzz", {})["ok"]  # loses the race by a few ms
    view = wait_until(
        lambda: host.view()["question"]["race"]["winner"] == "shigatse" and host.view(),
        what="the race result",
    )
    ranking = view["question"]["race"]["ranking"]
    assert [entry["team"] for entry in ranking] == ["shigatse", "ngari"]
    assert ranking[1]["margin_ms"] >= 0
    view = command(host, "Judge", team="shigatse", correct=False)
    assert view["question"]["step"] == "reading"  # rebounded
    command(host, "ArmBuzzers")
    assert teams["nyingchi"].call("buzz", {})["ok"]
    wait_until(lambda: host.view()["question"]["race"]["winner"] == "nyingchi", what="rebound")
    command(host, "Judge", team="nyingchi", correct=True)
    for winner in ("ngari", "lhasa"):
        command(host, "OpenQuestion")
        command(host, "ArmBuzzers")
        assert teams[winner].call("buzz", {})["ok"]
        wait_until(lambda w=winner: host.view()["question"]["race"]["winner"] == w, what=winner)
        command(host, "Judge", team=winner, correct=True)
    assert host.view()["phase"] == "between_rounds"
    assert scores(host) == {"lhasa": 110, "shigatse": 90, "nyingchi": 120, "ngari": 110}

    # 风险: lowest score first; shigatse and lhasa take 10 and are right, ngari takes 20 and is
    # wrong, nyingchi passes. lhasa and nyingchi are then tied at the top.
    view = command(host, "StartRound")
    plan = {"shigatse": (10, True), "lhasa": (10, True), "ngari": (20, False)}
    assert view["round"]["turn"] == "shigatse"
    while host.view()["phase"] == "round":
        team = host.view()["round"]["turn"]
        if team == "nyingchi":
            assert teams[team].call("pass", {})["ok"]
            break
        points, correct = plan[team]
        ack = teams[team].call("choose_tier", {"points": points})
        assert ack["ok"], ack
        wait_until(
            lambda: host.view()["question"] and host.view()["question"]["step"] == "reading",
            what="the risk question",
        )
        command(host, "PromptAnswer")
        command(host, "Judge", team=team, correct=correct)
    wait_until(lambda: host.view()["phase"] == "between_rounds", what="the end of 风险")
    assert scores(host) == {"lhasa": 120, "shigatse": 100, "nyingchi": 120, "ngari": 90}

    # 加赛: only the tied leaders race; shigatse may not buzz.
    view = command(host, "StartRound")
    assert sorted(view["round"]["participants"]) == ["lhasa", "nyingchi"]
    command(host, "OpenQuestion")
    command(host, "ArmBuzzers")
    outsider = teams["shigatse"].call("buzz", {})
    assert outsider.get("ignored") or not outsider["ok"], outsider
    assert teams["lhasa"].call("buzz", {})["ok"]
    wait_until(lambda: host.view()["question"]["race"]["winner"] == "lhasa", what="tie-break")
    command(host, "Judge", team="lhasa", correct=True)
    wait_until(lambda: host.view()["phase"] == "between_rounds", what="the end of 加赛")
    command(host, "EndContest")
    view = command(host, "RevealPodium")
    assert view["podium"][:2] == ["lhasa", "nyingchi"]
    standings = [(row["team"], row["score"], row["rank"]) for row in view["standings"]]
    assert standings[:2] == [("lhasa", 120, 1), ("nyingchi", 120, 2)]
    wait_until(lambda: screen.view().get("podium") == view["podium"], what="the screen podium")

    for recorder in (*teams.values(), screen):
        with recorder.lock:
            received = [data for _, data in recorder.messages]
        assert received
        assert [path for data in received for path in leaks(data)] == []


def scores(host: Recorder) -> dict[str, int]:
    return {row["team"]: row["score"] for row in host.view()["standings"]}


def test_the_leak_check_finds_an_unrevealed_answer() -> None:
    question = {
        "id": "q",
        "revealed": False,
        "answer": ["甲"],
        "translations": {"en": {"text": "?", "explanation": "because"}},
    }
    assert leaks({"view": {"question": {"question": question}}}) == [
        ".view.question.question.answer",
        ".view.question.question.translations.en.explanation",
    ]
    assert leaks({"question": {**question, "revealed": True}}) == []
