"""Backup and restore of a SQLite clinic database: checked copies, refusals that change nothing."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from clinic_app.cli import backup_cmd
from clinic_app.domain.ids import PatientId
from clinic_app.domain.model import Patient
from clinic_app.storage import patients
from clinic_app.storage.backup import (
    BackupNotSupportedError,
    backup_database,
    inspect_backup,
    restore_database,
)
from clinic_app.storage.database import open_database
from clinic_app.storage.diagnose import Condition, StorageProblemError
from clinic_app.storage.errors import SchemaTooNewError
from clinic_app.storage.migrate import head_revision, migrate

KNOWN = ("0001base", "0002next")
NOW = dt.datetime(2026, 11, 25, 9, 30, 0, tzinfo=dt.UTC)


def main(argv: list[str]) -> int:
    """Run only the backup/restore commands, as ``python -m clinic_app`` would dispatch them."""
    parser = argparse.ArgumentParser(prog="clinic_app")
    backup_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _patients(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("SELECT family_name FROM patient ORDER BY id")]


def test_backup_is_a_checked_single_file_copy(stand_in_db: Path, tmp_path: Path) -> None:
    """A backup holds every committed row, passes its check and needs no -wal companion file."""
    out = tmp_path / "backups" / "monday.sqlite3"
    out.parent.mkdir()
    info = backup_database(_url(stand_in_db), out, known=KNOWN)
    assert info.path == out and info.revision == "0002next"
    assert dict(info.row_counts) == {"patient": 3}
    assert not Path(f"{out}-wal").exists()
    with contextlib.closing(sqlite3.connect(out)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert _patients(out) == _patients(stand_in_db)
    assert [p.name for p in out.parent.iterdir()] == ["monday.sqlite3"]


def test_backup_during_a_write_copies_only_committed_rows(stand_in_db: Path, tmp_path: Path) -> None:
    """A write still in progress on another connection is neither copied nor blocked by the backup."""
    writer = sqlite3.connect(stand_in_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO patient (family_name) VALUES ('uncommitted')")
    try:
        info = backup_database(_url(stand_in_db), tmp_path / "b.sqlite3", known=KNOWN)
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert info.row_counts["patient"] == 3
    assert "uncommitted" in _patients(stand_in_db)


def test_backup_never_overwrites_an_existing_file(stand_in_db: Path, tmp_path: Path) -> None:
    """Naming an existing file as the backup is refused and that file keeps its bytes."""
    out = tmp_path / "precious.txt"
    out.write_bytes(b"the only copy of something")
    with pytest.raises(StorageProblemError, match="already exists"):
        backup_database(_url(stand_in_db), out, known=KNOWN)
    assert out.read_bytes() == b"the only copy of something"


def test_postgresql_backup_points_to_pg_dump(tmp_path: Path) -> None:
    """A PostgreSQL URL is not backed up by the app; the message names pg_dump and hides the password."""
    url = "postgresql+psycopg://physio:s3cret@clinic-server:5432/runready"
    with pytest.raises(BackupNotSupportedError, match="pg_dump") as caught:
        backup_database(url, tmp_path / "x.sqlite3", known=KNOWN)
    assert "s3cret" not in str(caught.value)
    assert not (tmp_path / "x.sqlite3").exists()


def test_inspect_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    """A document renamed to .sqlite3 is reported as not a database."""
    fake = tmp_path / "letter.sqlite3"
    fake.write_text("Dear colleague, …")
    with pytest.raises(StorageProblemError) as caught:
        inspect_backup(fake, known=KNOWN)
    assert caught.value.condition is Condition.NOT_A_DATABASE


def test_inspect_refuses_a_damaged_database(make_stand_in: Callable[..., Path], tmp_path: Path) -> None:
    """A backup whose pages were overwritten fails the integrity check and is reported as damaged."""
    damaged = make_stand_in(tmp_path / "damaged.sqlite3", patients=2000)
    with contextlib.closing(sqlite3.connect(damaged)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    data = bytearray(damaged.read_bytes())
    data[page_size * 2 : page_size * 3] = b"\xa5" * page_size
    damaged.write_bytes(bytes(data))
    with pytest.raises(StorageProblemError) as caught:
        inspect_backup(damaged, known=KNOWN)
    assert caught.value.condition is Condition.CORRUPT
    assert "restore" in str(caught.value).lower()


def test_inspect_refuses_a_database_of_another_program(tmp_path: Path) -> None:
    """A SQLite file without a RunReady schema revision is refused as foreign."""
    other = tmp_path / "photos.db"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE album (id INTEGER PRIMARY KEY)")
    with pytest.raises(StorageProblemError) as caught:
        inspect_backup(other, known=KNOWN)
    assert caught.value.condition is Condition.FOREIGN_DATABASE


def test_inspect_refuses_a_newer_schema(make_stand_in: Callable[..., Path], tmp_path: Path) -> None:
    """A backup made by a newer app version raises the core's SchemaTooNewError."""
    newer = make_stand_in(tmp_path / "newer.sqlite3", revision="0099future")
    with pytest.raises(SchemaTooNewError) as caught:
        inspect_backup(newer, known=KNOWN)
    assert caught.value.found == "0099future"


def test_restore_replaces_the_database_and_keeps_the_old_one(
    stand_in_db: Path, make_stand_in: Callable[..., Path], tmp_path: Path
) -> None:
    """After a restore the target holds the backup's rows and the replaced file is kept byte for byte."""
    backup = make_stand_in(tmp_path / "friday.sqlite3", patients=7)
    backup_database(_url(backup), tmp_path / "friday-copy.sqlite3", known=KNOWN)
    with contextlib.closing(sqlite3.connect(stand_in_db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = stand_in_db.read_bytes()
    result = restore_database(tmp_path / "friday-copy.sqlite3", _url(stand_in_db), now=NOW, known=KNOWN)
    assert result.target == stand_in_db
    assert result.kept == tmp_path / "clinic.replaced-20261125T093000Z.sqlite3"
    assert result.kept.read_bytes() == before
    assert _patients(stand_in_db) == [f"P{i}" for i in range(7)]
    assert result.backup.row_counts == {"patient": 7}
    assert not list(tmp_path.glob(".*restoring*"))


def test_two_restores_in_the_same_second_keep_both_replaced_files(
    stand_in_db: Path, make_stand_in: Callable[..., Path], tmp_path: Path
) -> None:
    """The kept name never collides: a second restore at the same time gets a numbered name."""
    backup = make_stand_in(tmp_path / "b.sqlite3", patients=1)
    first = restore_database(backup, _url(stand_in_db), now=NOW, known=KNOWN)
    second = restore_database(backup, _url(stand_in_db), now=NOW, known=KNOWN)
    assert first.kept is not None and second.kept is not None
    assert first.kept != second.kept and first.kept.exists() and second.kept.exists()


def test_a_refused_restore_changes_nothing(
    stand_in_db: Path, make_stand_in: Callable[..., Path], tmp_path: Path
) -> None:
    """A backup from a newer version is refused before the target is touched; no file is left behind."""
    newer = make_stand_in(tmp_path / "newer.sqlite3", revision="0099future")
    with contextlib.closing(sqlite3.connect(stand_in_db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = stand_in_db.read_bytes()
    names_before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(SchemaTooNewError):
        restore_database(newer, _url(stand_in_db), now=NOW, known=KNOWN)
    assert stand_in_db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == names_before


def test_restore_refuses_a_database_open_elsewhere(
    stand_in_db: Path, make_stand_in: Callable[..., Path], tmp_path: Path
) -> None:
    """While another connection (the running app) has the database open, the restore is refused."""
    backup = make_stand_in(tmp_path / "b.sqlite3", patients=1)
    app = sqlite3.connect(stand_in_db)
    try:
        app.execute("SELECT count(*) FROM patient").fetchone()
        with pytest.raises(StorageProblemError) as caught:
            restore_database(backup, _url(stand_in_db), now=NOW, known=KNOWN)
    finally:
        app.close()
    assert caught.value.condition is Condition.LOCKED
    assert _patients(stand_in_db) == ["P0", "P1", "P2"]
    assert not list(tmp_path.glob("*.replaced-*"))


def test_restore_into_a_new_location_creates_the_database(stand_in_db: Path, tmp_path: Path) -> None:
    """Restoring where no database exists yet puts the backup there and keeps nothing."""
    target = tmp_path / "new-laptop" / "clinic.sqlite3"
    target.parent.mkdir()
    result = restore_database(stand_in_db, _url(target), now=NOW, known=KNOWN)
    assert result.kept is None
    assert _patients(target) == ["P0", "P1", "P2"]


def test_cli_backup_and_restore_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``backup --out`` then ``restore`` exit 0 and print the checked row counts and the kept file."""
    live = tmp_path / "clinic.sqlite3"
    database = open_database(_url(live))
    migrate(database.engine)
    database.dispose()
    out = tmp_path / "nightly.sqlite3"
    assert main(["backup", "--database", _url(live), "--out", str(out)]) == 0
    assert "patients 0" in capsys.readouterr().out
    assert main(["restore", str(out), "--database", _url(live)]) == 0
    printed = capsys.readouterr().out
    assert "integrity ok" in printed and "kept as" in printed


def test_cli_refuses_postgresql_with_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The backup command does not pretend for PostgreSQL: exit 1 and a pg_dump hint on stderr."""
    code = main(["backup", "--database", "postgresql://physio@server/runready", "--out", str(tmp_path / "x")])
    assert code == 1
    assert "pg_dump" in capsys.readouterr().err


def test_cli_restore_of_a_missing_file_is_invalid_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A backup file that does not exist is a usage error (exit 2), not a storage failure."""
    assert main(["restore", str(tmp_path / "nope.sqlite3"), "--database", _url(tmp_path / "c.sqlite3")]) == 2
    assert "no backup file" in capsys.readouterr().err


def test_real_clinic_database_round_trips_through_backup_and_restore(tmp_path: Path) -> None:
    """A migrated clinic database (shipped revisions) backs up, restores and reopens with its patient."""
    live = tmp_path / "clinic.sqlite3"
    database = open_database(_url(live))
    migrate(database.engine)
    with database.sessions.begin() as session:
        patients.add_patient(
            session, Patient(PatientId("P-1"), "Żmuda", "Łucja", dt.date(1990, 1, 2)), actor_id="C-1"
        )
    info = backup_database(_url(live), tmp_path / "copy.sqlite3")
    assert info.revision == head_revision() and info.row_counts["patients"] == 1
    with database.sessions.begin() as session:
        patients.set_archived(session, PatientId("P-1"), True, actor_id="C-1")
    database.dispose()
    result = restore_database(tmp_path / "copy.sqlite3", _url(live), now=NOW)
    assert result.kept is not None and result.kept.exists()
    reopened = open_database(_url(live))
    try:
        migrate(reopened.engine)
        with reopened.sessions.begin() as session:
            assert patients.get_patient(session, PatientId("P-1")).archived is False
    finally:
        reopened.dispose()


def test_a_backup_from_an_older_revision_is_restored_and_upgraded(tmp_path: Path) -> None:
    """An older schema is accepted by restore; the next start-up migrates it with its rows intact."""
    old = tmp_path / "old.sqlite3"
    database = open_database(_url(old))
    migrate(database.engine, target="0001")
    database.dispose()
    live = tmp_path / "clinic.sqlite3"
    result = restore_database(old, _url(live), now=NOW)
    assert result.backup.revision == "0001" and result.kept is None
    reopened = open_database(_url(live))
    try:
        assert migrate(reopened.engine, now=NOW).to_revision == head_revision()
    finally:
        reopened.dispose()


def test_backup_and_restore_are_registered_with_the_app_command_line(
    stand_in_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m clinic_app backup`` reaches this module through COMMAND_MODULES."""
    from clinic_app.cli.main import main as app_main

    code = app_main(["backup", "--database", _url(stand_in_db), "--out", str(tmp_path / "x.sqlite3")])
    assert code == 0
    assert "patient 3" in capsys.readouterr().out
    assert (tmp_path / "x.sqlite3").is_file()


def test_a_database_from_a_newer_version_can_still_be_backed_up(
    make_stand_in: Callable[..., Path], tmp_path: Path
) -> None:
    """Copying is always safe, so a newer app's database is backed up; only restoring it is refused."""
    newer = make_stand_in(tmp_path / "newer.sqlite3", revision="0099future")
    info = backup_database(_url(newer), tmp_path / "copy.sqlite3", known=KNOWN)
    assert info.revision == "0099future"
    with pytest.raises(SchemaTooNewError):
        restore_database(tmp_path / "copy.sqlite3", _url(tmp_path / "clinic.sqlite3"), known=KNOWN)


def test_restore_never_replaces_a_file_that_is_not_a_database(stand_in_db: Path, tmp_path: Path) -> None:
    """A document sitting where the database should be is left alone rather than 'kept' and replaced."""
    target = tmp_path / "elsewhere" / "clinic.sqlite3"
    target.parent.mkdir()
    target.write_bytes(b"minutes of the clinic meeting")
    with pytest.raises(StorageProblemError) as caught:
        restore_database(stand_in_db, _url(target), now=NOW, known=KNOWN)
    assert caught.value.condition is Condition.NOT_A_DATABASE
    assert target.read_bytes() == b"minutes of the clinic meeting"
    assert sorted(p.name for p in target.parent.iterdir()) == ["clinic.sqlite3"]
