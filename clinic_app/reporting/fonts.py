"""Register the embedded DejaVu Sans family so every report prints full Latin text.

The standard PDF fonts cannot show names such as "Łucja Żmuda"; DejaVu Sans covers the Latin
scripts our patients' names use. The TTF files ship in ``reports/fonts/`` (with their licence),
so an installed copy never depends on the fonts of the machine it runs on.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from clinic_app.resources import reports_folder

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
BOLD_OBLIQUE = "DejaVuSans-BoldOblique"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    OBLIQUE: "DejaVuSans-Oblique.ttf",
    BOLD_OBLIQUE: "DejaVuSans-BoldOblique.ttf",
}
_lock = threading.Lock()
_registered = False


def fonts_dir() -> Path:
    """Return the folder holding the bundled TTF files."""
    return Path(str(reports_folder() / "fonts"))


def register_fonts() -> str:
    """Register the DejaVu Sans family with ReportLab once per process.

    Registration is global ReportLab state, so it is guarded by a lock for renderers running in
    worker threads.

    Returns:
        The family name to use in paragraph styles.

    Raises:
        FileNotFoundError: if a bundled font file is missing from the installation.
    """
    global _registered
    with _lock:
        if _registered:
            return FAMILY
        # Binary (Flate-only) streams: ASCII-85 encoding is pure Python here and costs ~5 % of a
        # render for nothing, since our PDFs are never sent through 7-bit channels.
        rl_config.useA85 = 0
        folder = fonts_dir()
        for name, filename in _FILES.items():
            path = folder / filename
            if not path.is_file():
                raise FileNotFoundError(f"Report font {filename} is missing from {folder}")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, OBLIQUE)
        addMapping(FAMILY, 1, 1, BOLD_OBLIQUE)
        _registered = True
        return FAMILY
