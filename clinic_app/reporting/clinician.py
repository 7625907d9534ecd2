"""The clinician summary: a one-page dashboard, then the full record as an appendix.

Page one answers what a clinician looks for first: the final decision (marked when it overrides the
engine, with the author and reason, and the engine's proposal shown as such), who signed and when,
the key values against the protocol's thresholds with a small trend each, and what decided it.
The appendix (:mod:`clinic_app.reporting.clinician_appendix`) keeps everything a colleague needs
to re-derive the outcome: rules that fired in full, checks met in one grouped list, every value
recorded, the change since the last visit and the trend charts.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Table

from clinic_app.domain.enums import PerinealTrauma
from clinic_app.reporting.base import text
from clinic_app.reporting.charts import sparkline
from clinic_app.reporting.clinician_appendix import ClinicianAppendix, without_source
from clinic_app.reporting.dashboard import Dashboard, DashboardRow
from clinic_app.reporting.flowables import outcome_banner
from clinic_app.reporting.fonts import BOLD
from clinic_app.reporting.formatting import day, moment, weeks
from clinic_app.reporting.inputs import ReportKind
from clinic_app.reporting.paragraphs import CachedParagraph
from clinic_app.reporting.styles import colour
from clinic_app.reporting.thresholds import report_protocol

STATE_INK = {"hold": "#a3221b", "overridden": "#8a5a00", "caution": "#8a5a00", "met": "#1e7a44"}
"""Result colours on the dashboard; the words and symbols (✗, !, ✓) carry the meaning too."""


class ClinicianReportRenderer(ClinicianAppendix):
    """Builds the clinician-facing summary of one visit."""

    kind = ReportKind.CLINICIAN

    def title(self) -> str:
        """Return the document title (PDF metadata and running header)."""
        return self.words.text("title")

    def story(self) -> list[Flowable]:
        """Return the dashboard page, then the appendix."""
        story: list[Flowable] = [
            CachedParagraph(text(self.words.text("title")), self.styles.title),
            self.para(self.subtitle(), "subtitle"),
        ]
        story += self.status_notices()
        story += self.identity()
        story += self.decision_banner()
        story += self.why()
        story += self.key_values_table()
        story += [PageBreak(), *self.appendix()]
        return story

    def subtitle(self) -> str:
        """Return the line under the title: patient, the visit date and the printed date."""
        return self.words.text(
            "subtitle",
            name=self.data.patient.display_name,
            visit_date=day(self.data.visit.visit_date),
            printed=day(self.data.printed_on),
        )

    def identity(self) -> list[Flowable]:
        """Return the patient, birth and protocol facts in three compact columns."""
        data = self.data
        labels = self.words.raw("identity_labels")
        # "not applicable" (a caesarean birth) reads as a finding without its label: leave it out.
        applies = data.delivery.perineal_trauma is not PerinealTrauma.NOT_APPLICABLE
        birth = self.words.text(
            "birth_line" if applies else "birth_line_no_trauma",
            date=day(data.delivery.delivery_date),
            mode=self.words.term("delivery_mode", data.delivery.mode.value),
            trauma=self.words.term("perineal_trauma", data.delivery.perineal_trauma.value),
            parity=data.delivery.parity,
        )
        pairs = [
            (labels["born"], day(data.patient.date_of_birth)),
            (labels["record"], data.patient.record_number or "—"),
            (labels["weeks"], weeks(data.decision.weeks_postpartum)),
            (labels["birth"], birth),
            (labels["visit"], day(data.visit.visit_date)),
            (labels["protocol"], self.protocol_name()),
        ]
        return [self.key_values(pairs, columns=2, label_share=0.26), self.spacer(1)]

    def protocol_name(self) -> str:
        """Return the protocol by its title and version (its id only when the title is unknown)."""
        decision = self.data.decision
        protocol = report_protocol(self.data)
        title = protocol.title if protocol is not None else decision.protocol_id.replace("-", " ")
        return self.words.text("protocol_line", title=title, version=decision.protocol_version)

    def decision_banner(self) -> list[Flowable]:
        """Return the final decision banner, its override reasons and the sign-off line."""
        data = self.data
        decided = data.clinician_decision
        labels = self.words.raw("banner_labels")
        final = data.final_status
        style = self.layout.outcomes.get(final.value)
        if decided is None:
            label, body = labels["proposal"], self.words.text("banner_proposal")
        elif (
            decided.action.value == "overridden" or decided.proposed is not decided.final or decided.overrides
        ):
            label = labels["overridden"]
            body = self.words.text(
                "banner_overridden",
                by=decided.clinician_name,
                at=moment(decided.decided_at),
                proposed=self.words.term("status", decided.proposed.value),
            )
        else:
            label = labels["confirmed"]
            body = self.words.text(
                "banner_confirmed", by=decided.clinician_name, at=moment(decided.decided_at)
            )
        out: list[Flowable] = [
            outcome_banner(
                self.styles,
                symbol=style.symbol if style else "question",
                fill=style.colour if style else "#4a5568",
                label=text(label),
                title=text(self.words.term("status", final.value)),
                body=text(body),
                width=self.frame_width,
            ),
            self.spacer(1.5),
        ]
        if decided is not None and decided.overrides:
            out.append(self.para(self.words.text("override_intro", by=decided.clinician_name), "small"))
            out += self.bullets(
                [
                    self.words.text(
                        "override_line", rule=o.rule_id, title=self.rule_title(o.rule_id), reason=o.reason
                    )
                    for o in decided.overrides
                ]
            )
        if decided is not None and decided.comment:
            out.append(self.para(f"{self.words.text('comment_label')}: {decided.comment}", "small"))
        out.append(CachedParagraph(f"<b>{text(self.signoff())}</b>", self.styles.body))
        return out

    def rule_title(self, rule_id: str) -> str:
        """Return the title of a rule from the decision's findings, gaps or checks met."""
        decision = self.data.decision
        titles: dict[str, str] = {p.rule_id: p.title for p in decision.passed}
        titles.update({n.rule_id: n.title for n in decision.not_assessed})
        titles.update({f.rule_id: f.title for f in (*decision.notes, *decision.cautions, *decision.holds)})
        return titles.get(rule_id, "")

    def signoff(self) -> str:
        """Return who signed the visit and when, with the time zone."""
        decided = self.data.clinician_decision
        status = self.data.visit.status.value
        if decided is None:
            return self.words.text("unsigned_line")
        at = moment(decided.decided_at)
        if status == "signed":
            return self.words.text("signed_line", by=decided.clinician_name, at=at)
        if status == "amended":
            return self.words.text("amended_line", by=decided.clinician_name, at=at)
        return self.words.text("decided_unsigned_line", by=decided.clinician_name, at=at)

    def key_values_table(self) -> list[Flowable]:
        """Return the dashboard table: each key value now, its target, the result and a trend."""
        rows = Dashboard(self.data, self.words.raw("dashboard")).rows(self.words.text("not_recorded"))
        if not rows:
            return []
        widths = [0.32, 0.2, 0.13, 0.17, 0.18]
        columns = [w * self.frame_width for w in widths]
        results = self.words.raw("result")
        body = []
        inks: list[tuple[int, str]] = []
        for number, row in enumerate(rows, start=1):
            ink = STATE_INK.get(row.state, "#5d6b82")
            result = self.cell(results[row.state], columns[3], bold=True)
            if isinstance(result, str):
                inks.append((number, ink))  # one word in one colour: a plain string, styled below
            else:
                result = CachedParagraph(
                    f'<font color="{ink}"><b>{text(results[row.state])}</b></font>', self.styles.cell
                )
            body.append(
                [
                    self.cell(row.label, columns[0]),
                    self.cell(row.value, columns[1]),
                    self.cell(row.target, columns[2]),
                    result,
                    self.trend_cell(row, columns[4]),
                ]
            )
        head = [
            self.cell(title, columns[i], bold=True) for i, title in enumerate(self.words.lines("key_columns"))
        ]
        table = Table([head, *body], colWidths=columns, repeatRows=1)
        style = self.styles.table(rows=len(body) + 1)
        style.add("FONTSIZE", (0, 0), (-1, -1), self.styles.cell.fontSize)
        style.add("VALIGN", (0, 0), (-1, -1), "MIDDLE")
        for number, ink in inks:
            style.add("TEXTCOLOR", (3, number), (3, number), colour(ink))
        if inks:
            style.add("FONTNAME", (3, 1), (3, -1), BOLD)
            style.add("LEADING", (3, 1), (3, -1), self.styles.cell.leading)
        table.setStyle(style)
        return [
            self.heading(self.words.text("key_values_heading")),
            table,
            self.para(self.words.text("trend_caption"), "muted"),
        ]

    def trend_cell(self, row: DashboardRow, width: float) -> Flowable | str:
        """Return the row's sparkline, or the word for a first visit."""
        if len(row.points) < 2:
            return self.words.text("trend_none") if row.recorded_once else ""
        return sparkline(
            row.points,
            width=width - 8,
            height=self.styles.cell.fontSize * 1.5,
            ink=self.layout.palette[0],
            threshold=row.threshold,
        )

    def why(self) -> list[Flowable]:
        """Return the holds and cautions in one line each: what the decision rests on."""
        decision = self.data.decision
        fired = (*decision.holds, *decision.cautions)
        if not fired:
            return []
        lines = [f"<b>{text(f.rule_id)} {text(f.title)}</b> — {text(without_source(f))}" for f in fired]
        return [
            self.heading(self.words.text("why_heading"), 2),
            *[CachedParagraph(line, self.styles.bullet, bulletText="•") for line in lines],
        ]
