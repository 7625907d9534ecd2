"""The walk–run plan as a log she can tick: one page, one row per week, the step-back rule beside it.

Each row is one stage of the plan (one week): what to do, a box for the day and a tick for each
session, and the worst leakage, heaviness and pain of the week (0–10). The stages are numbered 1, 2,
3 … whatever the protocol calls them, so the numbers she reads match "go back one stage". It is the
page she brings back to her next check, so it stands on a page of its own.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from clinic_app.readiness.decision import Plan, PlanStage
from clinic_app.reporting.base import ReportRenderer, text
from clinic_app.reporting.fonts import BOLD, REGULAR
from clinic_app.reporting.formatting import number

ROW_MM = 7.5
"""Row height: room to write a day and a number by hand."""
SIDE_SHARE = 0.22
"""Share of the frame width taken by the rules beside the log."""


def walkrun_log(renderer: ReportRenderer, plan: Plan) -> list[Flowable]:
    """Return the log page: heading, how to fill it in, the table and the rules beside it."""
    words = renderer.words
    intro = words.text("log.intro")
    if plan.conservative:
        intro = f"{words.text('log.intro_gentle')} {intro}"
    side_width = renderer.frame_width * SIDE_SHARE
    log_width = renderer.frame_width - side_width - 4 * mm
    page = Table(
        [[_log_table(renderer, plan, log_width), _rules(renderer, side_width)]],
        colWidths=[log_width + 4 * mm, side_width],
    )
    page.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [renderer.heading(words.text("log.heading")), renderer.para(intro, "small"), page]


def stage_text(renderer: ReportRenderer, stage: PlanStage) -> str:
    """Return what one stage asks for, in words (``Run 1 min, walk 1 min × 10``)."""
    if stage.continuous:
        return renderer.words.text("log.run_only", run=number(stage.run_minutes))
    return renderer.words.text(
        "log.run_walk",
        run=number(stage.run_minutes),
        walk=number(stage.walk_minutes),
        repeats=stage.repeats,
    )


def _log_table(renderer: ReportRenderer, plan: Plan, width: float) -> Table:
    """Return the log: stage, what to do, day and tick per session, worst symptoms of the week."""
    words = renderer.words
    sessions = max(stage.sessions for stage in plan.stages)
    stage_w, tick_w, day_w, symptom_w = 10 * mm, 4.5 * mm, 9 * mm, 10.5 * mm
    what_w = width - stage_w - sessions * (tick_w + day_w) - 3 * symptom_w
    widths = [stage_w, what_w, *([day_w, tick_w] * sessions), *[symptom_w] * 3]
    cell = renderer.styles.cell
    small = cell.clone("log_small", fontSize=cell.fontSize - 1, leading=(cell.fontSize - 1) * 1.15)

    def para(words_: str, style: object = small) -> Paragraph:
        return Paragraph(text(words_), style)

    top: list[object] = [para(words.text("log.stage")), para(words.text("log.what"))]
    second: list[object] = ["", ""]
    for n in range(1, sessions + 1):
        top += [para(words.text("log.session", n=n)), ""]
        second += [para(words.text("log.date")), para(words.text("log.tick"))]
    top += [para(words.text(key)) for key in ("log.leak", "log.heavy", "log.pain")]
    second += [para(words.text("log.scale"))] * 3
    rows: list[list[object]] = [top, second]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, renderer.styles.grid),
        ("BOX", (0, 0), (-1, -1), 0.9, renderer.styles.text),
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTNAME", (0, 2), (0, -1), BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), cell.fontSize),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 2), (0, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 1), renderer.styles.header_fill),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
    ]
    for n in range(sessions):
        commands.append(("SPAN", (2 + 2 * n, 0), (3 + 2 * n, 0)))
    for index, stage in enumerate(plan.stages, start=2):
        # A plain string when it fits: several times cheaper to draw than a paragraph.
        row: list[object] = [str(index - 1), renderer.cell(stage_text(renderer, stage), what_w)]
        row += ["", ""] * sessions + ["", "", ""]
        rows.append(row)
        if stage.sessions < sessions:  # sessions this stage does not ask for are shaded, not blank
            start = 2 + 2 * stage.sessions
            commands.append(("BACKGROUND", (start, index), (1 + 2 * sessions, index), renderer.styles.zebra))
    heights = [None, None, *[ROW_MM * mm] * len(plan.stages)]
    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=2)
    table.setStyle(TableStyle(commands))
    return table


def _rules(renderer: ReportRenderer, width: float) -> Table:
    """Return the moving-on and step-back rules, framed, to stand beside the log."""
    words = renderer.words
    body = renderer.styles.small
    items: list[Flowable] = [Paragraph(text(words.text("log.rules_heading")), renderer.styles.cell_bold)]
    for key in ("log.rules_move", "log.rules_step_back", "log.rules_call", "log.rules_life"):
        items.append(Paragraph(text(words.text(key)), body, bulletText="•"))
    box = Table([[items]], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, renderer.styles.draft),
                ("BACKGROUND", (0, 0), (-1, -1), renderer.styles.proposal_fill),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return box
