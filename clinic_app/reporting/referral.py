"""The referral letter: to the GP, pelvic-health physiotherapist or urogynaecology.

Printed when the outcome is REFER or a hold that names a referral (Decision.referral). It states
who it is for, why, and the findings with their values and sources — nothing more than was found.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from clinic_app.readiness.decision import Finding, Referral, Status
from clinic_app.reporting.base import ReportRenderer, text
from clinic_app.reporting.flowables import finding_text
from clinic_app.reporting.formatting import day, number
from clinic_app.reporting.inputs import ReportInput, ReportKind
from clinic_app.reporting.wording import load_wording


def pelvic_health_holds(data: ReportInput) -> list[Finding]:
    """Return the holds that call for a pelvic-health referral (rule ids from the wording file)."""
    rules = set(load_wording("referral").lines("pelvic_health_hold.rules"))
    return [f for f in data.decision.holds if f.rule_id in rules]


def referral_applies(data: ReportInput) -> bool:
    """True when a letter makes sense: a named referral, a REFER outcome or a pelvic-health hold."""
    return data.needs_referral or bool(pelvic_health_holds(data))


class ReferralLetterRenderer(ReportRenderer):
    """Builds a one- or two-page referral letter for a visit that needs one."""

    kind = ReportKind.REFERRAL

    def referral(self) -> Referral:
        """Return the decision's referral, else one built from the holds that call for it.

        A bare REFER outcome goes to the GP; a pelvic-health hold (rules listed in the wording
        file) goes to the pelvic-health physiotherapist.
        """
        found = self.data.decision.referral
        if found is not None:
            return found
        if self.data.final_status is Status.REFER:
            holds = [f for f in self.data.decision.holds if f.status is Status.REFER]
            recipient = self.words.text("default_recipient")
        else:
            holds = pelvic_health_holds(self.data)
            recipient = self.words.text("pelvic_health_hold.recipient")
        return Referral(
            to=(recipient,),
            reasons=tuple(f.title for f in holds),
            rule_ids=tuple(f.rule_id for f in holds),
        )

    def prompting_findings(self, referral: Referral) -> list[Finding]:
        """Return the findings named by the referral (every hold when it names none)."""
        decision = self.data.decision
        every = (*decision.holds, *decision.cautions, *decision.notes)
        named = [f for f in every if f.rule_id in referral.rule_ids]
        return named or list(decision.holds)

    def story(self) -> list[Flowable]:
        """Return the letter: addressee, re-line, opening, reasons, findings, background, sign-off."""
        data = self.data
        referral = self.referral()
        story: list[Flowable] = []
        story += self.status_notices()
        story.append(Paragraph(text(day(data.printed_on)), self.styles.body))
        title = self.words.text("title")
        if referral.urgent:
            title = f"{self.words.text('urgent')} — {title}"
        story.append(Paragraph(text(title), self.styles.title))
        record = (
            self.words.text("record", record=data.patient.record_number) if data.patient.record_number else ""
        )
        story.append(
            self.key_values(
                [
                    (self.words.text("to_label"), "; ".join(referral.to)),
                    (
                        self.words.text("re_label"),
                        self.words.text(
                            "re_line",
                            name=data.patient.display_name,
                            born=day(data.patient.date_of_birth),
                            record=record,
                        ),
                    ),
                ],
                columns=1,
            )
        )
        story.append(self.spacer(3))
        mode = self.words.term("delivery_mode", data.delivery.mode.value)
        story.append(self.para(self.words.text("salutation")))
        story.append(
            self.para(
                self.words.text(
                    "opening",
                    name=data.patient.display_name,
                    date=day(data.visit.visit_date),
                    weeks=number(data.decision.weeks_postpartum),
                    mode=mode,
                )
            )
        )
        if referral.reasons:
            story += [self.heading(self.words.text("reasons_heading"), 2), *self.bullets(referral.reasons)]
        findings = self.prompting_findings(referral)
        if findings:
            rows = [[f.rule_id, finding_text(f), f.source] for f in findings]
            story += [
                self.heading(self.words.text("findings_heading"), 2),
                self.data_table(
                    self.words.lines("findings_columns"), rows, (0.09, 0.61, 0.30), bold_first=True
                ),
            ]
        story += [
            self.heading(self.words.text("background_heading"), 2),
            self.para(
                self.words.text(
                    "background",
                    delivery=day(data.delivery.delivery_date),
                    mode=mode,
                    trauma=self.words.term("perineal_trauma", data.delivery.perineal_trauma.value),
                    parity=data.delivery.parity,
                    status=self.words.term("status", data.decision.status.value),
                )
            ),
        ]
        story.append(self.para(self.words.text("closing")))
        story.append(
            self.group(
                [
                    self.spacer(2),
                    self.para(self.words.text("signoff")),
                    self.spacer(8),
                    Paragraph(f"<b>{text(data.clinician.name)}</b>", self.styles.body),
                    self.para(
                        " · ".join(p for p in (data.clinician.profession, data.clinician.registration) if p)
                    ),
                    self.para(data.letterhead.name, "muted"),
                ]
            )
        )
        return story
