"""Bundle size and cold start of the packaged app beside the source run (issue 15's speed figures).

Run by hand (it builds the bundle first unless given one):

    .venv/bin/python benchmarks/bench_bundle.py [--bundle dist/bundle/runready-clinic] [--runs 7]

Prints the bundle's size on disk and its three largest parts, then the cold start to a usable window
(first paint and first patient results) of the frozen executable and of ``python -m clinic_app``,
each started with ``--start-probe`` on a copy of the same demo clinic, alternating, after one untimed
start of each to warm the disk cache.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def folder_size(path: Path) -> int:
    """Bytes on disk of every file below ``path`` (symlinks not followed)."""
    files = (entry for entry in path.rglob("*") if entry.is_file() and not entry.is_symlink())
    return sum(entry.stat().st_size for entry in files)


def largest_parts(internal: Path, count: int = 3) -> list[tuple[str, int]]:
    """The biggest top-level entries of the bundle's ``_internal`` folder (PySide6's Qt split out)."""
    parts: dict[str, int] = {}
    for entry in internal.iterdir():
        if entry.name == "PySide6":
            qt = entry / "Qt"
            for sub in qt.iterdir():
                parts[f"PySide6/Qt/{sub.name}"] = folder_size(sub) if sub.is_dir() else sub.stat().st_size
            rest = folder_size(entry) - sum(v for k, v in parts.items() if k.startswith("PySide6/"))
            parts["PySide6 (bindings)"] = rest
        else:
            parts[entry.name] = folder_size(entry) if entry.is_dir() else entry.stat().st_size
    return sorted(parts.items(), key=lambda item: -item[1])[:count]


def build_bundle(out: Path) -> Path:
    """Build with packaging/build.sh into ``out``; return the bundle folder."""
    env = {**os.environ, "RUNREADY_VENV_EXTRAS": "test,package"}
    result = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), str(out)], env=env,
                            capture_output=True, text=True, check=True)  # fmt: skip
    return Path(result.stdout.strip().splitlines()[-2])


def demo_clinic(work: Path) -> Path:
    """A demo clinic file built once, copied for every start."""
    template = work / "demo.sqlite3"
    command = [sys.executable, "-m", "clinic_app", "demo", "--database", f"sqlite:///{template}"]
    subprocess.run(command, capture_output=True, text=True, check=True)
    return template


def start_once(command: list[str], template: Path, work: Path) -> float:
    """Copy the demo clinic, start ``command --start-probe COPY`` and return ms to a usable window."""
    copy = work / "start.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, copy)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    spawned = time.monotonic()
    out = subprocess.run([*command, "--start-probe", str(copy)], cwd=work, env=env,
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    stamps = json.loads(out.strip().splitlines()[-1])
    return (stamps["usable"] - spawned) * 1000


def main() -> None:
    """Print the size and start-up figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, help="an already built bundle folder")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as name:
        work = Path(name)
        bundle = args.bundle or build_bundle(work / "dist")
        total = folder_size(bundle)
        print(f"bundle {bundle}: {total / 2**20:.0f} MB on disk")
        for part, size in largest_parts(bundle / "_internal"):
            print(f"   {part:<28} {size / 2**20:6.1f} MB ({size / total:.0%})")
        tarballs = list(bundle.parent.parent.glob("*.tar.gz"))
        for tarball in tarballs:
            print(f"tarball {tarball.name}: {tarball.stat().st_size / 2**20:.0f} MB")
        template = demo_clinic(work)
        frozen = [str(bundle / "runready-clinic")]
        source = [sys.executable, "-m", "clinic_app"]
        start_once(frozen, template, work), start_once(source, template, work)
        times: dict[str, list[float]] = {"bundle": [], "source": []}
        for n in range(args.runs):
            order = [("bundle", frozen), ("source", source)]
            for label, command in order if n % 2 == 0 else reversed(order):
                times[label].append(start_once(command, template, work))
        med_b, med_s = statistics.median(times["bundle"]), statistics.median(times["source"])
        print(f"cold start → usable window, median of {args.runs}:")
        for label, med in (("bundle", med_b), ("source", med_s)):
            low, high = min(times[label]), max(times[label])
            print(f"   {label}  {med:6.0f} ms   (min {low:.0f}, max {high:.0f})")
        print(f"   ratio bundle / source: {med_b / med_s:.2f}×")


if __name__ == "__main__":
    main()
