"""``--start-probe CLINIC_FILE``: start to a usable window once, print when each phase ended, and quit.

The cold-start benchmarks time the real start path — imports, QApplication, opening the clinic,
the password check, building and showing the main window, its first paint and the first patient
search results — in the source checkout and in the packaged bundle alike, so this lives in the app
rather than in a benchmark script the bundle would not carry.

It signs in without a dialog, so it refuses anything but a demo clinic (whose password is public
and printed at sign-in anyway) and never touches a real clinic's records. Times are
``time.monotonic()`` stamps: on Linux that clock is shared by every process, so the parent's stamp
taken just before the spawn is comparable.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, TextIO

STARTED = time.monotonic()


class ProbeRefusedError(RuntimeError):
    """The file is not a demo clinic: the probe will not sign in to it."""


def watch_first_paint(window: Any, stamps: dict[str, float], done: Any) -> Any:
    """Stamp ``paint`` when the event loop is next free after the window's first paint event."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaintWatcher(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
            if event.type() == QEvent.Type.Paint and "paint_event" not in stamps:
                stamps["paint_event"] = time.monotonic()
                QTimer.singleShot(0, self.painted)
            return False

        def painted(self) -> None:
            stamps["paint"] = time.monotonic()  # the whole paint pass of that frame has run
            done()

    watcher = FirstPaintWatcher()
    window.installEventFilter(watcher)
    return watcher


def probe_start(path: str, started: float = STARTED) -> dict[str, float]:
    """Start the window on the demo clinic at ``path`` and return the phase stamps.

    Args:
        path: a SQLite demo clinic file.
        started: the earliest stamp of this process (the import of this module by default).

    Raises:
        ProbeRefusedError: ``path`` is not a demo clinic.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import importlib

    # In the order the app imports them: the services (SQLAlchemy) before Qt (see clinic_app.ui.app).
    from clinic_app.services.clinic import open_clinic
    from clinic_app.services.demo import is_demo, load_demo_spec
    from clinic_app.services.patients import list_clinicians
    from clinic_app.services.session import sign_in
    from clinic_app.ui.app import build_context, start_window

    # isort: split
    from PySide6.QtWidgets import QApplication

    from clinic_app.ui.settings import APPLICATION_NAME, ORGANISATION_NAME

    importlib.import_module("clinic_app.ui.mainwindow")  # start_window imports it on first use
    stamps = {"started": started, "imports": time.monotonic()}
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(APPLICATION_NAME)
    app.setOrganizationName(ORGANISATION_NAME)
    stamps["qapp"] = time.monotonic()
    url = f"sqlite:///{path}"
    db = open_clinic(url)
    spec = load_demo_spec()
    if not is_demo(db, spec):
        db.dispose()
        raise ProbeRefusedError(f"{path} is not a demo clinic; the start probe only signs in to one.")
    stamps["open"] = time.monotonic()
    user = sign_in(db, list_clinicians(db)[0].id, str(spec["demo"]["password"]))
    stamps["sign_in"] = time.monotonic()
    ctx = build_context(db, url=url, user=user)
    window = start_window(ctx, show=False)
    stamps["constructed"] = time.monotonic()

    def check() -> None:
        if "paint" in stamps and "results" in stamps:
            app.quit()

    def arrived(count: int) -> None:
        stamps.setdefault("results", time.monotonic())
        stamps["rows"] = count
        check()

    window.search.results_did_arrive.connect(arrived)  # type: ignore[attr-defined]
    watcher = watch_first_paint(window, stamps, check)
    window.show()
    stamps["built"] = time.monotonic()
    app.exec()
    del watcher
    stamps["usable"] = max(stamps["paint"], stamps["results"])
    ctx.tasks.shutdown()
    return stamps


def entry_started() -> float:
    """The entry point's own first stamp (``clinic_app.__main__.STARTED``), else this module's import.

    Started as ``python -m clinic_app --start-probe``, the imports of the command line come before
    this module's; the entry point stamps the time before any of them so they are counted.
    """
    stamp = getattr(sys.modules.get("__main__"), "STARTED", None)
    return stamp if isinstance(stamp, float) and stamp <= STARTED else STARTED


def run_probe(path: str, out: TextIO | None = None) -> int:
    """Print the stamps as one JSON line and return 0; 1 with a message when the probe is refused."""
    try:
        stamps = probe_start(path, entry_started())
    except ProbeRefusedError as error:
        print(error, file=sys.stderr)
        return 1
    print(json.dumps(stamps), file=out or sys.stdout, flush=True)
    return 0
