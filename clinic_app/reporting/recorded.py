"""The "recorded values" part of the clinician summary: every value with units, sides and LSI.

Three forms get a clinical layout besides the plain table — the POP-Q 3×3 grid with its stage,
inter-recti distance by site and condition with its method, and questionnaire scores with their
bands. Values are printed in the unit recorded; a missing side says "not assessed".
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table

from clinic_app.domain.derived import PopqPoints, iciq_band, limb_symmetry, popq_stage
from clinic_app.domain.enums import Side
from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results, Value
from clinic_app.reporting.base import CELL_PADDING, ReportRenderer, printed, text
from clinic_app.reporting.formatting import number, value_text
from clinic_app.reporting.inputs import FieldInfo, FormInfo, humanise
from clinic_app.reporting.paragraphs import CachedParagraph

_GROUPED_FIELDS = 8
"""A form with fewer plain fields prints kept together on one page; a longer one may split."""

_VALUE_SHARE = (0.17, 0.26)
"""Narrowest and widest share of the frame a value column of the two-to-a-row pairs takes."""

POPQ_GRID = (("aa", "ba", "c"), ("gh", "pb", "tvl"), ("ap", "bp", "d"))
IRD_SITES = ("above", "umbilicus", "below")
SPECIAL = {
    "prolapse": {f"popq_{p}" for row in POPQ_GRID for p in row},
    "diastasis": {f"ird_{s}_{c}" for s in IRD_SITES for c in ("rest", "curl")}
    | {"method", "unit", "site_protocol", "linea_alba_tension", "doming"},
    "questionnaires": {
        "iciq_total",
        "iciq_frequency",
        "iciq_amount",
        "iciq_interference",
        "pfdi_total",
        "pfdi_udi6",
        "pfdi_cradi8",
        "pfdi_popdi6",
    },
}


class RecordedValues:
    """Builds the recorded-value sections for a clinician renderer."""

    def __init__(self, renderer: ReportRenderer) -> None:
        self.r = renderer
        self.words = renderer.words
        self.results: Results = renderer.data.results
        self.not_recorded = self.words.text("not_recorded")

    def raw(self, path: str) -> Value | None:
        """Return the stored value at ``path`` (None when not recorded)."""
        return self.results.get(FieldPath(path))

    def forms(self) -> list[FormInfo]:
        """Return the forms to print: the given specs in order, then any other recorded form."""
        given = list(self.r.data.forms)
        known = {form.id for form in given}
        extra = sorted({path.split(".")[0] for path in self.results} - known)
        return given + [FormInfo(form_id, humanise(form_id)) for form_id in extra]

    def field_ids(self, form: FormInfo) -> list[str]:
        """Return the recorded field ids of ``form``: spec order first, then undeclared ones."""
        recorded: dict[str, None] = {}
        for path in self.results:
            parts = path.split(".")
            if parts[0] == form.id:
                recorded[parts[1]] = None
        ordered = [f.path.split(".", 1)[1] for f in form.fields if f.path.split(".", 1)[1] in recorded]
        return ordered + [fid for fid in recorded if fid not in ordered]

    def story(self) -> list[Flowable]:
        """Return one section per recorded form and the list of forms with nothing recorded."""
        out: list[Flowable] = [self.r.heading(self.words.text("values_heading"))]
        empty: list[str] = []
        for form in self.forms():
            ids = self.field_ids(form)
            if not ids:
                empty.append(form.title)
                continue
            plain = [fid for fid in ids if fid not in SPECIAL.get(form.id, set())]
            grouped = len(plain) < _GROUPED_FIELDS
            # A kept-together section moves whole, so its heading is a plain paragraph from the start.
            heading = (
                CachedParagraph(text(form.title), self.r.styles.h2)
                if grouped
                else self.r.heading(form.title, 2)
            )
            section: list[Flowable] = [heading, *self.special(form)]
            if plain:
                section += self.table(form, plain)
            if grouped:
                out.append(self.r.group(section))
            else:
                out.extend(section)
        if empty:
            out.append(self.r.para(f"{self.not_recorded}: {', '.join(empty)}", "muted"))
        return out

    def table(self, form: FormInfo, field_ids: list[str]) -> list[Flowable]:
        """Return a form's values compactly.

        Sided values go in a table with their LSI, other values two to a row, and the questions
        answered "no" in one line (a column of "no" would hide the one "yes").
        """
        if form.id in self.words.lines("tasks_forms"):
            return self.tasks(form, field_ids)
        yes, no = self.words.text("yes"), self.words.text("no")
        sided_rows: list[list[str]] = []
        singles: list[tuple[str, str]] = []
        answered_no: list[str] = []
        for field_id in field_ids:
            path = f"{form.id}.{field_id}"
            info = self.r.data.field_info(path)
            left, right, single = self.raw(f"{path}.left"), self.raw(f"{path}.right"), self.raw(path)
            unit = self.unit_of(form.id, info)
            if left is not None or right is not None:
                shown = [
                    value_text(v, info, yes, no) if v is not None else self.not_recorded
                    for v in (left, right)
                ]
                sided_rows.append([info.label, shown[0], shown[1], unit, self.lsi(path, form.id)])
                reason = self.raw(f"{path}.missing_reason")
                if isinstance(reason, str):
                    sided_rows.append(["", self.words.text("missing_reason", reason=reason), "", "", ""])
            elif single is False:
                answered_no.append(info.label)
            elif single is not None:
                singles.append((info.label, f"{value_text(single, info, yes, no)} {unit}".strip()))
        out: list[Flowable] = []
        if sided_rows:
            columns = self.words.lines("sided_columns")
            header = [columns[0], columns[1], columns[2], columns[4], columns[5]]
            out.append(self.r.data_table(header, sided_rows, (0.4, 0.12, 0.12, 0.12, 0.24)))
        if singles:
            out.append(self.pairs(singles))
        if answered_no:
            out.append(
                CachedParagraph(
                    f"<b>{text(self.words.text('answered_no'))}:</b> {text(' · '.join(answered_no))}",
                    self.r.styles.small,
                )
            )
        return out

    def value_share(self, values: list[str]) -> float:
        """Return the share of the frame a value column takes: as wide as its longest value needs.

        Between 17 % (a number and unit) and 26 %: a short answer such as "Yes, on the licensed paper
        form" then reads on one line instead of three, and the label beside it still fits.
        """
        style = self.r.styles.cell
        widest = max(stringWidth(printed(v), style.fontName, style.fontSize) for v in values)
        share = (widest + 2 * CELL_PADDING + 1) / self.r.frame_width
        return float(min(max(share, _VALUE_SHARE[0]), _VALUE_SHARE[1]))

    def pairs(self, items: list[tuple[str, str]]) -> Table:
        """Return label/value pairs two to a row in a light grid, labels muted, read down then across."""
        half = (len(items) + 1) // 2
        rows = []
        for index in range(half):
            right = items[index + half] if index + half < len(items) else ("", "")
            rows.append([*items[index], *right])
        value_share = self.value_share([value for _, value in items])
        columns = [w * self.r.frame_width for w in (0.5 - value_share, value_share) * 2]
        cells = [[self.r.cell(value, columns[i]) for i, value in enumerate(row)] for row in rows]
        table = Table(cells, colWidths=columns)
        style = self.r.styles.table(header=False, rows=len(rows))
        style.add("FONTSIZE", (0, 0), (-1, -1), self.r.styles.cell.fontSize)
        style.add("TEXTCOLOR", (0, 0), (0, -1), self.r.styles.muted_colour)
        style.add("TEXTCOLOR", (2, 0), (2, -1), self.r.styles.muted_colour)
        table.setStyle(style)
        return table

    def tasks(self, form: FormInfo, field_ids: list[str]) -> list[Flowable]:
        """Return the load and impact tasks as one table: a row per task, not five rows each."""
        yes, no = self.words.text("yes"), self.words.text("no")
        tasks: dict[str, dict[str, str]] = {}
        for field_id in field_ids:
            task, _, role = field_id.partition("_")
            path = f"{form.id}.{field_id}"
            info = self.r.data.field_info(path)
            entry = tasks.setdefault(task, {})
            sides = self.results.sided(path)
            value = self.raw(path)
            unit = self.unit_of(form.id, info)
            if role == "completed":
                entry["name"] = info.label.split(" — ")[0]
                entry["done"] = value_text(value, info, yes, no) if value is not None else self.not_recorded
            elif sides:
                shown = " · ".join(
                    f"{side.value[0].upper()} {number(v)}" for side, v in sorted(sides.items())
                )
                entry["amount"] = f"{shown} {unit}".strip()
            elif value is not None:
                entry[role] = f"{value_text(value, info, yes, no)} {unit}".strip()
        rows = []
        for task, entry in tasks.items():
            symptoms = entry.get("symptoms", "")
            extra = [entry[k] for k in ("pain_site", "pain_rating") if k in entry]
            if extra:
                symptoms = f"{symptoms} ({', '.join(extra)})"
            rows.append(
                [
                    entry.get("name", task.upper()),
                    entry.get("done", ""),
                    entry.get("amount", entry.get("dose", "")),
                    entry.get("control", ""),
                    symptoms,
                ]
            )
        return [self.r.data_table(self.words.lines("tasks_columns"), rows, (0.36, 0.08, 0.18, 0.14, 0.24))]

    def unit_of(self, form_id: str, info: FieldInfo) -> str:
        """Return the unit to print; a field with a ``unit_field`` takes the unit recorded there."""
        if info.unit_field:
            unit_path = f"{form_id}.{info.unit_field}"
            recorded = self.results.text(unit_path)
            if recorded is None:
                return info.unit
            return self.r.data.field_info(unit_path).choice_labels.get(recorded, recorded)
        return info.unit

    def lsi(self, path: str, form_id: str) -> str:
        """Return the limb symmetry index of a sided path, weaker side marked, or blank.

        A field whose spec says which side is ``better`` gets an index (``lower`` = timed test,
        faster ÷ slower); without specs the layout's symmetry settings decide.
        """
        info = self.r.data.field_info(path)
        if info.better:
            timed = info.better == "lower"
        elif form_id in self.r.layout.symmetry_forms:
            timed = path in self.r.layout.timed_fields
        else:
            return ""
        sides = self.results.sided(path)
        if len(sides) < 2:
            return ""
        try:
            result = limb_symmetry(sides[Side.LEFT], sides[Side.RIGHT], timed=timed)
        except ValueError:
            return ""
        weaker = f" ({result.weaker_side.value[0].upper()})" if result.weaker_side else ""
        return f"{number(result.index)} %{weaker}"

    def special(self, form: FormInfo) -> list[Flowable]:
        """Return the clinical layout of the prolapse, diastasis and questionnaire forms."""
        if form.id == "prolapse":
            return self.popq()
        if form.id == "diastasis":
            return self.ird()
        if form.id == "questionnaires":
            return self.questionnaires()
        return []

    def popq(self) -> list[Flowable]:
        """Return the POP-Q 3×3 grid (cm) and the computed stage, when POP-Q was used."""
        values = {p: self.results.number(f"prolapse.popq_{p}") for row in POPQ_GRID for p in row}
        if all(v is None for v in values.values()):
            return []
        styles = self.r.styles
        names = self.words.raw("popq_points")
        cells = [
            [
                CachedParagraph(
                    f"<font size={styles.cell.fontSize - 1.5}>{text(names[p])}</font><br/>"
                    f"<b>{_shown(values[p])}</b>",
                    styles.cell_centre,
                )
                for p in row
            ]
            for row in POPQ_GRID
        ]
        grid = Table(cells, colWidths=[22 * 2.8] * 3, hAlign="LEFT")
        grid.setStyle(styles.table(header=False, zebra=False))
        needed = [values[p] for p in ("aa", "ba", "c", "ap", "bp", "gh", "pb", "tvl")]
        if any(v is None for v in needed):
            stage_line = self.words.text("popq_incomplete")
        else:
            aa, ba, c, ap, bp, gh, pb, tvl = (float(v) for v in needed if v is not None)
            stage = popq_stage(PopqPoints(aa, ba, c, ap, bp, gh, pb, tvl, values["d"]))
            stage_line = self.words.text("popq_stage", stage=stage.roman)
        return [
            self.r.para(self.words.text("popq_heading") + " (cm)", "small"),
            grid,
            self.r.spacer(1.5),
            CachedParagraph(f"<b>{text(stage_line)}</b>", styles.body),
        ]

    def ird(self) -> list[Flowable]:
        """Return inter-recti distance by site and condition, with method, unit and findings."""
        get = self.results.number
        if all(get(f"diastasis.ird_{s}_{c}") is None for s in IRD_SITES for c in ("rest", "curl")):
            return []
        sites = self.words.raw("ird_sites")
        unit = (
            self.unit_of("diastasis", self.r.data.field_info("diastasis.ird_umbilicus_rest"))
            or self.results.text("diastasis.unit")
            or ""
        )

        def cell(site: str, condition: str) -> str:
            value = get(f"diastasis.ird_{site}_{condition}")
            return f"{number(value)} {unit}".strip() if value is not None else self.not_recorded

        rows = [[sites[s], cell(s, "rest"), cell(s, "curl")] for s in IRD_SITES]
        choice = self._choice_text
        doming = self.results.flag("diastasis.doming")
        meta = self.words.text(
            "ird_meta",
            method=choice("diastasis.method"),
            unit=unit or self.not_recorded,
            sites=choice("diastasis.site_protocol"),
            tension=choice("diastasis.linea_alba_tension"),
            doming=self.not_recorded if doming is None else self.words.text("yes" if doming else "no"),
        )
        return [
            self.r.data_table(self.words.lines("ird_columns"), rows, (0.4, 0.3, 0.3), bold_first=True),
            self.r.spacer(1),
            self.r.para(meta, "small"),
        ]

    def _choice_text(self, path: str) -> str:
        """Return a recorded choice as its label, or "not assessed"."""
        value = self.raw(path)
        if value is None:
            return self.not_recorded
        return value_text(value, self.r.data.field_info(path))

    def questionnaires(self) -> list[Flowable]:
        """Return the ICIQ-UI SF total with its Klovning 2009 band and the PFDI-20 scores."""
        out: list[Flowable] = []
        get = self.results.number
        total = get("questionnaires.iciq_total")
        if total is not None and 0 <= total <= 21 and total == int(total):
            line = self.words.text("iciq_line", total=int(total), band=iciq_band(int(total)).value)
            items = [get(f"questionnaires.iciq_{k}") for k in ("frequency", "amount", "interference")]
            if all(v is not None for v in items):
                frequency, amount, interference = (number(v) for v in items if v is not None)
                line += "; " + self.words.text(
                    "iciq_items", frequency=frequency, amount=amount, interference=interference
                )
            out.append(self.r.para(line))
        pfdi = get("questionnaires.pfdi_total")
        if pfdi is not None:
            parts = {k: get(f"questionnaires.pfdi_{k}") for k in ("udi6", "cradi8", "popdi6")}
            shown = {k: number(v) if v is not None else self.not_recorded for k, v in parts.items()}
            out.append(self.r.para(self.words.text("pfdi_line", total=number(pfdi), **shown)))
        return out


def _shown(value: float | None) -> str:
    """Return a POP-Q point for the grid, or a dash when not recorded."""
    return "—" if value is None else number(value)
