"""The installation self-test: every step passes on this checkout, a failure names its step."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_app.ui import selftest
from clinic_app.ui.selftest import SelfTest, SelfTestError, run_self_test

ROOT = Path(__file__).resolve().parents[2]


def test_every_step_passes_and_prints_one_line_each(qapp: object) -> None:
    """A full run in-process prints an ``ok`` line per step with its time and exits 0."""
    out = io.StringIO()
    assert run_self_test(out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == len(selftest.STEPS) + 1
    for (title, _step), line in zip(selftest.STEPS, lines, strict=False):
        assert line.startswith("ok") and title in line and " ms)" in line
    assert lines[-1].startswith("Self-test passed")


def test_a_failing_step_exits_1_names_the_step_and_stops(capsys: pytest.CaptureFixture[str]) -> None:
    """The first failure ends the run with exit 1, its title and message; later steps do not run."""
    ran: list[str] = []

    def broken(test: SelfTest) -> str:
        raise SelfTestError("the PDF plug-in is missing")

    def later(test: SelfTest) -> str:
        ran.append("later")
        return "done"

    out = io.StringIO()
    steps = (("data files", selftest.step_data_files), ("show a PDF", broken), ("later", later))
    code = run_self_test(out, steps)
    text = out.getvalue()
    assert code == 1
    assert "FAILED  show a PDF" in text and "the PDF plug-in is missing" in text
    assert "Self-test failed at the step 'show a PDF'." in text
    assert ran == []


def test_the_user_folders_are_left_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """During the run the per-user folders point into the throw-away folder; afterwards they are restored."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "mine"))
    monkeypatch.setenv("CLINIC_APP_DATABASE_URL", "sqlite:////nowhere/clinic.sqlite3")
    seen: dict[str, str] = {}

    def look(test: SelfTest) -> str:
        seen["data"] = os.environ["XDG_DATA_HOME"]
        seen["url"] = os.environ.get("CLINIC_APP_DATABASE_URL", "")
        seen["folder"] = str(test.folder)
        return "looked"

    assert run_self_test(io.StringIO(), (("look", look),)) == 0
    assert seen["data"].startswith(seen["folder"]) and seen["url"] == ""
    assert os.environ["XDG_DATA_HOME"] == str(tmp_path / "mine")
    assert os.environ["CLINIC_APP_DATABASE_URL"] == "sqlite:////nowhere/clinic.sqlite3"
    assert not Path(seen["folder"]).exists()


@pytest.mark.slow
def test_the_command_line_flag_runs_it() -> None:
    """``python -m clinic_app --self-test`` exits 0 and prints the summary line."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "clinic_app", "--self-test"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Self-test passed" in result.stdout
