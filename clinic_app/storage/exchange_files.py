"""The report PDFs behind an export and an import: found by hash, read and written one at a time.

A bundle carries each kept file once, as ``reports/<sha256>.pdf``, however many report records (of
however many visits) name it. The export first gathers the hashes of the kept files of its visits
with one row id each (a few bytes per file), then reads the files one by one; the import stores a
file's bytes on the report records of the bundle's visits that name it. A file's bytes are never
held with another's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from clinic_app.storage.base import Base
from clinic_app.storage.errors import StorageError
from clinic_app.storage.exchange_export import CHUNK
from clinic_app.storage.models import ReportRow
from clinic_app.storage.records import report_content

_KEPT = (
    select(ReportRow.id, ReportRow.sha256)
    .where(ReportRow.visit_id.in_(bindparam("ids", expanding=True)), ReportRow.content.is_not(None))
    .order_by(ReportRow.id)
)


def report_file_ids(session: Session, visit_ids: Sequence[str]) -> dict[str, int]:
    """Return SHA-256 → one report row id keeping that file, for the kept files of ``visit_ids``.

    Sorted by hash, so an export writes the files in an order that does not depend on row ids.
    """
    found: dict[str, int] = {}
    connection = session.connection()
    for start in range(0, len(visit_ids), CHUNK):
        for row_id, sha256 in connection.execute(_KEPT, {"ids": list(visit_ids[start : start + CHUNK])}):
            found.setdefault(sha256, row_id)
    return dict(sorted(found.items()))


def report_file(session: Session, report_id: int) -> bytes:
    """Return the kept file of one report record (an id :func:`report_file_ids` gave).

    Raises:
        StorageError: the bytes no longer match the record's SHA-256 (see
            :func:`clinic_app.storage.records.report_content`), or the record keeps no file.
    """
    content = report_content(session, report_id)
    if content is None:
        raise StorageError(f"Report record {report_id} keeps no file.")
    return content


def attach_report_file(session: Session, sha256: str, visit_ids: Sequence[str], content: bytes) -> int:
    """Keep ``content`` on the report records of ``visit_ids`` that name it and keep no file yet.

    Args:
        session: the import's unit of work.
        sha256: the file's SHA-256, which ``content`` must hash to.
        visit_ids: local ids of the visits whose records name the file.
        content: the file's bytes.

    Returns:
        How many records now keep the file.

    Raises:
        StorageError: ``content`` does not hash to ``sha256``.
    """
    if hashlib.sha256(content).hexdigest() != sha256:
        raise StorageError(f"The bytes given for report file {sha256} do not hash to it; nothing was kept.")
    done = 0
    connection = session.connection()  # Core: the ORM's bulk-update pass cost more than the write
    for start in range(0, len(visit_ids), CHUNK):
        result = connection.execute(
            _ATTACH, {"sha": sha256, "ids": list(visit_ids[start : start + CHUNK]), "content": content}
        )
        done += int(result.rowcount or 0)
    return done


_TABLE = Base.metadata.tables[ReportRow.__tablename__]
_ATTACH = (
    update(_TABLE)
    .where(
        _TABLE.c.sha256 == bindparam("sha"),
        _TABLE.c.visit_id.in_(bindparam("ids", expanding=True)),
        _TABLE.c.content.is_(None),
    )
    .values(content=bindparam("content"))
)
