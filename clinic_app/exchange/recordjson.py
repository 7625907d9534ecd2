r"""Decode one line of a bundle entry strictly: the visit files' rules for JSON, with a bundle's sizes.

A bundle comes from outside the clinic like a visit file does, so its lines are read with the same
refusals as :mod:`clinic_app.domain.visitjson`: a key given twice in one object (Python's ``json``
silently keeps the last, so ``{"status": "draft", "status": "signed"}`` would pass any later check),
a lone surrogate (``"\ud800"`` decodes to text that cannot be stored or written back), ``NaN`` and
``Infinity``, and bytes that are not UTF-8. The visit file's *sizes* do not apply (a bundle visit
holds about 150 results, beyond a visit file's 100 list items, and an audit image may be deeper):
the bounds here are the archive's line length (:class:`~clinic_app.exchange.archive.Limits`), the
interpreter's limit on integer digits (4,300, so no quadratic conversion) and the nesting depth
Python can decode; :mod:`clinic_app.exchange.records` then checks every value's size and type.

Cost matters (10,000 visits are about 1.6 million objects): duplicate keys are caught by comparing
the sizes of each object's pairs and dict, and surrogates are looked for only when the raw line holds
a ``\uD800``-``\uDFFF`` escape at all.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from clinic_app.domain.visitjson import text_problem


class RecordJsonError(ValueError):
    """A line is not a strict JSON document; the message says why in words."""


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise RecordJsonError(f"the key {json.dumps(key[:40])} appears twice in one object")
            seen.add(key)
    return record


def _constant(text: str) -> Any:
    raise RecordJsonError(f"{text} is not a number a bundle can hold")


_STRICT = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)
_PLAIN = json.JSONDecoder(parse_constant=_constant)


def decode_line(line: bytes, *, checked: bool = False) -> Any:
    """Decode one JSON Lines record.

    Args:
        line: the raw line (UTF-8).
        checked: these exact bytes were decoded strictly before (the import's second pass over an
            entry whose SHA-256 is verified again at its end), so only the decoding is repeated.

    Raises:
        RecordJsonError: not UTF-8, not JSON, a duplicate key, a lone surrogate, ``NaN``/``Infinity``,
            a number of more digits than the interpreter converts, or nested too deeply.
    """
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordJsonError(f"not UTF-8 text (byte {exc.start + 1:,})") from None
    try:
        value = (_PLAIN if checked else _STRICT).decode(text)
    except RecordJsonError:
        raise
    except json.JSONDecodeError as exc:
        raise RecordJsonError(f"not valid JSON at column {exc.colno} ({exc.msg.lower()})") from None
    except RecursionError:
        raise RecordJsonError("nested far too deeply") from None
    except ValueError as exc:  # an integer beyond the interpreter's digit limit
        raise RecordJsonError(f"not usable JSON ({exc})") from None
    if not checked and _SURROGATE_ESCAPE.search(line):
        problem = _lone_surrogate(value, 0)
        if problem is not None:
            raise RecordJsonError(f"a text {problem}")
    return value


def _lone_surrogate(value: Any, depth: int) -> str | None:
    """Return why some text in ``value`` cannot be stored (a lone surrogate), or None."""
    if isinstance(value, str):
        return text_problem(value, sys.maxsize)
    items: Any = ()
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    for item in items:
        found = _lone_surrogate(item, depth + 1)
        if found is not None:
            return found
    return None
