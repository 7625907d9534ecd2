"""The test runner's plan: which tests the big-target mode runs, in clinic order, and where each value goes.

The plan is clinical content (``forms/runner/runner.toml``): the tests, their order (standing first,
then lying), timer kind and duration, metronome beat, and the field path every measurement is written
to. It is checked against the form catalogue when loaded — every path must name a field of the right
kind — so a renamed field fails at start-up instead of silently dropping a measurement. The runner
window only enters values; :func:`time_entry`, :func:`count_entry` and :func:`symptom_list_entry`
turn what it measured (milliseconds, reps, symptom keys) into plain values in each field's own unit,
and the forms' validation judges them as it judges typed values.
Standard library and :mod:`clinic_app.assessment` only.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from clinic_app.assessment.spec import FieldKind, FieldSpec, FormCatalogue
from clinic_app.assessment.tomlkeys import FormSpecError, no_unknown_keys, number, text
from clinic_app.domain.enums import Side
from clinic_app.domain.model import Value
from clinic_app.resources import forms_folder

RUNNER_FILE = ("runner", "runner.toml")
"""Where the plan lives inside ``forms/`` (a sub-folder: every ``forms/*.toml`` is read as a battery)."""

MS_PER_UNIT: Mapping[str, int] = {"s": 1000, "min": 60_000}
"""Time units a timer can write into, in milliseconds per unit."""

_TOP_KEYS = frozenset({"title", "source", "positions", "symptoms", "no_symptoms", "tests"})
_POSITION_KEYS = frozenset({"id", "title"})
_SYMPTOM_KEYS = frozenset({"id", "label", "key"})
_TEST_KEYS = frozenset(
    {
        "id",
        "title",
        "position",
        "instructions",
        "source",
        "timer",
        "duration_s",
        "time",
        "decimals",
        "count",
        "metronome_bpm",
        "symptoms",
        "symptom_fields",
    }
)


class RunnerSpecError(FormSpecError):
    """A runner plan that cannot be used: the message names the test and the key."""


class TimerKind(StrEnum):
    """How a timed test is clocked."""

    COUNTDOWN = "countdown"
    STOPWATCH = "stopwatch"


@dataclass(frozen=True, slots=True)
class SymptomKey:
    """One symptom the physio records with a single key.

    Attributes:
        id: the choice id in a symptom list (``leakage``), also the key of ``symptom_fields``.
        label: what the button says.
        key: the keyboard key (one letter).
    """

    id: str
    label: str
    key: str


@dataclass(frozen=True, slots=True)
class RunnerTest:
    """One test of the runner and the fields it writes.

    Attributes:
        id: unique within the plan.
        title: heading shown in big type.
        position: id of the position the test is done in (``standing``).
        instructions: one or two lines for the physio.
        source: CLINICAL.md section and literature.
        timer: how it is clocked, or None for a count-only test.
        duration_ms: the countdown's length (None for a stopwatch).
        time_field: the field the time goes to (unit ``s`` or ``min``).
        decimals: digits kept when the time field is a number.
        count_field: the field the rep count goes to.
        metronome_bpm: the pacing beat, or None.
        symptom_list: a multichoice field whose options include the symptom ids.
        symptom_fields: symptom id → yes/no field, for tests without a symptom list.
    """

    id: str
    title: str
    position: str
    instructions: str
    source: str
    timer: TimerKind | None = None
    duration_ms: int | None = None
    time_field: FieldSpec | None = None
    decimals: int = 1
    count_field: FieldSpec | None = None
    metronome_bpm: int | None = None
    symptom_list: FieldSpec | None = None
    symptom_fields: Mapping[str, FieldSpec] | None = None

    @property
    def sided(self) -> bool:
        """True when the test is recorded for the left and the right side."""
        return any(spec is not None and spec.sided for spec in (self.time_field, self.count_field))

    @property
    def sides(self) -> tuple[Side | None, ...]:
        """The sides recorded, left first (``(None,)`` for a test done once)."""
        return (Side.LEFT, Side.RIGHT) if self.sided else (None,)

    def records_symptom(self, symptom_id: str) -> bool:
        """True when this test has a field for the symptom (else its key is shown disabled)."""
        if self.symptom_list is not None:
            return symptom_id in self.symptom_list.choice_ids
        return bool(self.symptom_fields) and symptom_id in (self.symptom_fields or {})

    def paths(self) -> tuple[str, ...]:
        """Every value path this test can write (for the editor's messages)."""
        out: list[str] = []
        for spec in (self.time_field, self.count_field):
            if spec is not None:
                out.extend(_path(spec, side) for side in self.sides)
        if self.symptom_list is not None:
            out.append(self.symptom_list.path)
        out.extend(spec.path for spec in (self.symptom_fields or {}).values())
        return tuple(out)


@dataclass(frozen=True, slots=True)
class RunnerPlan:
    """The whole runner: positions in order, the symptom keys, and the tests in clinic order."""

    title: str
    source: str
    positions: tuple[tuple[str, str], ...]
    symptoms: tuple[SymptomKey, ...]
    no_symptoms: SymptomKey | None
    tests: tuple[RunnerTest, ...]

    def position_title(self, position_id: str) -> str:
        """Return the title of a position (``Standing``)."""
        return dict(self.positions).get(position_id, position_id)

    def test(self, test_id: str) -> RunnerTest | None:
        """Return the test with ``test_id``, or None."""
        return next((test for test in self.tests if test.id == test_id), None)


def _path(spec: FieldSpec, side: Side | None) -> str:
    return f"{spec.path}.{side.value}" if side is not None and spec.sided else spec.path


def time_value(test: RunnerTest, elapsed_ms: float) -> float | int:
    """Return a measured time in the unit of the test's time field, rounded as the field records it.

    Args:
        test: a timed test.
        elapsed_ms: what the clock measured.

    Raises:
        ValueError: when the test has no time field.
    """
    spec = test.time_field
    if spec is None:
        raise ValueError(f"test '{test.id}' records no time")
    amount = elapsed_ms / MS_PER_UNIT[spec.unit]
    if spec.kind is FieldKind.INTEGER:
        return int(amount + 0.5)  # half up, never banker's rounding of a clinical reading
    scaled = round(amount, test.decimals)
    return int(scaled) if float(scaled).is_integer() else scaled


def time_entry(test: RunnerTest, side: Side | None, elapsed_ms: float) -> dict[str, Value | None]:
    """Return ``{path: time}`` for one clocked side, in the unit of the test's time field."""
    if test.time_field is None:
        return {}
    return {_path(test.time_field, side): time_value(test, elapsed_ms)}


def count_entry(test: RunnerTest, side: Side | None, reps: int) -> dict[str, Value | None]:
    """Return ``{path: reps}`` for one counted side (nothing when the test counts nothing)."""
    if test.count_field is None:
        return {}
    return {_path(test.count_field, side): int(reps)}


def symptom_list_entry(
    test: RunnerTest, marked: frozenset[str], *, no_symptoms: bool, plan: RunnerPlan
) -> dict[str, Value | None]:
    """Return the value of the test's symptom list: the marked options, "none", or not recorded.

    Args:
        test: a test with a symptom list (others return ``{}``).
        marked: the symptom ids marked as provoked.
        no_symptoms: "no symptoms" marked on purpose (ignored when a symptom is marked).
        plan: the plan, for the choice id of "no symptoms".
    """
    spec = test.symptom_list
    if spec is None:
        return {}
    chosen = tuple(choice for choice in spec.choice_ids if choice in marked)
    none_id = plan.no_symptoms.id if plan.no_symptoms is not None else ""
    if not chosen and no_symptoms and none_id in spec.choice_ids:
        chosen = (none_id,)
    return {spec.path: chosen or None}


def marked_in(test: RunnerTest, value: Value | None) -> frozenset[str]:
    """Return the symptom ids a symptom-list value already holds (what the editor shows)."""
    if test.symptom_list is None or not isinstance(value, tuple):
        return frozenset()
    return frozenset(str(item) for item in value)


# --- loading ----------------------------------------------------------------------------------------


def load_runner(catalogue: FormCatalogue, source: Traversable | Path | None = None) -> RunnerPlan:
    """Read and check the runner plan.

    Args:
        catalogue: the forms every path must exist in.
        source: the plan file (default: ``forms/runner/runner.toml`` of this installation).

    Raises:
        RunnerSpecError: naming the test and the key of the first problem found.
    """
    entry = source if source is not None else forms_folder().joinpath(*RUNNER_FILE)
    try:
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RunnerSpecError(f"{entry.name}: not a readable TOML file ({exc})") from exc
    return parse_runner(data, catalogue, entry.name)


def parse_runner(data: Mapping[str, Any], catalogue: FormCatalogue, where: str = "runner.toml") -> RunnerPlan:
    """Build a :class:`RunnerPlan` from one decoded TOML document, checked against ``catalogue``.

    Raises:
        RunnerSpecError: naming the test and the key of the first problem found.
    """
    try:
        no_unknown_keys(data, _TOP_KEYS, where)
        positions = tuple(
            (text(p, "id", f"{where}, position", required=True), text(p, "title", where, required=True))
            for p in _tables(data, "positions", where, _POSITION_KEYS)
        )
        if not positions:
            raise RunnerSpecError(f"{where}: at least one [[positions]] is needed")
        symptoms = tuple(_symptom(s, where) for s in _tables(data, "symptoms", where, _SYMPTOM_KEYS))
        none_raw = data.get("no_symptoms")
        no_symptoms = None
        if none_raw is not None:
            if not isinstance(none_raw, Mapping):
                raise RunnerSpecError(f"{where}: [no_symptoms] must be a table")
            no_symptoms_keys = frozenset({"choice", "label", "key"})
            no_unknown_keys(none_raw, no_symptoms_keys, f"{where}, [no_symptoms]")
            no_symptoms = _symptom({**none_raw, "id": none_raw.get("choice", "")}, where)
        keys = [s.key for s in (*symptoms, *([no_symptoms] if no_symptoms else []))]
        if len(set(keys)) != len(keys):
            raise RunnerSpecError(f"{where}: two symptoms share a key")
        symptom_ids = frozenset(s.id for s in symptoms)
        tests = tuple(
            _test(raw, catalogue, where, dict(positions), symptom_ids)
            for raw in _tables(data, "tests", where, _TEST_KEYS)
        )
    except RunnerSpecError:
        raise
    except FormSpecError as exc:  # the shared key readers: same message, the runner's own type
        raise RunnerSpecError(str(exc)) from exc
    _check_order(tests, [p[0] for p in positions], where)
    return RunnerPlan(
        title=str(data.get("title", "Test runner")),
        source=str(data.get("source", "")),
        positions=positions,
        symptoms=symptoms,
        no_symptoms=no_symptoms,
        tests=tests,
    )


def _tables(data: Mapping[str, Any], key: str, where: str, known: frozenset[str]) -> list[Mapping[str, Any]]:
    raw = data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
        raise RunnerSpecError(f"{where}: '{key}' must be a list of tables ([[{key}]])")
    for index, item in enumerate(raw):
        no_unknown_keys(item, known, f"{where}, {key} #{index + 1}")
    return raw


def _symptom(raw: Mapping[str, Any], where: str) -> SymptomKey:
    symptom_id = text(raw, "id", f"{where}, symptom", required=True)
    inner = f"{where}, symptom '{symptom_id}'"
    key = text(raw, "key", inner, required=True).upper()
    if len(key) != 1 or not key.isalpha():
        raise RunnerSpecError(f"{inner}: key 'key' must be one letter")
    return SymptomKey(symptom_id, text(raw, "label", inner, required=True), key)


def _test(
    raw: Mapping[str, Any],
    catalogue: FormCatalogue,
    where: str,
    positions: Mapping[str, str],
    symptom_ids: frozenset[str],
) -> RunnerTest:
    test_id = text(raw, "id", f"{where}, test", required=True)
    inner = f"{where}, test '{test_id}'"
    position = text(raw, "position", inner, required=True)
    if position not in positions:
        raise RunnerSpecError(f"{inner}: key 'position' names no [[positions]] entry ('{position}')")
    timer_text = text(raw, "timer", inner)
    try:
        timer = TimerKind(timer_text) if timer_text else None
    except ValueError:
        raise RunnerSpecError(f"{inner}: key 'timer' must be 'countdown' or 'stopwatch'") from None
    duration = number(raw, "duration_s", inner)
    if timer is TimerKind.COUNTDOWN and (duration is None or duration <= 0):
        raise RunnerSpecError(f"{inner}: a countdown needs key 'duration_s' above 0")
    if timer is not TimerKind.COUNTDOWN and duration is not None:
        raise RunnerSpecError(f"{inner}: key 'duration_s' is only for a countdown")
    time_field = _field(raw, "time", catalogue, inner)
    if (timer is None) != (time_field is None):
        raise RunnerSpecError(f"{inner}: keys 'timer' and 'time' go together")
    if time_field is not None and not (time_field.kind.numeric and time_field.unit in MS_PER_UNIT):
        raise RunnerSpecError(
            f"{inner}: key 'time' must name a number field in s or min ('{time_field.path}')"
        )
    count_field = _field(raw, "count", catalogue, inner)
    if count_field is not None and not (
        count_field.kind is FieldKind.INTEGER or (count_field.kind.numeric and count_field.unit == "reps")
    ):
        raise RunnerSpecError(f"{inner}: key 'count' must name a whole-number field ('{count_field.path}')")
    if timer is None and count_field is None:
        raise RunnerSpecError(f"{inner}: a test needs a timer, a count or both")
    if time_field is not None and count_field is not None and time_field.sided != count_field.sided:
        raise RunnerSpecError(f"{inner}: keys 'time' and 'count' must both be sided or both not")
    decimals = number(raw, "decimals", inner)
    if decimals is not None and (decimals != int(decimals) or not 0 <= decimals <= 3):
        raise RunnerSpecError(f"{inner}: key 'decimals' must be a whole number from 0 to 3")
    bpm = number(raw, "metronome_bpm", inner)
    if bpm is not None and (bpm != int(bpm) or not 20 <= bpm <= 240):
        raise RunnerSpecError(f"{inner}: key 'metronome_bpm' must be a whole number from 20 to 240")
    symptom_list = _field(raw, "symptoms", catalogue, inner)
    if symptom_list is not None:
        missing = sorted(symptom_ids - set(symptom_list.choice_ids))
        if symptom_list.kind is not FieldKind.MULTICHOICE or missing:
            raise RunnerSpecError(
                f"{inner}: key 'symptoms' must name a multichoice with every symptom id "
                f"('{symptom_list.path}' lacks {', '.join(missing) or 'the multichoice kind'})"
            )
    symptom_fields = _symptom_fields(raw, catalogue, inner, symptom_ids)
    if symptom_list is not None and symptom_fields:
        raise RunnerSpecError(f"{inner}: use key 'symptoms' or 'symptom_fields', not both")
    return RunnerTest(
        id=test_id,
        title=text(raw, "title", inner, required=True),
        position=position,
        instructions=text(raw, "instructions", inner),
        source=text(raw, "source", inner, required=True),
        timer=timer,
        duration_ms=round(duration * 1000) if duration is not None else None,
        time_field=time_field,
        decimals=int(decimals) if decimals is not None else 1,
        count_field=count_field,
        metronome_bpm=int(bpm) if bpm is not None else None,
        symptom_list=symptom_list,
        symptom_fields=symptom_fields,
    )


def _field(raw: Mapping[str, Any], key: str, catalogue: FormCatalogue, inner: str) -> FieldSpec | None:
    path = text(raw, key, inner)
    if not path:
        return None
    spec = catalogue.field_by_path(path) if path.count(".") == 1 else None
    if spec is None:
        raise RunnerSpecError(f"{inner}: key '{key}' names no field of the forms ('{path}')")
    return spec


def _symptom_fields(
    raw: Mapping[str, Any], catalogue: FormCatalogue, inner: str, symptom_ids: frozenset[str]
) -> Mapping[str, FieldSpec] | None:
    table = raw.get("symptom_fields")
    if table is None:
        return None
    if not isinstance(table, Mapping):
        raise RunnerSpecError(f"{inner}: key 'symptom_fields' must be a table of symptom = \"form.field\"")
    out: dict[str, FieldSpec] = {}
    for symptom_id, path in table.items():
        if symptom_id not in symptom_ids:
            raise RunnerSpecError(f"{inner}: key 'symptom_fields' names an unknown symptom '{symptom_id}'")
        spec = _field({"path": path}, "path", catalogue, f"{inner}, symptom_fields.{symptom_id}")
        if spec is None or spec.kind is not FieldKind.BOOLEAN:
            raise RunnerSpecError(
                f"{inner}: key 'symptom_fields' entry '{symptom_id}' must name a yes/no field"
            )
        out[str(symptom_id)] = spec
    return out


def _check_order(tests: tuple[RunnerTest, ...], positions: list[str], where: str) -> None:
    seen: set[str] = set()
    last = 0
    for test in tests:
        if test.id in seen:
            raise RunnerSpecError(f"{where}: test id '{test.id}' is used twice")
        seen.add(test.id)
        rank = positions.index(test.position)
        if rank < last:
            raise RunnerSpecError(
                f"{where}, test '{test.id}': listed after a test done {positions[last]}; "
                "tests follow the order of [[positions]]"
            )
        last = rank
