"""Valid ranges of quantities: data the checks, the reference and the editor all read.

A ``Range`` holds its bounds in canonical units (seconds, fractions for percentages,
the blueprint's currency, per second for rates), the unit a consultant reads them in and
the reason for them: physical sense (a share is at most 100%) or what the solvers can
take safely (a horizon of at most 30 years). ``describe`` words it for messages and docs.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import attrs

from blueprintc.semantic.units import TIME_UNITS, Dims

_TIME_WORDS = (
    ("year", "years", TIME_UNITS["year"]),
    ("month", "months", TIME_UNITS["month"]),
    ("week", "weeks", TIME_UNITS["week"]),
    ("day", "days", TIME_UNITS["day"]),
    ("h", "h", TIME_UNITS["h"]),
    ("min", "min", TIME_UNITS["min"]),
    ("s", "s", TIME_UNITS["s"]),
)
CURRENCY = "{currency}"
"""Placeholder in ``Range.unit`` for the blueprint's currency (``{currency}/seat/year``)."""


@attrs.frozen
class Range:
    """The values a quantity may take, in canonical units, and why.

    ``unit`` is the written unit the bounds are shown in (``%``, ``min``, ``/year``,
    ``{currency}/seat/year``; a time unit means the bounds are shown as durations) and
    ``factor`` its size in canonical units, so ``hi / factor`` written with ``unit`` is the
    largest valid value. ``dims`` limits the range to one dimension of a quantity that
    accepts several (``None``: all). ``step`` asks for whole multiples (whole months);
    ``allowed`` lists the only valid values.
    """

    lo: Fraction | None = None
    hi: Fraction | None = None
    lo_inclusive: bool = True
    hi_inclusive: bool = True
    unit: str = ""
    factor: Fraction = Fraction(1)
    reason: str = ""
    dims: Dims | None = None
    step: Fraction | None = None
    allowed: tuple[Fraction, ...] = ()

    def too_low(self, value: Fraction) -> bool:
        if self.lo is None:
            return False
        return value < self.lo if self.lo_inclusive else value <= self.lo

    def too_high(self, value: Fraction) -> bool:
        if self.hi is None:
            return False
        return value > self.hi if self.hi_inclusive else value >= self.hi

    def off_step(self, value: Fraction) -> bool:
        return self.step is not None and (value / self.step).denominator != 1

    def contains(self, value: Fraction) -> bool:
        """Whether ``value`` (canonical units) is valid."""
        if self.allowed:
            return value in self.allowed
        return not (self.too_low(value) or self.too_high(value) or self.off_step(value))

    def written(self, value: Fraction, currency: str | None = None) -> str:
        """``value`` (canonical) in this range's unit: ``30 years``, ``1,000,000,000/year``."""
        if self.unit in TIME_UNITS:
            return duration(value)
        unit = self.unit.replace(CURRENCY, currency or "(the blueprint's currency)")
        amount = _number(value / self.factor)
        if not unit:
            return amount
        return f"{amount}{unit}" if unit[0] in "%/" else f"{amount} {unit}"

    def describe(self, currency: str | None = None) -> str:
        """The range in words: ``at least 1 month and at most 30 years``."""
        if self.allowed:
            values = [self.written(v, currency) for v in self.allowed]
            return ", ".join(values[:-1]) + " or " + values[-1]
        lo = None if self.lo is None else self.written(self.lo, currency)
        hi = None if self.hi is None else self.written(self.hi, currency)
        parts = []
        if lo is not None:
            parts.append(f"{'at least' if self.lo_inclusive else 'more than'} {lo}")
        if hi is not None:
            parts.append(f"{'at most' if self.hi_inclusive else 'less than'} {hi}")
        text = " and ".join(parts)
        if self.step is not None:
            text += f", in whole {_plural(self.written(self.step, currency))}"
        return text


def duration(seconds: Fraction) -> str:
    """Seconds in the largest unit that writes them exactly: ``30 days``, ``4.5 min``."""
    for one, many, size in _TIME_WORDS:
        count = seconds / size
        if seconds and abs(count) >= 1 and (count * 10).denominator == 1:
            return f"{_number(count)} {one if count == 1 else many}"
    return f"{_number(seconds)} s"


def _plural(written: str) -> str:
    """``1 month`` -> ``months``: the unit of a one-unit step."""
    number, _, unit = written.partition(" ")
    return unit if number == "1" and unit.endswith("s") else (unit + "s" if unit else written)


def _number(value: Fraction) -> str:
    """Digits with thousands separators, up to six decimals, trailing zeros dropped."""
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        text = f"{round(exact, 6):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
