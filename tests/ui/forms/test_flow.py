"""The flowing layout of task fields, and battery pages that fit the editor at 150 % text."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from clinic_app.services.clinic import forms
from clinic_app.ui.forms.editors import ticks_per_line
from clinic_app.ui.forms.flow import FlowLayout
from clinic_app.ui.forms.page import BatteryPage

EDITOR_WIDTH_AT_150 = 640
"""The editor's scroll area in a 1280 × 800 window at 150 % text (measured on the screenshots)."""


def _flow_of(qtbot, labels: list[str]) -> tuple[QWidget, list[QLabel]]:
    host = QWidget()
    qtbot.addWidget(host)
    flow = FlowLayout(host, spacing=10, line_spacing=4)
    items = [QLabel(text, host) for text in labels]
    for item in items:
        flow.addWidget(item)
    return host, items


def test_items_wrap_to_a_new_line_when_the_width_runs_out(qtbot) -> None:
    """Wide: one line; narrow: more lines, a taller layout, and no item starts beyond the right edge."""
    host, items = _flow_of(qtbot, ["Completed", "Walking time reached", "Quality of control"])
    flow = host.layout()
    wide = flow.sizeHint().width() + 10
    narrow = max(item.sizeHint().width() for item in items) + 5
    assert flow.heightForWidth(narrow) > flow.heightForWidth(wide)
    host.resize(narrow, flow.heightForWidth(narrow))
    host.show()
    qtbot.waitExposed(host)
    assert len({item.y() for item in items}) == 3
    assert all(item.geometry().right() <= narrow for item in items)
    host.resize(wide, flow.heightForWidth(wide))
    qtbot.waitUntil(lambda: len({item.y() for item in items}) == 1)


def test_the_minimum_width_is_the_widest_item() -> None:
    """Below the widest item a field would be cut, so the layout never asks for less."""
    host = QWidget()
    flow = FlowLayout(host)
    labels = [QLabel(text, host) for text in ("a", "a much longer caption", "b")]
    for label in labels:
        flow.addWidget(label)
    assert flow.minimumSize().width() == max(label.minimumSizeHint().width() for label in labels)


def test_ticks_per_line_keeps_each_line_within_the_budget() -> None:
    """Short labels share one line; long ones are split evenly; very long ones stand alone."""
    assert ticks_per_line(["Low back", "Hip", "Knee"]) == 3
    assert ticks_per_line(["None", "Leakage", "Heaviness or dragging", "Pain", "Doming"]) == 3
    assert ticks_per_line(["On the way to the toilet (urgency)", "Other"]) == 1


@pytest.fixture
def large_text(qapp: QApplication):
    """The application font at 150 % for one test (the UI-scale preference), restored after."""
    before = qapp.font()
    font = qapp.font()
    font.setPointSizeF(before.pointSizeF() * 1.5)
    qapp.setFont(font)
    yield
    qapp.setFont(before)


@pytest.mark.parametrize("form_id", [form.id for form in forms()])
def test_no_battery_scrolls_sideways_at_150_percent(qtbot, large_text, form_id: str) -> None:
    """Every battery fits the editor's width in a 1280 × 800 window at 150 % text."""
    page = BatteryPage(forms().form(form_id))
    qtbot.addWidget(page)
    content = page.scroll_area.widget()
    assert content.minimumSizeHint().width() <= EDITOR_WIDTH_AT_150
