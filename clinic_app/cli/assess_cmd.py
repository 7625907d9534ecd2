"""``assess FILE.json``: propose a return-to-run readiness status for one visit file.

Prints the status, every reason with the values behind it, cautions, what was not assessed, what
was passed, and the plan, advice or referral. The output is a recommendation for the treating
clinician, and says so. Invalid input exits 2 with field-level errors on stderr and prints nothing
that could be mistaken for a decision; a protocol file that fails validation also exits 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from clinic_app.assessment import FormSpecError, load_forms
from clinic_app.cli.terminal import safe
from clinic_app.cli.visitinput import read_visit_file
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.readiness.decision import Decision, Finding, Plan
from clinic_app.readiness.engine import assess
from clinic_app.readiness.protocol import Protocol, ProtocolError, default_protocol, load_protocol
from clinic_app.readiness.serialize import decision_to_json


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``assess`` sub-command.

    Args:
        subparsers: the top-level sub-parser collection.
    """
    parser = subparsers.add_parser(
        "assess",
        help="propose a return-to-run readiness status for one visit file",
        description="Apply the readiness protocol to one visit (runready-visit/1 JSON) and print the "
        "recommendation for the treating clinician.",
    )
    parser.add_argument("file", type=Path, metavar="FILE.json", help="the visit file")
    parser.add_argument("--protocol", type=Path, metavar="FILE", help="a clinic's own protocol file (TOML)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                        help="the date treated as today when checking dates (default: the system date)")
    parser.set_defaults(handler=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from exc


def run(args: argparse.Namespace) -> int:
    """Check the visit file, apply the protocol and print the recommendation."""
    try:
        protocol = load_protocol(args.protocol) if args.protocol else default_protocol()
    except ProtocolError as exc:
        print(f"Cannot use the protocol: {exc}", file=sys.stderr)
        return 2
    try:
        forms = load_forms()
    except (FormSpecError, OSError) as exc:
        print(f"Cannot read the assessment forms: {exc}", file=sys.stderr)
        return 1
    record = read_visit_file(args.file, forms, args.today, refusal="no recommendation was made")
    if record is None:
        return 2
    decision = assess(record, protocol)
    # Names and values come from the file: escaped so the terminal shows them and obeys none.
    if args.format == "json":
        document = {**decision_to_json(decision), "notice": protocol.disclaimer}
        print(safe(json.dumps(document, ensure_ascii=False, indent=2), keep_newlines=True))
    else:
        print(safe(render_text(record, decision, protocol), keep_newlines=True))
    return 0


def render_text(record: VisitRecord, decision: Decision, protocol: Protocol) -> str:
    """Render the decision as plain text for a terminal (clinician-facing)."""
    lines = [
        "RECOMMENDATION FOR THE TREATING CLINICIAN — to be confirmed or changed before anything is final",
        f"Patient: {record.patient.display_name} ({record.patient.id}); visit {record.visit.visit_date}; "
        f"birth {record.delivery.delivery_date}",
        f"Protocol: {decision.protocol_id} version {decision.protocol_version}",
        "",
        f"Proposed status: {decision.status.value}",
        decision.headline,
        f"For the patient: {decision.patient_headline}",
    ]
    _section(lines, "Reasons", [_finding(f) for f in decision.holds])
    _section(lines, "Cautions", [_finding(f) for f in decision.cautions])
    _section(lines, "Notes", [_finding(f) for f in decision.notes])
    _section(lines, "Not assessed", [
        f"[{g.rule_id}] {g.title}{' (gate)' if g.gate else ''}: {'; '.join(g.needs or g.missing)}"
        for g in decision.not_assessed
    ])
    _section(lines, "Passed", [
        f"[{p.rule_id}] {p.title}" + (f": {p.summary}" if p.summary else "") for p in decision.passed
    ])
    _section(lines, "Derived values", [f"{d.label}: {d.display}" for d in decision.derived])
    _section(lines, "Change since the last visit", [
        f"{c.label}: {c.previous} → {c.current} ({c.change}) — {c.verdict}"
        + (f"; {c.note}" if c.note else "")
        for c in decision.changes
    ])
    if decision.referral is not None:
        ref = decision.referral
        _section(lines, "Referral" + (" (urgent)" if ref.urgent else ""),
                 [f"To: {', '.join(ref.to)}", *(f"Why: {reason}" for reason in ref.reasons)])
    if decision.plan is not None:
        _section(lines, decision.plan.title, _plan(decision.plan))
    _section(lines, "Advice", [
        f"{a.heading} [{a.rule_id}]: {a.text}"
        + (f" Exercises: {'; '.join(a.exercises)}." if a.exercises else "")
        for a in decision.advice
    ])
    if decision.retest_weeks is not None:
        lines += ["", f"Re-test in {decision.retest_weeks} week{'s' if decision.retest_weeks != 1 else ''}."]
    _section(lines, "Sources", list(decision.sources))
    lines += ["", protocol.disclaimer]
    return "\n".join(lines)


def _finding(finding: Finding) -> str:
    tag = f" [{finding.status.value}]" if finding.status is not None else ""
    override = " (overridable with a written reason)" if finding.overridable else ""
    return f"{finding.explanation}{tag} [{finding.confidence}]{override}"


def _plan(plan: Plan) -> list[str]:
    out = [plan.intro, plan.schedule_rule]
    out += [f"Caution: {c}" for c in plan.cautions]
    for stage in plan.stages:
        if stage.continuous:
            body = f"run {stage.run_minutes:g} min continuously"
        else:
            body = f"{stage.repeats} × (run {stage.run_minutes:g} min, walk {stage.walk_minutes:g} min)"
        note = f" — {stage.note}" if stage.note else ""
        out.append(f"{stage.number}. {stage.title}: {body}; {stage.sessions} symptom-free sessions{note}")
    out += [f"Progress: {r}" for r in plan.progression_rules]
    out += [f"Stop and step back: {r}" for r in plan.stop_rules]
    return out


def _section(lines: list[str], title: str, items: list[str]) -> None:
    if items:
        lines += ["", f"{title}:", *(f"  - {item}" for item in items)]
