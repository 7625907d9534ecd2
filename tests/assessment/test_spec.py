"""Tests for loading form files: the bundled forms, the catalogue look-ups and malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.assessment.crossfield import RULES
from clinic_app.assessment.spec import FieldKind, FormCatalogue, FormSpecError, load_forms

CONTRACT: dict[str, set[str]] = {
    "history": {
        "height_cm",
        "weight_kg",
        "dominant_leg",
        "breastfeeding",
        "sleep_hours",
        "fatigue_high",
        "fatigue_score",
        "running_experience",
        "weekly_volume_km",
        "ran_during_pregnancy",
        "previous_running_injury",
        "sui_running_before_pregnancy",
        "sui_running_during_pregnancy",
        "pain_during_pregnancy",
        "incontinence_history",
        "hypermobility",
        "postnatal_depression",
        "anxiety",
        "fear_of_movement",
        "psych_risk",
        "reds_amenorrhoea",
        "reds_stress_fracture",
        "reds_low_energy",
        "buggy_running_planned",
        "pre_existing_conditions",
    },
    "symptoms": {
        "urinary_leakage",
        "leakage_triggers",
        "faecal_incontinence",
        "urinary_urgency",
        "faecal_urgency",
        "heaviness",
        "dyspareunia",
        "obstructive_defecation",
        "abnormal_bleeding",
        "abdominal_symptoms",
        "daily_activity_pain",
        "daily_pain_sites",
        "daily_pain_rating",
        "sij_pain",
        "pubic_symphysis_pain",
        "sciatic_pain",
    },
    "questionnaires": {
        "iciq_administered",
        "iciq_date",
        "iciq_frequency",
        "iciq_amount",
        "iciq_interference",
        "iciq_total",
        "pfdi_udi6",
        "pfdi_cradi8",
        "pfdi_popdi6",
        "pfdi_total",
    },
    "diastasis": {
        "method",
        "unit",
        "site_protocol",
        "ird_above_rest",
        "ird_above_curl",
        "ird_umbilicus_rest",
        "ird_umbilicus_curl",
        "ird_below_rest",
        "ird_below_curl",
        "linea_alba_tension",
        "doming",
    },
    "prolapse": {
        "exam_state",
        "consent",
        "chaperone",
        "system",
        "popq_aa",
        "popq_ba",
        "popq_c",
        "popq_d",
        "popq_ap",
        "popq_bp",
        "popq_gh",
        "popq_pb",
        "popq_tvl",
        "hysterectomy",
        "bw_anterior",
        "bw_apical",
        "bw_posterior",
        "support_device",
    },
    "pelvic_floor": {
        "exam_state",
        "mos",
        "perfect_endurance_s",
        "perfect_repetitions",
        "perfect_fast",
        "perfect_elevation",
        "perfect_cocontraction",
        "perfect_timing",
        "cough_test_supine",
        "cough_test_standing",
        "standing_fast_reps",
        "standing_mvc_reps",
        "standing_mvc_hold_s",
        "standing_submax_hold_s",
    },
    "load_impact": {
        f"l{n}_{suffix}"
        for n in range(1, 8)
        for suffix in ("completed", "dose", "control", "symptoms", "pain_site", "pain_rating")
    },
    "strength": {"calf_raise", "bridge", "sit_to_stand", "hip_abduction"},
    "hop": {"single_hop", "triple_hop", "crossover_hop", "timed_hop_6m"},
    "jumping": {
        "tuck_scoring",
        "tuck_knee_valgus",
        "tuck_thighs_not_parallel",
        "tuck_thighs_unequal",
        "tuck_foot_width",
        "tuck_foot_not_parallel",
        "tuck_contact_timing",
        "tuck_landing_noise",
        "tuck_pause",
        "tuck_technique_declines",
        "tuck_footprint",
        "less_total",
        "cmj_height_cm",
        "cmj_asymmetry_pct",
        "drop_jump_knee_separation_pct",
        "drop_jump_valgus",
    },
}

SIDED = {
    "load_impact": {"l2_dose", "l3_dose", "l6_dose", "l7_dose"},
    "strength": {"calf_raise", "bridge", "sit_to_stand", "hip_abduction"},
    "hop": {"single_hop", "triple_hop", "crossover_hop", "timed_hop_6m"},
}


def test_every_contract_form_loads_in_exam_order(forms: FormCatalogue) -> None:
    """The ten batteries of the field contract load, sorted by their order key."""
    assert [form.id for form in forms] == list(CONTRACT)
    orders = [form.order for form in forms]
    assert orders == sorted(orders)


@pytest.mark.parametrize("form_id", list(CONTRACT))
def test_form_fields_match_the_field_contract(forms: FormCatalogue, form_id: str) -> None:
    """Each form has exactly the field ids of docs/design/field-contract.md."""
    form = forms.form(form_id)
    assert form is not None
    assert {spec.id for spec in form.fields} == CONTRACT[form_id]


@pytest.mark.parametrize("form_id", list(CONTRACT))
def test_sided_fields_match_the_field_contract(forms: FormCatalogue, form_id: str) -> None:
    """Exactly the left/right measures of the contract are sided."""
    form = forms.form(form_id)
    assert form is not None
    assert {spec.id for spec in form.fields if spec.sided} == SIDED.get(form_id, set())


def test_every_form_and_field_names_a_clinical_source(forms: FormCatalogue) -> None:
    """Every form and every field cites CLINICAL.md, and has a label and help text."""
    for form in forms:
        assert form.source.startswith("CLINICAL.md §"), form.id
        assert form.title and form.description
        for spec in form.fields:
            assert spec.source.startswith("CLINICAL.md §"), spec.path
            assert spec.label and spec.help, spec.path


def test_numeric_fields_have_a_range_and_a_unit(forms: FormCatalogue) -> None:
    """Every number has bounds (fixed or per unit) and a unit, so validation can catch slips."""
    for spec in forms.all_fields():
        if spec.kind.numeric:
            assert spec.unit or spec.unit_field, spec.path
            assert spec.unit_ranges or (spec.minimum is not None and spec.maximum is not None), spec.path


def test_questionnaires_hold_scores_only(forms: FormCatalogue) -> None:
    """The questionnaire form has no free text and only score, total or administration fields."""
    form = forms.form("questionnaires")
    assert form is not None
    for spec in form.fields:
        assert spec.kind is not FieldKind.TEXT
        assert spec.kind.numeric or spec.id in {"iciq_administered", "iciq_date"}
        assert len(spec.label) < 60 and "?" not in spec.label + spec.help


def test_iciq_item_four_allows_only_its_scores(forms: FormCatalogue) -> None:
    """ICIQ item 4 is restricted to 0, 2, 4, 6."""
    spec = forms.field_by_path("questionnaires.iciq_amount")
    assert spec is not None and spec.allowed == (0, 2, 4, 6)


def test_diastasis_distances_take_their_unit_from_the_unit_field(forms: FormCatalogue) -> None:
    """IRD fields have per-unit ranges mm 0–100, cm 0–10, finger-widths 0–6."""
    for site in ("above", "umbilicus", "below"):
        for condition in ("rest", "curl"):
            spec = forms.field_by_path(f"diastasis.ird_{site}_{condition}")
            assert spec is not None and spec.unit_field == "unit"
            assert spec.range_for_unit("mm") == (0, 100)
            assert spec.range_for_unit("cm") == (0, 10)
            assert spec.range_for_unit("finger_widths") == (0, 6)


def test_rules_named_by_forms_exist(forms: FormCatalogue) -> None:
    """Every rule a form names is implemented, and every implemented rule is used by some form."""
    named = {rule for form in forms for rule in form.rules}
    assert named == set(RULES)


def test_field_by_path_resolves_plain_and_sided_paths(forms: FormCatalogue) -> None:
    """Plain paths, sided paths and missing-reason paths resolve; wrong shapes do not."""
    assert forms.field_by_path("diastasis.doming") is not None
    spec = forms.field_by_path("hop.single_hop.left")
    assert spec is not None and spec.path == "hop.single_hop"
    assert forms.field_by_path("hop.single_hop.missing_reason") is spec
    assert forms.field_by_path("hop.single_hop.middle") is None
    assert forms.field_by_path("diastasis.doming.left") is None
    assert forms.field_by_path("nope.field") is None
    assert forms.field_by_path("hop") is None
    assert forms.field_by_path("hop.single_hop.left.extra") is None


def test_choice_label_lookup(forms: FormCatalogue) -> None:
    """Choice labels resolve by id, unknown ids fall back to themselves."""
    spec = forms.field_by_path("prolapse.exam_state")
    assert spec is not None
    assert spec.choice_label("declined") == "Declined by the patient"
    assert spec.choice_label("zzz") == "zzz"


def test_no_load_symptom_combines_with_none(forms: FormCatalogue) -> None:
    """Only 'none' is exclusive in the load-task symptom lists."""
    for n in range(1, 8):
        spec = forms.field_by_path(f"load_impact.l{n}_symptoms")
        assert spec is not None
        assert [c.id for c in spec.choices if c.exclusive] == ["none"]


# --- malformed files ----------------------------------------------------------------------------

GOOD = """
id = "demo"
title = "Demo"
order = 1
description = "A demo form."
source = "CLINICAL.md §1"

[[fields]]
id = "reps"
label = "Repetitions"
kind = "integer"
unit = "reps"
minimum = 0
maximum = 10
source = "CLINICAL.md §2.7"
"""


def write(folder: Path, text: str, name: str = "demo.toml") -> Path:
    """Write one form file into ``folder``."""
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_good_custom_folder_loads(tmp_path: Path) -> None:
    """A minimal valid form in another folder loads (other files are ignored)."""
    (tmp_path / "README.md").write_text("not a form", encoding="utf-8")
    catalogue = load_forms(write(tmp_path, GOOD))
    assert [f.id for f in catalogue] == ["demo"]
    assert catalogue.field_by_path("demo.reps") is not None


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("id = [", ["demo.toml", "TOML"]),
        (GOOD.replace('kind = "integer"', 'kind = "float"'), ["demo.toml", "'reps'", "'kind'"]),
        (GOOD.replace('label = "Repetitions"\n', ""), ["'reps'", "'label'"]),
        (GOOD.replace('source = "CLINICAL.md §2.7"\n', ""), ["'reps'", "'source'"]),
        (GOOD.replace("maximum = 10", "maximum = -1"), ["'reps'", "'minimum'"]),
        (GOOD.replace("maximum = 10", "maximum = 10\ncolour = 'red'"), ["'reps'", "'colour'"]),
        (GOOD.replace("order = 1", "order = 'first'"), ["demo.toml", "'order'"]),
        (GOOD.replace('title = "Demo"\n', ""), ["demo.toml", "'title'"]),
        (
            GOOD.replace('source = "CLINICAL.md §1"', 'source = "CLINICAL.md §1"\nrules = ["no_such_rule"]'),
            ["demo.toml", "'rules'", "no_such_rule"],
        ),
        (GOOD + GOOD[GOOD.index("[[fields]]") :], ["'reps'", "more than once"]),
        (
            GOOD.replace('kind = "integer"', 'kind = "choice"').replace("minimum = 0\nmaximum = 10\n", ""),
            ["'reps'", "'choices'"],
        ),
        (GOOD.replace("maximum = 10", "maximum = 10\nallowed = [1.5]"), ["'reps'", "'allowed'"]),
        (GOOD.replace("maximum = 10", 'maximum = 10\nunit_field = "u"'), ["'reps'", "'unit_field'"]),
        (GOOD.replace("maximum = 10", 'maximum = 10\nbetter = "higher"'), ["'reps'", "'better'"]),
        (GOOD.replace("maximum = 10", 'maximum = 10\nrequired = "yes"'), ["'reps'", "'required'"]),
        (GOOD[: GOOD.index("[[fields]]")], ["demo.toml", "[[fields]]"]),
    ],
)
def test_malformed_form_names_file_field_and_key(tmp_path: Path, text: str, fragments: list[str]) -> None:
    """A broken form file raises FormSpecError whose message locates the problem."""
    with pytest.raises(FormSpecError) as raised:
        load_forms(write(tmp_path, text))
    for fragment in fragments:
        assert fragment in str(raised.value)


def test_duplicate_form_ids_are_refused(tmp_path: Path) -> None:
    """Two files with the same form id are an error naming both files."""
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, GOOD, "b.toml")
    with pytest.raises(FormSpecError, match=r"b\.toml.*a\.toml"):
        load_forms(tmp_path)


def test_unit_ranges_must_cover_every_unit_choice(tmp_path: Path) -> None:
    """A unit_field measurement needs a range for every unit the unit field offers."""
    text = (
        GOOD
        + """
[[fields]]
id = "unit"
label = "Unit"
kind = "choice"
source = "CLINICAL.md §4"
choices = [{ id = "mm", label = "mm" }, { id = "cm", label = "cm" }]

[[fields]]
id = "gap"
label = "Gap"
kind = "number"
unit_field = "unit"
unit_ranges = { mm = [0, 100] }
source = "CLINICAL.md §4"
"""
    )
    with pytest.raises(FormSpecError, match=r"'gap'.*unit_ranges.*cm"):
        load_forms(write(tmp_path, text))
