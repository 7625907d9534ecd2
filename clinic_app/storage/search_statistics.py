"""Keep SQLite's query-planner statistics on the patients table current, so searches stay fast."""

from __future__ import annotations

import sqlite3

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

STATISTICS_INDEX = "ix_patients_search_family"
"""The patient index whose ``sqlite_stat1`` row tells whether the search statistics are current."""
STATISTICS_FROM_PATIENTS = 1000
"""Below this many patients a search is fast whatever the plan (about 1 ms), so the file is left as it is."""


def refresh_search_statistics(engine: Engine) -> bool:
    """Give SQLite's query planner statistics on the patients table when they are missing or stale.

    Without ``sqlite_stat1`` rows SQLite assumes ``archived = 0`` picks out a handful of patients, and
    answers a search by walking a whole search index: on 100,000 patients a date-of-birth or
    several-word search then takes 90–140 ms instead of well under 1 ms. A clinic file never gets
    statistics on its own, so they are gathered (``ANALYZE patients``, about 70 ms at 100,000
    patients) when there are none or the number of patients has changed more than twofold since,
    from :data:`STATISTICS_FROM_PATIENTS` patients on. Never fails: a read-only or busy file just
    keeps the statistics it has.

    Args:
        engine: the clinic database's engine (anything but SQLite is left alone).

    Returns:
        True when the statistics were gathered now.
    """
    if engine.dialect.name != "sqlite":
        return False
    try:
        with engine.begin() as connection:
            patients = int(connection.exec_driver_sql("SELECT count(*) FROM patients").scalar_one())
            has_table = connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
            ).first()
            stat = None
            if has_table is not None:
                stat = connection.exec_driver_sql(
                    "SELECT stat FROM sqlite_stat1 WHERE tbl = 'patients' AND idx = ?", (STATISTICS_INDEX,)
                ).scalar()
            counted = int(str(stat).split()[0]) if stat else 0
            if patients < STATISTICS_FROM_PATIENTS or (counted and counted / 2 <= patients <= counted * 2):
                return False
            connection.exec_driver_sql("ANALYZE patients")
        return True
    except (SQLAlchemyError, sqlite3.Error, ValueError):
        return False
