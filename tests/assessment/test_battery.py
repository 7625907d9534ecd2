"""Every test and screen named in CLINICAL.md §2–§9 is in a form, with its source.

The list below is written out by hand from CLINICAL.md on purpose: if a form loses a field, or a
field loses its citation, this test names the clinical item that went missing.
"""

from __future__ import annotations

import pytest

from clinic_app.assessment.spec import FormCatalogue

# (clinical item, field paths that record it, text its source must contain)
BATTERY: list[tuple[str, tuple[str, ...], str]] = [
    ("P1 urinary leakage", ("symptoms.urinary_leakage", "symptoms.leakage_triggers"), "P1"),
    ("P2 cough stress test", ("pelvic_floor.cough_test_supine", "pelvic_floor.cough_test_standing"), "P2"),
    ("P3 ICIQ-UI SF", ("questionnaires.iciq_total",), "P3"),
    ("P4 faecal/flatal incontinence", ("symptoms.faecal_incontinence",), "P4"),
    ("P5 urgency", ("symptoms.urinary_urgency", "symptoms.faecal_urgency"), "P5"),
    ("P6 heaviness", ("symptoms.heaviness",), "P6"),
    ("P7 dyspareunia", ("symptoms.dyspareunia",), "P7"),
    ("P8 obstructive defecation", ("symptoms.obstructive_defecation",), "P8"),
    ("P9 abnormal bleeding", ("symptoms.abnormal_bleeding",), "P9"),
    ("Goom symptom 8 abdominal", ("symptoms.abdominal_symptoms",), "§2.3"),
    (
        "M1 daily-activity pain",
        ("symptoms.daily_activity_pain", "symptoms.daily_pain_sites", "symptoms.daily_pain_rating"),
        "M1",
    ),
    (
        "M2 SIJ/pubic/sciatic pain",
        ("symptoms.sij_pain", "symptoms.pubic_symphysis_pain", "symptoms.sciatic_pain"),
        "M2",
    ),
    *[
        (
            f"L{n} load task",
            tuple(
                f"load_impact.l{n}_{s}"
                for s in ("completed", "dose", "control", "symptoms", "pain_site", "pain_rating")
            ),
            f"L{n}",
        )
        for n in range(1, 8)
    ],
    ("S1 calf raise", ("strength.calf_raise",), "S1"),
    ("S2 bridge", ("strength.bridge",), "S2"),
    ("S3 sit-to-stand", ("strength.sit_to_stand",), "S3"),
    ("S4 hip abduction", ("strength.hip_abduction",), "S4"),
    ("single hop", ("hop.single_hop",), "§8.1"),
    ("triple hop", ("hop.triple_hop",), "§8.1"),
    ("crossover hop", ("hop.crossover_hop",), "§8.1"),
    ("6 m timed hop", ("hop.timed_hop_6m",), "§8.1"),
    (
        "tuck jump 10 criteria",
        tuple(
            f"jumping.tuck_{item}"
            for item in (
                "knee_valgus",
                "thighs_not_parallel",
                "thighs_unequal",
                "foot_width",
                "foot_not_parallel",
                "contact_timing",
                "landing_noise",
                "pause",
                "technique_declines",
                "footprint",
            )
        ),
        "§9.1",
    ),
    ("tuck jump scoring", ("jumping.tuck_scoring",), "§9.1"),
    ("LESS", ("jumping.less_total",), "§9.2"),
    ("countermovement jump", ("jumping.cmj_height_cm", "jumping.cmj_asymmetry_pct"), "§9.4"),
    ("drop jump", ("jumping.drop_jump_knee_separation_pct", "jumping.drop_jump_valgus"), "§9.3"),
    ("Modified Oxford Scale", ("pelvic_floor.mos",), "§6.1"),
    (
        "PERFECT",
        (
            "pelvic_floor.perfect_endurance_s",
            "pelvic_floor.perfect_repetitions",
            "pelvic_floor.perfect_fast",
            "pelvic_floor.perfect_elevation",
            "pelvic_floor.perfect_cocontraction",
            "pelvic_floor.perfect_timing",
        ),
        "§6.2",
    ),
    (
        "cough test supine and standing",
        ("pelvic_floor.cough_test_supine", "pelvic_floor.cough_test_standing"),
        "§6.3",
    ),
    (
        "PF standing baseline",
        (
            "pelvic_floor.standing_fast_reps",
            "pelvic_floor.standing_mvc_reps",
            "pelvic_floor.standing_mvc_hold_s",
            "pelvic_floor.standing_submax_hold_s",
        ),
        "§2.5",
    ),
    (
        "POP-Q nine points",
        tuple(f"prolapse.popq_{p}" for p in ("aa", "ba", "c", "d", "ap", "bp", "gh", "pb", "tvl")),
        "Bump 1996",
    ),
    (
        "POP-Q exam context",
        (
            "prolapse.exam_state",
            "prolapse.consent",
            "prolapse.chaperone",
            "prolapse.system",
            "prolapse.hysterectomy",
        ),
        "§5",
    ),
    (
        "Baden–Walker three compartments",
        ("prolapse.bw_anterior", "prolapse.bw_apical", "prolapse.bw_posterior"),
        "Baden–Walker",
    ),
    (
        "IRD 3 sites × 2 conditions",
        tuple(
            f"diastasis.ird_{site}_{cond}"
            for site in ("above", "umbilicus", "below")
            for cond in ("rest", "curl")
        ),
        "O2",
    ),
    ("IRD method and unit", ("diastasis.method", "diastasis.unit", "diastasis.site_protocol"), "§4"),
    ("linea alba tension (O4)", ("diastasis.linea_alba_tension",), "O4"),
    ("doming (O3)", ("diastasis.doming",), "O3"),
    (
        "ICIQ items 3–5",
        ("questionnaires.iciq_frequency", "questionnaires.iciq_amount", "questionnaires.iciq_interference"),
        "§7.1",
    ),
    (
        "PFDI-20 three sub-scales and total",
        (
            "questionnaires.pfdi_udi6",
            "questionnaires.pfdi_cradi8",
            "questionnaires.pfdi_popdi6",
            "questionnaires.pfdi_total",
        ),
        "§7.2",
    ),
    ("R1 BMI inputs", ("history.height_cm", "history.weight_kg"), "R1"),
    ("R2 breastfeeding", ("history.breastfeeding",), "R2"),
    ("R3 sleep and fatigue", ("history.sleep_hours", "history.fatigue_high"), "R3"),
    (
        "R4 Christopher 2021 factors",
        ("history.running_experience", "history.previous_running_injury", "history.incontinence_history"),
        "R4",
    ),
    (
        "R5 RED-S",
        ("history.reds_amenorrhoea", "history.reds_stress_fracture", "history.reds_low_energy"),
        "R5",
    ),
    (
        "R6 psychological",
        ("history.postnatal_depression", "history.anxiety", "history.fear_of_movement", "history.psych_risk"),
        "R6",
    ),
    (
        "R7 running SUI before/during pregnancy",
        ("history.sui_running_before_pregnancy", "history.sui_running_during_pregnancy"),
        "R7",
    ),
    ("B1 buggy running", ("history.buggy_running_planned",), "B1"),
    (
        "Moore 2021 running background",
        ("history.weekly_volume_km", "history.ran_during_pregnancy"),
        "Moore 2021",
    ),
    ("dominant leg for LSI", ("history.dominant_leg",), "§13.8"),
]


@pytest.mark.parametrize(("item", "paths", "cited"), BATTERY, ids=[entry[0] for entry in BATTERY])
def test_clinical_item_is_recorded_with_its_source(
    forms: FormCatalogue, item: str, paths: tuple[str, ...], cited: str
) -> None:
    """The clinical item has all its fields, each citing CLINICAL.md and the expected reference."""
    for path in paths:
        spec = forms.field_by_path(path)
        assert spec is not None, f"{item}: {path} is missing"
        assert spec.source.startswith("CLINICAL.md"), f"{item}: {path} has no CLINICAL.md source"
        assert cited in spec.source, f"{item}: {path} source '{spec.source}' does not cite {cited}"


def test_r8_delivery_inputs_live_in_the_visit_file_not_a_form(forms: FormCatalogue) -> None:
    """R8 (perineal trauma, mode of birth) comes from the delivery record; no form repeats it."""
    assert all("trauma" not in spec.id and "delivery" not in spec.id for spec in forms.all_fields())


def test_timed_hop_is_the_only_lower_is_better_measure(forms: FormCatalogue) -> None:
    """Limb symmetry inverts only for the 6 m timed hop (CLINICAL.md §8.2)."""
    lower = [spec.path for spec in forms.all_fields() if spec.better == "lower"]
    assert lower == ["hop.timed_hop_6m"]
