"""The clinician summary: everything recorded and everything the engine did with it.

Lists each rule that fired with its threshold and source, the clinician's decision and overrides
(author and reason), what was not assessed, every recorded value with units and sides, and trend
charts against earlier visits. Nothing is summarised away: a colleague reading it can re-derive
the outcome.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from clinic_app.readiness.decision import Finding
from clinic_app.reporting.base import ReportRenderer, text
from clinic_app.reporting.charts import collect_series, trend_chart
from clinic_app.reporting.flowables import finding_text, framed_notice, outcome_banner
from clinic_app.reporting.formatting import day, number
from clinic_app.reporting.inputs import ReportKind
from clinic_app.reporting.recorded import RecordedValues


class ClinicianReportRenderer(ReportRenderer):
    """Builds the complete clinician-facing summary of one visit."""

    kind = ReportKind.CLINICIAN

    def story(self) -> list[Flowable]:
        """Return the summary body in reading order."""
        story: list[Flowable] = [Paragraph(text(self.words.text("title")), self.styles.title)]
        story += self.status_notices()
        story += self.identity()
        story += self.outcome()
        story += self.clinician_decision()
        story += self.findings()
        story += self.not_assessed()
        story += self.passed()
        story += self.derived()
        story += RecordedValues(self).story()
        story += self.changes()
        story += self.trends()
        story += self.plan_and_advice()
        story += self.sources()
        return story

    def identity(self) -> list[Flowable]:
        """Return patient, delivery, visit, clinician and protocol facts."""
        data = self.data
        labels = self.words.raw("identity_labels")
        decision = data.decision
        pairs = [
            (labels["name"], data.patient.display_name),
            (labels["born"], day(data.patient.date_of_birth)),
            (labels["record"], data.patient.record_number or "—"),
            (labels["delivery"], day(data.delivery.delivery_date)),
            (labels["mode"], self.words.term("delivery_mode", data.delivery.mode.value)),
            (labels["trauma"], self.words.term("perineal_trauma", data.delivery.perineal_trauma.value)),
            (labels["parity"], str(data.delivery.parity)),
            (labels["weeks"], number(decision.weeks_postpartum)),
            (labels["visit"], f"{data.visit.id} · {day(data.visit.visit_date)}"),
            (labels["status"], self.words.term("visit_status", data.visit.status.value)),
            (labels["clinician"], data.clinician.name),
            (labels["protocol"], f"{decision.protocol_id} v{decision.protocol_version}"),
        ]
        return [self.key_values(pairs), self.spacer(2)]

    def outcome(self) -> list[Flowable]:
        """Return the engine's proposed outcome with symbol, colour and words."""
        decision = self.data.decision
        style = self.layout.outcomes.get(decision.status.value)
        banner = outcome_banner(
            self.styles,
            symbol=style.symbol if style else "question",
            fill=style.colour if style else "#4a5568",
            label=self.words.text("decision_labels.proposed"),
            title=text(self.words.term("status", decision.status.value)),
            body=text(decision.headline),
            width=self.frame_width,
        )
        return [self.heading(self.words.text("decision_heading")), banner]

    def clinician_decision(self) -> list[Flowable]:
        """Return the clinician's decision and every override with its author and reason."""
        decided = self.data.clinician_decision
        out: list[Flowable] = [self.heading(self.words.text("clinician_decision_heading"))]
        if decided is None:
            return [
                *out,
                framed_notice(self.styles, text(self.words.text("no_clinician_decision")), self.frame_width),
            ]
        labels = self.words.raw("decision_labels")
        pairs = [
            (labels["proposed"], self.words.term("status", decided.proposed.value)),
            (labels["final"], self.words.term("status", decided.final.value)),
            (labels["action"], self.words.term("action", decided.action.value)),
            (labels["by"], decided.clinician_name),
            (labels["at"], f"{day(decided.decided_at.date())} {decided.decided_at:%H:%M}"),
        ]
        if decided.comment:
            pairs.append((labels["comment"], decided.comment))
        out.append(self.key_values(pairs))
        if decided.overrides:
            rows = [[o.rule_id, o.reason, decided.clinician_name] for o in decided.overrides]
            out += [
                self.heading(self.words.text("overrides_heading"), 2),
                self.data_table(
                    self.words.lines("overrides_columns"), rows, (0.1, 0.65, 0.25), bold_first=True
                ),
            ]
        return out

    def findings(self) -> list[Flowable]:
        """Return every rule that fired: holds, cautions and notes with threshold and source."""
        decision = self.data.decision
        every = (*decision.holds, *decision.cautions, *decision.notes)
        out: list[Flowable] = [self.heading(self.words.text("findings_heading"))]
        if not every:
            return [*out, self.para(self.words.text("findings_empty"))]
        rows = [
            [
                f.rule_id,
                self.finding_text(f),
                self.effect(f),
                f.threshold or "—",
                f"{f.source} ({f.confidence})" if f.confidence else f.source,
            ]
            for f in every
        ]
        return [
            *out,
            self.data_table(
                self.words.lines("findings_columns"), rows, (0.06, 0.42, 0.13, 0.12, 0.27), bold_first=True
            ),
        ]

    def finding_text(self, finding: Finding) -> str:
        """Return a finding's explanation followed by the observed values it does not already show."""
        return finding_text(finding)

    def effect(self, finding: Finding) -> str:
        """Return what the finding did to the outcome, in the wording's terms."""
        effects = self.words.raw("effect")
        template = str(effects.get(finding.kind.value, finding.kind.value))
        status = self.words.term("status", finding.status.value) if finding.status else ""
        return template.format(status=status)

    def not_assessed(self) -> list[Flowable]:
        """Return the checks whose inputs were not recorded (gates block READY)."""
        items = self.data.decision.not_assessed
        out: list[Flowable] = [self.heading(self.words.text("not_assessed_heading"))]
        if not items:
            return [*out, self.para(self.words.text("not_assessed_empty"))]
        gate, check = self.words.text("gate_yes"), self.words.text("gate_no")
        rows = [[i.rule_id, i.title, self.missing_text(i.missing), gate if i.gate else check] for i in items]
        return [
            *out,
            self.data_table(
                self.words.lines("not_assessed_columns"), rows, (0.08, 0.34, 0.48, 0.1), bold_first=True
            ),
        ]

    def missing_text(self, paths: tuple[str, ...]) -> str:
        """Return the missing inputs by label (``Urinary urgency``), with the form when known."""
        labels = []
        for path in paths:
            info = self.data.field_info(path)
            labels.append(info.label if "." in path else path)
        return "; ".join(labels)

    def passed(self) -> list[Flowable]:
        """Return the rules whose inputs were recorded and which did not fire."""
        items = self.data.decision.passed
        if not items:
            return []
        rows = [[p.rule_id, p.title, p.summary] for p in items]
        return [
            self.heading(self.words.text("passed_heading")),
            self.data_table(self.words.lines("passed_columns"), rows, (0.08, 0.42, 0.5), bold_first=True),
        ]

    def derived(self) -> list[Flowable]:
        """Return the computed values (BMI, POP-Q stage, LSIs, ICIQ band) the engine reported."""
        items = self.data.decision.derived
        if not items:
            return []
        return [
            self.group(
                [
                    self.heading(self.words.text("derived_heading")),
                    self.key_values([(o.label, o.display) for o in items]),
                ]
            )
        ]

    def changes(self) -> list[Flowable]:
        """Return the change of each measure since the previous visit, judged against error."""
        items = self.data.decision.changes
        if not items:
            return []
        rows = [
            [c.label, c.previous, c.current, c.change, c.verdict + (f" — {c.note}" if c.note else "")]
            for c in items
        ]
        return [
            self.heading(self.words.text("changes_heading")),
            self.data_table(self.words.lines("changes_columns"), rows, (0.3, 0.14, 0.14, 0.14, 0.28)),
        ]

    def trends(self) -> list[Flowable]:
        """Return one trend chart per configured measure with two or more visits on record."""
        data = self.data
        heading = self.heading(self.words.text("trends_heading"))
        if not data.earlier_visits:
            return [heading, self.para(self.words.text("trends_empty"), "muted")]
        visits = (*data.earlier_visits, data.visit)
        charts: list[Flowable] = []
        timed = self.layout.timed_fields + tuple(
            f.path for form in data.forms for f in form.fields if f.better == "lower"
        )
        for spec in self.layout.trends:
            series = collect_series(spec, visits, data.delivery, timed)
            if not series:
                continue
            unit = spec.unit or self.recorded_unit(spec.unit_from)
            charts.append(
                trend_chart(
                    spec,
                    series,
                    width=self.frame_width,
                    palette=self.layout.palette,
                    font_size=self.layout.base_size,
                    unit=unit,
                )
            )
            charts.append(self.spacer(3))
        if not charts:
            return [heading, self.para(self.words.text("trends_empty"), "muted")]
        return [self.group([heading, charts[0]]), *charts[1:]]

    def recorded_unit(self, path: str) -> str:
        """Return the label of the unit recorded at ``path`` (a unit choice field), or blank."""
        recorded = self.data.results.text(path) if path else None
        if recorded is None:
            return ""
        return self.data.field_info(path).choice_labels.get(recorded, recorded)

    def plan_and_advice(self) -> list[Flowable]:
        """Return the plan stages and advice headings offered to the patient, for the record."""
        decision = self.data.decision
        out: list[Flowable] = []
        if decision.plan is not None:
            stages = [
                f"{s.number}. {s.title}: run {number(s.run_minutes)} min / walk {number(s.walk_minutes)} "
                f"min × {s.repeats}, {s.sessions} sessions"
                for s in decision.plan.stages
            ]
            out += [
                self.heading(self.words.text("plan_heading")),
                self.para(decision.plan.title, "notice"),
                *self.bullets(stages),
            ]
        if decision.advice:
            out += [
                self.heading(self.words.text("advice_heading")),
                *self.bullets([f"{a.rule_id} — {a.heading}" for a in decision.advice]),
            ]
        return out

    def sources(self) -> list[Flowable]:
        """Return the full references behind every rule applied."""
        sources = self.data.decision.sources
        if not sources:
            return []
        return [
            self.heading(self.words.text("sources_heading")),
            *[Paragraph(text(s), self.styles.small, bulletText="•") for s in sources],
        ]
