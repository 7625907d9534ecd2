"""Check a settings or protocol file named on the command line before a loader reads it.

The loaders report bad TOML well, but a folder given by mistake, a device, a binary file or a file
that is not UTF-8 would otherwise end in a traceback (or, for ``/dev/zero``, never end).
"""

from __future__ import annotations

import stat
from pathlib import Path

MAX_TEXT_FILE_BYTES = 2 * 1024 * 1024
"""A settings or protocol file is a few kilobytes; anything above this is not one."""


def text_file_problem(path: Path, what: str) -> str | None:
    """Return a one-line message when ``path`` cannot be a readable UTF-8 text file, else None.

    Args:
        path: the file named on the command line.
        what: what the file should be, for the message ("settings file", "protocol file").
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return f"The {what} {path} does not exist."
    except OSError as exc:
        return f"The {what} {path} cannot be read ({exc.strerror or exc})."
    if stat.S_ISDIR(info.st_mode):
        return f"The {what} {path} is a folder; give the file inside it."
    if not stat.S_ISREG(info.st_mode):
        return f"The {what} {path} is not an ordinary file."
    if info.st_size > MAX_TEXT_FILE_BYTES:
        return f"The {what} {path} is {info.st_size // 1024} KB; a {what} is a small text file."
    try:
        path.read_bytes().decode("utf-8")
    except OSError as exc:
        return f"The {what} {path} cannot be read ({exc.strerror or exc})."
    except UnicodeDecodeError as exc:
        return f"The {what} {path} is not UTF-8 text (byte {exc.start + 1} cannot be read); save it as UTF-8."
    return None
