"""The dry-run preview: counts first, one row per differing visit, Import only once each has a choice."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from clinic_app.exchange.plan import ImportPlan, Resolution, VisitConflict
from clinic_app.ui.exchange.preview import CHOOSE_EACH, ImportPreviewDialog


def _plan(conflicts: int) -> ImportPlan:
    return ImportPlan(
        "clinic.rrbundle",
        "ab" * 32,
        1,
        "2026-12-02T09:15:00+00:00",
        "RunReady Clinic 0.1.0",
        visits_unchanged=12,
        conflicts=tuple(
            VisitConflict(
                f"V-000{n}-1",
                f"P-000{n}",
                "2026-10-30",
                "draft",
                "signed",
                ("1 value differs: S2 Single-leg bridge (left): 44 reps here, 24 reps in the bundle",),
                f"Patient {n}",
            )
            for n in range(1, conflicts + 1)
        ),
    )


def test_import_waits_until_every_differing_visit_has_a_choice(qtbot: QtBot) -> None:
    """Two conflicts: Import is off and says why until both are chosen, then on with both choices."""
    dialog = ImportPreviewDialog(_plan(2))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.import_button.isEnabled() and dialog.status.text() == CHOOSE_EACH
    first, second = dialog.choices.values()
    first.setCurrentIndex(first.findData(Resolution.KEEP))
    assert not dialog.import_button.isEnabled()
    second.setCurrentIndex(second.findData(Resolution.THEIRS))
    assert dialog.import_button.isEnabled() and dialog.status.text() == ""
    assert dialog.resolutions() == {"V-0001-1": Resolution.KEEP, "V-0002-1": Resolution.THEIRS}


def test_the_head_gives_counts_and_each_conflict_its_patient_date_and_values(qtbot: QtBot) -> None:
    """The summary is short; a conflict row names the patient, the date in words and what differs."""
    dialog = ImportPreviewDialog(_plan(1))
    qtbot.addWidget(dialog)
    dialog.show()
    assert "1 in conflict" in dialog.summary.text() and "SHA-256" not in dialog.summary.text()
    shown = "\n".join(label.text() for label in dialog.findChildren(type(dialog.summary)))
    assert "Patient 1, visit of 30 Oct 2026 (draft here, signed in the bundle)" in shown
    assert "44 reps here, 24 reps in the bundle" in shown
    assert Resolution.THEIRS.explanation in shown


def test_the_whole_plan_is_one_click_away(qtbot: QtBot) -> None:
    """The details (checksum, every line of the plan) are hidden until she asks for them."""
    dialog = ImportPreviewDialog(_plan(0))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.text.isHidden() and not dialog.choices
    dialog.details_button.click()
    assert dialog.text.isVisible() and "SHA-256 " + "ab" * 32 in dialog.text.toPlainText()
    assert not dialog.import_button.isEnabled()  # nothing in this plan would change anything
