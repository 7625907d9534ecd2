r"""Decode the JSON text of a visit file strictly and within fixed limits, never raising on content.

Python's ``json`` module is lenient where a clinical record must not be: the last of two equal keys
silently wins, ``NaN`` and ``Infinity`` are accepted, ``"\ud800"`` decodes to a lone surrogate that
cannot be written back out, and an integer of a million digits is converted (slowly) or raises a
bare ``ValueError``. Here each of those becomes a :class:`FieldError` naming where it is, and
anything beyond :mod:`clinic_app.domain.visitlimits` is refused before it costs time or memory.

Text that cannot be decoded at all (not UTF-8, not JSON, too large) raises
:class:`UnreadableJsonError` with a one-line reason: there is no path inside it to name.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from clinic_app.domain.errors import FieldError
from clinic_app.domain.visitlimits import (
    MAX_DEPTH,
    MAX_ERRORS,
    MAX_FILE_BYTES,
    MAX_JSON_OBJECTS,
    MAX_KEY_CHARS,
    MAX_LIST_ITEMS,
    MAX_NUMBER_CHARS,
    MAX_PREVIOUS_VISITS,
    MAX_STRING_CHARS,
    MAX_TEXT_CHARS,
)

_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SHOWN_KEY_CHARS = 40


class UnreadableJsonError(ValueError):
    """The content is not UTF-8 JSON text within the limits; the message says why in one line."""


class _Object(dict[str, Any]):
    """A decoded JSON object that remembers the keys it held more than once."""

    __slots__ = ("duplicates",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.duplicates: tuple[str, ...] = ()
        if len(self) != len(pairs):
            seen: set[str] = set()
            repeated: list[str] = []
            for key, _ in pairs:
                if key in seen and key not in repeated:
                    repeated.append(key)
                seen.add(key)
            self.duplicates = tuple(repeated)


@dataclass(frozen=True, slots=True)
class _Unusable:
    """A number the decoder refused to convert; the walk reports it at its path."""

    message: str


class _TooManyObjectsError(Exception):
    """Raised from inside the decoder to stop it once the object limit is passed."""


def join_path(path: str, key: object) -> str:
    """Return the path of ``key`` inside the object at ``path`` (``""`` is the document itself).

    Plain identifiers join with a dot (``delivery.perineal_trauma``); any other key is written as
    a quoted, ASCII-escaped JSON string in brackets (``results.hop["single_hop.left"]``), cut
    short when long, so a path is always one short, printable line.
    """
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key) and len(key) <= MAX_KEY_CHARS:
        return f"{path}.{key}" if path else key
    text = key if isinstance(key, str) else repr(key)
    shown = json.dumps(text[:_SHOWN_KEY_CHARS] + ("…" if len(text) > _SHOWN_KEY_CHARS else ""))
    return f"{path}[{shown}]" if path else f"$[{shown}]"


def text_problem(value: str, limit: int) -> str | None:
    """Return why ``value`` cannot be stored as text (too long, a lone surrogate), or None."""
    if len(value) > limit:
        return f"is {len(value):,} characters long; at most {limit:,} are allowed"
    found = _SURROGATE.search(value)
    if found is not None:
        return (
            f"holds a lone surrogate (U+{ord(found.group()):04X}), which is not a character — "
            "the program that wrote the file is broken"
        )
    return None


def _as_text(content: str | bytes) -> str:
    """Decode bytes as UTF-8 (a byte-order mark is allowed) and check the length of the text."""
    if isinstance(content, bytes | bytearray | memoryview):
        raw = bytes(content)
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise UnreadableJsonError("not a UTF-8 text file (it is UTF-16: save it as UTF-8)")
        if len(raw) > MAX_FILE_BYTES:
            raise UnreadableJsonError(f"larger than {MAX_FILE_BYTES // 1024**2} MiB: not a visit file")
        try:
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableJsonError(f"not a UTF-8 text file (byte {exc.start + 1:,})") from exc
    elif content.startswith("\ufeff"):
        content = content[1:]
    if len(content) > MAX_TEXT_CHARS:
        raise UnreadableJsonError(f"longer than {MAX_TEXT_CHARS:,} characters: not a visit file")
    return content


def _decoder() -> json.JSONDecoder:
    """A decoder that counts objects, keeps duplicate keys and refuses unusable numbers."""
    count = 0

    def pairs_hook(pairs: list[tuple[str, Any]]) -> _Object:
        nonlocal count
        count += 1
        if count > MAX_JSON_OBJECTS:
            raise _TooManyObjectsError
        return _Object(pairs)

    def parse_int(literal: str) -> int | _Unusable:
        if len(literal) > MAX_NUMBER_CHARS:
            return _Unusable(f"a number of {len(literal):,} digits is not a measurement")
        return int(literal)

    def parse_float(literal: str) -> float | _Unusable:
        if len(literal) > MAX_NUMBER_CHARS:
            return _Unusable(f"a number written with {len(literal):,} characters is not a measurement")
        value = float(literal)
        if not math.isfinite(value):
            return _Unusable(f"{literal} is too large to be a measurement")
        return value

    def parse_constant(literal: str) -> _Unusable:
        return _Unusable(f"{literal} is not a number a visit file can hold")

    return json.JSONDecoder(
        object_pairs_hook=pairs_hook,
        parse_int=parse_int,
        parse_float=parse_float,
        parse_constant=parse_constant,
    )


def decode_visit_json(content: str | bytes) -> tuple[Any, list[FieldError]]:
    """Decode a visit file's text and list every problem no later reader could see.

    Args:
        content: the file's bytes (UTF-8, a byte-order mark allowed) or its text.

    Returns:
        The decoded document and the problems found in it (duplicate keys, lone surrogates, text,
        keys, lists or numbers beyond the limits, ``NaN``/``Infinity``), each at its path; the
        document is only fit to read further when there are none.

    Raises:
        UnreadableJsonError: the content is not UTF-8, not JSON, or larger than the limits.
    """
    text = _as_text(content)
    try:
        value = _decoder().decode(text)
    except json.JSONDecodeError as exc:
        raise UnreadableJsonError(
            f"not a valid JSON file at line {exc.lineno}, column {exc.colno} ({exc.msg.lower()})"
        ) from exc
    except RecursionError as exc:
        raise UnreadableJsonError("not a valid JSON file (nested far too deeply)") from exc
    except _TooManyObjectsError as exc:
        raise UnreadableJsonError(
            f"holds more than {MAX_JSON_OBJECTS:,} JSON objects: not a visit file"
        ) from exc
    errors: list[FieldError] = []
    _walk(value, "", 0, errors)
    if len(errors) > MAX_ERRORS:
        errors = [
            *errors[:MAX_ERRORS],
            FieldError("$", f"more than {MAX_ERRORS} problems; the first are listed"),
        ]
    return value, errors


def _walk(value: Any, path: str, depth: int, errors: list[FieldError]) -> None:
    """Report every unusable part of ``value``; stops early once the error list is long enough."""
    where = path or "$"
    if len(errors) > MAX_ERRORS:
        return
    if depth > MAX_DEPTH:
        errors.append(FieldError(where, f"nested deeper than {MAX_DEPTH} levels: not part of a visit file"))
        return
    if isinstance(value, _Unusable):
        errors.append(FieldError(where, value.message))
    elif isinstance(value, str):
        problem = text_problem(value, MAX_STRING_CHARS)
        if problem is not None:
            errors.append(FieldError(where, f"the text {problem}"))
    elif isinstance(value, dict):
        for key in getattr(value, "duplicates", ()):
            errors.append(FieldError(join_path(path, key), "appears twice in the same object — keep one"))
        for key, item in value.items():
            problem = text_problem(key, MAX_KEY_CHARS)
            if problem is not None:
                errors.append(FieldError(join_path(path, key), f"the key {problem}"))
                continue
            _walk(item, join_path(path, key), depth + 1, errors)
    elif isinstance(value, list):
        limit = MAX_PREVIOUS_VISITS if path == "previous_visits" else MAX_LIST_ITEMS
        if len(value) > limit:
            what = "earlier visits" if path == "previous_visits" else "items"
            errors.append(FieldError(where, f"holds {len(value):,} {what}; at most {limit:,} are read"))
            return
        for index, item in enumerate(value):
            _walk(item, f"{where}[{index}]", depth + 1, errors)
