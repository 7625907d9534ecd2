"""Strict checks of the bundle's records, one function per entry, before anything reaches the database.

The JSON Schemas in ``docs/formats/`` describe the same shapes for other tools; these checks are the
importer's own, written out because the schema validator costs milliseconds per visit (an import of
10,000 visits would spend most of its time there). Tests keep the two in step: every exported record
passes both, and the hostile records the fuzzer makes fail here with a message.

A record is a JSON object with exactly the listed keys. Timestamps are ISO 8601 with a zone, dates
``YYYY-MM-DD``; ids and texts have the column lengths of the database.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma, VisitStatus
from clinic_app.exchange.errors import BundleError

_PATH = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*(\.(left|right|missing_reason))?")
_SHA = re.compile(r"[0-9a-f]{64}")
_MAX_INT = 2**53
_MAX_TEXT = 100_000
Checker = Callable[[str, Any], Any]


class _Where:
    """Where a record sits (entry and line), for messages."""

    __slots__ = ("entry", "line")

    def __init__(self, entry: str, line: int) -> None:
        self.entry = entry
        self.line = line

    def fail(self, key: str, problem: str) -> BundleError:
        return BundleError(f"{self.entry} line {self.line}: {key} {problem}.", problem="record")


def _keys(where: _Where, record: Mapping[str, Any], required: frozenset[str], name: str = "record") -> None:
    if not isinstance(record, dict):
        raise where.fail(name, "is not an object")
    if record.keys() != required:
        missing = sorted(required - record.keys())
        extra = sorted(record.keys() - required)
        if missing:
            raise where.fail(name, f"lacks {', '.join(missing)}")
        raise where.fail(name, f"has unknown keys {', '.join(extra)}")


def _text(where: _Where, key: str, value: Any, *, limit: int, empty: bool = True) -> None:
    if not isinstance(value, str):
        raise where.fail(key, "is not text")
    if len(value) > limit:
        raise where.fail(key, f"is longer than {limit} characters")
    if not empty and not value.strip():
        raise where.fail(key, "is empty")


def _optional_text(where: _Where, key: str, value: Any, *, limit: int) -> None:
    if value is not None:
        _text(where, key, value, limit=limit, empty=False)


def _boolean(where: _Where, key: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise where.fail(key, "is not true or false")


def _integer(where: _Where, key: str, value: Any, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise where.fail(key, f"is not a whole number from {low} to {high}")


def _date(where: _Where, key: str, value: Any) -> None:
    if not isinstance(value, str) or len(value) != 10:
        raise where.fail(key, "is not a date (YYYY-MM-DD)")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise where.fail(key, "is not a date (YYYY-MM-DD)") from None


def _timestamp(where: _Where, key: str, value: Any, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or len(value) > 40:
        raise where.fail(key, "is not a timestamp")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise where.fail(key, "is not a timestamp") from None
    if parsed.tzinfo is None:
        raise where.fail(key, "has no time zone")


def _choice(where: _Where, key: str, value: Any, allowed: frozenset[str]) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise where.fail(key, f"is not one of {', '.join(sorted(allowed))}")


def _json(where: _Where, key: str, value: Any, depth: int = 0) -> None:
    """Any JSON value (audit images, the engine's decision), with a depth limit."""
    if depth > 32:
        raise where.fail(key, "is nested too deeply")
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        if abs(value) > _MAX_INT:
            raise where.fail(key, "holds a number too large")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise where.fail(key, "holds a number that is not finite")
        return
    if isinstance(value, list):
        for item in value:
            _json(where, key, item, depth + 1)
        return
    if isinstance(value, dict):
        for item in value.values():
            _json(where, key, item, depth + 1)
        return
    raise where.fail(key, "is not JSON")


_CLINICIAN = frozenset({"id", "name", "profession", "registration", "active", "created_at"})


def check_clinician(entry: str, line: int, record: dict[str, Any]) -> None:
    """Check one ``clinicians.jsonl`` record (a profile without any password).

    Raises:
        BundleError: a missing, extra or malformed key.
    """
    where = _Where(entry, line)
    _keys(where, record, _CLINICIAN)
    _text(where, "id", record["id"], limit=40, empty=False)
    _text(where, "name", record["name"], limit=200, empty=False)
    _text(where, "profession", record["profession"], limit=200)
    _text(where, "registration", record["registration"], limit=100)
    _boolean(where, "active", record["active"])
    _timestamp(where, "created_at", record["created_at"])


_PATIENT = frozenset(
    {
        "id",
        "family_name",
        "given_names",
        "date_of_birth",
        "record_number",
        "archived",
        "created_at",
        "updated_at",
    }
)


def check_patient(entry: str, line: int, record: dict[str, Any]) -> None:
    """Check one ``patients.jsonl`` record.

    Raises:
        BundleError: a missing, extra or malformed key.
    """
    where = _Where(entry, line)
    _keys(where, record, _PATIENT)
    _text(where, "id", record["id"], limit=40, empty=False)
    _text(where, "family_name", record["family_name"], limit=200)
    _text(where, "given_names", record["given_names"], limit=200)
    _date(where, "date_of_birth", record["date_of_birth"])
    _text(where, "record_number", record["record_number"], limit=60)
    _boolean(where, "archived", record["archived"])
    _timestamp(where, "created_at", record["created_at"])
    _timestamp(where, "updated_at", record["updated_at"])


_DELIVERY = frozenset({"key", "patient_id", "delivery_date", "mode", "perineal_trauma", "parity"})
_MODES = frozenset(mode.value for mode in DeliveryMode)
_TRAUMA = frozenset(kind.value for kind in PerinealTrauma)


def check_delivery(entry: str, line: int, record: dict[str, Any]) -> None:
    """Check one ``deliveries.jsonl`` record; ``key`` is ``<patient id>#<n>``.

    Raises:
        BundleError: a missing, extra or malformed key.
    """
    where = _Where(entry, line)
    _keys(where, record, _DELIVERY)
    _text(where, "patient_id", record["patient_id"], limit=40, empty=False)
    _owned_key(where, record["key"], record["patient_id"], "key")
    _date(where, "delivery_date", record["delivery_date"])
    _choice(where, "mode", record["mode"], _MODES)
    _choice(where, "perineal_trauma", record["perineal_trauma"], _TRAUMA)
    _integer(where, "parity", record["parity"], 1, 30)


def _owned_key(where: _Where, key: Any, owner: str, name: str) -> None:
    # The owner's prefix compared as text, the number by a compiled pattern: a pattern built per
    # owner missed the ``re`` cache on every record (0.9 s of an import of 10,000 visits).
    prefix = f"{owner}#"
    if not isinstance(key, str) or not key.startswith(prefix) or not _KEY_NUMBER.fullmatch(key, len(prefix)):
        raise where.fail(name, f"is not {owner}#<number>")


_KEY_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


_VISIT = frozenset(
    {
        "id",
        "patient_id",
        "visit_date",
        "clinician_id",
        "status",
        "version",
        "amends",
        "created_at",
        "updated_at",
        "updated_by",
        "signed_at",
        "signed_by",
        "delivery",
        "results",
        "decisions",
        "reports",
    }
)
_STATUSES = frozenset(status.value for status in VisitStatus)
_RESULT = frozenset({"path", "value", "unit", "method"})
_DECISION = frozenset(
    {
        "protocol_id",
        "protocol_version",
        "proposed_status",
        "decision",
        "action",
        "overrides",
        "final_status",
        "comment",
        "decided_by",
        "decided_at",
    }
)
_ACTIONS = frozenset({"confirmed", "overridden"})
_OVERRIDE = frozenset({"rule_id", "reason"})
_REPORT = frozenset({"kind", "sha256", "file_name", "created_by", "created_at"})


def check_visit(entry: str, line: int, record: dict[str, Any]) -> None:
    """Check one ``visits.jsonl`` record with its results, decisions and report records.

    Raises:
        BundleError: a missing, extra or malformed key, a duplicate result path, or a status that
            contradicts the sign-off fields.
    """
    where = _Where(entry, line)
    _keys(where, record, _VISIT)
    for key in ("id", "patient_id", "clinician_id", "updated_by"):
        _text(where, key, record[key], limit=40, empty=False)
    _date(where, "visit_date", record["visit_date"])
    _choice(where, "status", record["status"], _STATUSES)
    _integer(where, "version", record["version"], 1, _MAX_INT)
    _optional_text(where, "amends", record["amends"], limit=40)
    if record["amends"] == record["id"]:
        raise where.fail("amends", "names the visit itself")
    _timestamp(where, "created_at", record["created_at"])
    _timestamp(where, "updated_at", record["updated_at"])
    _timestamp(where, "signed_at", record["signed_at"], optional=True)
    _optional_text(where, "signed_by", record["signed_by"], limit=40)
    if (record["signed_at"] is None) != (record["signed_by"] is None):
        raise where.fail("signed_at", "and signed_by must both be given or both be null")
    if record["status"] == VisitStatus.SIGNED.value and record["signed_by"] is None:
        raise where.fail("status", "is signed but the visit has no signed_by")
    if record["delivery"] is not None:
        _owned_key(where, record["delivery"], record["patient_id"], "delivery")
    _results(where, record["results"])
    decisions = record["decisions"]
    if not isinstance(decisions, list):
        raise where.fail("decisions", "is not a list")
    for decision in decisions:
        _decision(where, decision)
    reports = record["reports"]
    if not isinstance(reports, list):
        raise where.fail("reports", "is not a list")
    for report in reports:
        _keys(where, report, _REPORT, "a report")
        _text(where, "report kind", report["kind"], limit=40, empty=False)
        if not isinstance(report["sha256"], str) or not _SHA.fullmatch(report["sha256"]):
            raise where.fail("report sha256", "is not 64 lower-case hex digits")
        _text(where, "report file_name", report["file_name"], limit=255)
        _text(where, "report created_by", report["created_by"], limit=40, empty=False)
        _timestamp(where, "report created_at", report["created_at"])


def _results(where: _Where, results: Any) -> None:
    if not isinstance(results, list):
        raise where.fail("results", "is not a list")
    seen: set[str] = set()
    match = _PATH.fullmatch
    for item in results:
        # The common case in one pass without calls (a visit holds over a hundred values); anything
        # unusual goes through the full checks below, which name the problem.
        if type(item) is dict and item.keys() == _RESULT:
            path, value, unit, method = item["path"], item["value"], item["unit"], item["method"]
            kind = type(value)
            if (
                type(path) is str
                and len(path) <= 140
                and path not in seen
                and match(path)
                and type(unit) is str
                and len(unit) <= 40
                and type(method) is str
                and len(method) <= 60
                and (
                    kind is bool
                    or (kind is int and -_MAX_INT <= value <= _MAX_INT)
                    or (kind is float and math.isfinite(value))
                    or (kind is str and len(value) <= _MAX_TEXT)
                )
            ):
                seen.add(path)
                continue
        _keys(where, item, _RESULT, "a result")
        path = item["path"]
        if not isinstance(path, str) or len(path) > 140 or not _PATH.fullmatch(path):
            raise where.fail("a result path", "is not form.field or form.field.left/right")
        if path in seen:
            raise where.fail(f"result {path}", "appears twice")
        seen.add(path)
        _value(where, path, item["value"])
        _text(where, f"{path} unit", item["unit"], limit=40)
        _text(where, f"{path} method", item["method"], limit=60)


def _value(where: _Where, path: str, value: Any) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if abs(value) > _MAX_INT:
            raise where.fail(path, "is a number too large")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise where.fail(path, "is not a finite number")
        return
    if isinstance(value, str):
        if len(value) > _MAX_TEXT:
            raise where.fail(path, "is too long")
        return
    if isinstance(value, list) and all(isinstance(item, str) and len(item) <= 200 for item in value):
        return
    raise where.fail(path, "is not a yes/no, number, text or list of choices")


def _decision(where: _Where, decision: Any) -> None:
    _keys(where, decision, _DECISION, "a decision")
    _text(where, "decision protocol_id", decision["protocol_id"], limit=80, empty=False)
    _text(where, "decision protocol_version", decision["protocol_version"], limit=40, empty=False)
    _text(where, "decision proposed_status", decision["proposed_status"], limit=40, empty=False)
    _text(where, "decision final_status", decision["final_status"], limit=40, empty=False)
    if not isinstance(decision["decision"], dict):
        raise where.fail("decision decision", "is not an object")
    _json(where, "decision decision", decision["decision"])
    _choice(where, "decision action", decision["action"], _ACTIONS)
    overrides = decision["overrides"]
    if not isinstance(overrides, list):
        raise where.fail("decision overrides", "is not a list")
    for override in overrides:
        _keys(where, override, _OVERRIDE, "an override")
        _text(where, "override rule_id", override["rule_id"], limit=40, empty=False)
        _text(where, "override reason", override["reason"], limit=_MAX_TEXT, empty=False)
    _text(where, "decision comment", decision["comment"], limit=_MAX_TEXT)
    _text(where, "decision decided_by", decision["decided_by"], limit=40, empty=False)
    _timestamp(where, "decision decided_at", decision["decided_at"])


_AUDIT = frozenset({"occurred_at", "actor_id", "action", "entity", "entity_id", "before", "after"})
AUDIT_ENTITIES = frozenset({"clinician", "patient", "delivery", "visit", "decision", "report"})
"""The records whose history a bundle carries."""
_AUDIT_ACTION = re.compile(r"[a-z][a-z_]{0,39}")
"""An audit verb (the app adds verbs over time, so any lower-case word is accepted)."""


def check_audit(entry: str, line: int, record: dict[str, Any]) -> None:
    """Check one ``audit.jsonl`` event (``entity_id`` of a delivery, decision or report is an owned key).

    Raises:
        BundleError: a missing, extra or malformed key.
    """
    where = _Where(entry, line)
    _keys(where, record, _AUDIT)
    _timestamp(where, "occurred_at", record["occurred_at"])
    _text(where, "actor_id", record["actor_id"], limit=40, empty=False)
    if not isinstance(record["action"], str) or not _AUDIT_ACTION.fullmatch(record["action"]):
        raise where.fail("action", "is not an audit verb")
    _choice(where, "entity", record["entity"], AUDIT_ENTITIES)
    _text(where, "entity_id", record["entity_id"], limit=80, empty=False)
    if record["entity"] in ("delivery", "decision", "report") and "#" not in record["entity_id"]:
        raise where.fail("entity_id", "of a delivery, decision or report is not <owner id>#<number>")
    _json(where, "before", record["before"])
    _json(where, "after", record["after"])


CHECKS: dict[str, Callable[[str, int, dict[str, Any]], None]] = {
    "clinicians.jsonl": check_clinician,
    "patients.jsonl": check_patient,
    "deliveries.jsonl": check_delivery,
    "visits.jsonl": check_visit,
    "audit.jsonl": check_audit,
}
"""The check of each record entry."""
