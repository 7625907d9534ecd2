"""The PyInstaller bundle builds, carries its data and only the Qt plug-ins it uses, and passes its self-test.

This is the check that a missing data file or Qt plug-in fails CI rather than a clinic: the bundle is
built from this checkout by ``packaging/build.sh`` and its executable runs ``--self-test`` offscreen,
from a neutral folder, with no Python of ours on the path.
"""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.packaging.conftest import clean_env

ROOT = Path(__file__).resolve().parents[2]
ALLOWED_PLUGINS = {
    "platforms", "platformthemes", "platforminputcontexts", "xcbglintegrations", "egldeviceintegrations",
    "wayland-decoration-client", "wayland-graphics-integration-client", "wayland-shell-integration",
    "imageformats", "iconengines", "printsupport", "multimedia", "generic",
}  # fmt: skip


@pytest.mark.slow
def test_the_bundle_passes_its_self_test(built: tuple[Path, Path], tmp_path: Path) -> None:
    """The frozen executable's ``--self-test`` passes every step, run from an unrelated folder."""
    bundle, _ = built
    result = subprocess.run(
        [str(bundle / "runready-clinic"), "--self-test"],
        cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert "Self-test passed" in result.stdout
    assert "FAILED" not in result.stdout


@pytest.mark.slow
def test_the_bundle_carries_the_clinical_data_and_migrations(built: tuple[Path, Path]) -> None:
    """forms/, reports/ (fonts included), the protocol, the demo clinic and every migration are inside."""
    internal = built[0] / "_internal"
    forms = {path.name for path in (internal / "forms").glob("*.toml")}
    assert {"diastasis.toml", "prolapse.toml", "hop.toml"} <= forms
    assert list((internal / "reports" / "fonts").glob("*.ttf"))
    assert (internal / "clinic_app" / "readiness" / "protocols" / "default.toml").is_file()
    assert (internal / "clinic_app" / "services" / "demo_clinic.toml").is_file()
    versions = Path("clinic_app", "storage", "migrations", "versions")
    shipped = {path.name for path in (internal / versions).glob("*.py")}
    source = {path.name for path in (ROOT / versions).glob("*.py")}
    assert source <= shipped


@pytest.mark.slow
def test_only_the_qt_plugins_the_app_uses_are_shipped(built: tuple[Path, Path]) -> None:
    """Plug-in folders are limited to the allowed set; no Qt translations, no QML, no WebEngine."""
    qt = built[0] / "_internal" / "PySide6" / "Qt"
    plugins = {path.name for path in (qt / "plugins").iterdir()}
    assert {"platforms", "imageformats", "printsupport"} <= plugins
    assert plugins <= ALLOWED_PLUGINS
    assert not (qt / "translations").exists() and not (qt / "qml").exists()
    assert not list((qt / "lib").glob("libQt6WebEngine*"))


@pytest.mark.slow
def test_the_tarball_installs_a_menu_entry_and_icons(built: tuple[Path, Path], tmp_path: Path) -> None:
    """The Linux tarball holds the program, the .desktop entry, icons and install/uninstall scripts."""
    _, tarball = built
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    top = names[0].split("/")[0]
    for part in ("runready-clinic/runready-clinic", "runready-clinic.desktop", "install.sh", "uninstall.sh",
                 "icons/runready-clinic.svg", "icons/runready-clinic-256.png", "README.txt"):
        assert f"{top}/{part}" in names, part
