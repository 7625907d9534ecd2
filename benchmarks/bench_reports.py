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
from clinic_app.reporting import ReportKind
from clinic_app.reporting.samples import sample_record
from clinic_app.services.reports import BatchItem, build_batch, build_report, load_report_settings

TARGET_MS = 150.0


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Run ``action`` once to warm up, then ``repeat`` times; return the median in milliseconds."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


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
    """Time each report kind against a bare document of the same page count."""
    settings = load_report_settings()
    record = sample_record(Status.REFER)
    print(f"One report (median of {repeat}; engine + render; target ≤ {TARGET_MS:.0f} ms)")
    for kind in ReportKind:
        pdf = build_report(record, kind, settings=settings)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        ours = median_ms(lambda k=kind: build_report(record, k, settings=settings), repeat)
        bare = median_ms(lambda p=pages: bare_document(p), repeat)
        mark = "ok" if ours <= TARGET_MS else "OVER TARGET"
        print(
            f"  {kind.value:<9} {pages} page(s): {ours:7.1f} ms   bare ReportLab {pages} page(s): "
            f"{bare:6.1f} ms   ratio {ours / bare:4.1f}×   {mark}"
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
