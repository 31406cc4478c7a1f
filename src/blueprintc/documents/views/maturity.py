"""Document 10, the maturity assessment: the index per layer now and in the target, the
practices of both positions, and each gap with the phase and dates that close it.

Indices are the planning pass's (``planning.maturity``, exact fractions from 0 to 100);
a gap closes when its work item ``practice:NAME`` of ``planning.plan`` goes live.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from blueprintc.documents.context import Context, Where
from blueprintc.documents.views.phasing import month_date, placement_reason
from blueprintc.model import elements as m
from blueprintc.outcome import TIER_VALUES, item_id
from blueprintc.solve import maturity as mat
from blueprintc.solve import phasing as ph

LAYER_TITLES = {
    "brand": "Brand",
    "business": "Business",
    "financial": "Financial-functional",
    "operational": "Operational",
    "technology": "Technology",
}


@attrs.frozen
class LayerRow:
    """One layer's index now and in the target (None: no catalogue practice in the layer).

    ``*_points`` are the weighted practices behind the index: index = points ÷
    ``catalogue_points`` × 100.
    """

    layer: str
    title: str
    current: Fraction | None
    target: Fraction | None
    gain: Fraction | None
    current_points: Fraction
    target_points: Fraction
    catalogue_points: Fraction


@attrs.frozen
class PracticeRow:
    """A practice of the current or target position; ``status``: ``in place`` (and
    targeted), ``carried`` (in place, not named in the target) or ``to introduce``."""

    name: str
    layer: str
    tier: str
    weight: Fraction
    status: str
    description: str | None
    where: Where | None


@attrs.frozen
class GapRow:
    """A practice to introduce, what it adds to the indices, and where the plan closes it.

    ``plan_status``: ``planned`` (``phase``, ``start`` and ``closed`` set, ``closed`` the
    exclusive go-live date), ``not placed`` (the plan could not place it) or ``no phases``.
    """

    name: str
    layer: str
    tier: str
    weight: Fraction
    layer_gain: Fraction | None
    overall_gain: Fraction | None
    effort_months: Fraction
    cost: Fraction
    plan_status: str
    phase: str | None
    start: str | None
    closed: str | None
    reason: str | None
    where: Where | None


@attrs.frozen
class MaturityView:
    """The maturity assessment; ``assessed`` is False without a ``maturity`` block."""

    assessed: bool
    layers: tuple[LayerRow, ...]
    overall: LayerRow | None
    practices: tuple[PracticeRow, ...]
    gaps: tuple[GapRow, ...]
    closed_by: str | None
    catalogue_size: int
    current_where: Where | None
    target_where: Where | None


def _points(value: Fraction | None, catalogue: Fraction) -> Fraction:
    return value * catalogue / 100 if value is not None else Fraction(0)


def _layer_row(
    layer: str, current: Fraction | None, target: Fraction | None, whole: Fraction
) -> LayerRow:
    return LayerRow(
        layer,
        LAYER_TITLES.get(layer, "Overall"),
        current,
        target,
        target - current if current is not None and target is not None else None,
        _points(current, whole),
        _points(target, whole),
        whole,
    )


def _practice(ctx: Context, name: str) -> m.Practice | None:
    element = ctx.element("practice", name)
    return element if isinstance(element, m.Practice) else None


def _practice_row(ctx: Context, practice: mat.Practice, status: str) -> PracticeRow:
    element = _practice(ctx, practice.name)
    return PracticeRow(
        practice.name,
        LAYER_TITLES[practice.layer],
        practice.tier,
        practice.weight,
        status,
        element.description if element is not None else None,
        ctx.where(element, "weight") if element is not None else None,
    )


def _value(practice: mat.Practice) -> Fraction:
    return practice.weight * TIER_VALUES[practice.tier]


def _gap_row(
    ctx: Context,
    practice: mat.Practice,
    result: mat.MaturityResult,
    total: Fraction,
    items: dict[str, ph.Item],
) -> GapRow:
    layer = result.layer(practice.layer)
    key = item_id(m.Ref("practice", practice.name))
    item = items.get(key)
    plan = ctx.outcome.plan
    status, phase, start, closed, reason = "no phases", None, None, None, None
    if plan is not None:
        try:
            schedule = plan.item(key)
        except KeyError:
            status = "not placed"
        else:
            status, phase = "planned", schedule.phase
            reason = placement_reason(schedule, plan)[1]
            start, closed = month_date(ctx, schedule.start), month_date(ctx, schedule.end)
    element = _practice(ctx, practice.name)
    value = _value(practice)
    return GapRow(
        practice.name,
        LAYER_TITLES[practice.layer],
        practice.tier,
        practice.weight,
        value / layer.catalogue * 100 if layer.catalogue else None,
        value / total * 100 if total else None,
        item.duration_months if item is not None else Fraction(0),
        item.cost if item is not None else Fraction(0),
        status,
        phase,
        start,
        closed,
        reason,
        ctx.where(element) if element is not None else None,
    )


def build(ctx: Context) -> MaturityView:
    """The maturity assessment of the blueprint's ``maturity`` position."""
    result = ctx.outcome.maturity
    position = ctx.model.maturity
    if result is None or position is None:
        return MaturityView(False, (), None, (), (), None, len(ctx.model.catalogue), None, None)
    layers = tuple(_layer_row(x.layer, x.current, x.target, x.catalogue) for x in result.layers)
    total = sum((x.catalogue for x in result.layers), Fraction(0))
    overall = _layer_row("overall", result.current, result.target, total)
    carried = {p.name for p in result.carried}
    gaps = {p.name for p in result.gaps}
    practices: list[PracticeRow] = []
    seen: set[str] = set()
    for ref in (*position.current, *position.target):
        element = _practice(ctx, ref.name)
        if ref.name in seen or element is None:
            continue
        seen.add(ref.name)
        if ref.name in gaps:
            status = "to introduce"
        elif ref.name in carried:
            status = "carried"
        else:
            status = "in place"
        known = mat.Practice(ref.name, element.practice_layer, element.tier, element.weight)
        practices.append(_practice_row(ctx, known, status))
    order = {layer: k for k, layer in enumerate(LAYER_TITLES.values())}
    statuses = {"in place": 0, "carried": 1, "to introduce": 2}
    practices.sort(key=lambda r: (order[r.layer], statuses[r.status], r.name))
    items = {i.name: i for i in ctx.outcome.work_items if i.kind == "practice"}
    gap_rows = tuple(_gap_row(ctx, p, result, total, items) for p in result.gaps)
    planned = [g.closed for g in gap_rows if g.closed is not None]
    closed_by = max(planned) if planned and len(planned) == len(gap_rows) else None
    return MaturityView(
        assessed=True,
        layers=layers,
        overall=overall,
        practices=tuple(practices),
        gaps=gap_rows,
        closed_by=closed_by,
        catalogue_size=len(ctx.model.catalogue),
        current_where=ctx.where(position, "current"),
        target_where=ctx.where(position, "target"),
    )
