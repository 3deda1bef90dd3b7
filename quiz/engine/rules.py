"""Contest rules as frozen data, and the pure builder that reads them from a plain mapping.

Every number of contest-rules.md is a default here, overridable per round in a template. The
builder never guesses: an unknown key or a value of the wrong kind raises RuleSetError with the
path of the value, so the YAML adapter can point at its line and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias, cast, get_args

from quiz.engine.errors import RuleSetError
from quiz.engine.questions import QUESTION_TYPES, QuestionType

RoundKind: TypeAlias = Literal["compulsory", "buzzer", "risk", "rapid", "arena", "tiebreak", "pk"]
PlayMode: TypeAlias = Literal["turn", "all", "buzz", "alternate"]
AnswerInput: TypeAlias = Literal["device", "spoken"]
Rebound: TypeAlias = Literal["none", "once", "all"]
Fairness: TypeAlias = Literal["arrival", "compensated"]
SuspectPolicy: TypeAlias = Literal["arrival", "foul"]
EarlyPress: TypeAlias = Literal["lockout", "foul", "ignore"]
TeamScoring: TypeAlias = Literal["sum", "mean"]
MembersAnswer: TypeAlias = Literal["team", "individual"]
DefenderChoice: TypeAlias = Literal["score", "lot", "seat"]
FinalRanking: TypeAlias = Literal["score", "arena", "pk"]
Path: TypeAlias = tuple[str | int, ...]

ROUND_KINDS: tuple[RoundKind, ...] = get_args(RoundKind)
# A lockout longer than this would swallow the race itself (buzz windows are seconds long).
MAX_EARLY_LOCKOUT_MS = 5_000
KIND_ALIASES: dict[str, RoundKind] = {
    "必答": "compulsory",
    "必答题": "compulsory",
    "抢答": "buzzer",
    "抢答题": "buzzer",
    "风险": "risk",
    "风险题": "risk",
    "快问快答": "rapid",
    "擂台": "arena",
    "擂台赛": "arena",
    "加赛": "tiebreak",
    "PK": "pk",
}
MODES_BY_KIND: dict[RoundKind, tuple[PlayMode, ...]] = {
    "compulsory": ("turn", "all"),
    "buzzer": ("buzz",),
    "risk": ("turn",),
    "rapid": ("turn", "all"),
    "arena": ("alternate", "buzz"),
    "tiebreak": ("buzz",),
    "pk": ("all",),
}


@dataclass(frozen=True, slots=True)
class SelectionSpec:
    """Which bank questions a round draws: count (per tier in risk rounds) plus reserves."""

    count: int
    reserve: int = 2
    tags: tuple[str, ...] = ()
    types: tuple[QuestionType, ...] = ()
    difficulty: tuple[int, int] = (1, 5)
    include_drafts: bool = False


@dataclass(frozen=True, slots=True)
class RoundRules:
    """The rules of one round; fields a kind does not use keep their defaults."""

    kind: RoundKind
    name: str
    mode: PlayMode
    selection: SelectionSpec
    answer_input: AnswerInput = "device"
    points: int = 10
    points_by_type: tuple[tuple[QuestionType, int], ...] = ()
    deduction: int = 0
    require_prompt: bool = True
    answer_time_ms: int = 30_000
    buzz_window_ms: int = 10_000
    foul_penalties: tuple[int, ...] = (10,)
    foul_limit: int = 0
    rebound: Rebound = "none"
    tiers: tuple[int, ...] = (10, 20, 30)
    tier_difficulty: tuple[int, ...] = ()
    allow_pass: bool = False
    rapid_window_ms: int = 60_000
    pass_tokens: int = 1
    duel_length: int = 3
    defender: DefenderChoice = "score"
    speed_bonus: bool = False
    team_scoring: TeamScoring = "sum"
    members_answer: MembersAnswer = "team"
    fairness: Fairness = "arrival"
    early_press: EarlyPress = "lockout"
    early_lockout_ms: int = 500
    collection_window_ms: int = 800
    trust_margin_ms: int = 100
    min_reaction_ms: int = 100
    suspect_claim: SuspectPolicy = "arrival"
    shuffle_options: bool = False
    tiebreak_places: int = 1

    def foul_penalty(self, nth: int) -> int:
        """The penalty of a team's nth foul in the round (1-based); the last step repeats."""
        return self.foul_penalties[min(nth, len(self.foul_penalties)) - 1]


@dataclass(frozen=True, slots=True)
class TeamSpec:
    """A team (or, in PK, one contestant) with its seat position and its players."""

    id: str
    name: str
    players: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A whole contest's rules: teams in seat order, base score and ordered rounds."""

    name: str
    label: str
    teams: tuple[TeamSpec, ...]
    rounds: tuple[RoundRules, ...]
    base_score: int = 0
    freeze_before_last_round: bool = False
    final_ranking: FinalRanking = "score"
    tie_rule: str = field(
        default="equal scores rank by who reached the score first, then by fewer fouls"
    )

    def team_ids(self) -> tuple[str, ...]:
        """Team ids in seat order."""
        return tuple(team.id for team in self.teams)


_KIND_DEFAULTS: dict[RoundKind, dict[str, object]] = {
    "compulsory": {"count": 6},
    "buzzer": {
        "count": 10,
        "answer_input": "spoken",
        "deduction": 10,
        "answer_time_ms": 15_000,
        "rebound": "once",
        "require_prompt": False,
    },
    "risk": {"count": 2, "answer_time_ms": 60_000, "allow_pass": True},
    "rapid": {"count": 30, "allow_pass": True, "require_prompt": False},
    "arena": {"count": 15, "answer_time_ms": 20_000, "require_prompt": False},
    "tiebreak": {
        "count": 5,
        "answer_input": "spoken",
        "deduction": 10,
        "answer_time_ms": 15_000,
        "require_prompt": False,
    },
    "pk": {"count": 5, "answer_time_ms": 20_000, "speed_bonus": True, "require_prompt": False},
}

# Template key -> (field name, unit factor) for times written in seconds.
_SECONDS_KEYS = {
    "answer_seconds": "answer_time_ms",
    "buzz_window_seconds": "buzz_window_ms",
    "rapid_window_seconds": "rapid_window_ms",
}
_INT_KEYS = (
    "points",
    "deduction",
    "foul_limit",
    "pass_tokens",
    "duel_length",
    "collection_window_ms",
    "trust_margin_ms",
    "min_reaction_ms",
    "early_lockout_ms",
    "tiebreak_places",
)
_BOOL_KEYS = ("require_prompt", "allow_pass", "speed_bonus", "shuffle_options")
_CHOICE_KEYS: dict[str, tuple[str, ...]] = {
    "answer_input": get_args(AnswerInput),
    "rebound": get_args(Rebound),
    "fairness": get_args(Fairness),
    "suspect_claim": get_args(SuspectPolicy),
    "early_press": get_args(EarlyPress),
    "team_scoring": get_args(TeamScoring),
    "members_answer": get_args(MembersAnswer),
    "defender": get_args(DefenderChoice),
}
_ROUND_KEYS = frozenset(
    {"kind", "name", "mode", "questions", "points_by_type", "foul_penalties", "tiers"}
    | {"tier_difficulty"}
    | set(_SECONDS_KEYS)
    | set(_INT_KEYS)
    | set(_BOOL_KEYS)
    | set(_CHOICE_KEYS)
)
_SELECTION_KEYS = frozenset({"count", "reserve", "tags", "types", "difficulty", "include_drafts"})
_TOP_KEYS = frozenset(
    {"name", "label", "teams", "rounds", "base_score", "freeze_before_last_round"}
    | {"final_ranking", "defaults"}
)


def ruleset_from_mapping(data: object) -> RuleSet:
    """Build a RuleSet from plain data; any bad value raises RuleSetError naming its path."""
    top = _mapping(data, ())
    _no_unknown_keys(top, _TOP_KEYS, ())
    defaults = _mapping(top.get("defaults", {}), ("defaults",))
    _no_unknown_keys(defaults, _ROUND_KEYS - {"kind", "name", "questions"}, ("defaults",))
    teams = _teams(top.get("teams"), ("teams",))
    raw_rounds = top.get("rounds")
    if not isinstance(raw_rounds, list) or not raw_rounds:
        raise RuleSetError(("rounds",), "expected a non-empty list of rounds")
    rounds = tuple(
        _round({**defaults, **_mapping(raw, ("rounds", index))}, ("rounds", index))
        for index, raw in enumerate(raw_rounds)
    )
    for index, round_rules in enumerate(rounds):
        if round_rules.kind == "pk" and len(teams) not in (2, 4):
            raise RuleSetError(("rounds", index, "kind"), "a PK round needs 2 or 4 contestants")
    final = top.get("final_ranking", "score")
    if final not in get_args(FinalRanking):
        raise RuleSetError(("final_ranking",), f"expected one of {get_args(FinalRanking)}")
    return RuleSet(
        name=_text(top.get("name"), ("name",)),
        label=_text(top.get("label", top.get("name")), ("label",)),
        teams=teams,
        rounds=rounds,
        base_score=_int(top.get("base_score", 0), ("base_score",), low=-100_000),
        freeze_before_last_round=_bool(
            top.get("freeze_before_last_round", False), ("freeze_before_last_round",)
        ),
        final_ranking=cast(FinalRanking, final),
    )


def _round(raw: Mapping[str, object], path: Path) -> RoundRules:
    """One round: the kind's defaults, overridden by the template's values."""
    _no_unknown_keys(raw, _ROUND_KEYS, path)
    kind_name = raw.get("kind")
    kind = KIND_ALIASES.get(str(kind_name), kind_name)
    if kind not in ROUND_KINDS:
        raise RuleSetError((*path, "kind"), f"unknown round kind {kind_name!r}")
    values: dict[str, object] = dict(_KIND_DEFAULTS[kind])
    count = values.pop("count")
    mode = raw.get("mode", MODES_BY_KIND[kind][0])
    if mode not in MODES_BY_KIND[kind]:
        modes = MODES_BY_KIND[kind]
        raise RuleSetError((*path, "mode"), f"a {kind} round's mode is one of {modes}")
    for key, target in _SECONDS_KEYS.items():
        if key in raw:
            values[target] = _int(raw[key], (*path, key), low=1, high=3600) * 1000
    for key in _INT_KEYS:
        if key in raw:
            values[key] = _int(raw[key], (*path, key), low=0 if key != "duel_length" else 1)
    for key in _BOOL_KEYS:
        if key in raw:
            values[key] = _bool(raw[key], (*path, key))
    for key, choices in _CHOICE_KEYS.items():
        if key in raw:
            if raw[key] not in choices:
                raise RuleSetError((*path, key), f"expected one of {choices}")
            values[key] = raw[key]
    if "foul_penalties" in raw:
        values["foul_penalties"] = _int_list(raw["foul_penalties"], (*path, "foul_penalties"))
    if "tiers" in raw:
        values["tiers"] = _int_list(raw["tiers"], (*path, "tiers"), low=1)
    if "tier_difficulty" in raw:
        values["tier_difficulty"] = _int_list(
            raw["tier_difficulty"], (*path, "tier_difficulty"), low=1, high=5
        )
    if "points_by_type" in raw:
        values["points_by_type"] = _points_by_type(raw["points_by_type"], (*path, "points_by_type"))
    selection = _selection(raw.get("questions", {}), cast(int, count), (*path, "questions"))
    rules = RoundRules(
        kind=kind,
        name=_text(raw.get("name", kind), (*path, "name")),
        mode=mode,
        selection=selection,
        **values,  # type: ignore[arg-type]
    )
    if rules.tier_difficulty and len(rules.tier_difficulty) != len(rules.tiers):
        raise RuleSetError((*path, "tier_difficulty"), "needs one difficulty per tier")
    if len(set(rules.tiers)) != len(rules.tiers):
        raise RuleSetError((*path, "tiers"), "tiers must differ")
    if rules.early_lockout_ms > MAX_EARLY_LOCKOUT_MS:
        message = f"expected a number from 0 to {MAX_EARLY_LOCKOUT_MS}"
        raise RuleSetError((*path, "early_lockout_ms"), message)
    return rules


def _selection(raw: object, default_count: int, path: Path) -> SelectionSpec:
    """A round's question selection; difficulty is one level or a [low, high] pair."""
    spec = _mapping(raw, path)
    _no_unknown_keys(spec, _SELECTION_KEYS, path)
    difficulty = spec.get("difficulty", [1, 5])
    if isinstance(difficulty, int) and not isinstance(difficulty, bool):
        difficulty = [difficulty, difficulty]
    low_high = _int_list(difficulty, (*path, "difficulty"), low=1, high=5)
    if len(low_high) != 2 or low_high[0] > low_high[1]:
        raise RuleSetError((*path, "difficulty"), "expected a level or [low, high], low <= high")
    types = _text_list(spec.get("types", []), (*path, "types"))
    for index, name in enumerate(types):
        if name not in QUESTION_TYPES:
            raise RuleSetError((*path, "types", index), f"unknown question type {name!r}")
    return SelectionSpec(
        count=_int(spec.get("count", default_count), (*path, "count"), low=1, high=10_000),
        reserve=_int(spec.get("reserve", 2), (*path, "reserve"), high=10_000),
        tags=_text_list(spec.get("tags", []), (*path, "tags")),
        types=cast(tuple[QuestionType, ...], types),
        difficulty=(low_high[0], low_high[1]),
        include_drafts=_bool(spec.get("include_drafts", False), (*path, "include_drafts")),
    )


def _teams(raw: object, path: Path) -> tuple[TeamSpec, ...]:
    """Teams in seat order, at least two, with unique ids."""
    if not isinstance(raw, list) or len(raw) < 2:
        raise RuleSetError(path, "expected a list of at least two teams")
    teams: list[TeamSpec] = []
    for index, entry in enumerate(raw):
        team = _mapping(entry, (*path, index))
        _no_unknown_keys(team, frozenset({"id", "name", "players"}), (*path, index))
        team_id = _text(team.get("id"), (*path, index, "id"))
        if any(existing.id == team_id for existing in teams):
            raise RuleSetError((*path, index, "id"), f"team id {team_id!r} is used twice")
        players = _text_list(team.get("players", []), (*path, index, "players"))
        if len(set(players)) != len(players):
            raise RuleSetError((*path, index, "players"), "player ids repeat")
        name = _text(team.get("name", team_id), (*path, index, "name"))
        teams.append(TeamSpec(id=team_id, name=name, players=players))
    return tuple(teams)


def _points_by_type(raw: object, path: Path) -> tuple[tuple[QuestionType, int], ...]:
    """Points per question type, e.g. {single: 10, fill: 20}."""
    table = _mapping(raw, path)
    pairs: list[tuple[QuestionType, int]] = []
    for name, value in table.items():
        if name not in QUESTION_TYPES:
            raise RuleSetError((*path, name), f"unknown question type {name!r}")
        pairs.append((name, _int(value, (*path, name))))
    return tuple(pairs)


def _mapping(raw: object, path: Path) -> Mapping[str, object]:
    if not isinstance(raw, Mapping) or not all(isinstance(key, str) for key in raw):
        raise RuleSetError(path, "expected a mapping")
    return cast(Mapping[str, object], raw)


def _no_unknown_keys(raw: Mapping[str, object], known: frozenset[str], path: Path) -> None:
    for key in raw:
        if key not in known:
            raise RuleSetError((*path, key), f"unknown key {key!r}")


def _text(raw: object, path: Path) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise RuleSetError(path, "expected a non-empty string")
    return raw


def _bool(raw: object, path: Path) -> bool:
    if not isinstance(raw, bool):
        raise RuleSetError(path, "expected true or false")
    return raw


def _int(raw: object, path: Path, low: int = 0, high: int = 100_000) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise RuleSetError(path, "expected a whole number")
    if not low <= raw <= high:
        raise RuleSetError(path, f"expected a number from {low} to {high}")
    return raw


def _int_list(raw: object, path: Path, low: int = 0, high: int = 100_000) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw:
        raise RuleSetError(path, "expected a non-empty list of whole numbers")
    return tuple(_int(item, (*path, index), low, high) for index, item in enumerate(raw))


def _text_list(raw: object, path: Path) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise RuleSetError(path, "expected a list of strings")
    return tuple(_text(item, (*path, index)) for index, item in enumerate(raw))
