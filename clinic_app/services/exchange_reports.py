"""The report PDFs of an import: each checked against its name and its records, then kept.

A bundle names each file by its SHA-256 (``reports/<sha256>.pdf``) and the report records of its
visits name the files they issued the same way. A file whose bytes are not the ones its name
promises (the archive reader checks them against the manifest; the name must be that same hash), a
file no record names (either means the bundle was put together by hand) and a file that is not a
PDF are refused.

The bytes are read and hashed once per pass that needs them: the dry run reads every file in its
analysis; the import's analysis checks only names (it runs in the import's transaction), and its
writing pass reads each file once, checks it, and keeps it. A refusal there rolls the whole import
back, so a tampered file is still refused with nothing written.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

from clinic_app.exchange.archive import BundleReader
from clinic_app.exchange.errors import BundleError
from clinic_app.storage import exchange as store
from clinic_app.storage.database import Session

PDF_MAGIC = b"%PDF-"
BATCH_BYTES = 16 * 1024 * 1024
"""The file bytes one write statement carries at most (memory stays flat however large the clinic)."""


def _sha(name: str) -> str:
    return name.removeprefix("reports/").removesuffix(".pdf")


def carried(reader: BundleReader) -> set[str]:
    """The SHA-256 of every report file the bundle carries."""
    return {_sha(name) for name in reader.report_names()}


def check_report_files(reader: BundleReader, named: Mapping[str, Set[str]], *, read: bool = True) -> int:
    """Check every report file of the bundle; return how many there are.

    Args:
        reader: the opened bundle.
        named: SHA-256 → the bundle's visits whose report records name that file.
        read: read and check each file's bytes too (the dry run); the import leaves that to
            :func:`write_report_files`, in its transaction.

    Raises:
        BundleError: a file whose bytes do not hash to its name (``checksum``), that no report
            record names (``reference``) or that is not a PDF (``record``).
    """
    names = reader.report_names()
    for name in names:
        sha256 = _sha(name)
        if sha256 not in named:
            raise BundleError(
                f"{name} is a report file that no report record in the bundle names. Nothing was imported.",
                problem="reference",
            )
        if reader.entries[name].sha256 != sha256:
            raise _renamed(name)
        if read:
            _read(reader, name)
    return len(names)


def _read(reader: BundleReader, name: str) -> bytes:
    if reader.entries[name].sha256 != _sha(name):
        raise _renamed(name)
    content = reader.read_file(name)  # hashed and checked against the manifest, hence against the name
    if not content.startswith(PDF_MAGIC):
        raise BundleError(f"{name} is not a PDF. Nothing was imported.", problem="record")
    return content


def _renamed(name: str) -> BundleError:
    return BundleError(
        f"{name} does not hash to its name: the file was changed or swapped after the bundle was "
        "written. Nothing was imported.",
        problem="checksum",
    )


def write_report_files(
    session: Session, reader: BundleReader, named: Mapping[str, Set[str]], local: Mapping[str, str]
) -> int:
    """Check every report file and keep it on the records of this import's visits that name it.

    Each file is read once (one file's bytes beside at most :data:`BATCH_BYTES` of others waiting
    for their statement) and checked as :func:`check_report_files` does; every file is checked, kept
    or not, so the import refuses what its dry run refuses.

    Args:
        session: the import's unit of work.
        reader: the bundle.
        named: SHA-256 → the bundle's visits whose report records name that file.
        local: bundle visit id → the local visit now holding the bundle's records (added, the same
            as here, or taken as an amendment); visits kept as they are here are absent.

    Returns:
        How many report records now keep a file.

    Raises:
        BundleError: a file does not match, or is not a PDF (the caller's transaction rolls back).
    """
    filled = 0
    batch: list[tuple[str, str, bytes]] = []
    size = 0
    for name in reader.report_names():
        sha256 = _sha(name)
        content = _read(reader, name)
        targets = sorted({local[v] for v in named.get(sha256, ()) if v in local})
        batch.extend((sha256, visit, content) for visit in targets)
        size += len(content) if targets else 0
        if size >= BATCH_BYTES:
            filled += store.attach_report_files(session, batch)
            batch.clear()
            size = 0
    return filled + store.attach_report_files(session, batch)
