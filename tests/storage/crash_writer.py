"""Fork server for the crash-safety test: workers save complete visits until they are SIGKILLed.

Run as ``python crash_writer.py DATABASE_URL PATIENT_ID CLINICIAN_ID``. The launcher imports the app
once, then reads commands on stdin; ``run N`` forks a worker (fast: no second start-up) that:

1. prints ``pid <pid>``, opens the database through the app's own engine set-up and prints ``ready``;
2. loops: creates a visit holding ``VALUES_PER_VISIT`` values through the visit service and prints
   ``created <id>`` *after* the commit returned; then replaces all its values through the same service
   (version 1 → 2) and prints ``updated <id>``. Every line is flushed at once.

The test kills the worker at a random moment; the launcher reaps it and prints ``exit <pid>``, which
comes after everything the worker printed (same pipe). ``quit`` ends the launcher.

Visit ids are ``V-CRASH-<run>-<k>``; :func:`values_for` gives the exact values each visit must hold, so
the test can tell a complete visit from a half-written one.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback

from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results, Value
from clinic_app.services import visits as visit_service
from clinic_app.services.clinic import forms
from clinic_app.services.session import sign_in
from clinic_app.storage.database import open_database

VISIT_DATE = dt.date(2026, 9, 10)
PASSWORD = "crash-test-pw"
"""The test clinician's password; each worker signs in with it before writing."""
MAX_VISITS_PER_WORKER = 5_000
"""Safety stop so a worker the test failed to kill cannot run forever."""


def values_for(number: int, *, updated: bool) -> dict[str, Value]:
    """Return the complete set of values visit ``number`` holds after creation or after its update.

    Numbers, decimals, booleans, choices and text all vary with the visit and the step, so a value left
    over from the other step or another visit is noticed.
    """
    n = number * 2 + (1 if updated else 0)
    return {
        "history.height_cm": 150 + n % 40,
        "history.weight_kg": 50 + (n % 400) / 10,
        "history.dominant_leg": "left" if n % 2 else "right",
        "history.breastfeeding": n % 3 == 0,
        "history.sleep_hours": (n % 24) / 2,
        "history.fatigue_high": n % 5 == 0,
        "history.fatigue_score": n % 100,
        "history.running_experience": "experienced" if n % 2 else "novice",
        "history.weekly_volume_km": n % 80,
        "history.ran_during_pregnancy": n % 7 == 0,
        "history.previous_running_injury": n % 11 == 0,
        "history.pain_during_pregnancy": n % 13 == 0,
        "history.hypermobility": n % 17 == 0,
        "history.pre_existing_conditions": f"note {n}",
        "history.anxiety": n % 19 == 0,
        "history.buggy_running_planned": n % 23 == 0,
        "strength.calf_raise.left": n % 200,
        "strength.calf_raise.right": (n * 7) % 200,
        "strength.bridge.left": (n * 3) % 60,
        "strength.bridge.right": (n * 5) % 60,
        "strength.sit_to_stand.left": (n * 11) % 40,
        "strength.sit_to_stand.right": (n * 13) % 40,
        "strength.hip_abduction.left": (n * 17) % 50,
        "strength.hip_abduction.right": (n * 19) % 50,
    }


VALUES_PER_VISIT = len(values_for(0, updated=False))


def visit_id(run: int, k: int) -> str:
    """Return the id of the ``k``-th visit of worker run ``run``."""
    return f"V-CRASH-{run:04d}-{k:05d}"


def visit_number(run: int, k: int) -> int:
    """Return the number :func:`values_for` uses for that visit."""
    return run * MAX_VISITS_PER_WORKER + k


def _say(line: str) -> None:
    """Write one line to the test, unbuffered, so it is in the pipe before the next statement runs."""
    os.write(1, (line + "\n").encode())


def _work(url: str, patient_id: str, clinician_id: str, run: int) -> None:
    """Body of a forked worker: save complete visits until killed."""
    db = open_database(url)
    user = sign_in(db, clinician_id, PASSWORD)
    _say("ready")
    for k in range(MAX_VISITS_PER_WORKER):
        vid = visit_id(run, k)
        number = visit_number(run, k)
        first = Results({FieldPath(p): v for p, v in values_for(number, updated=False).items()})
        visit_service.create_visit(
            db,
            patient_id,
            VISIT_DATE,
            user=user,
            results=first,
            visit_id=vid,
            today=VISIT_DATE,
        )
        _say(f"created {vid}")
        second = Results({FieldPath(p): v for p, v in values_for(number, updated=True).items()})
        visit_service.save_results(db, vid, 1, second, user=user, today=VISIT_DATE)
        _say(f"updated {vid}")


def main(argv: list[str]) -> int:
    """Serve ``run N`` commands until ``quit``; see the module docstring."""
    url, patient_id, clinician_id = argv
    forms()  # load the form catalogue once, before forking
    _say("launcher ready")
    for command in sys.stdin:
        words = command.split()
        if words == ["quit"]:
            return 0
        run = int(words[1])
        pid = os.fork()
        if pid == 0:
            try:
                _say(f"pid {os.getpid()}")
                _work(url, patient_id, clinician_id, run)
                _say("error worker was not killed")
            except BaseException:
                _say("error " + traceback.format_exc().replace("\n", " | "))
            os._exit(3)
        _, status = os.waitpid(pid, 0)
        _say(f"exit {pid} {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
