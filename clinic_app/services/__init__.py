"""Application services: the operations the GUI and the command line call.

Each service opens one session for one user action (``db.sessions.begin()``, or ``db.reads.begin()``
for an action that only reads), checks its input
before anything reaches the database, and returns plain data — domain objects, frozen DTOs or a
:class:`~clinic_app.services.changes.Changes` describing what a mutating action changed. ORM objects
never leave this package. No Qt here.
"""

from __future__ import annotations
