"""Events: what happened, in the past tense, for the screen, the teams, the host and the log.

Events carry ids, never a question's text or answer, so broadcasting one cannot leak a key;
views.events_for removes other teams' responses before a question is revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from quiz.engine.questions import Response
from quiz.engine.state import Bucket, JudgedBy, RankedBuzz


@dataclass(frozen=True, slots=True)
class ContestSetUp:
    at: int
    contest_id: str
    teams: tuple[str, ...]
    rounds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoundStarted:
    at: int
    round_index: int
    round_kind: str
    name: str
    teams: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoundEnded:
    at: int
    round_index: int
    reason: str


@dataclass(frozen=True, slots=True)
class QuestionOpened:
    at: int
    question_id: str
    teams: tuple[str, ...]
    value: int


@dataclass(frozen=True, slots=True)
class AnswerWindowOpened:
    at: int
    question_id: str
    teams: tuple[str, ...]
    deadline: int


@dataclass(frozen=True, slots=True)
class BuzzersArmed:
    at: int
    question_id: str
    armed_at: int
    deadline: int
    teams: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BuzzAccepted:
    at: int
    team: str
    player: str | None
    reaction_ms: int | None


@dataclass(frozen=True, slots=True)
class BuzzRaceDecided:
    at: int
    question_id: str
    winner: str
    ranking: tuple[RankedBuzz, ...]


@dataclass(frozen=True, slots=True)
class BuzzTrailed:
    at: int
    team: str
    margin_ms: int


@dataclass(frozen=True, slots=True)
class BuzzIgnored:
    at: int
    team: str
    reason: str


@dataclass(frozen=True, slots=True)
class FoulCommitted:
    at: int
    team: str
    question_id: str
    count: int
    penalty: int


@dataclass(frozen=True, slots=True)
class TeamBarred:
    at: int
    team: str
    round_index: int


@dataclass(frozen=True, slots=True)
class BuzzWindowClosed:
    at: int
    question_id: str


@dataclass(frozen=True, slots=True)
class AnswerSubmitted:
    at: int
    team: str
    player: str | None
    question_id: str
    response: Response


@dataclass(frozen=True, slots=True)
class AnswerJudged:
    at: int
    judgement_id: int
    team: str
    question_id: str
    correct: bool
    by: JudgedBy
    delta: int
    response: Response | None


@dataclass(frozen=True, slots=True)
class JudgementUndone:
    at: int
    judgement_id: int
    team: str
    question_id: str


@dataclass(frozen=True, slots=True)
class ScoreChanged:
    at: int
    team: str
    delta: int
    total: int
    reason: str
    bucket: Bucket
    question_id: str | None
    note: str


@dataclass(frozen=True, slots=True)
class QuestionRebounded:
    at: int
    question_id: str
    teams: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuestionClosed:
    at: int
    question_id: str
    outcome: str


@dataclass(frozen=True, slots=True)
class AnswerRevealed:
    at: int
    question_id: str


@dataclass(frozen=True, slots=True)
class QuestionSkipped:
    at: int
    question_id: str


@dataclass(frozen=True, slots=True)
class QuestionReplaced:
    at: int
    old_question_id: str
    new_question_id: str


@dataclass(frozen=True, slots=True)
class TierChosen:
    at: int
    team: str
    points: int


@dataclass(frozen=True, slots=True)
class TurnPassed:
    at: int
    team: str
    question_id: str | None


@dataclass(frozen=True, slots=True)
class ArenaPassUsed:
    at: int
    team: str
    question_id: str
    to_team: str


@dataclass(frozen=True, slots=True)
class RapidWindowOpened:
    at: int
    teams: tuple[str, ...]
    ends_at: int


@dataclass(frozen=True, slots=True)
class RapidQuestionServed:
    at: int
    team: str
    question_id: str


@dataclass(frozen=True, slots=True)
class RapidWindowClosed:
    at: int
    team: str
    correct: int
    served: int


@dataclass(frozen=True, slots=True)
class DuelStarted:
    at: int
    defender: str
    challenger: str


@dataclass(frozen=True, slots=True)
class DuelEnded:
    at: int
    winner: str
    loser: str
    points: tuple[int, int]


@dataclass(frozen=True, slots=True)
class TeamEliminated:
    at: int
    team: str
    place: int


@dataclass(frozen=True, slots=True)
class ArenaWon:
    at: int
    team: str


@dataclass(frozen=True, slots=True)
class PlacementDecided:
    at: int
    round_index: int
    placements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClockSynced:
    at: int
    team: str
    offset_ms: float
    bound_ms: float
    rtt_ms: float


@dataclass(frozen=True, slots=True)
class ContestPaused:
    at: int


@dataclass(frozen=True, slots=True)
class ContestResumed:
    at: int
    paused_ms: int


@dataclass(frozen=True, slots=True)
class StandingsFrozen:
    at: int


@dataclass(frozen=True, slots=True)
class ContestFinished:
    at: int
    ranking: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PodiumRevealed:
    at: int
    places: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ContestReopened:
    at: int
    note: str


Event: TypeAlias = (
    ContestSetUp
    | RoundStarted
    | RoundEnded
    | QuestionOpened
    | AnswerWindowOpened
    | BuzzersArmed
    | BuzzAccepted
    | BuzzRaceDecided
    | BuzzTrailed
    | BuzzIgnored
    | FoulCommitted
    | TeamBarred
    | BuzzWindowClosed
    | AnswerSubmitted
    | AnswerJudged
    | JudgementUndone
    | ScoreChanged
    | QuestionRebounded
    | QuestionClosed
    | AnswerRevealed
    | QuestionSkipped
    | QuestionReplaced
    | TierChosen
    | TurnPassed
    | ArenaPassUsed
    | RapidWindowOpened
    | RapidQuestionServed
    | RapidWindowClosed
    | DuelStarted
    | DuelEnded
    | TeamEliminated
    | ArenaWon
    | PlacementDecided
    | ClockSynced
    | ContestPaused
    | ContestResumed
    | StandingsFrozen
    | ContestFinished
    | PodiumRevealed
    | ContestReopened
)
EVENT_TYPES: tuple[type[Event], ...] = (
    ContestSetUp,
    RoundStarted,
    RoundEnded,
    QuestionOpened,
    AnswerWindowOpened,
    BuzzersArmed,
    BuzzAccepted,
    BuzzRaceDecided,
    BuzzTrailed,
    BuzzIgnored,
    FoulCommitted,
    TeamBarred,
    BuzzWindowClosed,
    AnswerSubmitted,
    AnswerJudged,
    JudgementUndone,
    ScoreChanged,
    QuestionRebounded,
    QuestionClosed,
    AnswerRevealed,
    QuestionSkipped,
    QuestionReplaced,
    TierChosen,
    TurnPassed,
    ArenaPassUsed,
    RapidWindowOpened,
    RapidQuestionServed,
    RapidWindowClosed,
    DuelStarted,
    DuelEnded,
    TeamEliminated,
    ArenaWon,
    PlacementDecided,
    ClockSynced,
    ContestPaused,
    ContestResumed,
    StandingsFrozen,
    ContestFinished,
    PodiumRevealed,
    ContestReopened,
)
