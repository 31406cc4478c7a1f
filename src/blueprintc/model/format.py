"""Format model values for messages and documents: percentages, money, durations."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

_PRECISION = 28  # the decimal module's default: the digits every figure used to get


def _decimal(value: Fraction, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimals, however many digits its whole part has.

    The decimal module's default 28 significant digits cannot hold the cents of a total
    beyond 10^26 (a valid design of a million seats over 30 years can cost that); the
    precision grows with the number instead of failing.
    """
    whole_digits = abs(value.numerator // value.denominator).bit_length() * 30103 // 100_000 + 1
    with localcontext() as context:
        context.prec = max(_PRECISION, whole_digits + places + 1)
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def number(value: Fraction, places: int = 2) -> str:
    """``1234.5`` -> ``1,234.5``; trailing zeros dropped, at most ``places`` decimals."""
    text = f"{_decimal(value, places):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: Fraction) -> str:
    """A fraction as a percentage: ``Fraction(4, 5)`` -> ``80%``."""
    return f"{number(value * 100, 1)}%"


def money(value: Fraction, currency: str) -> str:
    """An amount with thousands separators and cents: ``1,100,000.00 USD``."""
    return f"{_decimal(value, 2):,f} {currency}"


def duration(seconds: Fraction) -> str:
    """Seconds in the most readable unit: ``20 s``, ``4.5 min``, ``24 h``, ``3 months``."""
    for unit, size in (("years", 31_536_000), ("months", 2_628_000), ("h", 3600), ("min", 60)):
        if seconds >= size and (seconds / size).denominator in (1, 2, 4, 5, 10):
            return f"{number(seconds / size, 2)} {unit}"
    return f"{number(seconds, 2)} s"
