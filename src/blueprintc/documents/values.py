"""How figures are shown: the Jinja filters of the templates and the JSON encoding of views.

Templates never compute; they pick a format. Rounding is half-even on exact values
(money is exact to the cent), so the same figure prints the same in every document.
"""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

import attrs

from blueprintc.documents import presentation
from blueprintc.documents.context import Where

Number = Fraction | int | float


def _decimal(value: Number, places: int) -> Decimal:
    if isinstance(value, float):
        exact = Decimal(repr(value))
    elif type(value) is int:
        exact = Decimal(value)  # as by its fraction: what does not fit fails to quantize
    else:
        value = Fraction(value)
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(_quantum(places), rounding=ROUND_HALF_EVEN)


@functools.cache
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def _finite(value: Number | None) -> bool:
    return value is not None and not (isinstance(value, float) and not math.isfinite(value))


def num(value: Number | None, places: int = 0) -> str:
    """``12345.678`` -> ``12,345.68`` with ``places=2``; ``-`` for a missing value."""
    if not _finite(value):
        return "-"
    assert value is not None
    rounded = _decimal(value, places)
    if rounded == 0 and places == 0:
        return "0"
    shown = presentation.current()
    if not shown.plain:
        return shown.number(rounded, places)
    return f"{rounded:,f}"


def money(value: Number | None, places: int = 0) -> str:
    """Money without the currency (tables state it in their header): ``1,234,567``."""
    return num(value, places)


def pct(value: Number | None, places: int = 1) -> str:
    """A share as a percentage: ``0.8`` -> ``80.0%``."""
    if not _finite(value):
        return "-"
    assert value is not None
    shown = presentation.current()
    if not shown.plain:
        return shown.percent(_decimal(value * 100, places), places)
    return f"{num(value * 100, places)}%"


def area(value: Number | None, places: int = 0) -> str:
    """An area held in square feet, in the set's unit (square metres when metric)."""
    if not _finite(value):
        return "-"
    assert value is not None
    exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    return num(presentation.current().area(exact), places)


def seconds(value: Number | None) -> str:
    """A duration in seconds as ``45 s``, ``4 min 30 s``, ``2 h``, ``3 days``."""
    if not _finite(value):
        return "-"
    assert value is not None
    total = int(_decimal(value, 0))
    if total < 120:
        return f"{total} s"
    if total < 7200:
        minutes, rest = divmod(total, 60)
        return f"{minutes} min" + (f" {rest} s" if rest else "")
    if total < 172800:
        hours, rest = divmod(total, 3600)
        return f"{hours} h" + (f" {rest // 60} min" if rest >= 60 else "")
    return f"{num(Fraction(total, 86400), 1)} days"


_SCALES = ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"))


def compact(value: Number | None, digits: int = 3) -> str:
    """A figure for a reader in a hurry: ``digits`` significant digits and a word for its
    size from 10,000 up (``19375324`` -> ``19.4 million``, ``955000`` -> ``955 thousand``,
    ``-73506.47`` -> ``-73.5 thousand``); below, the whole number (``9,870``). The views
    and the JSON keep the exact figure; only the text is rounded."""
    if not _finite(value):
        return "-"
    assert value is not None
    exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    if abs(exact) < 10_000:
        return num(exact)
    scale, word = next((s, w) for s, w in _SCALES if abs(exact) >= s)
    mantissa = exact / scale
    places = max(0, digits - len(str(int(abs(mantissa)))))
    text = num(mantissa, places)
    if abs(_decimal(mantissa, places)) >= 1000 and scale < _SCALES[0][0]:
        bigger = next(s for s, _ in reversed(_SCALES) if s > scale)
        return compact(Fraction(bigger) * (1 if exact > 0 else -1), digits)
    return f"{text} {word}"


FILTERS: dict[str, Callable[..., str]] = {
    "num": num,
    "money": money,
    "pct": pct,
    "seconds": seconds,
    "compact": compact,
}


def json_value(value: Any) -> Any:
    """JSON form of one value: exact decimals as strings, floats to 6 places, None kept."""
    kind: type = type(value)
    if kind in AS_IS:
        return value
    if kind is list or kind is tuple:
        return [json_value(v) for v in value]
    names = _field_names(kind)
    if names is not None:
        return {name: json_value(getattr(value, name)) for name in names}
    return _json_value(value)


AS_IS: frozenset[type] = frozenset({str, int, bool, type(None)})
"""The types whose values `json_value` returns as they are (exactly these, not subclasses)."""
_NOT_OBJECTS = (str, int, Fraction, float, Where, Decimal, enum.Enum)  # before attrs below


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The keys of ``kind``'s JSON object, None when it has another form (``_json_value``)."""
    if issubclass(kind, _NOT_OBJECTS) or not attrs.has(kind):
        return None
    return tuple(f.name for f in attrs.fields(kind) if not f.name.startswith("_"))


def _json_value(value: Any) -> Any:
    """``json_value`` of a value that is not a plain one, a list or an attrs object of a
    class seen before."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, Fraction):
        return _fraction_text(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        rounded = round(value, 6)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, Where):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return json_value(value.value)
    if attrs.has(type(value)):
        return {
            f.name: json_value(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if not f.name.startswith("_")
        }
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [json_value(v) for v in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")


def _fraction_text(value: Fraction) -> str:
    """Exact when the decimal expansion ends (money, shares); else rounded to 6 places."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        text = format(exact, "f")
        return text
    return format(_decimal(value, 6), "f")
