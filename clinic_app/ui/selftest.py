"""``runready-clinic --self-test``: prove an installed copy has everything it needs, in a few seconds.

A wheel or a PyInstaller bundle can miss a data file (a form, a font, a migration) or a Qt plugin
(platform, PDF, print support, image formats) and still import. The self-test walks the path a
clinic takes on the first day — open a database, migrate it, build the demo clinic, open the main
window, render every report kind, show a PDF with Qt PDF, print through Qt's print support, and
round-trip an export bundle when this build can export — inside a throw-away data folder, so the
user's own clinic, settings and logs are never touched.

It prints one line per step with its time and exits 0; the first failing step is named and the
process exits 1. Steps run in order and each builds on the one before, so the first failure is
the one to fix.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

EXIT_OK = 0
EXIT_FAILED = 1
_USER_FOLDERS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


class SelfTestError(RuntimeError):
    """A step ran but found something wrong (as opposed to raising on its own)."""


@dataclass
class SelfTest:
    """The shared state of one self-test run: its folder, the open clinic, the window.

    Attributes:
        folder: the temporary data folder (removed by :func:`run_self_test`).
        out: where the step lines go.
        state: what earlier steps produced for later ones (database, demo summary, PDFs…).
    """

    folder: Path
    out: TextIO
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The throw-away clinic database inside the self-test folder."""
        return f"sqlite:///{self.folder / 'clinic.sqlite3'}"


Step = Callable[[SelfTest], str]


# --- the steps --------------------------------------------------------------------------------------


def step_data_files(test: SelfTest) -> str:
    """The forms, report wording and fonts are where the installed copy looks for them."""
    from clinic_app import resources
    from clinic_app.assessment import load_forms

    catalogue = load_forms()
    fonts = [entry.name for entry in (resources.reports_folder() / "fonts").iterdir()]
    if not any(name.endswith(".ttf") for name in fonts):
        raise SelfTestError("no fonts in reports/fonts")
    return f"{len(catalogue)} forms, {len(fonts)} font files"


def step_open_database(test: SelfTest) -> str:
    """A new SQLite clinic file is created and migrated to the newest schema revision."""
    from clinic_app.services.clinic import open_clinic, schema_revision

    db = open_clinic(test.url)
    test.state["db"] = db
    return f"schema {schema_revision(db)}"


def step_demo_clinic(test: SelfTest) -> str:
    """The demo clinic is built (patients, visits, decisions, sign-offs)."""
    from clinic_app.services.demo import build_demo

    summary = build_demo(test.state["db"])
    test.state["demo"] = summary
    return f"{summary.patients} patients, {summary.visits} visits"


def step_reports(test: SelfTest) -> str:
    """Each report kind renders for a demo visit (fonts, letterhead and charts are all found)."""
    from clinic_app.reporting import ReferralNotNeededError, ReportKind
    from clinic_app.services.reports import build_stored_report

    db = test.state["db"]
    visits = [outcome.visit_id for outcome in test.state["demo"].outcomes]
    sizes: list[str] = []
    for kind in ReportKind:
        for visit_id in visits:
            try:
                pdf = build_stored_report(db, visit_id, kind)
            except ReferralNotNeededError:
                continue
            if not pdf.startswith(b"%PDF"):
                raise SelfTestError(f"the {kind.value} report is not a PDF")
            test.state[f"pdf.{kind.value}"] = pdf
            sizes.append(f"{kind.value} {len(pdf) // 1024} KB")
            break
        else:
            raise SelfTestError(f"no demo visit produced a {kind.value} report")
    return ", ".join(sizes)


def _application() -> Any:
    """The QApplication, created offscreen on first use (the self-test never needs a screen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["runready-clinic", "--self-test"])
    return app


def step_main_window(test: SelfTest) -> str:
    """The main window opens on the demo clinic, signed in as its first clinician."""
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest

    from clinic_app.services.demo import load_demo_spec
    from clinic_app.services.patients import list_clinicians
    from clinic_app.services.session import sign_in
    from clinic_app.ui.app import build_context, start_window
    from clinic_app.ui.settings import WindowSettings

    app = _application()
    db = test.state["db"]
    password = str(load_demo_spec()["demo"]["password"])
    user = sign_in(db, list_clinicians(db)[0].id, password)
    settings = WindowSettings(QSettings(str(test.folder / "window.conf"), QSettings.Format.IniFormat))
    ctx = build_context(db, url=test.url, user=user, settings=settings, log_folder=test.folder / "log")
    test.state["ctx"] = ctx
    window = start_window(ctx, settings=settings)
    test.state["window"] = window
    if not QTest.qWaitForWindowExposed(window, 5000):
        raise SelfTestError("the main window was not shown within 5 s")
    QTest.qWait(50)
    if window.grab().isNull():
        raise SelfTestError("the main window could not be drawn")
    return f"{app.platformName()} platform, {window.width()}×{window.height()}"


def step_pdf_view(test: SelfTest) -> str:
    """Qt PDF loads the clinician summary (what the report preview shows)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument

    _application()
    data = QByteArray(test.state["pdf.clinician"])
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise SelfTestError(f"Qt PDF could not read the report ({document.error().name})")
    image = document.render(0, QSize(400, 566))
    if image.isNull():
        raise SelfTestError("Qt PDF could not draw the first page")
    pages = document.pageCount()
    document.close()
    return f"{pages} pages"


def step_print_support(test: SelfTest) -> str:
    """Qt's print support writes a page through QPrinter (the path Print takes)."""
    from PySide6.QtGui import QPainter
    from PySide6.QtPrintSupport import QPrinter

    _application()
    target = test.folder / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    painter = QPainter()
    if not painter.begin(printer):
        raise SelfTestError("QPrinter refused to start a page")
    painter.drawText(100, 100, "RunReady Clinic self-test")
    painter.end()
    if not target.read_bytes().startswith(b"%PDF"):
        raise SelfTestError("QPrinter wrote no PDF")
    return f"{printer.resolution()} dpi"


def step_image_formats(test: SelfTest) -> str:
    """The image plug-ins the app uses (PNG for logos, SVG for the icon) are present."""
    from PySide6.QtGui import QImageReader

    _application()
    formats = {bytes(name.data()).decode() for name in QImageReader.supportedImageFormats()}
    missing = sorted({"png", "jpg", "svg"} - formats)
    if missing:
        raise SelfTestError(f"missing Qt image plug-ins: {', '.join(missing)}")
    return ", ".join(sorted(formats & {"png", "jpg", "svg", "bmp"}))


def step_exchange(test: SelfTest) -> str:
    """An export bundle of the demo clinic imports whole into an empty clinic (when this build exports)."""
    if importlib.util.find_spec("clinic_app.services.exchange") is None:
        return "skipped: this build has no export"
    from clinic_app.services import exchange
    from clinic_app.services.clinic import open_clinic

    bundle = test.folder / "self-test.rrbundle"
    exported = exchange.export_bundle(test.state["db"], bundle)
    empty = open_clinic(f"sqlite:///{test.folder / 'imported.sqlite3'}")
    try:
        plan = exchange.plan_import(empty, bundle)
        if len(plan.visits_added) != exported.visits:
            raise SelfTestError(f"the dry run would add {len(plan.visits_added)} of {exported.visits} visits")
        outcome = exchange.import_bundle(empty, bundle, test.state["ctx"].user)
        again = exchange.export_bundle(empty, test.folder / "again.rrbundle")
    finally:
        empty.dispose()
    if (again.patients, again.visits) != (exported.patients, exported.visits):
        raise SelfTestError("the re-exported clinic differs from the one exported")
    size = bundle.stat().st_size // 1024
    return f"{exported.patients} patients, {len(outcome.plan.visits_added)} visits, {size} KB"


def step_close(test: SelfTest) -> str:
    """The window closes and the database worker stops cleanly."""
    window = test.state.pop("window", None)
    ctx = test.state.get("ctx")
    if window is not None:
        window.close()
        window.deleteLater()
    if ctx is not None:
        ctx.tasks.shutdown()
    return "closed"


STEPS: tuple[tuple[str, Step], ...] = (
    ("data files", step_data_files),
    ("open and migrate a new database", step_open_database),
    ("build the demo clinic", step_demo_clinic),
    ("render every report kind", step_reports),
    ("open the main window", step_main_window),
    ("show a PDF with Qt PDF", step_pdf_view),
    ("print through Qt print support", step_print_support),
    ("Qt image plug-ins", step_image_formats),
    ("export and re-import a bundle", step_exchange),
    ("close the window", step_close),
)


# --- the run ---------------------------------------------------------------------------------------


def _isolate(folder: Path) -> dict[str, str | None]:
    """Point the per-user folders at ``folder`` so nothing of the user's is read or written."""
    saved = {name: os.environ.get(name) for name in (*_USER_FOLDERS, "CLINIC_APP_DATABASE_URL")}
    for name in _USER_FOLDERS:
        path = folder / name.removeprefix("XDG_").removesuffix("_HOME").lower()
        path.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(path)
    os.environ.pop("CLINIC_APP_DATABASE_URL", None)
    return saved


def _restore(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def run_self_test(out: TextIO | None = None, steps: tuple[tuple[str, Step], ...] = STEPS) -> int:
    """Run every step in a temporary data folder; return 0 when all pass, 1 at the first failure.

    Args:
        out: where the lines go (standard output by default).
        steps: the steps to run (tests pass a shorter or failing list).
    """
    out = out or sys.stdout
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="runready-self-test-") as name:
        test = SelfTest(Path(name), out)
        saved = _isolate(test.folder)
        try:
            for title, step in steps:
                begun = time.perf_counter()
                try:
                    detail = step(test)
                except Exception as error:  # every failure is reported, by step
                    elapsed = (time.perf_counter() - begun) * 1000
                    print(f"FAILED  {title} ({elapsed:.0f} ms): {type(error).__name__}: {error}", file=out)
                    traceback.print_exc(file=sys.stderr)
                    print(f"Self-test failed at the step '{title}'.", file=out)
                    return EXIT_FAILED
                elapsed = (time.perf_counter() - begun) * 1000
                print(f"ok      {title} ({elapsed:.0f} ms) — {detail}", file=out, flush=True)
        finally:
            _shutdown(test)
            _restore(saved)
    total = time.perf_counter() - started
    print(f"Self-test passed: {len(steps)} steps in {total:.1f} s.", file=out)
    return EXIT_OK


def _shutdown(test: SelfTest) -> None:
    """Close whatever the steps left open, even after a failure (the folder is removed next)."""
    with contextlib.suppress(Exception):  # already failing or finished; the folder goes next anyway
        step_close(test)
    db = test.state.pop("db", None)
    if db is not None:
        db.dispose()
