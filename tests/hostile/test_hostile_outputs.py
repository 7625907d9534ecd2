"""Hostile output paths: the safe writer never touches the clinic database; refusals are messages."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from clinic_app.cli.main import main
from clinic_app.domain.files import OutputFileError, write_file_atomically

READY = (
    Path(__file__).resolve().parents[1] / "readiness" / "scenarios" / "01_ready_experienced_runner.json"
)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a SQLite clinic file with its -wal and -shm open-in-use companions, and a document."""
    folder = tmp_path_factory.mktemp("outputs")
    db = folder / "clinic.sqlite3"
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "link-to-db").symlink_to(db)
    (folder / "hard-db").hardlink_to(db)
    (folder / "_keep_open").write_text("", encoding="utf-8")
    clinic.conn = conn  # type: ignore[attr-defined]
    return folder


names = st.sampled_from(
    [
        "clinic.sqlite3",
        "clinic.sqlite3-wal",
        "clinic.sqlite3-shm",
        "clinic.sqlite3-journal",
        "link-to-db",
        "hard-db",
        "notes.txt",
        "sub",
        "sub/new.pdf",
        "missing/deeper/new.pdf",
        "notes.txt/x.pdf",
        "x" * 300,
        "new.pdf",
        "./clinic.sqlite3",
        "sub/../clinic.sqlite3",
        "/dev/null",
        "/dev/full",
        "/proc/self/mem",
    ]
)


@seed(21)
@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=names, force=st.booleans(), payload=st.binary(max_size=64))
def test_the_writer_never_harms_the_database_or_an_unasked_file(
    clinic: Path, name: str, force: bool, payload: bytes
) -> None:
    """Any target: the database and its companions stay intact; a file changes only with force."""
    db = clinic / "clinic.sqlite3"
    before = {p.name: _sha(p) for p in clinic.iterdir() if p.is_file() and not p.is_symlink()}
    target = Path(name) if name.startswith("/") else clinic / name
    try:
        write_file_atomically(target, payload, protected=(db,), overwrite=force)
        wrote = True
    except OutputFileError as error:
        assert str(error)
        wrote = False
    after = {p.name: _sha(p) for p in clinic.iterdir() if p.is_file() and not p.is_symlink()}
    for protected in ("clinic.sqlite3", "clinic.sqlite3-wal", "clinic.sqlite3-shm", "hard-db"):
        if protected in before:
            assert after[protected] == before[protected]
    if name == "notes.txt" and not force:
        assert not wrote and after["notes.txt"] == before["notes.txt"]
    assert not [p for p in clinic.rglob(".runready-*")]  # no temporary file left behind
    if wrote and name in ("notes.txt", "new.pdf"):
        (clinic / name).write_text("keep me", encoding="utf-8") if name == "notes.txt" else (
            clinic / name
        ).unlink()


@seed(22)
@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=names, force=st.booleans())
def test_report_out_anywhere_ends_with_exit_0_or_1_and_a_message(
    clinic: Path, name: str, force: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """``report --from-file --out`` at any hostile path: no traceback; refusals exit 1 and say why."""
    db = clinic / "clinic.sqlite3"
    before = _sha(db)
    target = name if name.startswith("/") else str(clinic / name)
    argv = ["report", "--from-file", str(READY), "--out", target, "--database", f"sqlite:///{db}"]
    code = main([*argv, "--force"] if force else argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Unexpected error" not in captured.err
    assert _sha(db) == before
    assert code in (0, 1)
    if code == 1:
        assert captured.err.strip()
    elif name in ("new.pdf", "sub/new.pdf", "missing/deeper/new.pdf"):
        Path(target).unlink()
    if name == "notes.txt" and code == 0:
        Path(target).write_text("keep me", encoding="utf-8")


def test_the_batch_folder_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Report --batch on a missing folder is an error (exit 1)."""
    assert main(["report", "--batch", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 1
    assert "no folder" in capsys.readouterr().err


def test_one_bad_file_in_a_batch_does_not_stop_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken and a folder-named file are reported; the good visit is still printed (exit 2)."""
    folder = tmp_path / "visits"
    folder.mkdir()
    shutil.copy(READY, folder / "good.json")
    (folder / "broken.json").write_bytes(b"\xff\xfe{")
    (folder / "dir.json").mkdir()
    assert main(["report", "--batch", str(folder), "--out", str(tmp_path / "out")]) == 2
    assert (tmp_path / "out" / "good-patient.pdf").is_file()
    assert "broken.json" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--settings", "--protocol"])
@pytest.mark.parametrize("kind", ["folder", "latin1"])
def test_settings_or_protocol_that_is_a_folder_or_not_utf8(
    option: str, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder or a non-UTF-8 file as --settings/--protocol is refused with a message (exit 2)."""
    path = tmp_path / "given"
    if kind == "folder":
        path.mkdir()
    else:
        path.write_bytes("name = 'Físio'".encode("latin-1"))
    code = main(
        ["report", "--from-file", str(READY), option, str(path), "--out", str(tmp_path / "r.pdf")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert ("folder" in err) if kind == "folder" else ("UTF-8" in err)
