"""Vendor selection: weighted scoring, knock-outs and weight sensitivity.

Input is names, numbers and tuples only (this package never sees the blueprint model):
criteria are a mapping from name to weight, vendors are `Vendor` values.  All arithmetic
is exact (`fractions.Fraction`), so totals, ties and flip points are exact.

Conventions (docs/planning.md):

* **Weights** should sum to 1 (100 %).  If they do not and their sum is positive,
  `normalise_weights` divides each by the sum and says so (the compiler warns); the
  ranking always uses the normalised weights.  Weights summing to 0 (or no criteria)
  cannot be normalised: every total is then 0 and no percentage or sensitivity is given.
  Negative weights are an error.
* **Total** of a vendor = Σ weight × score over the criteria.  A criterion the vendor has no
  score for counts as 0 (an unanswered criterion earns nothing); scores for names that are
  not criteria are ignored.  Scores run from 0 to 5, so the **percentage** of the maximum
  is total ÷ (5 × Σ weights) × 100: 5 on every criterion is 100 %.
* **Knock-outs**: a vendor that fails any mandatory requirement (`fails`) is left out of
  the ranking and listed in `Ranking.excluded` with the requirements it fails.
* **Order**: total descending; equal totals are ordered by vendor name (ascending, plain
  string order), so the ranking is deterministic.  `RankedVendor.tied` marks exact ties;
  a tie for first place has no `winner` (`leaders` names the tied vendors).
* **Lots**: with `lot` given, only vendors that bid for it take part; the others are
  listed in `Ranking.not_bidding`.
* **Sensitivity**: for each pair of neighbours in the ranking (leader, runner-up) and
  each criterion c, c's weight w_c is moved to x while the other weights are rescaled
  proportionally, w_k' = w_k × (1 − x) ÷ (1 − w_c), so they still sum to 1 and keep their
  ratios (the usual one-at-a-time convention).  With d_k = leader's score − runner-up's
  score and D = Σ w_k d_k ≥ 0 the leader's current lead, the lead as a function of x is
  linear::

      D(x) = E + x × (d_c − E),   E = (D − w_c d_c) ÷ (1 − w_c) = D(0)

  (E is the lead on the other criteria alone, d_c = D(1) the lead on c alone).  The order
  flips iff D(x) < 0 for some x in [0, 1], i.e. iff E < 0 or d_c < 0; the tie point is then
  x* = E ÷ (E − d_c), the change is Δ = x* − w_c, and past x* (moving further in the
  direction of Δ) the runner-up has the strictly higher total.  Otherwise there is no flip
  (`Flip.new_weight` is None).  A criterion already carrying all the weight (w_c = 1)
  cannot be rescaled this way and never flips.  The most sensitive criterion of a pair is
  the one with the smallest |Δ|; equal |Δ| are decided by criterion name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Final

import attrs

MAX_SCORE: Final = Fraction(5)
"""Scores run from 0 to MAX_SCORE; MAX_SCORE on every criterion is 100 %."""

Number = Fraction | int


def _fraction(value: Number) -> Fraction:
    return Fraction(value)


def _scores(value: Mapping[str, Number]) -> dict[str, Fraction]:
    scores = {name: Fraction(score) for name, score in value.items()}
    for name, score in scores.items():
        if not 0 <= score <= MAX_SCORE:
            raise ValueError(f"score {score} for {name!r} is outside 0 to {MAX_SCORE}")
    return scores


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


# ------------------------------------------------------------------------------ inputs


@attrs.frozen
class Vendor:
    """A vendor's answer: its score per criterion (0 to 5), its bids and its knock-outs.

    `bids` are the components or lots it bids for; `fails` the mandatory requirements it
    does not meet (any one excludes it).
    """

    name: str
    scores: Mapping[str, Fraction] = attrs.field(factory=dict, converter=_scores)
    bids: tuple[str, ...] = attrs.field(default=(), converter=_names)
    fails: tuple[str, ...] = attrs.field(default=(), converter=_names)

    def score(self, criterion: str) -> Fraction:
        """The score for `criterion`; 0 when the vendor has none."""
        return self.scores.get(criterion, Fraction(0))


# ----------------------------------------------------------------------------- results


@attrs.frozen
class RankedVendor:
    """A vendor in the ranking: its position (1 first), weighted total and percentage."""

    name: str
    position: int
    total: Fraction
    percent: Fraction | None
    """Total as a percentage of the maximum (5 everywhere); None when weights sum to 0."""
    tied: bool
    """Another ranked vendor has exactly the same total (order then by name)."""
    bids: tuple[str, ...] = ()


@attrs.frozen
class Excluded:
    """A knocked-out vendor and the mandatory requirements it fails."""

    name: str
    fails: tuple[str, ...]


@attrs.frozen
class Ranking:
    """The evaluation: weights used, ranked vendors (best first) and exclusions."""

    weights: Mapping[str, Fraction]
    """The weights used (normalised to sum to 1 unless they sum to 0)."""
    normalised: bool
    """The given weights did not sum to 1 and were normalised (warn)."""
    ranked: tuple[RankedVendor, ...]
    excluded: tuple[Excluded, ...] = ()
    not_bidding: tuple[str, ...] = ()
    """Vendors that do not bid for the lot asked for (empty without a lot)."""

    @property
    def winner(self) -> str | None:
        """The first-ranked vendor, if any vendor is left and no other has exactly its
        total: a tie for first place recommends no one (the order by name is no merit)."""
        return self.ranked[0].name if self.ranked and not self.ranked[0].tied else None

    @property
    def leaders(self) -> tuple[str, ...]:
        """Every vendor with the highest total: one name, several on a tie, none if no
        vendor is left."""
        if not self.ranked:
            return ()
        top = self.ranked[0].total
        return tuple(v.name for v in self.ranked if v.total == top)

    def vendor(self, name: str) -> RankedVendor:
        """The ranked vendor called `name` (KeyError if it is not ranked)."""
        for ranked in self.ranked:
            if ranked.name == name:
                return ranked
        raise KeyError(name)


@attrs.frozen
class Flip:
    """How far one criterion's weight must move to make two neighbours tie.

    `new_weight` is the tie point x* (a weight from 0 to 1), `change` = x* − current
    weight; past it the `winner` (the runner-up) has the higher total.  All three are None
    when no weight of the criterion in [0, 1] puts the runner-up ahead.
    """

    leader: str
    runner_up: str
    criterion: str
    weight: Fraction
    """The criterion's current (normalised) weight."""
    new_weight: Fraction | None
    change: Fraction | None
    winner: str | None
    direction: int
    """+1 if raising the weight past `new_weight` flips the order, −1 if lowering, 0 if none."""
    most_sensitive: bool = False
    """This criterion has the smallest |change| of the pair (ties by criterion name)."""

    @property
    def points(self) -> Fraction | None:
        """The change in percentage points (change × 100)."""
        return None if self.change is None else self.change * 100


# ----------------------------------------------------------------------------- weights


def normalise_weights(weights: Mapping[str, Fraction]) -> tuple[dict[str, Fraction], bool]:
    """Weights scaled to sum to 1, and whether they had to be (the compiler then warns).

    Weights already summing to 1 come back unchanged with False.  Weights summing to 0
    (or none at all) cannot be normalised and also come back unchanged with False: the
    caller diagnoses a criterion set without weight.  A negative weight is a ValueError.
    """
    values = {name: Fraction(weight) for name, weight in weights.items()}
    negative = sorted(name for name, weight in values.items() if weight < 0)
    if negative:
        raise ValueError(f"negative criterion weights: {', '.join(negative)}")
    total = sum(values.values(), Fraction(0))
    if total == 1 or total == 0:
        return values, False
    return {name: weight / total for name, weight in values.items()}, True


def shifted_weights(
    weights: Mapping[str, Fraction], criterion: str, new_weight: Fraction
) -> dict[str, Fraction]:
    """`weights` (summing to 1) with `criterion` set to `new_weight`, the others rescaled.

    Every other weight is multiplied by (1 − new_weight) ÷ (1 − old weight), so the result
    still sums to 1 and the other criteria keep their ratios.  The criterion's old weight
    must be below 1 (ValueError otherwise) and the new one in [0, 1].
    """
    old = weights[criterion]
    if old >= 1:
        raise ValueError(f"{criterion!r} carries all the weight; the others cannot be rescaled")
    if not 0 <= new_weight <= 1:
        raise ValueError(f"new weight {new_weight} is outside 0 to 1")
    factor = (1 - new_weight) / (1 - old)
    return {
        name: new_weight if name == criterion else weight * factor
        for name, weight in weights.items()
    }


def total(weights: Mapping[str, Fraction], vendor: Vendor) -> Fraction:
    """Σ weight × score over the criteria (a missing score counts as 0)."""
    return sum((weight * vendor.score(name) for name, weight in weights.items()), Fraction(0))


# ----------------------------------------------------------------------------- ranking


def rank(
    criteria: Mapping[str, Fraction], vendors: Sequence[Vendor], *, lot: str | None = None
) -> Ranking:
    """Rank the vendors by weighted total (highest first, equal totals by name).

    Knocked-out vendors are excluded and listed with the requirements they fail; with
    `lot`, only the vendors bidding for it are considered.  Vendor names must be unique.
    """
    weights, normalised = normalise_weights(criteria)
    names = [vendor.name for vendor in vendors]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"duplicate vendors: {', '.join(duplicates)}")

    bidding = [vendor for vendor in vendors if lot is None or lot in vendor.bids]
    not_bidding = () if lot is None else tuple(sorted(v.name for v in vendors if lot not in v.bids))
    excluded = tuple(
        Excluded(vendor.name, vendor.fails)
        for vendor in sorted(bidding, key=lambda v: v.name)
        if vendor.fails
    )
    eligible = [vendor for vendor in bidding if not vendor.fails]
    totals = {vendor.name: total(weights, vendor) for vendor in eligible}
    order = sorted(eligible, key=lambda v: (-totals[v.name], v.name))
    weight_sum = sum(weights.values(), Fraction(0))
    maximum = MAX_SCORE * weight_sum
    counts: dict[Fraction, int] = {}
    for value in totals.values():
        counts[value] = counts.get(value, 0) + 1
    ranked = tuple(
        RankedVendor(
            name=vendor.name,
            position=position,
            total=totals[vendor.name],
            percent=totals[vendor.name] / maximum * 100 if maximum else None,
            tied=counts[totals[vendor.name]] > 1,
            bids=vendor.bids,
        )
        for position, vendor in enumerate(order, start=1)
    )
    return Ranking(
        weights=weights,
        normalised=normalised,
        ranked=ranked,
        excluded=excluded,
        not_bidding=not_bidding,
    )


# ------------------------------------------------------------------------- sensitivity


def flip_point(
    weights: Mapping[str, Fraction], leader: Vendor, runner_up: Vendor, criterion: str
) -> tuple[Fraction, int] | None:
    """The tie point x* of `criterion`'s weight and the direction past which the order flips.

    `weights` sum to 1 and `leader` is ahead of (or level with) `runner_up`.  Returns
    (x*, +1) if raising the weight beyond x* puts the runner-up strictly ahead, (x*, −1) if
    lowering it does, None if no weight in [0, 1] does (see the module docstring).
    """
    w_c = weights[criterion]
    if w_c >= 1:
        return None
    lead = total(weights, leader) - total(weights, runner_up)
    if lead < 0:
        raise ValueError(f"{leader.name!r} is behind {runner_up.name!r}; swap them")
    d_c = leader.score(criterion) - runner_up.score(criterion)
    others = (lead - w_c * d_c) / (1 - w_c)  # E = D(0): the lead without criterion c
    if others >= 0 and d_c >= 0:  # D(0) ≥ 0 and D(1) ≥ 0: D ≥ 0 on all of [0, 1]
        return None
    tie = others / (others - d_c)  # D(x*) = 0; the denominator is not 0 (signs differ)
    return tie, (1 if d_c < 0 else -1)


def sensitivity(
    criteria: Mapping[str, Fraction], vendors: Sequence[Vendor], *, lot: str | None = None
) -> list[Flip]:
    """One `Flip` per pair of neighbours in the ranking and per criterion.

    Pairs follow the ranking (1st vs 2nd, 2nd vs 3rd, ...), criteria their given order.
    Weights are normalised first; with a zero weight sum the list is empty.  The flip of
    each pair with the smallest |change| is marked `most_sensitive`.
    """
    ranking = rank(criteria, vendors, lot=lot)
    weights = dict(ranking.weights)
    if sum(weights.values(), Fraction(0)) != 1:
        return []
    by_name = {vendor.name: vendor for vendor in vendors}
    flips: list[Flip] = []
    for first, second in zip(ranking.ranked, ranking.ranked[1:], strict=False):
        leader, runner_up = by_name[first.name], by_name[second.name]
        pair: list[Flip] = []
        for criterion, weight in weights.items():
            point = flip_point(weights, leader, runner_up, criterion)
            if point is None:
                pair.append(
                    Flip(leader.name, runner_up.name, criterion, weight, None, None, None, 0)
                )
            else:
                tie, direction = point
                pair.append(
                    Flip(
                        leader.name,
                        runner_up.name,
                        criterion,
                        weight,
                        tie,
                        tie - weight,
                        runner_up.name,
                        direction,
                    )
                )
        candidates = [flip for flip in pair if flip.change is not None]
        if candidates:
            best = min(candidates, key=lambda f: (abs(f.change or Fraction(0)), f.criterion))
            pair = [
                attrs.evolve(flip, most_sensitive=True) if flip is best else flip for flip in pair
            ]
        flips.extend(pair)
    return flips


def most_sensitive(flips: Iterable[Flip]) -> list[Flip]:
    """The most sensitive flip of each pair, in the order given (pairs without a flip omitted)."""
    return [flip for flip in flips if flip.most_sensitive]
