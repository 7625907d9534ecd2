"""Report speed, by hand: ``python benchmarks/bench_reports.py [--batch N] [--repeat N]``.

1. One report (readiness engine + render) for each kind, median of several runs, printed beside a
   bare ReportLab document with the same number of pages built in the same run, and the ratio.
2. A batch of N reports (default 500) built in a background thread on the process pool of
   :func:`clinic_app.services.reports.build_batch`, with progress, and the throughput.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.samples import sample_record
from clinic_app.services.reports import (
    BatchItem,
    build_batch,
    build_report,
    load_report_settings,
    report_input,
)

TARGET_MS = 150.0


def median_ms(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Run ``action`` once to warm up, then ``repeat`` times; return median wall and CPU milliseconds.

    CPU time is printed too because wall-clock time on a shared machine includes other jobs.
    """
    action()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def bare_document(pages: int) -> bytes:
    """Return a plain ReportLab document of ``pages`` pages of body text (the baseline)."""
    styles = getSampleStyleSheet()
    story = []
    for page in range(pages):
        story += [Paragraph(f"Page {page + 1}", styles["Heading1"])]
        story += [
            Paragraph("Baseline paragraph of plain text for comparison. " * 8, styles["BodyText"])
            for _ in range(12)
        ]
        if page < pages - 1:
            story.append(PageBreak())
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def one_report(repeat: int) -> None:
    """Time each report kind (render alone, and engine + render) against a bare document."""
    settings = load_report_settings()
    record = sample_record(Status.REFER)
    data = report_input(record, settings=settings)
    print(f"One report (median of {repeat}; target ≤ {TARGET_MS:.0f} ms for engine + render)")
    for kind in ReportKind:
        pdf = render_report(data, kind)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        render, render_cpu = median_ms(lambda k=kind: render_report(data, k), repeat)
        full, full_cpu = median_ms(lambda k=kind: build_report(record, k, settings=settings), repeat)
        bare, bare_cpu = median_ms(lambda p=pages: bare_document(p), repeat)
        mark = "ok" if min(full, full_cpu) <= TARGET_MS else "OVER TARGET"
        print(
            f"  {kind.value:<9} {pages} page(s): render {render:6.1f} ms (cpu {render_cpu:5.1f}), "
            f"engine + render {full:6.1f} ms (cpu {full_cpu:5.1f}) | bare ReportLab {pages} page(s) "
            f"{bare:5.1f} ms (cpu {bare_cpu:5.1f}) | ratio {render_cpu / bare_cpu:4.1f}× cpu   {mark}"
        )


def batch(count: int, workers: int | None) -> None:
    """Build ``count`` reports in the background with progress, then print the throughput."""
    statuses = list(Status)
    kinds = list(ReportKind)
    items = []
    for index in range(count):
        status = statuses[index % len(statuses)]
        kind = kinds[index % 2] if status is not Status.REFER else kinds[index % 3]
        items.append(BatchItem(sample_record(status), kind, f"report-{index:04}.pdf"))
    cancel = threading.Event()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if done == total or now - last[0] > 0.5:
            last[0] = now
            print(f"\r  {done}/{total} reports", end="" if done < total else "\n", file=sys.stderr)

    with tempfile.TemporaryDirectory() as folder:
        outcome: dict[str, object] = {}
        start = time.perf_counter()
        worker = threading.Thread(
            target=lambda: outcome.setdefault(
                "result", build_batch(items, Path(folder), progress, cancel, workers=workers)
            ),
            name="report-batch",
        )
        worker.start()
        worker.join()
        elapsed = time.perf_counter() - start
        result = outcome["result"]
        written = len(result.written)  # type: ignore[attr-defined]
        print(
            f"Batch of {count} in the background: {written} written in {elapsed:.1f} s "
            f"({elapsed / max(written, 1) * 1000:.0f} ms per report wall-clock, "
            f"{written / elapsed:.1f} reports/s)"
        )


def main() -> int:
    """Parse the options and run both measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per single-report timing")
    parser.add_argument("--batch", type=int, default=500, help="reports in the batch (0 to skip)")
    parser.add_argument("--workers", type=int, default=None, help="batch pool size (default: CPUs)")
    args = parser.parse_args()
    one_report(args.repeat)
    if args.batch:
        batch(args.batch, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
