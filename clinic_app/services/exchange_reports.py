"""The report PDFs of an import: each checked against its name and its records, then kept.

A bundle names each file by its SHA-256 (``reports/<sha256>.pdf``) and the report records of its
visits name the files they issued the same way. The analysis refuses a file whose bytes are not the
ones its name promises (the archive reader already checks them against the manifest; the name must
be that same hash) and a file no record names, since either means the bundle was put together by
hand; the writing pass then keeps each file, read one at a time, on the records that name it.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

from clinic_app.exchange.archive import BundleReader
from clinic_app.exchange.errors import BundleError
from clinic_app.storage import exchange as store
from clinic_app.storage.database import Session

PDF_MAGIC = b"%PDF-"


def _sha(name: str) -> str:
    return name.removeprefix("reports/").removesuffix(".pdf")


def check_report_files(reader: BundleReader, named: Mapping[str, Set[str]]) -> int:
    """Check every report file of the bundle; return how many there are.

    Args:
        reader: the opened bundle.
        named: SHA-256 → the bundle's visits whose report records name that file.

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
        content = _read(reader, name)
        if not content.startswith(PDF_MAGIC):
            raise BundleError(f"{name} is not a PDF. Nothing was imported.", problem="record")
    return len(names)


def _read(reader: BundleReader, name: str) -> bytes:
    sha256 = _sha(name)
    if reader.entries[name].sha256 != sha256:
        raise _renamed(name)
    return reader.read_file(name)  # hashed and checked against the manifest, hence against the name


def _renamed(name: str) -> BundleError:
    return BundleError(
        f"{name} does not hash to its name: the file was changed or swapped after the bundle was "
        "written. Nothing was imported.",
        problem="checksum",
    )


def write_report_files(
    session: Session, reader: BundleReader, named: Mapping[str, Set[str]], local: Mapping[str, str]
) -> int:
    """Keep each report file on the records of this import's visits that name it; return records filled.

    Args:
        session: the import's unit of work.
        reader: the bundle (read again: each file is checked again as it is read).
        named: SHA-256 → the bundle's visits whose report records name that file.
        local: bundle visit id → the local visit now holding the bundle's records (added, the same
            as here, or taken as an amendment); visits kept as they are here are absent.

    Raises:
        BundleError: a file no longer matches (the caller's transaction rolls back).
    """
    filled = 0
    for name in reader.report_names():
        sha256 = _sha(name)
        targets = sorted({local[v] for v in named.get(sha256, ()) if v in local})
        if targets:
            filled += store.attach_report_file(session, sha256, targets, _read(reader, name))
    return filled
