"""Savings by lever: what each decision of the design saves, month by month.

The saving of a lever is the cost of the design **without** that lever minus the cost of
the design, in every month of the horizon (capex + opex of the whole statement; positive:
the lever saves money that month, negative: it costs money). "Without the lever" means,
for each kind of lever (the plan and everything else staying as they are):

* **a migration** (a ``migrate`` line of a process): that share of the process's contacts
  stays on the source channel. The queues whose work changes (the source's and the
  target's) are sized again; every other queue keeps its sizing.
* **an automation** share on an assisted channel: the contacts it contains reach agents.
  The channel's queue is sized again. (Automation on a self-service channel describes
  containment, not agents' work: it is not a lever.)
* **a component** (technology): its cost lines are not paid, and the systems it
  ``replaces`` (when no other component replaces them) keep running, and costing, to the
  end of the horizon. The center's work and staffing are unchanged: a component changes no
  volume or handle time in the model.
* **a practice** introduced by the maturity target: its introduction is not paid. A
  practice has no modelled effect on volumes or handle times, so its saving is minus its
  cost.
* **a site** the design opens (``existing no``): its fit-out, rent and running costs are not
  paid; its staff are seated elsewhere (seats are not costed per person).

The levers interact (two migrations off one channel share its economies of scale), so the
savings of the levers need not add up to the design's savings against doing nothing.

Each lever is costed incrementally: a migration or automation re-sizes only the queues
whose work it changes, and only the cost lines a lever can change (its queues' and
channels' lines, the components supporting those channels, the support staff, or the
component, practice, site or replaced systems it concerns) are costed with and without
it; every other line is the same in both and cancels out. The result is, to the cent, what
costing the whole center again without the lever gives (tested). It still runs on request
(``blueprintc cost --savings``, the documents), not on every compilation.
"""

from __future__ import annotations

import enum
from fractions import Fraction

import attrs

from blueprintc.model import elements as m
from blueprintc.model.model import Model
from blueprintc.planning.costs import Scope, scoped_lines
from blueprintc.sizing.size import Sizing, resize
from blueprintc.solve import finance as fin
from blueprintc.source import Span


class LeverKind(enum.Enum):
    """What kind of decision a lever is."""

    MIGRATION = "migration"
    AUTOMATION = "automation"
    COMPONENT = "component"
    PRACTICE = "practice"
    SITE = "site"


@attrs.frozen
class Saving:
    """The effect of one lever: cost saved month by month, FTE and staff cost saved."""

    kind: LeverKind
    owner: str
    """The process (migration, automation) or the component, practice or site."""
    lever: str
    """What it is: ``migrate voice to web``, ``automation on chat``, ``component acd``."""
    months: tuple[Fraction, ...]
    """Cost without the lever − cost of the design, per month (capex + opex), to the cent."""
    capex_saved: Fraction
    opex_saved: Fraction
    fte_saved_peak: float
    """Agent FTE saved in the month it saves most (0 for levers that size nothing)."""
    fte_saved_average: float
    staff_cost_saved: Fraction
    """The part of the saving in staff lines (agents and support staff), over the horizon."""
    span: Span | None
    """The blueprint line of the lever."""

    @property
    def total(self) -> Fraction:
        """The saving over the horizon."""
        return self.capex_saved + self.opex_saved

    @property
    def process(self) -> str | None:
        """The process of a migration or automation lever, else None."""
        return self.owner if self.kind in (LeverKind.MIGRATION, LeverKind.AUTOMATION) else None


@attrs.frozen(eq=False)
class Lever:
    """One decision of the design, with the model of the design without it."""

    kind: LeverKind
    owner: str
    label: str
    without: Model
    resize: bool
    """True when the lever changes the work of some queue (a migration, an automation)."""
    span: Span | None
    changed: frozenset[m.Ref] = frozenset()
    """The processes the lever changes (a migration, an automation)."""
    scope: Scope = attrs.field(factory=Scope)
    """The cost lines the lever changes, besides those of the queues and channels whose
    work it changes."""


def _replace(model: Model, *changed: m.Element, removed: m.Ref | None = None) -> Model:
    return model.replaced(*changed, removed=removed)


def _origin(element: m.Element, field: str) -> Span:
    origin = element.origin(field)
    return origin.span if origin is not None and origin.span is not None else element.span


def levers(model: Model) -> tuple[Lever, ...]:
    """Every lever of the design, each with the model without it."""
    found: list[Lever] = []
    for process in model.of(m.Process):
        if process.library:
            continue
        for index, migration in enumerate(process.migrations):
            rest = process.migrations[:index] + process.migrations[index + 1 :]
            without = _replace(model, attrs.evolve(process, migrations=rest))
            label = f"migrate {migration.source.name} to {migration.target.name}"
            found.append(
                Lever(
                    LeverKind.MIGRATION,
                    process.name,
                    label,
                    without,
                    True,
                    migration.span,
                    frozenset({process.ref}),
                )
            )
        for ref, share in process.automation.items():
            channel = model.get(ref)
            if share > 0 and isinstance(channel, m.Channel) and channel.assisted:
                kept = {k: v for k, v in process.automation.items() if k != ref}
                without = _replace(model, attrs.evolve(process, automation=kept))
                span = _origin(process, "automation")
                label = f"automation on {ref.name}"
                found.append(
                    Lever(
                        LeverKind.AUTOMATION,
                        process.name,
                        label,
                        without,
                        True,
                        span,
                        frozenset({process.ref}),
                    )
                )
    components = [c for c in model.of(m.Component) if not c.library]
    for component in components:
        if not (_has_costs(component) or component.replaces):
            continue
        others = {r for c in components if c is not component for r in c.replaces}
        kept_on = [
            attrs.evolve(system, fate="keep")
            for ref in component.replaces
            if ref not in others and isinstance(system := model.get(ref), m.System)
        ]
        without = _replace(model, *kept_on, removed=component.ref)
        scope = Scope(components=frozenset({component.ref}), systems=frozenset(component.replaces))
        found.append(
            Lever(
                LeverKind.COMPONENT,
                component.name,
                f"component {component.name}",
                without,
                False,
                component.span,
                scope=scope,
            )
        )
    maturity = model.maturity
    if maturity is not None:
        for ref in maturity.target:
            practice = model.get(ref)
            if isinstance(practice, m.Practice) and practice.cost and ref not in maturity.current:
                target = tuple(r for r in maturity.target if r != ref)
                without = _replace(model, attrs.evolve(maturity, target=target))
                label = f"practice {practice.name}"
                span = practice.span if not practice.library else _origin(maturity, "target")
                scope = Scope(practices=frozenset({ref}))
                found.append(
                    Lever(
                        LeverKind.PRACTICE, practice.name, label, without, False, span, scope=scope
                    )
                )
    for site in model.of(m.Site):
        if site.library or site.existing:
            continue
        if site.fitout is None and site.rent is None and site.running is None:
            continue
        without = _replace(model, removed=site.ref)
        found.append(
            Lever(
                LeverKind.SITE,
                site.name,
                f"site {site.name}",
                without,
                False,
                site.span,
                scope=Scope(sites=frozenset({site.ref})),
            )
        )
    return tuple(found)


def _has_costs(component: m.Component) -> bool:
    """Whether the component prices anything, under its own model or an option."""
    costs = [component.costs, *component.options.values()]
    fields = attrs.fields(m.Costs)
    return any(getattr(c, f.name) is not None for c in costs for f in fields)


def savings(
    model: Model,
    sizing: Sizing,
    design: fin.Statement | None = None,
    *,
    kinds: frozenset[LeverKind] | None = None,
) -> tuple[Saving, ...]:
    """The saving of every lever of the design (of the ``kinds`` given, default all), month
    by month. (``design``, the design's statement, is accepted for callers that have it;
    the savings cost only the lines a lever changes, in the design and without the lever.)

    Incremental: a lever re-sizes only the queues whose work it changes
    (:func:`~blueprintc.sizing.size.resize`) and costs again only the cost lines it can
    change (its :class:`~blueprintc.planning.costs.Scope`); every other line is the same in
    both, so the difference of the two statements is the difference of those lines, to the
    cent."""
    del design  # the lines a lever changes are costed in both, the rest cancel out
    supporting: dict[m.Ref, set[m.Ref]] = {}
    for component in model.of(m.Component):
        for ref in component.supports:
            supporting.setdefault(ref, set()).add(component.ref)
    result = []
    for lever in levers(model):
        if kinds is not None and lever.kind not in kinds:
            continue
        other, scope = sizing, lever.scope
        if lever.resize:
            other = resize(lever.without, sizing, lever.changed)
            kept = {id(work) for work in sizing.workload.channels}
            channels = {w.channel.ref for w in other.workload.channels if id(w) not in kept}
            scope = attrs.evolve(
                scope,
                channels=scope.channels | channels,
                components=scope.components.union(*(supporting.get(c, ()) for c in channels)),
                support=True,
            )
        before = scoped_lines(model, sizing, sizing.timeline, scope)
        after = scoped_lines(lever.without, other, sizing.timeline, scope)
        months = tuple(
            a - b for a, b in zip(_months(after, sizing), _months(before, sizing), strict=True)
        )
        difference = other.agent_fte - sizing.agent_fte
        result.append(
            Saving(
                lever.kind,
                lever.owner,
                lever.label,
                months,
                _total(after, "capex") - _total(before, "capex"),
                _total(after, "opex") - _total(before, "opex"),
                float(difference.max(initial=0)) if difference.size else 0.0,
                float(difference.mean()) if difference.size else 0.0,
                _staff(after) - _staff(before),
                lever.span,
            )
        )
    return tuple(result)


def _months(lines: list[fin.Line], sizing: Sizing) -> list[Fraction]:
    sums = [Fraction(0)] * sizing.grid.months
    for line in lines:
        for index, value in enumerate(line.months):
            sums[index] += value
    return sums


def _total(lines: list[fin.Line], category: fin.Category) -> Fraction:
    return sum((line.total for line in lines if line.category == category), Fraction(0))


def _staff(lines: list[fin.Line]) -> Fraction:
    return sum((line.total for line in lines if line.group == "staff"), Fraction(0))


__all__ = ["Lever", "LeverKind", "Saving", "levers", "savings"]
