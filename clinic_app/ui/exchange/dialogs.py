"""File → Export… and File → Import…: the two entry functions the main window's menu calls.

The services do the work on the database worker (``ctx.tasks``); they report progress from that
thread through a signal (queued onto the GUI thread) and poll a thread-safe flag for cancellation.
Choosing files and asking questions go through module functions and :mod:`clinic_app.ui.ask`, which
tests replace.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from clinic_app.exchange import crypto
from clinic_app.exchange.plan import ImportPlan
from clinic_app.services import exchange
from clinic_app.ui import ask
from clinic_app.ui.context import AppContext
from clinic_app.ui.exchange.dryrun import DryRunDialog
from clinic_app.ui.exchange.export import ExportDialog, OpenPatient, choose_export_path
from clinic_app.ui.exchange.preview import ImportPreviewDialog


def choose_import_path(parent: QWidget | None) -> str:
    """Ask which bundle to import (tests replace this)."""
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Import a bundle", "", "RunReady bundles (*.rrbundle *.zip *.enc);;All files (*)"
    )
    return chosen


__all__ = ["ExportDialog", "OpenPatient", "choose_export_path", "export_from_window", "import_into_window"]


def export_from_window(
    window: QWidget | None, ctx: AppContext, patient: OpenPatient | None = None
) -> ExportDialog:
    """File → Export…: show the export dialog (offering ``patient``, the one open); returns it for tests."""
    dialog = ExportDialog(ctx, window, patient=patient)
    ask.run_dialog(dialog)
    return dialog


def import_into_window(window: QWidget | None, ctx: AppContext) -> DryRunDialog | None:
    """File → Import…: choose a bundle, run the dry run (progress, Cancel), import what the user confirms.

    Returns:
        The dry run's window (tests drive it), or None when no bundle was chosen.
    """
    chosen = choose_import_path(window)
    if not chosen or ctx.user is None:
        return None
    path = Path(chosen)
    password = None
    if path.is_file() and crypto.is_encrypted(path):
        password = ask.ask_password(window, "Import", f"Password of {path.name}:")
        if password is None:
            return None
    user = ctx.user

    def show_plan(plan: ImportPlan) -> None:
        preview = ImportPreviewDialog(plan, window)
        if not ask.run_dialog(preview):
            return
        outcomes: list[exchange.ImportOutcome] = []
        resolutions = preview.resolutions()

        def run_import() -> object:
            # Returns the Changes, so the window refreshes what the import touched.
            outcome = exchange.import_bundle(
                ctx.db,
                path,
                user,
                resolutions=resolutions,
                password=password,
                expected_checksum=plan.checksum,
            )
            outcomes.append(outcome)
            return outcome.changes

        def imported(_changes: object) -> None:
            outcome = outcomes[-1]
            ask.show_info(
                window,
                "Import",
                f"Imported {path.name}: {len(outcome.plan.visits_added)} visits added, "
                f"{len(outcome.amended)} amendments, {outcome.report_files} report PDF"
                f"{'' if outcome.report_files == 1 else 's'} kept.",
            )

        ctx.tasks.run_op(run_import, success=imported, failure=failed, label="Importing…")

    def failed(error: BaseException) -> None:
        ask.show_error(window, "Import", str(error))

    dry_run = DryRunDialog(ctx, path, password, window)
    dry_run.plan_did_finish.connect(show_plan)
    dry_run.dry_run_did_fail.connect(lambda message: ask.show_error(window, "Import", message))
    dry_run.open()
    dry_run.start()
    return dry_run
