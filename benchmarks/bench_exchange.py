"""Exchange benchmark: export and import of a clinic of complete visits, time and peak memory.

Run by hand (it prints figures; the targets are checked and printed, not asserted)::

    .venv/bin/python benchmarks/bench_exchange.py                  # 1,000 and 10,000 visits
    .venv/bin/python benchmarks/bench_exchange.py --sizes 500      # quick look
    .venv/bin/python benchmarks/bench_exchange.py --pdfs           # each visit keeps an 85 KB PDF

Each clinic holds complete visits (every value of ``examples/visit-complete.json``, 153 values, a few
varied per visit), four per patient, each with a birth, a recorded decision and its audit events (with
``--pdfs``, also a report record keeping a PDF of :data:`PDF_BYTES` that hardly compresses, as a real
one); it is generated with bulk INSERTs and cached in the temporary folder. Every measurement runs in a fresh
child process, so its peak RSS (``VmHWM``) is its own:

* **app export**: ``services.exchange.export_bundle`` of the whole clinic;
* **app import**: ``services.exchange.import_bundle`` of that bundle into an empty, migrated clinic
  (both passes: the analysis and the one-transaction write);
* **baseline export**: the same rows read with ``sqlite3`` and written as JSON Lines into a ZIP, the
  least any bundle writer does; **baseline import**: that file's lines parsed and the visits and values
  written with ``sqlite3`` ``executemany`` in one transaction, no checks.

Targets: export of 10,000 visits ≤ 10 s, import ≤ 20 s, and peak RSS that does not grow with the
number of visits (1,000 beside 10,000).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

GENERATOR = 1
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "visit-complete.json"
PASSWORD = "bench-password"
PDF_BYTES = 85 * 1024


def _peak_mib() -> float:
    """This process's peak resident memory in MiB.

    ``VmHWM`` from ``/proc/self/status`` where there is one: Linux carries ``ru_maxrss`` across
    ``exec``, so a child started by a parent that had just generated a 1 GB clinic reported the
    parent's 162 MiB as its own. ``ru_maxrss`` elsewhere.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pdf(visit: int) -> bytes:
    return b"%PDF-1.7\n" + random.Random(visit).randbytes(PDF_BYTES - 16) + b"\n%%EOF\n"


def generate(path: Path, visits: int, pdfs: bool = False) -> None:
    """Write a migrated clinic with ``visits`` complete visits (cached by size, PDFs and generator)."""
    import hashlib

    from sqlalchemy import insert

    from clinic_app.domain.visitfile import flatten_results
    from clinic_app.services.clinic import annotations_for, open_clinic
    from clinic_app.storage.base import search_key, utcnow
    from clinic_app.storage.clinicians import hash_password
    from clinic_app.storage.models import (
        AuditRow,
        ClinicianRow,
        DecisionRow,
        DeliveryRow,
        PatientRow,
        ReportRow,
        ResultRow,
        VisitRow,
    )

    results, errors = flatten_results(json.loads(EXAMPLE.read_text(encoding="utf-8"))["results"])
    assert not errors
    notes = annotations_for(results)
    base = dict(results.items())
    numeric = [k for k, v in base.items() if isinstance(v, int | float) and not isinstance(v, bool)][:12]
    rng = random.Random(7)
    db = open_clinic(f"sqlite:///{path}")
    now = utcnow()
    patients = max(1, visits // 4)
    with db.sessions.begin() as session:
        connection = session.connection()
        connection.execute(
            insert(ClinicianRow),
            {
                "id": "C-1",
                "name": "Bench Clinician",
                "password_hash": hash_password(PASSWORD),
                "created_at": now,
            },
        )
        connection.execute(
            insert(PatientRow),
            [
                {
                    "id": f"P-{p:06d}",
                    "family_name": f"Family{p}",
                    "given_names": "Given",
                    "date_of_birth": dt.date(1990, 1, 1) + dt.timedelta(days=p % 3000),
                    "record_number": f"RR-{p}",
                    "archived": False,
                    "family_key": search_key(f"Family{p}"),
                    "given_key": "given",
                    "record_key": search_key(f"RR-{p}"),
                    "created_at": now,
                    "updated_at": now,
                }
                for p in range(patients)
            ],
        )
        connection.execute(
            insert(DeliveryRow),
            [
                {
                    "id": p + 1,
                    "patient_id": f"P-{p:06d}",
                    "delivery_date": dt.date(2026, 1, 1),
                    "mode": "spontaneous_vaginal",
                    "perineal_trauma": "none",
                    "parity": 1,
                }
                for p in range(patients)
            ],
        )
        for start in range(0, visits, 500):
            batch = range(start, min(visits, start + 500))
            rows, values, decisions, events, reports = [], [], [], [], []
            for v in batch:
                vid, pid = f"V-{v:07d}", f"P-{v % patients:06d}"
                rows.append(
                    {
                        "id": vid,
                        "patient_id": pid,
                        "visit_date": dt.date(2026, 3, 1) + dt.timedelta(days=v % 200),
                        "clinician_id": "C-1",
                        "status": "signed",
                        "version": 2,
                        "amends_id": None,
                        "created_at": now,
                        "updated_at": now,
                        "updated_by": "C-1",
                        "signed_at": now,
                        "signed_by": "C-1",
                        "delivery_id": v % patients + 1,
                    }
                )
                for path_key, value in base.items():
                    if path_key in numeric:
                        value = round(float(value) * rng.uniform(0.8, 1.2), 1)
                    parts = path_key.split(".")
                    field, side = (".".join(parts[:2]), parts[2]) if len(parts) == 3 else (path_key, "")
                    unit, method = notes.get(field, ("", ""))
                    stored = list(value) if isinstance(value, tuple) else value
                    number = (
                        float(value)
                        if isinstance(value, int | float) and not isinstance(value, bool)
                        else None
                    )
                    values.append(
                        {
                            "visit_id": vid,
                            "field_path": field,
                            "side": side,
                            "value": stored,
                            "value_number": number,
                            "unit": unit,
                            "method": method,
                        }
                    )
                decisions.append(
                    {
                        "visit_id": vid,
                        "protocol_id": "default",
                        "protocol_version": "1",
                        "proposed_status": "READY",
                        "decision": {"status": "READY", "reasons": ["all gates met"]},
                        "action": "confirmed",
                        "overrides": [],
                        "final_status": "READY",
                        "comment": "",
                        "decided_by": "C-1",
                        "decided_at": now,
                    }
                )
                events.append(
                    {
                        "occurred_at": now,
                        "actor_id": "C-1",
                        "action": "create",
                        "entity": "visit",
                        "entity_id": vid,
                        "before": None,
                        "after": {"status": "draft"},
                    }
                )
            connection.execute(insert(VisitRow), rows)
            connection.execute(insert(ResultRow), values)
            connection.execute(insert(DecisionRow), decisions)
            connection.execute(insert(AuditRow), events)
            for v in batch if pdfs else ():
                content = _pdf(v)
                sha256 = hashlib.sha256(content).hexdigest()
                reports.append(
                    {
                        "visit_id": f"V-{v:07d}",
                        "kind": "patient",
                        "sha256": sha256,
                        "file_name": f"V-{v:07d}.pdf",
                        "created_by": "C-1",
                        "created_at": now,
                        "content": content,
                    }
                )
            if reports:
                connection.execute(insert(ReportRow), reports)
    db.dispose()


def _clinic(visits: int, pdfs: bool) -> Path:
    from clinic_app.storage.migrate import head_revision

    kind = "-pdfs" if pdfs else ""
    cache = (
        Path(tempfile.gettempdir())
        / f"runready-bench-exchange-{visits}{kind}-g{GENERATOR}-{head_revision()}.sqlite3"
    )
    if not cache.exists():
        partial = cache.with_suffix(".part")
        partial.unlink(missing_ok=True)
        generate(partial, visits, pdfs)
        partial.rename(cache)
    return cache


def _empty(folder: Path) -> Path:
    from clinic_app.services.clinic import open_clinic

    path = folder / "empty.sqlite3"
    open_clinic(f"sqlite:///{path}").dispose()
    return path


# --- children: each prints one JSON line {"seconds": …, "peak_mib": …, "base_mib": …} ----------


def child(task: str, database: Path, bundle: Path) -> dict[str, float]:
    """Run one measured task in this (fresh) process."""
    if task.startswith("app"):
        from clinic_app.services import exchange
        from clinic_app.services.clinic import open_clinic
        from clinic_app.services.session import sign_in

        db = open_clinic(f"sqlite:///{database}")
        base = _peak_mib()
        start = time.perf_counter()
        if task == "app-export":
            exchange.export_bundle(db, bundle, overwrite=True)
        else:
            source = open_clinic(f"sqlite:///{database.with_name('source.sqlite3')}")
            user = sign_in(source, "C-1", PASSWORD)
            source.dispose()
            base = _peak_mib()
            start = time.perf_counter()
            exchange.import_bundle(db, bundle, user)
        seconds = time.perf_counter() - start
        db.dispose()
        return {"seconds": seconds, "peak_mib": _peak_mib(), "base_mib": base}
    base = _peak_mib()
    start = time.perf_counter()
    if task == "raw-export":
        _raw_export(database, bundle)
    else:
        _raw_import(database, bundle)
    return {"seconds": time.perf_counter() - start, "peak_mib": _peak_mib(), "base_mib": base}


def _raw_export(database: Path, bundle: Path) -> None:
    connection = sqlite3.connect(database)
    encode = json.JSONEncoder(separators=(",", ":")).encode
    with (
        zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED, compresslevel=4) as archive,
        archive.open("visits.jsonl", "w", force_zip64=True) as out,
    ):
        visits = connection.execute("SELECT id, patient_id, visit_date, status FROM visits ORDER BY id")
        values = connection.execute(
            "SELECT visit_id, field_path, side, value, unit, method FROM result_values ORDER BY visit_id, id"
        )
        pending = values.fetchone()
        for vid, pid, day, status in visits:
            results: list[dict[str, Any]] = []
            while pending is not None and pending[0] == vid:
                results.append(
                    {
                        "path": pending[1],
                        "side": pending[2],
                        "value": json.loads(pending[3]),
                        "unit": pending[4],
                        "method": pending[5],
                    }
                )
                pending = values.fetchone()
            out.write(
                (
                    encode(
                        {
                            "id": vid,
                            "patient_id": pid,
                            "visit_date": day,
                            "status": status,
                            "results": results,
                        }
                    )
                    + "\n"
                ).encode()
            )
    connection.close()


def _raw_import(database: Path, bundle: Path) -> None:
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("BEGIN")
    with zipfile.ZipFile(bundle) as archive, archive.open("visits.jsonl") as lines:
        batch: list[tuple[Any, ...]] = []
        rows: list[tuple[Any, ...]] = []
        for line in lines:
            visit = json.loads(line)
            batch.append(
                (
                    visit["id"],
                    visit["patient_id"],
                    visit["visit_date"],
                    "C-1",
                    visit["status"],
                    1,
                    "2026-01-01 00:00:00",
                    "2026-01-01 00:00:00",
                    "C-1",
                )
            )
            for r in visit["results"]:
                rows.append(
                    (visit["id"], r["path"], r["side"], json.dumps(r["value"]), r["unit"], r["method"])
                )
            if len(batch) >= 500:
                _flush(connection, batch, rows)
        _flush(connection, batch, rows)
    connection.execute("COMMIT")
    connection.close()


def _flush(connection: sqlite3.Connection, batch: list[tuple[Any, ...]], rows: list[tuple[Any, ...]]) -> None:
    connection.executemany(
        "INSERT INTO visits (id, patient_id, visit_date, clinician_id, status, version, created_at, "
        "updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?)",
        batch,
    )
    connection.executemany(
        "INSERT INTO result_values (visit_id, field_path, side, value, unit, method) VALUES (?,?,?,?,?,?)",
        rows,
    )
    batch.clear()
    rows.clear()


def _run_child(task: str, database: Path, bundle: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", task, str(database), str(bundle)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def measure(visits: int, pdfs: bool = False) -> dict[str, dict[str, float]]:
    """Export and import ``visits`` visits, app and baseline, each in its own process."""
    source = _clinic(visits, pdfs)
    with tempfile.TemporaryDirectory(prefix="bench-exchange-") as name:
        folder = Path(name)
        db = folder / "source.sqlite3"
        shutil.copyfile(source, db)
        bundle = folder / "clinic.rrbundle"
        out = {"app-export": _run_child("app-export", db, bundle)}
        out["bundle_mib"] = {"seconds": bundle.stat().st_size / 1024**2, "peak_mib": 0.0, "base_mib": 0.0}
        target = _empty(folder)
        raw_target = folder / "raw.sqlite3"
        shutil.copyfile(target, raw_target)
        out["app-import"] = _run_child("app-import", target, bundle)
        raw_bundle = folder / "raw.zip"
        out["raw-export"] = _run_child("raw-export", db, raw_bundle)
        out["raw-import"] = _run_child("raw-import", raw_target, raw_bundle)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--pdfs", action="store_true", help="each visit keeps one report PDF")
    parser.add_argument("--child", nargs=3, metavar=("TASK", "DB", "BUNDLE"))
    args = parser.parse_args()
    if args.child:
        task, database, bundle = args.child
        print(json.dumps(child(task, Path(database), Path(bundle))))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {size: measure(size, args.pdfs) for size in sizes}
    print(
        f"{'visits':>8} | {'app export s':>12} {'raw s':>6} {'ratio':>6} | {'app import s':>12} {'raw s':>6} "
        f"{'ratio':>6} | {'export peak MiB':>15} {'import peak MiB':>15} {'start MiB':>9} | bundle MiB"
    )
    for size, r in results.items():
        e, i, re_, ri = r["app-export"], r["app-import"], r["raw-export"], r["raw-import"]
        print(
            f"{size:>8} | {e['seconds']:>12.2f} {re_['seconds']:>6.2f} "
            f"{e['seconds'] / re_['seconds']:>6.1f} | {i['seconds']:>12.2f} {ri['seconds']:>6.2f} "
            f"{i['seconds'] / ri['seconds']:>6.1f} | {e['peak_mib']:>15.0f} {i['peak_mib']:>15.0f} "
            f"{e['base_mib']:>9.0f} | {r['bundle_mib']['seconds']:.1f}"
        )
    largest = results[max(sizes)]
    print(
        f"targets at {max(sizes)} visits: export ≤ 10 s: {largest['app-export']['seconds'] <= 10}, "
        f"import ≤ 20 s: {largest['app-import']['seconds'] <= 20}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
