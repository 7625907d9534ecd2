"""What every part of the window shares: the open clinic, the task runner and the signed-in clinician.

One :class:`AppContext` is made by the composition root (``ui/app.py``) and handed to the main
window, which hands it to each page. Nothing here is a global: tests build their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from clinic_app.services.clinic import Database
from clinic_app.services.journal import DraftJournal
from clinic_app.services.session import SignedIn
from clinic_app.ui.tasks import TaskRunner


@dataclass(slots=True)
class AppContext:
    """The shared state of one running window.

    Attributes:
        db: the open clinic database (only ever passed to services, on the worker).
        tasks: the one database worker.
        journal: the recovery journal of unsaved edits.
        database_label: where the data lives, password masked, for the title bar and About.
        user: the signed-in clinician; None before sign-in and while the window is locked.
        idle_lock_minutes: lock the window after this long without input (0 = never).
        log_folder: where the excepthook writes tracebacks.
    """

    db: Database
    tasks: TaskRunner
    journal: DraftJournal
    database_label: str = ""
    user: SignedIn | None = None
    idle_lock_minutes: float = 10.0
    log_folder: Path | None = None
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def signed_in(self) -> SignedIn:
        """The signed-in clinician, whom every service that writes clinical data is given.

        Raises:
            RuntimeError: nobody is signed in (the window never offers a change then).
        """
        if self.user is None:
            raise RuntimeError("No clinician is signed in.")
        return self.user

    @property
    def actor_id(self) -> str:
        """The signed-in clinician's id, the actor of every change.

        Raises:
            RuntimeError: nobody is signed in (the window never offers a change then).
        """
        return self.signed_in.clinician_id
