"""Players' 纠错 reports through the service: only after the reveal, one open report per player
and question, a rate limit, and an organiser's list and resolution."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from quiz.app import Services
from quiz.app.contest_setup import build_contest
from quiz.app.errors import Refused
from quiz.app.lobby import teams_of
from quiz.app.question_reports import RATE_COUNT, QuestionReports
from quiz.engine.commands import OpenQuestion, PromptAnswer, StartRound, SubmitAnswer
from quiz.storage.models import SittingRow
from quiz.storage.report_repo import seat_row_id
from tests.helpers import join_with_code
from tests.web.keys import right_answer, wrong_answer
from tests.web.practice_fixtures import Clock

TEMPLATES = Path(__file__).parent.parent / "web" / "templates"


@pytest.fixture
def reports(services: Services, clock: Clock) -> QuestionReports:
    return QuestionReports(services.sessions, services.contests, lambda: clock.now_ms)


@pytest.fixture
def contest(services: Services, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int, str]:
    """A contest in its first question (unrevealed), a seated lhasa member and that question."""
    monkeypatch.setenv("QUIZ_TEMPLATES_DIR", str(TEMPLATES))
    code = build_contest(
        services.contests, title="赛", template="mini", seed=1, bank_ids=["party-history"]
    ).code
    seat = join_with_code(services.contests, code, "lhasa", "扎西")
    contests = services.contests
    contests.execute(code, lambda at: StartRound(at=at))
    contests.execute(code, lambda at: OpenQuestion(at=at, team="lhasa"))
    live = contests.live(code)
    assert live is not None
    assert live.state.round is not None
    assert live.state.round.play is not None
    question = live.state.round.play.question_id
    player = next(
        member["id"] for member in live_members(services, code) if member["name"] == "扎西"
    )
    assert seat["team"] == "lhasa"
    row_id = seat_row_id(player)
    assert row_id is not None
    return code, row_id, question


def live_members(services: Services, code: str) -> list[dict[str, Any]]:
    found = teams_of(services.contests, code, member_names=True)
    assert found is not None
    return [member for team in found["teams"] for member in team["member_names"]]


def reveal(services: Services, code: str, question: str) -> None:
    """Answer lhasa's turn question, which reveals it."""
    contests = services.contests
    contests.execute(code, lambda at: PromptAnswer(at=at))
    contests.execute(code, lambda at: SubmitAnswer(at=at, team="lhasa", response=0))
    live = contests.live(code)
    assert live is not None
    assert question in live.state.revealed


def answer(
    services: Services, user_id: int, sitting: int, position: int, right: bool = True
) -> tuple[str, str]:
    """Answer a sitting's question (rightly unless told); its bank and question id."""
    with services.sessions() as session:
        row = session.get(SittingRow, sitting)
        assert row is not None
        version = int(row.question_versions[position])
        item = services.practice.versions(session, [version])[version]
    wire = right_answer(item.question) if right else wrong_answer(item.question)
    response = tuple(wire) if isinstance(wire, list) else wire
    services.practice.answer(user_id, sitting, position, response)
    return item.bank, item.question.id


def refusal(call: Any) -> str:
    with pytest.raises(Refused) as caught:
        call()
    return caught.value.code


def test_a_question_is_reported_only_after_its_reveal(
    services: Services, reports: QuestionReports, contest: tuple[str, int, str]
) -> None:
    code, player, question = contest
    early = refusal(lambda: reports.report_in_contest(code, player, "扎西", question, "answer", ""))
    assert early == "not_revealed"
    assert reports.open_reports() == {"questions": [], "open": 0}
    reveal(services, code, question)
    done = reports.report_in_contest(code, player, "扎西", question, "answer", " 答案应为B ")
    assert done == {"ok": True, "replaced": False}
    listed = reports.open_reports()
    assert listed["open"] == 1
    [entry] = listed["questions"]
    assert entry["bank"] == "party-history"
    assert f"party-history/{entry['qid']}" == question
    assert entry["count"] == 1
    assert entry["reasons"] == {"answer": 1}
    assert entry["text"]
    [report] = entry["reports"]
    assert (report["note"], report["reporter"], report["source"], report["contest"]) == (
        "答案应为B",
        "扎西",
        "contest",
        code,
    )
    assert report["version"] == entry["current_version"]


def test_bad_reports_are_refused_with_their_codes(
    services: Services, reports: QuestionReports, contest: tuple[str, int, str]
) -> None:
    code, player, question = contest
    reveal(services, code, question)
    cases = [
        ("party-history/no-such", "answer", "", "unknown_question"),
        (question, "spelling", "", "bad_reason"),
        (question, "answer", "长" * 201, "note_too_long"),
        (question, "answer", 5, "bad_payload"),
        (7, "answer", "", "bad_payload"),
    ]
    for asked, reason, note, code_expected in cases:
        got = refusal(
            lambda a=asked, r=reason, n=note: reports.report_in_contest(
                code, player, "扎西", a, r, n
            )
        )
        assert got == code_expected, (asked, reason, note)
    assert reports.open_reports()["open"] == 0
    # 200 characters is the limit, not over it.
    assert reports.report_in_contest(code, player, "扎西", question, "other", "长" * 200)["ok"]


def test_a_second_report_replaces_the_first_until_resolved(
    services: Services, reports: QuestionReports, contest: tuple[str, int, str], clock: Clock
) -> None:
    code, player, question = contest
    reveal(services, code, question)
    reports.report_in_contest(code, player, "扎西", question, "answer", "第一次")
    clock.advance(seconds=5)
    again = reports.report_in_contest(code, player, "扎西", question, "stem", "第二次")
    assert again["replaced"] is True
    [entry] = reports.open_reports()["questions"]
    assert entry["count"] == 1
    assert [(r["reason"], r["note"]) for r in entry["reports"]] == [("stem", "第二次")]

    resolved = reports.resolve(entry["question_id"], "已改正答案")
    assert resolved == {"ok": True, "resolved": 1}
    assert reports.open_reports()["open"] == 0
    assert refusal(lambda: reports.resolve(entry["question_id"], "")) == "not_found"
    # After the resolution a new report opens a new entry.
    fresh = reports.report_in_contest(code, player, "扎西", question, "options", "")
    assert fresh["replaced"] is False
    assert reports.open_reports()["open"] == 1


def test_a_player_is_rate_limited(
    services: Services, reports: QuestionReports, contest: tuple[str, int, str], clock: Clock
) -> None:
    code, player, question = contest
    reveal(services, code, question)
    for index in range(RATE_COUNT):
        assert reports.report_in_contest(code, player, "扎西", question, "other", str(index))["ok"]
    limited = refusal(
        lambda: reports.report_in_contest(code, player, "扎西", question, "other", "")
    )
    assert limited == "rate_limited"
    clock.advance(seconds=61)
    assert reports.report_in_contest(code, player, "扎西", question, "other", "later")["ok"]


def test_self_test_reports_follow_the_feedback(
    services: Services, reports: QuestionReports, clock: Clock
) -> None:
    user = services.accounts.new_guest()
    practice = services.practice.start(user["id"], "practice", {"count": 2})
    sitting = practice["id"]
    user_id = user["id"]
    early = refusal(lambda: reports.report_in_sitting(user_id, sitting, 0, "answer", ""))
    assert early == "not_revealed"
    answer(services, user_id, sitting, 0)
    done = reports.report_in_sitting(user_id, sitting, 0, "explanation", "解析不全")
    assert done == {"ok": True, "replaced": False}
    assert refusal(lambda: reports.report_in_sitting(user_id, sitting, 1, "answer", "")) == (
        "not_revealed"
    )
    assert refusal(lambda: reports.report_in_sitting(user_id, sitting, 9, "answer", "")) == (
        "unknown_question"
    )
    assert refusal(lambda: reports.report_in_sitting(user_id + 1, sitting, 0, "answer", "")) == (
        "not_found"
    )
    not_text = refusal(lambda: reports.report_in_sitting(user_id, sitting, 0, "answer", 5))
    assert not_text == "bad_field"
    [entry] = reports.open_reports()["questions"]
    [report] = entry["reports"]
    assert (report["source"], report["sitting"], report["reporter"]) == (
        "selftest",
        sitting,
        user["name"],
    )

    # An exam shows the key only when finished: reports wait until then.
    exam = services.practice.start(user_id, "exam", {"count": 2})
    answer(services, user_id, exam["id"], 0)
    hidden = refusal(lambda: reports.report_in_sitting(user_id, exam["id"], 0, "answer", ""))
    assert hidden == "not_revealed"
    services.practice.finish(user_id, exam["id"])
    assert reports.report_in_sitting(user_id, exam["id"], 1, "answer", "")["ok"]


def test_a_wrong_answer_book_card_is_reported_like_its_sitting(
    services: Services, reports: QuestionReports
) -> None:
    user = services.accounts.new_guest()
    user_id = user["id"]
    sitting = services.practice.start(user_id, "practice", {"count": 1})["id"]
    bank, qid = answer(services, user_id, sitting, 0, right=False)
    first = reports.report_in_sitting(user_id, sitting, 0, "answer", "一")
    assert first["replaced"] is False
    # The card is the same question: the report is replaced, not doubled.
    again = reports.report_in_wrongbook(user_id, bank, qid, "other", "错题本")
    assert again == {"ok": True, "replaced": True}
    [entry] = reports.open_reports()["questions"]
    assert (entry["bank"], entry["qid"], entry["count"]) == (bank, qid, 1)
    assert [(r["reason"], r["note"]) for r in entry["reports"]] == [("other", "错题本")]
    stranger = services.accounts.new_guest()["id"]
    missing = refusal(lambda: reports.report_in_wrongbook(stranger, bank, qid, "answer", ""))
    assert missing == "not_found"
    bad = refusal(lambda: reports.report_in_wrongbook(user_id, bank, 7, "answer", ""))
    assert bad == "bad_field"
