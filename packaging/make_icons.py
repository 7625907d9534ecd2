"""Render the app icon (clinic_app/ui/icons/runready-clinic.svg, also the window icon) to PNGs and an .ico.

Run by hand after changing the SVG (the PNGs and the .ico are committed, so a build needs no SVG
renderer): ``.venv/bin/python packaging/make_icons.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent / "icons"
SVG = Path(__file__).resolve().parents[1] / "clinic_app" / "ui" / "icons" / "runready-clinic.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """Draw the icon at ``size`` × ``size`` pixels on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    """Write every PNG size and the .ico; return 1 when the SVG cannot be read."""
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print("The SVG icon cannot be read.", file=sys.stderr)
        return 1
    for size in SIZES:
        render(renderer, size).save(str(ICONS / f"runready-clinic-{size}.png"))
    render(renderer, 256).save(str(ICONS / "runready-clinic.ico"))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
