"""The referral letter: routed by the findings, follows the final decision, reads as a clinician writes."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReferralNotNeededError, ReportKind, render_report
from clinic_app.reporting.samples import sample_input
from clinic_app.reporting.settings import Addressee

from .pdfs import page_count, pdf_text, rendered
from .referral_cases import CASES, case_input, case_pdf

RECIPIENTS = {
    "bleeding": "To General practitioner",
    "oasi_bowel": "To Perineal clinic",
    "bowel": "To General practitioner",
    "prolapse": "To Urogynaecology service",
    "leakage": "To Pelvic-health physiotherapy service",
    "mental_health": "To General practitioner",
    "energy": "To General practitioner",
    "pain": "To Pelvic-health physiotherapy service",
}
RULE_ID = re.compile(r"\b[PTOSLHRBMG]\d{1,2}\b")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_target_gets_its_recipient_urgency_and_a_question(name: str) -> None:
    """Every routed case names its recipient, an urgency with a time frame, a question and both dates."""
    text = pdf_text(case_pdf(name))
    assert RECIPIENTS[name] in text
    assert re.search(r"Urgency (Urgent|Soon|Routine) — please see her within \d+ (hours|weeks)", text)
    assert re.search(r"My question (Please|After)", text)
    assert "Seen on 10 Sep 2026" in text and "Letter printed 10 Sep 2026" in text


@pytest.mark.parametrize("name", sorted(CASES))
def test_letter_has_no_rule_ids_field_paths_or_hyphen_minus(name: str) -> None:
    """No rule id, snake_case id, dotted field path or hyphen-minus before a number reaches the letter."""
    text = pdf_text(case_pdf(name))
    assert not RULE_ID.search(text), RULE_ID.search(text)
    assert not SNAKE.search(text), SNAKE.search(text)
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\b", text.replace("clinic@runready.example", ""))
    assert not re.search(r"(?<![\w.])-\d", text)
    assert "CLINICAL.md" not in text


@pytest.mark.parametrize("name", sorted(CASES))
def test_letter_fits_two_pages(name: str) -> None:
    """A referral letter stays within the page budget of two pages."""
    assert 1 <= page_count(case_pdf(name)) <= 2


def test_prolapse_finding_is_a_sentence_with_stage_and_leading_edge() -> None:
    """The prolapse is printed with its stage and leading edge, with a real minus sign."""
    assert "POP-Q stage II, leading edge Ba \u22120.5 cm" in pdf_text(case_pdf("prolapse"))


def test_urgent_findings_make_an_urgent_letter() -> None:
    """Bleeding beyond 8 weeks is urgent: the title says so and the time frame is 2 weeks."""
    text = pdf_text(case_pdf("bleeding"))
    assert "URGENT referral letter" in text
    assert "within 2 weeks" in text
    assert "14 weeks after the birth" in text


def test_specialist_letters_copy_the_gp_and_gp_letters_do_not() -> None:
    """A letter to a hospital service is copied to her GP; one to the GP is not."""
    assert "Copy to: her GP" in pdf_text(case_pdf("oasi_bowel"))
    assert "Copy to" not in pdf_text(case_pdf("bleeding"))


def test_sender_name_role_registration_and_signature_line() -> None:
    """The letter is signed: name, role, registration number and a line to sign on."""
    text = pdf_text(case_pdf("prolapse"))
    assert "Signature ____" in text
    assert "Alex Byrne Pelvic-health physiotherapist Registration no. CORU PT012345" in text


def test_missing_registration_leaves_a_line_to_fill() -> None:
    """Without a registration number on the profile, the letter leaves a blank to write it in."""
    data = case_input("prolapse")
    record = replace(data.record, clinician=replace(data.clinician, registration=""))
    text = pdf_text(render_report(replace(data, record=record), ReportKind.REFERRAL, invariant=True))
    assert "Registration no. ____" in text


def test_hold_letter_says_not_to_run() -> None:
    """While the final decision holds her back, the letter says she was advised not to run."""
    assert "advised her not to start running" in pdf_text(case_pdf("prolapse"))


def test_override_to_ready_leaves_no_letter() -> None:
    """An override to a ready outcome sets the findings aside: the service refuses the letter."""
    data = case_input("prolapse", override_to=Status.READY_WITH_CAUTIONS, rule="O1")
    with pytest.raises(ReferralNotNeededError):
        render_report(data, ReportKind.REFERRAL)


def test_overridden_rule_leaves_the_letter() -> None:
    """An overridden prolapse grade is not in the letter; the heaviness that still holds is."""
    data = case_input("prolapse", override_to=Status.NOT_READY, rule="O1")
    text = pdf_text(render_report(data, ReportKind.REFERRAL, invariant=True))
    assert "heaviness" in text
    assert "Pelvic organ prolapse on examination" not in text
    assert "Not ready — temporary hold" in text


def test_escalation_to_refer_gets_a_letter_with_the_clinicians_reason() -> None:
    """A clinician who changes a hold to REFER gets a letter that gives her reason, to the GP."""
    data = case_input("leakage", override_to=Status.REFER)
    text = pdf_text(render_report(data, ReportKind.REFERRAL, invariant=True))
    assert "Clinical reason given: Reviewed with the patient." in text
    assert "Refer before running" in text


def test_background_prints_the_final_decision_not_the_proposal() -> None:
    """The outcome in the letter is the clinician's final one."""
    data = case_input("bleeding", override_to=Status.NOT_READY)
    text = pdf_text(render_report(data, ReportKind.REFERRAL, invariant=True))
    assert "decided by the treating clinician: Not ready — temporary hold" in text
    assert "Refer before running" not in text


def test_addressee_from_settings_and_typed_when_printing() -> None:
    """A saved service address is printed; one typed for this letter wins over it."""
    data = case_input("prolapse")
    saved = Addressee("Dr Áine Example, consultant urogynaecologist", ("Example Maternity Hospital",))
    head = replace(data.letterhead, referral_addresses=(("urogynaecology", saved),))
    text = pdf_text(render_report(replace(data, letterhead=head), ReportKind.REFERRAL, invariant=True))
    assert "Dr Áine Example, consultant urogynaecologist Urogynaecology service Example Maternity" in text
    typed = replace(head, addressee=Addressee("Ms B. Other", ("Pelvic Floor Unit",)))
    text = pdf_text(render_report(replace(data, letterhead=typed), ReportKind.REFERRAL, invariant=True))
    assert "Ms B. Other" in text and "Dr Áine" not in text


def test_other_services_are_named_when_findings_need_more_than_one() -> None:
    """Faecal urgency and heaviness go to one service; the other is named in the letter."""
    text = pdf_text(rendered(Status.REFER, ReportKind.REFERRAL))
    assert "Her findings may also need:" in text
    assert "Pelvic-health physiotherapy service: urgency difficult to defer" in text


@pytest.mark.parametrize("status", [Status.READY, Status.NOT_READY_FUNCTION, Status.NOT_YET_TIME])
def test_referral_for_a_visit_that_needs_none_is_refused(status: Status) -> None:
    """Asking a letter for a visit without a referral raises instead of printing an empty one."""
    with pytest.raises(ReferralNotNeededError):
        render_report(sample_input(status), ReportKind.REFERRAL)


def test_pelvic_health_hold_without_named_referral_still_gets_a_letter() -> None:
    """A heaviness hold with no referral in the decision still gets a letter, about the heaviness."""
    data = sample_input(Status.NOT_READY)
    data = replace(data, decision=replace(data.decision, referral=None))
    text = pdf_text(render_report(data, ReportKind.REFERRAL, invariant=True))
    assert "To Urogynaecology service" in text
    assert "heaviness" in text


def test_patient_report_says_a_letter_was_written_to_whom_and_how_soon() -> None:
    """The patient report names the letter's recipient and time frame, as the letter does."""
    text = pdf_text(render_report(case_input("bleeding"), ReportKind.PATIENT, invariant=True))
    assert "We have written a letter to your GP about this, asking them to see you within 2 weeks" in text


def test_patient_report_after_override_to_ready_mentions_no_letter() -> None:
    """When the clinician's decision leaves no letter, the patient report does not claim one."""
    data = case_input("prolapse", override_to=Status.READY_WITH_CAUTIONS, rule="O1")
    text = pdf_text(render_report(data, ReportKind.PATIENT, invariant=True))
    assert "We have written a letter to" not in text
