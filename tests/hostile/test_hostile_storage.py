"""Storage faults after start-up — full disk, read-only drive, a held lock, a damaged page — end cleanly.

Each case runs a real command against a copy of the demo clinic under the fault and asserts: exit 1 (or 0
for a read-only command that could still read), no traceback, a message naming the problem, and the
database byte-identical afterwards (or, where SQLite itself must touch the file, integrity and row counts).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from clinic_app.cli.main import main

COMMANDS: dict[str, list[str]] = {
    "add clinician": ["clinicians", "add", "Test Person"],
    "demo": ["demo"],
    "overview": ["overview"],
    "patients": ["patients", "zoe"],
    "backup": ["backup", "--out", "{folder}/copy.sqlite3"],
    "report": ["report", "--visit", "V-0005-1", "--out", "{folder}/r.pdf"],
    "restore": ["restore", "{backup}"],
}
READING = {"overview", "patients"}


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table, read without writing."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}


@contextlib.contextmanager
def mounted(kind: str, where: Path, source: Path | None = None) -> Iterator[Path]:
    """Mount a 1 MB tmpfs (``kind="tmpfs"``) or a read-only bind of ``source`` at ``where``."""
    where.mkdir(parents=True, exist_ok=True)
    if kind == "tmpfs":
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)], check=True)
    else:
        subprocess.run(["mount", "--bind", str(source), str(where)], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def require_root() -> None:
    """Fail (never skip) when the mount-based cases cannot run."""
    if os.geteuid() != 0:
        pytest.fail("the storage-fault cases mount tmpfs and bind mounts; CI runs the tests as root")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(name: str, db: Path, folder: Path, backup: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    argv = [part.format(folder=folder, backup=backup) for part in COMMANDS[name]]
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("pw-12345678\n"))
    return main(
        [*argv, "--database", f"sqlite:///{db}"]
        if name != "add clinician"
        else ["clinicians", "--database", f"sqlite:///{db}", "add", "Test Person"]
    )


def _check(
    code: int, name: str, err: str, words: tuple[str, ...], *, may_work: frozenset[str] = frozenset()
) -> None:
    assert "Traceback" not in err and "Unexpected error" not in err, err
    if (name in READING or name in may_work) and code == 0:
        return
    assert code in (1, 2), (name, code, err)
    assert any(word in err for word in words), (name, err)


@pytest.fixture(scope="module")
def backup_file(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good backup of the demo clinic, to restore under faults."""
    out = tmp_path_factory.mktemp("hostile-backup") / "good.sqlite3"
    assert main(["backup", "--database", f"sqlite:///{demo_file}", "--out", str(out)]) == 0
    return out


@seed(31)
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=st.sampled_from(sorted(COMMANDS)))
def test_a_read_only_drive(
    name: str,
    demo_file: Path,
    backup_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """On a read-only bind mount every command exits cleanly and the file is byte-identical; reads work."""
    require_root()
    source = tmp_path / f"src-{name.replace(' ', '_')}"
    source.mkdir(exist_ok=True)
    shutil.copy(demo_file, source / "clinic.sqlite3")
    before = _sha(source / "clinic.sqlite3")
    with mounted("bind", tmp_path / f"ro-{name.replace(' ', '_')}", source) as ro:
        code = _run(name, ro / "clinic.sqlite3", ro, backup_file, monkeypatch)
        err = capsys.readouterr().err
    _check(code, name, err, ("read-only", "cannot be written", "Cannot write"))
    if name in READING:
        assert code == 0, err
    assert _sha(source / "clinic.sqlite3") == before


@contextlib.contextmanager
def _writer_holding_the_lock(db: Path) -> Iterator[None]:
    """Another connection holds the write lock for the duration."""
    ready, done = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        done.wait(30)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait(10)
    try:
        yield
    finally:
        done.set()
        thread.join()


@seed(32)
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=st.sampled_from(sorted(COMMANDS)))
def test_a_held_lock(
    name: str,
    demo_file: Path,
    backup_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    short_busy_timeout: None,
) -> None:
    """While another program writes, writers say "locked" (exit 1); reads still work; rows unchanged."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    db = folder / "clinic.sqlite3"
    shutil.copy(demo_file, db)
    before = row_counts(db)
    with _writer_holding_the_lock(db):
        code = _run(name, db, folder, backup_file, monkeypatch)
        err = capsys.readouterr().err
    # A backup reads a consistent snapshot, so it may finish while the writer waits.
    _check(code, name, err, ("locked", "open in another"), may_work=frozenset({"backup"}))
    if name in READING:
        assert code == 0, err
    if name != "backup":  # a backup reads a consistent snapshot while the writer waits
        assert row_counts(db) == before


@seed(33)
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=st.sampled_from(sorted(set(COMMANDS) - READING)))
def test_a_full_disk(
    name: str,
    demo_file: Path,
    backup_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """On a full tmpfs every writing command ends with 'full' (exit 1); the database's rows are intact."""
    require_root()
    with mounted("tmpfs", tmp_path / f"full-{name.replace(' ', '_')}") as full:
        db = full / "clinic.sqlite3"
        shutil.copy(demo_file, db)
        before = row_counts(db)
        with contextlib.suppress(OSError), (full / "filler").open("wb") as filler:
            while True:
                filler.write(b"\0" * 65536)
        code = _run(name, db, full, backup_file, monkeypatch)
        err = capsys.readouterr().err
        (full / "filler").unlink()
        _check(
            code, name, err, ("full", "input/output"), may_work=frozenset({"demo"})
        )  # demo: already built
        assert row_counts(db) == before
        assert not list(full.glob(".runready-*"))


@pytest.mark.parametrize("name", ["add clinician", "report", "backup", "overview"])
def test_a_damaged_page_discovered_later(
    name: str,
    demo_file: Path,
    backup_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Pages damaged past the header: a message (damaged, not a database), exit 1, nothing written."""
    db = tmp_path / "damaged.sqlite3"
    shutil.copy(demo_file, db)
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data), page * 3):
        data[offset : offset + 64] = b"\xa5" * 64
    db.write_bytes(bytes(data))
    before = _sha(db)
    code = _run(name, db, tmp_path, backup_file, monkeypatch)
    err = capsys.readouterr().err
    _check(code, name, err, ("damaged", "not a database", "integrity"))
    if code != 0:
        assert _sha(db) == before
