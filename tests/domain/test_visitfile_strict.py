"""Strict reading of visit files: unknown, duplicate and dotted keys, earlier visits, limits."""

from __future__ import annotations

import copy
import json
import time
import tracemalloc
from typing import Any

import pytest

from clinic_app.domain.visitfile import parse_visit_file, read_visit_text
from clinic_app.domain.visitlimits import MAX_FILE_BYTES, MAX_NAME_CHARS, MAX_PREVIOUS_VISITS

from .test_visitfile import TODAY, minimal


def _earlier(date: str = "2026-08-01", visit_id: str = "V-0") -> dict[str, Any]:
    return {
        "visit": {"id": visit_id, "date": date, "clinician": {"id": "C-1", "name": "Alex Byrne"}},
        "results": {"strength": {"calf_raise": {"left": 20, "right": 19}}},
    }


def _paths(doc: Any) -> list[str]:
    outcome = parse_visit_file(doc, today=TODAY)
    assert outcome.record is None
    return [error.path for error in outcome.errors]


def _text_errors(text: str | bytes) -> dict[str, str]:
    outcome = read_visit_text(text, today=TODAY)
    assert outcome.record is None and outcome.errors
    return {error.path: error.message for error in outcome.errors}


def test_a_typo_in_a_key_is_refused_with_a_suggestion() -> None:
    """'perineal_truama' is an error at its path that suggests the real key (it used to be ignored)."""
    doc = minimal()
    doc["delivery"]["perineal_truama"] = doc["delivery"].pop("perineal_trauma")
    outcome = parse_visit_file(doc, today=TODAY)
    assert outcome.record is None
    assert [(e.path, e.message) for e in outcome.errors] == [
        ("delivery.perineal_truama", "unknown key — did you mean 'perineal_trauma'?")
    ]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ((), "notes"),
        (("patient",), "patient.notes"),
        (("visit",), "visit.notes"),
        (("visit", "clinician"), "visit.clinician.notes"),
    ],
)
def test_unknown_keys_are_refused_at_every_level(where: tuple[str, ...], expected: str) -> None:
    """A key the format does not define is an error wherever it is."""
    doc = minimal()
    node = doc
    for key in where:
        node = node[key]
    node["notes"] = "x"
    assert expected in _paths(doc)


def test_unknown_key_in_an_earlier_visit_is_refused() -> None:
    """Earlier visits are read as strictly as the current one."""
    doc = minimal()
    earlier = _earlier()
    earlier["visit"]["statuss"] = "signed"
    earlier["extra"] = 1
    doc["previous_visits"] = [earlier]
    assert {"previous_visits[0].visit.statuss", "previous_visits[0].extra"} <= set(_paths(doc))


def test_dotted_field_key_is_refused() -> None:
    """'single_hop.left' inside a form is not silently turned into a sided value."""
    doc = minimal()
    doc["results"]["hop"] = {"single_hop.left": 110}
    outcome = parse_visit_file(doc, today=TODAY)
    assert outcome.record is None
    (error,) = outcome.errors
    assert error.path == 'results.hop["single_hop.left"]' and "cannot hold '.'" in error.message


def test_duplicate_keys_are_refused_at_their_path() -> None:
    """The second of two equal keys no longer silently wins."""
    text = json.dumps(minimal()).replace('"parity": 2', '"parity": 2, "parity": 3')
    assert "appears twice" in _text_errors(text)["delivery.parity"]


def test_nan_in_an_earlier_visit_is_refused() -> None:
    """NaN in previous_visits (it crashed the chart code) is an error naming the value."""
    doc = minimal()
    doc["previous_visits"] = [_earlier()]
    text = json.dumps(doc).replace('"left": 20', '"left": NaN')
    errors = _text_errors(text)
    assert "NaN" in errors["previous_visits[0].results.strength.calf_raise.left"]
    doc["previous_visits"][0]["results"]["strength"]["calf_raise"]["left"] = float("nan")
    assert "previous_visits.strength.calf_raise.left" not in _paths(doc)
    assert "previous_visits[0].results.strength.calf_raise.left" in _paths(doc)


def test_earlier_visits_with_the_same_id_are_refused() -> None:
    """Two visits of one file with the same id would be one record twice."""
    doc = minimal()
    doc["previous_visits"] = [_earlier(visit_id="V-1")]
    assert "previous_visits[0].visit.id" in _paths(doc)


def test_earlier_visit_that_is_not_an_object_is_refused() -> None:
    """A malformed earlier visit names its index."""
    doc = minimal()
    doc["previous_visits"] = [_earlier(), 7]
    assert "previous_visits[1]" in _paths(doc)


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    """A file saved with a BOM reads like one without."""
    content = b"\xef\xbb\xbf" + json.dumps(minimal()).encode("utf-8")
    outcome = read_visit_text(content, today=TODAY)
    assert outcome.errors == [] and outcome.record is not None and outcome.record.from_visit_file


def test_utf16_is_named() -> None:
    """A UTF-16 file says what it is and what to do."""
    assert "UTF-16" in _text_errors(json.dumps(minimal()).encode("utf-16"))["$"]


@pytest.mark.parametrize(
    ("content", "path", "words"),
    [
        ('{"patient": {"id": 1' + "0" * 5000 + "}}", "patient.id", "digits"),
        ('{"patient": {"id": "\\ud800"}}', "patient.id", "lone surrogate"),
        ('{"delivery": {"parity": Infinity}}', "delivery.parity", "Infinity"),
        ('{"delivery": {"parity": 1e999}}', "delivery.parity", "too large"),
        ("[" * 100_000 + "]" * 100_000, "$", "nested"),
        ('{"a": [[[[[[[[[[1]]]]]]]]]]}', "a" + "[0]" * 8, "nested deeper"),
    ],
)
def test_hostile_json_is_refused_at_its_path(content: str, path: str, words: str) -> None:
    """Each hostile construct gives an error at its path that names the problem."""
    assert words in _text_errors(content)[path]


def test_a_name_of_a_megabyte_is_refused_quickly() -> None:
    """A megabyte name is refused at its path, well within a second."""
    doc = minimal()
    doc["patient"]["family_name"] = "x" * 1_000_000
    started = time.perf_counter()
    errors = _text_errors(json.dumps(doc))
    assert time.perf_counter() - started < 1.0
    assert "1,000,000 characters" in errors["patient.family_name"]


def test_names_are_limited_and_one_line() -> None:
    """Names longer than the name limit, or holding control characters, are refused."""
    doc = minimal()
    doc["patient"]["family_name"] = "x" * (MAX_NAME_CHARS + 1)
    doc["patient"]["given_names"] = "Zo\x1b[2Jë"
    errors = {e.path: e.message for e in parse_visit_file(doc, today=TODAY).errors}
    assert "at most 200" in errors["patient.family_name"]
    assert "control character (U+001B)" in errors["patient.given_names"]


def test_tens_of_thousands_of_earlier_visits_are_refused_quickly() -> None:
    """30,000 earlier visits: refused with a message about earlier visits, fast and in bounded memory."""
    doc = minimal()
    doc["previous_visits"] = [{"visit": {"date": "2026-08-01"}}] * 30_000
    text = json.dumps(doc, separators=(",", ":"))
    started = time.perf_counter()
    errors = _text_errors(text)
    elapsed = time.perf_counter() - started  # timed without tracemalloc, which slows reading severalfold
    tracemalloc.start()
    _text_errors(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0 and peak < 80 * 1024 * 1024
    message = next(iter(errors.values()))
    assert "earlier visits" in message or "JSON objects" in message
    doc["previous_visits"] = [_earlier(visit_id=f"V-{n}") for n in range(MAX_PREVIOUS_VISITS + 1)]
    assert "earlier visits" in _text_errors(json.dumps(doc))["previous_visits"]


def test_text_larger_than_the_limit_is_refused() -> None:
    """More bytes than a visit file may hold is one message, without decoding."""
    assert "MiB" in _text_errors(b" " * (MAX_FILE_BYTES + 1))["$"]


def test_the_current_document_is_untouched_by_reading() -> None:
    """Reading a decoded document never changes it (the exchange import may reuse it)."""
    doc = minimal()
    doc["previous_visits"] = [_earlier()]
    before = copy.deepcopy(doc)
    parse_visit_file(doc, today=TODAY)
    assert doc == before
