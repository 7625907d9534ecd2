"""Open the clinic database for the app and hold the helpers every service shares.

``open_clinic`` is what the GUI and the command line call at start-up: it opens the database named
by the argument, ``CLINIC_APP_DATABASE_URL``, the saved setting or the default file, and applies any
pending migrations (after a backup of a SQLite file).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import uuid
from collections.abc import Mapping
from typing import Any

from clinic_app.assessment import FormCatalogue, load_forms, validate
from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results, Value
from clinic_app.services.errors import StorageError, ValidationFailed
from clinic_app.storage.database import (
    Database as Database,
)
from clinic_app.storage.database import (
    default_database_path,
    open_database,
    refresh_search_statistics,
    resolve_database_url,
)
from clinic_app.storage.diagnose import (
    Condition,
    StorageProblemError,
    check_database,
    classify,
    describe_storage_error,
    shown_url,
)
from clinic_app.storage.migrate import current_revision, migrate


def open_clinic(
    url: str | None = None, *, setting: str | None = None, read_only_ok: bool = False
) -> Database:
    """Open the clinic database and bring its schema up to date.

    A read-only preflight (:func:`clinic_app.storage.diagnose.check_database`) runs first, so a file
    that is not a database, a newer schema, a read-only or locked file or an unreachable server is
    reported clearly before anything is written.

    Args:
        url: explicit database URL (command-line ``--database``); see
            :func:`clinic_app.storage.database.resolve_database_url` for the fallbacks.
        setting: the URL saved in the app's settings.
        read_only_ok: the caller only reads (overview, search, printing a stored visit): a SQLite
            file that cannot be written (read-only file, folder or drive) is then opened read-only
            instead of refused, and one locked by a writer is opened without waiting for it, provided
            its schema is current (upgrading it would need writing).

    On SQLite the patient search statistics are then gathered when missing or stale
    (:func:`clinic_app.storage.database.refresh_search_statistics`).

    Returns:
        The open, migrated database; call ``dispose()`` when done.

    Raises:
        StorageError: the database cannot be used (newer schema, foreign tables, unusable URL …);
            nothing changed.
    """
    resolved = resolve_database_url(url, setting=setting)
    default = default_database_path()
    if resolved.get_backend_name() == "sqlite" and resolved.database == str(default):
        # First start: the per-user data folder is ours to create. Any other missing folder may be
        # a disconnected drive, which the preflight reports instead of creating a stray folder.
        with contextlib.suppress(OSError):  # a read-only home: the preflight says so
            default.parent.mkdir(parents=True, exist_ok=True)
    try:
        check_database(resolved)
    except StorageProblemError as error:
        if not read_only_ok or error.condition not in (Condition.READ_ONLY, Condition.LOCKED):
            raise
        return _open_for_reading(resolved, error)
    db = open_database(resolved)
    try:
        migrate(db.engine)
    except BaseException:
        db.dispose()
        raise
    refresh_search_statistics(db.engine)
    return db


def _open_for_reading(url: Any, refusal: StorageProblemError) -> Database:
    """Open an existing, current SQLite clinic that cannot be written now, for reading.

    A read-only file, folder or drive is opened read-only; a file another program is writing to
    right now is opened as usual (in WAL mode a reader never waits for a writer), without the
    migration check's write and the statistics refresh, which would wait for that writer.
    """
    status = check_database(url, for_reading=True)
    if not status.exists:
        raise refusal
    if not status.at_head:
        if refusal.condition is Condition.LOCKED:
            raise refusal
        raise StorageProblemError(
            Condition.READ_ONLY,
            f"{status.shown_url} is read-only and uses an older schema that this version must upgrade "
            "first. Open it once with write access (or copy it to a writable folder); it was left unchanged.",
        )
    return open_database(url, read_only=refusal.condition is Condition.READ_ONLY)


def schema_revision(db: Database) -> str:
    """The schema revision recorded in the open database (the self-test prints it)."""
    return current_revision(db.engine) or "none"


def explain_failure(error: BaseException, url: str | None = None) -> str | None:
    """Return the message for a storage failure, or None when ``error`` is not one (a bug to surface).

    Args:
        error: what was raised while using the database.
        url: the database in use (for the message; password hidden).
    """
    if isinstance(error, StorageError):
        return str(error)
    if classify(error) is Condition.UNKNOWN:
        return None
    try:
        shown: Any = resolve_database_url(url)
    except StorageError:
        shown = url or "the clinic database"
    return describe_storage_error(error, shown)


def database_label(url: str | None = None) -> str:
    """Return where the clinic's data lives, for the window: a SQLite file, or a URL with secrets masked.

    Never raises: an unusable URL is shown masked as it was typed (opening it reports the problem).

    Args:
        url: as for :func:`open_clinic` (None: the environment, then the default file).
    """
    try:
        return shown_url(resolve_database_url(url))
    except StorageError:
        return shown_url(url or "")


def new_id(prefix: str) -> str:
    """Return a fresh record id such as ``P-3F9A0C21`` (upper case, so id-prefix search works)."""
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


@functools.cache
def forms() -> FormCatalogue:
    """Return the clinic's form catalogue (loaded once per process)."""
    return load_forms()


def field_label(path: str) -> str:
    """The label a clinician reads for a value path: ``S2 Single-leg bridge (left)``.

    A path no form names (an old bundle's, say) is returned as it is rather than hidden.
    """
    spec = forms().field_by_path(path)
    if spec is None:
        return path
    side = path.rsplit(".", 1)[-1] if path.count(".") == 2 else ""
    return f"{spec.label} ({side})" if side in ("left", "right") else spec.label


def check_results(
    results: Results, *, visit_date: dt.date, delivery_date: dt.date | None, today: dt.date | None = None
) -> None:
    """Validate values against the forms; raise before anything is written.

    Raises:
        ValidationFailed: with every field error found.
    """
    errors = validate(results, forms(), visit_date=visit_date, delivery_date=delivery_date, today=today)
    if errors:
        raise ValidationFailed(errors)


def annotations_for(results: Mapping[FieldPath, Value]) -> dict[str, tuple[str, str]]:
    """Return the unit and method stored beside each value (``form.field`` → ``(unit, method)``).

    The unit is the field's declared unit, or the value of its unit field (the diastasis distances
    take theirs from ``diastasis.unit``); the method is the form's ``method`` value when it has one.
    """
    out: dict[str, tuple[str, str]] = {}
    for path in results:
        plan = _annotation_plan(str(path))
        if plan is None:
            continue
        field_path, unit, unit_path, method_path = plan
        if unit_path is not None:
            recorded = results.get(unit_path)
            unit = str(recorded) if isinstance(recorded, str) else ""
        method = results.get(method_path)
        out[field_path] = (unit, str(method) if isinstance(method, str) else "")
    return out


@functools.lru_cache(maxsize=4096)
def _annotation_plan(path: str) -> tuple[str, str, FieldPath | None, FieldPath] | None:
    """Look a value path up in the forms once: its field, declared unit, unit field and method field.

    A complete visit has over a hundred values, saved again and again; the form catalogue does not
    change while the app runs (:func:`forms` is loaded once), so neither does the answer.
    """
    spec = forms().field_by_path(path)
    if spec is None:
        return None
    unit_path = FieldPath(f"{spec.form_id}.{spec.unit_field}") if spec.unit_field else None
    return spec.path, spec.unit, unit_path, FieldPath(f"{spec.form_id}.method")
