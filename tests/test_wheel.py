"""The built wheel carries forms/ and reports/, and an installed copy loads every form from them.

Builds the wheel from a copy of the source tree (so the shared checkout gets no build/ folder),
installs it with ``--no-deps`` into a fresh virtual environment and, from a neutral folder, imports
``clinic_app.assessment`` there. Without the dependencies installed, that import also proves the
assessment layer needs only the standard library and ``clinic_app.domain``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "clinic_app", "forms", "reports")

CHECK = """
import json, sys
import clinic_app
from clinic_app import resources
from clinic_app.assessment import load_forms, validate

catalogue = load_forms()
forms = resources.forms_folder()
reports = resources.reports_folder()
print(json.dumps({
    "package": clinic_app.__file__,
    "forms": [form.id for form in catalogue],
    "fields": sum(len(form.fields) for form in catalogue),
    "forms_folder": str(forms),
    "report_files": sorted(entry.name for entry in reports.iterdir()),
    "errors": [str(e) for e in validate({"diastasis.unit": "cm", "diastasis.method": "tape",
                                          "diastasis.ird_umbilicus_rest": 31}, catalogue)],
    "heavy_modules": sorted(m for m in ("sqlalchemy", "PySide6", "reportlab") if m in sys.modules),
}))
"""


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command without the checkout on the import path; fail with its output."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once from a copy of the source tree."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    source = tmp_path / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist")
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=ignore)
        else:
            shutil.copy2(origin, source / name)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(source)], cwd=tmp_path)
    wheels = list(dist.glob("*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def _fresh_env(env_dir: Path, wheel: Path) -> Path:
    """Create a virtual environment holding only the wheel (no dependencies); return its bin folder."""
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
         cwd=env_dir)  # fmt: skip
    return bin_dir


@pytest.mark.slow
def test_installed_wheel_loads_every_form(tmp_path: Path, wheel: Path) -> None:
    """A wheel installed in a fresh venv finds forms/ and reports/ and loads all ten forms."""
    env_dir = tmp_path / "env"
    python = _fresh_env(env_dir, wheel) / "python"

    neutral = tmp_path / "elsewhere"
    neutral.mkdir()
    out = _run([str(python), "-c", CHECK], cwd=neutral).stdout
    report = json.loads(out.strip().splitlines()[-1])

    assert str(env_dir) in report["package"], "clinic_app was imported from the checkout, not the wheel"
    assert report["forms"] == [
        "history", "symptoms", "questionnaires", "diastasis", "prolapse", "pelvic_floor", "load_impact",
        "strength", "hop", "jumping",
    ]  # fmt: skip
    assert report["fields"] > 150
    assert "_bundled" in report["forms_folder"] and str(env_dir) in report["forms_folder"]
    bundled_reports = sorted(entry.name for entry in (ROOT / "reports").iterdir())
    assert report["report_files"] == bundled_reports
    assert any("31 cm is outside 0–10 cm — did you mean mm?" in e for e in report["errors"])
    assert report["heavy_modules"] == []


@pytest.mark.slow
def test_installed_command_runs_the_self_test(tmp_path: Path, wheel: Path) -> None:
    """``runready-clinic --self-test`` from a fresh venv opens the window offscreen and passes every step.

    The dependencies (PySide6, SQLAlchemy …) are lent from the test environment through a ``.pth``
    line, so nothing is downloaded; ``clinic_app`` itself, its forms, reports and migrations come
    from the wheel (the line is appended after the venv's own site-packages, and the checkout's
    editable-install hook is not run from there).
    """
    env_dir = tmp_path / "env"
    bin_dir = _fresh_env(env_dir, wheel)
    python = bin_dir / "python"
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=tmp_path)
    lent = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (Path(site.stdout.strip()) / "lent_dependencies.pth").write_text("\n".join(lent) + "\n", encoding="utf-8")

    neutral = tmp_path / "elsewhere"
    neutral.mkdir()
    where = _run([str(python), "-c", "import clinic_app.ui.app as m; print(m.__file__)"], cwd=neutral)
    assert str(env_dir) in where.stdout, "the window was imported from the checkout, not the wheel"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [str(bin_dir / "runready-clinic"), "--self-test"],
        cwd=neutral, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "ok      open the main window" in result.stdout
    assert "Self-test passed" in result.stdout
