"""Who a referral letter goes to, how urgently and why — from the clinician's final decision.

No ReportLab here: the patient report, the service layer and the window ask :func:`referral_applies`
and :func:`plan_letter` without loading the PDF library. The routing itself is data
(``[[route]]`` in ``reports/wording/referral.toml``); this module only applies it:

* findings set aside by the clinician (an override of their rule, or a final decision of READY or
  READY_WITH_CAUTIONS, which sets every hold aside) never reach the letter;
* each remaining finding goes to the first route whose rules name it (an ``oasi`` route only after a
  third- or fourth-degree tear); the first route used decides the recipient;
* a final REFER with no such finding (the clinician escalated) still gets a letter, to the default route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TypeGuard

from clinic_app.domain.ids import FieldPath
from clinic_app.readiness.decision import Finding, Status
from clinic_app.reporting.formatting import value_text
from clinic_app.reporting.inputs import ReportInput
from clinic_app.reporting.settings import Addressee
from clinic_app.reporting.wording import Wording, WordingError, load_wording

READY_OUTCOMES = (Status.READY, Status.READY_WITH_CAUTIONS)
YES_WORDS = ("yes", "true")
POPQ_POINTS = ("popq_aa", "popq_ba", "popq_c", "popq_d", "popq_ap", "popq_bp")
BW_COMPARTMENTS = ("bw_anterior", "bw_apical", "bw_posterior")
_HYPHEN_MINUS = re.compile(r"(?<![\w.])-(?=\d)")


def minus(words: str) -> str:
    """Print negative numbers with a real minus sign (U+2212); hyphens in words and ranges stay."""
    return _HYPHEN_MINUS.sub("\u2212", words)


def signed(value: float) -> str:
    """Return a POP-Q style signed value: ``+2``, ``−0.5``, ``0``."""
    text = f"{abs(value):.1f}".rstrip("0").rstrip(".")
    if value > 0:
        return f"+{text}"
    return f"\u2212{text}" if value < 0 else "0"


@dataclass(frozen=True, slots=True)
class Route:
    """One line of the routing table: these rules go to this recipient, this urgently."""

    rules: tuple[str, ...]
    to: str
    urgency: str
    question: str
    oasi: bool = False
    also_for: str = ""
    exam: bool = False


@dataclass(frozen=True, slots=True)
class LetterPlan:
    """Everything the letter says about where it goes and why."""

    recipient: str
    """Key of the recipient in the wording's ``[recipients]`` table."""
    service: str
    addressee: Addressee | None
    urgency_label: str
    time_frame: str
    urgent: bool
    questions: tuple[str, ...]
    findings: tuple[Finding, ...]
    others: tuple[tuple[str, tuple[Finding, ...]], ...]
    """Other services the findings may need, with the findings for each."""
    copy_to_gp: bool
    patient_service: str = ""
    """The recipient as the patient report names it (``your GP``)."""
    patient_time_frame: str = ""
    examination: str = ""
    """The prolapse examination in one sentence, when the recipient needs it and no finding gives it."""


@cache
def words() -> Wording:
    """Return the referral wording, read once per process."""
    return load_wording("referral")


@cache
def routes() -> tuple[tuple[Route, ...], Route]:
    """Return the routes in priority order and the default route."""
    table = words().raw("route")
    out = tuple(
        Route(
            rules=tuple(str(rule) for rule in item["rules"]),
            to=str(item["to"]),
            urgency=str(item["urgency"]),
            question=str(item["question"]),
            oasi=bool(item.get("oasi", False)),
            also_for=str(item.get("also_for", "")),
            exam=bool(item.get("exam", False)),
        )
        for item in table
    )
    default = words().raw("default_route")
    return out, Route((), str(default["to"]), str(default["urgency"]), str(default["question"]))


def letter_findings(data: ReportInput) -> list[Finding]:
    """Return the findings the letter is about, after the clinician's final decision.

    A hold counts when the decision's referral names its rule or its rule is a pelvic-health hold
    (wording ``pelvic_health_hold.rules``); a caution or note only when the referral names its rule
    and no hold of that rule fired. Overridden rules, and every hold once the final outcome is a
    ready one, are left out.
    """
    decision = data.decision
    named = set(decision.referral.rule_ids) if decision.referral is not None else set()
    hold_rules = set(words().lines("pelvic_health_hold.rules"))
    chosen = data.clinician_decision
    overridden = {item.rule_id for item in chosen.overrides} if chosen is not None else set()
    ready = data.final_status in READY_OUTCOMES
    held = {finding.rule_id for finding in decision.holds}
    out = [
        finding
        for finding in decision.holds
        if not ready and finding.rule_id not in overridden and finding.rule_id in named | hold_rules
    ]
    out += [
        finding
        for finding in (*decision.cautions, *decision.notes)
        if finding.rule_id in named and finding.rule_id not in held | overridden
    ]
    if not out and data.final_status is Status.REFER:
        out = [finding for finding in decision.holds if finding.rule_id not in overridden]
    return out


def referral_applies(data: ReportInput) -> bool:
    """True when the clinician's final decision calls for a letter (else the service refuses one)."""
    return data.final_status is Status.REFER or bool(letter_findings(data))


def _route_of(finding: Finding, oasi: bool) -> int:
    """Return the index of the first route that takes ``finding`` (-1: the default route)."""
    table, _ = routes()
    for index, route in enumerate(table):
        if finding.rule_id in route.rules and (oasi or not route.oasi):
            return index
    return -1


def plan_letter(data: ReportInput) -> LetterPlan:
    """Choose the recipient, urgency and questions of the letter from its findings."""
    table, default = routes()
    oasi = data.delivery.perineal_trauma.is_oasi
    findings = letter_findings(data)
    by_route: dict[int, list[Finding]] = {}
    for finding in findings:
        by_route.setdefault(_route_of(finding, oasi), []).append(finding)
    used = sorted(by_route, key=lambda index: index if index >= 0 else len(table)) or [-1]

    def route(index: int) -> Route:
        return table[index] if index >= 0 else default

    primary = route(used[0]).to
    mine = [index for index in used if route(index).to == primary]
    mine_findings = tuple(f for index in mine for f in by_route.get(index, []))
    ranks = {key: int(value["rank"]) for key, value in words().raw("urgency").items()}
    urgency = max((route(index).urgency for index in mine), key=lambda key: ranks[key])
    referral = data.decision.referral
    flagged = referral is not None and referral.urgent and ranks[urgency] < ranks["urgent"]
    if flagged and any(f.rule_id in referral.rule_ids for f in mine_findings):  # type: ignore[union-attr]
        urgency = "urgent"
    others: dict[str, list[Finding]] = {}
    for index in used:
        if index in mine:
            continue
        service = route(index).also_for or words().text(f"recipients.{route(index).to}.service")
        others.setdefault(service, []).extend(by_route[index])
    recipient = words().raw(f"recipients.{primary}")
    examination = ""
    if any(route(index).exam for index in mine) and all(f.rule_id != "O1" for f in mine_findings):
        examination = examination_text(data)
    return LetterPlan(
        recipient=primary,
        service=str(recipient["service"]),
        addressee=data.letterhead.referral_address(primary),
        urgency_label=words().text(f"urgency.{urgency}.label"),
        time_frame=words().text(f"urgency.{urgency}.time_frame"),
        urgent=ranks[urgency] >= ranks["urgent"],
        questions=tuple(dict.fromkeys(route(index).question for index in mine)),
        findings=mine_findings,
        others=tuple((service, tuple(items)) for service, items in others.items()),
        copy_to_gp=bool(recipient.get("copy_to_gp", False)) and primary != "gp",
        patient_service=str(recipient.get("patient_name", recipient["service"])),
        patient_time_frame=words().text(f"urgency.{urgency}.patient_time_frame"),
        examination=examination,
    )


def patient_letter_lines(data: ReportInput, template: str) -> list[str]:
    """Return the patient report's sentence that a letter was written, to whom and how soon (or none).

    Args:
        data: the visit; nothing is returned when its final decision calls for no letter.
        template: the patient wording, with ``{service}`` and ``{time_frame}``.
    """
    if not referral_applies(data):
        return []
    plan = plan_letter(data)
    return [template.format(service=plan.patient_service, time_frame=plan.patient_time_frame)]


# --- one sentence per finding ------------------------------------------------------------------


def finding_sentence(finding: Finding, data: ReportInput) -> str:
    """Return a finding as a sentence with its values, never its rule id."""
    try:
        template = words().text(f"finding.{finding.rule_id}.text")
    except WordingError:
        template = "{title}: {values}." if _values(finding, "") else "{title}."
    values = _values(finding, template)
    tasks = [o.label for o in finding.observed if o.path.startswith("load_impact.")]
    during = words().text("prolapse.during", tasks=", ".join(tasks)) if tasks else ""
    sentence = template.format(
        title=finding.title,
        values=values or finding.title.lower(),
        values_tail=f" ({values})" if values else "",
        tasks_tail=during,
        weeks=weeks_since_birth(data),
        prolapse=prolapse_text(data) or values or finding.title.lower(),
    )
    return minus(sentence)


def _values(finding: Finding, template: str) -> str:
    """Return the observed values as ``label value`` (a yes as its label; nothing the sentence says)."""
    parts: list[str] = []
    for observed in finding.observed:
        if observed.path.startswith("load_impact."):
            continue
        display = observed.display.strip()
        shown = observed.label if display.lower() in YES_WORDS or display == observed.label else ""
        shown = shown or f"{observed.label} {display}"
        if shown.lower() not in template.lower() and shown not in parts:
            parts.append(shown)
    return "; ".join(parts)


def weeks_since_birth(data: ReportInput) -> int:
    """Return whole weeks from the birth to the visit (the one way the letter shows it)."""
    return max(0, (data.visit.visit_date - data.delivery.delivery_date).days // 7)


def examination_text(data: ReportInput) -> str:
    """Return the prolapse examination as the letter words it (performed with its stage, or declined)."""
    state = data.results.get(FieldPath("prolapse.exam_state"))
    if not isinstance(state, str):
        return ""
    try:
        template = words().text(f"examination.{state}")
    except WordingError:
        return ""
    if state == "performed":
        found = prolapse_text(data)
        return minus(template.format(prolapse=found)) if found else ""
    return template


def prolapse_text(data: ReportInput) -> str:
    """Return the prolapse finding from the recorded values: POP-Q stage and leading edge, or grades."""
    results = data.results
    system = results.get(FieldPath("prolapse.system"))
    if system == "popq":
        points = [(p, results.get(FieldPath(f"prolapse.{p}"))) for p in POPQ_POINTS]
        recorded = [(p, float(v)) for p, v in points if _is_number(v)]
        stage = next(
            (
                o.display
                for o in data.decision.derived
                if o.path.endswith("popq_stage") or o.label == "POP-Q stage"
            ),
            "",
        )
        if not recorded or not stage:
            return ""
        point, edge = max(recorded, key=lambda item: item[1])
        name = point.removeprefix("popq_")
        return words().text(
            "prolapse.popq", stage=stage, point=name[:1].upper() + name[1:], edge=signed(edge)
        )
    if system == "baden_walker":
        names = words().raw("prolapse.compartment_names")
        grades = [(c, results.get(FieldPath(f"prolapse.{c}"))) for c in BW_COMPARTMENTS]
        known = [(c, g) for c, g in grades if g is not None]
        if not known:
            return ""
        info = data.field_info(f"prolapse.{known[0][0]}")
        compartments = ", ".join(
            words().text("prolapse.compartment", name=names.get(c, c), grade=value_text(g, info))
            for c, g in known
        )
        top = max(value_text(g, info) for _, g in known)
        return words().text("prolapse.baden_walker", grade=top, compartments=compartments)
    return ""


def _is_number(value: object) -> TypeGuard[int | float]:
    """True for a recorded number (a yes/no is not one)."""
    return isinstance(value, int | float) and not isinstance(value, bool)
