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


@pytest.mark.slow
def test_installed_wheel_loads_every_form(tmp_path: Path) -> None:
    """A wheel installed in a fresh venv finds forms/ and reports/ and loads all ten forms."""
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

    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheels[0])],
        cwd=tmp_path,
    )

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
