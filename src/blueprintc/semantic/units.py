"""Units of measure: what a unit word means, its dimension and its factor to canonical units.

Canonical units: seconds for time, the blueprint's currency for money, square feet for
area, a fraction (0.08) for a percentage (8%). A year is 365 days and a month is a
twelfth of a year (30.42 days); a week is 7 days. Counting units (``seat``, ``agent``,
``contact``, ...) are dimensions of their own, so ``USD/seat/month`` cannot be mistaken
for ``USD/month``.
"""

from __future__ import annotations

import re
from fractions import Fraction

import attrs

from blueprintc.diagnostics.suggest import did_you_mean

Dims = tuple[tuple[str, int], ...]
NONE: Dims = ()

_DAY = Fraction(86_400)
_YEAR = 365 * _DAY
TIME_UNITS: dict[str, Fraction] = {
    **dict.fromkeys(("s", "sec", "second", "seconds"), Fraction(1)),
    **dict.fromkeys(("min", "minute", "minutes"), Fraction(60)),
    **dict.fromkeys(("h", "hr", "hour", "hours"), Fraction(3600)),
    **dict.fromkeys(("day", "days"), _DAY),
    **dict.fromkeys(("week", "weeks"), 7 * _DAY),
    **dict.fromkeys(("month", "months"), _YEAR / 12),
    **dict.fromkeys(("year", "years", "yr"), _YEAR),
}
_SQFT_PER_M2 = Fraction("10.7639104")
SQFT_PER_M2 = _SQFT_PER_M2  # square feet in a square metre, as areas are converted
COUNT_UNITS: dict[str, tuple[str, Fraction]] = {
    **dict.fromkeys(("seat", "seats", "workstation", "workstations"), ("seat", Fraction(1))),
    **dict.fromkeys(("agent", "agents"), ("agent", Fraction(1))),
    **dict.fromkeys(("user", "users"), ("user", Fraction(1))),
    **dict.fromkeys(
        ("contact", "contacts", "call", "calls", "interaction", "interactions"),
        ("contact", Fraction(1)),
    ),
    **dict.fromkeys(("email", "emails"), ("contact", Fraction(1))),
    **dict.fromkeys(("chat", "chats", "session", "sessions"), ("contact", Fraction(1))),
    **dict.fromkeys(("message", "messages", "sms"), ("message", Fraction(1))),
    **dict.fromkeys(("customer", "customers", "member", "members"), ("customer", Fraction(1))),
    **dict.fromkeys(("fte", "FTE"), ("fte", Fraction(1))),
    **dict.fromkeys(("licence", "licences", "license", "licenses"), ("licence", Fraction(1))),
    **dict.fromkeys(("sqft", "ft2"), ("area", Fraction(1))),
    **dict.fromkeys(("m2", "sqm"), ("area", _SQFT_PER_M2)),
}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
KNOWN_UNIT_WORDS = sorted({*TIME_UNITS, *COUNT_UNITS})


@attrs.frozen
class UnitInfo:
    """What a written unit means: factor to canonical units, dimension, percent, currency."""

    factor: Fraction
    dims: Dims
    percent: bool = False
    currency: str | None = None


@attrs.frozen
class UnitError:
    """Why a unit could not be understood; ``currency`` marks an undeclared currency."""

    message: str
    help: str | None
    currency: bool = False


def _multiply(dims: dict[str, int], base: str, exponent: int) -> None:
    dims[base] = dims.get(base, 0) + exponent
    if dims[base] == 0:
        del dims[base]


def word_unit(word: str, exchange: dict[str, Fraction]) -> tuple[Fraction, str, str | None] | None:
    """(factor, base dimension, currency) of one unit word, or None when unknown."""
    if word in TIME_UNITS:
        return TIME_UNITS[word], "time", None
    if word in COUNT_UNITS:
        base, factor = COUNT_UNITS[word]
        return factor, base, None
    if word in exchange:
        return exchange[word], "money", word
    return None


def interpret(
    numerator: str | None, per: tuple[str, ...], exchange: dict[str, Fraction]
) -> UnitInfo | UnitError:
    """Interpret ``numerator/per[0]/per[1]...``; ``exchange`` maps currency -> factor."""
    dims: dict[str, int] = {}
    factor = Fraction(1)
    percent = numerator == "%"
    currency = None
    if percent:
        factor = Fraction("0.01")
    words = [(numerator, 1)] if numerator and not percent else []
    words += [(word, -1) for word in per]
    for word, exponent in words:
        assert word is not None
        found = word_unit(word, exchange)
        if found is None:
            return _unknown(word, exchange)
        word_factor, base, word_currency = found
        currency = currency or word_currency
        factor = factor * word_factor if exponent > 0 else factor / word_factor
        _multiply(dims, base, exponent)
    return UnitInfo(factor, tuple(sorted(dims.items())), percent, currency)


def _unknown(word: str, exchange: dict[str, Fraction]) -> UnitError:
    if _CURRENCY.match(word):
        declared = ", ".join(f"`{c}`" for c in sorted(exchange))
        known = f" ({declared})" if declared else ""
        return UnitError(
            f"the currency `{word}` is not declared",
            f"use the blueprint's currency{known}, or declare a rate with "
            f"`exchange {word} <rate>` in the `blueprint` block",
            currency=True,
        )
    return UnitError(
        f"unknown unit `{word}`",
        did_you_mean(word, [*KNOWN_UNIT_WORDS, *exchange])
        or "units are s, min, h, day, week, month, year, %, a currency code, seat, agent, "
        "contact, user, message, customer, fte, licence, sqft, m2",
    )


def describe_dims(dims: Dims, percent: bool = False) -> str:
    """Plain words for a dimension, for messages: ``money per seat per time``."""
    if not dims:
        return "a percentage" if percent else "a plain number"
    top = [base for base, exp in dims if exp > 0]
    bottom = [base for base, exp in dims if exp < 0]
    words = {"time": "a duration", "money": "an amount of money", "area": "an area"}
    head = " × ".join(words.get(b, f"a number of {b}s") for b in top) or "a rate"
    if percent:
        head = "a percentage"
    for base in bottom:
        head += f" per {'time period' if base == 'time' else base}"
    return head
