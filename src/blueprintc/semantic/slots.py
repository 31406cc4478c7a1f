"""The building blocks of field patterns: what each position of a field's value accepts.

A field's value is a sequence of atoms (``80% within 20 s``); its pattern is a sequence of
slots (percentage, the word ``within``, a duration). Slots only describe; matching them
against atoms is :mod:`blueprintc.semantic.check`'s job.
"""

from __future__ import annotations

from typing import TypeAlias

import attrs

from blueprintc.semantic.ranges import Range
from blueprintc.semantic.units import Dims

MAX_KINDS_LISTED = 7
"""A reference accepting more kinds than this is described as naming any declaration."""


@attrs.frozen
class Qty:
    """A number with a unit of one of the allowed dimensions (``()`` is a plain number).

    ``ranges`` are its valid values: the first whose ``dims`` matches the value's (or is
    None) applies.
    """

    what: str
    example: str
    dims: tuple[Dims, ...] = ((),)
    percent: bool = False
    ranges: tuple[Range, ...] = ()
    integer: bool = False
    unit_required: bool = False

    def range_for(self, dims: Dims) -> Range | None:
        """The range that applies to a value of dimension ``dims``."""
        for each in self.ranges:
            if each.dims is None or each.dims == dims:
                return each
        return None


@attrs.frozen
class Ref:
    """A reference to a declaration of one of ``kinds``."""

    kinds: tuple[str, ...]

    @property
    def what(self) -> str:
        if len(self.kinds) > MAX_KINDS_LISTED:
            return "the name of a declaration of any kind"
        return " or ".join(f"a {k} name" for k in self.kinds)


@attrs.frozen
class NewName:
    """The name a sub-declaration introduces (the promise name in ``promise fast_answer``)."""

    kind: str
    what: str = "a name"


@attrs.frozen
class Choice:
    """One word of a fixed set."""

    choices: tuple[str, ...]
    what: str

    @property
    def example(self) -> str:
        return self.choices[0]


@attrs.frozen
class Literal:
    """A fixed connecting word such as ``within``, ``to``, ``because``."""

    word: str


@attrs.frozen
class TextSlot:
    """A text in double quotes."""

    what: str = "a text in double quotes"


@attrs.frozen
class DateSlot:
    """``2027-01`` or ``2027-01-15``."""

    what: str = "a date such as `2027-01`"


@attrs.frozen
class TimeRange:
    """``08:00-20:00``."""

    what: str = "opening times such as `08:00-20:00`"


@attrs.frozen
class Days:
    """A day (``sat``), a range of days (``mon..fri``) or ``daily``."""

    what: str = "days such as `mon..fri` or `sat`"


@attrs.frozen
class Month:
    """A month of the year (``jan`` ... ``dec``)."""

    what: str = "a month such as `nov`"


@attrs.frozen
class Currency:
    """A three-letter currency code such as ``USD``."""

    what: str = "a currency code such as `USD`"


@attrs.frozen
class CodeSlot:
    """A diagnostic code such as ``CXB0501``."""

    what: str = "a diagnostic code such as `CXB0205`"


@attrs.frozen
class Optional:
    """Slots that may be left out together; the first one decides whether they are present."""

    slots: tuple[Slot, ...]


Slot: TypeAlias = (
    Qty
    | Ref
    | NewName
    | Choice
    | Literal
    | TextSlot
    | DateSlot
    | TimeRange
    | Days
    | Month
    | Currency
    | CodeSlot
    | Optional
)

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
