"""Screenshots of File → Export… and File → Import… for ``python -m clinic_app.ui.screenshots`` (``90-…``).

The export dialog as opened from a patient's file, refusing differing passwords and after writing
a bundle; the dry run's progress window; and the dry run's preview of that bundle after the draft
visit was changed here, so the preview shows a conflict waiting for her choice. The bundle goes to a
temporary folder.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clinic_app.services import exchange
from clinic_app.ui.exchange.dryrun import DryRunDialog
from clinic_app.ui.exchange.export import ExportDialog, OpenPatient
from clinic_app.ui.exchange.preview import ImportPreviewDialog


def exchange_shots(window: Any, ctx: Any, summary: Any, shot: Callable[..., None]) -> None:
    """Shoot the export dialog's states, the dry run's progress and a preview with one conflict."""
    bundle = Path(tempfile.mkdtemp(prefix="runready-exchange-shots-")) / "clinic.rrbundle"
    export = ExportDialog(ctx, window, patient=OpenPatient("P-0002", "Łucja Żmuda"))
    export.show()
    shot("90-export-dialog", export)
    export.path_edit.setText(str(bundle))
    export.encrypt_box.setChecked(True)
    export.password_edit.setText("first try")
    export.repeat_edit.setText("second try")
    export.start()
    shot("91-export-passwords-differ", export)
    export.encrypt_box.setChecked(False)
    export.password_edit.clear()
    export.repeat_edit.clear()
    export.start()  # the screenshots run on the synchronous runner: written when start() returns
    shot("92-export-written", export)
    export.done(0)

    dry_run = DryRunDialog(ctx, bundle, None, window)
    dry_run.show()
    dry_run._show_progress(37, 100)  # a moment part-way through the check, without running it
    shot("93-import-dry-run-progress", dry_run)
    dry_run.done(0)

    draft = next(o for o in summary.outcomes if not o.signed)
    window.open_visit("", draft.visit_id)
    page = window.editor.pages["strength"]
    page.widget_for("strength.bridge.left").input_for("strength.bridge.left").setText("44")
    window.editor.save()  # the bundle's copy of this visit now differs from the clinic's
    plan = exchange.plan_import(ctx.db, bundle)
    preview = ImportPreviewDialog(plan, window)
    preview.show()
    shot("94-import-preview-conflict", preview)
    preview.done(0)
