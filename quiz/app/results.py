"""A contest's results: ranking, score ledger, per-round points, members and questions.

The one place results are computed; the results page, the print page, both CSV files and the
XLSX 成绩单 (laid out by quiz/web/result_sheets.py) show them and nothing else. Every table adds
up: a team's 总分 is its base score plus its ordinary ledger rows (bucket `main`), and its 加赛分
(bucket `tiebreak`) is the sum of its tie-break rows, shown apart because tie-break points only
order tied teams
(quiz/engine/scoring.py). The order is the one the contest announced: the core's
`final_ranking` once the contest has finished, the live standings before.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from quiz.app.contests import ContestService
from quiz.app.lobby import ContestInfo, contest_info
from quiz.engine.machine import final_ranking
from quiz.engine.qtypes import kind_of
from quiz.engine.scoring import standings
from quiz.engine.state import ContestState
from quiz.storage import contest_repo

# Why a team holds its place: code -> Chinese text (the scoring module's tie rule, in order).
RANK_REASONS: dict[str, str] = {
    "score": "总分较高",
    "tiebreak": "总分相同，加赛分较高",
    "reached_first": "总分相同，先达到该分",
    "fewer_fouls": "总分相同，犯规较少",
    "seat_order": "总分相同，按座次",
    "arena": "擂台赛淘汰顺序（后淘汰者在前）",
    "pk": "PK 轮名次",
}
_TIE_RULES = {
    "tiebreak": "tiebreak",
    "reached first": "reached_first",
    "fewer fouls": "fewer_fouls",
    "seat order": "seat_order",
}
# Which order the table shows: code -> Chinese text.
RANKED_BY: dict[str, str] = {
    "final": "最终排名（比赛已结束，按比赛规则公布的名次）",
    "live": "实时排名（比赛尚未结束，按当前得分）",
}
# Why a score changed: the core's ledger reasons -> Chinese text.
LEDGER_REASONS: dict[str, str] = {
    "base": "基础分",
    "correct": "答对",
    "wrong": "答错",
    "timeout": "超时",
    "foul": "违规抢答",
    "adjustment": "人工调整",
    "undo": "撤销裁判",
    "replaced": "换题退分",
}
BUCKETS: dict[str, str] = {"main": "总分", "tiebreak": "加赛分（不计入总分）"}


@dataclass(frozen=True, slots=True)
class RoundColumn:
    """One column of 各轮得分: a round's points in one bucket (or the points outside rounds)."""

    number: int | None
    name: str
    bucket: str
    points: dict[str, int]

    @property
    def header(self) -> str:
        """The column's Chinese header, e.g. '第2轮 抢答题' or '第4轮 加赛 · 加赛分'."""
        head = f"第{self.number}轮 {self.name}" if self.number is not None else self.name
        return f"{head} · 加赛分" if self.bucket == "tiebreak" else head


@dataclass(frozen=True, slots=True)
class Results:
    """Everything the results page, the CSVs and the 成绩单 show, computed once."""

    contest: ContestInfo
    label: str
    venue: str
    date: str
    ranked_by: str
    standings: list[dict[str, Any]]
    ledger: list[dict[str, Any]]
    rounds: list[RoundColumn]
    members: list[dict[str, Any]]
    questions: list[dict[str, Any]]

    @property
    def ranked_by_text(self) -> str:
        """Which order the standings show, in Chinese."""
        return RANKED_BY[self.ranked_by]


def contest_results(contests: ContestService, code: str) -> Results | None:
    """The one place results are computed: the announced order, a ledger whose rows add up to
    each bucket, per-round points, members and questions; None for an unknown code."""
    info = contest_info(contests, code)
    if info is None:
        return None
    current = contests.snapshot_of(info.code)
    assert current is not None
    state, _ = current
    with contests.sessions() as session:
        row = contest_repo.contest_by_code(session, info.code)
        assert row is not None
        seated = contest_repo.team_members(session, row.id)
    names = {team.id: team.name for team in state.rules.teams} if state.rules else {}
    label = state.rules.label if state.rules else ""
    finished = state.phase == "finished"
    return Results(
        contest=info,
        label=label,
        # An empty venue stays empty: the 成绩单 prints a line to fill in by hand.
        venue=info.venue,
        date=_local_date(info.created_at),
        ranked_by="final" if finished else "live",
        standings=_standings(state, names, finished),
        ledger=_ledger(state, names, info.question_versions),
        rounds=_rounds(state),
        members=_members(state, names, seated),
        questions=_questions(state, info.question_versions),
    )


def _local_date(created: dt.datetime) -> str:
    """The contest's date on the server's local calendar (created_at is stored in UTC)."""
    aware = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
    return aware.astimezone().strftime("%Y-%m-%d")


def _standings(state: ContestState, names: dict[str, str], finished: bool) -> list[dict[str, Any]]:
    """Rows in the announced order, each with base, earned points, 总分 and 加赛分 apart."""
    if state.rules is None:
        return []
    live = {s.team: s for s in standings(state)}
    base: dict[str, int] = dict.fromkeys(live, 0)
    for entry in state.ledger:
        if entry.reason == "base" and entry.team in base:
            base[entry.team] += entry.delta
    order = list(final_ranking(state)) if finished else list(live)
    kind = state.rules.final_ranking
    placed = next((r.placements for r in reversed(state.results) if r.kind == kind), ())
    rows = []
    for rank, team in enumerate(order, start=1):
        standing = live[team]
        why: str = kind
        if not (finished and kind != "score" and team in placed):
            why = _TIE_RULES.get(standing.tie_broken_by or "", "score")
        rows.append(
            {
                "rank": rank,
                "team": team,
                "name": names.get(team, team),
                "base": base[team],
                "earned": standing.score - base[team],
                "score": standing.score,
                "tiebreak": standing.tiebreak,
                "fouls": standing.fouls,
                "rank_code": why,
                "rank_text": RANK_REASONS[why],
            }
        )
    return rows


def _round_name(state: ContestState, index: int | None) -> str:
    if index is None or state.rules is None or index >= len(state.rules.rounds):
        return "赛前"
    return state.rules.rounds[index].name


def _ledger(
    state: ContestState, names: dict[str, str], versions: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every ledger entry, rounds counted from 1, with its reason and bucket in Chinese."""
    return [
        {
            "seq": seq,
            "at": time.strftime("%H:%M:%S", time.localtime(entry.at / 1000)),
            "round": None if entry.round_index is None else entry.round_index + 1,
            "round_name": _round_name(state, entry.round_index),
            "question_id": entry.question_id or "",
            "question_version": versions.get(entry.question_id or "", ""),
            "team": entry.team,
            "name": names.get(entry.team, entry.team),
            "reason": entry.reason,
            "reason_text": LEDGER_REASONS.get(entry.reason, entry.reason),
            "bucket": entry.bucket,
            "bucket_text": BUCKETS[entry.bucket],
            "points": entry.delta,
            "note": entry.note,
        }
        for seq, entry in enumerate(state.ledger, start=1)
    ]


def _rounds(state: ContestState) -> list[RoundColumn]:
    """基础分, points outside rounds (if any), then each played round per bucket it scored in."""
    if state.rules is None:
        return []
    teams = state.rules.team_ids()
    columns: dict[tuple[int | None, str, str], dict[str, int]] = {
        (None, "基础分", "main"): dict.fromkeys(teams, 0)
    }
    for index in range(state.round_index + 1):
        rules = state.rules.rounds[index]
        bucket = "tiebreak" if rules.kind == "tiebreak" else "main"
        columns[(index + 1, rules.name, bucket)] = dict.fromkeys(teams, 0)
    for entry in state.ledger:
        if entry.reason == "base":
            key: tuple[int | None, str, str] = (None, "基础分", "main")
        elif entry.round_index is None:
            key = (None, "赛前调整", entry.bucket)
        else:
            key = (entry.round_index + 1, _round_name(state, entry.round_index), entry.bucket)
        points = columns.setdefault(key, dict.fromkeys(teams, 0))
        points[entry.team] = points.get(entry.team, 0) + entry.delta
    # Points outside any round come before the rounds; a round's buckets stay together.
    ordered = sorted(
        columns.items(),
        key=lambda item: (
            -1 if item[0][0] is None else item[0][0],
            item[0][1] != "基础分",
            item[0][2],
        ),
    )
    return [RoundColumn(number, name, bucket, pts) for (number, name, bucket), pts in ordered]


def _members(
    state: ContestState, names: dict[str, str], seated: dict[str, list[dict[str, str]]]
) -> list[dict[str, Any]]:
    """Each member's accepted buzzes and correct answers, as the core credited them: a correct
    answer counts for the member its judgement names, and an undone judgement for nobody."""
    correct = state.member_correct()
    rows = []
    teams = state.rules.teams if state.rules else ()
    for team in teams:
        roster = [(m["id"], m["name"]) for m in seated.get(team.id, [])]
        roster += [(player, player) for player in team.players]
        for player, name in roster:
            rows.append(
                {
                    "team": team.id,
                    "team_name": names.get(team.id, team.id),
                    "player": player,
                    "name": name,
                    "buzzes": state.member_buzzes.get(player, 0),
                    "correct": correct.get(player, 0),
                }
            )
    return rows


def _questions(state: ContestState, versions: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions asked, in the order they were opened, with their round, key and version."""
    round_of: dict[str, int] = {}
    for position, plan in enumerate(state.plan):
        ids = [*plan.question_ids, *plan.reserve_ids, *(q for _, t in plan.tiers for q in t)]
        for question_id in ids:
            round_of.setdefault(question_id, position)
    rows = []
    for number, question_id in enumerate(state.used, start=1):
        question = state.questions[question_id]
        index = round_of.get(question_id)
        rows.append(
            {
                "number": number,
                "round": None if index is None else index + 1,
                "round_name": _round_name(state, index),
                "question_id": question_id,
                "question_version": versions.get(question_id, ""),
                "type": kind_of(question).label,
                "text": question.text,
                "key": kind_of(question).key_words(question),
            }
        )
    return rows
