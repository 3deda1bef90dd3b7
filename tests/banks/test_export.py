"""Export writes canonical YAML: export -> import -> export is stable for any valid bank."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from quiz.banks.export import bank_to_yaml
from quiz.banks.loader import load_bank_text
from quiz.banks.model import Bank
from quiz.engine.matching import normalize_answer
from quiz.engine.questions import Question, Translation
from quiz.storage.bank_import import import_bank
from quiz.storage.bank_repo import load_bank
from quiz.storage.db import make_engine, migrate, session_factory

ALPHABET = st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"
)
texts = st.text(ALPHABET, min_size=1, max_size=20).filter(lambda t: t == t.strip())
answerable = texts.filter(lambda t: normalize_answer(t) != "")
tags = st.lists(texts, min_size=1, max_size=3).map(tuple)


def distinct_options(low: int) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(answerable, min_size=low, max_size=6, unique_by=normalize_answer).map(tuple)


@st.composite
def questions(draw: st.DrawFn, question_id: str) -> Question:
    question_type = draw(st.sampled_from(["single", "multiple", "truefalse", "fill", "order"]))
    options: tuple[str, ...] = ()
    translations: dict[str, Translation] = {}
    if question_type == "truefalse":
        answer: bool | tuple[str, ...] = draw(st.booleans())
    elif question_type == "fill":
        answer = tuple(draw(st.lists(answerable, min_size=1, max_size=3)))
        if draw(st.booleans()):
            translations["en"] = Translation(text=draw(texts), answer=(draw(answerable),))
    else:
        options = draw(distinct_options(3 if question_type == "order" else 2))
        if question_type == "single":
            answer = (draw(st.sampled_from(options)),)
        elif question_type == "multiple":
            picked = draw(st.sets(st.sampled_from(options), min_size=2))
            answer = tuple(option for option in options if option in picked)
        else:
            answer = tuple(draw(st.permutations(options)))
        if draw(st.booleans()):
            translations["bo"] = Translation(
                text=draw(texts), options=tuple(draw(texts) for _ in options)
            )
    return Question(
        id=question_id,
        type=question_type,
        text=draw(texts),
        answer=answer,
        explanation=draw(texts),
        source=draw(texts),
        difficulty=draw(st.integers(1, 5)),
        tags=draw(tags),
        status=draw(st.sampled_from(["draft", "reviewed"])),
        options=options,
        points=draw(st.none() | st.integers(0, 1000)),
        time_limit=draw(st.none() | st.integers(1, 600)),
        translations=translations,
    )


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    count = draw(st.integers(1, 5))
    return Bank(
        id="b-" + uuid.uuid4().hex[:10],
        title=draw(texts),
        description=draw(st.just("") | texts),
        language="zh-CN",
        version=draw(st.integers(1, 99)),
        authors=draw(tags),
        reviewed_by=draw(tags),
        reviewed_at=draw(st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))),
        tags=draw(st.just(()) | tags),
        translations=draw(st.just({}) | st.builds(lambda t: {"en": {"title": t}}, texts)),
        questions=tuple(draw(questions(f"q{index}")) for index in range(count)),
    )


def reload(text: str) -> Bank:
    report = load_bank_text(text, "exported.yaml")
    assert report.errors == []
    assert report.bank is not None
    return report.bank


@pytest.fixture(scope="module")
def module_sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('export') / 'db.sqlite3'}")
    migrate(engine)
    yield session_factory(engine)
    engine.dispose()


@given(banks())
def test_export_reloads_to_the_same_bank(bank: Bank) -> None:
    assert reload(bank_to_yaml(bank)) == bank


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bank=banks())
def test_export_import_export_is_stable(bank: Bank, module_sessions: sessionmaker[Session]) -> None:
    exported = bank_to_yaml(bank)
    with module_sessions.begin() as session:
        import_bank(session, reload(exported))
    with module_sessions.begin() as session:
        assert not import_bank(session, reload(exported)).touched
    with module_sessions() as session:
        stored = load_bank(session, bank.id)
    assert stored == bank
    assert stored is not None
    assert bank_to_yaml(stored) == exported
