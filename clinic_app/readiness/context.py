"""What every rule evaluator reads (the visit, the protocol, shared derived values) and returns.

Evaluators live in the ``rules_*`` modules, one per family. Each is a function
``(ctx, rule) -> RuleResult | None`` (None: the rule does not apply to this visit at all, e.g. H2
without an earlier visit). A result with hits fired. Whether a rule could be judged at all is
not the evaluator's business: the engine compares the visit with the rule's declared minimum
(``[rules.ID.assessed]``, :mod:`clinic_app.readiness.minimum`) and lists what is missing as not
assessed, so missing data never turns into a pass. An evaluator only adds to ``missing`` a value
that is recorded but cannot be used (e.g. hop distances of 0 that give no symmetry index).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast

from clinic_app.domain.enums import Side
from clinic_app.domain.model import Results, Value
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.readiness.decision import ObservedValue
from clinic_app.readiness.protocol import CheckSpec, Protocol, RuleSpec


class View:
    """A fast read-only view of recorded results with the typed getters of :class:`Results`.

    The engine reads a few hundred values per visit; exact-class checks on the raw mapping keep that
    cheap (a bool is never a number here, as in :class:`Results`).
    """

    __slots__ = ("data",)

    def __init__(self, results: Results) -> None:
        self.data = cast(Mapping[str, Value], results.data)

    def number(self, path: str) -> float | None:
        """The value at ``path`` as a number, or None when absent or not numeric."""
        value = self.data.get(path)
        if value.__class__ is float:
            return value
        if value.__class__ is int:
            try:
                return float(value)
            except OverflowError:  # an integer too large for a float is not a measurement
                return None
        return None

    def text(self, path: str) -> str | None:
        """The value at ``path`` when it is text (a choice id), else None."""
        value = self.data.get(path)
        return value if isinstance(value, str) else None

    def flag(self, path: str) -> bool | None:
        """The value at ``path`` when it is a yes/no answer, else None."""
        value = self.data.get(path)
        return value if isinstance(value, bool) else None

    def choices(self, path: str) -> tuple[str, ...]:
        """The choice ids of a multiple-choice value (empty when absent)."""
        value = self.data.get(path)
        return value if isinstance(value, tuple) else ()

    def sided(self, path: str) -> dict[Side, float]:
        """The numeric values recorded for each side of a sided field."""
        out: dict[Side, float] = {}
        left, right = self.number(path + ".left"), self.number(path + ".right")
        if left is not None:
            out[Side.LEFT] = left
        if right is not None:
            out[Side.RIGHT] = right
        return out


@dataclass(frozen=True, slots=True)
class Hit:
    """One firing of one check, with the printed explanation and the values behind it."""

    check: CheckSpec
    text: str
    observed: tuple[ObservedValue, ...] = ()


@dataclass(slots=True)
class RuleResult:
    """What one rule found on one visit."""

    hits: list[Hit] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Paths of recorded values the rule could not use (what was never recorded is the minimum's)."""
    summary: str = ""


@dataclass(slots=True)
class Context:
    """The inputs of one assessment, plus what earlier rules established (O4 reads O2's result)."""

    record: VisitRecord
    results: View
    protocol: Protocol
    days: int
    weeks: float
    previous: View | None = None
    fired: set[str] = field(default_factory=set)
    """Ids of rules that produced a hold so far."""
    derived: list[ObservedValue] = field(default_factory=list)

    def hit(self, check: CheckSpec, value: str, where: str = "", *, threshold: str | None = None,
            paths: tuple[str, ...] = ()) -> Hit:
        """Build a :class:`Hit` from the check's template and the observed value."""
        shown = threshold if threshold is not None else check.threshold_text
        text = check.text.format(value=value, threshold=shown, op=check.op, where=where)
        observed = tuple(ObservedValue(p, self.protocol.label(p), value) for p in paths)
        return Hit(check, text, observed)

    def add_derived(self, path: str, label: str, display: str) -> None:
        """Record a computed value shown beside the decision (BMI, LSI, POP-Q stage …)."""
        self.derived.append(ObservedValue(path, label, display))

    def flags(self, result: RuleResult, check: CheckSpec, paths: tuple[str, ...]) -> None:
        """Evaluate an ``is_true``/``any_true`` check over yes/no inputs.

        Each "yes" is named in one hit; which answers must be recorded is the rule's minimum.
        """
        yes: list[str] = []
        for path in paths:
            flag = self.results.flag(path)
            if flag is not None and check.fires(flag):
                yes.append(path)
        if yes:
            labels = ", ".join(self.protocol.label(p) for p in yes)
            result.hits.append(self.hit(check, labels, paths=tuple(yes)))


Evaluator = Callable[[Context, RuleSpec], RuleResult | None]
_TASK_SYMPTOMS = tuple(f"load_impact.l{n}_symptoms" for n in range(1, 8))


def symptom_tasks(ctx: Context, check: CheckSpec) -> Hit | None:
    """Fire ``check`` (a ``contains`` check) for load/impact tasks L1–L7 whose symptoms match.

    Used by P1 (leakage), P6 (heaviness) and O3 (doming): a symptom during a task counts as the
    symptom itself (CLINICAL.md §12, L1–L7). Tasks not recorded are the L rules' business.
    """
    tasks: list[str] = []
    paths: list[str] = []
    for n, path in enumerate(_TASK_SYMPTOMS, start=1):
        if check.fires(ctx.results.choices(path)):
            tasks.append(ctx.protocol.label(f"load_impact.l{n}"))
            paths.append(path)
    if not tasks:
        return None
    return ctx.hit(check, ", ".join(tasks), ", ".join(tasks), paths=tuple(paths))


def weeks_text(days: int) -> str:
    """Weeks since birth as printed: unrounded enough to judge a boundary, with the day count."""
    return f"{days / 7:.2f} weeks ({days} days)"
