r"""Text bound for a terminal: names and values from files are shown, never obeyed by the terminal.

A patient name or a key in a visit file can hold an escape sequence (``\x1b[2J`` clears the
screen; others retitle the window or fake a line of output), a right-to-left override that makes
``P-12`` read as ``21-P``, or a lone surrogate that cannot be encoded at all and would end the
command in a ``UnicodeEncodeError``. Every such character is written as a ``\uXXXX`` escape
instead: readable, and still valid inside JSON strings, so ``--format json`` output stays JSON.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f"  # C0 and C1 control characters (escape sequences start here)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides, isolates
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff]"  # lone surrogates
)


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def safe(text: str, *, keep_newlines: bool = False) -> str:
    r"""Return ``text`` with every character a terminal would act on written as ``\uXXXX``.

    Args:
        text: anything that may hold names or values from outside (a file, the database).
        keep_newlines: keep ``\n`` as a line break (multi-line output the command itself built).
    """
    if keep_newlines:
        return "\n".join(_UNSAFE.sub(_escaped, line) for line in text.split("\n"))
    return _UNSAFE.sub(_escaped, text)
