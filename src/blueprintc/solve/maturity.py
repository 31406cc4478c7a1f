"""Maturity index: how much of the practice catalogue is in place now and in the target.

Input is names, numbers and tuples only (this package never sees the blueprint model):
the catalogue is a sequence of `Practice` values, the positions are sets of practice
names.  All arithmetic is exact (`fractions.Fraction`); round only for display
(`one_decimal`).

Conventions (docs/planning.md):

* **Tier values**: standard = 1, best = 2, next = 3, so a practice counts weight × tier
  value and higher tiers are rewarded.  (`tier_values` can replace them, e.g. all 1 when
  the weights already encode the tier.)
* **Layer index** = Σ over the layer's practices in place (weight × tier value)
  ÷ Σ over all the layer's catalogue practices (weight × tier value) × 100, from 0 to 100.
  A layer without catalogue practices has no index (None), not a division by zero.
* **Overall index** = the same ratio over the whole catalogue, i.e. the layer indices
  weighted by each layer's catalogue total.  Every practice then counts the same wherever
  it sits, and layers without practices drop out without a special case; a plain mean of
  the layers would let one practice added to a small layer move the overall index as much
  as a whole large layer.  With the standard library's catalogue (every layer the same
  total) the two coincide.
* **Target position** = current ∪ target − retired: a practice in place stays in place
  unless it is explicitly retired, so the target index is never below the current one
  when nothing is retired.  The blueprint language has no way to retire a practice yet,
  so the compiler passes none; current practices the target list does not name are
  reported in `carried` (they may be meant to be replaced).
* **Gaps** = target position − current: practices to introduce, the work items for
  phasing.  Gaps, retired and carried practices are sorted by layer (brand, business,
  financial, operational, technology: the layers top-down), then tier (standard, best,
  next), then name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import Final

import attrs

LAYERS: Final = ("brand", "business", "financial", "operational", "technology")
"""The five layers, top-down; results and sorting follow this order."""
TIER_VALUES: Final[Mapping[str, Fraction]] = MappingProxyType(
    {"standard": Fraction(1), "best": Fraction(2), "next": Fraction(3)}
)
"""The value of each tier in the index (higher tiers are rewarded)."""


def _fraction(value: Fraction | int) -> Fraction:
    return Fraction(value)


@attrs.frozen
class Practice:
    """A catalogue practice: its layer, tier (standard, best, next) and weight (> 0)."""

    name: str
    layer: str
    tier: str
    weight: Fraction = attrs.field(default=Fraction(1), converter=_fraction)

    def __attrs_post_init__(self) -> None:
        if self.layer not in LAYERS:
            raise ValueError(f"practice {self.name!r}: unknown layer {self.layer!r}")
        if self.tier not in TIER_VALUES:
            raise ValueError(f"practice {self.name!r}: unknown tier {self.tier!r}")
        if self.weight <= 0:
            raise ValueError(f"practice {self.name!r}: weight {self.weight} is not above 0")


@attrs.frozen
class LayerIndex:
    """One layer's index (0 to 100) now and in the target; None without catalogue practices."""

    layer: str
    current: Fraction | None
    target: Fraction | None
    catalogue: Fraction
    """Σ weight × tier value over the layer's catalogue practices (0 if it has none)."""


@attrs.frozen
class MaturityResult:
    """Per-layer and overall indices (exact), the gaps to close and the practices retired."""

    layers: tuple[LayerIndex, ...]
    """One entry per layer, in `LAYERS` order."""
    current: Fraction | None
    target: Fraction | None
    gaps: tuple[Practice, ...]
    """Practices in the target position but not in place now: the work items for phasing."""
    retired: tuple[Practice, ...]
    """Practices in place now but not in the target position (explicitly retired)."""
    carried: tuple[Practice, ...]
    """Practices in place now that the target list does not name (kept by convention)."""

    def layer(self, name: str) -> LayerIndex:
        """The index of layer `name` (KeyError for an unknown layer)."""
        for entry in self.layers:
            if entry.layer == name:
                return entry
        raise KeyError(name)


def _order(tier_values: Mapping[str, Fraction]) -> Callable[[Practice], tuple[int, Fraction, str]]:
    def key(practice: Practice) -> tuple[int, Fraction, str]:
        return LAYERS.index(practice.layer), tier_values[practice.tier], practice.name

    return key


def maturity_index(
    practices: Sequence[Practice],
    current: Iterable[str],
    target: Iterable[str],
    *,
    retired: Iterable[str] = (),
    tier_values: Mapping[str, Fraction] = TIER_VALUES,
) -> MaturityResult:
    """The maturity index of the current and target positions, per layer and overall.

    `current`, `target` and `retired` name catalogue practices (ValueError for an unknown
    or duplicate practice, or a practice both targeted and retired).  The target position
    is current ∪ target − retired (see the module docstring).
    """
    catalogue = {practice.name: practice for practice in practices}
    if len(catalogue) != len(practices):
        names = [practice.name for practice in practices]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        raise ValueError(f"duplicate practices: {', '.join(duplicates)}")
    now, listed, dropped = set(current), set(target), set(retired)
    unknown = sorted((now | listed | dropped) - catalogue.keys())
    if unknown:
        raise ValueError(f"unknown practices: {', '.join(unknown)}")
    both = sorted(listed & dropped)
    if both:
        raise ValueError(f"practices both targeted and retired: {', '.join(both)}")
    goal = (now | listed) - dropped

    def value(practice: Practice) -> Fraction:
        return practice.weight * tier_values[practice.tier]

    def points(names: set[str], layer: str | None) -> Fraction:
        return sum(
            (
                value(catalogue[name])
                for name in names
                if layer is None or catalogue[name].layer == layer
            ),
            Fraction(0),
        )

    def index(names: set[str], layer: str | None, whole: Fraction) -> Fraction | None:
        return points(names, layer) / whole * 100 if whole else None

    layers = []
    for layer in LAYERS:
        whole = points(set(catalogue), layer)
        layers.append(LayerIndex(layer, index(now, layer, whole), index(goal, layer, whole), whole))
    whole = points(set(catalogue), None)
    key = _order(tier_values)
    return MaturityResult(
        layers=tuple(layers),
        current=index(now, None, whole),
        target=index(goal, None, whole),
        gaps=tuple(sorted((catalogue[name] for name in goal - now), key=key)),
        retired=tuple(sorted((catalogue[name] for name in now - goal), key=key)),
        carried=tuple(sorted((catalogue[name] for name in (now - listed) & goal), key=key)),
    )


def one_decimal(value: Fraction | None) -> str:
    """`value` rounded half away from zero to one decimal, for display ("–" for None)."""
    if value is None:
        return "–"
    tenths = round_half_up(value * 10)
    whole, digit = divmod(abs(tenths), 10)
    return f"{'-' if tenths < 0 else ''}{whole}.{digit}"


def round_half_up(value: Fraction) -> int:
    """The integer nearest `value`, halves away from zero (exact)."""
    magnitude = (abs(value.numerator) * 2 + value.denominator) // (2 * value.denominator)
    return magnitude if value >= 0 else -magnitude
