"""The live proposal panel of the visit editor: what the engine proposes, and what was decided.

The panel shows, never judges: status (symbol and words, colour only as an extra cue), headline,
the findings grouped by what they mean for the clinician, the plan / referral / advice preview, the
derived values and the clinician's recorded decision. Each group is one rich-text label, so a redraw
on every keystroke stays cheap (one ``setText`` per group, no widgets built or destroyed).

The four action buttons only emit signals; the editor runs the dialogs of :mod:`.decisions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from clinic_app.readiness.decision import (
    ClinicianAction,
    Decision,
    Finding,
    NotAssessed,
    Plan,
    PlanStage,
    Referral,
    Status,
)
from clinic_app.services.clinic import forms
from clinic_app.services.dto import DecisionEntry
from clinic_app.ui.outcome import outcome_colour, outcome_text

PANEL_WIDTH = 340
"""Preferred width of the panel (a dock beside the battery pages)."""

PLAN_STAGES_SHOWN = 3
"""How many walk–run stages the preview lists before "… and N more"."""

_SIDES = {"left": "left", "right": "right", "missing_reason": "reason not measured"}


@dataclass(frozen=True, slots=True)
class ClinicianDecisionView:
    """The clinician's recorded decision on a visit, as the panel shows it.

    Attributes:
        action: confirmed or overridden.
        final_status: the status she set.
        clinician_name: who decided.
        decided_at: when.
        overrides: (rule id, reason) pairs.
        comment: her free-text comment.
    """

    action: ClinicianAction
    final_status: str
    clinician_name: str
    decided_at: dt.datetime
    overrides: tuple[tuple[str, str], ...] = ()
    comment: str = ""

    @classmethod
    def from_entry(cls, entry: DecisionEntry, clinician_names: Mapping[str, str]) -> ClinicianDecisionView:
        """Build the view of a stored decision (``services.decisions.list_decisions``'s last entry).

        Args:
            entry: the stored decision.
            clinician_names: name by clinician id (an unknown id is shown as it is).
        """
        return cls(
            action=ClinicianAction(entry.action),
            final_status=entry.final_status,
            clinician_name=clinician_names.get(entry.decided_by, entry.decided_by),
            decided_at=entry.decided_at,
            overrides=tuple(entry.overrides),
            comment=entry.comment,
        )


# --- text building (pure functions, tested through the panel) -----------------------------------


def missing_labels(missing: Iterable[str]) -> list[str]:
    """Turn the missing value paths of a gate into readable field labels, side added.

    Paths of one sided field are joined (``"Single-leg bridge (left, right)"``); a path that names no
    field (``"prolapse examination (declined)"``) is shown as it is.
    """
    catalogue = forms()
    order: list[str] = []
    sides: dict[str, list[str]] = {}
    for path in missing:
        spec = catalogue.field_by_path(path)
        if spec is None:
            form = catalogue.form(path) if "." not in path else None
            label, side = (form.title if form is not None else path), ""
        else:
            parts = path.split(".")
            label, side = spec.label, _SIDES.get(parts[2], parts[2]) if len(parts) == 3 else ""
        if label not in sides:
            order.append(label)
            sides[label] = []
        if side and side not in sides[label]:
            sides[label].append(side)
    return [f"{label} ({', '.join(sides[label])})" if sides[label] else label for label in order]


SHOWN_MISSING = 4
"""A gap that misses more inputs than this lists the first few and says how many more."""


def missing_summary(missing: Iterable[str]) -> list[str]:
    """Like :func:`missing_labels`, shortened for the panel: the first few, then "and N more"."""
    return _shortened(missing_labels(missing))


def needs_summary(gap: NotAssessed) -> list[str]:
    """What a gap still needs, in the engine's words (a "one of" group reads as one need).

    Decisions stored before the engine wrote ``needs`` fall back to the missing fields' labels.
    """
    if not gap.needs:
        return missing_summary(gap.missing)
    return _shortened([need[:1].upper() + need[1:] for need in gap.needs])


def _shortened(labels: list[str]) -> list[str]:
    if len(labels) <= SHOWN_MISSING + 1:
        return labels
    rest = len(labels) - SHOWN_MISSING
    return [*labels[:SHOWN_MISSING], f"and {rest} more (listed in the clinician summary)"]


def _minutes(value: float) -> str:
    if value < 1:
        return f"{round(value * 60)} s"
    return f"{value:g} min"


def stage_text(stage: PlanStage) -> str:
    """One walk–run stage as the clinician reads it: ``"run 1 min / walk 2 min × 5"``."""
    if stage.continuous:
        body = f"run {_minutes(stage.run_minutes)} continuously"
    else:
        body = f"run {_minutes(stage.run_minutes)} / walk {_minutes(stage.walk_minutes)} × {stage.repeats}"
    sessions = f"{stage.sessions} session{'s' if stage.sessions != 1 else ''} symptom-free to progress"
    return f"{stage.title}: {body} ({sessions})"


def _finding_html(finding: Finding) -> str:
    extra = " <i>(can be overridden with a reason)</i>" if finding.overridable else ""
    return (
        f"<p><b>{escape(finding.rule_id)} · {escape(finding.title)}</b><br>"
        f"{escape(finding.explanation)}{extra}</p>"
    )


def _gap_html(gap: NotAssessed) -> str:
    kind = "gate: blocks a ready proposal" if gap.gate else "check only, not a gate"
    extra = " <i>(can be set aside with a reason)</i>" if gap.gate and gap.overridable else ""
    missing = "; ".join(escape(label) for label in needs_summary(gap))
    return (
        f"<p><b>{escape(gap.rule_id)} · {escape(gap.title)}</b> — {kind}{extra}<br>"
        f"Missing: {missing}</p>"
    )


def _group(heading: str, items: Sequence[str]) -> str:
    if not items:
        return ""
    return f"<h3>{escape(heading)} ({len(items)})</h3>{''.join(items)}"


def _plan_html(plan: Plan) -> str:
    stages = plan.stages[:PLAN_STAGES_SHOWN]
    lines = "".join(f"<li>{escape(stage_text(s))}</li>" for s in stages)
    more = len(plan.stages) - len(stages)
    if more > 0:
        lines += f"<li>… and {more} more stage{'s' if more != 1 else ''}</li>"
    start = " — conservative start" if plan.conservative else ""
    return (
        f"<h3>Plan preview{start}</h3><p><b>{escape(plan.title)}</b><br>"
        f"{plan.sessions_per_week} sessions a week. {escape(plan.schedule_rule)}</p><ul>{lines}</ul>"
    )


def _referral_html(referral: Referral) -> str:
    urgency = " (urgent)" if referral.urgent else ""
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in referral.reasons)
    return f"<h3>Referral{urgency}</h3><p>To: {escape(', '.join(referral.to))}</p><ul>{reasons}</ul>"


def decision_html(decision: Decision) -> str:
    """Every group of the proposal below the headline, as one piece of rich text."""
    holds = [f for f in decision.holds if f.status is not Status.NOT_READY_FUNCTION]
    function = [f for f in decision.holds if f.status is Status.NOT_READY_FUNCTION]
    parts = [
        _group("Holds", [_finding_html(f) for f in holds]),
        _group("Function", [_finding_html(f) for f in function]),
        _group("Cautions", [_finding_html(f) for f in decision.cautions]),
        _group("Not assessed", [_gap_html(g) for g in decision.not_assessed]),
        _group("Notes", [_finding_html(f) for f in decision.notes]),
    ]
    if decision.plan is not None:
        parts.append(_plan_html(decision.plan))
    if decision.referral is not None:
        parts.append(_referral_html(decision.referral))
    headings = list(dict.fromkeys(item.heading for item in decision.advice))
    if headings:
        parts.append(f"<h3>Advice</h3><p>{escape(', '.join(headings))}</p>")
    if decision.retest_weeks:
        weeks = decision.retest_weeks
        parts.append(f"<p>Re-test in {weeks} week{'s' if weeks != 1 else ''}.</p>")
    if decision.derived:
        rows = "".join(
            f"<tr><td>{escape(v.label)}</td><td>&nbsp;</td><td><b>{escape(v.display)}</b></td></tr>"
            for v in decision.derived
        )
        parts.append(f"<h3>Derived values</h3><table>{rows}</table>")
    return "".join(parts)


def status_html(status: Status | str) -> str:
    """The status line: coloured bar (extra cue) beside symbol and words."""
    return (
        f'<table cellspacing="0" cellpadding="2"><tr><td bgcolor="{outcome_colour(status)}" width="6"></td>'
        f'<td>&nbsp;<span style="font-size:large"><b>{escape(outcome_text(status))}</b></span></td>'
        "</tr></table>"
    )


def final_html(final: ClinicianDecisionView) -> str:
    """The clinician's recorded decision: who, when, what, and why."""
    when = final.decided_at.astimezone().strftime("%d %b %Y %H:%M")
    who = escape(final.clinician_name)
    status = escape(outcome_text(final.final_status))
    if final.action is ClinicianAction.CONFIRMED:
        text = f"<b>Confirmed by {who}</b> on {when}: {status}"
    else:
        text = f"<b>Overridden by {who}</b> on {when}: final status {status}"
        text += "".join(f"<br>{escape(rule)}: {escape(reason)}" for rule, reason in final.overrides)
    if final.comment:
        text += f"<br>Comment: {escape(final.comment)}"
    return text


def _plain(html: str) -> str:
    return QTextDocumentFragment.fromHtml(html).toPlainText()


# --- the panel -----------------------------------------------------------------------------------


class ProposalPanel(QWidget):
    """The engine's proposal beside the battery pages, with Confirm / Override / Sign / Amend.

    Signals:
        confirm_requested(): the clinician wants to confirm the proposal.
        override_requested(): she wants to override it (the editor opens ``OverrideDialog``).
        sign_requested(): she wants to sign the visit (``SignDialog``).
        amend_requested(): she wants to open an amendment of the signed visit.
    """

    confirm_requested = Signal()
    override_requested = Signal()
    sign_requested = Signal()
    amend_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposalPanel")
        self.setMinimumWidth(300)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._decision: Decision | None = None
        self._shown_final: ClinicianDecisionView | None = None
        self._shown_once = False
        self._state = "draft"
        self._has_decision = False
        self._final_status: str | None = None

        self._title = self._label(self, "<b>Proposal</b> — a recommendation for you to confirm or change")
        self._status = self._label(self)
        self._status.setAccessibleName("Proposed status")
        self._headline = self._label(self)
        self._final = self._label(self)
        self._final.setFrameShape(QFrame.Shape.StyledPanel)
        self._final.setAccessibleName("Your recorded decision")
        # One document for every group: a single layout pass per proposal (QLabels in a scroll area
        # re-measured their rich text several times per change, ~3x slower).
        self._body = QTextBrowser(self)
        self._body.setAccessibleName("Proposal details")
        self._body.setOpenLinks(False)
        self._body.setFrameShape(QFrame.Shape.NoFrame)
        self._body.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._body.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self._body.viewport().setAutoFillBackground(False)

        self._note = self._label(self)
        self._note.setAccessibleName("Visit state")
        self.confirm_button = self._button("Confirm", self.confirm_requested)
        self.override_button = self._button("Override…", self.override_requested)
        self.sign_button = self._button("Sign…", self.sign_requested)
        self.amend_button = self._button("Amend…", self.amend_requested)
        buttons = QGridLayout()
        buttons.addWidget(self.confirm_button, 0, 0)
        buttons.addWidget(self.override_button, 0, 1)
        buttons.addWidget(self.sign_button, 1, 0)
        buttons.addWidget(self.amend_button, 1, 1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        for label in (self._title, self._status, self._headline, self._final):
            outer.addWidget(label)
        outer.addWidget(self._body, 1)
        outer.addWidget(self._note)
        outer.addLayout(buttons)
        self.show_decision(None)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Prefer the width of a dock beside the pages."""
        hint = super().sizeHint()
        hint.setWidth(PANEL_WIDTH)
        return hint

    @staticmethod
    def _label(parent: QWidget, text: str = "") -> QLabel:
        label = QLabel(text, parent)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return label

    def _button(self, text: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(signal)
        return button

    # --- public calls ----------------------------------------------------------------------------

    @property
    def decision(self) -> Decision | None:
        """The proposal shown (None before there is one)."""
        return self._decision

    def show_decision(self, decision: Decision | None, *, final: ClinicianDecisionView | None = None) -> None:
        """Show a proposal (None: nothing to propose yet) and the clinician's recorded decision.

        Args:
            decision: the engine's proposal for the values as they stand.
            final: her recorded decision, when there is one.
        """
        if decision == self._decision and final == self._shown_final and self._shown_once:
            return  # most keystrokes leave the proposal as it was: nothing to redraw
        self._decision = decision
        self._shown_final = final
        self._shown_once = True
        if decision is None:
            self._status.setText(escape(outcome_text(None)))
            self._headline.setText("No proposal yet: enter the assessment values to see one.")
            self._body.clear()
        else:
            self._status.setText(status_html(decision.status))
            self._headline.setText(escape(decision.headline))
            self._body.setHtml(decision_html(decision))
        self._final.setVisible(final is not None)
        self._final.setText(final_html(final) if final is not None else "")
        self._apply_state()

    def set_visit_state(self, state: str, *, has_decision: bool, final_status: str | None) -> None:
        """Enable only the actions that make sense for the visit as stored.

        Args:
            state: ``"draft"``, ``"signed"`` or ``"amended"`` (a VisitStatus value).
            has_decision: a clinician decision (confirm or override) is recorded for this visit.
            final_status: the recorded final status, if any.
        """
        self._state = str(state)
        self._has_decision = has_decision
        self._final_status = final_status
        self._apply_state()

    def text(self) -> str:
        """Everything the panel shows, as plain text (tests, copy to clipboard)."""
        labels = [self._status, self._headline, self._final]
        texts = [_plain(label.text()) for label in labels if label.text()]
        texts.append(self._body.toPlainText())
        texts.append(_plain(self._note.text()))
        return "\n".join(texts)

    # --- internals -------------------------------------------------------------------------------

    def _apply_state(self) -> None:
        state, proposal = self._state, self._decision is not None
        final = f" Final status: {escape(outcome_text(self._final_status))}." if self._final_status else ""
        if state == "signed":
            note = f"This visit is signed and read-only.{final} Corrections go in an amendment."
            read_only = "The visit is signed; open an amendment to change it."
            self._set(self.confirm_button, False, read_only)
            self._set(self.override_button, False, read_only)
            self._set(self.sign_button, False, "The visit is already signed.")
            self._set(self.amend_button, True, "Open an amendment: a new draft that replaces this visit.")
        elif state == "amended":
            note = f"This visit was replaced by an amendment; it is read-only.{final}"
            replaced = "This visit was replaced by an amendment; open the amendment instead."
            for button in (self.confirm_button, self.override_button, self.sign_button, self.amend_button):
                self._set(button, False, replaced)
        else:
            no_proposal = "There is no proposal yet: enter the assessment values first."
            note = "Draft." + (f"{final} You may sign it." if self._has_decision else
                               " Confirm or override the proposal, then sign.")
            self._set(self.confirm_button, proposal,
                      "Record the proposal as your decision." if proposal else no_proposal)
            self._set(self.override_button, proposal,
                      "Change the proposal with a written reason (password needed)."
                      if proposal else no_proposal)
            self._set(self.sign_button, self._has_decision,
                      "Sign the visit (password needed); it becomes read-only." if self._has_decision else
                      "Confirm or override the proposal first: a visit is signed only after your decision "
                      "is recorded.")
            self._set(self.amend_button, False, "Only a signed visit can be amended.")
        self._note.setText(note)

    @staticmethod
    def _set(button: QPushButton, enabled: bool, tip: str) -> None:
        button.setEnabled(enabled)
        button.setToolTip(tip)
