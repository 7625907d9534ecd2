"""The modal questions of the report windows, in one place that tests replace (like ``ui/ask.py``).

Each takes the parent widget, so the dialog opens over the window, and returns None / False when
the clinician cancels.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QWidget


def ask_printer(parent: QWidget | None, printer: QPrinter) -> bool:
    """Show the system print dialog for ``printer`` (printer, pages, copies); True when she prints."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print the report")
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_save_path(parent: QWidget | None, title: str, suggested: Path) -> Path | None:
    """Ask where to save a PDF, starting from ``suggested``; None when cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), "PDF documents (*.pdf)")
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def ask_folder(parent: QWidget | None, title: str, start: Path) -> Path | None:
    """Ask for a folder (where a batch of reports goes); None when cancelled."""
    chosen = QFileDialog.getExistingDirectory(parent, title, str(start))
    return Path(chosen) if chosen else None


def ask_open_picture(parent: QWidget | None, title: str, start: Path) -> Path | None:
    """Ask for a PNG or JPEG picture (the letterhead logo); None when cancelled."""
    chosen, _ = QFileDialog.getOpenFileName(parent, title, str(start), "Pictures (*.png *.jpg *.jpeg)")
    return Path(chosen) if chosen else None


def ask_addressee(parent: QWidget | None, current: str) -> str | None:
    """Ask who this referral letter goes to: a name on the first line, then the address; None when cancelled.

    Empty text means "as the settings say" (the saved service address, else the service's name).
    """
    chosen, ok = QInputDialog.getMultiLineText(
        parent,
        "Addressee of this letter",
        "Name on the first line, then the address (leave empty for the saved address):",
        current,
    )
    return chosen if ok else None
