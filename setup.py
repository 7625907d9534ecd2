"""Package list for setuptools: the code packages plus the two bundled data folders.

Everything else about the build lives in ``pyproject.toml``. This file exists only because
``[tool.setuptools.packages.find]`` discovers packages on disk, and ``forms/`` and ``reports/`` sit
at the top of the repository (clinicians edit them there), not inside ``clinic_app/``. Listing them
here as ``clinic_app._bundled.forms`` / ``.reports`` lets the ``package-dir`` mapping in
``pyproject.toml`` copy them into the wheel, where ``clinic_app.resources`` finds them.
"""

from __future__ import annotations

from setuptools import find_namespace_packages, setup

BUNDLED = ["clinic_app._bundled.forms", "clinic_app._bundled.reports"]

setup(packages=[*find_namespace_packages(include=["clinic_app*"], exclude=["*.__pycache__"]), *BUNDLED])
