"""The state of a contest: plain frozen data, so a snapshot is a value and replay compares equal.

Mappings in the state are never mutated after construction; every change builds a new one.
Past questions are not kept here (the command log is the evidence); only the ledger of score
entries and the judgements grow with the contest (and the buzz count per member, one entry each).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, TypeVar

from quiz.engine.questions import Question, Response
from quiz.engine.rules import RoundKind, RoundRules, RuleSet
from quiz.engine.selection import RoundPlan

_T = TypeVar("_T")
_EVOLVERS: dict[type[Any], Callable[..., Any]] = {}


def evolve(obj: _T, **changes: Any) -> _T:
    """dataclasses.replace without its per-call introspection, for the buzz hot path.

    The state's dataclasses have no __post_init__ and no init=False fields, so copying every
    slot and overriding the changed ones builds exactly what replace would. The copier of each
    class is generated once, as attrs does, because a loop over the fields costs twice as much.
    """
    cls = type(obj)
    copier = _EVOLVERS.get(cls)
    if copier is None:
        copier = _EVOLVERS[cls] = _make_copier(cls)
    result: _T = copier(obj, changes)
    return result


def _make_copier(cls: type[Any]) -> Callable[..., Any]:
    names = [f.name for f in dataclasses.fields(cls)]
    # Calling each slot's own descriptor skips the attribute lookup object.__setattr__ does
    # (about a third faster); the descriptors sit in the class dict of a slots dataclass.
    setters = {name: cls.__dict__[name].__set__ for name in names}
    lines = ["def copier(obj, changes):", "    new = new_object(cls)"]
    lines += [f"    set_{index}(new, obj.{name})" for index, name in enumerate(names)]
    lines += ["    for name, value in changes.items():", "        setters[name](new, value)"]
    lines.append("    return new")
    namespace: dict[str, Any] = {
        "new_object": object.__new__,
        "cls": cls,
        "setters": setters,
        **{f"set_{index}": setters[name] for index, name in enumerate(names)},
    }
    exec("\n".join(lines), namespace)
    copier: Callable[..., Any] = namespace["copier"]
    return copier


ContestPhase: TypeAlias = Literal["blank", "lobby", "round", "between_rounds", "finished"]
Step: TypeAlias = Literal["reading", "armed", "collecting", "answering", "judging", "closed"]
PlayStyle: TypeAlias = Literal["single", "parallel", "race"]
Bucket: TypeAlias = Literal["main", "tiebreak"]
JudgedBy: TypeAlias = Literal["auto", "host", "timeout"]


@dataclass(frozen=True, slots=True)
class BuzzRecord:
    """One buzz as evidence: arrival, the client's claims and the reaction the server trusted."""

    team: str
    player: str | None
    at: int
    order: int
    shown_ms: int | None = None
    pressed_ms: int | None = None
    reaction_ms: int | None = None
    claim_ms: int | None = None
    # Why the claim is physically impossible (buzzer.suspect_claim), None when it is plausible.
    suspect: str | None = None


@dataclass(frozen=True, slots=True)
class RankedBuzz:
    """A place in a decided race with its margin behind the winner, for the screen."""

    team: str
    margin_ms: int
    reaction_ms: int | None


@dataclass(frozen=True, slots=True)
class Race:
    """A buzzer race: armed at armed_at, collecting, then decided with exactly one winner."""

    armed_at: int
    buzzes: tuple[BuzzRecord, ...] = ()
    buzzed: tuple[str, ...] = ()
    winner: str | None = None
    winner_at: int | None = None
    decided_at: int | None = None
    ranking: tuple[RankedBuzz, ...] = ()
    # Buzzes fouled for an impossible claim (rule `suspect_claim: foul`): evidence, never ranked.
    fouled: tuple[BuzzRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class Submission:
    """An answer handed in during a parallel question, judged when the question closes."""

    team: str
    player: str | None
    response: Response
    at: int


@dataclass(frozen=True, slots=True)
class Play:
    """The question in play: who may answer, its step, its deadline and what has happened."""

    question_id: str
    style: PlayStyle
    step: Step
    teams: tuple[str, ...]
    answering: tuple[str, ...]
    value: int
    deduction: int
    answer_time_ms: int
    opened_at: int
    deadline: int | None = None
    answer_opened_at: int | None = None
    race: Race | None = None
    tried: tuple[str, ...] = ()
    locked: tuple[str, ...] = ()
    submissions: tuple[Submission, ...] = ()
    rebounds: int = 0
    passed_by: str | None = None
    outcome: str | None = None
    # Early presses not fouled (rule `early_press`): each team's buzzer is dead until this `at`.
    early_until: tuple[tuple[str, int], ...] = ()
    # Teams that pressed in an earlier race of this question (before a rebound): never fouled.
    pressed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Lane:
    """One team's rapid-fire run: its current question and the questions it was served."""

    team: str
    cursor: int
    ends_at: int
    question_id: str | None
    served: tuple[str, ...] = ()
    correct: int = 0
    closed: bool = False


@dataclass(frozen=True, slots=True)
class RapidState:
    """The rapid-fire round: open lanes, teams already done, and the shared queue position."""

    lanes: tuple[Lane, ...] = ()
    done: tuple[str, ...] = ()
    cursor: int = 0


@dataclass(frozen=True, slots=True)
class ArenaState:
    """The arena: the defender, waiting challengers, the duel in progress and who fell when."""

    defender: str
    challengers: tuple[str, ...]
    challenger: str | None = None
    duel_turn: int = 0
    duel_points: dict[str, int] = field(default_factory=dict)
    fallen: tuple[str, ...] = ()
    passes_left: dict[str, int] = field(default_factory=dict)
    champion: str | None = None


@dataclass(frozen=True, slots=True)
class RoundState:
    """The running round: participants, the questions left, turns, fouls and the play."""

    index: int
    kind: RoundKind
    started_at: int
    participants: tuple[str, ...]
    queue: tuple[str, ...]
    reserves: tuple[str, ...]
    tiers: tuple[tuple[int, tuple[str, ...]], ...] = ()
    order: tuple[str, ...] = ()
    turn: int = 0
    fouls: dict[str, int] = field(default_factory=dict)
    barred: tuple[str, ...] = ()
    play: Play | None = None
    rapid: RapidState | None = None
    arena: ArenaState | None = None
    asked: int = 0
    placements: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScoreEntry:
    """One change of a team's score with its reason; a score is the sum of these."""

    team: str
    delta: int
    reason: str
    at: int
    bucket: Bucket = "main"
    round_index: int | None = None
    question_id: str | None = None
    judgement_id: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Judgement:
    """A judged answer: who, which question, right or wrong, by whom, and the points it moved."""

    id: int
    team: str
    question_id: str
    correct: bool
    by: JudgedBy
    at: int
    delta: int
    response: Response | None = None
    # The member credited on the 成绩单: who handed in the judged response, else whose buzz won
    # the race for the team; None when no member is known (a spoken answer, a shared console).
    player: str | None = None


@dataclass(frozen=True, slots=True)
class ClockEstimate:
    """A client's clock offset (client minus server) and the bound within which it holds."""

    offset_ms: float
    bound_ms: float
    rtt_ms: float


@dataclass(frozen=True, slots=True)
class UndoPoint:
    """What undoing the last judgement restores: the round as it was just before it."""

    judgement_id: int
    phase: ContestPhase
    round_index: int
    round: RoundState


@dataclass(frozen=True, slots=True)
class QuestionStart:
    """What replacing the current question restores: the round just before it was opened."""

    question_id: str
    round_index: int
    round: RoundState
    style: PlayStyle
    teams: tuple[str, ...]
    answering: tuple[str, ...]
    tier: int | None


@dataclass(frozen=True, slots=True)
class RoundResult:
    """A finished round's placement (arena elimination order, PK placement)."""

    round_index: int
    kind: RoundKind
    placements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ContestState:
    """A whole contest at one moment; built only by apply, compared and serialised as data."""

    contest_id: str = ""
    phase: ContestPhase = "blank"
    rules: RuleSet | None = None
    questions: dict[str, Question] = field(default_factory=dict)
    plan: tuple[RoundPlan, ...] = ()
    seed: int = 0
    round_index: int = -1
    round: RoundState | None = None
    ledger: tuple[ScoreEntry, ...] = ()
    totals: dict[str, int] = field(default_factory=dict)
    tiebreak_totals: dict[str, int] = field(default_factory=dict)
    judgements: tuple[Judgement, ...] = ()
    undone: tuple[int, ...] = ()
    # Accepted buzzes per member (a trailing buzz is no acceptance), for the 成绩单; an undo or
    # a replaced question keeps them, because the press itself happened.
    member_buzzes: dict[str, int] = field(default_factory=dict)
    undo_point: UndoPoint | None = None
    question_start: QuestionStart | None = None
    used: tuple[str, ...] = ()
    revealed: tuple[str, ...] = ()
    clocks: dict[str, ClockEstimate] = field(default_factory=dict)
    frozen_at: int | None = None
    paused_at: int | None = None
    results: tuple[RoundResult, ...] = ()
    podium: tuple[str, ...] | None = None
    # Why the host last reopened the finished contest (None: never); every screen shows it.
    reopened_note: str | None = None

    def round_rules(self) -> RoundRules:
        """The rules of the running round (only valid while a round runs)."""
        assert self.rules is not None
        assert self.round is not None
        return self.rules.rounds[self.round.index]

    def member_correct(self) -> dict[str, int]:
        """Correct answers per credited member; an undone or replaced judgement credits nobody."""
        undone = set(self.undone)
        counts: dict[str, int] = {}
        for judgement in self.judgements:
            if judgement.correct and judgement.player is not None and judgement.id not in undone:
                counts[judgement.player] = counts.get(judgement.player, 0) + 1
        return counts

    def phase_name(self) -> str:
        """A readable phase for errors and views, e.g. 'buzzer/armed' or 'between_rounds'."""
        name: str = self.phase
        if self.phase == "round" and self.round is not None:
            step = self.round.play.step if self.round.play is not None else "idle"
            name = f"{self.round.kind}/{step}"
        return f"{name} (paused)" if self.paused_at is not None else name


BLANK = ContestState()
