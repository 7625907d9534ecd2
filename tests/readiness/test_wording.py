"""The protocol's ``[wording]`` tables: loaded, used in what the rules print, and checked on load."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from clinic_app.readiness.compare import compare_results
from clinic_app.readiness.protocol import (
    Protocol,
    ProtocolError,
    default_protocol,
    default_protocol_path,
    parse_protocol,
)
from clinic_app.readiness.wording import CHOICE_TABLES, GENERIC_SITES, KEYS, SITES
from tests.readiness.builders import assess_with, passing_document, record_of


def _raw() -> dict[str, Any]:
    return tomllib.loads(default_protocol_path().read_text(encoding="utf-8"))


def _protocol_with(table: str, key: str, value: str) -> Protocol:
    data = _raw()
    data["wording"][table][key] = value
    return parse_protocol(data)


def _error(mutate: Any) -> ProtocolError:
    data = _raw()
    mutate(data)
    with pytest.raises(ProtocolError) as info:
        parse_protocol(data)
    return info.value


def test_default_protocol_has_every_wording_key_and_each_site_protocol_of_the_form() -> None:
    """Every fixed key is loaded as text, and each site protocol the form offers has its site words."""
    wording = default_protocol().wording
    for table, keys in KEYS.items():
        assert set(wording.tables[table]) == set(keys), table
    assert all(table in wording.tables for table in CHOICE_TABLES)
    form = default_protocol().forms
    assert form is not None
    site_field = form.field_by_path("diastasis.site_protocol")
    assert site_field is not None
    for protocol_id in (*site_field.choice_ids, GENERIC_SITES):
        assert set(wording.sites[protocol_id]) == set(SITES), protocol_id
    assert wording.sites["sperstad_4_5"]["above"] == "4.5 cm above the umbilicus"
    assert wording.sites["beer_3_2"]["below"] == "2 cm below the umbilicus"


def test_site_words_fall_back_to_the_generic_sites() -> None:
    """A visit without a site protocol (or with one the table lacks) reads the generic site words."""
    wording = default_protocol().wording
    assert wording.site_words(None)["above"] == "above the umbilicus"
    assert wording.site_words("unknown_4_4") == wording.sites[GENERIC_SITES]


def test_site_and_condition_wording_is_what_o2_prints() -> None:
    """O2's summary names each site and condition in the protocol's words, not the code's."""
    data = _raw()
    data["wording"]["diastasis_sites"]["sperstad_4_5"]["below"] = "a hand below the navel"
    data["wording"]["conditions"]["curl"] = "during curl-up"
    protocol = parse_protocol(data)
    o2 = next(p for p in assess_with(protocol=protocol).passed if p.rule_id == "O2")
    assert "0.9 cm a hand below the navel during curl-up" in o2.summary
    default = next(p for p in assess_with().passed if p.rule_id == "O2")
    assert "0.9 cm 4.5 cm below the umbilicus on head-lift" in default.summary


def test_derived_labels_and_summaries_come_from_the_protocol() -> None:
    """A computed value's label and a passed check's summary follow the protocol's wording."""
    data = _raw()
    data["wording"]["derived"]["popq_stage"] = "Prolapse stage (POP-Q)"
    data["wording"]["derived"]["bmi"] = "Body-mass index"
    data["wording"]["summary"]["popq"] = "stage {stage} on POP-Q"
    decision = assess_with(protocol=parse_protocol(data))
    labels = {d.path: d.label for d in decision.derived}
    assert labels["prolapse.popq_stage"] == "Prolapse stage (POP-Q)"
    assert labels["history.bmi"] == "Body-mass index"
    o1 = next(p for p in decision.passed if p.rule_id == "O1")
    assert o1.summary == "stage 0 on POP-Q"


def test_comparison_rows_come_from_the_protocol() -> None:
    """The follow-up comparison's labels and notes are the protocol's ``[wording.compare]``."""
    record = record_of(passing_document())
    previous = record.visit.results
    protocol = _protocol_with("compare", "mos", "Pelvic-floor strength (MOS)")
    rows = {c.path: c for c in compare_results(previous, previous, protocol)}
    assert rows["pelvic_floor.mos"].label == "Pelvic-floor strength (MOS)"
    default_rows = {c.path: c for c in compare_results(previous, previous, default_protocol())}
    assert default_rows["hop.single_hop.lsi"].note == "H2: under 8 % is within test error"
    assert default_rows["diastasis.ird_umbilicus_curl"].label == "Inter-recti distance umbilicus (head-lift)"


def test_a_choice_without_words_prints_its_id() -> None:
    """A leakage trigger the choice table does not name is printed as its id, not dropped."""
    data = _raw()
    del data["wording"]["leakage_triggers"]["cough_sneeze"]
    decision = assess_with(
        {"symptoms.urinary_leakage": True, "symptoms.leakage_triggers": ["cough_sneeze"]},
        protocol=parse_protocol(data),
    )
    p1 = next(f for f in decision.holds if f.rule_id == "P1")
    assert "(with cough_sneeze)" in p1.explanation


@pytest.mark.parametrize(
    ("mutate", "where", "key"),
    [
        (lambda d: d.pop("wording"), "[wording]", "wording"),
        (lambda d: d["wording"].pop("derived"), "[wording]", "derived"),
        (lambda d: d["wording"]["derived"].pop("popq_stage"), "[wording.derived]", "popq_stage"),
        (lambda d: d["wording"]["conditions"].pop("curl"), "[wording.conditions]", "curl"),
        (lambda d: d["wording"]["summary"].update(bmi="  "), "[wording.summary]", "bmi"),
        (lambda d: d["wording"]["compare"].pop("hop_note"), "[wording.compare]", "hop_note"),
        (
            lambda d: d["wording"]["diastasis_sites"]["sperstad_4_5"].pop("above"),
            "[wording.diastasis_sites.sperstad_4_5]",
            "above",
        ),
        (lambda d: d["wording"]["diastasis_sites"].pop("beer_3_2"), "[wording.diastasis_sites]", "beer_3_2"),
        (lambda d: d["wording"]["diastasis_sites"].pop("generic"), "[wording.diastasis_sites]", "generic"),
        (lambda d: d["wording"]["derived"].update(pop_q_stage="POP-Q"), "[wording.derived]", "pop_q_stage"),
        (lambda d: d["wording"]["summary"].update(popq="POP-Q stage {grade}"), "[wording.summary]", "popq"),
        (lambda d: d["wording"]["summary"].update(mos="MOS {value:g}"), "[wording.summary]", "mos"),
        (
            lambda d: d["wording"]["phrases"].update(leading_edge="edge {edge"),
            "[wording.phrases]",
            "leading_edge",
        ),
        (lambda d: d["wording"]["task_symptoms"].update(pain=3), "[wording.task_symptoms]", "pain"),
    ],
)
def test_bad_wording_names_table_and_key(mutate: Any, where: str, key: str) -> None:
    """A missing, empty, unknown or badly templated wording key raises ProtocolError naming table and key."""
    error = _error(mutate)
    assert (error.where, error.key) == (where, key)
    assert where in str(error) and f"key '{key}'" in str(error)
