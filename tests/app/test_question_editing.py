"""The editor's and the review queue's rules: a second person approves, an edit of a reviewed
question waits while the reviewed text is served, a rejection stays in history, refusals have
codes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from quiz.app import Services
from quiz.app import question_editing as editing
from quiz.app.errors import Refused
from quiz.banks.export import bank_to_yaml
from quiz.banks.loader import load_bank_text
from quiz.storage.bank_import import import_bank
from quiz.storage.bank_repo import load_bank
from quiz.storage.search_repo import search
from tests.helpers import bank_text, question

BANK = "fire-rescue"
CODE = re.compile(r"^[a-z][a-z_]+$")


def fields_of(content: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The editor's fields of a stored version, with ``changes``."""
    fields = {key: value for key, value in content.items() if key in editing.EDITABLE}
    return {**fields, **changes}


def served(sessions: sessionmaker[Session], qid: str, bank: str = BANK) -> Any:
    with sessions() as session:
        loaded = load_bank(session, bank)
    assert loaded is not None
    return next(q for q in loaded.questions if q.id == qid)


def edit(services: Services, qid: str, author: str = "张三", **changes: Any) -> dict[str, Any]:
    state = editing.editor_state(services.sessions, BANK, qid)
    return editing.save_edit(
        services.sessions,
        BANK,
        qid,
        fields_of(state["content"], **changes),
        base_version=state["version"],
        author=author,
    )


def refused(code: str, call: Any, *args: Any, **kwargs: Any) -> Refused:
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def test_an_edit_of_a_reviewed_question_waits_and_the_reviewed_text_is_served(
    services: Services,
) -> None:
    before = served(services.sessions, "fr-010")
    assert before.status == "reviewed"
    saved = edit(services, "fr-010", text="消防救援队伍转制后，是否仍列入武警部队序列？")
    assert (saved["version"], saved["status"], saved["pending"]) == (2, "draft", True)
    # Contests, exams and exports still get the reviewed version.
    assert served(services.sessions, "fr-010") == before
    with services.sessions() as session:
        assert search(session, "是否仍列入", bank=BANK).total == 0
    state = editing.editor_state(services.sessions, BANK, "fr-010")
    assert (state["state"], state["version"], state["current_version"]) == ("pending", 2, 1)
    queue = editing.review_queue(services.sessions, "李四", BANK)
    item = next(i for i in queue["items"] if i["qid"] == "fr-010")
    assert (item["kind"], item["state"], item["author"], item["mine"]) == (
        "edit",
        "waiting",
        "张三",
        False,
    )
    assert item["served_version"] == 1
    assert item["changes"] == [
        {
            "field": "text",
            "before": before.text,
            "after": "消防救援队伍转制后，是否仍列入武警部队序列？",
        }
    ]


@pytest.mark.parametrize("same", ["张三", " 张三 ", "张三\u3000"])
def test_the_author_cannot_approve_an_own_edit(services: Services, same: str) -> None:
    saved = edit(services, "fr-010", text="改过的题干：消防救援人员是否列入武警部队序列？")
    found = refused("own_version", editing.approve, services.sessions, saved["version_id"], same)
    assert "另一人" in found.message


def test_names_are_compared_after_nfkc_and_case_folding(services: Services) -> None:
    saved = edit(services, "fr-010", author="Zhang San", text="改过的题干：是否列入武警序列？")
    for same in ("zhang san", "ＺＨＡＮＧ ＳＡＮ", "ZHANG SAN "):
        refused("own_version", editing.approve, services.sessions, saved["version_id"], same)


def test_a_second_person_approves_and_the_question_serves_reviewed_text(
    services: Services,
) -> None:
    text = "消防救援队伍转制后，是否仍列入武警部队序列？"
    saved = edit(services, "fr-010", text=text)
    approved = editing.approve(services.sessions, saved["version_id"], "李四")
    assert (approved["version"], approved["status"]) == (3, "reviewed")
    question = served(services.sessions, "fr-010")
    assert (question.text, question.status) == (text, "reviewed")
    with services.sessions() as session:
        assert search(session, "是否仍列入", bank=BANK).total == 1
        exported = load_bank(session, BANK)
    assert exported is not None
    assert f"text: {text}" in bank_to_yaml(exported)
    assert editing.editor_state(services.sessions, BANK, "fr-010")["state"] == "reviewed"
    queue = editing.review_queue(services.sessions, "李四", BANK)
    assert "fr-010" not in {item["qid"] for item in queue["items"]}
    # Judged once: a second verdict is refused.
    refused("not_waiting", editing.approve, services.sessions, saved["version_id"], "王五")


def test_a_new_question_is_a_draft_served_at_once_and_edits_of_it_too(
    services: Services,
) -> None:
    fields = fields_of(
        editing.editor_state(services.sessions, BANK, "fr-010")["content"],
        id="fr-new-1",
        text="新增题：消防车道的净宽不应小于多少米？",
        type="fill",
        answer=["4", "4米"],
    )
    fields.pop("options", None)
    saved = editing.save_edit(
        services.sessions, BANK, "new", fields, base_version=0, author="张三", new=True
    )
    assert (saved["qid"], saved["version"], saved["current"]) == ("fr-new-1", 1, True)
    question = served(services.sessions, "fr-new-1")
    assert (question.status, question.answer) == ("draft", ("4", "4米"))
    again = edit(services, "fr-new-1", text="新增题：消防车道的净宽至少多少米？")
    assert (again["version"], again["current"]) == (2, True)
    assert served(services.sessions, "fr-new-1").text == "新增题：消防车道的净宽至少多少米？"
    item = next(
        i
        for i in editing.review_queue(services.sessions, "张三", BANK)["items"]
        if i["qid"] == "fr-new-1"
    )
    assert (item["kind"], item["mine"], item["served_version"]) == ("draft", True, 1)
    assert [change["field"] for change in item["changes"]] == ["text"]
    refused(
        "question_exists",
        editing.save_edit,
        services.sessions,
        BANK,
        "new",
        fields,
        base_version=0,
        author="张三",
        new=True,
    )


def test_a_draft_a_bank_file_brought_is_approved_by_none_of_the_banks_authors(
    services: Services,
) -> None:
    text = bank_text(question(id="d1", status="draft"), id="drafts", authors=["王五", "赵六"])
    report = load_bank_text(text, "drafts.yaml")
    assert report.bank is not None
    with services.sessions.begin() as session:
        import_bank(session, report.bank)
    queue = editing.review_queue(services.sessions, "赵六", "drafts")
    [item] = queue["items"]
    assert (item["author"], item["mine"], item["state"]) == ("王五、赵六", True, "waiting")
    refused("own_version", editing.approve, services.sessions, item["version_id"], " 王五 ")
    approved = editing.approve(services.sessions, item["version_id"], "李四")
    assert approved["status"] == "reviewed"


def test_a_rejection_stays_in_history_and_goes_back_to_the_author(services: Services) -> None:
    before = served(services.sessions, "fr-010")
    saved = edit(services, "fr-010", text="有歧义的新题干：消防救援人员属于哪个序列？")
    refused("bad_note", editing.reject, services.sessions, saved["version_id"], "李四", "  ")
    editing.reject(services.sessions, saved["version_id"], "李四", "题干有歧义")
    assert served(services.sessions, "fr-010") == before
    item = next(
        i
        for i in editing.review_queue(services.sessions, "张三", BANK)["items"]
        if i["qid"] == "fr-010"
    )
    assert (item["state"], item["mine"]) == ("rejected", True)
    assert (item["review"]["reviewer"], item["review"]["note"]) == ("李四", "题干有歧义")
    state = editing.editor_state(services.sessions, BANK, "fr-010")
    assert (state["state"], state["review"]["note"]) == ("rejected", "题干有歧义")
    assert editing.review_queue(services.sessions, "李四", BANK)["waiting"] == 0
    refused("not_waiting", editing.approve, services.sessions, saved["version_id"], "王五")
    # The author fixes it: the new version waits again, and the rejected one stays in history.
    fixed = edit(services, "fr-010", text="消防救援人员转制后是否仍属武警部队序列？")
    assert fixed["version"] == 3
    assert editing.review_queue(services.sessions, "李四", BANK)["waiting"] == 1
    editing.approve(services.sessions, fixed["version_id"], "李四")
    assert served(services.sessions, "fr-010").text == "消防救援人员转制后是否仍属武警部队序列？"


def test_refusals_have_codes(services: Services) -> None:
    state = editing.editor_state(services.sessions, BANK, "fr-010")
    fields = fields_of(state["content"], text="改过：消防救援人员是否列入武警部队序列？")
    sessions = services.sessions
    refused(
        "name_required",
        editing.save_edit,
        sessions,
        BANK,
        "fr-010",
        fields,
        base_version=1,
        author="",
    )
    refused(
        "unchanged",
        editing.save_edit,
        sessions,
        BANK,
        "fr-010",
        fields_of(state["content"]),
        base_version=1,
        author="张三",
    )
    invalid = refused(
        "invalid_question",
        editing.save_edit,
        sessions,
        BANK,
        "fr-010",
        fields_of(state["content"], text=""),
        base_version=1,
        author="张三",
    )
    assert isinstance(invalid, editing.Invalid)
    assert [p.field for p in invalid.problems if p.severity == "error"] == ["text"]
    saved = editing.save_edit(sessions, BANK, "fr-010", fields, base_version=1, author="张三")
    refused(
        "stale_version",
        editing.save_edit,
        sessions,
        BANK,
        "fr-010",
        fields_of(state["content"], text="另一处修改？"),
        base_version=1,
        author="王五",
    )
    refused("name_required", editing.approve, sessions, saved["version_id"], "")
    refused("name_required", editing.reject, sessions, saved["version_id"], "", "理由")
    refused("not_found", editing.approve, sessions, 10_000_000, "李四")
    refused("not_found", editing.editor_state, sessions, "no-such-bank", "fr-010")
    refused("not_found", editing.editor_state, sessions, BANK, "no-such-question")
    refused("bad_payload", editing.check_edit, sessions, BANK, "fr-010", {"status": "reviewed"})


def test_the_check_reports_coded_problems_at_editor_fields(services: Services) -> None:
    content = editing.editor_state(services.sessions, BANK, "fr-008")["content"]
    assert (content["type"], content["answer"]) == ("single", "公安部")
    options = list(content["options"])
    broken = fields_of(content, text="", options=[options[0], options[0], *options[2:]])
    checked = editing.check_edit(services.sessions, BANK, "fr-008", broken, language="en")
    assert checked.content is None
    errors = {p.field for p in checked.problems if p.severity == "error"}
    assert errors == {"text", "options.1"}
    for problem in checked.problems:
        assert CODE.match(problem.code), problem
    english = {p.field: p.text for p in checked.problems}
    chinese = {
        p.field: p.text
        for p in editing.check_edit(
            services.sessions, BANK, "fr-008", broken, language="zh"
        ).problems
    }
    assert english.keys() == chinese.keys()
    assert english["text"] != chinese["text"]
    no_answer = editing.check_edit(
        services.sessions, BANK, "fr-008", fields_of(content, answer="E")
    )
    assert [p.field for p in no_answer.problems] == ["answer"]
    fine = editing.check_edit(services.sessions, BANK, "fr-008", fields_of(content))
    assert (fine.problems, fine.content is not None) == ([], True)


def test_the_check_warns_of_a_near_duplicate_in_the_bank(services: Services) -> None:
    other = served(services.sessions, "fr-007")
    content = editing.editor_state(services.sessions, BANK, "fr-008")["content"]
    copied = fields_of(content, text=other.text, options=list(other.options), answer="A")
    checked = editing.check_edit(services.sessions, BANK, "fr-008", copied, language="zh")
    warnings = [p for p in checked.problems if p.code == "near_duplicate"]
    assert [(p.field, p.severity) for p in warnings] == [("text", "warning")]
    assert "fr-007" in warnings[0].text
    assert checked.content is not None  # a warning does not stop a save


def test_a_host_login_keeps_the_name_given(services: Services) -> None:
    logins = services.host_sessions
    named = logins.open(" 张三 ")
    unnamed = logins.open()
    assert (logins.name(named), logins.name(unnamed)) == ("张三", "")
    assert logins.alive(named)
    assert logins.set_name(unnamed, "ＬＩ Si") == "LI Si"
    assert logins.name(unnamed) == "LI Si"
    refused("bad_name", logins.open, "名" * 41)
    refused("bad_name", logins.set_name, named, "")
    refused("bad_name", logins.set_name, named, "张\x00三")
    logins.close(named)
    assert logins.name(named) is None
    refused("unauthorized", logins.set_name, named, "张三")
