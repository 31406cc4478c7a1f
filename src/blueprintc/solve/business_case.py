"""The business case: the change from doing nothing to the design, month by month.

Plain data only (Fractions and sequences of them); this module never sees the blueprint
model. It reuses :mod:`blueprintc.solve.finance` for every rate, present value and IRR,
so its conventions are those of docs/finance.md:

* **Inputs**, per month of the horizon (month 0 is the blueprint's start), in whole
  cents: the *do-nothing* operating cost (today's center run unchanged over the horizon),
  the design's capital and operating expenditure, and the declared benefits (money the
  change brings in that is not a cost avoided, such as retention revenue).
* **Savings** of a month = do-nothing operating cost − design operating cost. They are
  negative in a month where the design runs dearer than today's center (during an
  overlap, for example).
* **Investment** = the design's capital expenditure.
* **Net cash flow** of a month = savings + benefits − investment; the **cumulative** net
  cash flow is its running sum at the end of each month.
* **Payback**: the number of months from the start to the end of the first month from
  which the cumulative net cash flow stays at or above zero until the horizon ends (1: it
  is already reached at the end of the first month). None when the cumulative net cash
  flow is negative at the end of the horizon: the change does not pay back *within the
  horizon* (it may later; the horizon does not say).
* **ROI** over the horizon = (savings + benefits − investment) ÷ investment, all summed
  over the horizon, undiscounted. None without investment (nothing to return on).
* **IRR**: the monthly rate at which the net cash flows' present value is zero
  (:func:`blueprintc.solve.finance.irr`, the root closest to zero when there are several),
  annualised as (1 + monthly)^12 − 1. None when the net cash flow never changes sign (all
  gains or all losses: no rate makes them balance).
* **NPV of the change**: the net cash flows discounted at the blueprint's effective annual
  rate with end-of-month timing (:func:`blueprintc.solve.finance.npv`), rounded to the cent.
  It equals the NPV of the do-nothing costs − the NPV of the design's costs + the NPV of
  the benefits, up to a cent or two of rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs

from blueprintc.solve import finance as fin


@attrs.frozen
class CaseFigures:
    """The business case's monthly series and its headline figures."""

    savings: fin.Series
    """Do-nothing operating cost − design operating cost, per month, year and in total."""
    benefits: fin.Series
    """The declared benefits, per month, year and in total."""
    investment: fin.Series
    """The design's capital expenditure."""
    net: fin.Series
    """Savings + benefits − investment."""
    cumulative: tuple[Fraction, ...]
    """Cumulative net cash flow at the end of each month."""
    payback: int | None
    """Months from the start to the end of the payback month; None: not within the horizon."""
    roi: Fraction | None
    """(savings + benefits − investment) ÷ investment over the horizon; None: no investment."""
    irr: float | None
    """Effective annual internal rate of return; None: the net cash flow never changes sign."""
    irr_monthly: float | None
    """The monthly rate behind ``irr``."""
    npv: Fraction
    """Present value of the net cash flows at the discount rate, to the cent."""

    @property
    def payback_index(self) -> int | None:
        """The payback month as a month index (0: the first month), or None."""
        return None if self.payback is None else self.payback - 1


def payback(cumulative: Sequence[Fraction]) -> int | None:
    """Months until the cumulative net cash flow stays at or above zero (see the module)."""
    months = len(cumulative)
    first = months
    while first > 0 and cumulative[first - 1] >= 0:
        first -= 1
    if first == months:  # negative at the end of the horizon (or no months at all)
        return None
    return first + 1


def roi(gains: Fraction, investment: Fraction) -> Fraction | None:
    """(gains − investment) ÷ investment, None without a positive investment."""
    if investment <= 0:
        return None
    return (gains - investment) / investment


def changes_sign(flows: Sequence[Fraction]) -> bool:
    """True iff ``flows`` hold both a positive and a negative amount."""
    return any(f > 0 for f in flows) and any(f < 0 for f in flows)


def irr(flows: Sequence[Fraction]) -> tuple[float | None, float | None]:
    """(effective annual IRR, monthly IRR) of monthly flows; (None, None) without a sign
    change or when no real rate balances them."""
    if not changes_sign(flows):
        return None, None
    monthly = fin.irr(flows)
    if monthly is None:
        return None, None
    return fin.effective_annual_rate(monthly), monthly


def benefit_months(
    per_month: fin.Amount, first: int, ramp: int, horizon: int
) -> tuple[Fraction, ...]:
    """A benefit's monthly amounts over the horizon, rounded to the cent.

    Nothing before month ``first`` (an index from the start; negative when the benefit
    began before it). With ``ramp`` N > 0 the benefit grows linearly over its first N
    months, reaching its full amount in the N-th: month k (0-based from ``first``) brings
    ``per_month`` × min(1, (k + 1) ÷ N). Months outside the horizon are dropped.
    """
    if ramp < 0:
        raise ValueError("ramp must not be negative")
    if horizon < 0:
        raise ValueError("horizon must not be negative")
    amount = fin.exact(per_month)
    result = []
    for t in range(horizon):
        k = t - first
        if k < 0:
            share = Fraction(0)
        elif ramp and k + 1 < ramp:
            share = Fraction(k + 1, ramp)
        else:
            share = Fraction(1)
        result.append(fin.to_cents(amount * share))
    return tuple(result)


def _cents(values: Sequence[fin.Amount], horizon: int, what: str) -> tuple[Fraction, ...]:
    months = tuple(fin.exact(v) for v in values)
    if len(months) != horizon:
        raise ValueError(f"{what} has {len(months)} months, the horizon {horizon}")
    for index, value in enumerate(months):
        if not fin.is_cents(value):
            raise ValueError(f"{what}, month {index}: {value} is not a whole number of cents")
    return months


def business_case(
    do_nothing: Sequence[fin.Amount],
    capex: Sequence[fin.Amount],
    opex: Sequence[fin.Amount],
    benefits: Sequence[fin.Amount],
    annual_rate: fin.Amount,
    *,
    offset: int = 0,
) -> CaseFigures:
    """The business case of monthly series of one horizon, each in whole cents.

    ``do_nothing`` is the do-nothing operating cost, ``capex`` and ``opex`` the design's,
    ``benefits`` the declared benefits' total; ``annual_rate`` the effective annual
    discount rate; ``offset`` the months of the first year before month 0 (as
    :class:`blueprintc.solve.finance.Series`: 0 for project years).
    """
    horizon = len(do_nothing)
    base = _cents(do_nothing, horizon, "the do-nothing cost")
    invest = _cents(capex, horizon, "the capex")
    running = _cents(opex, horizon, "the opex")
    gains = _cents(benefits, horizon, "the benefits")
    savings = tuple(b - o for b, o in zip(base, running, strict=True))
    net = tuple(s + g - c for s, g, c in zip(savings, gains, invest, strict=True))
    cumulative: list[Fraction] = []
    total = Fraction(0)
    for value in net:
        total += value
        cumulative.append(total)
    annual, monthly = irr(net)
    saved, brought, spent = fin.total(savings), fin.total(gains), fin.total(invest)
    return CaseFigures(
        savings=fin.Series.of(savings, offset=offset),
        benefits=fin.Series.of(gains, offset=offset),
        investment=fin.Series.of(invest, offset=offset),
        net=fin.Series.of(net, offset=offset),
        cumulative=tuple(cumulative),
        payback=payback(cumulative),
        roi=roi(saved + brought, spent),
        irr=annual,
        irr_monthly=monthly,
        npv=fin.npv(annual_rate, net),
    )


__all__ = [
    "CaseFigures",
    "benefit_months",
    "business_case",
    "changes_sign",
    "irr",
    "payback",
    "roi",
]
