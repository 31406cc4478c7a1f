"""Checked values: what a field's atoms mean once units, names and ranges are understood."""

from __future__ import annotations

from fractions import Fraction

import attrs

from blueprintc.semantic.units import Dims
from blueprintc.source import Span


@attrs.frozen
class QuantityValue:
    """A quantity in canonical units (seconds, fractions, the blueprint's currency).

    The value is an exact rational number, so conversions never lose a cent.
    """

    value: Fraction
    dims: Dims
    written: str
    span: Span
    percent: bool = False


@attrs.frozen
class RefValue:
    """A resolved reference to a declaration ``(kind, name)``."""

    kind: str
    name: str
    span: Span


@attrs.frozen
class WordValue:
    """A word from a fixed set, a connecting word or a new name."""

    word: str
    span: Span


@attrs.frozen
class TextValue:
    """A quoted text."""

    text: str
    span: Span


@attrs.frozen
class DateValue:
    """A month (day None) or a day."""

    year: int
    month: int
    day: int | None
    span: Span


@attrs.frozen
class TimeRangeValue:
    """Opening minutes of the day, [start, end)."""

    start: int
    end: int
    span: Span


@attrs.frozen
class DaysValue:
    """Days of the week, 0 = Monday."""

    days: tuple[int, ...]
    span: Span


Value = QuantityValue | RefValue | WordValue | TextValue | DateValue | TimeRangeValue | DaysValue


@attrs.frozen
class FieldValue:
    """One occurrence of a field: the values of each comma-separated argument and its block."""

    name: str
    args: tuple[tuple[Value, ...], ...]
    span: Span
    block: tuple[FieldValue, ...] | None = None

    @property
    def first(self) -> tuple[Value, ...]:
        return self.args[0] if self.args else ()
