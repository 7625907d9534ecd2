"""Patient and delivery repository: create, edit, archive, look up and search.

Functions take the caller's session (one per user action) and return domain objects. Every change
writes an audit event in the same session. Patients are archived, never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVarTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    false,
    or_,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.domain.ids import PatientId
from clinic_app.domain.model import Delivery, Patient
from clinic_app.storage import audit
from clinic_app.storage.base import prefix_upper_bound, read_rows, search_key, utcnow
from clinic_app.storage.errors import ConflictError, NotFoundError, StorageError
from clinic_app.storage.models import ClinicianRow, DeliveryRow, PatientRow, VisitRow


def patient_image(patient: Patient) -> dict[str, Any]:
    """Return the JSON-ready audit image of a patient."""
    return {
        "family_name": patient.family_name,
        "given_names": patient.given_names,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "record_number": patient.record_number,
        "archived": patient.archived,
    }


def delivery_image(delivery: Delivery) -> dict[str, Any]:
    """Return the JSON-ready audit image of a delivery."""
    return {
        "date": delivery.delivery_date.isoformat(),
        "mode": delivery.mode.value,
        "perineal_trauma": delivery.perineal_trauma.value,
        "parity": delivery.parity,
    }


def to_domain(row: PatientRow) -> Patient:
    """Convert a patient row to the domain record."""
    return Patient(
        PatientId(row.id),
        row.family_name,
        row.given_names,
        row.date_of_birth,
        row.record_number,
        row.archived,
    )


def delivery_to_domain(row: DeliveryRow) -> Delivery:
    """Convert a delivery row to the domain record."""
    return Delivery(
        row.delivery_date, DeliveryMode(row.mode), PerinealTrauma(row.perineal_trauma), row.parity
    )


def add_patient(session: Session, patient: Patient, *, actor_id: str, action: str = "create") -> Patient:
    """Store a new patient.

    Args:
        session: the unit of work.
        patient: the patient (her id must be new).
        actor_id: the clinician creating the record.
        action: ``"create"`` or ``"import"`` (as written to the audit trail).

    Returns:
        The stored patient.

    Raises:
        StorageError: the id is already used.
    """
    if session.get(PatientRow, patient.id) is not None:
        raise StorageError(f"A patient with id '{patient.id}' already exists.")
    row = PatientRow(
        id=patient.id,
        family_name=patient.family_name,
        given_names=patient.given_names,
        date_of_birth=patient.date_of_birth,
        record_number=patient.record_number,
        archived=patient.archived,
    )
    row.refresh_keys()
    session.add(row)
    audit.record(
        session,
        actor_id=actor_id,
        action=action,
        entity="patient",
        entity_id=patient.id,
        after=patient_image(patient),
    )
    return patient


def get_row(session: Session, patient_id: str) -> PatientRow:
    """Return the patient row (inside a unit of work only).

    Raises:
        NotFoundError: no such patient.
    """
    row = session.get(PatientRow, patient_id)
    if row is None:
        raise NotFoundError("patient", patient_id)
    return row


def get_patient(session: Session, patient_id: str) -> Patient:
    """Return one patient (archived or not).

    Raises:
        NotFoundError: no such patient.
    """
    return to_domain(get_row(session, patient_id))


def update_patient(
    session: Session, patient: Patient, *, actor_id: str, expected: Patient | None = None
) -> Patient:
    """Change a patient's identity details (names, date of birth, record number).

    Args:
        session: the unit of work.
        patient: the corrected details.
        actor_id: who corrects them.
        expected: the details as the user loaded them; when the stored ones differ, someone else
            changed the patient meanwhile and the edit is refused instead of overwriting theirs.

    Returns:
        The patient as stored.

    Raises:
        NotFoundError: no such patient.
        ConflictError: the stored details no longer match ``expected``.
    """
    row = get_row(session, patient.id)
    before = to_domain(row)
    if expected is not None and before != expected:
        last = audit.list_events(session, entity="patient", entity_id=patient.id, limit=1)
        who = last[0].actor_id if last else "another clinician"
        clinician = session.get(ClinicianRow, who)
        raise ConflictError(
            "patient record", patient.id, clinician.name if clinician else who, row.updated_at, 0, 0
        )
    row.family_name = patient.family_name
    row.given_names = patient.given_names
    row.date_of_birth = patient.date_of_birth
    row.record_number = patient.record_number
    row.updated_at = utcnow()
    row.refresh_keys()
    after = to_domain(row)
    if after != before:
        audit.record(
            session,
            actor_id=actor_id,
            action="update",
            entity="patient",
            entity_id=patient.id,
            before=patient_image(before),
            after=patient_image(after),
        )
    return after


def set_archived(session: Session, patient_id: str, archived: bool, *, actor_id: str) -> Patient:
    """Archive (remove from lists) or restore a patient; her records are kept.

    Raises:
        NotFoundError: no such patient.
    """
    row = get_row(session, patient_id)
    if row.archived != archived:
        before = patient_image(to_domain(row))
        row.archived = archived
        row.updated_at = utcnow()
        audit.record(
            session,
            actor_id=actor_id,
            action="archive" if archived else "update",
            entity="patient",
            entity_id=patient_id,
            before=before,
            after=patient_image(to_domain(row)),
        )
    return to_domain(row)


def add_delivery(
    session: Session, patient_id: str, delivery: Delivery, *, actor_id: str, action: str = "create"
) -> Delivery:
    """Record a birth for a patient.

    Raises:
        NotFoundError: no such patient.
    """
    get_row(session, patient_id)
    row = DeliveryRow(
        patient_id=patient_id,
        delivery_date=delivery.delivery_date,
        mode=delivery.mode.value,
        perineal_trauma=delivery.perineal_trauma.value,
        parity=delivery.parity,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action=action,
        entity="delivery",
        entity_id=str(row.id),
        after={"patient_id": patient_id, **delivery_image(delivery)},
    )
    _link_drafts(session, patient_id, row, actor_id=actor_id)
    return delivery


def _link_drafts(session: Session, patient_id: str, birth: DeliveryRow, *, actor_id: str) -> None:
    """Move draft visits dated on or after a newly recorded birth onto it, audited.

    A visit opened before the birth was recorded was linked to the earlier birth (or to none); a
    draft dated after this birth follows it. Signed and amended visits keep the birth they were
    signed against: their record is never changed behind the signer's back.
    """
    earlier = {
        row_id: day for row_id, day in session.execute(
            select(DeliveryRow.id, DeliveryRow.delivery_date).where(DeliveryRow.patient_id == patient_id)
        )
    }
    drafts = session.scalars(
        select(VisitRow).where(
            VisitRow.patient_id == patient_id,
            VisitRow.status == "draft",
            VisitRow.visit_date >= birth.delivery_date,
        )
    ).all()
    for visit in drafts:
        linked = earlier.get(visit.delivery_id) if visit.delivery_id is not None else None
        if visit.delivery_id == birth.id or (linked is not None and linked > birth.delivery_date):
            continue
        before = visit.delivery_id
        visit.delivery_id = birth.id
        visit.updated_at, visit.updated_by = utcnow(), actor_id
        session.flush()
        audit.record(
            session,
            actor_id=actor_id,
            action="update",
            entity="visit",
            entity_id=visit.id,
            before={"delivery_id": before},
            after={"delivery_id": birth.id, "delivery_date": birth.delivery_date.isoformat()},
        )


def deliveries_with_ids(session: Session, patient_id: str) -> list[tuple[int, Delivery]]:
    """Return every delivery of a patient with its row id, oldest first (ties in recording order)."""
    rows = read_rows(session, _DELIVERIES_WITH_IDS, {"patient_id": patient_id}).all()
    return [
        (row_id, Delivery(day, DeliveryMode(mode), PerinealTrauma(trauma), n))
        for row_id, day, mode, trauma, n in rows
    ]


_DELIVERIES_WITH_IDS = (
    select(
        DeliveryRow.id,
        DeliveryRow.delivery_date,
        DeliveryRow.mode,
        DeliveryRow.perineal_trauma,
        DeliveryRow.parity,
    )
    .where(DeliveryRow.patient_id == bindparam("patient_id"))
    .order_by(DeliveryRow.delivery_date, DeliveryRow.id)
)


def delivery_for(
    births: Sequence[tuple[int, Delivery]], visit_date: dt.date
) -> tuple[int, Delivery] | None:
    """Return the birth a visit on ``visit_date`` follows by default: the latest on or before it.

    Args:
        births: the patient's deliveries with ids, oldest first (:func:`deliveries_with_ids`).
        visit_date: the visit's date.
    """
    found = None
    for birth in births:
        if birth[1].delivery_date <= visit_date:
            found = birth
    return found


def list_deliveries(session: Session, patient_id: str) -> list[Delivery]:
    """Return every delivery of a patient, oldest first."""
    rows = read_rows(session, _DELIVERIES, {"patient_id": patient_id}).all()
    return [Delivery(day, DeliveryMode(mode), PerinealTrauma(trauma), n) for day, mode, trauma, n in rows]


_DELIVERIES = (
    select(DeliveryRow.delivery_date, DeliveryRow.mode, DeliveryRow.perineal_trauma, DeliveryRow.parity)
    .where(DeliveryRow.patient_id == bindparam("patient_id"))
    .order_by(DeliveryRow.delivery_date)
)


def latest_delivery(
    session: Session, patient_id: str, *, on_or_before: dt.date | None = None
) -> Delivery | None:
    """Return the patient's most recent delivery (optionally the latest on or before a visit date)."""
    if on_or_before is None:
        found = read_rows(session, _LATEST_DELIVERY, {"patient_id": patient_id}).first()
    else:
        params = {"patient_id": patient_id, "on_or_before": on_or_before}
        found = read_rows(session, _LATEST_DELIVERY_BY, params).first()
    if found is None:
        return None
    day, mode, trauma, parity = found
    return Delivery(day, DeliveryMode(mode), PerinealTrauma(trauma), parity)


_LATEST_DELIVERY = (
    select(DeliveryRow.delivery_date, DeliveryRow.mode, DeliveryRow.perineal_trauma, DeliveryRow.parity)
    .where(DeliveryRow.patient_id == bindparam("patient_id"))
    .order_by(DeliveryRow.delivery_date.desc(), DeliveryRow.id.desc())
    .limit(1)
)
_LATEST_DELIVERY_BY = _LATEST_DELIVERY.where(
    DeliveryRow.delivery_date <= bindparam("on_or_before", type_=Date())
)


_PATIENT_COLUMNS = (
    PatientRow.id,
    PatientRow.family_name,
    PatientRow.given_names,
    PatientRow.date_of_birth,
    PatientRow.record_number,
    PatientRow.archived,
)
"""The columns a domain :class:`Patient` is built from (searches and lists read only these)."""
_Ts = TypeVarTuple("_Ts")
PatientColumns = Select[str, str, str, dt.date, str, bool]
"""A select of the :data:`_PATIENT_COLUMNS`."""
_SEARCH_ORDER = (PatientRow.family_key, PatientRow.given_key, PatientRow.id)


def search_query(text: str, *, include_archived: bool = False, limit: int = 50) -> Select[PatientRow]:
    """Build the patient search query for ``text``.

    ``text`` may be a date of birth (``YYYY-MM-DD``), or words: each word must be the start of the
    family name, the given names, the record number or the patient id — or the whole text the start
    of the family or given names (for names of several words). Matching ignores case and accents.
    Every condition is an indexed equality or prefix range, so search stays fast on large clinics.

    Args:
        text: what the clinician typed.
        include_archived: also return archived patients.
        limit: maximum number of rows.

    Returns:
        A select statement of patient rows ordered by family name, given names and id.
    """
    return _filtered(select(PatientRow), text, include_archived, limit)


def _filtered(query: Select[*_Ts], text: str, include_archived: bool, limit: int) -> Select[*_Ts]:
    """Add the search conditions for ``text``, the archive filter, the order and the limit."""
    stripped = text.strip()
    try:
        born = dt.date.fromisoformat(stripped)
    except ValueError:
        born = None
    if born is not None:
        query = query.where(PatientRow.date_of_birth == born)
    elif key := search_key(stripped):
        words = key.split()
        query = query.where(_words_match(key, words) if len(words) > 1 else _word_matches(key))
    if not include_archived:
        query = query.where(PatientRow.archived == false())
    return query.order_by(*_SEARCH_ORDER).limit(_limit(limit))


def _limit(value: int) -> BindParameter[int]:
    """The search's LIMIT, written into the SQL as a number when the statement runs.

    SQLite plans a statement before it sees bound values: with ``LIMIT ?`` it cannot tell that only a
    few rows are wanted, and for a search of several words it then prefers walking a whole sort-order
    index (about 100 ms on 100,000 patients) over the indexed ranges (under 1 ms). The compiled form
    stays cached; only the number is rendered at execution.
    """
    return bindparam("limit", value, type_=Integer(), literal_execute=True)


def _words_match(phrase: str, words: list[str]) -> ColumnElement[bool]:
    """Condition for several words: the phrase or every word begins a name (see :func:`search_query`).

    The phrase must begin the family or given names, or each word one of the four searched keys.
    Written as an OR of indexed ranges only, so each branch is answered from its own index: the
    phrase on the family and given keys, and the longest word (the most selective) on each of the
    four keys, the other words filtering each branch's rows. Driving by the first word instead
    (often one letter, as in "Ó Sé…" → "o se") read thousands of rows before filtering.
    """
    phrase_upper = prefix_upper_bound(phrase)
    longest = max(range(len(words)), key=lambda n: len(words[n]))
    driver = words[longest]
    rest = [_word_matches(word) for n, word in enumerate(words) if n != longest]
    upper = prefix_upper_bound(driver)
    driver_upper = driver.upper()
    return or_(
        and_(PatientRow.family_key >= phrase, PatientRow.family_key < phrase_upper),
        and_(PatientRow.given_key >= phrase, PatientRow.given_key < phrase_upper),
        and_(PatientRow.family_key >= driver, PatientRow.family_key < upper, *rest),
        and_(PatientRow.given_key >= driver, PatientRow.given_key < upper, *rest),
        and_(PatientRow.record_key >= driver, PatientRow.record_key < upper, *rest),
        and_(PatientRow.id >= driver_upper, PatientRow.id < prefix_upper_bound(driver_upper), *rest),
    )


def _word_matches(word: str) -> ColumnElement[bool]:
    """Condition: ``word`` begins the family name, given names, record number or id (all indexed)."""
    upper = prefix_upper_bound(word)
    return or_(
        and_(PatientRow.family_key >= word, PatientRow.family_key < upper),
        and_(PatientRow.given_key >= word, PatientRow.given_key < upper),
        and_(PatientRow.record_key >= word, PatientRow.record_key < upper),
        and_(PatientRow.id >= word.upper(), PatientRow.id < prefix_upper_bound(word.upper())),
    )


def _cached_search(by_birth: bool, include_archived: bool) -> PatientColumns:
    """The statement of a one-word or date-of-birth search, built once with bound parameters.

    Searches are the app's most frequent query; reusing one statement object skips rebuilding the
    expression tree, and SQLAlchemy then finds its compiled form in the cache straight away.
    """
    key = (by_birth, include_archived)
    found = _SEARCHES.get(key)
    if found is None:
        query = select(*_PATIENT_COLUMNS)
        if by_birth:
            query = query.where(PatientRow.date_of_birth == bindparam("born", type_=Date()))
        else:
            word, upper = bindparam("word", type_=String()), bindparam("upper", type_=String())
            id_word, id_upper = bindparam("id_word", type_=String()), bindparam("id_upper", type_=String())
            query = query.where(
                or_(
                    and_(PatientRow.family_key >= word, PatientRow.family_key < upper),
                    and_(PatientRow.given_key >= word, PatientRow.given_key < upper),
                    and_(PatientRow.record_key >= word, PatientRow.record_key < upper),
                    and_(PatientRow.id >= id_word, PatientRow.id < id_upper),
                )
            )
        if not include_archived:
            query = query.where(PatientRow.archived == false())
        # A bound LIMIT here: these plans do not depend on it, and rendering a literal costs a little
        # on every run of the app's most frequent query.
        limit = bindparam("limit", type_=Integer())
        found = _SEARCHES[key] = query.order_by(*_SEARCH_ORDER).limit(limit)
    return found


_SEARCHES: dict[tuple[bool, bool], PatientColumns] = {}


def _patient(row: Sequence[Any]) -> Patient:
    """Build a domain patient from the :data:`_PATIENT_COLUMNS` of one row."""
    return Patient(PatientId(row[0]), row[1], row[2], row[3], row[4], row[5])


def search_patients(
    session: Session | Connection, text: str, *, include_archived: bool = False, limit: int = 50
) -> list[Patient]:
    """Return patients matching ``text`` (see :func:`search_query`); empty text lists everyone."""
    stripped = text.strip()
    try:
        born = dt.date.fromisoformat(stripped)
    except ValueError:
        born = None
    key = "" if born is not None else search_key(stripped)
    if born is not None:
        rows = read_rows(session, _cached_search(True, include_archived), {"born": born, "limit": limit})
    elif key and " " not in key:
        upper_key = key.upper()
        params = {
            "word": key,
            "upper": prefix_upper_bound(key),
            "id_word": upper_key,
            "id_upper": prefix_upper_bound(upper_key),
            "limit": limit,
        }
        rows = read_rows(session, _cached_search(False, include_archived), params)
    else:
        rows = read_rows(session, _filtered(select(*_PATIENT_COLUMNS), text, include_archived, limit), {})
    return [_patient(row) for row in rows.all()]


def get_patient_columns(session: Session, patient_id: str) -> Patient:
    """Return one patient (archived or not), reading only the columns a :class:`Patient` needs.

    Unlike :func:`get_patient` it loads no ORM row, for read-only actions that only show her.

    Raises:
        NotFoundError: no such patient.
    """
    row = read_rows(session, _BY_ID, {"patient_id": patient_id}).first()
    if row is None:
        raise NotFoundError("patient", patient_id)
    return _patient(row)


_BY_ID = select(*_PATIENT_COLUMNS).where(PatientRow.id == bindparam("patient_id"))
