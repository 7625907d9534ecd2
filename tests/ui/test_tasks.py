"""The one database worker: outcomes on the GUI thread, changes announced, busy shown, quit waits."""

from __future__ import annotations

import threading

from clinic_app.services.changes import Changes
from clinic_app.ui.tasks import SyncTaskRunner, TaskRunner


def test_work_runs_off_the_gui_thread_and_the_result_comes_back_on_it(qtbot):
    """The operation runs on the worker; success is called on the GUI thread with its result."""
    runner = TaskRunner()
    seen: dict[str, object] = {}

    def op() -> int:
        seen["op_thread"] = threading.current_thread().name
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["done_thread"] = threading.current_thread()

    runner.run_query(op, success=done)
    qtbot.waitUntil(lambda: "result" in seen)
    runner.shutdown()
    assert seen["result"] == 42
    assert str(seen["op_thread"]).startswith("clinic-db")
    assert seen["done_thread"] is threading.main_thread()


def test_a_changes_result_is_announced_with_its_initiator(qtbot):
    """A mutating operation that returns Changes emits operation_did_execute after success."""
    runner = TaskRunner()
    order: list[str] = []
    changes = Changes("Saved", visit_ids=frozenset({"V-1"}))
    runner.operation_did_execute.connect(lambda c, who: order.append(f"announced {c.summary} by {who}"))
    with qtbot.waitSignal(runner.operation_did_execute, timeout=2000):
        runner.run_op(lambda: changes, success=lambda _c: order.append("success"), initiator="editor")
    runner.shutdown()
    assert order == ["success", "announced Saved by editor"]


def test_a_failure_goes_to_its_handler_or_to_task_did_fail(qtbot):
    """An exception reaches the failure handler; without one the runner reports it with the label."""
    runner = TaskRunner()
    caught: list[BaseException] = []

    def boom() -> None:
        raise ValueError("disk full")

    runner.run_query(boom, failure=caught.append)
    qtbot.waitUntil(lambda: bool(caught))
    with qtbot.waitSignal(runner.task_did_fail, timeout=2000) as blocker:
        runner.run_op(boom, label="Saving")
    runner.shutdown()
    assert str(caught[0]) == "disk full"
    assert blocker.args[1] == "Saving"


def test_the_busy_indicator_appears_only_for_long_tasks(qtbot):
    """A task longer than 300 ms turns busy on and then off; a quick one never does."""
    runner = TaskRunner()
    states: list[bool] = []
    runner.busy_did_change.connect(lambda busy, _label: states.append(busy))
    runner.run_query(lambda: None)
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert states == []
    release = threading.Event()
    runner.run_query(lambda: release.wait(5), label="Searching")
    qtbot.waitUntil(lambda: states == [True], timeout=3000)
    release.set()
    qtbot.waitUntil(lambda: states == [True, False], timeout=3000)
    runner.shutdown()


def test_shutdown_waits_for_queued_work():
    """Quitting finishes every queued save before the worker goes."""
    runner = TaskRunner()
    done: list[int] = []
    gate = threading.Event()
    runner.run_query(lambda: gate.wait(5))
    for number in range(5):
        runner.run_query(lambda number=number: done.append(number))
    gate.set()
    runner.shutdown()
    assert done == [0, 1, 2, 3, 4]


def test_the_synchronous_runner_delivers_inline_in_the_same_order(qtbot):
    """Tests' runner calls success, then announces, before run_op returns."""
    runner = SyncTaskRunner()
    order: list[str] = []
    runner.operation_did_execute.connect(lambda _c, _who: order.append("announced"))
    runner.run_op(lambda: Changes("x"), success=lambda _c: order.append("success"))
    runner.run_query(lambda: 1 / 0, failure=lambda e: order.append(type(e).__name__))
    assert order == ["success", "announced", "ZeroDivisionError"]
