"""The runner window's widgets and their arrangement, apart from what the window does with them.

:class:`RunnerLayout` builds the header (position, test, previous / next), the side toggle, the
read-outs (timer, beat pulse, count), the control buttons, the symptom keys and the lines that say
what is in the visit and what the editor refused. The slots it connects are the window's own
(:class:`~clinic_app.ui.session.window.RunnerWindow`).
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.assessment.runner import RunnerPlan
from clinic_app.ui.forms.base import ERROR_COLOUR
from clinic_app.ui.session.display import TITLE_SCALE, PulseWidget, Readout, big_button, scaled_font


class RunnerLayout(QWidget):
    """The runner's widgets; subclasses provide the slots and ``entry`` / ``plan``."""

    plan: RunnerPlan
    entry: Any
    symptom_buttons: dict[str, QPushButton]

    # The slots the buttons call; the window implements each.
    def previous_test(self) -> None:
        """Show the previous test."""
        raise NotImplementedError

    def next_test(self) -> None:
        """Show the next test."""
        raise NotImplementedError

    def choose_left(self) -> None:
        """Measure the left side."""
        raise NotImplementedError

    def choose_right(self) -> None:
        """Measure the right side."""
        raise NotImplementedError

    def toggle_timer(self) -> None:
        """Start or stop the clock."""
        raise NotImplementedError

    def add_rep(self) -> None:
        """Count a rep."""
        raise NotImplementedError

    def take_rep_back(self) -> None:
        """Take a rep back."""
        raise NotImplementedError

    def toggle_metronome(self) -> None:
        """Start or stop the beat."""
        raise NotImplementedError

    def toggle_sound(self) -> None:
        """Sound or silence the beat."""
        raise NotImplementedError

    def restart_side(self) -> None:
        """Restart the side."""
        raise NotImplementedError

    def toggle_symptom(self, symptom_id: str) -> None:
        """Mark or unmark a symptom."""
        raise NotImplementedError

    # --- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        """Create and arrange every widget (slots are the subclass's)."""
        name = self.entry.editor.record.patient.display_name if self.entry.editor.record else ""
        self.setWindowTitle(f"Test runner — {name}" if name else "Test runner")
        self.position_label = QLabel(self)
        self.position_label.setFont(scaled_font(self, 1.3))
        self.title_label = QLabel(self)
        self.title_label.setFont(scaled_font(self, TITLE_SCALE, bold=True))
        self.title_label.setWordWrap(True)
        self.previous_button = big_button("◀ Previous test", self)
        self.next_button = big_button("Next test ▶", self)
        self.previous_button.clicked.connect(self.previous_test)
        self.next_button.clicked.connect(self.next_test)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.position_label)
        titles.addWidget(self.title_label)
        header.addLayout(titles, 3)
        header.addWidget(self.previous_button, 1)
        header.addWidget(self.next_button, 1)

        self.instructions = QLabel(self)
        self.instructions.setFont(scaled_font(self, 1.25))
        self.instructions.setWordWrap(True)
        self.read_only_label = QLabel(
            "This visit is signed (read-only): the runner times and counts, nothing is entered.", self
        )
        self.read_only_label.setFont(scaled_font(self, 1.2, bold=True))
        self.read_only_label.setWordWrap(True)

        self.left_button = big_button("◀ Left", self, checkable=True)
        self.right_button = big_button("Right ▶", self, checkable=True)
        self.sides = QButtonGroup(self)
        self.sides.setExclusive(True)
        self.sides.addButton(self.left_button)
        self.sides.addButton(self.right_button)
        self.left_button.clicked.connect(self.choose_left)
        self.right_button.clicked.connect(self.choose_right)
        side_row = QHBoxLayout()
        side_row.addWidget(self.left_button)
        side_row.addWidget(self.right_button)

        self.timer_readout = Readout("Time", self)
        self.count_readout = Readout("Reps", self)
        self.pulse = PulseWidget(self)
        self.beat_label = QLabel(self)
        self.beat_label.setFont(scaled_font(self, 1.3))
        self.beat_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        beat_box = QVBoxLayout()
        beat_box.addWidget(self.pulse, 1)
        beat_box.addWidget(self.beat_label)
        self.beat_panel = QWidget(self)
        self.beat_panel.setLayout(beat_box)
        readouts = QHBoxLayout()
        readouts.addWidget(self.timer_readout, 3)
        readouts.addWidget(self.beat_panel, 1)
        readouts.addWidget(self.count_readout, 2)

        self.start_button = big_button("Start  (Enter)", self)
        self.start_button.clicked.connect(self.toggle_timer)
        self.rep_button = big_button("+1 rep  (Space)", self)
        self.rep_button.clicked.connect(self.add_rep)
        self.undo_button = big_button("−1  (Backspace)", self)
        self.undo_button.clicked.connect(self.take_rep_back)
        self.beat_button = big_button("Beat  (B)", self, checkable=True)
        self.beat_button.clicked.connect(self.toggle_metronome)
        self.sound_button = big_button("Sound on  (M)", self)
        self.sound_button.clicked.connect(self.toggle_sound)
        self.restart_button = big_button("Restart side  (R)", self)
        self.restart_button.clicked.connect(self.restart_side)
        controls = QGridLayout()
        for column, button in enumerate(
            (self.start_button, self.rep_button, self.undo_button, self.restart_button)
        ):
            controls.addWidget(button, 0, column)
        controls.addWidget(self.beat_button, 1, 0, 1, 2)
        controls.addWidget(self.sound_button, 1, 2, 1, 2)

        self.symptom_buttons = {}
        self._symptom_text: dict[str, str] = {}
        symptom_row = QHBoxLayout()
        heading = QLabel("Symptom provoked:", self)
        heading.setFont(scaled_font(self, 1.25, bold=True))
        symptom_row.addWidget(heading)
        keys = [*self.plan.symptoms, *([self.plan.no_symptoms] if self.plan.no_symptoms else [])]
        for symptom in keys:
            button = big_button(f"{symptom.key}  {symptom.label}", self, checkable=True)
            button.setAccessibleName(f"{symptom.label} (key {symptom.key})")
            button.clicked.connect(functools.partial(self.toggle_symptom, symptom.id))
            self.symptom_buttons[symptom.id] = button
            self._symptom_text[symptom.id] = button.text()
            symptom_row.addWidget(button)

        self.recorded_label = QLabel(self)
        self.recorded_label.setFont(scaled_font(self, 1.25))
        self.recorded_label.setWordWrap(True)
        self.recorded_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label = QLabel(self)
        self.error_label.setFont(scaled_font(self, 1.3, bold=True))
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOUR};")

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.instructions)
        layout.addWidget(self.read_only_label)
        layout.addLayout(side_row)
        layout.addLayout(readouts, 1)
        layout.addLayout(controls)
        layout.addLayout(symptom_row)
        layout.addWidget(self.recorded_label)
        layout.addWidget(self.error_label)
