"""The clinician summary's appendix: the full record behind the dashboard, compact enough to skip.

Rules that fired print in full (threshold, effect, source); checks met print as one grouped list;
what was not assessed says what is missing in words (or that the patient declined the internal
examination); every recorded value follows (:mod:`clinic_app.reporting.recorded`), then the change
since the last visit, the plan and advice offered (text that fills the foot of a page the charts
would leave blank), the trend charts two to a row and the sources.
"""

from __future__ import annotations

from fnmatch import fnmatch

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.flowables import BalancedColumns

from clinic_app.readiness.decision import Finding, PlanStage
from clinic_app.reporting.base import ReportRenderer, printed, text
from clinic_app.reporting.charts import ChartLine, collect_series, trend_chart
from clinic_app.reporting.dashboard import declined
from clinic_app.reporting.flowables import finding_text
from clinic_app.reporting.fonts import REGULAR
from clinic_app.reporting.formatting import number
from clinic_app.reporting.paragraphs import CachedParagraph
from clinic_app.reporting.recorded import RecordedValues
from clinic_app.reporting.thresholds import find_threshold, report_protocol

_ONE_COLUMN_SOURCES = 6
"""Up to this many sources print in one column; more are set in two balanced columns."""


_CHART_ROW = TableStyle(
    [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
    ]
)
"""A row of two trend charts: no padding at the sides, a little space between rows."""


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
        out += self.plan_and_advice()
        out += self.trends()
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
                self.words.lines("findings_columns"), rows, (0.06, 0.42, 0.18, 0.12, 0.22), bold_first=True
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
        """Return the checks met as one grouped list: one line per family, each check by rule and name.

        The values behind them are not repeated here: every one is in the recorded values that
        follow (and the key ones on page one), and repeating them made this list half a page long.
        """
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
            shown = [f"<b>{text(p.rule_id)}</b> {text(p.title)}" for p in members]
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
        """Return, as one line, the computed values the engine reported that no other section prints.

        The layout names the ones printed elsewhere (LSI in the strength and hop tables, BMI on page
        one …); listing them twice cost a paragraph on every summary.
        """
        elsewhere = self.layout.derived_shown_elsewhere
        items = [o for o in self.data.decision.derived if not any(fnmatch(o.path, p) for p in elsewhere)]
        if not items:
            return []
        shown = " · ".join(f"{text(o.label)} <b>{text(o.display)}</b>" for o in items)
        return [
            self.heading(self.words.text("derived_heading"), 2),
            CachedParagraph(shown, self.styles.small),
        ]

    def changes(self) -> list[Flowable]:
        """Return the change of each measure since the previous visit; verdict notes once, below.

        A measure that did not change at all is named in one line under the table instead of a row
        of its own: its verdict note (measurement error) explains nothing when there is no change.
        """
        items = self.data.decision.changes
        if not items:
            return []
        notes: dict[str, int] = {}
        rows = []
        unchanged = [c.label for c in items if _unchanged(c.change)]
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
        # One table per row of two: the heading keeps with the first row only, so the charts start
        # on the page where the heading fits instead of the whole grid moving to the next page.
        rows: list[Flowable] = []
        for i in range(0, len(charts), 2):
            row = Table([charts[i : i + 2]], colWidths=[half + 4 * mm, half])
            row.setStyle(_CHART_ROW)
            rows.append(row)
        return [heading, *rows]

    def recorded_unit(self, path: str) -> str:
        """Return the label of the unit recorded at ``path`` (a unit choice field), or blank."""
        recorded = self.data.results.text(path) if path else None
        if recorded is None:
            return ""
        return self.data.field_info(path).choice_labels.get(recorded, recorded)

    def plan_and_advice(self) -> list[Flowable]:
        """Return the plan and advice offered, for the record, in two lines.

        The stages themselves are the patient report's log; here the plan is named by its span (first
        and last stage, sessions per stage), which is what a colleague checks.
        """
        decision = self.data.decision
        lines: list[str] = []
        plan = decision.plan
        if plan is not None and plan.stages:
            fewest, most = min(s.sessions for s in plan.stages), max(s.sessions for s in plan.stages)
            lines.append(
                self.words.text(
                    "plan_summary",
                    count=len(plan.stages),
                    first=self.stage_text(plan.stages[0]),
                    last=self.stage_text(plan.stages[-1]),
                    sessions=f"{fewest}–{most}" if fewest != most else str(most),
                )
            )
        if decision.advice:
            items = " · ".join(f"<b>{text(a.rule_id)}</b> {text(a.heading)}" for a in decision.advice)
            lines.append(self.words.text("advice_line", items=items))
        if not lines:
            return []
        return [
            self.heading(self.words.text("plan_heading"), 2),
            *[CachedParagraph(line, self.styles.small) for line in lines],
        ]

    def stage_text(self, stage: PlanStage) -> str:
        """Return one stage as a clinician writes it (``run 1 / walk 1 min × 10``, ``30 min continuous``)."""
        run = number(stage.run_minutes)
        if stage.continuous:
            return text(self.words.text("plan_continuous", run=run))
        return text(
            self.words.text("plan_step", run=run, walk=number(stage.walk_minutes), repeats=stage.repeats)
        )

    def sources(self) -> list[Flowable]:
        """Return the full references behind every rule applied, with hanging indents."""
        sources = [printed(s) for s in self.data.decision.sources]
        sources = [s for s in dict.fromkeys(sources) if s]
        if not sources:
            return []
        references: list[Flowable] = [CachedParagraph(text(s), self.styles.reference) for s in sources]
        if len(references) > _ONE_COLUMN_SOURCES:
            # Two balanced columns: a long list reads as well and takes half the height (it alone
            # filled the last page of a summary with earlier visits).
            references = [BalancedColumns(references, nCols=2, innerPadding=4 * mm, needed=48)]
        return [self.heading(self.words.text("sources_heading"), 2), *references]


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
