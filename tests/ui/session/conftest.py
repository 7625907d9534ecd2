"""Runner fixtures: a visit editor on a new draft visit of the demo clinic, and a manual clock."""

from __future__ import annotations

import inspect

import pytest

from clinic_app.services import patients, visits
from clinic_app.ui.session.clock import ManualClock
from clinic_app.ui.visit.editor import VisitEditor


def draft_visit(ctx) -> str:
    """A new, empty draft visit of the demo clinic's first patient with a birth."""
    person = patients.search_patients(ctx.db, "Zoë")[0]
    date = visits.get_visit(ctx.db, "V-0001-2A").visit_date
    # The services move to "the signed-in user writes" (user=); older ones take the ids.
    if "user" in inspect.signature(visits.create_visit).parameters:
        created = visits.create_visit(ctx.db, person.id, date, user=ctx.user)
    else:
        created = visits.create_visit(
            ctx.db, person.id, date, clinician_id=ctx.actor_id, actor_id=ctx.actor_id
        )
    assert created.created_id
    return created.created_id


@pytest.fixture
def editor(qtbot, ctx) -> VisitEditor:
    """A visit editor showing a new draft visit (the synchronous task runner loads it at once)."""
    widget = VisitEditor(ctx)
    qtbot.addWidget(widget)
    widget.open_visit(draft_visit(ctx))
    assert widget.record is not None
    return widget


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when the test says so."""
    return ManualClock()
