"""Screenshots of every page and dialog: ``python -m clinic_app.ui.screenshots --out DIR``.

Builds the demo clinic in a temporary folder, opens the window offscreen, and writes one PNG per page
and dialog — main window, patient page, every battery, the proposal panel for each outcome, the
override, sign, conflict, sign-in, lock, patient and keyboard dialogs, export and the import's dry
run — at 1280×800, once at 100 % and once with the text scaled to 150 % (the app's UI-scale
preference). The file names say what each shows (``100/03-battery-diastasis.png``). Nothing touches
the user's own data folders.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZE = (1280, 800)


def _isolate(folder: Path) -> None:
    """Send every per-user folder into ``folder`` (before anything reads them)."""
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        (folder / name.lower()).mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(folder / name.lower())
    os.environ.pop("CLINIC_APP_DATABASE_URL", None)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def take(out: Path, scale: float) -> list[Path]:
    """Write every screenshot at one text scale into ``out``; return the files written."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialog, QWidget

    from clinic_app.domain.model import Results
    from clinic_app.services import patients, visits
    from clinic_app.services.clinic import open_clinic
    from clinic_app.services.demo import build_demo
    from clinic_app.services.errors import ConflictError
    from clinic_app.services.journal import DraftJournal
    from clinic_app.services.session import sign_in
    from clinic_app.ui.app import build_context, start_window
    from clinic_app.ui.keyboard import KeyboardDialog
    from clinic_app.ui.mainwindow import MainWindow
    from clinic_app.ui.patients.dialog import PatientDialog
    from clinic_app.ui.signin import SignInDialog
    from clinic_app.ui.tasks import SyncTaskRunner
    from clinic_app.ui.visit.conflict import ConflictDialog
    from clinic_app.ui.visit.decisions import OverrideDialog
    from clinic_app.ui.visit.sign import SignDialog

    app = QApplication.instance() or QApplication(["runready-screenshots"])
    assert isinstance(app, QApplication)
    base_font = app.font()
    font = app.font()
    font.setPointSizeF(base_font.pointSizeF() * scale)
    app.setFont(font)

    work = Path(tempfile.mkdtemp(prefix="runready-shots-"))
    db = open_clinic(f"sqlite:///{work / 'clinic.sqlite3'}")
    summary = build_demo(db)
    clinician = patients.list_clinicians(db)[0]
    user = sign_in(db, clinician.id, summary.password)
    ctx = build_context(
        db, url=None, user=user, tasks=SyncTaskRunner(), journal=DraftJournal(work / "journal")
    )
    ctx.database_label = "Demo clinic (temporary copy)"
    window = start_window(ctx, show=True)
    assert isinstance(window, MainWindow)
    window.resize(*SIZE)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def settle() -> None:
        QTest.qWait(40)  # let layouts, zero-delay timers and queued signals finish before grabbing

    def shot(name: str, widget: QWidget | None = None) -> None:
        settle()
        window.resize(*SIZE)  # a page that needs more than 1280×800 shows here as a wider shot
        settle()
        target = out / f"{name}.png"
        (widget or window).grab().save(str(target))
        written.append(target)

    def dialog_shot(name: str, dialog: QDialog, prepare: Callable[[], None] | None = None) -> None:
        dialog.show()
        if prepare is not None:
            prepare()
        shot(name, dialog)
        dialog.done(0)
        dialog.deleteLater()

    # Main window with the patient list
    window.search.refresh()
    shot("01-main-window-patient-list")
    window.search_box.setText("zoe")
    window.search.refresh()
    shot("02-main-window-search-zoe")

    # Patient page
    first = summary.outcomes[0]
    window.open_patient(str(visits.get_visit(db, first.visit_id).patient_id))
    shot("03-patient-page")

    # Every battery of an unsigned visit with values
    draft = next(o for o in summary.outcomes if not o.signed and o.expected == "READY_WITH_CAUTIONS")
    window.open_visit("", draft.visit_id)
    for index, form_id in enumerate(window.editor.pages):
        window.editor.show_battery(form_id)
        shot(f"10-battery-{index + 1:02d}-{form_id}")

    # Bad values at the field, then a refused save with its summary
    window.editor.show_battery("diastasis")
    page = window.editor.pages["diastasis"]
    page.set_values({"diastasis.unit": "cm", "diastasis.ird_umbilicus_curl": "31"})
    window.editor._on_values_changed("diastasis")
    window.editor.evaluate_now()
    shot("20-battery-diastasis-bad-value-at-field")
    window.editor.save()
    shot("21-save-refused-summary")
    window.editor.discard_changes()

    # The proposal panel for each outcome
    seen: set[str] = set()
    for outcome in summary.outcomes:
        if outcome.expected in seen:
            continue
        seen.add(outcome.expected)
        window.open_visit("", outcome.visit_id)
        shot(f"30-proposal-{outcome.expected.lower()}")

    # Dialogs on the draft visit
    window.open_visit("", draft.visit_id)
    record = window.editor.record
    evaluation = window.editor.evaluation
    assert record is not None and evaluation is not None and evaluation.decision is not None
    dialog_shot(
        "40-override-dialog",
        OverrideDialog(window.editor, ctx, str(record.visit.id), record.visit.version, evaluation.decision),
    )
    dialog_shot(
        "41-sign-dialog",
        SignDialog(
            window.editor,
            ctx,
            str(record.visit.id),
            record.visit.version,
            patient_name=record.patient.display_name,
            visit_date=record.visit.visit_date,
            final_status=evaluation.decision.status,
        ),
    )
    typed = {str(k): v for k, v in record.visit.results.items()}
    stored = dict(typed)
    changed = list(typed)[:3]
    for path in changed:
        stored[path] = "changed elsewhere"
    dialog_shot("42-conflict-dialog", ConflictDialog(window.editor, typed, stored, window.editor._label_of))
    _ = ConflictError, Results  # the conflict path itself is tested in tests/ui/visit

    dialog_shot("43-new-patient-dialog", PatientDialog(ctx, parent=window))
    errors = PatientDialog(ctx, parent=window)

    def bad_patient() -> None:
        errors.save()  # nothing filled in: the services' messages appear at each field

    dialog_shot("44-new-patient-dialog-errors", errors, bad_patient)
    dialog_shot("45-keyboard-dialog", KeyboardDialog(window))
    signin = SignInDialog(db, ctx.tasks, database_label=ctx.database_label)
    signin.resize(520, 380)
    dialog_shot("46-sign-in-dialog", signin)

    preview_shots(window, ctx, summary, shot)
    settings_shots(window, ctx, shot)

    from clinic_app.ui.session.shots import runner_shots  # the test runner (its own module)

    runner_shots(window, summary, shot)

    from clinic_app.ui.visit.comparison import comparison_shots  # the follow-up comparison

    comparison_shots(window, ctx, shot)

    from clinic_app.ui.exchange.shots import exchange_shots  # File → Export… and Import…

    exchange_shots(window, ctx, summary, shot)

    # Lock screen
    window.lock()
    shot("50-locked")
    window.lock_screen.form.password.setText(summary.password) if hasattr(
        window.lock_screen.form, "password"
    ) else None

    window.close()
    ctx.tasks.shutdown()
    db.dispose()
    app.setFont(base_font)
    return written


def preview_shots(window: Any, ctx: Any, summary: Any, shot: Callable[..., None]) -> None:
    """The report preview (a signed summary, a draft with its warning), its print and batch dialogs."""
    from PySide6.QtTest import QTest

    from clinic_app.ui.reports.batch import ReportBatchDialog
    from clinic_app.ui.reports.preview import ReportPreviewDialog

    signed = next(o for o in summary.outcomes if o.signed)
    draft = next(o for o in summary.outcomes if not o.signed)
    for name, visit_id, kind in (
        ("60-preview-clinician-summary-signed", signed.visit_id, "clinician"),
        ("61-preview-patient-report-draft", draft.visit_id, "patient"),
    ):
        dialog = ReportPreviewDialog(window, ctx, visit_id, kind)
        dialog.resize(1100, 760)
        dialog.show()
        dialog.start()
        QTest.qWait(600)  # Qt PDF paints its pages on threads of its own
        shot(name, dialog)
        dialog.done(0)
    batch = ReportBatchDialog(window, ctx)
    batch.show()
    shot("62-preview-batch-dialog", batch)
    batch.done(0)


def settings_shots(window: Any, ctx: Any, shot: Callable[..., None]) -> None:
    """Every page of Preferences, and refused values shown at their fields."""
    from clinic_app.ui.preferences.dialog import PreferencesDialog

    dialog = PreferencesDialog(window, ctx)
    dialog.show()
    for index, name in enumerate(("clinic", "reports-and-visits", "database", "clinicians")):
        dialog.tabs.setCurrentIndex(index)
        shot(f"70-settings-{index + 1}-{name}", dialog)
    dialog.fields.set_text("clinic_phone", "ring the bell")
    dialog.fields.set_text("ui_scale", "300 %")
    dialog.save()
    shot("75-settings-refused-values", dialog)
    dialog.done(0)


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots at 100 % and 150 % into DIR/100 and DIR/150."""
    parser = argparse.ArgumentParser(prog="python -m clinic_app.ui.screenshots", description=__doc__)
    parser.add_argument("--out", required=True, type=Path, help="folder for the PNG files")
    parser.add_argument("--scale", type=float, action="append", help="text scale (default: 1.0 and 1.5)")
    args = parser.parse_args(argv)
    _isolate(Path(tempfile.mkdtemp(prefix="runready-shots-home-")))
    count = 0
    for scale in args.scale or [1.0, 1.5]:
        folder = args.out / f"{round(scale * 100)}"
        files = take(folder, scale)
        count += len(files)
        print(f"{len(files)} screenshots at {round(scale * 100)} % in {folder}")
    return 0 if count else 1


if __name__ == "__main__":
    sys.exit(main())
