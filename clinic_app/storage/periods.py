"""Visits by date, across patients: what a batch of reports for a period prints.

A separate module from :mod:`clinic_app.storage.visits` (which is about one patient's visits): this
one answers "which visits were signed between two dates", for the window's batch of reports.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from clinic_app.domain.enums import VisitStatus
from clinic_app.storage.base import read_rows
from clinic_app.storage.models import VisitRow

_SIGNED_BETWEEN = (
    select(VisitRow.id)
    .where(
        VisitRow.status == VisitStatus.SIGNED.value,
        VisitRow.visit_date >= bindparam("start"),
        VisitRow.visit_date <= bindparam("end"),
    )
    .order_by(VisitRow.visit_date, VisitRow.id)
)


def signed_visit_ids(session: Session, start: dt.date, end: dt.date) -> list[str]:
    """Return the ids of the visits signed and still in force (not amended) dated ``start``…``end``.

    An amended original is left out: its amendment, once signed, is the record in force.
    """
    return [str(row[0]) for row in read_rows(session, _SIGNED_BETWEEN, {"start": start, "end": end})]
