"""Build the desktop bundle once per test session for every packaging test."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def clean_env() -> dict[str, str]:
    """The environment without our virtual environment or checkout on any path, Qt offscreen."""
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CLINIC_APP_DATABASE_URL")
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Build the bundle with ``packaging/build.sh``; yield (bundle folder, tarball)."""
    out = tmp_path_factory.mktemp("dist")
    env = {**os.environ, "RUNREADY_VENV_EXTRAS": "test,package"}
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh"), str(out)],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    bundle, tarball = (Path(line) for line in result.stdout.strip().splitlines()[-2:])
    yield bundle, tarball
