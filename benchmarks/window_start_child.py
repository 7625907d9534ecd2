"""Cold start for ``bench_window.py``: the child process, and the parent side that spawns it.

As a script, the child starts once to a usable window and prints the phase times.

``window_start_child.py app CLINIC_FILE`` runs :func:`clinic_app.ui.startprobe.probe_start`: imports the
app, opens the clinic file, signs in as the first demo clinician (the argon2 check), builds the window
with ``build_context`` + ``start_window`` and waits until it has been painted once and the patient list
holds its first results.
``window_start_child.py baseline`` shows and paints a bare ``QMainWindow`` the same way.

Prints one JSON line of ``time.monotonic()`` stamps (the clock the parent uses for the spawn), then
leaves at once: tearing down is not part of starting. :func:`cold_starts` (the parent) spawns it.
"""

from __future__ import annotations

import time

STARTED = time.monotonic()

import json  # noqa: E402 (the first stamp comes before every import)
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def baseline() -> dict[str, float]:
    """Show and paint a bare QMainWindow, stamped the same way as the app."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    from clinic_app.ui.startprobe import watch_first_paint

    stamps = {"started": STARTED, "imports": time.monotonic()}
    app = QApplication([sys.argv[0]])
    stamps["qapp"] = time.monotonic()
    window = QMainWindow()
    window.resize(1280, 800)
    watcher = watch_first_paint(window, stamps, app.quit)
    window.show()
    stamps["built"] = time.monotonic()
    app.exec()
    del watcher
    stamps["usable"] = stamps["paint"]
    return stamps


def start_app(path: str) -> dict[str, float]:
    """The app's real start path, shared with the bundle benchmark (``--start-probe``)."""
    from clinic_app.ui.startprobe import probe_start

    return probe_start(path, STARTED)


# --- the parent side -----------------------------------------------------------------------------------

Stamps = dict[str, float]
PHASES = (
    ("interpreter start", "spawn", "started"),
    ("imports (PySide6 + app)", "started", "imports"),
    ("QApplication", "imports", "qapp"),
    ("open clinic", "qapp", "open"),
    ("sign-in (argon2)", "open", "sign_in"),
    ("window build + show", "sign_in", "built"),
    ("first paint after show", "built", "paint"),
    ("first results after show", "built", "results"),
)
"""Label, first stamp, last stamp: how the start splits."""


def child_environment(work: Path, bytecode: bool = True) -> dict[str, str]:
    """The children's environment: compiled modules cached in ``work/pycache``, as an installed app has.

    A checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (some CI and sandbox images set it) has no
    ``.pyc`` for the app, so every start would compile its ~200 modules again (~0.5 s); an installed
    app or the bundle never does. The first, untimed start of each kind fills the cache. With
    ``bytecode=False`` every start compiles (to show that cost).
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache-unused")
    return env


def spawn(mode: str, template: Path, work: Path) -> Stamps:
    """Copy the clinic, start one child and return its stamps plus ``spawn`` (just before the fork)."""
    import shutil
    import subprocess

    copy = work / "start.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, copy)
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, __file__, mode, str(copy)], capture_output=True, text=True, check=True,
        env=child_environment(work),
    ).stdout
    stamps: Stamps = json.loads(out.strip().splitlines()[-1])
    stamps["spawn"] = started
    return stamps


def cold_starts(template: Path, work: Path, runs: int) -> tuple[list[Stamps], list[Stamps]]:
    """One untimed start of each (the disk cache), then ``runs`` of each alternating: app, baseline."""
    spawn("app", template, work), spawn("baseline", template, work)
    app_runs, base_runs = [], []
    for n in range(runs):
        for mode in ("app", "baseline") if n % 2 == 0 else ("baseline", "app"):
            (app_runs if mode == "app" else base_runs).append(spawn(mode, template, work))
    return app_runs, base_runs


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def ms(samples: list[float]) -> str:
    import statistics

    return f"median {statistics.median(samples):.1f}, p95 {pct(samples, 0.95):.1f} ms"


def cold_start_report(template: Path, work: Path, runs: int) -> tuple[float, float, float, float]:
    """Print how the app's start splits; return its median and p90 and the bare window's, in ms."""
    import statistics

    app_runs, base_runs = cold_starts(template, work, runs)
    for label, first, last in PHASES:
        phase = [(s[last] - s[first]) * 1000 for s in app_runs]
        bare = [(s[last] - s[first]) * 1000 for s in base_runs if first in s and last in s]
        tail = f"   (bare Qt {statistics.median(bare):5.0f} ms)" if bare else ""
        print(f"   {label:<26} median {statistics.median(phase):6.0f} ms{tail}")
    print(f"   patients listed when usable: {app_runs[0]['rows']:.0f}")
    total, base = ([(s["usable"] - s["spawn"]) * 1000 for s in group] for group in (app_runs, base_runs))
    return statistics.median(total), pct(total, 0.9), statistics.median(base), pct(base, 0.9)


def pad_none_refcount() -> str:
    """Keep ``None`` alive where PySide6 drops a reference to it per void call (6.12.0 on CPython 3.11).

    Without the padding such a run aborts part-way with "none_dealloc: deallocating None" (so would
    the app after enough typing). It changes no timing. Call it with a QApplication running.
    """
    import ctypes

    from PySide6.QtWidgets import QWidget

    probe, before = QWidget(), sys.getrefcount(None)
    for _ in range(1000):
        probe.setObjectName("probe")
    lost = (before - sys.getrefcount(None)) / 1000
    if lost < 0.5 or sys.version_info >= (3, 12):
        return "no"
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    return f"{lost:.0f} reference to None lost per void call (None's count padded for this run)"


def main() -> None:
    stamps = baseline() if sys.argv[1] == "baseline" else start_app(sys.argv[2])
    print(json.dumps(stamps), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()
