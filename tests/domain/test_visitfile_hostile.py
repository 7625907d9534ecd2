"""Hostile visit files, generated (seeded by the test profile): never a traceback, always the path."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.domain import visitfile
from clinic_app.domain.visitfile import read_visit_text

from .test_visitfile import TODAY, minimal

# Places in a valid document where an object can be reached, as key paths from the root.
OBJECTS: list[tuple[str, ...]] = [
    (),
    ("patient",),
    ("delivery",),
    ("visit",),
    ("visit", "clinician"),
    ("results",),
    ("results", "symptoms"),
    ("results", "strength", "calf_raise"),
]


def _path_of(keys: tuple[str, ...]) -> str:
    return ".".join(keys)


def _node(doc: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    node = doc
    for key in keys:
        node = node[key]
    return node


def _refused(text: str | bytes) -> dict[str, str]:
    outcome = read_visit_text(text, today=TODAY)
    assert outcome.record is None, "a hostile file was accepted"
    assert outcome.errors and all(error.path and error.message for error in outcome.errors)
    return {error.path: error.message for error in outcome.errors}


KNOWN = {
    *visitfile.ROOT_KEYS,
    *visitfile.PATIENT_KEYS,
    *visitfile.DELIVERY_KEYS,
    *visitfile.VISIT_KEYS,
    *visitfile.CLINICIAN_KEYS,
}
keys = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12).filter(lambda key: key not in KNOWN)


@settings(max_examples=300)
@given(where=st.sampled_from(OBJECTS[:5]), key=keys)
def test_an_unknown_key_is_named(where: tuple[str, ...], key: str) -> None:
    """A key the format does not define, anywhere in the identity part, is refused at its path."""
    doc = minimal()
    node = _node(doc, where)
    if key in node:
        return
    node[key] = "x"
    errors = _refused(json.dumps(doc))
    prefix = _path_of(where)
    assert any(
        path.startswith(prefix) and ("key" in message or "id" in message) for path, message in errors.items()
    )


@settings(max_examples=200)
@given(where=st.sampled_from(OBJECTS), value=st.integers() | st.text(max_size=5))
def test_a_duplicate_key_is_named(where: tuple[str, ...], value: Any) -> None:
    """Any key written twice in the same object is refused at its path, not silently replaced."""
    doc = minimal()
    node = _node(doc, where)
    first = next(iter(node))
    node["__DUP__"] = value
    text = json.dumps(doc).replace('"__DUP__"', json.dumps(first))
    errors = _refused(text)
    expected = ".".join((*where, first)) if where else first
    assert "appears twice" in errors[expected]


hostile_values = st.sampled_from(
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "1" + "0" * 60,
        '"\\udc00"',
        '"' + "x" * 3000 + '"',
        "[" + ",".join(['"a"'] * 150) + "]",
        "[[[[[[[[[[]]]]]]]]]]",
    ]
)


@settings(max_examples=300)
@given(where=st.sampled_from(OBJECTS[1:]), literal=hostile_values, earlier=st.booleans())
def test_a_hostile_value_is_named(where: tuple[str, ...], literal: str, earlier: bool) -> None:
    """NaN, infinities, giant numbers, surrogates, huge text, lists and nesting: refused at their path."""
    doc = minimal()
    if earlier:
        earlier_visit = doc["visit"] | {"id": "V-0", "date": "2026-08-01"}
        doc["previous_visits"] = [{"visit": earlier_visit, "results": doc["results"]}]
        doc = json.loads(json.dumps(doc))
    _node(doc, where)["zz_hostile"] = "__HOSTILE__"
    text = json.dumps(doc).replace('"__HOSTILE__"', literal)
    errors = _refused(text)
    spot = f"{_path_of(where)}.zz_hostile"
    named = [path for path, why in errors.items() if path.startswith(spot) and "unknown key" not in why]
    assert named, errors


@settings(max_examples=300)
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_arbitrary_content_never_raises(content: bytes | str) -> None:
    """Random bytes or text: an outcome with errors, never an exception."""
    outcome = read_visit_text(content, today=TODAY)
    assert outcome.record is None and outcome.errors


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=4000), st.sampled_from([b"{", b"[", b'{"a":', b'"']))
def test_truncated_and_padded_files_never_raise(cut: int, padding: bytes) -> None:
    """A valid file cut short anywhere, or followed by junk, is refused with a position."""
    content = json.dumps(minimal(), indent=2).encode("utf-8")
    outcome = read_visit_text(content[: min(cut, len(content) - 1)] + padding, today=TODAY)
    assert outcome.record is None and outcome.errors[0].path == "$"
    assert "not a valid JSON file" in outcome.errors[0].message
