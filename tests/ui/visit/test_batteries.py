"""The battery list and pages: built lazily, in the background or on demand, shown by form id."""

from __future__ import annotations

from clinic_app.services.clinic import forms
from clinic_app.ui.visit.batteries import BatteryStack


def test_pages_are_built_in_idle_time_until_all_exist(qtbot):
    """The background build makes one page per turn and ends with every form and the binder."""
    stack = BatteryStack()
    qtbot.addWidget(stack)
    assert len(stack._pages) == 1  # only the first battery, shown at once
    stack.start_background_build()
    qtbot.waitUntil(lambda: stack._binder is not None, timeout=10000)
    assert list(stack.pages) == [form.id for form in forms()]


def test_choosing_a_battery_builds_it_then_and_shows_it(qtbot):
    """A battery not built yet is built when chosen; stepping stops at the ends of the list."""
    stack = BatteryStack()
    qtbot.addWidget(stack)
    stack.show_battery("hop")
    assert stack.current_form_id() == "hop" and "hop" in stack._pages and stack._binder is None
    stack.step(+100)
    assert stack.current_form_id() == forms().forms[-1].id
    stack.step(-100)
    assert stack.current_form_id() == forms().forms[0].id


def test_a_stopped_build_builds_nothing_more(qtbot):
    """After stop (the window is closing) the idle build does not create pages."""
    stack = BatteryStack()
    qtbot.addWidget(stack)
    stack.stop_background_build()
    stack.build_in_background()
    assert len(stack._pages) == 1
