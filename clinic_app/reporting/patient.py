"""The patient report: the outcome in plain words, what she passed, what to work on, her plan.

Written for the patient to take home. It never goes beyond the data: checks not done are listed
as not assessed, and the outcome is either the clinician's recommendation or, before the clinician
has decided, clearly marked as a proposal.
"""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import Flowable, Paragraph

from clinic_app.readiness.decision import Plan, Status
from clinic_app.reporting.base import ReportRenderer, text
from clinic_app.reporting.flowables import framed_notice, outcome_banner
from clinic_app.reporting.formatting import day, number
from clinic_app.reporting.inputs import ReportKind
from clinic_app.reporting.referral_route import patient_letter_lines

PLAN_STATUSES = (Status.READY, Status.READY_WITH_CAUTIONS)


class PatientReportRenderer(ReportRenderer):
    """Builds the plain-language report the patient takes home."""

    kind = ReportKind.PATIENT

    def story(self) -> list[Flowable]:
        """Return the report body in reading order."""
        story: list[Flowable] = [
            Paragraph(text(self.words.text("title")), self.styles.title),
            Paragraph(text(self.words.text("subtitle")), self.styles.subtitle),
        ]
        story += self.notices()
        story += self.details()
        story += self.outcome()
        story += self.passed()
        story += self.not_assessed()
        story += self.work_on()
        story += self.plan()
        story += self.advice()
        story += self.red_flags()
        story += self.retest()
        story += self.signoff()
        return story

    def notices(self) -> list[Flowable]:
        """Return the DRAFT and PROPOSAL notices that must be seen before anything else."""
        out: list[Flowable] = []
        out += self.status_notices(self.words.text("draft_notice"))
        if self.data.clinician_decision is None:
            notice = self.words.text("proposal_notice", clinician=self.data.clinician.name)
            out += [framed_notice(self.styles, text(notice), self.frame_width), self.spacer(2)]
        return out

    def details(self) -> list[Flowable]:
        """Return the name, birth and visit facts."""
        labels = self.words.raw("details_labels")
        pairs = [
            (labels["name"], self.data.patient.display_name),
            (labels["born"], day(self.data.patient.date_of_birth)),
            (labels["visit"], day(self.data.visit.visit_date)),
            (labels["weeks"], number(self.data.decision.weeks_postpartum)),
            (labels["clinician"], self.data.clinician.name),
        ]
        return [self.key_values(pairs), self.spacer(2)]

    def outcome(self) -> list[Flowable]:
        """Return the outcome banner: symbol, colour and words together."""
        status = self.data.final_status
        style = self.layout.outcomes.get(status.value)
        fill = style.colour if style else "#4a5568"
        symbol = style.symbol if style else "question"
        banner = outcome_banner(
            self.styles,
            symbol=symbol,
            fill=fill,
            label=self.words.term("status", status.value),
            title=text(self.words.text(f"outcome.{status.value}.title")),
            body=text(self.words.text(f"outcome.{status.value}.body")),
            width=self.frame_width,
        )
        out: list[Flowable] = [self.heading(self.words.text("outcome_heading")), banner]
        out += [self.para(s) for s in patient_letter_lines(self.data, self.words.text("referral_letter"))]
        decided = self.data.clinician_decision
        if decided is None or decided.final == self.data.decision.status:
            headline = self.data.decision.patient_headline.strip()
            if headline:
                out += [self.spacer(2), self.para(headline)]
        return out

    def passed(self) -> list[Flowable]:
        """Return the checks she passed, in her words."""
        # A check without patient wording (T2, a rule about the protocol itself) is for the clinician only.
        passed = self.data.decision.passed
        items = list(dict.fromkeys(check.patient_text for check in passed if check.patient_text))
        if not items:
            return [
                self.heading(self.words.text("passed_heading")),
                self.para(self.words.text("passed_empty")),
            ]
        body: list[Flowable] = [self.bullet_columns(items)] if len(items) > 6 else self.bullets(items)
        return [self.heading(self.words.text("passed_heading")), *body]

    def not_assessed(self) -> list[Flowable]:
        """Return the checks not done at this visit; never shown as passed."""
        missing = self.data.decision.not_assessed
        if not missing:
            return []
        not_assessed = self.words.common_text("not_assessed")
        items = [f"{item.title} — {not_assessed}" for item in missing]
        return [
            self.heading(self.words.text("not_assessed_heading")),
            self.para(self.words.text("not_assessed_intro")),
            *self.bullets(items),
        ]

    def work_on(self) -> list[Flowable]:
        """Return what held her back and the cautions, in plain words."""
        findings = (*self.data.decision.holds, *self.data.decision.cautions)
        items = list(dict.fromkeys(f.patient_text or f.title for f in findings))
        if items:
            body = self.bullets(items)
        else:
            empty = "work_on_incomplete" if self.data.final_status is Status.INCOMPLETE else "work_on_empty"
            body = [self.para(self.words.text(empty))]
        return [self.heading(self.words.text("work_on_heading")), *body]

    def plan(self) -> list[Flowable]:
        """Return the walk–run plan table with its progression and stop rules."""
        out: list[Flowable] = [self.heading(self.words.text("plan_heading"))]
        plan = self.data.decision.plan
        if plan is None or self.data.final_status not in PLAN_STATUSES:
            return [*out, self.para(self.words.text("plan_none"))]
        if plan.intro:
            out.append(self.para(plan.intro))
        out.append(self.plan_table(plan))
        out.append(
            self.para(
                self.words.text("plan_schedule", sessions=plan.sessions_per_week, rule=plan.schedule_rule)
            )
        )
        shown = {f.patient_text for f in (*self.data.decision.holds, *self.data.decision.cautions)}
        out += self.bullets([c for c in plan.cautions if c not in shown])
        out += [
            self.heading(self.words.text("plan_progression_heading"), 2),
            *self.bullets(plan.progression_rules),
        ]
        out += [self.heading(self.words.text("plan_stop_heading"), 2), *self.bullets(plan.stop_rules)]
        return out

    def plan_table(self, plan: Plan) -> Flowable:
        """Return the stages as a table: run, walk, repeats and sessions before moving on."""
        rows = []
        for stage in plan.stages:
            walk = (
                self.words.text("plan_continuous")
                if stage.continuous
                else self.words.text("plan_minutes", value=number(stage.walk_minutes))
            )
            rows.append(
                [
                    f"{stage.number}. {stage.title}",
                    self.words.text("plan_minutes", value=number(stage.run_minutes)),
                    walk,
                    f"× {stage.repeats}",
                    str(stage.sessions),
                    stage.note,
                ]
            )
        return self.data_table(self.words.lines("plan_columns"), rows, (0.25, 0.1, 0.1, 0.09, 0.14, 0.32))

    def advice(self) -> list[Flowable]:
        """Return exercise advice for each point to work on.

        Advice that only asks the clinician to record a missing check is left out: the patient
        sees those checks under "not checked at this visit" instead.
        """
        missing = {gap.rule_id for gap in self.data.decision.not_assessed}
        items = [item for item in self.data.decision.advice if item.rule_id not in missing]
        if not items:
            return []
        out: list[Flowable] = [self.heading(self.words.text("advice_heading"))]
        for item in items:
            block: list[Flowable] = [self.heading(item.heading, 2), self.para(item.text)]
            block += self.bullets(item.exercises)
            out.append(self.group(block))
        return out

    def red_flags(self) -> list[Flowable]:
        """Return the "stop and contact us if…" list, framed so it stands out."""
        lines = "<br/>".join(f"• {text(line)}" for line in self.words.lines("red_flags"))
        phone = self.data.letterhead.phone
        if phone:
            lines += "<br/><br/>" + text(self.words.text("contact_text", phone=phone))
        box = framed_notice(self.styles, lines, self.frame_width, border=self.styles.draft, bold=False)
        return [self.group([self.heading(self.words.text("red_flags_heading")), box])]

    def retest(self) -> list[Flowable]:
        """Return when to come back for a re-test."""
        weeks = self.data.decision.retest_weeks
        heading = self.heading(self.words.text("retest_heading"))
        if weeks is None:
            return [heading, self.para(self.words.text("retest_none"))]
        when = self.data.visit.visit_date + dt.timedelta(weeks=weeks)
        span = self.words.text("weeks_one" if weeks == 1 else "weeks_many", weeks=weeks)
        return [heading, self.para(self.words.text("retest_text", retest_date=day(when), span=span))]

    def signoff(self) -> list[Flowable]:
        """Return the clinician sign-off, or the proposal statement when not yet decided."""
        decided = self.data.clinician_decision
        out: list[Flowable] = [self.heading(self.words.text("signoff_heading"))]
        if decided is None:
            notice = self.words.text("proposal_notice", clinician=self.data.clinician.name)
            return [self.group([*out, framed_notice(self.styles, text(notice), self.frame_width)])]
        when = day(decided.decided_at.date())
        if decided.final != decided.proposed:
            out.append(
                self.para(self.words.text("signoff_overridden", clinician=decided.clinician_name, date=when))
            )
        out.append(
            self.para(self.words.text("signoff_confirmed", clinician=decided.clinician_name, date=when))
        )
        return [self.group(out)]
