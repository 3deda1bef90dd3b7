"""Commands: what the host, the teams and the server's clock ask the contest to do.

Every command is frozen and carries `at`, the server time in milliseconds when it was received.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from quiz.engine.questions import Question, Response
from quiz.engine.rules import RuleSet
from quiz.engine.selection import RoundPlan


@dataclass(frozen=True, slots=True)
class SetUpContest:
    """Create the contest with its rules, its questions and the plan of each round."""

    at: int
    contest_id: str
    rules: RuleSet
    questions: tuple[Question, ...]
    plan: tuple[RoundPlan, ...]
    seed: int = 0


@dataclass(frozen=True, slots=True)
class StartRound:
    """Start the next round of the template."""

    at: int


@dataclass(frozen=True, slots=True)
class EndRound:
    """End the running round between questions."""

    at: int


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """Show the next question; `team` overrides whose turn it is in turn-based rounds."""

    at: int
    team: str | None = None


@dataclass(frozen=True, slots=True)
class PromptAnswer:
    """The host's 请回答: the answer window opens (answers before it are invalid)."""

    at: int


@dataclass(frozen=True, slots=True)
class ArmBuzzers:
    """开始/请抢答: buzzers arm after `countdown_ms` (a 3-2-1 countdown is 3000)."""

    at: int
    countdown_ms: int = 0


@dataclass(frozen=True, slots=True)
class Buzz:
    """A team's buzz; in compensated mode the client's shown/pressed times (its own clock)."""

    at: int
    team: str
    player: str | None = None
    shown_ms: int | None = None
    pressed_ms: int | None = None


@dataclass(frozen=True, slots=True)
class SubmitAnswer:
    """A typed or chosen answer from a team's device (options by index)."""

    at: int
    team: str
    response: Response
    player: str | None = None


@dataclass(frozen=True, slots=True)
class Judge:
    """The host's judgement of a spoken answer (or an override of a device answer)."""

    at: int
    team: str
    correct: bool


@dataclass(frozen=True, slots=True)
class PassQuestion:
    """弃权 in risk rounds, 过 in rapid fire, the defender's pass token in the arena."""

    at: int
    team: str


@dataclass(frozen=True, slots=True)
class ChooseTier:
    """A risk-round team picks the value of its question."""

    at: int
    team: str
    points: int


@dataclass(frozen=True, slots=True)
class StartWindow:
    """Open a rapid-fire window for one team, or for every team when team is None."""

    at: int
    team: str | None = None


@dataclass(frozen=True, slots=True)
class UndoJudgement:
    """Undo the last judgement of the current question with compensating score events."""

    at: int


@dataclass(frozen=True, slots=True)
class AdjustScore:
    """The host's manual change of a team's score, with a note saying why."""

    at: int
    team: str
    delta: int
    note: str


@dataclass(frozen=True, slots=True)
class SkipQuestion:
    """Drop the question in play without scoring it and move on."""

    at: int


@dataclass(frozen=True, slots=True)
class ReplaceQuestion:
    """Replace a disputed question by a reserve (or the given id) and replay it from the start."""

    at: int
    question_id: str | None = None


@dataclass(frozen=True, slots=True)
class SyncClock:
    """Ping samples of a team's client: (client send, server time, client receive) in ms."""

    at: int
    team: str
    samples: tuple[tuple[int, int, int], ...]


@dataclass(frozen=True, slots=True)
class Pause:
    """Stop every timer until Resume."""

    at: int


@dataclass(frozen=True, slots=True)
class Resume:
    """Restart the timers, each shifted by the length of the pause."""

    at: int


@dataclass(frozen=True, slots=True)
class FreezeStandings:
    """Hide further score changes from the screen, teams and audience until the podium."""

    at: int


@dataclass(frozen=True, slots=True)
class EndContest:
    """Finish the contest between rounds."""

    at: int


@dataclass(frozen=True, slots=True)
class RevealPodium:
    """Show the final ranking (and lift a freeze)."""

    at: int


@dataclass(frozen=True, slots=True)
class ReopenContest:
    """Return a finished contest to between rounds for a correction, saying why in `note`."""

    at: int
    note: str


@dataclass(frozen=True, slots=True)
class Tick:
    """Time passes: fire every deadline up to `at`."""

    at: int


Command: TypeAlias = (
    SetUpContest
    | StartRound
    | EndRound
    | OpenQuestion
    | PromptAnswer
    | ArmBuzzers
    | Buzz
    | SubmitAnswer
    | Judge
    | PassQuestion
    | ChooseTier
    | StartWindow
    | UndoJudgement
    | AdjustScore
    | SkipQuestion
    | ReplaceQuestion
    | SyncClock
    | Pause
    | Resume
    | FreezeStandings
    | EndContest
    | RevealPodium
    | ReopenContest
    | Tick
)
COMMAND_TYPES: tuple[type[Command], ...] = (
    SetUpContest,
    StartRound,
    EndRound,
    OpenQuestion,
    PromptAnswer,
    ArmBuzzers,
    Buzz,
    SubmitAnswer,
    Judge,
    PassQuestion,
    ChooseTier,
    StartWindow,
    UndoJudgement,
    AdjustScore,
    SkipQuestion,
    ReplaceQuestion,
    SyncClock,
    Pause,
    Resume,
    FreezeStandings,
    EndContest,
    RevealPodium,
    ReopenContest,
    Tick,
)
