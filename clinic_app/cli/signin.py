"""How a command signs a clinician in before it writes clinical data in her name.

The services take a signed-in clinician (:class:`~clinic_app.services.session.SignedIn`), never a
bare id, so a command that records something (``report --visit`` keeps a report record) asks for the
clinician's password: from ``CLINIC_APP_PASSWORD`` when set (scripts), else at a hidden prompt on a
terminal, else as one line of standard input. The password is never an argument, where shell
history would keep it. Wrong passwords count towards the same audited lock-out as in the window.
"""

from __future__ import annotations

import getpass
import os
import sys

from clinic_app.services.session import SignedIn, sign_in
from clinic_app.storage.database import Database

PASSWORD_ENV = "CLINIC_APP_PASSWORD"
"""Environment variable a script sets to the clinician's password instead of typing it."""


def read_password(clinician_id: str) -> str:
    """Return the clinician's password from the environment, a hidden prompt or standard input."""
    given = os.environ.get(PASSWORD_ENV)
    if given is not None:
        return given
    if sys.stdin.isatty():
        return getpass.getpass(f"Password of clinician {clinician_id}: ")
    return sys.stdin.readline().rstrip("\n")


def sign_in_clinician(db: Database, clinician_id: str) -> SignedIn:
    """Check the clinician's password (see :func:`read_password`) and return her signed-in session.

    Raises:
        AuthenticationError: wrong password, an inactive profile or a lock-out; the message says so.
        NotFoundError: no such clinician.
    """
    return sign_in(db, clinician_id, read_password(clinician_id))
