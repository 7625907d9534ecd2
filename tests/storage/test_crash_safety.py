"""Crash safety: SIGKILL a process saving visits at random moments; nothing committed is ever lost or torn.

A fork server (``crash_writer.py``) starts workers that save complete visits in a loop through the
visit service — create with 24 values, then replace all 24 — and print each visit id only after its
commit returned. The test kills each worker with SIGKILL at a random moment (seeded), at least 200
times, and after every kill checks, reading the file as the next start-up would:

* the database opens and passes ``PRAGMA integrity_check`` and ``foreign_key_check``;
* every visit the worker reported is there, at the step it reported or later, with all its values;
* no visit anywhere is half-written: each holds exactly the complete set of one step, its version
  matches that step, and its audit events match too (they are written in the same transaction).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

from clinic_app.domain.enums import DeliveryMode
from clinic_app.domain.model import Delivery
from clinic_app.services import patients as patient_service
from clinic_app.services import visits as visit_service
from clinic_app.services.clinic import open_clinic
from clinic_app.services.session import sign_in

pytestmark = pytest.mark.slow

KILLS = 200
SEED = 20261125
MAX_SAVES_BEFORE_KILL = 3
"""A kill first waits for 0–3 reported saves (drawn per run), so runs are cut at every stage …"""
MAX_DELAY_S = 0.04
"""… and then for a delay drawn from this window, a few transactions' time, so the kill lands at a
random point inside or between transactions whatever the machine's speed."""
WRITER = Path(__file__).with_name("crash_writer.py")


def _load_writer() -> ModuleType:
    """Import crash_writer.py by path, for its ``values_for`` and visit-id helpers."""
    spec = importlib.util.spec_from_file_location("runready_crash_writer", WRITER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


writer = _load_writer()


class Lines:
    """Complete lines read from a pipe, waiting at most until a deadline (no sleeping)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""

    def read_until(self, deadline: float) -> list[str]:
        """Return the complete lines that arrive before ``deadline`` (a ``time.monotonic()`` value)."""
        lines: list[str] = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return lines
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                return lines
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise AssertionError(f"crash writer closed its output; last lines: {lines[-3:]}")
            self.buffer += chunk
            *complete, self.buffer = self.buffer.split(b"\n")
            lines.extend(line.decode() for line in complete)
            if complete:
                return lines

    def expect(self, prefix: str, timeout: float = 30.0) -> tuple[str, list[str]]:
        """Read until a line starting with ``prefix``; return it and every line before it."""
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while time.monotonic() < deadline:
            for line in self.read_until(deadline):
                if line.startswith("error"):
                    raise AssertionError(f"crash writer failed: {line}")
                if line.startswith(prefix):
                    return line, seen
                seen.append(line)
        raise AssertionError(f"no '{prefix}' line from the crash writer within {timeout} s; saw {seen[-5:]}")


@dataclass
class Reported:
    """What the workers said they committed: visit id → highest step (1 created, 2 updated)."""

    steps: dict[str, int] = field(default_factory=dict)

    def take(self, lines: list[str]) -> None:
        """Record ``created``/``updated`` lines; ignore the rest."""
        for line in lines:
            word, _, vid = line.partition(" ")
            if word == "created":
                self.steps[vid] = max(self.steps.get(vid, 0), 1)
            elif word == "updated":
                self.steps[vid] = 2


def _expected(vid: str, step: int) -> dict[str, object]:
    """The complete values visit ``vid`` holds after ``step`` (1 created, 2 updated)."""
    _, _, run, k = vid.split("-")
    values = writer.values_for(writer.visit_number(int(run), int(k)), updated=step == 2)
    return dict(values)


def _typed(values: dict[str, object]) -> dict[str, tuple[str, object]]:
    """Pair each value with its type name, so ``True`` never passes for ``1`` nor ``7.0`` for ``7``."""
    return {path: (type(value).__name__, value) for path, value in values.items()}


def _check_database(path: Path, reported: Reported) -> int:
    """Check the file as the next start-up would see it; return how many visits it holds."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        versions = dict(conn.execute("SELECT id, version FROM visits WHERE id LIKE 'V-CRASH-%'").fetchall())
        stored: dict[str, dict[str, object]] = {vid: {} for vid in versions}
        for vid, field_path, side, raw in conn.execute(
            "SELECT visit_id, field_path, side, value FROM result_values WHERE visit_id LIKE 'V-CRASH-%'"
        ):
            stored[vid][f"{field_path}.{side}" if side else field_path] = json.loads(raw)
        actions: dict[str, list[str]] = {vid: [] for vid in versions}
        for vid, action in conn.execute(
            "SELECT entity_id, action FROM audit_events "
            "WHERE entity = 'visit' AND entity_id LIKE 'V-CRASH-%' ORDER BY id"
        ):
            actions.setdefault(vid, []).append(action)
    missing = sorted(set(reported.steps) - set(versions))
    assert not missing, f"visits reported committed but missing after a kill: {missing[:5]}"
    for vid, version in versions.items():
        step = 2 if version == 2 else 1
        assert version in (1, 2), f"{vid} has version {version}"
        assert _typed(stored[vid]) == _typed(_expected(vid, step)), f"{vid} is half-written at step {step}"
        assert actions.get(vid) == ["create", "update"][:step], (
            f"{vid}: audit {actions.get(vid)} at step {step}"
        )
        assert step >= reported.steps.get(vid, 0), f"{vid} lost its reported update"
    return len(versions)


@pytest.fixture
def clinic_file(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """A migrated clinic file with one clinician and one patient; yields (url, patient id, clinician id)."""
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    db = open_clinic(url)
    try:
        clinician = patient_service.add_clinician(
            db, name="Alex Byrne", password=writer.PASSWORD, actor_id="system", clinician_id="C-CRASH"
        ).created_id
        patient = patient_service.create_patient(
            db,
            family_name="Ní Bhriain",
            given_names="Zoë",
            date_of_birth=dt.date(1991, 4, 2),
            user=sign_in(db, "C-CRASH", writer.PASSWORD),
            delivery=Delivery(dt.date(2026, 6, 1), DeliveryMode.SPONTANEOUS_VAGINAL),
            patient_id="P-CRASH",
            today=writer.VISIT_DATE,
        ).created_id
    finally:
        db.dispose()
    assert patient is not None and clinician is not None
    yield url, patient, clinician


def test_sigkill_at_random_moments_never_loses_or_tears_a_visit(
    clinic_file: tuple[str, str, str], tmp_path: Path
) -> None:
    """200 SIGKILLs at random moments: the file always passes its checks and holds whole visits only."""
    # Kill moments: after a random number of saves, plus a random delay; both drawn from a seeded RNG.
    url, patient_id, clinician_id = clinic_file
    db_path = tmp_path / "clinic.sqlite3"
    rng = random.Random(SEED)
    reported = Reported()
    planned_saves = runs_cut_after_saves = 0
    launcher = subprocess.Popen(
        [sys.executable, str(WRITER), url, patient_id, clinician_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=False,
    )
    assert launcher.stdin is not None and launcher.stdout is not None
    lines = Lines(launcher.stdout.fileno())
    try:
        lines.expect("launcher ready")
        for run in range(KILLS):
            launcher.stdin.write(f"run {run}\n".encode())
            launcher.stdin.flush()
            pid_line, before = lines.expect("pid ")
            pid = int(pid_line.split()[1])
            _, before_ready = lines.expect("ready")
            saves_first = rng.randint(0, MAX_SAVES_BEFORE_KILL)
            delay = rng.uniform(0.0, MAX_DELAY_S)
            during: list[str] = []
            while sum(line.startswith(("created", "updated")) for line in during) < saves_first:
                during += lines.read_until(time.monotonic() + 30.0)
                assert not any(line.startswith("error") for line in during), during
            deadline = time.monotonic() + delay
            while time.monotonic() < deadline:
                during += lines.read_until(deadline)
            os.kill(pid, signal.SIGKILL)
            _, after = lines.expect(f"exit {pid}")
            reported.take(before + before_ready + during + after)
            planned_saves += saves_first
            if saves_first:
                runs_cut_after_saves += 1
            _check_database(db_path, reported)
    finally:
        with contextlib.suppress(BrokenPipeError):
            launcher.stdin.write(b"quit\n")
            launcher.stdin.flush()
        launcher.stdin.close()
        launcher.wait(timeout=30)
    total = _check_database(db_path, reported)
    # Each run saved at least what the test waited for before killing it (a save is a create or an update).
    assert sum(reported.steps.values()) >= planned_saves
    assert runs_cut_after_saves >= KILLS // 2
    updated = sum(1 for step in reported.steps.values() if step == 2)
    print(f"\n{KILLS} kills; {total} visits on file, {len(reported.steps)} reported ({updated} updated)")
    # Finally read every visit back through the service, as the app would.
    db = open_clinic(url)
    try:
        for vid, step in sorted(reported.steps.items())[:: max(1, len(reported.steps) // 200)]:
            visit = visit_service.get_visit(db, vid)
            assert _typed({str(p): v for p, v in visit.results.items()}) == _typed(
                _expected(vid, visit.version)
            )
            assert visit.version >= step
    finally:
        db.dispose()
