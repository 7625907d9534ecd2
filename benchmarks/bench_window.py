"""Window benchmark, offscreen: start-up, batteries, live checks, proposal, search, opening a patient.

Run by hand (prints figures beside baselines measured in the same run; asserts nothing)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_window.py

1. cold start to a usable window, a fresh process per run (``window_start_child.py``) / bare QMainWindow;
2. ``editor.show_battery`` until the page is painted / a bare stack with as many plain line edits;
3. ``QTest.keyClick`` → the field's message / the same keystroke into a plain ``QLineEdit``;
4. a change → the proposal panel updated, status alternating / ``services.editing.evaluate`` alone;
5. typing searches over 100,000 patients (``bench_storage.py``'s cached clinic), the real task runner,
   a 5 ms heartbeat for the GUI thread's longest gap / the same searches run on the GUI thread;
6. ``window.open_patient`` with 20 visits until painted / ``services.patients.open_patient``.

Real ``TaskRunner`` and per-user folders in a temporary directory. What a change leaves queued (layout,
repaint) is run (``drain``) before the next thing is timed, so no figure carries another's paint.
"""

# ruff: noqa: E402 (the per-user folders are set before Qt and the app are imported)
from __future__ import annotations

import datetime as dt
import gc
import itertools
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

WORK = Path(tempfile.mkdtemp(prefix="runready-bench-window-"))
for _name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(WORK / _name.lower())
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_storage
import PySide6
import window_start_child
from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QWidget
from window_start_child import ms, pad_none_refcount, pct

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.domain.model import Delivery
from clinic_app.services import editing, patients, visits
from clinic_app.services.clinic import open_clinic
from clinic_app.services.demo import baseline_results, build_demo
from clinic_app.services.journal import DraftJournal
from clinic_app.services.session import sign_in
from clinic_app.storage.migrate import head_revision
from clinic_app.ui.app import build_context, start_window
from clinic_app.ui.settings import WindowSettings

CLINICIAN, PASSWORD, TODAY = "C-DEMO-1", "runready-demo", dt.date(2026, 11, 2)
ROWS: list[tuple[str, ...]] = []


def fresh_settings(name: str) -> WindowSettings:
    """A settings file of the window's own: default size and docks, nothing left by an earlier window."""
    return WindowSettings(QSettings(str(WORK / f"{name}.ini"), QSettings.Format.IniFormat))


def row(measure: str, figure: str, baseline: str, ratio: float, target: str, met: bool | None) -> None:
    verdict = "—" if met is None else "met" if met else "NOT MET"
    ROWS.append((measure, figure, baseline, f"{ratio:.2f}×", target, verdict))
    print(f"  → {' | '.join(ROWS[-1])}")


def run_loop(until: Callable[[], bool], signal: object = None, timeout_ms: int = 30_000) -> None:
    """Run a local event loop until ``signal`` fires with ``until()`` true (no signal: for ``timeout_ms``)."""
    loop, timer = QEventLoop(), QTimer()
    timer.setSingleShot(True)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(loop.quit)
    check = lambda *_: until() and loop.quit()  # noqa: E731
    if signal is not None:
        signal.connect(check)  # type: ignore[attr-defined]
    if signal is None or not until():
        timer.start(timeout_ms)
        loop.exec()
    if signal is not None:
        signal.disconnect(check)  # type: ignore[attr-defined]
        wait_until(until, 0)


def pause(ms_: int) -> None:
    run_loop(lambda: True, timeout_ms=ms_)


def wait_until(done: Callable[[], bool], timeout_s: float = 30.0) -> None:
    """Untimed waits: run the event loop in 1 ms steps until ``done()``."""
    end = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > end:
            raise RuntimeError("timed out waiting for the window")
        QTest.qWait(1)


def drain() -> None:
    """Run what a change left queued: layout, repaint, and the further rounds a pass may queue.

    Passes run until two in a row take under 0.3 ms (a message shown resizes its page, which repaints).
    """
    quiet, passes = 0, 0
    while quiet < 2 and passes < 100:
        passes, started = passes + 1, time.perf_counter()
        QApplication.processEvents()
        quiet = quiet + 1 if time.perf_counter() - started < 0.0003 else 0


def until_idle(done: Callable[[], bool]) -> None:
    """Process events until ``done()`` (GUI-thread work only: spinning takes nothing from anyone)."""
    while not done():
        QApplication.processEvents()


class Paints(QObject):
    """Counts paint events of one widget, so every 'painted' figure is known to include a paint."""

    forced: ClassVar[dict[str, int]] = {}

    def __init__(self, widget: QWidget, name: str) -> None:
        super().__init__(widget)
        self.widget, self.name, self.count = widget, name, 0
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Count, never consume."""
        self.count += event.type() == QEvent.Type.Paint
        return False

    def painted(self) -> None:
        """Drain the queue; when that painted nothing of the widget, paint it now."""
        before = self.count
        drain()
        if self.count == before:
            Paints.forced[self.name] = Paints.forced.get(self.name, 0) + 1
            self.widget.repaint()


def cold_start(template: Path, runs: int = 7) -> None:
    print("\n1. Cold start to a usable window (fresh process each run)")
    med, p90, bmed, bp90 = window_start_child.cold_start_report(template, WORK, runs)
    row("1 cold start → usable window", f"median {med:.0f} ms, p90 {p90:.0f} ms",
        f"bare QMainWindow median {bmed:.0f}, p90 {bp90:.0f} ms", med / bmed,
        "≤ 1500 ms and ≤ 2×", p90 <= 1500 and med / bmed <= 2)


def add_heavy_patient(db: object) -> tuple[str, list[str]]:
    """A patient delivered on 2026-06-01 with 20 complete weekly visits (the demo's passing values)."""
    user = sign_in(db, CLINICIAN, PASSWORD)  # type: ignore[arg-type]
    delivery = Delivery(dt.date(2026, 6, 1), DeliveryMode.SPONTANEOUS_VAGINAL, PerinealTrauma.NONE, 1)
    pid = str(patients.create_patient(
        db, family_name="Benchmark", given_names="Twenty", date_of_birth=dt.date(1990, 1, 1),  # type: ignore[arg-type]
        user=user, record_number="RR-BENCH-20", today=TODAY, delivery=delivery,
    ).created_id)
    days = [dt.date(2026, 6, 22) + dt.timedelta(weeks=k) for k in range(20)]
    return pid, [str(visits.create_visit(
        db, pid, day, user=user, results=baseline_results(), today=TODAY,  # type: ignore[arg-type]
    ).created_id) for day in days]


def open_patient_bench(window: QMainWindow, db: object, pid: str, other: str, runs: int = 60) -> None:
    print("\n6. Open a patient with 20 visits until her history is painted (real task runner)")
    page = window.patient_page  # type: ignore[attr-defined]
    paints, app_ms, base_ms = Paints(page.table.viewport(), "visit history"), [], []

    def showing(patient_id: str, count: int | None = None) -> Callable[[], bool]:
        return lambda: (page.file is not None and str(page.file.patient.id) == patient_id
                        and count in (None, page.model.rowCount()))

    for n in range(runs + 5):
        window.open_patient(other)  # type: ignore[attr-defined]  # someone else first, untimed
        run_loop(showing(other), page.model.modelReset)
        drain()
        started = time.perf_counter()
        window.open_patient(pid)  # type: ignore[attr-defined]
        run_loop(showing(pid, 20), page.model.modelReset)
        paints.painted()
        elapsed = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        file = patients.open_patient(db, pid)  # type: ignore[arg-type]
        base = (time.perf_counter() - started) * 1000
        if n >= 5 and len(file.summaries) == 20:
            app_ms.append(elapsed)
            base_ms.append(base)
    p95 = pct(app_ms, 0.95)
    row("6 open patient (20 visits) → painted", ms(app_ms), f"open_patient alone {ms(base_ms)}",
        p95 / pct(base_ms, 0.95), "p95 ≤ 150 ms", p95 <= 150)


def battery_bench(window: QMainWindow, rounds: int = 21) -> None:
    print("\n2. Switching battery until the page is painted (first round, the first layout, not counted)")
    editor = window.editor  # type: ignore[attr-defined]
    bare, nav, stack = QtWidgets.QSplitter(), QtWidgets.QListWidget(), QtWidgets.QStackedWidget()
    bare.addWidget(nav)
    bare.addWidget(stack)
    for form_id, page in editor.pages.items():
        plain = QWidget()
        layout = QtWidgets.QFormLayout(plain)
        for k in range(page.field_count()):
            layout.addRow(f"{form_id} field {k}", QLineEdit())
        stack.addWidget(plain)
        nav.addItem(form_id)
    nav.currentRowChanged.connect(stack.setCurrentIndex)
    bare.resize(window.size())
    bare.show()
    sides = [(editor.show_battery, {f: Paints(p.scroll_area.widget(), f) for f, p in editor.pages.items()}),
             (lambda f: nav.setCurrentRow(list(editor.pages).index(f)),
              {f: Paints(stack.widget(k), f"bare {f}") for k, f in enumerate(editor.pages)})]
    times: list[dict[str, list[float]]] = [{f: [] for f in editor.pages} for _ in sides]
    for n in range(rounds):
        for form_id in editor.pages:
            for side, (switch, paints) in enumerate(sides):
                drain()
                started = time.perf_counter()
                switch(form_id)
                paints[form_id].painted()
                if n:
                    times[side][form_id].append((time.perf_counter() - started) * 1000)
            assert editor.current_form_id() == form_id
    for form_id, samples in times[0].items():
        print(f"   {form_id:<16} {editor.pages[form_id].field_count():3d} fields  app {ms(samples)}   "
              f"bare {ms(times[1][form_id])}")
    app_all, bare_all = ([s for v in side.values() for s in v] for side in times)
    worst = max(times[0], key=lambda f: pct(times[0][f], 0.95))
    p95 = pct(times[0][worst], 0.95)
    row("2 switch battery → painted", f"all {ms(app_all)}; worst p95 {p95:.1f} ms ({worst})",
        f"bare stack {ms(bare_all)}", pct(app_all, 0.95) / pct(bare_all, 0.95), "≤ 50 ms", p95 <= 50)
    bare.close()


def keystroke_bench(window: QMainWindow, runs: int = 220) -> None:
    print("\n3. Keystroke → message at the field (history.height_cm, 120–210 cm: '9' makes 1669)")
    editor = window.editor  # type: ignore[attr-defined]
    editor.show_battery("history")
    field = editor.pages["history"].widget_for("history.height_cm")
    edit, plain = field.input_for("history.height_cm"), QLineEdit()  # plain: a window of its own
    plain.show()
    plain.setText("166")
    edit.setFocus()
    edit.setText("166")
    until_idle(lambda: not field.errors())
    set_ms, shown_ms, base_ms, message = [], [], [], {}
    for n in range(runs + 20):
        drain()
        edit.end(False)
        started = time.perf_counter()
        QTest.keyClick(edit, Qt.Key.Key_9)
        until_idle(lambda: bool(field.errors()))
        elapsed = (time.perf_counter() - started) * 1000
        drain()  # the message laid out and painted
        shown = (time.perf_counter() - started) * 1000
        message = field.errors() if edit.text() == "1669" else {}
        QTest.keyClick(edit, Qt.Key.Key_Backspace)
        until_idle(lambda: not field.errors())
        drain()
        plain.end(False)
        started = time.perf_counter()
        QTest.keyClick(plain, Qt.Key.Key_9)
        drain()
        base = (time.perf_counter() - started) * 1000
        QTest.keyClick(plain, Qt.Key.Key_Backspace)
        if n >= 20 and message:
            set_ms.append(elapsed)
            shown_ms.append(shown)
            base_ms.append(base)
    print(f"   {len(set_ms)} keystrokes; message: {message!r:.90}")
    print(f"   until the message is also laid out and painted: {ms(shown_ms)}")
    p95 = pct(set_ms, 0.95)
    row("3 keystroke → field message set", ms(set_ms), f"plain QLineEdit, painted {ms(base_ms)}",
        p95 / pct(base_ms, 0.95), "p95 ≤ 16 ms", p95 <= 16)
    plain.deleteLater()


def proposal_bench(window: QMainWindow, runs: int = 220) -> None:
    print("\n4. Change → proposal panel updated (history.weight_kg 61.5 ↔ 165: READY ↔ with cautions)")
    editor, panel = window.editor, window.proposal  # type: ignore[attr-defined]
    edit = editor.pages["history"].widget_for("history.weight_kg").input_for("history.weight_kg")
    done: list[float] = []
    statuses: list[str] = []

    def after_panel(_evaluation: object) -> None:  # connected last: runs after the panel's own slot
        done.append(time.perf_counter())
        statuses.append(str(panel.decision.status) if panel.decision else "none")

    editor.evaluation_did_change.connect(after_panel)
    app_ms, shown_ms, base_ms = [], [], []
    for n in range(runs + 20):
        drain()
        before = len(done)
        started = time.perf_counter()
        edit.setText("165" if n % 2 == 0 else "61.5")
        until_idle(lambda before=before: len(done) > before)
        elapsed = (done[-1] - started) * 1000
        drain()
        shown = (time.perf_counter() - started) * 1000
        results = editing.clean_values(editor.binder.collect())
        started = time.perf_counter()
        editing.evaluate(editor.record, results)
        if n >= 20:
            base_ms.append((time.perf_counter() - started) * 1000)
            app_ms.append(elapsed)
            shown_ms.append(shown)
    editor.evaluation_did_change.disconnect(after_panel)
    flips = sum(a != b for a, b in itertools.pairwise(statuses))
    print(f"   statuses {sorted(set(statuses))}: {flips} changes of status in {len(statuses)} evaluations")
    print(f"   until the panel is also laid out and painted: {ms(shown_ms)}")
    if flips < len(statuses) - 1:
        raise RuntimeError("the proposal status did not alternate: this would time a no-op")
    p95 = pct(app_ms, 0.95)
    row("4 change → proposal panel shown", ms(app_ms), f"editing.evaluate alone {ms(base_ms)}",
        p95 / pct(base_ms, 0.95), "p95 ≤ 100 ms", p95 <= 100)


def demo_window(template: Path) -> None:
    copy = WORK / "demo-window.sqlite3"
    shutil.copyfile(template, copy)
    db = open_clinic(f"sqlite:///{copy}")
    pid, visit_ids = add_heavy_patient(db)
    ctx = build_context(db, url=None, user=sign_in(db, CLINICIAN, PASSWORD), journal=DraftJournal(WORK / "j"))
    window = start_window(ctx, settings=fresh_settings("demo"))
    try:
        wait_until(lambda: window.patient_model.rowCount() > 1)  # type: ignore[attr-defined]
        other = next(str(p.id) for p in (window.patient_model.patient_at(r) for r in range(2))  # type: ignore[attr-defined]
                     if str(p.id) != pid)
        open_patient_bench(window, db, pid, other)
        window.open_visit(pid, visit_ids[-1])  # type: ignore[attr-defined]
        editor = window.editor  # type: ignore[attr-defined]
        wait_until(lambda: editor.visit_id == visit_ids[-1])
        battery_bench(window)
        keystroke_bench(window)
        proposal_bench(window)
        editor.discard_changes()
        wait_until(lambda: ctx.tasks.pending == 0 and not editor.dirty)
        window.close()
    finally:
        ctx.tasks.shutdown()
        db.dispose()


def search_bench(rounds: int = 3) -> None:
    print("\n5. Searching 100,000 patients: the GUI thread's longest gap (real task runner)")
    cache = Path(tempfile.gettempdir()) / "runready-bench"  # bench_storage.py's cache and file name
    cache.mkdir(parents=True, exist_ok=True)
    key = f"{bench_storage.SEED}-g{bench_storage.GENERATOR}-{head_revision()}"
    clinic = bench_storage.generate(cache / f"clinic-100000-300000-{key}.sqlite3", 100_000, 300_000)
    gc.collect()
    gc.freeze()  # the benchmark's 100,000-entry lists are not the app's garbage
    shutil.copyfile(clinic.path, WORK / "big.sqlite3")
    db = open_clinic(f"sqlite:///{WORK / 'big.sqlite3'}")
    patients.add_clinician(db, name="Bench", password=PASSWORD, actor_id="system", clinician_id="C-WIN")
    ctx = build_context(db, url=None, user=sign_in(db, "C-WIN", PASSWORD), journal=DraftJournal(WORK / "j5"))
    window = start_window(ctx, settings=fresh_settings("search"))
    search, box = window.search, window.search_box  # type: ignore[attr-defined]
    paints = Paints(window.patient_view.viewport(), "patient list")  # type: ignore[attr-defined]
    i, j, k = 17, 4242, 77_777
    texts = ["o se", f"{clinic.family[i]} {clinic.given[i]}".lower(), clinic.born[j].isoformat(),
             clinic.ids[k][:8].lower(), "maria kow", "rr-5123", clinic.family[k].lower(), "nguy"]
    intervals = (90, 150, 60, 200, 110, 130, 70)  # ms between keystrokes: some longer than the debounce
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    latency: list[float] = []
    typed: list[str] = []
    try:
        wait_until(lambda: window.patient_model.rowCount() > 0)  # type: ignore[attr-defined]
        pause(500)
        if not window.patient_view.isVisible():  # type: ignore[attr-defined]
            raise RuntimeError("the patient list is hidden: searching would paint nothing")
        heartbeat.start(5)
        pause(2000)
        idle = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
        ticks.clear()
        for r, (t, text) in itertools.product(range(rounds), enumerate(texts)):
            for c in range(1, len(text) + 1):
                started = time.perf_counter()
                box.setText(text[:c])
                typed.append(text[:c])
                if c < len(text):
                    pause(intervals[(r + t + c) % len(intervals)])
            run_loop(lambda text=text: not search.pending and search.text == text, search.results_did_arrive)
            paints.painted()
            latency.append((time.perf_counter() - started) * 1000)
            pause(300)
        heartbeat.stop()
        gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
        blocked, finals = [], []
        for text in typed + texts:
            started = time.perf_counter()
            patients.search_patients(db, text, limit=search.limit)
            (blocked if len(blocked) < len(typed) else finals).append((time.perf_counter() - started) * 1000)
        slowest = typed[max(range(len(typed)), key=blocked.__getitem__)]
        print(f"   {len(typed)} keystrokes, {len(latency)} searches; heartbeat with nothing to do: "
              f"max {max(idle):.1f} ms, p99 {pct(idle, 0.99):.1f} ms")
        print(f"   heartbeat while searching: max {max(gaps):.1f} ms, p99 {pct(gaps, 0.99):.1f} ms, "
              f"{sum(g > 50 for g in gaps)} of {len(gaps)} gaps > 50 ms")
        print(f"   search_patients on the GUI thread per keystroke: {ms(blocked)}, max {max(blocked):.1f} ms "
              f"({slowest!r}), {sum(b > 50 for b in blocked)} of {len(blocked)} > 50 ms")
        row("5 GUI-thread gap, searching 100k", f"max {max(gaps):.1f} ms, p99 {pct(gaps, 0.99):.1f} ms",
            f"searches on the GUI thread max {max(blocked):.1f}, p99 {pct(blocked, 0.99):.1f} ms",
            max(gaps) / max(blocked), "max gap ≤ 50 ms", max(gaps) <= 50)
        row("5 last keystroke → results painted", ms(latency), f"the final searches alone {ms(finals)}",
            statistics.median(latency) / statistics.median(finals), "— (120 ms debounce included)", None)
        window.close()
    finally:
        ctx.tasks.shutdown()
        db.dispose()


def main() -> None:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    print(f"bench_window — {dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, PySide6 {PySide6.__version__} (Qt {PySide6.QtCore.qVersion()}), "
          f"SQLite {sqlite3.sqlite_version}, Qt platform {app.platformName()}")
    print(f"PySide6 reference leak on None: {pad_none_refcount()}")
    template = WORK / "demo.sqlite3"
    db = open_clinic(f"sqlite:///{template}")
    build_demo(db)
    db.dispose()
    try:
        cold_start(template)
        demo_window(template)
        search_bench()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    print(f"\npainted with repaint() because draining the queue painted nothing: {Paints.forced or 'never'}")
    print("\n| measure | figure | baseline (same run) | ratio | target | |\n|---|---|---|---|---|---|")
    for line in ROWS:
        print(f"| {' | '.join(line)} |")


if __name__ == "__main__":
    main()
