"""The one error the exchange package raises: a bundle that cannot be read or trusted.

Every message names the file part and the problem in words a physiotherapist can act on (the command
line prints it as it is and exits 1; the window shows it in a dialog). Nothing has been written when
one is raised.
"""

from __future__ import annotations


class BundleError(Exception):
    """A bundle is malformed, truncated, tampered with, hostile or from a newer app.

    Attributes:
        problem: a short machine-readable kind (``not_a_bundle``, ``checksum``, ``too_new``,
            ``unsafe_name``, ``duplicate``, ``too_large``, ``record``, ``encrypted``, ``password`` …),
            so tests and callers can tell failures apart without parsing the message.
    """

    def __init__(self, message: str, *, problem: str) -> None:
        super().__init__(message)
        self.problem = problem


class ExchangeCancelled(Exception):  # noqa: N818 (a cancellation, not an error)
    """The user cancelled an export or import; nothing was written."""
