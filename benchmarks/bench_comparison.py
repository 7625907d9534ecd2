"""Follow-up comparison view: a visit with 10 earlier visits after the same birth, until painted.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_comparison.py

Target (issue 12): ≤ 150 ms from the request to the painted view. Measured: the database read and
comparison (``load_followup``), building the view, and showing + painting it (``grab`` renders every
chart). Baseline in the same run: the same steps for a visit with no earlier visit (no table, no charts),
so the figure is read against what this machine does for an empty view.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.domain.model import Delivery
from clinic_app.services import patients, visits
from clinic_app.services.clinic import open_clinic
from clinic_app.services.demo import baseline_results
from clinic_app.services.followup import load_followup
from clinic_app.services.session import sign_in
from clinic_app.ui.visit.comparison import ComparisonDialog

RUNS = 15
TODAY = dt.date(2026, 11, 2)


def build() -> tuple[object, str, str]:
    """A clinic with one patient: 11 visits after one birth, weekly changes in every charted measure."""
    db = open_clinic(f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
    patients.add_clinician(db, name="Bench", password="bench-password", actor_id="system", clinician_id="C-B")
    user = sign_in(db, "C-B", "bench-password")
    birth = Delivery(dt.date(2026, 1, 5), DeliveryMode.SPONTANEOUS_VAGINAL, PerinealTrauma.NONE, 1)
    patients.create_patient(db, family_name="Bench", given_names="Ada", date_of_birth=dt.date(1990, 1, 1),
                            delivery=birth, patient_id="P-B", user=user, today=TODAY)
    base = baseline_results()
    for n in range(11):
        values = base.with_values({
            "strength.calf_raise.left": 12 + n, "strength.bridge.right": 14 + n,
            "hop.single_hop.left": 100 + 3 * n, "diastasis.ird_umbilicus_rest": round(2.8 - 0.08 * n, 1),
        })
        visits.create_visit(db, "P-B", birth.delivery_date + dt.timedelta(weeks=8 + 3 * n), user=user,
                            results=values, visit_id=f"V-{n}", today=TODAY)
    return db, "V-10", "V-0"


def once(app: QApplication, db: object, visit_id: str) -> tuple[float, float, float]:
    """Milliseconds for read, build and show + paint of one comparison dialog."""
    t0 = time.perf_counter()
    followup = load_followup(db, visit_id)  # type: ignore[arg-type]
    t1 = time.perf_counter()
    dialog = ComparisonDialog(followup)
    t2 = time.perf_counter()
    dialog.show()
    dialog.grab()
    t3 = time.perf_counter()
    dialog.close()
    app.sendPostedEvents()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000


def main() -> None:
    """Print median figures for the full view and the empty baseline."""
    app = QApplication.instance() or QApplication([])
    db, full, empty = build()
    once(app, db, full)  # warm imports and fonts
    for label, visit_id in (("10 earlier visits", full), ("baseline: no earlier visit", empty)):
        runs = [once(app, db, visit_id) for _ in range(RUNS)]
        read, make, paint = (statistics.median(r[i] for r in runs) for i in range(3))
        total = statistics.median(sum(r) for r in runs)
        print(f"{label:28s} read {read:6.1f} ms  build {make:6.1f} ms  show+paint {paint:6.1f} ms  "
              f"total {total:6.1f} ms (median of {RUNS}; target ≤ 150 ms)")


if __name__ == "__main__":
    main()
