"""JSON for states, commands and events, driven by the dataclasses' own type hints.

One generic codec serves every type, so a field added to the state cannot be forgotten by a
hand-written encoder. Commands and events carry a `kind` field naming their class. Tuples become
JSON lists and come back as tuples; dataclasses become objects and come back field by field;
anything that does not fit its declared type raises DecodeError, so a corrupted snapshot is
refused rather than half-loaded.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, Literal, TypeAlias, Union, get_args, get_origin

from quiz.engine.commands import COMMAND_TYPES, Command
from quiz.engine.errors import DecodeError
from quiz.engine.events import EVENT_TYPES, Event
from quiz.engine.state import ContestState

JSONValue: TypeAlias = Any
_COMMANDS = {cls.__name__: cls for cls in COMMAND_TYPES}
_EVENTS = {cls.__name__: cls for cls in EVENT_TYPES}
# 2: judgements name the member credited and the state counts members' buzzes; a snapshot of
# an older version is not read (ContestService replays the contest's log from the start).
SNAPSHOT_VERSION = 2
_HINTS: dict[type[Any], dict[str, Any]] = {}


def to_plain(value: object) -> JSONValue:
    """A JSON-able structure of dicts, lists, strings, numbers, booleans and None."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_plain(item) for key, item in value.items()}
    return value


def from_plain(hint: Any, data: JSONValue) -> Any:
    """Rebuild a value of the declared type from plain data, or raise DecodeError."""
    origin = get_origin(hint)
    if hint is Any:
        return data
    if origin is Literal:
        if data not in get_args(hint):
            raise DecodeError(f"{data!r} is not one of {get_args(hint)}")
        return data
    if origin in (Union, types.UnionType):
        return _from_union(get_args(hint), data)
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(data, list):
            raise DecodeError(f"expected a list, got {type(data).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_plain(args[0], item) for item in data)
        if len(args) != len(data):
            raise DecodeError(f"expected {len(args)} items, got {len(data)}")
        return tuple(from_plain(arg, item) for arg, item in zip(args, data, strict=True))
    if origin is dict:
        _, value_hint = get_args(hint)
        if not isinstance(data, dict):
            raise DecodeError(f"expected an object, got {type(data).__name__}")
        return {str(key): from_plain(value_hint, item) for key, item in data.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _from_dataclass(hint, data)
    return _from_scalar(hint, data)


def state_to_json(state: ContestState) -> str:
    """The snapshot as compact JSON text (with a format version)."""
    payload = {"version": SNAPSHOT_VERSION, "state": to_plain(state)}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def state_from_json(text: str) -> ContestState:
    """A snapshot back from state_to_json; equal to the state it was made from."""
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise DecodeError(f"not JSON: {error}") from error
    if not isinstance(payload, dict) or payload.get("version") != SNAPSHOT_VERSION:
        raise DecodeError(f"expected a snapshot of version {SNAPSHOT_VERSION}")
    state: ContestState = from_plain(ContestState, payload.get("state"))
    return state


def command_to_dict(command: Command) -> dict[str, JSONValue]:
    """A command as a JSON-able dict with its class in `kind`."""
    return {"kind": type(command).__name__, **to_plain(command)}


def command_from_dict(data: dict[str, JSONValue]) -> Command:
    """A command back from command_to_dict (unknown kinds and bad fields raise DecodeError)."""
    command: Command = _tagged(_COMMANDS, data)
    return command


def event_to_dict(event: Event) -> dict[str, JSONValue]:
    """An event as a JSON-able dict with its class in `kind`."""
    return {"kind": type(event).__name__, **to_plain(event)}


def event_from_dict(data: dict[str, JSONValue]) -> Event:
    """An event back from event_to_dict."""
    event: Event = _tagged(_EVENTS, data)
    return event


def _tagged(registry: dict[str, type[Any]], data: dict[str, JSONValue]) -> Any:
    if not isinstance(data, dict):
        raise DecodeError("expected an object")
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in registry:
        raise DecodeError(f"unknown kind {kind!r}")
    return _from_dataclass(registry[kind], {k: v for k, v in data.items() if k != "kind"})


def _hints(cls: type[Any]) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def _from_dataclass(cls: type[Any], data: JSONValue) -> Any:
    if not isinstance(data, dict):
        raise DecodeError(f"{cls.__name__}: expected an object")
    hints = _hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise DecodeError(f"{cls.__name__}: unknown fields {sorted(unknown)}")
    values = {}
    for name, item in data.items():
        try:
            values[name] = from_plain(hints[name], item)
        except DecodeError as error:
            raise DecodeError(f"{cls.__name__}.{name}: {error}") from error
    try:
        return cls(**values)
    except TypeError as error:
        raise DecodeError(f"{cls.__name__}: {error}") from error


def _from_union(options: tuple[Any, ...], data: JSONValue) -> Any:
    """Try each member in order; bool before int because JSON keeps them apart."""
    if data is None:
        if type(None) in options:
            return None
        raise DecodeError("null where a value is required")
    ordered = sorted(options, key=lambda option: option is not bool)
    errors = []
    for option in ordered:
        if option is type(None):
            continue
        try:
            return from_plain(option, data)
        except DecodeError as error:
            errors.append(str(error))
    raise DecodeError("; ".join(errors))


def _from_scalar(hint: Any, data: JSONValue) -> Any:
    if hint is bool:
        if isinstance(data, bool):
            return data
    elif hint is int:
        if isinstance(data, int) and not isinstance(data, bool):
            return data
    elif hint is float:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return float(data)
    elif hint is str:
        if isinstance(data, str):
            return data
    elif hint is type(None):
        if data is None:
            return None
    else:
        raise DecodeError(f"cannot decode type {hint!r}")
    raise DecodeError(f"expected {getattr(hint, '__name__', hint)}, got {data!r}")
