"""Planning a contest from templates and banks: the host's names, broken templates, summaries,
the 成绩单's details and the reader's default option order."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from quiz.app import Services
from quiz.app.contest_setup import SetupError, build_contest, template_summaries, update_details
from quiz.app.contests import ContestService
from quiz.app.errors import Refused
from quiz.app.lobby import contest_info
from quiz.app.results import contest_results
from quiz.engine.commands import EndContest
from quiz.storage.contest_repo import commands_after, contest_by_code
from quiz.storage.models import ContestRow
from tests.web.keys import bundled_questions

TEMPLATES = Path(__file__).parent.parent / "web" / "templates"


@pytest.fixture
def own_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "mini.yaml").write_text(
        (TEMPLATES / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(folder))
    return folder


def test_the_hosts_team_names_reach_the_rules_and_the_stored_template(
    services: Services, own_templates: Path
) -> None:
    created = build_contest(
        services.contests,
        title="拉萨对抗赛",
        template="mini",
        bank_ids=["party-history", "tibet-history"],
        team_names={"lhasa": "  拉萨支队一队  ", "nobody": "不存在"},
    )
    live = services.contests.live(created.code)
    assert live is not None
    assert live.state.rules is not None
    names = {team.id: team.name for team in live.state.rules.teams}
    assert names["lhasa"] == "拉萨支队一队"
    assert "nobody" not in names


def test_a_broken_template_is_refused_with_its_position(
    services: Services, own_templates: Path
) -> None:
    (own_templates / "broken.yaml").write_text(
        "name: broken\nlabel: 坏模板\nteams:\n  - {id: a}\n  - {id: b}\nrounds:\n"
        "  - kind: buzzer\n    points: lots\n",
        encoding="utf-8",
    )
    with pytest.raises(SetupError, match=r"broken\.yaml:8:13"):
        build_contest(services.contests, title="赛", template="broken", bank_ids=["party-history"])
    listed = {summary["name"]: summary for summary in template_summaries()}
    assert listed["mini"].get("error") is None
    assert "broken.yaml:8:13" in listed["broken"]["error"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " ", "bank_ids": ["party-history"]}, "the title needs 1 to 100 characters"),
        ({"title": "赛", "bank_ids": []}, "choose at least one bank"),
        ({"title": "赛", "bank_ids": ["no-such-bank"]}, "no bank 'no-such-bank'"),
    ],
)
def test_a_contest_that_cannot_be_made_says_why_and_stores_nothing(
    services: Services, own_templates: Path, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(SetupError, match=message):
        build_contest(services.contests, template="mini", **fields)  # type: ignore[arg-type]
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ContestRow)) == 0


def test_the_hosts_teams_and_round_values_replace_the_templates(
    services: Services, own_templates: Path
) -> None:
    created = build_contest(
        services.contests,
        title="赛",
        template="mini",
        bank_ids=["party-history", "tibet-history"],
        teams=[{"name": " 一队 "}, {"id": "second", "name": "二队"}, {"name": "三队"}],
        rounds={"1": {"count": 2, "answer_seconds": 20, "buzz_window_seconds": 5, "points": 30}},
    )
    live = services.contests.live(created.code)
    assert live is not None
    rules = live.state.rules
    assert rules is not None
    assert [(team.id, team.name) for team in rules.teams] == [
        ("team1", "一队"),
        ("second", "二队"),
        ("team3", "三队"),
    ]
    buzzer = rules.rounds[1]
    assert (buzzer.selection.count, buzzer.answer_time_ms, buzzer.points) == (2, 20_000, 30)
    assert buzzer.buzz_window_ms == 5_000
    assert rules.rounds[0].selection.count == 4


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rounds": {"1": {"answer_seconds": 0}}}, r"^rounds/1/answer_seconds: "),
        ({"rounds": {"0": {"count": 0}}}, r"^rounds/0/count: "),
        ({"rounds": {"1": {"points": "lots"}}}, r"^rounds/1/points: "),
        ({"rounds": {"1": {"buzz_window_seconds": 4000}}}, r"^rounds/1/buzz_window_seconds: "),
        ({"rounds": {"9": {"points": 5}}}, r"^rounds/9: the template has no round 9"),
        ({"rounds": {"1": {"mode": "all"}}}, r"^rounds/1: expected only"),
        ({"teams": [{"name": "独队"}]}, r"^teams: expected a list of 2 to 12 teams"),
        ({"teams": [{"name": f"队{n}"} for n in range(13)]}, r"^teams: expected a list of 2"),
        ({"teams": [{"name": "一队"}, {"name": " "}]}, r"^teams/1/name: needs 1 to 40"),
        ({"teams": [{"name": "一队"}, {"name": "一队"}]}, r"^teams: two teams have the same"),
        ({"teams": [{"id": 7, "name": "一队"}, {"name": "二队"}]}, r"^teams/0/id: "),
        ({"team_names": {"lhasa": "林芝支队"}}, r"^teams: two teams have the same name"),
    ],
)
def test_a_bad_override_is_refused_with_its_path_and_stores_nothing(
    services: Services, own_templates: Path, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(SetupError, match=message):
        build_contest(
            services.contests,
            title="赛",
            template="mini",
            bank_ids=["party-history", "tibet-history"],
            **overrides,  # type: ignore[arg-type]
        )
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ContestRow)) == 0


def test_the_summary_gives_the_form_each_rounds_values_and_the_teams(
    services: Services, own_templates: Path
) -> None:
    mini = next(summary for summary in template_summaries() if summary["name"] == "mini")
    assert mini["team_list"][0] == {"id": "lhasa", "name": "拉萨支队"}
    assert mini["round_values"][1] == {
        "name": "抢答题",
        "kind": "buzzer",
        "count": 3,
        "answer_seconds": 15,
        "buzz_window_seconds": 10,
        "points": 10,
    }


DETAILS = {"venue": "  拉萨支队训练基地 ", "organiser": "西藏消防救援总队", "host_name": "次仁"}


def test_the_sheets_details_are_stored_trimmed_and_an_empty_venue_stays_empty(
    services: Services, own_templates: Path
) -> None:
    given = build_contest(
        services.contests, title="赛", template="mini", bank_ids=["party-history"], details=DETAILS
    )
    info = contest_info(services.contests, given.code)
    assert info is not None
    assert info.details() == {"venue": "拉萨支队训练基地", "organiser": DETAILS["organiser"]} | {
        "host_name": "次仁"
    }
    results = contest_results(services.contests, given.code)
    assert results is not None
    assert results.venue == "拉萨支队训练基地"
    bare = build_contest(services.contests, title="赛", template="mini", bank_ids=["party-history"])
    results = contest_results(services.contests, bare.code)
    assert results is not None
    # Not the title: the 成绩单 prints a line to fill in by hand.
    assert (results.venue, results.contest.organiser, results.contest.host_name) == ("", "", "")


@pytest.mark.parametrize(
    "details",
    [
        {"venue": "地" * 61},
        {"organiser": "西藏\n消防"},
        {"host_name": "次\t仁"},
        {"venue": "拉萨\u2028基地"},
        {"host_name": 7},
    ],
)
def test_bad_details_are_refused_with_their_code_and_store_nothing(
    services: Services, own_templates: Path, details: dict[str, object]
) -> None:
    with pytest.raises(Refused) as refused:
        build_contest(
            services.contests,
            title="赛",
            template="mini",
            bank_ids=["party-history"],
            details=details,
        )
    assert refused.value.code == "bad_details"
    assert next(iter(details)) in refused.value.message
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ContestRow)) == 0


def test_the_details_change_until_the_contest_finishes(
    services: Services, own_templates: Path
) -> None:
    code = build_contest(
        services.contests, title="赛", template="mini", bank_ids=["party-history"], details=DETAILS
    ).code
    # Only the fields named change; null clears one.
    changed = update_details(
        services.contests, code.lower(), {"venue": " 日喀则 ", "host_name": None}
    )
    assert changed == {"venue": "日喀则", "organiser": "西藏消防救援总队", "host_name": ""}
    with pytest.raises(Refused) as refused:
        update_details(services.contests, code, {"organiser": "x" * 61})
    assert refused.value.code == "bad_details"
    services.contests.execute(code, lambda at: EndContest(at=at))
    with pytest.raises(Refused) as refused:
        update_details(services.contests, code, {"venue": "林芝"})
    assert refused.value.code == "finished"
    info = contest_info(services.contests, code)
    assert info is not None
    assert info.venue == "日喀则"
    with pytest.raises(Refused) as refused:
        update_details(services.contests, "NOSUCH", {"venue": "林芝"})
    assert refused.value.code == "unknown_contest"


def test_a_template_silent_on_shuffling_shuffles_and_its_log_replays_the_same(
    services: Services, own_templates: Path
) -> None:
    assert "shuffle_options" not in (own_templates / "mini.yaml").read_text(encoding="utf-8")
    code = build_contest(
        services.contests, title="赛", template="mini", bank_ids=["party-history"], seed=5
    ).code
    live = services.contests.live(code)
    assert live is not None
    with services.sessions() as session:
        row = contest_by_code(session, code)
        assert row is not None
        ((_, setup),) = commands_after(session, row.id, 0)
    # The rules are logged in full: the reader's default is in the log, not left to a default.
    assert [r["shuffle_options"] for r in setup["rules"]["rounds"]] == [True] * 4
    bank = bundled_questions()
    moved = [
        qid
        for qid, question in live.state.questions.items()
        if question.options != bank[qid].options
    ]
    assert moved
    for qid in moved:
        assert sorted(live.state.questions[qid].options) == sorted(bank[qid].options)
        assert live.state.questions[qid].answer == bank[qid].answer
    again = ContestService(services.sessions, lambda: 0).live(code)
    assert again is not None
    assert again.state == live.state
