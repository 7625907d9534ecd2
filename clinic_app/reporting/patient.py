"""The patient report: page one is the sheet for the fridge, the detail and her walk–run log follow.

Page one holds, for every outcome, the result in words with its symbol, one to three reasons in her
own words, what to do this week, the date of her next check and how to book it, and when to stop
and call (the clinic's phone is in the letterhead and in the red-flag box). Everything follows the
clinician's final decision (``ReportInput.final_decision``, planned by the engine's rules in the
service layer); before the clinician has decided, the report says it is a proposal. It never goes
beyond the data: a check not done is never counted as passed.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Paragraph

from clinic_app.readiness.decision import Status
from clinic_app.reporting.base import text
from clinic_app.reporting.flowables import framed_notice, outcome_banner
from clinic_app.reporting.formatting import day, weeks
from clinic_app.reporting.inputs import ReportKind
from clinic_app.reporting.patient_pages import RUNNING, PatientPages, is_declined
from clinic_app.reporting.referral_route import patient_letter_lines
from clinic_app.reporting.walkrun_log import walkrun_log

MAX_REASONS = 3
"""Reasons on page one; the rest are on the detail pages."""


class PatientReportRenderer(PatientPages):
    """Builds the plain-language report the patient takes home."""

    kind = ReportKind.PATIENT

    def story(self) -> list[Flowable]:
        """Return page one, then her walk–run log (when she may run), then the detail."""
        story: list[Flowable] = [Paragraph(text(self.words.text("title")), self.styles.title)]
        story += self.notices()
        story += self.details()
        story += self.outcome()
        story += self.reasons()
        story += self.this_week()
        story += self.next_check()
        story += self.red_flags()
        plan = self.data.final_decision.plan
        if plan is not None and self.data.final_status in RUNNING:
            story += [PageBreak(), *walkrun_log(self, plan)]
        story += [PageBreak(), *self.detail_pages()]
        return story

    # --- page one ----------------------------------------------------------------------------

    def notices(self) -> list[Flowable]:
        """Return the DRAFT and PROPOSAL notices that must be seen before anything else."""
        out: list[Flowable] = []
        out += self.status_notices(self.words.text("draft_notice"))
        if self.data.clinician_decision is None:
            notice = self.words.text("proposal_notice", clinician=self.data.clinician.name)
            out += [framed_notice(self.styles, text(notice), self.frame_width), self.spacer(1.5)]
        return out

    def details(self) -> list[Flowable]:
        """Return her name, the visit date, the time since the birth and the clinician, in two columns."""
        labels = self.words.raw("details_labels")
        pairs = [
            (labels["name"], self.data.patient.display_name),
            (labels["visit"], day(self.data.visit.visit_date)),
            (labels["weeks"], weeks(self.data.decision.weeks_postpartum)),
            (labels["clinician"], self.data.clinician.name),
        ]
        return [self.key_values(pairs, label_share=0.3), self.spacer(1.5)]

    def outcome(self) -> list[Flowable]:
        """Return the outcome banner: symbol, colour and words together."""
        status = self.data.final_status
        style = self.layout.outcomes.get(status.value)
        banner = outcome_banner(
            self.styles,
            symbol=style.symbol if style else "question",
            fill=style.colour if style else "#4a5568",
            label=self.words.term("status", status.value),
            title=text(self.words.text(f"outcome.{status.value}.title")),
            body=text(self.words.text(f"outcome.{status.value}.body")),
            width=self.frame_width,
        )
        return [banner]

    def reasons(self) -> list[Flowable]:
        """Return one to three reasons in her words, and the referral letter when one was written."""
        decision = self.data.final_decision
        status = self.data.final_status
        items: list[str]
        if status in RUNNING:
            items = [self.words.text("why_ready")]
            items += [f.patient_text for f in decision.cautions if f.patient_text][: MAX_REASONS - 1]
            more = False
        elif status is Status.INCOMPLETE and not decision.holds:
            gaps = [gap for gap in decision.not_assessed if gap.gate]
            items = [
                self.words.text(
                    "why_declined_item" if is_declined(self.data, gap) else "why_incomplete_item",
                    title=gap.title,
                )
                for gap in gaps
            ]
            more = len(items) > MAX_REASONS
        else:
            items = list(dict.fromkeys(f.patient_text or f.title for f in decision.holds))
            if not items and decision.patient_headline:
                items = [decision.patient_headline]
            more = len(items) > MAX_REASONS
        out: list[Flowable] = [self.heading(self.words.text("why_heading"), 2)]
        out += self.bullets(list(dict.fromkeys(items))[:MAX_REASONS])
        out += [self.para(s) for s in patient_letter_lines(self.data, self.words.text("referral_letter"))]
        if more:
            out.append(self.para(self.words.text("why_more"), "muted"))
        return out

    def this_week(self) -> list[Flowable]:
        """Return what to do this week for the final result, as two or three steps."""
        steps = self.words.lines(f"this_week.{self.data.final_status.value}")
        return [self.heading(self.words.text("this_week_heading"), 2), *self.bullets(steps)]

    def next_check(self) -> list[Flowable]:
        """Return the date of her next check and how to book it."""
        heading = self.heading(self.words.text("next_check_heading"), 2)
        when = self.data.next_check_date
        weeks_ = self.data.next_check_weeks
        phone = self.data.letterhead.phone
        book = (
            self.words.text("how_to_book", phone=phone) if phone else self.words.text("how_to_book_no_phone")
        )
        if when is None or weeks_ is None:
            return [heading, self.para(f"{self.words.text('next_check_none')} {book}")]
        key = "next_check_running" if self.data.final_status in RUNNING else "next_check_text"
        span = self.words.text("weeks_one" if weeks_ == 1 else "weeks_many", weeks=weeks_)
        sentence = self.words.text(key, date=day(when), span=span)
        return [heading, Paragraph(f"<b>{text(sentence)}</b> {text(book)}", self.styles.body)]

    def red_flags(self) -> list[Flowable]:
        """Return the "stop and contact us if…" list, framed so it stands out."""
        lines = "<br/>".join(f"• {text(line)}" for line in self.words.lines("red_flags"))
        phone = self.data.letterhead.phone
        contact = (
            self.words.text("contact_text", phone=phone)
            if phone
            else self.words.text("contact_text_no_phone")
        )
        lines += f"<br/><b>{text(contact)}</b>"
        box = framed_notice(self.styles, lines, self.frame_width, border=self.styles.draft, bold=False)
        return [self.group([self.heading(self.words.text("red_flags_heading"), 2), box])]
