"""PK without a host: the referee's moves and the bot's answers, played through the real core."""

from __future__ import annotations

from dataclasses import replace

from quiz.engine.commands import Command, SubmitAnswer, Tick
from quiz.engine.machine import apply, next_deadline
from quiz.engine.questions import is_correct
from quiz.engine.state import ContestState
from quiz.selftest.pk import BOT_ACCURACY, bot_move, bot_step, referee_step
from tests.engine.factories import bank, contest, current_question, make_question, right_response

PAUSE = 3_000
PK_ROUND = {"kind": "PK", "points": 100, "answer_seconds": 15, "questions": {"count": 5}}


def pk_contest(seed: int = 7) -> ContestState:
    return contest(PK_ROUND, teams=("red", "blue"), final_ranking="pk", base_score=0, seed=seed)


def play_out(state: ContestState, bot: str = "blue") -> tuple[ContestState, list[str]]:
    """Run the referee and the bot every 100 ms; red answers right 1 s into each question."""
    moves: list[str] = []
    now, quiet_since = 0, 0
    while state.podium is None and now < 600_000:
        now += 100
        command: Command | None = bot_step(state, bot, now)
        if command is None and state.round is not None and state.round.play is not None:
            play = state.round.play
            opened = play.answer_opened_at
            red_waiting = not any(s.team == "red" for s in play.submissions)
            if play.step == "answering" and opened and now >= opened + 1_000 and red_waiting:
                command = SubmitAnswer(
                    at=now, team="red", response=right_response(current_question(state))
                )
        command = command or referee_step(state, now, quiet_since, PAUSE)
        due = next_deadline(state)
        if command is None and due is not None and due <= now:
            command = Tick(at=now)
        if command is not None:
            state, _ = apply(state, command)
            quiet_since = now
            moves.append(type(command).__name__)
    return state, moves


def step(state: ContestState, now: int, quiet_since: int) -> ContestState:
    """Apply the referee's move, which must exist."""
    command = referee_step(state, now, quiet_since, PAUSE)
    assert command is not None
    return apply(state, command)[0]


def test_the_referee_waits_then_starts_opens_five_questions_and_ends() -> None:
    state = pk_contest()
    assert referee_step(state, PAUSE - 1, 0, PAUSE) is None
    assert type(referee_step(state, PAUSE, 0, PAUSE)).__name__ == "StartRound"
    finished, moves = play_out(state)
    assert finished.phase == "finished"
    assert finished.podium is not None
    assert moves.count("OpenQuestion") == 5
    assert moves.count("StartRound") == 1
    assert moves[-2:] == ["EndContest", "RevealPodium"]
    assert referee_step(finished, 10**9, 0, PAUSE) is None


def test_the_referee_does_nothing_while_paused_or_a_question_is_open() -> None:
    state, _ = play_out(pk_contest())
    assert referee_step(replace(state, paused_at=1), 10**9, 0, PAUSE) is None
    started = step(pk_contest(), PAUSE, 0)
    opened = step(started, 2 * PAUSE, PAUSE)
    assert opened.round is not None
    assert opened.round.play is not None
    assert referee_step(opened, 10**9, 0, PAUSE) is None


def test_a_match_against_the_bot_replays_identically() -> None:
    first, first_moves = play_out(pk_contest(seed=3))
    second, second_moves = play_out(pk_contest(seed=3))
    assert first_moves == second_moves
    assert first.totals == second.totals
    assert first.judgements == second.judgements


def test_the_bot_is_as_accurate_as_the_difficulty_says_and_answers_in_time() -> None:
    for difficulty, accuracy in BOT_ACCURACY.items():
        questions = [make_question(n, "single", difficulty) for n in range(400)]
        moves = [bot_move(q, seed=11, answer_time_ms=15_000) for q in questions]
        right_share = sum(move.correct for move in moves) / len(moves)
        assert abs(right_share - accuracy) < 0.08, (difficulty, right_share)
        assert all(
            is_correct(q, m.response) == m.correct for q, m in zip(questions, moves, strict=True)
        )
        assert all(200 <= move.delay_ms <= 14_500 for move in moves)


def test_harder_and_longer_questions_take_the_bot_longer() -> None:
    easy = [bot_move(make_question(n, "truefalse", 1), 5, 60_000).delay_ms for n in range(200)]
    hard = [bot_move(make_question(n, "truefalse", 5), 5, 60_000).delay_ms for n in range(200)]
    assert sorted(easy)[100] < sorted(hard)[100]
    assert 2_000 < sorted(easy)[100] < 5_000


def test_every_wrong_bot_answer_has_the_right_shape_and_is_wrong() -> None:
    for question in bank(100):
        move = bot_move(question, seed=1, answer_time_ms=15_000)
        assert is_correct(question, move.response) == move.correct
