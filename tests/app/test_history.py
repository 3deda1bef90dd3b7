"""One writer of self-test history: a practice answer and a finished PK match store an answer
and file its wrong-answer card the same way."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from quiz.app import Services
from quiz.app.pk import Waiter, record_match
from quiz.engine.commands import SubmitAnswer
from quiz.storage.models import AttemptRow, ReviewCardRow, SittingRow, UserRow
from tests.web.keys import wrong_answer
from tests.web.practice_fixtures import Clock


def new_user(services: Services, name: str) -> int:
    with services.sessions.begin() as session:
        row = UserRow(name=name, detachment="日喀则支队")
        session.add(row)
        session.flush()
        return row.id


def stored(services: Services, user: int) -> list[tuple[Any, ...]]:
    """A user's answers and cards, as the history writer leaves them."""
    with services.sessions() as session:
        attempts = [
            (row.position, row.correct, row.user_id)
            for row in session.scalars(select(AttemptRow).where(AttemptRow.user_id == user))
        ]
        cards = [
            (row.box, row.lapses, row.mastered)
            for row in session.scalars(select(ReviewCardRow).where(ReviewCardRow.user_id == user))
        ]
    return [*attempts, *cards]


def test_a_pk_match_records_its_answers_like_practice_does(
    services: Services, clock: Clock
) -> None:
    player = new_user(services, "次仁")
    seats = services.pk.start_match(Waiter(player, "sid", clock.now_ms), None)
    code = seats[player]["contest"]
    live = services.contests.live(code)
    assert live is not None
    for _ in range(2000):  # play the match out: the host, the bot, and our wrong answers
        clock.advance(seconds=1)
        play = live.state.round.play if live.state.round else None
        if (
            play is not None
            and play.step == "answering"
            and "red" in play.answering
            and "red" not in play.tried
            and all(s.team != "red" for s in play.submissions)
        ):
            # The match's own copy: its options are in the order the players were shown.
            response = wrong_answer(live.state.questions[play.question_id])
            services.contests.execute(
                code,
                lambda at, r=response: SubmitAnswer(
                    at=at, team="red", response=tuple(r) if isinstance(r, list) else r
                ),
            )
        services.pk.step()
        if code not in services.pk.running:
            break
    assert live.state.phase == "finished"
    with services.sessions() as session:
        sitting = session.scalars(select(SittingRow).where(SittingRow.user_id == player)).one()
        attempts = session.scalars(select(AttemptRow).where(AttemptRow.user_id == player)).all()
        cards = session.scalars(select(ReviewCardRow).where(ReviewCardRow.user_id == player)).all()
    assert sitting.mode == "pk"
    assert len(attempts) == sitting.answered > 0
    assert [a.position for a in attempts] == list(range(len(attempts)))
    assert not any(a.correct for a in attempts)
    # Each wrong answer filed a card in box 1, exactly as a wrong practice answer does.
    assert sorted(c.question_version_id for c in cards) == sorted(
        a.question_version_id for a in attempts
    )
    assert {c.box for c in cards} == {1}
    before = stored(services, player)
    record_match(services.practice, code, live.state)  # a second recording changes nothing
    assert stored(services, player) == before
