"""Benchmark the readiness engine (run by hand: ``python benchmarks/bench_readiness.py``).

Targets (issue 5): one decision ≤ 2 ms; 10,000 visits ≤ 5 s. Figures are printed beside the time
to merely load the same data in the same run (JSON text → decoded → VisitRecord), so the ratio says
how much the engine adds to reading a visit. Not a test: nothing here asserts on time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clinic_app.domain.visitfile import VisitRecord, parse_visit_file
from clinic_app.readiness.engine import assess
from clinic_app.readiness.protocol import default_protocol
from tests.readiness.builders import TODAY, passing_document, set_path

VISITS = 10_000
VARIATIONS = [
    ("symptoms.urinary_leakage", True), ("symptoms.heaviness", True), ("diastasis.ird_umbilicus_curl", 2.6),
    ("strength.bridge.left", 14), ("strength.calf_raise.right", 19), ("hop.single_hop.left", 100),
    ("history.sleep_hours", 5.5), ("history.running_experience", "novice"),
    ("load_impact.l6_symptoms", ["pain"]),
    ("prolapse.popq_ba", -0.5), ("pelvic_floor.mos", 2), ("history.breastfeeding", True),
    ("strength.hip_abduction.left", None), ("symptoms.faecal_urgency", True),
]


def make_texts(count: int, seed: int = 5) -> list[str]:
    """Return ``count`` visit files as JSON text, each with up to three random findings or gaps."""
    rng = random.Random(seed)
    base = passing_document()
    texts = []
    for index in range(count):
        doc = base
        for path, value in rng.sample(VARIATIONS, rng.randint(0, 3)):
            doc = set_path(doc, path, value)
        doc["visit"] = {**doc["visit"], "id": f"V-{index}",
                        "date": (dt.date(2026, 7, 1) + dt.timedelta(days=rng.randint(0, 140))).isoformat()}
        texts.append(json.dumps(doc))
    return texts


def load(texts: list[str]) -> list[VisitRecord]:
    """Decode and parse every text into a record (the baseline: what reading the data costs)."""
    records = []
    for text in texts:
        outcome = parse_visit_file(json.loads(text), today=TODAY)
        assert outcome.record is not None
        records.append(outcome.record)
    return records


def main() -> int:
    """Run the benchmark and print the figures."""
    protocol = default_protocol()
    texts = make_texts(VISITS)

    started = time.perf_counter()
    records = load(texts)
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    statuses = [assess(record, protocol).status for record in records]
    assess_s = time.perf_counter() - started

    single = records[0]
    samples = []
    for _ in range(2_000):
        t0 = time.perf_counter()
        assess(single, protocol)
        samples.append(time.perf_counter() - t0)
    one_ms = statistics.median(samples) * 1000
    p95_ms = statistics.quantiles(samples, n=20)[18] * 1000

    print(f"one decision: median {one_ms:.3f} ms, p95 {p95_ms:.3f} ms (target ≤ 2 ms)")
    print(f"{VISITS:,} visits: assess {assess_s:.2f} s (target ≤ 5 s); load/parse {load_s:.2f} s; "
          f"assess ÷ load = {assess_s / load_s:.2f}")
    print(f"per visit: assess {assess_s / VISITS * 1000:.3f} ms, load {load_s / VISITS * 1000:.3f} ms")
    counts = {s.value: statuses.count(s) for s in sorted(set(statuses), key=lambda s: -s.severity)}
    print("statuses:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
