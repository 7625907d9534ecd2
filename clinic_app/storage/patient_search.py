"""Patient search: indexed prefix and date-of-birth queries, and a light look-up by id.

The app's most frequent queries: they read only the columns a :class:`Patient` needs and reuse
prebuilt statements, so a search stays fast on large clinics.
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

from clinic_app.domain.ids import PatientId
from clinic_app.domain.model import Patient
from clinic_app.storage.base import prefix_upper_bound, read_rows, search_key
from clinic_app.storage.errors import NotFoundError
from clinic_app.storage.models import PatientRow

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
