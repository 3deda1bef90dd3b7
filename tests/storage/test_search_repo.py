"""The bank browser's search on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm): Chinese
substrings of any length, several terms, filters, user text that is never query syntax, and an
index that follows imports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from quiz.banks.model import Bank
from quiz.engine.questions import Question
from quiz.storage import bank_import
from quiz.storage.backup import restore_backup, write_backup
from quiz.storage.bank_import import import_bank, import_bank_in_steps
from quiz.storage.db import alembic_config, make_engine, migrate, session_factory
from quiz.storage.search_repo import SearchPage, index_questions, search, snippet


def q(
    qid: str,
    stem: str,
    *,
    options: tuple[str, ...] = ("甲", "乙"),
    tags: tuple[str, ...] = (),
    difficulty: int = 1,
    status: str = "reviewed",
    explanation: str = "",
) -> Question:
    return Question(
        id=qid,
        type="single",
        text=stem,
        answer=(options[0],),
        explanation=explanation,
        source="测试",
        difficulty=difficulty,
        tags=tags,
        status=status,  # type: ignore[arg-type]
        options=options,
    )


def tf(qid: str, stem: str) -> Question:
    return Question(qid, "truefalse", stem, True, "", "测试", 2, ("判断",), "draft")


def bank(slug: str, *questions: Question, version: int = 1) -> Bank:
    return Bank(slug, f"题库 {slug}", "zh-CN", version, ("测试组",), questions)


TIBET = bank(
    "tibet",
    q("t1", "西藏自治区的首府是哪座城市？", options=("拉萨", "日喀则"), tags=("地理", "首府")),
    q("t2", "珠穆朗玛峰海拔约多少米？", options=("8848.86", "8611"), tags=("地理",), difficulty=3),
    q("t3", "火灾初起时应首先做什么？", options=("报警", "逃跑"), tags=("消防",), status="draft"),
    q("t4", "约21%的空气是氧气，这一说法对吗？", options=("对", "错")),
    q("t5", "填写 a_b 和 a%b 的区别", explanation='引号 "quoted" 与 OR 以及 NEAR(a b)'),
    tf("t6", "布达拉宫位于拉萨。"),
    q("t7", "Lhasa is the CAPITAL of Tibet", options=("yes", "no")),
    q("t8", "བོད་ལྗོངས་ཀྱི་རྒྱལ་ས་གང་ཡིན།", options=("ལྷ་ས", "གཞིས་ཀ་རྩེ")),
)
OTHER = bank("other", q("o1", "西藏和平解放是哪一年？", tags=("历史",)))


@pytest.fixture
def loaded(any_sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with any_sessions.begin() as session:
        import_bank(session, TIBET)
    import_bank_in_steps(any_sessions, OTHER)
    return any_sessions


def find(sessions: sessionmaker[Session], query: str, **filters: object) -> SearchPage:
    with sessions() as session:
        return search(session, query, **filters)  # type: ignore[arg-type]


def qids(page: SearchPage) -> list[str]:
    return [hit.qid for hit in page.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("火", ["t3"]),  # one character: shorter than a trigram
        ("西藏", ["o1", "t1"]),  # two characters
        ("首府是", ["t1"]),  # three: the trigram index
        ("珠穆朗玛峰海拔", ["t2"]),
        ("西藏 和平", ["o1"]),  # every term must occur
        ("拉萨　首府", ["t1"]),  # a full-width space separates terms too
        ("拉萨", ["t1", "t6"]),  # found in an option (t1) and in a stem (t6)
        ("消防", ["t3"]),  # a tag
        ("t2", ["t2"]),  # a question id
        ("capital", ["t7"]),  # case does not matter
        ("LHASA", ["t7"]),
        ("ལྷ་ས", ["t8"]),  # Tibetan
        ("不存在的词", []),
        ("", ["o1", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"]),
    ],
)
def test_substrings_of_any_length_are_found(
    loaded: sessionmaker[Session], query: str, expected: list[str]
) -> None:
    page = find(loaded, query)
    assert qids(page) == expected
    assert page.total == len(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", ["t4", "t5"]),  # a LIKE wildcard is a plain character
        ("_", ["t5"]),
        ("a_b", ["t5"]),
        ("a%b", ["t5"]),
        ("1%", ["t4"]),
        ('"quoted"', ["t5"]),  # FTS5 quotes are plain characters
        ('"', ["t5"]),
        ("OR", ["t5"]),  # an FTS5 operator is a word to look for
        ("near(a", ["t5"]),
        ("NEAR", ["t5"]),
        ("a*", []),  # no prefix search: there is no "a*" in any question
        ("8848.8*", []),
        ("\\", []),
        ("西藏 OR 火", []),  # no question holds all three terms
    ],
)
def test_user_text_is_never_query_syntax(
    loaded: sessionmaker[Session], query: str, expected: list[str]
) -> None:
    assert qids(find(loaded, query)) == expected


def test_filters_narrow_the_search(loaded: sessionmaker[Session]) -> None:
    assert qids(find(loaded, "西藏", bank="other")) == ["o1"]
    assert qids(find(loaded, "", tag="地理")) == ["t1", "t2"]
    assert qids(find(loaded, "首府", tag="地理")) == ["t1"]
    assert qids(find(loaded, "", type="truefalse")) == ["t6"]
    assert qids(find(loaded, "", difficulty=3)) == ["t2"]
    assert qids(find(loaded, "", status="draft")) == ["t3", "t6"]
    assert qids(find(loaded, "", bank="tibet", status="draft", type="single")) == ["t3"]
    assert qids(find(loaded, "", bank="nowhere")) == []


def test_pages_count_every_match(loaded: sessionmaker[Session]) -> None:
    pages = [find(loaded, "", offset=offset, limit=4) for offset in (0, 4, 8)]
    assert [page.total for page in pages] == [9, 9, 9]
    assert [qids(page) for page in pages] == [
        ["o1", "t1", "t2", "t3"],
        ["t4", "t5", "t6", "t7"],
        ["t8"],
    ]


def test_a_hit_says_what_and_where_with_the_match_marked(loaded: sessionmaker[Session]) -> None:
    (hit,) = find(loaded, "首府 西藏").hits
    assert (hit.bank, hit.qid, hit.version, hit.type, hit.difficulty, hit.status) == (
        "tibet",
        "t1",
        1,
        "single",
        1,
        "reviewed",
    )
    assert hit.tags == ("地理", "首府")
    assert hit.snippet.text == "西藏自治区的首府是哪座城市？"
    assert hit.snippet.marks == ((0, 2), (6, 8))
    (english,) = find(loaded, "capital").hits
    assert english.snippet.text[slice(*english.snippet.marks[0])] == "CAPITAL"


def test_a_long_stem_is_cut_around_its_first_match() -> None:
    stem = "开头" * 60 + "目标词" + "结尾" * 60
    cut = snippet(stem, ("目标词",))
    assert cut.clipped_start
    assert cut.clipped_end
    assert len(cut.text) == 80
    (mark,) = cut.marks
    assert cut.text[mark[0] : mark[1]] == "目标词"
    assert snippet("ab", ("ab", "b")).marks == ((0, 2),)  # overlapping matches merge


def test_reimport_updates_the_index_and_retired_questions_leave_it(
    loaded: sessionmaker[Session],
) -> None:
    changed = bank(
        "tibet",
        q("t1", "拉萨是西藏自治区的首府吗？", options=("是", "不是"), tags=("地理",)),
        q("t9", "雅鲁藏布江发源于哪里？", tags=("河流",)),
        version=2,
    )
    import_bank_in_steps(loaded, changed)
    assert qids(find(loaded, "首府是")) == []
    assert qids(find(loaded, "首府吗")) == ["t1"]
    assert [hit.version for hit in find(loaded, "首府吗").hits] == [2]
    assert qids(find(loaded, "火")) == []  # t3 is retired
    assert qids(find(loaded, "雅鲁藏布")) == ["t9"]
    assert qids(find(loaded, "", tag="首府")) == []
    assert qids(find(loaded, "", tag="河流")) == ["t9"]
    assert find(loaded, "", bank="tibet").total == 2


def test_an_import_that_failed_while_indexing_is_mended_by_the_next(
    loaded: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = bank("tibet", q("t1", "拉萨是西藏自治区的首府吗？"), version=2)

    def full_disk(session: Session, ids: object) -> None:
        raise OSError("the disk is full")

    monkeypatch.setattr(bank_import, "index_questions", full_disk)
    with pytest.raises(OSError, match="disk is full"):
        import_bank_in_steps(loaded, changed)
    assert qids(find(loaded, "首府")) == ["t1"]
    assert qids(find(loaded, "首府吗")) == []  # the bank is current, its index is not
    monkeypatch.undo()
    assert not import_bank_in_steps(loaded, changed).touched
    assert qids(find(loaded, "首府吗")) == ["t1"]
    assert find(loaded, "", bank="tibet").total == 1


def test_new_questions_are_indexed_with_their_rows_and_found_only_once_shown(
    loaded: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = bank("fresh", q("n1", "羊卓雍措属于哪个市？"), q("n2", "羊八井以什么闻名？"))

    def power_cut(session: Session, *args: object) -> None:
        raise OSError("the power went out")

    monkeypatch.setattr(bank_import, "_make_current", power_cut)
    with pytest.raises(OSError, match="power went out"):
        import_bank_in_steps(loaded, fresh)
    with loaded() as session:
        indexed = session.scalar(text("SELECT count(*) FROM question_search"))
    assert indexed == 11  # the 9 loaded questions and the 2 written but never shown
    assert qids(find(loaded, "羊卓雍措")) == []
    assert qids(find(loaded, "羊")) == []
    monkeypatch.undo()
    monkeypatch.setattr(bank_import, "index_questions", power_cut)
    import_bank_in_steps(loaded, fresh)  # no index step is needed for new questions
    assert qids(find(loaded, "羊卓雍措")) == ["n1"]
    assert qids(find(loaded, "羊")) == ["n1", "n2"]


def test_indexing_twice_changes_nothing(loaded: sessionmaker[Session]) -> None:
    with loaded() as session:
        ids = list(session.scalars(text("SELECT question_id FROM question_search")))
    with loaded.begin() as session:
        index_questions(session, ids)
        index_questions(session, ids)
    assert find(loaded, "").total == 9
    assert qids(find(loaded, "西藏")) == ["o1", "t1"]


def test_a_restored_backup_is_searchable(loaded: sessionmaker[Session], tmp_path: Path) -> None:
    backup = tmp_path / "backup.jsonl.gz"
    engine = loaded.kw["bind"]
    write_backup(engine, backup)
    target = make_engine(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    migrate(target)
    restore_backup(target, backup)
    restored = session_factory(target)
    for query in ("西藏", "首府是", "火", "a_b"):
        assert find(restored, query) == find(loaded, query)
    target.dispose()


def test_both_databases_return_the_same_results(database_url: str, postgres_url: str) -> None:
    answers = []
    for url in (database_url, postgres_url):
        engine = make_engine(url)
        migrate(engine)
        sessions = session_factory(engine)
        with sessions.begin() as session:
            import_bank(session, TIBET)
            import_bank(session, OTHER)
        answers.append(
            [
                find(sessions, query, **filters)
                for query in ("西藏", "火", "拉萨 首府", "a_b", "%", '"', "capital", "")
                for filters in ({}, {"tag": "地理"}, {"status": "draft"})
            ]
        )
        engine.dispose()
    assert answers[0] == answers[1]


@pytest.fixture
def postgres_sessions(postgres_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(postgres_url)
    migrate(engine)
    yield session_factory(engine)
    engine.dispose()


def test_postgresql_uses_the_trigram_index_for_chinese(
    postgres_sessions: sessionmaker[Session],
) -> None:
    with postgres_sessions.begin() as session:
        import_bank(session, TIBET)
    with postgres_sessions() as session:
        # A table this small is read whole by choice; forbid that to see the index can serve.
        session.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(
            session.scalars(
                text("EXPLAIN SELECT question_id FROM question_search WHERE body LIKE :p"),
                {"p": "%首府是%"},
            )
        )
        hits = session.scalars(
            text("SELECT question_id FROM question_search WHERE body LIKE :p"), {"p": "%首府是%"}
        ).all()
    assert "ix_question_search_body_trgm" in plan
    assert len(hits) == 1


def test_sqlite_keeps_its_fts_index_in_step(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        import_bank(session, TIBET)
    import_bank_in_steps(sessions, bank("tibet", q("t1", "拉萨是首府吗？"), version=2))
    with sessions() as session:
        # The FTS table answers a trigram phrase on its own, without the exact check.
        rows = {
            phrase: session.scalars(
                text("SELECT rowid FROM question_search_fts WHERE question_search_fts MATCH :m"),
                {"m": phrase},
            ).all()
            for phrase in ('"首府是"', '"首府吗"', '"珠穆朗玛"')
        }
        t1 = session.scalar(text("SELECT id FROM questions WHERE qid = 't1'"))
    engine.dispose()
    assert rows == {'"首府是"': [], '"首府吗"': [t1], '"珠穆朗玛"': []}


def test_the_migration_indexes_questions_already_stored(any_database_url: str) -> None:
    engine = make_engine(any_database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0007")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO banks (id, slug, title, language, version, header, header_hash, "
                "imported_at) VALUES (1, 'old', '旧题库', 'zh-CN', 1, '{}', 'h', '2026-12-01')"
            )
        )
        for number, retired in ((1, False), (2, True)):
            connection.execute(
                text(
                    "INSERT INTO questions (id, bank_id, qid, position, current_version, retired) "
                    "VALUES (:id, 1, :qid, :id, 1, :retired)"
                ),
                {"id": number, "qid": f"old{number}", "retired": retired},
            )
            connection.execute(
                text(
                    "INSERT INTO question_versions (question_id, version, bank_version, type, "
                    "difficulty, status, content, content_hash, created_at) VALUES "
                    "(:id, 1, 1, 'fill', 2, 'reviewed', :content, 'h', '2026-12-01')"
                ),
                {
                    "id": number,
                    "content": json.dumps(
                        {
                            "id": f"old{number}",
                            "type": "fill",
                            "text": f"旧题{number}：西藏",
                            "answer": ["x"],
                            "tags": ["旧"],
                        }
                    ),
                },
            )
    migrate(engine)
    sessions = session_factory(engine)
    assert qids(find(sessions, "旧题")) == ["old1"]
    assert qids(find(sessions, "", tag="旧")) == ["old1"]
    engine.dispose()
