"""Document 7, the vendor evaluation: weighted scores, ranking, knock-outs, sensitivity.

Everything comes from the planning pass (``planning.ranking`` and ``planning.flips``,
computed exactly by ``solve.selection``); this view only lays the figures out and adds
each one's source line. Conventions are those of docs/planning.md section 3.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from blueprintc.documents.context import Context, Where
from blueprintc.documents.views.financial import ScenarioRow, scenario_rows
from blueprintc.documents.views.rfp import Criterion, criteria_of, requirement_id
from blueprintc.model import elements as m
from blueprintc.solve.selection import MAX_SCORE


@attrs.frozen
class Score:
    """A vendor's score on one criterion (None: not scored, counts as 0) and weight × score."""

    criterion: str
    score: Fraction | None
    weighted: Fraction


@attrs.frozen
class Scored:
    """A vendor's evaluation: its scores, total (of 5) and place (None when knocked out)."""

    vendor: str
    position: int | None
    scores: tuple[Score, ...]
    total: Fraction
    share: Fraction | None  # total ÷ maximum (5 on every criterion = 1)
    tied: bool
    excluded: bool
    price: Fraction | None
    bids: tuple[str, ...]
    where: Where | None


@attrs.frozen
class KnockOut:
    vendor: str
    requirements: tuple[str, ...]  # identifiers of the mandatory requirements it fails
    names: tuple[str, ...]
    where: Where | None


@attrs.frozen
class Sensitivity:
    """How far one criterion's weight must move before the runner-up overtakes the leader."""

    criterion: str
    weight: Fraction
    tie_weight: Fraction | None
    change_points: Fraction | None  # percentage points (tie weight − weight) × 100
    direction: str  # "raise", "lower" or "none"
    most_sensitive: bool


@attrs.frozen
class Pair:
    leader: str
    runner_up: str
    lead: Fraction  # difference of the weighted totals (of 5)
    criteria: tuple[Sensitivity, ...]
    most_sensitive: str | None


@attrs.frozen
class VendorsView:
    max_score: Fraction
    criteria: tuple[Criterion, ...]
    weights_normalised: bool
    vendors: tuple[Scored, ...]  # ranked first (best first), then the knocked-out
    winner: str | None  # None on a tie for first place: no pick by order
    leaders: tuple[str, ...]  # the vendors with the highest total (several on a tie)
    knock_outs: tuple[KnockOut, ...]
    pairs: tuple[Pair, ...]
    scenarios: tuple[ScenarioRow, ...]
    design_npv: Fraction


def build(ctx: Context) -> VendorsView:
    criteria, normalised = criteria_of(ctx)
    ranking = ctx.outcome.ranking
    declared = {v.name: v for v in ctx.of(m.Vendor)}
    weights = dict(ranking.weights) if ranking else {c.name: c.weight_used for c in criteria}
    maximum = MAX_SCORE * sum(weights.values(), Fraction(0))

    def scored(vendor: m.Vendor, position: int | None, tied: bool) -> Scored:
        by_name = {ref.name: score for ref, score in vendor.scores.items()}
        scores = tuple(
            Score(c, by_name.get(c), w * by_name.get(c, Fraction(0))) for c, w in weights.items()
        )
        total = sum((s.weighted for s in scores), Fraction(0))
        return Scored(
            vendor.name,
            position,
            scores,
            total,
            total / maximum if maximum else None,
            tied,
            position is None,
            vendor.price,
            tuple(r.name for r in vendor.bids),
            ctx.where(vendor, "score"),
        )

    vendors: list[Scored] = []
    knock_outs: list[KnockOut] = []
    if ranking is not None:
        vendors += [scored(declared[r.name], r.position, r.tied) for r in ranking.ranked]
        vendors += [scored(declared[e.name], None, False) for e in ranking.excluded]
        knock_outs = [
            KnockOut(
                e.name,
                tuple(requirement_id(n) for n in e.fails),
                e.fails,
                ctx.where(declared[e.name], "fails"),
            )
            for e in ranking.excluded
        ]
    return VendorsView(
        MAX_SCORE,
        criteria,
        normalised,
        tuple(vendors),
        ranking.winner if ranking else None,
        ranking.leaders if ranking else (),
        tuple(knock_outs),
        _pairs(ctx, {v.vendor: v.total for v in vendors}),
        scenario_rows(ctx),
        ctx.outcome.key.npv,
    )


def _pairs(ctx: Context, totals: dict[str, Fraction]) -> tuple[Pair, ...]:
    """The flips grouped by pair of neighbours in the ranking, pairs in ranking order."""
    pairs: dict[tuple[str, str], list[Sensitivity]] = {}
    for flip in ctx.outcome.flips:
        direction = {1: "raise", -1: "lower"}.get(flip.direction, "none")
        pairs.setdefault((flip.leader, flip.runner_up), []).append(
            Sensitivity(
                flip.criterion,
                flip.weight,
                flip.new_weight,
                flip.points,
                direction,
                flip.most_sensitive,
            )
        )
    return tuple(
        Pair(
            leader,
            runner_up,
            totals[leader] - totals[runner_up],
            tuple(rows),
            next((r.criterion for r in rows if r.most_sensitive), None),
        )
        for (leader, runner_up), rows in pairs.items()
    )
