"""The clinician summary's appendix: the full record behind the dashboard, compact enough to skip.

Rules that fired print in full (threshold, effect, source); checks met print as one grouped list;
what was not assessed says what is missing in words (or that the patient declined the internal
examination); every recorded value follows (:mod:`clinic_app.reporting.recorded`), then the change
since the last visit, the trend charts two to a row, the plan and advice offered and the sources.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from clinic_app.readiness.decision import Finding
from clinic_app.reporting.base import ReportRenderer, printed, text
from clinic_app.reporting.charts import ChartLine, collect_series, trend_chart
from clinic_app.reporting.dashboard import declined
from clinic_app.reporting.flowables import finding_text
from clinic_app.reporting.fonts import REGULAR
from clinic_app.reporting.formatting import number
from clinic_app.reporting.paragraphs import CachedParagraph
from clinic_app.reporting.recorded import RecordedValues
from clinic_app.reporting.thresholds import find_threshold, report_protocol


class ClinicianAppendix(ReportRenderer):
    """The appendix sections; the clinician renderer adds page one on top of them."""

    def appendix(self) -> list[Flowable]:
        """Return the appendix in reading order."""
        out: list[Flowable] = [
            self.heading(self.words.text("appendix_heading")),
            self.para(self.words.text("appendix_note"), "muted"),
        ]
        out += self.findings()
        out += self.overrides()
        out += self.not_assessed()
        out += self.passed()
        out += self.derived()
        out += RecordedValues(self).story()
        out += self.changes()
        out += self.trends()
        out += self.plan_and_advice()
        out += self.sources()
        return out

    def findings(self) -> list[Flowable]:
        """Return every rule that fired: holds, cautions and notes with threshold and source."""
        decision = self.data.decision
        every = (*decision.holds, *decision.cautions, *decision.notes)
        out: list[Flowable] = [self.heading(self.words.text("findings_heading"), 2)]
        if not every:
            return [*out, self.para(self.words.text("findings_empty"))]
        rows = [
            [
                f.rule_id,
                f"{f.title}: {without_source(f)}",
                self.effect(f),
                f.threshold or "—",
                f"{f.source} ({f.confidence.lower()})" if f.confidence else f.source,
            ]
            for f in every
        ]
        return [
            *out,
            self.data_table(
                self.words.lines("findings_columns"), rows, (0.06, 0.43, 0.14, 0.13, 0.24), bold_first=True
            ),
        ]

    def effect(self, finding: Finding) -> str:
        """Return what the finding did to the outcome, in the wording's terms."""
        effects = self.words.raw("effect")
        template = str(effects.get(finding.kind.value, finding.kind.value))
        status = self.words.term("status", finding.status.value) if finding.status else ""
        return template.format(status=status)

    def overrides(self) -> list[Flowable]:
        """Return each override with its rule, reason and author."""
        decided = self.data.clinician_decision
        if decided is None or not decided.overrides:
            return []
        rows = [[o.rule_id, o.reason, decided.clinician_name] for o in decided.overrides]
        return [
            self.heading(self.words.text("overrides_heading"), 2),
            self.data_table(self.words.lines("overrides_columns"), rows, (0.08, 0.67, 0.25), bold_first=True),
        ]

    def not_assessed(self) -> list[Flowable]:
        """Return the checks whose inputs were not recorded; a declined examination says so."""
        items = self.data.decision.not_assessed
        if not items:
            return [
                self.heading(self.words.text("not_assessed_heading"), 2),
                self.para(self.words.text("not_assessed_empty")),
            ]
        gate, check = self.words.text("gate_yes"), self.words.text("gate_no")
        rows = []
        for item in items:
            if declined(self.data, item.missing):
                missing = self.words.text("declined_reason")
            else:
                missing = (
                    shortened(item.needs, self.words.text("more_needs"))
                    if item.needs
                    else self.missing_text(item.missing)
                )
            rows.append([item.rule_id, item.title, missing, gate if item.gate else check])
        return [
            self.heading(self.words.text("not_assessed_heading"), 2),
            self.data_table(
                self.words.lines("not_assessed_columns"), rows, (0.07, 0.3, 0.53, 0.1), bold_first=True
            ),
        ]

    def missing_text(self, paths: tuple[str, ...]) -> str:
        """Return the missing inputs by label, each form's sided field named once."""
        labels: dict[str, None] = {}
        for path in paths:
            base = path.removesuffix(".left").removesuffix(".right")
            labels[self.data.field_info(base).label] = None
        return "; ".join(labels)

    def passed(self) -> list[Flowable]:
        """Return the checks met as one grouped list: one line per family, each check with its value."""
        items = self.data.decision.passed
        if not items:
            return []
        rows = []
        placed: set[str] = set()
        for group in self.words.raw("passed_groups"):
            members = [p for p in items if p.rule_id[:1] in group["prefixes"] and p.rule_id not in placed]
            if not members:
                continue
            placed.update(p.rule_id for p in members)
            shown = [
                f"<b>{text(p.rule_id)}</b> {text(p.title)}" + (f" ({text(p.summary)})" if p.summary else "")
                for p in members
            ]
            label = self.cell(group["label"], 0.2 * self.frame_width, bold=True)
            rows.append([label, CachedParagraph(" · ".join(shown), self.styles.cell)])
        rest = [p for p in items if p.rule_id not in placed]
        if rest:
            rows.append(
                [
                    "",
                    CachedParagraph(
                        " · ".join(f"<b>{text(p.rule_id)}</b> {text(p.title)}" for p in rest),
                        self.styles.cell,
                    ),
                ]
            )
        table = Table(rows, colWidths=[0.2 * self.frame_width, 0.8 * self.frame_width])
        style = self.styles.table(header=False, rows=len(rows))
        cell = self.styles.cell_bold  # the group labels that fit are plain strings: give them its font
        style.add("FONTNAME", (0, 0), (0, -1), cell.fontName)
        style.add("FONTSIZE", (0, 0), (0, -1), cell.fontSize)
        style.add("LEADING", (0, 0), (0, -1), cell.leading)
        style.add("TEXTCOLOR", (0, 0), (0, -1), cell.textColor)
        table.setStyle(style)
        return [self.heading(self.words.text("passed_heading"), 2), table]

    def derived(self) -> list[Flowable]:
        """Return the computed values (BMI, POP-Q stage, LSIs, ICIQ band) the engine reported, as one line."""
        items = self.data.decision.derived
        if not items:
            return []
        shown = " · ".join(f"{text(o.label)} <b>{text(o.display)}</b>" for o in items)
        return [
            self.heading(self.words.text("derived_heading"), 2),
            CachedParagraph(shown, self.styles.small),
        ]

    def changes(self) -> list[Flowable]:
        """Return the change of each measure since the previous visit; verdict notes once, below."""
        items = self.data.decision.changes
        if not items:
            return []
        notes: dict[str, int] = {}
        rows = []
        unchanged = [c.label for c in items if _unchanged(c.change) and not c.note]
        for c in items:
            if c.label in unchanged:
                continue
            mark = ""
            if c.note:
                notes.setdefault(c.note, len(notes) + 1)
                mark = f" [{notes[c.note]}]"
            rows.append([c.label, c.previous, c.current, c.change, c.verdict + mark])
        out: list[Flowable] = [
            self.heading(self.words.text("changes_heading"), 2),
            self.data_table(self.words.lines("changes_columns"), rows, (0.34, 0.14, 0.14, 0.13, 0.25)),
        ]
        if unchanged:
            out.append(self.para(f"{self.words.text('unchanged_label')}: {' · '.join(unchanged)}", "small"))
        out += [self.para(f"[{index}] {note}", "small") for note, index in notes.items()]
        return out

    def trends(self) -> list[Flowable]:
        """Return the trend charts two to a row, each with its protocol threshold when it has one."""
        data = self.data
        heading = self.heading(self.words.text("trends_heading"), 2)
        if not data.earlier_visits:
            return [heading, self.para(self.words.text("trends_empty"), "muted")]
        visits = (*data.earlier_visits, data.visit)
        timed = self.layout.timed_fields + tuple(
            f.path for form in data.forms for f in form.fields if f.better == "lower"
        )
        protocol = report_protocol(data)
        half = (self.frame_width - 4 * mm) / 2
        charts = []
        for spec in self.layout.trends:
            series = collect_series(spec, visits, data.delivery, timed)
            if not series:
                continue
            recorded = data.results.text(spec.unit_from) if spec.unit_from else None
            found = find_threshold(protocol, spec.reference_rule, recorded or "")
            line = ChartLine(found.value, found.label()) if found is not None else None
            if line is None and spec.reference_line is not None:
                line = ChartLine(spec.reference_line, spec.reference_label)
            unit = spec.unit or self.recorded_unit(spec.unit_from)
            charts.append(
                trend_chart(
                    spec.title,
                    series,
                    width=half,
                    palette=self.layout.palette,
                    font_size=self.layout.base_size,
                    unit=unit,
                    threshold=line,
                )
            )
        if not charts:
            return [heading, self.para(self.words.text("trends_empty"), "muted")]
        if len(charts) % 2:
            charts.append("")
        grid = Table([charts[i : i + 2] for i in range(0, len(charts), 2)], colWidths=[half + 4 * mm, half])
        grid.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ]
            )
        )
        return [heading, grid]

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
                self.words.text(
                    "plan_stage",
                    number=s.number,
                    title=s.title,
                    run=number(s.run_minutes),
                    walk=number(s.walk_minutes),
                    repeats=s.repeats,
                    sessions=s.sessions,
                )
                for s in decision.plan.stages
            ]
            out += [
                self.heading(self.words.text("plan_heading"), 2),
                self.para(decision.plan.title, "notice"),
                CachedParagraph(" · ".join(text(stage) for stage in stages), self.styles.small),
            ]
        if decision.advice:
            out += [
                self.heading(self.words.text("advice_heading"), 2),
                *self.bullets([f"{a.rule_id} — {a.heading}" for a in decision.advice]),
            ]
        return out

    def sources(self) -> list[Flowable]:
        """Return the full references behind every rule applied, with hanging indents."""
        sources = [printed(s) for s in self.data.decision.sources]
        sources = [s for s in dict.fromkeys(sources) if s]
        if not sources:
            return []
        return [
            self.heading(self.words.text("sources_heading"), 2),
            *[CachedParagraph(text(s), self.styles.reference) for s in sources],
        ]


def without_source(finding: Finding) -> str:
    """Return a finding's text without the "— RULE, source" tail the Source column already prints."""
    shown = finding_text(finding)
    tail = f" — {finding.rule_id}, "
    return shown[: shown.rindex(tail)] if tail in shown else shown


def shortened(needs: tuple[str, ...], more: str, keep: int = 3) -> str:
    """Return what is missing, the first few in full and the rest counted (ten tuck-jump items)."""
    if len(needs) <= keep + 1:
        return "; ".join(needs)
    return "; ".join(needs[:keep]) + "; " + more.format(count=len(needs) - keep)


def _unchanged(change: str) -> bool:
    """True when a printed change is zero (``0 cm``, ``+0.0 %``)."""
    shown = printed(change).split(" ")[0].rstrip("%")
    return shown in ("0", "±0")
