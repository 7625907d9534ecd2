"""What a mutating service changed, so views can refresh only what concerns them (STYLE.md habit 2)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Changes:
    """The outcome of one mutating user action.

    Attributes:
        summary: a short past-tense label ("Signed visit V-3F2A"), for status bars and undo menus.
        patient_ids: patients whose record or visit list changed.
        visit_ids: visits whose content, status or decisions changed.
        clinician_ids: clinician profiles created or changed.
        created_id: id of the record the action created, if any.
        visit_versions: new version of each changed visit; the UI keeps it for the next save.
    """

    summary: str
    patient_ids: frozenset[str] = field(default_factory=frozenset)
    visit_ids: frozenset[str] = field(default_factory=frozenset)
    clinician_ids: frozenset[str] = field(default_factory=frozenset)
    created_id: str | None = None
    visit_versions: tuple[tuple[str, int], ...] = ()

    def touches_patient(self, patient_id: str) -> bool:
        """True when the action changed this patient or one of her visits."""
        return patient_id in self.patient_ids

    def touches_visit(self, visit_id: str) -> bool:
        """True when the action changed this visit."""
        return visit_id in self.visit_ids

    def version_of(self, visit_id: str) -> int | None:
        """Return the visit's version after the action, or None when it did not change."""
        return dict(self.visit_versions).get(visit_id)
