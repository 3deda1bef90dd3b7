"""Planning a contest from templates and banks: the host's names, broken templates, summaries."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from quiz.app import Services
from quiz.app.contest_setup import SetupError, build_contest, template_summaries
from quiz.storage.models import ContestRow

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
