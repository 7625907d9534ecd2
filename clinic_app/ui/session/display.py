"""The runner's big pieces: read-outs legible from across the room, the beat's pulse, large buttons.

Sizes follow the application font (the UI-scale preference), so 150 % text makes the whole runner
bigger; the numbers are about eight times the body text — roughly 2 cm tall on a desktop monitor,
readable from the far side of a treatment room.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

READOUT_SCALE = 4.0
"""Smallest read-out digits relative to the body text; they grow to fill the space they are given."""

CHECKED_STYLE = (
    "QPushButton:checked { background: #1f4e9c; color: white; border: 3px solid #0b2a5b; }"
    "QPushButton:disabled { color: #8a8a8a; }"
)
"""A chosen side or symptom is filled dark with white text (and its text gains a mark, not colour alone)."""

TITLE_SCALE = 1.8
BUTTON_SCALE = 1.25
PULSE_COLOUR = "#1f6feb"


def scaled_font(widget: QWidget, scale: float, *, bold: bool = False) -> QFont:
    """The widget's font at ``scale`` times its size (tabular digits for read-outs)."""
    font = QFont(widget.font())
    font.setPointSizeF(max(6.0, font.pointSizeF() * scale))
    font.setBold(bold)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


def format_clock(ms: float, *, hundredths: bool = False) -> str:
    """Return ``ms`` as the read-out shows it: ``12:07.3``, ``0:09.8``, or ``2.43`` for a timed hop."""
    if hundredths:
        return f"{int(ms // 10) / 100:.2f}"
    tenths = int(ms // 100)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"


class Readout(QWidget):
    """A caption above a number in very large type (the timer, the count)."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(caption, self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.caption.setFont(scaled_font(self, 1.5))
        self.value = QLabel("0", self)
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.value.setFont(scaled_font(self, READOUT_SCALE, bold=True))
        # The digits fill whatever space the layout gives (see _fit); their size never asks for more,
        # or a bigger font would widen the window, which would grow the font again.
        self.value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.value.setMinimumHeight(self.fontMetrics().height() * 4)
        self.note = QLabel("", self)
        self.note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.note.setFont(scaled_font(self, 1.2))
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.value, 1)
        layout.addWidget(self.note)

    def show_value(self, text: str, accessible: str) -> None:
        """Show ``text``; screen readers hear ``accessible`` (words, not "0:09.8")."""
        resize = len(text) != len(self.value.text())
        self.value.setText(text)
        self.value.setAccessibleName(accessible)
        if resize:
            self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Grow the digits with the space (never below :data:`READOUT_SCALE` times the body text)."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The largest font whose text fits the value label (width and height), digits as wide as 0."""
        font = QFont(self.value.font())
        smallest = self.font().pointSizeF() * READOUT_SCALE
        probe = QFont(font)
        probe.setPointSizeF(100.0)
        metrics = QFontMetricsF(probe)
        text = self.value.text() or "0"
        width = max(1.0, metrics.horizontalAdvance(text.replace("1", "0")))
        space_w = max(1, self.value.width() - 16)
        space_h = max(1, self.value.height())
        size = min(100.0 * space_w / width, 100.0 * space_h * 0.85 / metrics.height())
        font.setPointSizeF(max(smallest, size))
        self.value.setFont(font)


class PulseWidget(QWidget):
    """A circle that lights on every beat (the beat can be seen, not only heard)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lit = False
        self.setAccessibleName("Metronome beat")
        self.setMinimumSize(QSize(self.fontMetrics().height() * 4, self.fontMetrics().height() * 4))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def set_lit(self, lit: bool) -> None:
        """Light or dim the circle."""
        if lit != self.lit:
            self.lit = lit
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """A square a little larger than the minimum."""
        side = self.fontMetrics().height() * 6
        return QSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """A filled disc when lit, a ring when not (shape, not colour alone, tells them apart)."""
        side = min(self.width(), self.height()) - 8
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(PULSE_COLOUR)
        painter.setPen(QPen(colour, max(3.0, side / 20)))
        painter.setBrush(colour if self.lit else Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect)
        painter.end()


def big_button(text: str, parent: QWidget, *, checkable: bool = False) -> QPushButton:
    """A large button that never takes the keyboard focus (the runner's keys stay the runner's)."""
    button = QPushButton(text, parent)
    button.setFont(scaled_font(parent, BUTTON_SCALE, bold=True))
    button.setCheckable(checkable)
    if checkable:
        button.setStyleSheet(CHECKED_STYLE)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    height = button.fontMetrics().height()
    button.setMinimumHeight(int(height * 2.6))
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return button
