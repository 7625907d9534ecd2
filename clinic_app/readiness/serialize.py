"""JSON (de)serialisation of :class:`Decision` and :class:`ClinicianDecision`.

Storage keeps decisions as JSON so a report printed years later reads exactly as it did: the
document carries its own format id and the protocol version; nothing is re-derived on load.
The converter walks the dataclass fields, so fields added later with defaults load from old
documents unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
import typing
from typing import Any, TypeVar

from clinic_app.readiness.decision import ClinicianDecision, Decision

DECISION_FORMAT = "runready-decision/1"
CLINICIAN_DECISION_FORMAT = "runready-clinician-decision/1"

T = TypeVar("T")


class SerializationError(ValueError):
    """A stored decision document that cannot be read back."""


def decision_to_json(decision: Decision) -> dict[str, Any]:
    """Return a JSON-ready dict of a decision, tagged with its format id."""
    return {"format": DECISION_FORMAT, **_dump(decision)}


def decision_from_json(data: dict[str, Any]) -> Decision:
    """Rebuild a decision from :func:`decision_to_json` output.

    Raises:
        SerializationError: for a different format or a malformed document.
    """
    return _load_tagged(data, DECISION_FORMAT, Decision)


def clinician_decision_to_json(decision: ClinicianDecision) -> dict[str, Any]:
    """Return a JSON-ready dict of a clinician decision, tagged with its format id."""
    return {"format": CLINICIAN_DECISION_FORMAT, **_dump(decision)}


def clinician_decision_from_json(data: dict[str, Any]) -> ClinicianDecision:
    """Rebuild a clinician decision from :func:`clinician_decision_to_json` output.

    Raises:
        SerializationError: for a different format or a malformed document.
    """
    return _load_tagged(data, CLINICIAN_DECISION_FORMAT, ClinicianDecision)


def _load_tagged(data: dict[str, Any], format_id: str, cls: type[T]) -> T:
    if not isinstance(data, dict) or data.get("format") != format_id:
        raise SerializationError(f"expected a '{format_id}' document")
    body = {k: v for k, v in data.items() if k != "format"}
    try:
        return typing.cast(T, _load(cls, body))
    except (KeyError, TypeError, ValueError) as exc:
        raise SerializationError(f"malformed '{format_id}' document: {exc}") from exc


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _load(tp: Any, raw: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if raw is None:
            return None
        return _load(options[0], raw)
    if origin is tuple:
        (item,) = (a for a in typing.get_args(tp) if a is not Ellipsis)
        return tuple(_load(item, v) for v in raw)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {f.name: _load(hints[f.name], raw[f.name]) for f in dataclasses.fields(tp) if f.name in raw}
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(raw)
    if tp is dt.datetime:
        return dt.datetime.fromisoformat(raw)
    if tp is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise TypeError(f"expected a number, got {raw!r}")
        return float(raw)
    if tp in (int, str, bool) and not isinstance(raw, tp):
        raise TypeError(f"expected {tp.__name__}, got {raw!r}")
    return raw
