"""1-v-1 PK without a host: the referee's next command, and the bot's answer to a question.

Both are functions of the contest state and the time, so a server can call them on every tick
(and again after a restart) and a replay of the log gives the same match: the bot's choices are
drawn from a generator seeded by the contest's seed and the question.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quiz.engine.commands import (
    Command,
    EndContest,
    OpenQuestion,
    RevealPodium,
    StartRound,
    SubmitAnswer,
)
from quiz.engine.qtypes import kind_of
from quiz.engine.questions import Question, Response
from quiz.engine.state import ContestState

# The bot's chance of a right answer by difficulty: a good, not a perfect, opponent.
BOT_ACCURACY: dict[int, float] = {1: 0.9, 2: 0.8, 3: 0.7, 4: 0.6, 5: 0.5}
BOT_NAME = "机器人 Bot"


def referee_step(state: ContestState, now: int, quiet_since: int, pause_ms: int) -> Command | None:
    """The host's next move: start, open the next question or end the match once the last change
    is ``pause_ms`` old (time to read a result); reveal the podium at once; else nothing."""
    if state.paused_at is not None or state.rules is None:
        return None
    if state.phase == "finished":
        return RevealPodium(at=now) if state.podium is None else None
    if now < quiet_since + pause_ms:
        return None
    match state.phase:
        case "lobby":
            return StartRound(at=now)
        case "between_rounds":
            if state.round_index + 1 < len(state.rules.rounds):
                return StartRound(at=now)
            return EndContest(at=now)
        case "round" if state.round is not None:
            play = state.round.play
            if (play is None or play.step == "closed") and state.round.queue:
                return OpenQuestion(at=now)
    return None


@dataclass(frozen=True, slots=True)
class BotMove:
    """When (ms after the answer window opens) and what the bot answers."""

    delay_ms: int
    response: Response
    correct: bool


def bot_move(question: Question, seed: int, answer_time_ms: int, pace: float = 1.0) -> BotMove:
    """A realistic answer: right with the difficulty's accuracy, after a reading time that grows
    with the question's length and difficulty (``pace`` scales it; tests use 0.1)."""
    rng = random.Random(f"{seed}:{question.id}")
    correct = rng.random() < BOT_ACCURACY.get(question.difficulty, 0.7)
    reading_ms = 1_500 + 40 * len(question.text) + 600 * question.difficulty
    delay = int(reading_ms * rng.lognormvariate(0.0, 0.25) * pace)
    delay = max(200, min(delay, answer_time_ms - 500))
    kind = kind_of(question)
    response = kind.right_response(question) if correct else kind.wrong_response(question, rng)
    return BotMove(delay, response, correct)


def bot_step(state: ContestState, team: str, now: int, pace: float = 1.0) -> Command | None:
    """The bot's answer once its delay has passed in an open question it has not answered."""
    if state.round is None or state.round.play is None or state.paused_at is not None:
        return None
    play = state.round.play
    if play.step != "answering" or play.answer_opened_at is None or team not in play.answering:
        return None
    if team in play.tried or any(s.team == team for s in play.submissions):
        return None
    move = bot_move(state.questions[play.question_id], state.seed, play.answer_time_ms, pace)
    if now < play.answer_opened_at + move.delay_ms:
        return None
    return SubmitAnswer(at=now, team=team, response=move.response)
