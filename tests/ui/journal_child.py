"""Child process for the kill-and-restore test: open a visit in the real window, type, wait, be killed.

Usage: python journal_child.py DB_URL JOURNAL_DIR VISIT_ID VALUES_JSON PASSWORD
Prints ``JOURNALED`` once the recovery journal holds every typed value, then waits to be killed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    """Type the values into the open visit and keep running until killed."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from clinic_app.services import patients
    from clinic_app.services.clinic import open_clinic
    from clinic_app.services.journal import DraftJournal
    from clinic_app.services.session import sign_in
    from clinic_app.ui.context import AppContext
    from clinic_app.ui.mainwindow import MainWindow
    from clinic_app.ui.tasks import TaskRunner
    from tests.ui.entry import enter

    url, journal_dir, visit_id, values_json, password = sys.argv[1:6]
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(values_json).items()}
    app = QApplication(sys.argv[:1])
    db = open_clinic(url)
    user = sign_in(db, patients.list_clinicians(db)[0].id, password)
    journal = DraftJournal(Path(journal_dir))
    ctx = AppContext(db=db, tasks=TaskRunner(), journal=journal, user=user)
    window = MainWindow(ctx)
    window.show()
    window.open_visit("", visit_id)
    while window.editor.visit_id != visit_id:
        QTest.qWait(20)
    editor = window.editor
    for path, value in values.items():
        enter(editor.pages[editor.binder.owner_of(path) or ""], path, value)
    while True:
        entry = journal.read(visit_id)
        if entry is not None and all(entry.values.get(p) == v for p, v in values.items()):
            break
        QTest.qWait(50)
    print("JOURNALED", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
