"""The referral letter: one recipient chosen by the findings, with urgency, findings and a question.

Printed when the clinician's final decision calls for one (:func:`referral_applies`). Where it goes
and how urgently come from the routing table in ``reports/wording/referral.toml``
(:mod:`clinic_app.reporting.referral_route`); the letter follows the final decision, so an
override that sets the findings aside leaves no letter to print (``ReferralNotNeededError``).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Table

from clinic_app.reporting.base import ReportRenderer, text
from clinic_app.reporting.formatting import day
from clinic_app.reporting.inputs import ReportKind
from clinic_app.reporting.referral_route import (
    READY_OUTCOMES,
    LetterPlan,
    finding_sentence,
    letter_findings,
    minus,
    plan_letter,
    referral_applies,
    weeks_since_birth,
)

__all__ = ["ReferralLetterRenderer", "letter_findings", "plan_letter", "referral_applies"]


class ReferralLetterRenderer(ReportRenderer):
    """Builds a one- or two-page referral letter for a visit whose final decision needs one."""

    kind = ReportKind.REFERRAL

    def title(self) -> str:
        """Return the document title (PDF metadata)."""
        return self.words.text("title")

    def footer_text(self) -> str:
        """Return the footer line, with the visit date in the letter's one date style."""
        return self.words.text(
            "footer",
            clinic=self.data.letterhead.name,
            name=self.data.patient.display_name,
            date=day(self.data.visit.visit_date),
        )

    def story(self) -> list[Flowable]:
        """Return the letter: addressee and dates, re and urgency, findings, question, sign-off."""
        plan = plan_letter(self.data)
        story: list[Flowable] = [*self.status_notices()]
        story.append(self.address_block(plan))
        story.append(self.spacer(4))
        title = self.words.text("urgent_title" if plan.urgent else "title")
        story.append(Paragraph(text(title), self.styles.title))
        story.append(self.re_block(plan))
        story.append(self.spacer(3))
        story += self.body(plan)
        story += self.background()
        story += self.signoff(plan)
        return story

    def address_block(self, plan: LetterPlan) -> Table:
        """Return the addressee (left) beside the visit and printed dates (right)."""
        addressee = plan.addressee
        lines = [plan.service]
        if addressee is not None:
            lines = [line for line in (addressee.name, *addressee.address) if line] or lines
            if addressee.name and plan.service not in addressee.address:
                lines.insert(1, plan.service)
        left = [Paragraph(text(self.words.text("to_label")), self.styles.muted)]
        left += [Paragraph(text(line), self.styles.body) for line in lines]
        right = [
            Paragraph(f"{text(self.words.text(label))} {text(day(value))}", self.styles.body)
            for label, value in (
                ("visit_label", self.data.visit.visit_date),
                ("printed_label", self.data.printed_on),
            )
        ]
        table = Table([[left, right]], colWidths=[self.frame_width * 0.6, self.frame_width * 0.4])
        table.setStyle(self.styles.key_value())
        return table

    def re_block(self, plan: LetterPlan) -> Table:
        """Return the patient the letter is about and how urgently she should be seen."""
        patient = self.data.patient
        record = self.words.text("record", record=patient.record_number) if patient.record_number else ""
        re_line = self.words.text(
            "re_line", name=patient.display_name, born=day(patient.date_of_birth), record=record
        )
        urgency = self.words.text("urgency_line", label=plan.urgency_label, time_frame=plan.time_frame)
        rows = [
            [Paragraph(text(self.words.text(label)), self.styles.muted), Paragraph(text(value), style)]
            for label, value, style in (
                ("re_label", re_line, self.styles.body),
                ("urgency_label", urgency, self.styles.h2),
            )
        ]
        table = Table(rows, colWidths=[self.frame_width * 0.14, self.frame_width * 0.86], hAlign="LEFT")
        table.setStyle(self.styles.key_value())
        return table

    def body(self, plan: LetterPlan) -> list[Flowable]:
        """Return the salutation, why she is referred (one sentence per finding) and the question."""
        data = self.data
        mode = self.words.term("delivery_mode", data.delivery.mode.value)
        advice = "advice_ready" if data.final_status in READY_OUTCOMES else "advice_hold"
        opening = self.words.text(
            "opening",
            name=data.patient.display_name,
            date=day(data.visit.visit_date),
            weeks=weeks_since_birth(data),
            mode=mode,
        )
        out: list[Flowable] = [
            self.para(self.words.text("salutation")),
            self.para(f"{opening} {self.words.text(advice)}"),
            self.para(self.words.text("reason_intro")),
        ]
        sentences = [finding_sentence(f, data) for f in plan.findings]
        if plan.examination:
            sentences.append(plan.examination)
        decided = data.clinician_decision
        if decided is not None and decided.comment and decided.final is not decided.proposed:
            sentences.append(minus(self.words.text("clinician_reason", reason=decided.comment)))
        out += [self.heading(self.words.text("findings_heading"), 2), *self.bullets(sentences)]
        out += [self.heading(self.words.text("question_heading"), 2)]
        out += [self.para(question) for question in plan.questions]
        if plan.others:
            items = [
                self.words.text(
                    "others_item", service=service, reasons="; ".join(f.title.lower() for f in findings)
                )
                for service, findings in plan.others
            ]
            out += [self.para(self.words.text("others_intro")), *self.bullets(items)]
        return out

    def background(self) -> list[Flowable]:
        """Return the birth facts and the outcome of the assessment (the final decision)."""
        data = self.data
        key = "background" if data.clinician_decision is not None else "background_proposal"
        words = self.words.text(
            key,
            delivery=day(data.delivery.delivery_date),
            mode=self.words.term("delivery_mode", data.delivery.mode.value),
            trauma=self.words.term("perineal_trauma", data.delivery.perineal_trauma.value),
            parity=data.delivery.parity,
            status=self.words.term("status", data.final_status.value),
        )
        return [self.heading(self.words.text("background_heading"), 2), self.para(words)]

    def signoff(self, plan: LetterPlan) -> list[Flowable]:
        """Return the closing, signature line, sender's name, role and registration, and copies."""
        clinician = self.data.clinician
        registration = (
            self.words.text("registration", registration=clinician.registration)
            if clinician.registration
            else self.words.text("registration_blank")
        )
        block: list[Flowable] = [
            self.para(self.words.text("closing")),
            self.spacer(2),
            self.para(self.words.text("signoff")),
            self.spacer(9),
            self.para(self.words.text("signature_line")),
            Paragraph(f"<b>{text(clinician.name)}</b>", self.styles.body),
            self.para(clinician.profession),
            self.para(registration),
            self.para(self.data.letterhead.name, "muted"),
        ]
        if plan.copy_to_gp:
            block += [
                self.spacer(3),
                self.para(f"{self.words.text('copy_label')}: {self.words.text('copy_gp')}"),
            ]
        return [self.group(block)]
