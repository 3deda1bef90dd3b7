"""The wrong-answer book's Leitner boxes."""

from __future__ import annotations

import datetime as dt

from quiz.selftest.leitner import after_review, after_wrong_answer, is_due, new_card

DAY = dt.date(2026, 11, 29)


def test_a_wrong_answer_is_due_at_once_in_box_one() -> None:
    card = after_wrong_answer(None, DAY)
    assert card == new_card(DAY)
    assert (card.box, card.due, card.lapses) == (1, DAY, 0)
    assert is_due(card, DAY)


def test_three_right_reviews_master_a_card_over_four_days() -> None:
    card = new_card(DAY)
    card = after_review(card, True, DAY)
    assert (card.box, card.due) == (2, DAY + dt.timedelta(days=1))
    assert not is_due(card, DAY)
    card = after_review(card, True, card.due)
    assert (card.box, card.due) == (3, DAY + dt.timedelta(days=4))
    card = after_review(card, True, card.due)
    assert card.mastered
    assert card.reviews == 3
    assert not is_due(card, DAY + dt.timedelta(days=100))


def test_a_wrong_review_goes_back_to_box_one_due_today() -> None:
    card = after_review(after_review(new_card(DAY), True, DAY), True, DAY)
    later = DAY + dt.timedelta(days=5)
    card = after_review(card, False, later)
    assert (card.box, card.due, card.lapses, card.reviews) == (1, later, 1, 3)
    assert is_due(card, later)


def test_a_new_wrong_answer_brings_a_mastered_card_back() -> None:
    card = new_card(DAY)
    for _ in range(3):
        card = after_review(card, True, card.due)
    assert card.mastered
    again = after_wrong_answer(card, DAY + dt.timedelta(days=30))
    assert not again.mastered
    assert (again.box, again.lapses) == (1, 1)
    assert is_due(again, DAY + dt.timedelta(days=30))
