"""Patient list: the model passes Qt's checks; search folds accents and case, finds by date of birth,
record number and id prefix, waits for typing to pause and shows only the newest request's result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from clinic_app.services import patients
from clinic_app.ui.patients.model import PatientListModel, PatientSearch
from clinic_app.ui.tasks import TaskRunner


class HeldRunner(TaskRunner):
    """A task runner that holds every query until the test releases it, in any order."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[tuple[Callable[[], Any], Callable[[Any], None] | None]] = []

    def run_query(self, op, *, success=None, failure=None, label=""):  # type: ignore[no-untyped-def]
        """Keep the query; nothing runs until :meth:`release`."""
        self.held.append((op, success))

    def release(self, index: int) -> None:
        """Run one held query and deliver its result."""
        op, success = self.held[index]
        result = op()
        if success is not None:
            success(result)


def _search(qtbot, ctx, text: str, *, include_archived: bool = False) -> PatientListModel:
    model = PatientListModel()
    search = PatientSearch(ctx, model)
    with qtbot.waitSignal(search.results_did_arrive, timeout=2000):
        search.search(text, include_archived=include_archived)
    return model


def _names(model: PatientListModel) -> list[str]:
    return [str(model.patient_at(row).given_names) for row in range(model.rowCount())]  # type: ignore[union-attr]


def test_patient_list_model_passes_qt_model_checks(qtmodeltester, demo_db) -> None:
    """The list model behaves as Qt's item views expect, with patients in it and after a reset."""
    model = PatientListModel()
    model.set_patients(patients.search_patients(demo_db, "", limit=200))
    qtmodeltester.check(model)
    model.set_patients([])
    qtmodeltester.check(model)


def test_columns_show_name_date_of_birth_record_and_id(demo_db) -> None:
    """Each row reads family name first, then date of birth, record number and id."""
    model = PatientListModel()
    model.set_patients(patients.search_patients(demo_db, "Zoë"))
    cells = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    assert cells == ["Ní Bhriain, Zoë", "02 Apr 1991", "RR-104", "P-0001"]
    assert model.patient_at(5) is None and model.row_of("P-0001") == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("zoe", "Zoë"), ("ZMUDA", "Łucja"), ("1991-04-02", "Zoë"), ("RR-318", "Siobhán"), ("P-0004", "Mele")],
)
def test_search_finds_by_folded_name_birth_date_record_and_id(qtbot, ctx, text, expected) -> None:
    """Unaccented, any-case names, a date of birth, a record number and an id prefix all find her."""
    assert expected in _names(_search(qtbot, ctx, text))


def test_typing_fast_runs_one_search_after_the_pause(qtbot, ctx) -> None:
    """Several keystrokes within the debounce run a single search, for the last text typed."""
    runner = HeldRunner()
    ctx.tasks = runner
    search = PatientSearch(ctx, PatientListModel())
    for text in ("z", "zo", "zoe"):
        search.search(text)
    qtbot.waitUntil(lambda: not search.pending, timeout=2000)
    assert len(runner.held) == 1
    runner.release(0)
    assert _names(search.model) == ["Zoë"]
    runner.shutdown()


def test_stale_results_are_dropped(qtbot, ctx) -> None:
    """When an earlier search answers after a later one, only the later one's patients are shown."""
    runner = HeldRunner()
    ctx.tasks = runner
    search = PatientSearch(ctx, PatientListModel())
    arrived: list[int] = []
    search.results_did_arrive.connect(arrived.append)
    search.search("")
    search.refresh()
    search.search("zoe")
    search.refresh()
    runner.release(1)
    runner.release(0)
    assert _names(search.model) == ["Zoë"] and arrived == [1]
    runner.shutdown()


def test_archived_patients_are_listed_only_when_asked(qtbot, ctx) -> None:
    """An archived patient drops out of the list and comes back with the archived toggle, marked so."""
    patients.archive_patient(ctx.db, "P-0004", user=ctx.user)
    assert "Mele" not in _names(_search(qtbot, ctx, "taufa"))
    model = PatientListModel()
    search = PatientSearch(ctx, model)
    with qtbot.waitSignal(search.results_did_arrive, timeout=2000):
        search.search("taufa")
    with qtbot.waitSignal(search.results_did_arrive, timeout=2000):
        search.set_include_archived(True)
    assert _names(model) == ["Mele"] and model.data(model.index(0, 0)).endswith("(archived)")
