"""Tests for the sign-in dialog and the lock screen: wrong password stays in the form, right one signs in."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from clinic_app.services import patients
from clinic_app.services.clinic import Database
from clinic_app.services.session import SignedIn
from clinic_app.ui.context import AppContext
from clinic_app.ui.signin import NO_CLINICIANS, LockScreen, SignInDialog
from clinic_app.ui.tasks import SyncTaskRunner, TaskRunner

from .conftest import DEMO_PASSWORD


def test_dialog_lists_clinicians_and_picks_the_preferred_one(qtbot: QtBot, ctx: AppContext) -> None:
    """The picker holds every active clinician, and the last one signed in is picked first."""
    staff = patients.list_clinicians(ctx.db)
    dialog = SignInDialog(ctx.db, ctx.tasks, preferred_id=str(staff[-1].id))
    qtbot.addWidget(dialog)
    picker = dialog.form.clinician_picker
    assert [picker.itemText(i) for i in range(picker.count())] == [c.name for c in staff]
    assert dialog.form.selected_clinician_id() == str(staff[-1].id)
    assert dialog.form.password_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.form.password_edit.accessibleName() == "Password"
    assert picker.accessibleName() == "Clinician profile"


def test_wrong_then_right_password(qtbot: QtBot, ctx: AppContext) -> None:
    """A wrong password is said in the dialog, cleared, and the dialog stays; the right one accepts it."""
    dialog = SignInDialog(ctx.db, ctx.tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    form.password_edit.setText("not-the-password")
    form.submit()
    assert "not the password for" in form.message()
    assert form.password_edit.text() == ""
    assert dialog.isVisible()
    assert dialog.signed_in is None
    form.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.sign_in_did_succeed) as signal:
        form.submit()
    user = signal.args[0]
    assert isinstance(user, SignedIn)
    assert user.clinician_id == form.selected_clinician_id()
    assert dialog.signed_in == user
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()


def test_empty_password_is_not_checked(qtbot: QtBot, ctx: AppContext) -> None:
    """Pressing Sign in with no password asks for one instead of calling the service."""
    dialog = SignInDialog(ctx.db, ctx.tasks)
    qtbot.addWidget(dialog)
    dialog.form.submit()
    assert "Type your password" in dialog.form.message()


def test_sign_in_on_the_real_worker_thread(qtbot: QtBot, ctx: AppContext) -> None:
    """With the threaded task runner the password is checked off the GUI thread and delivered back."""
    tasks = TaskRunner()
    try:
        dialog = SignInDialog(ctx.db, tasks)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.form.clinician_picker.count() > 0)
        dialog.form.password_edit.setText(DEMO_PASSWORD)
        with qtbot.waitSignal(dialog.sign_in_did_succeed, timeout=10_000):
            dialog.form.submit()
            assert not dialog.form.sign_in_button.isEnabled()  # busy while checking
    finally:
        tasks.shutdown()


def test_empty_clinic_says_how_to_add_a_profile(qtbot: QtBot, tmp_path: object) -> None:
    """A clinic without clinicians says so in the dialog and offers nothing to submit."""
    from clinic_app.services.clinic import open_clinic

    db: Database = open_clinic(f"sqlite:///{tmp_path}/empty.sqlite3")
    try:
        dialog = SignInDialog(db, SyncTaskRunner())
        qtbot.addWidget(dialog)
        assert dialog.form.message() == NO_CLINICIANS
        assert not dialog.form.sign_in_button.isEnabled()
    finally:
        db.dispose()


def test_lock_screen_names_who_was_signed_in_and_unlocks(qtbot: QtBot, ctx: AppContext) -> None:
    """The lock screen names the locked clinician, refuses a wrong password and unlocks with hers."""
    assert ctx.user is not None
    screen = LockScreen(ctx.db, ctx.tasks)
    qtbot.addWidget(screen)
    screen.prepare(ctx.user)
    assert f"Locked — {ctx.user.name} was signed in" in screen.explanation.text()
    assert screen.form.selected_clinician_id() == ctx.user.clinician_id
    screen.form.password_edit.setText("wrong")
    with qtbot.assertNotEmitted(screen.unlock_did_succeed):
        screen.form.submit()
    assert "not the password for" in screen.form.message()
    screen.form.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(screen.unlock_did_succeed) as signal:
        screen.form.submit()
    assert signal.args[0].clinician_id == ctx.user.clinician_id


def test_lock_screen_lets_someone_else_sign_in(qtbot: QtBot, ctx: AppContext) -> None:
    """Another clinician can pick her own profile on the lock screen and sign in with her password."""
    assert ctx.user is not None
    screen = LockScreen(ctx.db, ctx.tasks, locked_user=ctx.user)
    qtbot.addWidget(screen)
    other = next(c for c in patients.list_clinicians(ctx.db) if str(c.id) != ctx.user.clinician_id)
    screen.form.select_clinician(str(other.id))
    screen.form.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(screen.unlock_did_succeed) as signal:
        screen.form.submit()
    assert signal.args[0].clinician_id == str(other.id)


def test_preparing_again_clears_the_form(qtbot: QtBot, ctx: AppContext) -> None:
    """Locking again leaves no typed password or old message behind."""
    screen = LockScreen(ctx.db, ctx.tasks, locked_user=ctx.user)
    qtbot.addWidget(screen)
    screen.form.password_edit.setText("half-typed")
    screen.form.show_message("old")
    screen.prepare(ctx.user)
    assert screen.form.password_edit.text() == ""
    assert screen.form.message() == ""
