"""Question versions from the editor and verdicts of the review queue, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from quiz.banks.loader import load_bank_text
from quiz.banks.model import Bank
from quiz.storage import question_repo as repo
from quiz.storage.bank_import import import_bank
from quiz.storage.bank_repo import load_bank
from quiz.storage.models import QuestionRow
from tests.helpers import bank_text, question

AT = dt.datetime(2026, 12, 3, 10, 0, 0)


def parse(text: str) -> Bank:
    report = load_bank_text(text, "t.yaml")
    assert report.bank is not None, report.errors
    return report.bank


BANK = parse(
    bank_text(
        question(id="a", status="reviewed"),
        question(id="b", text="长征胜利结束于哪一年？", answer="1927年"),
        reviewed_by=["审核人"],
    )
)
OTHER = parse(
    bank_text(question(id="x", text="遵义会议在哪一年召开？"), id="other", title="另一个")
)


def stored(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        import_bank(session, BANK)
        import_bank(session, OTHER)


def row(session: Session, bank: str, qid: str) -> QuestionRow:
    found = repo.bank_row(session, bank)
    assert found is not None
    question_row = repo.question_row(session, found.id, qid)
    assert question_row is not None
    return question_row


def edited(session: Session, bank: str, qid: str, text: str) -> dict[str, object]:
    content = dict(repo.newest_version(session, row(session, bank, qid).id).content)
    return {**content, "text": text, "status": "draft"}


def test_a_waiting_version_is_stored_but_not_served(any_sessions: sessionmaker[Session]) -> None:
    stored(any_sessions)
    with any_sessions.begin() as session:
        question_a = row(session, "sample", "a")
        added = repo.add_version(
            session,
            question_a,
            edited(session, "sample", "a", "改过的题干？"),
            "张三",
            make_current=False,
        )
        assert (added.version, added.edited_by, added.status) == (2, "张三", "draft")
        assert question_a.current_version == 1
    with any_sessions() as session:
        bank = load_bank(session, "sample")
        assert bank is not None
        assert bank.questions[0].text == BANK.questions[0].text
        assert [v.version for v in repo.versions_of(session, row(session, "sample", "a").id)] == [
            1,
            2,
        ]
        assert repo.newest_version(session, row(session, "sample", "a").id).edited_by == "张三"


def test_a_current_version_is_served_at_once(any_sessions: sessionmaker[Session]) -> None:
    stored(any_sessions)
    with any_sessions.begin() as session:
        question_b = row(session, "sample", "b")
        repo.add_version(
            session,
            question_b,
            edited(session, "sample", "b", "新的题干？"),
            "张三",
            make_current=True,
        )
    with any_sessions() as session:
        bank = load_bank(session, "sample")
        assert bank is not None
        assert [q.text for q in bank.questions] == [BANK.questions[0].text, "新的题干？"]
        assert row(session, "sample", "b").current_version == 2


def test_the_queue_lists_drafts_on_top_with_their_verdicts(
    any_sessions: sessionmaker[Session],
) -> None:
    stored(any_sessions)
    with any_sessions.begin() as session:
        repo.add_version(
            session,
            row(session, "sample", "a"),
            edited(session, "sample", "a", "待审的修改？"),
            "张三",
            make_current=False,
        )
    with any_sessions() as session:
        rows, total = repo.review_queue(session, None, 10, 0)
        # b (imported draft), x (imported draft) and a's waiting edit; the reviewed a itself not.
        assert total == 3
        assert {(r.bank.slug, r.question.qid) for r in rows} == {
            ("sample", "a"),
            ("sample", "b"),
            ("other", "x"),
        }
        edit = next(r for r in rows if r.question.qid == "a")
        assert edit.newest.version == 2
        assert edit.served is not None
        assert edit.served.version == 1
        assert edit.review is None
        assert repo.waiting_count(session) == 3
        only_other, total_other = repo.review_queue(session, "other", 10, 0)
        assert ([r.question.qid for r in only_other], total_other) == (["x"], 1)
        first, total_paged = repo.review_queue(session, None, 2, 0)
        rest, _ = repo.review_queue(session, None, 2, 2)
        assert (len(first), len(rest), total_paged) == (2, 1, 3)
        assert {r.question.qid for r in first + rest} == {"a", "b", "x"}
    with any_sessions.begin() as session:
        version = repo.newest_version(session, row(session, "other", "x").id)
        repo.record_review(session, version, "reject", "李四", "出处不对", AT)
    with any_sessions() as session:
        rows, total = repo.review_queue(session, "other", 10, 0)
        assert total == 1
        assert rows[0].review is not None
        assert (rows[0].review.action, rows[0].review.note, rows[0].review.reviewer) == (
            "reject",
            "出处不对",
            "李四",
        )
        # A version sent back no longer waits.
        assert repo.waiting_count(session) == 2
        reviews = repo.reviews_of(session, [rows[0].newest.id])
        assert [r.at for r in reviews[rows[0].newest.id]] == [AT]


def test_an_approval_writes_a_reviewed_version_and_leaves_the_queue(
    any_sessions: sessionmaker[Session],
) -> None:
    stored(any_sessions)
    with any_sessions.begin() as session:
        question_b = row(session, "sample", "b")
        draft = repo.newest_version(session, question_b.id)
        result = repo.add_version(
            session, question_b, {**draft.content, "status": "reviewed"}, None, make_current=True
        )
        repo.record_review(session, draft, "approve", "李四", "", AT, result)
    with any_sessions() as session:
        bank = load_bank(session, "sample")
        assert bank is not None
        assert [q.status for q in bank.questions] == ["reviewed", "reviewed"]
        reviews = repo.reviews_of(session, [draft.id])
        assert reviews[draft.id][0].result_version_id == result.id
        assert {r.question.qid for r in repo.review_queue(session, "sample", 10, 0)[0]} == set()


def test_a_new_question_goes_last_and_an_import_numbers_past_waiting_versions(
    any_sessions: sessionmaker[Session],
) -> None:
    stored(any_sessions)
    with any_sessions.begin() as session:
        bank = repo.bank_row(session, "sample")
        assert bank is not None
        added = repo.add_question(session, bank, "c")
        repo.add_version(
            session, added, {**question(id="c", text="新题？")}, "张三", make_current=True
        )
        repo.add_version(
            session,
            row(session, "sample", "a"),
            edited(session, "sample", "a", "待审的修改？"),
            "张三",
            make_current=False,
        )
    with any_sessions() as session:
        stored_bank = load_bank(session, "sample")
        assert stored_bank is not None
        assert [q.id for q in stored_bank.questions] == ["a", "b", "c"]
        assert [content["text"] for _, content in repo.current_contents(session, bank.id)][2] == (
            "新题？"
        )
    changed = parse(
        bank_text(
            question(id="a", status="reviewed", text="文件里改过的题干？"),
            question(id="b", text="长征胜利结束于哪一年？", answer="1927年"),
            reviewed_by=["审核人"],
            version=2,
        )
    )
    with any_sessions.begin() as session:
        import_bank(session, changed)
    with any_sessions() as session:
        question_a = row(session, "sample", "a")
        # The file's version comes after the waiting edit, and supersedes it in the queue.
        assert question_a.current_version == 3
        assert repo.newest_version(session, question_a.id).content["text"] == "文件里改过的题干？"
        assert "a" not in {r.question.qid for r in repo.review_queue(session, "sample", 10, 0)[0]}
