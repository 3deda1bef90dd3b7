"""The wrong-answer book's spaced repetition: Leitner boxes 1 to 3, then the card is mastered.

A wrong answer anywhere puts the question in box 1, due at once. A right review moves the card
up a box and away for longer; a right review in the last box masters it (it leaves the book).
A wrong review sends it back to box 1, due at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

# Days until a card is due again after a right review in each box (the last box masters it).
WAIT_DAYS: dict[int, int] = {1: 1, 2: 3}
LAST_BOX = 3


@dataclass(frozen=True, slots=True)
class Card:
    """One question in a player's book: its box, when it is next due, and its record."""

    box: int
    due: dt.date
    reviews: int = 0
    lapses: int = 0
    mastered: bool = False


def new_card(today: dt.date) -> Card:
    """A question answered wrong for the first time: box 1, due today."""
    return Card(box=1, due=today)


def after_wrong_answer(card: Card | None, today: dt.date) -> Card:
    """A wrong answer outside review: the card (new or mastered) goes back to box 1, due today."""
    if card is None:
        return new_card(today)
    return replace(card, box=1, due=today, lapses=card.lapses + 1, mastered=False)


def after_review(card: Card, correct: bool, today: dt.date) -> Card:
    """A review moves a right card up (or out, from the last box), a wrong one back to box 1."""
    reviewed = replace(card, reviews=card.reviews + 1)
    if not correct:
        return replace(reviewed, box=1, due=today, lapses=card.lapses + 1)
    if card.box >= LAST_BOX:
        return replace(reviewed, mastered=True)
    return replace(reviewed, box=card.box + 1, due=today + dt.timedelta(days=WAIT_DAYS[card.box]))


def is_due(card: Card, today: dt.date) -> bool:
    """A card is due for review on or after its due day, until it is mastered."""
    return not card.mastered and card.due <= today
