"""Typed getters for a decoded protocol document: each names the section and key of a bad value.

Shared by every part of the protocol's loading (:mod:`protocol`, :mod:`protocolrules`,
:mod:`protocolsections`, :mod:`wording`), so they all refuse a bad file with the same kind of
:class:`ProtocolError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clinic_app.readiness.protocolerror import ProtocolError


def need_table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    """The table at ``key``; a missing key or a value that is not a table is an error."""
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ProtocolError(where, key, "is missing or is not a table")
    return value


def need_text(data: Mapping[str, Any], key: str, where: str, *, allow_empty: bool = False) -> str:
    """The text at ``key``; required and (unless ``allow_empty``) not blank."""
    value = data.get(key)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise ProtocolError(where, key, "is required and must be text")
    return value


def opt_text(data: Mapping[str, Any], key: str, where: str) -> str | None:
    """The text at ``key``, or None when absent."""
    if data.get(key) is None:
        return None
    return need_text(data, key, where)


def need_bool(data: Mapping[str, Any], key: str, where: str, *, default: bool | None = None) -> bool:
    """The yes/no at ``key`` (``default`` when absent, if given)."""
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ProtocolError(where, key, "must be true or false")
    return value


def need_number(data: Mapping[str, Any], key: str, where: str) -> float:
    """The number at ``key`` (a yes/no is not a number)."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProtocolError(where, key, "must be a number")
    return float(value)


def need_int(data: Mapping[str, Any], key: str, where: str) -> int:
    """The whole number at ``key``."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(where, key, "must be a whole number")
    return value


def str_list(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> tuple[str, ...]:
    """The list of text at ``key`` (empty when absent and not ``required``)."""
    value = data.get(key)
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProtocolError(where, key, "must be a list of text")
    return tuple(value)


def str_map(data: Mapping[str, Any], key: str) -> dict[str, str]:
    """The table ``[key]`` as text by name; every value must be non-empty text."""
    table = need_table(data, key, f"[{key}]")
    for name, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ProtocolError(f"[{key}]", name, "must be non-empty text")
    return dict(table)


def need_enum(data: Mapping[str, Any], key: str, where: str, enum: Any) -> Any:
    """The member of ``enum`` named by the value at ``key``."""
    value = data.get(key)
    try:
        return enum(value)
    except ValueError as exc:
        allowed = ", ".join(member.value for member in enum)
        raise ProtocolError(where, key, f"'{value}' is not one of {allowed}") from exc
