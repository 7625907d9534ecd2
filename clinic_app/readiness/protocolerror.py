"""The error raised by a protocol file that cannot be used.

Its own module, so every part of the protocol's parsing can import it without importing the others.
"""

from __future__ import annotations


class ProtocolError(ValueError):
    """A protocol file that cannot be used, with the rule (or section) and key at fault."""

    def __init__(self, where: str, key: str, message: str) -> None:
        super().__init__(f"protocol {where}, key '{key}': {message}")
        self.where = where
        self.key = key
