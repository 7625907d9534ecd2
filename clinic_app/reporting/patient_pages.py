"""The patient report after page one: what to work on, what was not checked, what she passed, exercises.

"What you passed" is a short grouped checklist (bladder and bowel, tummy, strength…) with a count per
group, not a long list that reads like a clearance; the groups are wording data
(``[[passed_groups]]`` in ``reports/wording/patient.toml``). A declined examination reads as her
choice, not as a gap.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Table

from clinic_app.readiness.decision import NotAssessed, Status
from clinic_app.reporting.base import ReportRenderer, text
from clinic_app.reporting.formatting import day
from clinic_app.reporting.inputs import ReportInput
from clinic_app.reporting.paragraphs import CachedParagraph

RUNNING = (Status.READY, Status.READY_WITH_CAUTIONS)
"""Final results that come with the walk–run log."""
DECLINED = "declined"
"""The ``exam_state`` choice recorded when she declined an examination."""


def is_declined(data: ReportInput, gap: NotAssessed) -> bool:
    """True when a check was not done because she declined the examination it needs."""
    forms = {path.partition(".")[0] for path in gap.missing}
    return any(data.results.text(f"{form}.exam_state") == DECLINED for form in forms)


class PatientPages(ReportRenderer):
    """The detail pages of the patient report (the renderer adds page one and the log)."""

    def detail_pages(self) -> list[Flowable]:
        """Return the detail sections in reading order."""
        out: list[Flowable] = [self.heading(self.words.text("detail_heading"))]
        out += self.work_on()
        out += self.later()
        out += self.not_assessed()
        out += self.advice()
        out += self.plan_rules()
        out += self.passed()
        out += self.signoff()
        return out

    def work_on(self) -> list[Flowable]:
        """Return what held her back (and, when she may run, the cautions), in plain words."""
        decision = self.data.final_decision
        findings = [*decision.holds, *(decision.cautions if self.data.final_status in RUNNING else ())]
        items = list(dict.fromkeys(f.patient_text or f.title for f in findings))
        if items:
            body = self.bullets(items)
        else:
            empty = "work_on_incomplete" if self.data.final_status is Status.INCOMPLETE else "work_on_empty"
            body = [self.para(self.words.text(empty))]
        return [self.heading(self.words.text("work_on_heading"), 2), *body]

    def later(self) -> list[Flowable]:
        """Return the cautions for when she starts running, while she may not run yet."""
        if self.data.final_status in RUNNING:
            return []
        cautions = self.data.final_decision.cautions
        items = list(dict.fromkeys(f.patient_text for f in cautions if f.patient_text))
        if not items:
            return []
        return [self.heading(self.words.text("later_heading"), 2), *self.bullets(items)]

    def not_assessed(self) -> list[Flowable]:
        """Return the checks not done at this visit; a declined examination reads as her choice."""
        missing = self.data.final_decision.not_assessed
        if not missing:
            return []
        items = [
            self.words.text(
                "declined_item" if is_declined(self.data, gap) else "not_assessed_item", title=gap.title
            )
            for gap in missing
        ]
        return [
            self.heading(self.words.text("not_assessed_heading"), 2),
            self.para(self.words.text("not_assessed_intro"), "muted"),
            *self.bullets(list(dict.fromkeys(items))),
        ]

    def advice(self) -> list[Flowable]:
        """Return exercise advice fitted to the final result and to her.

        Advice that only asks the clinician to record a missing check is left out: the patient
        sees those checks under "not checked at this visit" instead.
        """
        decision = self.data.final_decision
        missing = {gap.rule_id for gap in decision.not_assessed}
        items = [item for item in decision.advice if item.rule_id not in missing]
        if not items:
            return []
        out: list[Flowable] = [self.heading(self.words.text("advice_heading"), 2)]
        for item in items:
            block: list[Flowable] = [self.para(f"{item.heading}", "notice"), self.para(item.text)]
            block += self.bullets(item.exercises)
            out.append(self.group(block))
        return out

    def plan_rules(self) -> list[Flowable]:
        """Return how the plan works (schedule, moving up, stepping back), or when it will start."""
        plan = self.data.final_decision.plan
        out: list[Flowable] = [self.heading(self.words.text("plan_heading"), 2)]
        if plan is None or self.data.final_status not in RUNNING:
            return [*out, self.para(self.words.text("plan_none"))]
        if plan.intro:
            out.append(self.para(plan.intro))
        schedule = self.words.text("plan_schedule", sessions=plan.sessions_per_week, rule=plan.schedule_rule)
        out.append(self.para(schedule))
        out += [
            self.para(self.words.text("plan_progression_heading"), "notice"),
            *self.bullets(plan.progression_rules),
        ]
        out += [self.para(self.words.text("plan_stop_heading"), "notice"), *self.bullets(plan.stop_rules)]
        return out

    def passed(self) -> list[Flowable]:
        """Return what she passed as one line per group: the group and how many of its checks."""
        decision = self.data.final_decision
        heading = self.heading(self.words.text("passed_heading"), 2)
        passed = {check.rule_id for check in decision.passed if check.patient_text}
        if not passed:
            return [heading, self.para(self.words.text("passed_empty"))]
        judged = passed | {f.rule_id for f in (*decision.holds, *decision.cautions)}
        judged |= {gap.rule_id for gap in decision.not_assessed}
        rows = []
        for group in self.words.raw("passed_groups"):
            rules = set(group["rules"])
            count, total = len(passed & rules), len(judged & rules)
            if not count:
                continue
            key = "passed_group_one" if count == 1 else "passed_group"
            rows.append(
                [
                    self.para("✓"),
                    self.para(group["title"], "notice"),
                    self.para(self.words.text(key, count=count, total=total)),
                ]
            )
        # Two groups to a line, read down then across: nine groups take five lines, not nine.
        half = (len(rows) + 1) // 2
        blank = [self.para(""), self.para(""), self.para("")]
        cells = [rows[i] + (rows[i + half] if i + half < len(rows) else blank) for i in range(half)]
        table = Table(
            cells,
            colWidths=[self.frame_width * w for w in (0.035, 0.245, 0.22) * 2],
            hAlign="LEFT",
        )
        table.setStyle(self.styles.key_value())
        out = [heading, table]
        if self.data.clinician_decision is None:  # the sign-off below says the same once decided
            out.append(self.para(self.words.text("passed_intro"), "muted"))
        return [self.group(out)]

    def signoff(self) -> list[Flowable]:
        """Return the clinician sign-off; before the decision, page one's proposal notice says it all.

        One paragraph led by its title in bold rather than a heading of its own: as a heading with a
        kept-together paragraph it was what most often spilled alone onto a last page.
        """
        decided = self.data.clinician_decision
        if decided is None:
            return []
        when = day(decided.decided_at.date())
        sentences = []
        if decided.final != decided.proposed:
            sentences.append(
                self.words.text("signoff_overridden", clinician=decided.clinician_name, date=when)
            )
        sentences.append(self.words.text("signoff_confirmed", clinician=decided.clinician_name, date=when))
        title = text(self.words.text("signoff_heading"))
        shown = f"<b>{title}.</b> {text(' '.join(sentences))}"
        return [self.spacer(2), CachedParagraph(shown, self.styles.body)]
