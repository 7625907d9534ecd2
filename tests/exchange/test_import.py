"""Import: the dry run, matching, conflicts decided explicitly, all or nothing, the audit with checksum."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clinic_app.exchange.errors import BundleError
from clinic_app.exchange.plan import Resolution
from clinic_app.services import exchange
from clinic_app.storage import exchange as store
from clinic_app.storage.database import Database
from clinic_app.storage.models import AuditRow, ResultRow, VisitRow
from tests.exchange.bundles import edit_records, read_parts
from tests.exchange.bundles import records as entry_records
from tests.exchange.conftest import demo_user


def counts(db: Database) -> dict[str, int]:
    """Rows per table."""
    with db.reads.begin() as session:
        return store.count_rows(session)


@pytest.fixture
def bundle(demo: Database, tmp_path: Path) -> Path:
    """The whole demo clinic as a bundle."""
    path = tmp_path / "demo.rrbundle"
    exchange.export_bundle(demo, path)
    return path


def _first_signed(items: list[dict[str, Any]]) -> dict[str, Any]:
    return next(v for v in items if v["status"] == "signed" and v["results"])


def test_dry_run_writes_nothing_and_says_what_would_be_added(empty: Database, bundle: Path) -> None:
    """The dry run of a whole clinic into an empty one lists every addition and changes no row."""
    before = counts(empty)
    plan = exchange.plan_import(empty, bundle)
    assert counts(empty) == before
    assert plan.visits_added and plan.patients_added and plan.clinicians_added
    assert not plan.conflicts and not plan.matches
    assert any("to add" in line for line in plan.lines())


def test_reimport_leaves_everything_alone(demo: Database, bundle: Path) -> None:
    """Importing a clinic's own bundle again adds nothing and finds no conflict."""
    plan = exchange.plan_import(demo, bundle)
    assert not plan.changes_anything
    assert plan.visits_unchanged > 0 and len(plan.matches) == len(plan.matches) > 0
    assert all(match.how == "id" for match in plan.matches)


def test_import_is_audited_with_the_bundle_checksum(empty: Database, demo: Database, bundle: Path) -> None:
    """The import writes one audit event naming the bundle's SHA-256 and the signed-in clinician."""
    user = demo_user(demo)
    outcome = exchange.import_bundle(empty, bundle, user)
    with empty.reads.begin() as session:
        event = session.scalars(select(AuditRow).where(AuditRow.entity == "bundle")).one()
    assert event.entity_id == outcome.plan.checksum and event.action == "import"
    assert event.actor_id == user.clinician_id


def test_signed_visits_stay_signed(empty: Database, demo: Database, bundle: Path) -> None:
    """Signed visits arrive signed, with their signer and time."""
    exchange.import_bundle(empty, bundle, demo_user(demo))
    with demo.reads.begin() as s1, empty.reads.begin() as s2:
        ours = {r.id: (r.status, r.signed_by, r.signed_at) for r in s1.scalars(select(VisitRow))}
        theirs = {r.id: (r.status, r.signed_by, r.signed_at) for r in s2.scalars(select(VisitRow))}
    assert ours == theirs and any(status == "signed" for status, _, _ in theirs.values())


def _changed_copy(bundle: Path, tmp_path: Path) -> tuple[Path, str]:
    changed: dict[str, str] = {}

    def edit(items: list[dict[str, Any]]) -> None:
        visit = _first_signed(items)
        numeric = next(
            r for r in visit["results"] if isinstance(r["value"], int) and not isinstance(r["value"], bool)
        )
        numeric["value"] += 1
        changed["id"] = visit["id"]

    path = edit_records(bundle, tmp_path / "changed.rrbundle", "visits.jsonl", edit)
    return path, changed["id"]


def test_a_differing_visit_is_a_conflict_and_needs_a_choice(
    demo: Database, bundle: Path, tmp_path: Path
) -> None:
    """A visit present here and different in the bundle is never overwritten without a choice."""
    path, visit_id = _changed_copy(bundle, tmp_path)
    plan = exchange.plan_import(demo, path)
    assert [c.visit_id for c in plan.conflicts] == [visit_id]
    assert plan.conflicts[0].differences[-1].startswith("1 value differs: ")
    user = demo_user(demo)  # signing in is audited too, so before counting
    before = counts(demo)
    with pytest.raises(BundleError) as refused:
        exchange.import_bundle(demo, path, user)
    assert refused.value.problem == "conflict" and visit_id in str(refused.value)
    assert counts(demo) == before


def test_a_conflict_names_the_patient_the_date_and_each_value_in_words(
    demo: Database, bundle: Path, tmp_path: Path
) -> None:
    """The dry run says whose visit differs, on which day, and which values by their form labels."""
    path, visit_id = _changed_copy(bundle, tmp_path)
    conflict = exchange.plan_import(demo, path).conflicts[0]
    with demo.reads.begin() as session:
        (mine,) = store.visit_records(session, [visit_id])
    assert conflict.patient_name and conflict.patient_name in conflict.heading()
    assert "visit of " in conflict.heading() and mine["visit_date"] not in conflict.heading()
    values = conflict.differences[-1]
    assert " here, " in values and " in the bundle" in values
    assert not any(f"{r['path']}:" in values for r in mine["results"])  # labels, never field paths
    detail = next(line for line in exchange.plan_import(demo, path).lines() if "CONFLICT" in line)
    assert conflict.patient_name in detail and values in detail


def test_a_conflict_names_people_and_dates_never_their_ids(
    demo: Database, bundle: Path, tmp_path: Path
) -> None:
    """Another clinician, signer or date on a visit reads as names and dates in words, not profile ids."""
    _, entries = read_parts(bundle)
    people = {c["id"]: c["name"] for c in entry_records(entries["clinicians.jsonl"])}
    changed: dict[str, Any] = {}

    def edit(items: list[dict[str, Any]]) -> None:
        visit = _first_signed(items)
        other = next(c for c in people if c != visit["clinician_id"])
        changed.update(visit=visit["id"], mine=visit["clinician_id"], signer=visit["signed_by"], other=other)
        visit["clinician_id"] = visit["signed_by"] = other
        visit["visit_date"] = (dt.date.fromisoformat(visit["visit_date"]) + dt.timedelta(days=1)).isoformat()

    path = edit_records(bundle, tmp_path / "people.rrbundle", "visits.jsonl", edit)
    (conflict,) = exchange.plan_import(demo, path).conflicts
    text = "; ".join(conflict.differences)
    mine, other = people[changed["mine"]], people[changed["other"]]
    assert f"recorded by {mine} here, by {other} in the bundle" in conflict.differences
    assert (
        f"signed by {people[changed['signer']]} here, signed by {other} in the bundle" in conflict.differences
    )
    assert any(d.startswith("visit date: ") and " 2026 here, " in d for d in conflict.differences)
    assert not any(clinician_id in text for clinician_id in people)


def test_keep_leaves_our_visit(demo: Database, bundle: Path, tmp_path: Path) -> None:
    """Choosing to keep ours imports nothing for that visit."""
    path, visit_id = _changed_copy(bundle, tmp_path)
    with demo.reads.begin() as session:
        before = list(store.visit_records(session, [visit_id]))
    exchange.import_bundle(demo, path, demo_user(demo), resolutions={visit_id: Resolution.KEEP})
    with demo.reads.begin() as session:
        assert list(store.visit_records(session, [visit_id])) == before


def test_theirs_arrives_as_an_amendment(demo: Database, bundle: Path, tmp_path: Path) -> None:
    """Taking theirs keeps our visit (marked amended) and adds theirs as its amendment."""
    path, visit_id = _changed_copy(bundle, tmp_path)
    outcome = exchange.import_bundle(demo, path, demo_user(demo), resolutions={visit_id: Resolution.THEIRS})
    assert outcome.amended == (visit_id,)
    with demo.reads.begin() as session:
        original = session.get(VisitRow, visit_id)
        amendment = session.scalars(select(VisitRow).where(VisitRow.amends_id == visit_id)).one()
        assert original is not None and original.status == "amended"
        assert amendment.status == "signed"
        ours = {
            (r.field_path, r.side): r.value
            for r in session.scalars(select(ResultRow).where(ResultRow.visit_id == visit_id))
        }
        theirs = {
            (r.field_path, r.side): r.value
            for r in session.scalars(select(ResultRow).where(ResultRow.visit_id == amendment.id))
        }
    assert len([k for k in ours if ours[k] != theirs.get(k)]) == 1


def test_patient_matched_by_name_and_birth(demo: Database, bundle: Path, tmp_path: Path) -> None:
    """A patient under another id but with the same name and date of birth is matched and shown so."""
    renamed: dict[str, str] = {}

    def edit_patients(items: list[dict[str, Any]]) -> None:
        patient = items[0]
        renamed[patient["id"]] = "P-ELSEWHERE"
        patient["id"], patient["record_number"] = "P-ELSEWHERE", ""

    path = edit_records(bundle, tmp_path / "a.rrbundle", "patients.jsonl", edit_patients)

    def follow(items: list[dict[str, Any]]) -> None:
        for item in items:
            for key in ("patient_id",):
                if item.get(key) in renamed:
                    old = item[key]
                    item[key] = renamed[old]
                    if "key" in item:
                        item["key"] = item["key"].replace(old, renamed[old])

    path = edit_records(path, tmp_path / "b.rrbundle", "deliveries.jsonl", follow)

    def follow_visits(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["patient_id"] in renamed:
                old = item["patient_id"]
                item["patient_id"] = renamed[old]
                if item["delivery"]:
                    item["delivery"] = item["delivery"].replace(old, renamed[old])

    path = edit_records(path, tmp_path / "c.rrbundle", "visits.jsonl", follow_visits)
    path = edit_records(
        path,
        tmp_path / "d.rrbundle",
        "audit.jsonl",
        lambda items: items.__setitem__(
            slice(None),
            [
                e
                for e in items
                if e["entity_id"] not in renamed and not e["entity_id"].startswith(tuple(renamed))
            ],
        ),
    )
    plan = exchange.plan_import(demo, path)
    match = next(m for m in plan.matches if m.bundle_id == "P-ELSEWHERE")
    assert match.local_id in renamed and match.how == "name and date of birth"
    assert not plan.patients_added


def test_a_failure_while_writing_rolls_back_everything(
    empty: Database, demo: Database, bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the last write (the audit trail) fails, the patients and visits written before it are gone too."""
    user = demo_user(demo)
    before = counts(empty)

    def broken(*args: object, **kwargs: object) -> None:
        raise BundleError("audit.jsonl changed while importing", problem="checksum")

    monkeypatch.setattr(store, "insert_audit", broken)
    with pytest.raises(BundleError):
        exchange.import_bundle(empty, bundle, user)
    assert counts(empty) == before


def test_a_file_changed_since_the_dry_run_is_refused_as_changed(
    demo: Database, bundle: Path, tmp_path: Path
) -> None:
    """The dry run's checksum refuses another file, named as changed even when its analysis fails first."""
    plan = exchange.plan_import(demo, bundle)
    path, _ = _changed_copy(bundle, tmp_path)
    user = demo_user(demo)
    before = counts(demo)
    with pytest.raises(BundleError) as refused:
        exchange.import_bundle(demo, path, user, expected_checksum=plan.checksum)
    assert refused.value.problem == "checksum" and "changed since the dry run" in str(refused.value)
    assert counts(demo) == before
    outcome = exchange.import_bundle(demo, bundle, user, expected_checksum=plan.checksum)
    assert outcome.plan.checksum == plan.checksum
