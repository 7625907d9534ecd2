"""The ``backup`` and ``restore`` sub-commands for a single-computer (SQLite) clinic database.

``backup --out FILE`` writes a checked copy of the database; ``restore FILE`` checks a backup, prints
what it holds and only then puts it in place, keeping the database it replaces. A PostgreSQL clinic
database is backed up on the server by its administrator; both commands say so and exit 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from clinic_app.storage.backup import (
    BackupNotSupportedError,
    backup_database,
    restore_database,
)
from clinic_app.storage.database import resolve_database_url
from clinic_app.storage.diagnose import shown_url
from clinic_app.storage.errors import StorageError
from clinic_app.storage.migrate import head_revision

_DATABASE_HELP = "database URL (default: CLINIC_APP_DATABASE_URL, then the per-user clinic file)"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``backup`` and ``restore`` commands to the top-level parser."""
    backup = subparsers.add_parser(
        "backup",
        help="copy the clinic database to a checked backup file",
        description="Copy the clinic database (SQLite) to a new file with SQLite's online backup, "
        "then check the copy. An existing file is replaced only with --force; the clinic database and "
        "any database in use never are.",
    )
    backup.add_argument("--database", metavar="URL", help=_DATABASE_HELP)
    backup.add_argument("--out", metavar="FILE", type=Path, required=True, help="backup file to create")
    backup.add_argument(
        "--force", action="store_true", help="replace an existing file (an older backup) at --out"
    )
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore",
        help="check a backup file and put it in place of the clinic database",
        description="Check a backup (integrity, RunReady marker, schema revision, tables and columns, row "
        "counts) and only then replace the clinic database with it. The replaced database is kept "
        "beside it under a timestamped name.",
    )
    restore.add_argument("file", metavar="FILE", type=Path, help="backup file to restore")
    restore.add_argument("--database", metavar="URL", help=_DATABASE_HELP)
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    """Back up the database; exit 0 when a checked backup was written, 1 otherwise."""
    url = resolve_database_url(args.database)
    try:
        info = backup_database(url, args.out, overwrite=args.force)
    except (BackupNotSupportedError, StorageError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Backed up {shown_url(url)} to {info.path}.")
    print(f"Checked the backup: {info.summary()}.")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Restore a backup; exit 0 when restored, 1 when refused, 2 when the file does not exist."""
    if not Path(args.file).is_file():
        print(f"There is no backup file at {args.file}.", file=sys.stderr)
        return 2
    url = resolve_database_url(args.database)
    try:
        result = restore_database(args.file, url)
    except (BackupNotSupportedError, StorageError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Checked {args.file}: {result.backup.summary()}.")
    print(f"Restored it as {result.target}.")
    if result.kept is not None:
        print(f"The database it replaced was kept as {result.kept}.")
    if result.backup.revision != head_revision():
        print("The backup uses an older schema; the app brings it up to date when it next opens it.")
    return 0
