"""What an import would do, as plain data: the dry run's answer and the choices it asks for.

The same plan is shown by the command line (``import FILE --dry-run``) and by the window's preview
dialog; the import itself recomputes it inside its transaction and refuses to go on while a visit
that differs from the bundle's copy has no explicit choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from clinic_app.domain.dates import day_text, moment_text


class Resolution(StrEnum):
    """What to do with a visit that exists here and differs in the bundle."""

    KEEP = "keep"
    """Leave this clinic's visit as it is; the bundle's copy is not imported."""
    THEIRS = "theirs"
    """Import the bundle's copy as an amendment of this clinic's visit (which is kept, marked amended)."""

    @property
    def label(self) -> str:
        """The choice as the preview dialog offers it."""
        return RESOLUTION_WORDS[self][0]

    @property
    def explanation(self) -> str:
        """What the choice does, in one sentence."""
        return RESOLUTION_WORDS[self][1]


RESOLUTION_WORDS: dict[Resolution, tuple[str, str]] = {
    Resolution.KEEP: (
        "Keep this clinic's visit",
        "this clinic's visit stays as it is and the bundle's copy is not imported",
    ),
    Resolution.THEIRS: (
        "Take theirs as an amendment",
        "the bundle's copy becomes an amendment; this clinic's visit is kept, marked amended",
    ),
}
"""Each choice's label and what it does, as the import's preview dialog offers them."""


@dataclass(frozen=True, slots=True)
class PatientMatch:
    """A bundle patient found in this clinic, and how."""

    bundle_id: str
    local_id: str
    how: str
    """``id``, ``record number`` or ``name and date of birth``."""
    name: str
    differences: tuple[str, ...] = ()
    """Details that differ (this clinic's are kept), in words."""


@dataclass(frozen=True, slots=True)
class VisitConflict:
    """A visit present here and different in the bundle: the user decides, never a silent overwrite."""

    visit_id: str
    patient_id: str
    visit_date: str
    local_status: str
    bundle_status: str
    differences: tuple[str, ...]
    patient_name: str = ""
    """The patient's name in this clinic (empty when the record lacks one)."""

    def heading(self) -> str:
        """Whose visit and when: ``Łucja Żmuda, visit of 30 Oct 2026 (draft here, signed in the bundle)``."""
        who = f"{self.patient_name}, visit" if self.patient_name else "Visit"
        return (
            f"{who} of {day_text(self.visit_date)} ({self.local_status} here, "
            f"{self.bundle_status} in the bundle)"
        )


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """The dry run of one bundle against this clinic."""

    file_name: str
    checksum: str
    schema_version: int
    created_at: str
    made_by: str
    clinicians_added: tuple[str, ...] = ()
    clinicians_unchanged: int = 0
    patients_added: tuple[str, ...] = ()
    matches: tuple[PatientMatch, ...] = ()
    deliveries_added: int = 0
    deliveries_unchanged: int = 0
    visits_added: tuple[str, ...] = ()
    visits_unchanged: int = 0
    conflicts: tuple[VisitConflict, ...] = ()
    audit_events: int = 0
    report_files: int = 0
    """Report PDFs the bundle carries (each once, however many records name it)."""
    reports_with_new_visits: int = 0
    """Report records of the visits to add that would keep their PDF from the bundle."""
    reports_for_visits_here: int = 0
    """Report records of visits already here (and the same) that lack their PDF and would get it."""
    reports_in_conflicts: int = 0
    """Report records of the bundle's copies of visits in conflict that would keep their PDF, if taken."""
    notes: tuple[str, ...] = field(default=())

    @property
    def changes_anything(self) -> bool:
        """True when importing would add or amend something."""
        return bool(
            self.clinicians_added
            or self.patients_added
            or self.deliveries_added
            or self.visits_added
            or self.conflicts
            or self.reports_for_visits_here
        )

    def unresolved(self, resolutions: dict[str, Resolution]) -> list[VisitConflict]:
        """Return the conflicts without a choice in ``resolutions``."""
        return [c for c in self.conflicts if c.visit_id not in resolutions]

    def summary_lines(self) -> list[str]:
        """The plan in a few sentences (counts only), for the head of the preview dialog."""
        return self._sentences(detailed=False)

    def lines(self) -> list[str]:
        """The plan in plain sentences with every match and conflict, for a terminal and the details."""
        return self._sentences(detailed=True)

    def _sentences(self, *, detailed: bool) -> list[str]:
        out = [
            f"Bundle {self.file_name}: schema {self.schema_version}, "
            f"written {moment_text(self.created_at)} by {self.made_by}."
        ]
        if detailed:
            out.append(f"SHA-256 {self.checksum}.")
        out.append(
            f"Clinicians: {len(self.clinicians_added)} to add, {self.clinicians_unchanged} already here."
        )
        out.append(f"Patients: {len(self.patients_added)} to add, {len(self.matches)} already here.")
        for match in self.matches if detailed else ():
            same = "" if match.bundle_id == match.local_id else f" as {match.local_id}"
            out.append(f"  {match.name} ({match.bundle_id}) matched{same} by {match.how}.")
            out.extend(f"    differs: {text} (this clinic's kept)" for text in match.differences)
        out.append(f"Births: {self.deliveries_added} to add, {self.deliveries_unchanged} already here.")
        out.append(
            f"Visits: {len(self.visits_added)} to add, {self.visits_unchanged} already here and the same, "
            f"{len(self.conflicts)} in conflict."
        )
        for conflict in self.conflicts if detailed else ():
            out.append(
                f"  CONFLICT {conflict.visit_id}: {conflict.heading()}: {'; '.join(conflict.differences)}"
            )
        out.append(f"Audit events to copy: {self.audit_events}.")
        out.extend(self._report_lines())
        out.extend(self.notes)
        if not self.changes_anything:
            out.append("Nothing to import: everything in the bundle is already here.")
        return out

    def _report_lines(self) -> list[str]:
        """What becomes of the bundle's report PDFs, counted per report record that would keep one."""
        out = [f"Report PDFs in the bundle: {self.report_files}."]
        if self.reports_with_new_visits:
            out.append(f"{_pdfs(self.reports_with_new_visits)} would be kept with the visits to add.")
        if self.reports_for_visits_here:
            out.append(f"{_pdfs(self.reports_for_visits_here)} would be added to visits already here.")
        if self.reports_in_conflicts:
            out.append(
                f"{_pdfs(self.reports_in_conflicts)} would come with visits in conflict, "
                "if you take the bundle's copy."
            )
        if self.report_files and not (
            self.reports_with_new_visits or self.reports_for_visits_here or self.reports_in_conflicts
        ):
            out.append("No report PDFs would be added: this clinic keeps them already.")
        return out


def _pdfs(count: int) -> str:
    return f"{count} report PDF{'' if count == 1 else 's'}"
