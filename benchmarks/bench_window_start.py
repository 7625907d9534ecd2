"""Cold start of the window alone: ``python -m clinic_app --start-probe`` beside a bare QMainWindow.

Run by hand (prints figures; asserts nothing)::

    .venv/bin/python benchmarks/bench_window_start.py [--runs 9]

Each run is a fresh process on a fresh copy of the same demo clinic, with per-user folders in a
temporary directory and compiled modules cached there as an installed app has them (``--no-bytecode``
compiles every module on every start, as a checkout under ``PYTHONDONTWRITEBYTECODE=1`` does). Three
kinds of start alternate, after one untimed start of each (disk cache):

- ``cli``: ``python -m clinic_app --start-probe COPY``, the way the app is started (the command-line
  parser and the entry point included), to a painted window whose patient list holds its first results;
- ``child``: ``window_start_child.py app COPY``, the same probe without the command line (the figure
  ``bench_window.py`` reports);
- ``bare``: ``window_start_child.py baseline``, a bare PySide6 ``QMainWindow`` shown and painted;
- ``ref`` (with ``--reference DIR``): ``cli`` from another checkout, for a before / after in one run.

The split shows each phase's median and spread; the password check (argon2, deliberate) is its own
phase, and the total is also given without it, since in use it runs after the clinician presses Enter.
"""

# ruff: noqa: E402 (the per-user folders are set before anything reads them)
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORK = Path(tempfile.mkdtemp(prefix="runready-bench-start-"))
for _name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(WORK / _name.lower())
os.environ["QT_QPA_PLATFORM"] = "offscreen"
HERE = Path(__file__).resolve().parent
CHILD = HERE / "window_start_child.py"
sys.path.insert(0, str(HERE))

from window_start_child import child_environment

Stamps = dict[str, float]
COMMANDS = {
    "cli": lambda copy: [sys.executable, "-m", "clinic_app", "--start-probe", str(copy)],
    "ref": lambda copy: [sys.executable, "-m", "clinic_app", "--start-probe", str(copy)],
    "child": lambda copy: [sys.executable, str(CHILD), "app", str(copy)],
    "bare": lambda copy: [sys.executable, str(CHILD), "baseline"],
}
PHASES = (
    ("interpreter start", "spawn", "started"),
    ("imports (PySide6 + app)", "started", "imports"),
    ("QApplication", "imports", "qapp"),
    ("open clinic", "qapp", "open"),
    ("sign-in (argon2)", "open", "sign_in"),
    ("window build + show", "sign_in", "built"),
    ("first paint after show", "built", "paint"),
    ("first results after show", "built", "results"),
    ("spawn → usable", "spawn", "usable"),
)


def demo_clinic() -> Path:
    """Build the demo clinic once (the copies every start opens)."""
    template = WORK / "demo.sqlite3"
    command = [sys.executable, "-m", "clinic_app", "demo", "--database", f"sqlite:///{template}"]
    subprocess.run(command, capture_output=True, text=True, check=True)
    return template


REFERENCE: list[Path] = []
"""``--reference DIR``: another checkout whose ``clinic_app`` the ``ref`` kind starts (before / after)."""


def spawn(mode: str, template: Path, bytecode: bool) -> Stamps:
    """Copy the clinic, start one process and return its stamps plus ``spawn`` (just before the fork)."""
    copy = WORK / "start.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, copy)
    env = child_environment(WORK, bytecode)
    if mode == "ref":
        env["PYTHONPATH"] = str(REFERENCE[0])
    started = time.monotonic()
    out = subprocess.run(COMMANDS[mode](copy), capture_output=True, text=True, check=True, cwd=WORK,
                         env=env).stdout  # fmt: skip
    stamps: Stamps = json.loads(out.strip().splitlines()[-1])
    stamps["spawn"] = started
    stamps["exited"] = time.monotonic()
    return stamps


def spread(samples: list[float]) -> str:
    """Median, quartiles and range of ``samples`` (ms)."""
    ordered = sorted(samples)
    q1, _, q3 = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else (ordered[0],) * 3
    return (f"median {statistics.median(ordered):6.0f}  IQR {q1:5.0f}–{q3:<5.0f}"
            f" range {ordered[0]:5.0f}–{ordered[-1]:<5.0f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--modes", default="cli,child,bare", help="comma-separated: cli, child, bare")
    parser.add_argument("--reference", type=Path, metavar="DIR",
                        help="also start this checkout's clinic_app (e.g. `git archive` of an older commit) "
                        "as the 'ref' kind, alternating with the others")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile every module on every start (PYTHONDONTWRITEBYTECODE=1)")
    args = parser.parse_args()
    modes = args.modes.split(",")
    if args.reference:
        REFERENCE.append(args.reference.resolve())
        modes.insert(0, "ref")
    import PySide6

    print(f"bench_window_start — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.2f}, Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
          f"{args.runs} runs per kind, bytecode {'compiled every start' if args.no_bytecode else 'cached'}")
    try:
        template = demo_clinic()
        for mode in modes:
            spawn(mode, template, not args.no_bytecode)
        runs: dict[str, list[Stamps]] = {mode: [] for mode in modes}
        for n in range(args.runs):
            for mode in modes if n % 2 == 0 else reversed(modes):
                runs[mode].append(spawn(mode, template, not args.no_bytecode))
        for mode in modes:
            where = f"  (PYTHONPATH={REFERENCE[0]})" if mode == "ref" else ""
            print(f"\n{mode}: {' '.join(COMMANDS[mode](Path('COPY'))[1:])}{where}")
            for label, first, last in PHASES:
                phase = [(s[last] - s[first]) * 1000 for s in runs[mode] if first in s and last in s]
                if phase:
                    print(f"   {label:<26} {spread(phase)} ms")
            if "sign_in" in runs[mode][0]:
                net = [(s["usable"] - s["spawn"] - (s["sign_in"] - s["open"])) * 1000 for s in runs[mode]]
                print(f"   {'usable without argon2':<26} {spread(net)} ms")
            print(f"   {'process exit after usable':<26} "
                  f"{spread([(s['exited'] - s['usable']) * 1000 for s in runs[mode]])} ms")
        bare = statistics.median([(s["usable"] - s["spawn"]) * 1000 for s in runs.get("bare", [])] or [0])
        print()
        for mode in (m for m in modes if m != "bare"):
            total = [(s["usable"] - s["spawn"]) * 1000 for s in runs[mode]]
            med = statistics.median(total)
            ratio = f"{med / bare:.2f}× bare ({bare:.0f} ms)" if bare else "no bare run"
            verdict = "met" if med <= 1500 and bare and med / bare <= 2 else "NOT MET"
            print(f"{mode}: cold start median {med:.0f} ms, {ratio}; target ≤ 1500 ms and ≤ 2×: {verdict}")
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
