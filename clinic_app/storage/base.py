"""Declarative base, column types and the search-key function shared by models and migrations.

The naming convention gives every constraint and index a stable, predictable name, which Alembic's
batch mode needs to alter SQLite tables and which keeps PostgreSQL and SQLite schemas identical.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVarTuple

from sqlalchemy import DateTime, MetaData, Select, String, Text
from sqlalchemy.engine import Connection, Dialect, Result
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and always returned timezone-aware (UTC).

    SQLite has no timezone type; storing UTC everywhere and re-attaching the zone on the way out
    means both engines return the same values and comparisons never mix naive and aware datetimes.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Convert an aware datetime to naive UTC before it is written."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Attach UTC to a naive stored timestamp."""
        return None if value is None else value.replace(tzinfo=dt.UTC)


def key_string(length: int) -> String:
    """Return a string type for search keys: byte-order collation on PostgreSQL.

    Prefix search is written as a range (``key >= 'abc' AND key < 'abd'``), which an ordinary B-tree
    index answers on both engines only when the column compares by code point. SQLite does so by
    default (BINARY); PostgreSQL needs the ``C`` collation.
    """
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class JSONText(TypeDecorator[Any]):
    """A JSON value kept as text, so it reads back exactly as written on every engine.

    SQLite gives a column declared ``JSON`` numeric affinity and turns the text ``7.0`` into the
    integer 7; a TEXT column keeps the JSON document verbatim, so booleans, whole numbers and
    decimals stay distinct. A Python None is stored as SQL NULL.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """Serialise a JSON-ready value (NaN and infinity are refused)."""
        return json_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        """Parse the stored JSON text."""
        return None if value is None else json.loads(value)


def json_text(value: Any) -> str | None:
    """Return the JSON text :class:`JSONText` stores for ``value`` (None for None; NaN refused).

    For statements that write many values with the text already encoded (see
    :func:`clinic_app.storage.visits.add_visit`), so both ways store exactly the same text.
    """
    if value is None:
        return None
    return _ENCODE(value)


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, allow_nan=False).encode


JSON_VALUE = JSONText()
"""Column type of every JSON value (results, decisions, audit images)."""

_LETTER_FOLDS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


def search_key(text: str) -> str:
    """Fold a name or record number into its search key: lower case, accents removed.

    ``"Zoë Ní Bhriain"`` → ``"zoe ni bhriain"``, ``"Łucja Żmuda"`` → ``"lucja zmuda"``, so a clinician
    can type a name without accents on any keyboard.

    Args:
        text: the text as entered.

    Returns:
        The key stored beside the text and compared against folded search terms.
    """
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    stripped = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_LETTER_FOLDS).split())


def prefix_upper_bound(prefix: str) -> str:
    """Return the smallest string greater than every string starting with ``prefix``.

    Args:
        prefix: a non-empty search prefix.

    Returns:
        ``prefix`` with its last character incremented (``"abc"`` → ``"abd"``). Surrogate code points
        are skipped (they cannot be stored as UTF-8), and a trailing highest code point carries over.
    """
    stripped = prefix.rstrip(_MAX_CHAR)
    if not stripped:
        return _MAX_CHAR * (len(prefix) + 64)
    following = ord(stripped[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000
    return stripped[:-1] + chr(following)


_MAX_CHAR = chr(0x10FFFF)


class Base(DeclarativeBase):
    """Declarative base of every table; carries the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime()}


_Ts = TypeVarTuple("_Ts")


def read_rows(
    session: Session | Connection, statement: Select[*_Ts], params: Mapping[str, Any]
) -> Result[*_Ts]:
    """Run a plain column query on the session's connection, skipping the ORM's result handling.

    For the frequent read queries (search, open a patient) that build domain objects from columns:
    the ORM's execution path costs more than the query itself. Pending changes are flushed first,
    as the ORM's autoflush would, so the query sees what the unit of work has done so far.

    Args:
        session: the unit of work, or a read-only action's Core connection (see
            :meth:`~clinic_app.storage.database.Database.read_connection`), which runs it directly.
        statement: a select of columns (no ORM entities).
        params: the bound parameters.

    Returns:
        The Core result.
    """
    if isinstance(session, Connection):
        return session.execute(statement, params)
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection().execute(statement, params)


def utcnow() -> dt.datetime:
    """Return the current time, timezone-aware in UTC (the only clock storage uses)."""
    return dt.datetime.now(dt.UTC)
