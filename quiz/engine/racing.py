"""抢答 races: arming, buzzes, fouls, the decision with exactly one winner, and rebounds (补答).

A buzz before the buzzers arm follows the round's `early_press` rule: by default (`lockout`) it
does not count and that team's buzzer is dead for `early_lockout_ms`; `ignore` only drops it;
`foul` makes a team's first press of the question a foul: the round's penalty for the team's nth
foul, a lockout from this question, and from `foul_limit` fouls on a bar from the round. A press
that would not count anyway is ignored with a reason code (docs/protocol.md). In `arrival` mode the
first buzz wins at once; in `compensated` mode the race collects buzzes for a window after the
first one and is decided when a command's time passes the window's end. Later buzzes are kept
with their margin behind the winner so the screen can show who lost by how much.
"""

from __future__ import annotations

from dataclasses import replace

from quiz.engine import rounds
from quiz.engine.buzzer import corrected_reaction, pressed_early, rank_buzzes, suspect_claim
from quiz.engine.commands import ArmBuzzers, Buzz
from quiz.engine.events import (
    AnswerWindowOpened,
    BuzzAccepted,
    BuzzersArmed,
    BuzzIgnored,
    BuzzRaceDecided,
    BuzzTrailed,
    BuzzWindowClosed,
    Event,
    FoulCommitted,
    QuestionRebounded,
    TeamBarred,
)
from quiz.engine.play import (
    Result,
    bucket,
    check_team,
    close_play,
    current_play,
    refuse,
    with_play,
)
from quiz.engine.scoring import add_score
from quiz.engine.state import BuzzRecord, ContestState, Play, Race, RankedBuzz, evolve


def arm(state: ContestState, command: ArmBuzzers) -> Result:
    """开始/请抢答: the buzzers arm after the countdown; the buzz window closes later."""
    play = current_play(state, "ArmBuzzers")
    if play.style != "race":
        raise refuse(state, "ArmBuzzers", "this question has no buzzer race", "no_buzzer_race")
    if play.step != "reading":
        raise refuse(state, "ArmBuzzers", "the buzzers are already armed", "already_armed")
    armed_at = command.at + max(command.countdown_ms, 0)
    deadline = armed_at + state.round_rules().buzz_window_ms
    eligible = tuple(t for t in _eligible(state, play) if t not in play.tried)
    play = replace(play, step="armed", race=Race(armed_at=armed_at), deadline=deadline)
    event = BuzzersArmed(
        at=command.at,
        question_id=play.question_id,
        armed_at=armed_at,
        deadline=deadline,
        teams=eligible,
    )
    return with_play(state, play), [event]


def buzz(state: ContestState, command: Buzz) -> Result:
    """Judge a buzz: ignored, a foul, a racer, the winner, or a trailing buzz with its margin."""
    if state.phase != "round" or state.round is None:
        raise refuse(state, "Buzz", "no round is running", "no_round")
    check_team(state, "Buzz", command.team)
    team, at = command.team, command.at
    play = state.round.play
    if state.paused_at is not None:
        return state, [BuzzIgnored(at=at, team=team, reason="paused")]
    if play is None or play.style != "race" or play.step == "closed":
        return state, [BuzzIgnored(at=at, team=team, reason="no_buzzer_question")]
    reason = _ignore_reason(state, play, team, at)
    if reason is not None:
        return state, [BuzzIgnored(at=at, team=team, reason=reason)]
    if play.step == "reading":
        return _early(state, play, team, at)
    race = play.race
    assert race is not None
    rules = state.round_rules()
    clock = state.clocks.get(team)
    if play.step in ("armed", "collecting") and pressed_early(
        at,
        race.armed_at,
        rules.fairness,
        clock,
        command.shown_ms,
        command.pressed_ms,
        rules.trust_margin_ms,
    ):
        return _early(state, play, team, at)
    reaction = None
    suspect = None
    if rules.fairness == "compensated":
        suspect = suspect_claim(
            at,
            race.armed_at,
            clock,
            command.shown_ms,
            command.pressed_ms,
            rules.trust_margin_ms,
            rules.min_reaction_ms,
        )
        # An impossible claim earns no latency credit: it ranks by its arrival since arming.
        reaction = (
            at - race.armed_at
            if suspect is not None
            else corrected_reaction(
                at,
                race.armed_at,
                clock,
                command.shown_ms,
                command.pressed_ms,
                rules.trust_margin_ms,
            )
        )
    claim = None
    if command.pressed_ms is not None and command.shown_ms is not None:
        claim = command.pressed_ms - command.shown_ms
    record = BuzzRecord(
        team=team,
        player=command.player,
        at=at,
        order=len(race.buzzes),
        shown_ms=command.shown_ms,
        pressed_ms=command.pressed_ms,
        reaction_ms=reaction,
        claim_ms=claim,
        suspect=suspect,
    )
    if suspect is not None and rules.suspect_claim == "foul":
        fouled = evolve(race, fouled=(*race.fouled, record))
        return _foul(state, evolve(play, race=fouled), team, at)
    if play.step in ("answering", "judging"):
        return _trail(state, play, race, record)
    race = evolve(race, buzzes=(*race.buzzes, record), buzzed=(*race.buzzed, team))
    accepted = BuzzAccepted(at=at, team=team, player=command.player, reaction_ms=reaction)
    if command.player is not None:
        counts = state.member_buzzes
        counts = {**counts, command.player: counts.get(command.player, 0) + 1}
        state = evolve(state, member_buzzes=counts)
    if rules.fairness == "arrival":
        state, decided = decide(with_play(state, evolve(play, race=race)), at)
        return state, [accepted, *decided]
    if play.step == "armed":
        play = evolve(play, step="collecting", deadline=at + rules.collection_window_ms)
    return with_play(state, evolve(play, race=race)), [accepted]


def decide(state: ContestState, at: int) -> Result:
    """Rank the race; the first is the one winner and its answer window opens now."""
    assert state.round is not None
    assert state.round.play is not None
    play = state.round.play
    assert play.race is not None
    ranking = rank_buzzes(play.race.buzzes, state.round_rules().fairness)
    winner = ranking[0].team
    winner_at = next(b.at for b in play.race.buzzes if b.team == winner)
    deadline = at + play.answer_time_ms
    race = replace(play.race, winner=winner, winner_at=winner_at, decided_at=at, ranking=ranking)
    play = replace(
        play,
        step="answering",
        race=race,
        answering=(winner,),
        deadline=deadline,
        answer_opened_at=at,
    )
    return with_play(state, play), [
        BuzzRaceDecided(at=at, question_id=play.question_id, winner=winner, ranking=ranking),
        AnswerWindowOpened(at=at, question_id=play.question_id, teams=(winner,), deadline=deadline),
    ]


def window_closed(state: ContestState, at: int) -> Result:
    """Nobody buzzed in time: the question (or its rebound) closes unanswered."""
    assert state.round is not None
    assert state.round.play is not None
    play = state.round.play
    outcome = "no rebound taker" if play.rebounds else "no buzz"
    closed = BuzzWindowClosed(at=at, question_id=play.question_id)
    state, events = close_play(state, at, outcome)
    state, after = rounds.after_close(state, at)
    return state, [closed, *events, *after]


def rebound_or_close(state: ContestState, at: int) -> Result:
    """补答 after a wrong answer: re-open to the teams that have not tried, or close."""
    assert state.round is not None
    assert state.round.play is not None
    play = state.round.play
    policy = state.round_rules().rebound
    remaining = tuple(t for t in _eligible(state, play) if t not in play.tried)
    if policy == "none" or (policy == "once" and play.rebounds >= 1) or not remaining:
        state, events = close_play(state, at, "wrong")
        state, after = rounds.after_close(state, at)
        return state, events + after
    # Whoever pressed in this race may still be tapping when it re-opens: never a foul.
    racers = play.race.buzzed if play.race is not None else ()
    pressed = (*play.pressed, *(t for t in racers if t not in play.pressed))
    play = replace(
        play,
        step="reading",
        race=None,
        answering=(),
        deadline=None,
        rebounds=play.rebounds + 1,
        pressed=pressed,
    )
    return with_play(state, play), [
        QuestionRebounded(at=at, question_id=play.question_id, teams=remaining)
    ]


def _eligible(state: ContestState, play: Play) -> tuple[str, ...]:
    assert state.round is not None
    barred = state.round.barred
    return tuple(t for t in play.teams if t not in barred and t not in play.locked)


def _ignore_reason(state: ContestState, play: Play, team: str, at: int) -> str | None:
    """Why a buzz does not count at all, as a reason code (a team out of the race or still
    locked after an early press presses harmlessly)."""
    assert state.round is not None
    if team in state.round.barred:
        return "barred"
    if team not in play.teams:
        return "not_in_race"
    if team in play.locked:
        return "locked_out"
    if team in play.tried:
        return "already_answered"
    if play.race is not None and team in play.race.buzzed:
        return "already_buzzed"
    if at < dict(play.early_until).get(team, at):
        return "early_lockout"
    return None


def _early(state: ContestState, play: Play, team: str, at: int) -> Result:
    """A press before the buzzers arm, by the round's `early_press` rule.

    `foul` fouls a team's first press of the question only: a team that pressed in an earlier
    race of it (still tapping after a rebound) gets the lockout instead. `lockout` kills the
    team's buzzer for `early_lockout_ms` from this press; `ignore` only says it did not count.
    """
    rules = state.round_rules()
    if rules.early_press == "foul" and team not in play.pressed:
        return _foul(state, play, team, at)
    ignored = BuzzIgnored(at=at, team=team, reason="buzzers_not_armed")
    if rules.early_press == "ignore":
        return state, [ignored]
    until = at + rules.early_lockout_ms
    early_until = (*((t, u) for t, u in play.early_until if t != team), (team, until))
    return with_play(state, replace(play, early_until=early_until)), [ignored]


def _foul(state: ContestState, play: Play, team: str, at: int) -> Result:
    """违规抢答: the nth foul's penalty, a lockout from this question, a bar at the limit."""
    assert state.round is not None
    rules = state.round_rules()
    count = state.round.fouls.get(team, 0) + 1
    penalty = rules.foul_penalty(count)
    fouls = {**state.round.fouls, team: count}
    barred = state.round.barred
    events: list[Event] = [
        FoulCommitted(at=at, team=team, question_id=play.question_id, count=count, penalty=penalty)
    ]
    if rules.foul_limit and count >= rules.foul_limit and team not in barred:
        barred = (*barred, team)
        events.append(TeamBarred(at=at, team=team, round_index=state.round.index))
    play = replace(play, locked=(*play.locked, team))
    state = replace(state, round=replace(state.round, fouls=fouls, barred=barred, play=play))
    state, changed = add_score(
        state, team, -penalty, "foul", at, question_id=play.question_id, bucket=bucket(state)
    )
    return state, [events[0], changed, *events[1:]]


def _trail(state: ContestState, play: Play, race: Race, record: BuzzRecord) -> Result:
    """A buzz after the decision: kept for the screen with its margin behind the winner.

    The race is copied once with the buzz and its ranking entry: this is the path a crowd of
    late buzzers takes, so it is the engine's hottest.
    """
    winner = race.ranking[0]
    if record.reaction_ms is not None and winner.reaction_ms is not None:
        margin = record.reaction_ms - winner.reaction_ms
    else:
        margin = record.at - (race.winner_at if race.winner_at is not None else record.at)
    ranked = RankedBuzz(team=record.team, margin_ms=margin, reaction_ms=record.reaction_ms)
    race = evolve(
        race,
        buzzes=(*race.buzzes, record),
        buzzed=(*race.buzzed, record.team),
        ranking=(*race.ranking, ranked),
    )
    state = with_play(state, evolve(play, race=race))
    return state, [BuzzTrailed(at=record.at, team=record.team, margin_ms=margin)]
