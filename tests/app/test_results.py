"""A contest's results: the announced order, sums that add up, rounds from 1, members, questions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest

from quiz.app import Services, build_services
from quiz.app.contest_setup import build_contest
from quiz.app.contests import SNAPSHOT_EVERY
from quiz.app.lobby import teams_of
from quiz.app.results import RANK_REASONS, Results, contest_results
from quiz.engine.commands import (
    AdjustScore,
    ArmBuzzers,
    Buzz,
    Command,
    EndContest,
    EndRound,
    Judge,
    OpenQuestion,
    StartRound,
    UndoJudgement,
)
from quiz.engine.machine import final_ranking
from quiz.engine.scoring import standings
from quiz.storage import contest_repo
from quiz.web.result_sheets import rounds_table
from tests.helpers import join_with_code

TEMPLATES = Path(__file__).parent.parent / "web" / "templates"
# 云PK擂台赛 as users ran it, with spoken answers so the test judges each duel question itself.
ARENA_TEMPLATE = """
name: arena-test
label: 云PK擂台赛 Cloud PK arena
base_score: 0
final_ranking: arena
teams:
  - {id: lhasa, name: 拉萨支队}
  - {id: shigatse, name: 日喀则支队}
  - {id: chamdo, name: 昌都支队}
  - {id: ngari, name: 阿里支队}
rounds:
  - kind: 抢答
    name: 抢答热身
    answer_input: spoken
    points: 10
    questions: {count: 2, reserve: 0}
  - kind: 擂台
    name: 擂台赛
    defender: seat
    duel_length: 3
    answer_input: spoken
    points: 10
    questions: {count: 12, reserve: 0}
"""


def test_results_rank_the_teams_and_list_every_change_of_score(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    code = build_contest(
        services.contests, title="赛", template="mini", seed=1, bank_ids=["party-history"]
    ).code
    services.contests.execute(code, lambda at: StartRound(at=at))
    services.contests.execute(
        code, lambda at: AdjustScore(at=at, team="ngari", delta=30, note="裁判更正")
    )
    results = contest_results(services.contests, code.lower())
    assert results is not None
    assert results.contest.code == code
    assert results.standings[0]["team"] == "ngari"
    assert [s["rank"] for s in results.standings] == sorted(s["rank"] for s in results.standings)
    adjusted = [row for row in results.ledger if row["note"] == "裁判更正"]
    assert [(row["team"], row["points"]) for row in adjusted] == [("ngari", 30)]
    assert contest_results(services.contests, "NOSUCH") is None


def check_sums(results: Results) -> None:
    """Every total adds up: 总分 = base + ordinary ledger rows, 加赛分 = tie-break rows."""
    for row in results.standings:
        mine = [r for r in results.ledger if r["team"] == row["team"]]
        base = sum(r["points"] for r in mine if r["reason"] == "base")
        ordinary = sum(r["points"] for r in mine if r["bucket"] == "main" and r["reason"] != "base")
        tiebreak = sum(r["points"] for r in mine if r["bucket"] == "tiebreak")
        assert row["base"] == base
        assert row["earned"] == ordinary
        assert row["score"] == base + ordinary
        assert row["tiebreak"] == tiebreak
    table = rounds_table(results)
    header = table[0]
    main_columns = [i for i, h in enumerate(header[1:-2], start=1) if "加赛分" not in h]
    for line in table[1:]:
        assert sum(line[i] for i in main_columns) == line[-2]


def test_an_arena_contest_ranks_as_announced_not_by_points(
    services: Services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "arena_test.yaml").write_text(ARENA_TEMPLATE, encoding="utf-8")
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(tmp_path))
    contests = services.contests
    code = build_contest(
        contests, title="云PK擂台赛", template="arena_test", seed=3, bank_ids=["party-history"]
    ).code
    contests.execute(code, lambda at: AdjustScore(at=at, team="chamdo", delta=100, note="热身奖励"))
    contests.execute(code, lambda at: StartRound(at=at))
    contests.execute(code, lambda at: EndRound(at=at))
    contests.execute(code, lambda at: StartRound(at=at))
    # Arena: ngari answers every question right, everyone else wrong, so ngari holds the arena.
    for _ in range(40):
        state = contests.snapshot_of(code)
        assert state is not None
        if state[0].phase != "round":
            break
        play = state[0].round.play if state[0].round else None
        if play is None or play.step == "closed":
            contests.execute(code, lambda at: OpenQuestion(at=at))
            continue
        team = play.answering[0]
        contests.execute(
            code, lambda at, team=team: Judge(at=at, team=team, correct=team == "ngari")
        )
    live = contest_results(contests, code)
    assert live is not None
    assert live.ranked_by == "live"
    assert live.ranked_by_text.startswith("实时排名")
    current = contests.snapshot_of(code)
    assert current is not None
    by_points = [s.team for s in standings(current[0])]
    assert [row["team"] for row in live.standings] == by_points
    contests.execute(code, lambda at: EndContest(at=at))
    final = contest_results(contests, code)
    assert final is not None
    finished = contests.snapshot_of(code)
    assert finished is not None
    announced = list(final_ranking(finished[0]))
    assert announced != by_points  # the case users reported: points and the arena disagree
    assert final.ranked_by == "final"
    assert [row["team"] for row in final.standings] == announced
    assert [row["rank"] for row in final.standings] == [1, 2, 3, 4]
    assert final.standings[0]["team"] == "ngari"
    assert final.standings[0]["rank_code"] == "arena"
    assert final.standings[0]["rank_text"] == RANK_REASONS["arena"]
    check_sums(final)
    arena_rows = [r for r in final.ledger if r["reason"] == "correct"]
    assert {(r["round"], r["round_name"]) for r in arena_rows} == {(2, "擂台赛")}
    assert final.questions[0]["round"] == 2
    assert final.questions[0]["key"]
    assert isinstance(final.questions[0]["question_version"], int)
    assert final.label == "云PK擂台赛 Cloud PK arena"
    assert final.venue == ""  # not given: a blank line on the 成绩单, never the title


def test_tiebreak_points_stay_in_their_own_column_and_the_sums_add_up(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    contests = services.contests
    code = build_contest(
        contests, title="加赛", template="mini", seed=1, bank_ids=["party-history"]
    ).code
    join_with_code(contests, code, "lhasa", "卓玛")
    listed = teams_of(contests, code, member_names=True)
    assert listed is not None
    zhuoma = next(t for t in listed["teams"] if t["id"] == "lhasa")["member_names"][0]["id"]
    for team in ("lhasa", "ngari"):
        contests.execute(
            code, lambda at, team=team: AdjustScore(at=at, team=team, delta=10, note="x")
        )
    for _ in range(3):  # 必答, 抢答, 风险 pass with no question asked
        contests.execute(code, lambda at: StartRound(at=at))
        contests.execute(code, lambda at: EndRound(at=at))
    for make in (
        lambda at: StartRound(at=at),  # 加赛 between lhasa and ngari, tied at 110
        lambda at: OpenQuestion(at=at),
        lambda at: ArmBuzzers(at=at),
        lambda at: Buzz(at=at, team="lhasa", player=zhuoma),
        lambda at: Judge(at=at, team="lhasa", correct=True),
        lambda at: EndContest(at=at),
    ):
        contests.execute(code, make)
    results = contest_results(contests, code)
    assert results is not None
    lhasa = results.standings[0]
    assert (lhasa["team"], lhasa["score"], lhasa["tiebreak"]) == ("lhasa", 110, 10)
    assert lhasa["base"] == 100
    assert lhasa["earned"] == 10
    ngari, shigatse, nyingchi = results.standings[1:]
    assert (ngari["team"], ngari["rank_code"]) == ("ngari", "tiebreak")
    assert ngari["rank_text"] == "总分相同，加赛分较高"
    assert (shigatse["rank_code"], nyingchi["rank_code"]) == ("score", "seat_order")
    lhasa_rows = [r for r in results.ledger if r["team"] == "lhasa"]
    assert sum(r["points"] for r in lhasa_rows) == 120  # what users summed, now explained:
    tiebreak_rows = [r for r in lhasa_rows if r["bucket"] == "tiebreak"]
    assert [(r["points"], r["bucket_text"], r["round"]) for r in tiebreak_rows] == [
        (10, "加赛分（不计入总分）", 4)
    ]
    assert tiebreak_rows[0]["reason_text"] == "答对"
    check_sums(results)
    assert "第4轮 加赛 · 加赛分" in rounds_table(results)[0]
    member = next(m for m in results.members if m["player"] == zhuoma)
    assert (member["name"], member["buzzes"], member["correct"]) == ("卓玛", 1, 1)
    assert [q["round"] for q in results.questions] == [4]


def test_members_are_counted_from_the_state_however_long_the_log(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    contests = services.contests
    code = build_contest(
        contests, title="长", template="mini", seed=1, bank_ids=["party-history"]
    ).code
    for team, name in (("lhasa", "卓玛"), ("lhasa", "次仁"), ("shigatse", "格桑")):
        join_with_code(contests, code, team, name)
    listed = teams_of(contests, code, member_names=True)
    assert listed is not None
    ids = {m["name"]: m["id"] for t in listed["teams"] for m in t["member_names"]}
    # A log longer than SNAPSHOT_EVERY, so a fresh process starts from a snapshot.
    for number in range(SNAPSHOT_EVERY + 20):
        delta = 1 if number % 2 else -1
        contests.execute(
            code, lambda at, d=delta: AdjustScore(at=at, team="ngari", delta=d, note="校")
        )
    contests.execute(code, lambda at: StartRound(at=at))  # 必答 passes unasked
    contests.execute(code, lambda at: EndRound(at=at))

    def race(team: str, member: str, correct: bool) -> list[Callable[[int], Command]]:
        return [
            lambda at: ArmBuzzers(at=at),
            lambda at: Buzz(at=at, team=team, player=ids[member]),
            lambda at: Judge(at=at, team=team, correct=correct),
        ]

    steps = [
        lambda at: StartRound(at=at),
        lambda at: OpenQuestion(at=at),
        *race("lhasa", "卓玛", True),
        lambda at: OpenQuestion(at=at),
        *race("shigatse", "格桑", False),  # the rebound goes to 次仁
        *race("lhasa", "次仁", True),
        lambda at: OpenQuestion(at=at),
        *race("lhasa", "卓玛", True),
        lambda at: UndoJudgement(at=at),  # 卓玛 loses this credit, keeps the buzz
        lambda at: Judge(at=at, team="lhasa", correct=False),
        *race("shigatse", "格桑", True),
    ]
    for step in steps:
        contests.execute(code, step)
    expected = {"卓玛": (2, 1), "次仁": (1, 1), "格桑": (2, 1)}

    def counted(results: Results | None) -> dict[str, tuple[int, int]]:
        assert results is not None
        return {m["name"]: (m["buzzes"], m["correct"]) for m in results.members if m["buzzes"]}

    with monkeypatch.context() as patched:  # results read the state, never the log
        patched.setattr(contest_repo, "commands_after", _no_log)
        assert counted(contest_results(contests, code)) == expected
    fresh = build_services(contests.sessions, clock_ms=contests.clock_ms)
    assert counted(contest_results(fresh.contests, code)) == expected


def _no_log(*_args: object) -> NoReturn:
    raise AssertionError("results replayed the command log")
