"""Field-level validation errors shared by every layer that checks user input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class FieldError:
    """One problem with one input, addressed by its path so a UI can route it to its widget.

    Attributes:
        path: dotted path of the offending value (``results.diastasis.ird_umbilicus_rest``).
        message: a sentence a physiotherapist understands, naming the field and the fix.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"
