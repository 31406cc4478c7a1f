"""Match a field's atoms against its pattern of slots and turn them into checked values."""

from __future__ import annotations

import calendar
import re
from decimal import Decimal
from fractions import Fraction

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.diagnostics import codes as C
from blueprintc.diagnostics.codes import lookup
from blueprintc.diagnostics.suggest import did_you_mean
from blueprintc.semantic import slots as S
from blueprintc.semantic.modules import LoadedModule
from blueprintc.semantic.ranges import Range
from blueprintc.semantic.schema import ASSERT_NUMBER
from blueprintc.semantic.symbols import Resolver
from blueprintc.semantic.units import UnitError, UnitInfo, describe_dims, interpret
from blueprintc.semantic.values import (
    DateValue,
    DaysValue,
    QuantityValue,
    RefValue,
    TextValue,
    TimeRangeValue,
    Value,
    WordValue,
)
from blueprintc.source import Span
from blueprintc.syntax import ast

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_PLAIN = UnitInfo(Fraction(1), ())
_CODE = re.compile(r"^CXB[0-9]{4}$")
TIME = (("time", 1),)


def _text(atom: ast.Atom) -> str:
    return atom.span.text


class SlotChecker:
    """Checks atoms against slots for the declarations of one module at a time."""

    def __init__(
        self,
        sink: DiagnosticSink,
        resolver: Resolver,
        exchange: dict[str, Fraction],
        use_spans: dict[str, list[Span]],
        currency: str | None = None,
    ) -> None:
        self.sink = sink
        self.currency = currency
        self.resolver = resolver
        self.exchange = exchange
        self.use_spans = use_spans
        self.module: LoadedModule | None = None
        self._std_currency_reported: set[str] = set()
        # The same few units recur thousands of times; the exchange rates are fixed.
        self._units: dict[tuple[str | None, tuple[str, ...]], UnitInfo | UnitError] = {}
        self._values: dict[tuple[Decimal, Fraction], Fraction] = {}

    # -- patterns -------------------------------------------------------------------------

    def match(
        self,
        pattern: tuple[S.Slot, ...],
        arg: ast.Arg,
        field: str,
        names: frozenset[str],
        example: str,
        where: str | None = None,
    ) -> tuple[Value, ...] | None:
        """The values of one argument, or None after reporting why it does not fit.

        ``where`` names the value in messages (default: the field).
        """
        atoms = arg.atoms
        out: list[Value] = []
        i = 0
        for slot in pattern:
            group = slot.slots if isinstance(slot, S.Optional) else (slot,)
            if isinstance(slot, S.Optional) and not (
                i < len(atoms) and _accepts(group[0], atoms[i])
            ):
                continue
            for inner in group:
                if i >= len(atoms):
                    self._missing(inner, arg, field, example)
                    return None
                value = self.slot(inner, atoms[i], where or f"`{field}`")
                if value is None:
                    return None
                out.append(value)
                i += 1
        if i < len(atoms):
            self._leftover(atoms[i], field, names, example)
            return None
        return tuple(out)

    def _missing(self, slot: S.Slot, arg: ast.Arg, field: str, example: str) -> None:
        end = arg.span.end
        self.sink.report(
            C.INVALID_VALUE,
            f"`{field}` is incomplete: expected {_what(slot)} after `{arg.span.text}`",
            Span(arg.span.file, max(arg.span.start, end - 1), end),
            help=f"write it as {example}",
        )

    def _leftover(self, atom: ast.Atom, field: str, names: frozenset[str], example: str) -> None:
        if isinstance(atom, ast.Name) and atom.parts[0] in names:
            self.sink.report(
                C.NO_SEPARATOR,
                f"`{atom.text}` looks like the next field, but it continues `{field}`",
                atom.span,
            )
            return
        self.sink.report(
            C.INVALID_VALUE,
            f"unexpected `{_text(atom)}` in `{field}`",
            atom.span,
            help=f"write it as {example}",
        )

    # -- slots ----------------------------------------------------------------------------

    def slot(self, slot: S.Slot, atom: ast.Atom, where: str) -> Value | None:
        """Check one atom against one slot."""
        if isinstance(slot, S.Qty):
            return self._quantity(slot, atom, where)
        if isinstance(slot, S.Ref):
            return self._ref(slot, atom, where)
        if isinstance(slot, S.Choice):
            return self._choice(slot, atom)
        if isinstance(slot, S.Days):
            return self._days(slot, atom)
        if isinstance(slot, S.TimeRange):
            return self._time_range(slot, atom)
        if isinstance(slot, S.DateSlot):
            return self._date(slot, atom)
        if isinstance(slot, S.TextSlot):
            if isinstance(atom, ast.Text):
                return TextValue(atom.value, atom.span)
            return self._expected(slot.what, atom)
        return self._word(slot, atom)

    def _word(self, slot: S.Slot, atom: ast.Atom) -> Value | None:
        word = atom.text if isinstance(atom, ast.Name) else None
        if isinstance(slot, S.Literal):
            if word == slot.word:
                return WordValue(slot.word, atom.span)
            return self._expected(f"`{slot.word}`", atom)
        if isinstance(slot, S.NewName):
            if word is not None and "." not in word:
                return WordValue(word, atom.span)
            return self._expected(slot.what, atom)
        if isinstance(slot, S.Month):
            return self._choice(S.Choice(S.MONTH_NAMES, slot.what), atom)
        if isinstance(slot, S.Currency):
            if word is not None and _CURRENCY.match(word):
                return WordValue(word, atom.span)
            return self._expected(slot.what, atom)
        assert isinstance(slot, S.CodeSlot)
        code = lookup(word) if word else None
        if word is not None and _CODE.match(word) and code is not None:
            return WordValue(code.id, atom.span)
        return self._expected(slot.what, atom)

    def _expected(self, what: str, atom: ast.Atom) -> Value | None:
        """Report that ``atom`` is not ``what``; returns None so callers can return it."""
        self.sink.report(C.INVALID_VALUE, f"expected {what}, found `{_text(atom)}`", atom.span)
        return None

    def _ref(self, slot: S.Ref, atom: ast.Atom, where: str) -> Value | None:
        if not isinstance(atom, ast.Name):
            return self._expected(slot.what, atom)
        assert self.module is not None
        symbol = self.resolver.resolve(atom, slot.kinds, self.module, where)
        if symbol is None:
            return None
        return RefValue(symbol.kind, symbol.name, atom.span)

    def _choice(self, slot: S.Choice, atom: ast.Atom) -> Value | None:
        if not isinstance(atom, ast.Name):
            return self._expected(slot.what, atom)
        if atom.text in slot.choices:
            return WordValue(atom.text, atom.span)
        self.sink.report(
            C.INVALID_CHOICE,
            f"`{atom.text}` is not allowed here; expected {slot.what}",
            atom.span,
            help=did_you_mean(atom.text, slot.choices),
        )
        return None

    # -- quantities -----------------------------------------------------------------------

    def unit_of(self, atom: ast.Quantity) -> UnitInfo | None:
        """Interpret a quantity's unit, reporting unknown units and currencies."""
        if atom.unit is None:
            return _PLAIN
        key = (atom.unit.numerator, atom.unit.per)
        info = self._units.get(key)
        if info is None:
            info = self._units[key] = interpret(atom.unit.numerator, atom.unit.per, self.exchange)
        if isinstance(info, UnitError):
            self._unit_error(info, atom.unit)
            return None
        return info

    def _unit_error(self, error: UnitError, unit: ast.Unit) -> None:
        module = self.module
        if error.currency and module is not None and module.is_std:
            if module.key not in self._std_currency_reported:
                self._std_currency_reported.add(module.key)
                for span in self.use_spans.get(module.key, [])[:1]:
                    self.sink.report(
                        C.UNKNOWN_CURRENCY,
                        f"the prices in `{module.key}` are in {unit.numerator}",
                        span,
                        help=f"declare `exchange {unit.numerator} <rate>` in the blueprint block",
                    )
            return
        code = C.UNKNOWN_CURRENCY if error.currency else C.UNKNOWN_UNIT
        self.sink.report(code, error.message, unit.span, help=error.help)

    def _quantity(self, slot: S.Qty, atom: ast.Atom, where: str) -> Value | None:
        if not isinstance(atom, ast.Quantity):
            self.sink.report(
                C.INVALID_VALUE,
                f"expected {slot.what} such as `{slot.example}`, found `{_text(atom)}`",
                atom.span,
            )
            return None
        info = self.unit_of(atom)
        if info is None:
            return None
        if not self._unit_fits(slot, atom, info):
            return None
        key = (atom.value, info.factor)
        value = self._values.get(key)
        if value is None:
            value = self._values[key] = Fraction(atom.value) * info.factor
        if not self._in_range(slot, atom, value, info, where):
            return None
        return QuantityValue(value, info.dims, atom.text, atom.span, info.percent)

    def _unit_fits(self, slot: S.Qty, atom: ast.Quantity, info: UnitInfo) -> bool:
        missing_unit = atom.unit is None and (slot.unit_required or slot.percent or slot.dims[0])
        if not missing_unit and info.percent == slot.percent and info.dims in slot.dims:
            return True
        if missing_unit:
            message = f"`{atom.text}` has no unit; expected {slot.what} such as `{slot.example}`"
        else:
            found = describe_dims(info.dims, info.percent)
            message = f"expected {slot.what} such as `{slot.example}`, but `{atom.text}` is {found}"
        self.sink.report(C.UNIT_MISMATCH, message, atom.span)
        return False

    def _in_range(
        self, slot: S.Qty, atom: ast.Quantity, value: Fraction, info: UnitInfo, where: str
    ) -> bool:
        limits = slot.range_for(info.dims)
        if limits is not None and not limits.contains(value):
            self.sink.report(
                C.OUT_OF_RANGE,
                f"{where} must be {limits.describe(self.currency)}; "
                f"`{atom.text}` is {_verdict(limits, value, info)}",
                atom.span,
                help=limits.reason or None,
            )
            return False
        if slot.integer and value.denominator != 1:
            self.sink.report(
                C.OUT_OF_RANGE, f"{slot.what} is a whole number, not `{atom.text}`", atom.span
            )
            return False
        return True

    def assert_number(self, atom: ast.Quantity) -> bool:
        """Whether a number of an ``assert`` is within range, as written (reported if not)."""
        value = Fraction(atom.value)
        limits = ASSERT_NUMBER
        if limits.contains(value):
            return True
        verdict = "too small" if limits.too_low(value) else "too large"
        self.sink.report(
            C.OUT_OF_RANGE,
            f"a number in an `assert` must be {limits.describe()}; `{atom.text}` is {verdict}",
            atom.span,
            help=limits.reason,
        )
        return False

    # -- dates and times ------------------------------------------------------------------

    def _date(self, slot: S.DateSlot, atom: ast.Atom) -> Value | None:
        if not isinstance(atom, ast.Date):
            return self._expected(slot.what, atom)
        days = calendar.monthrange(atom.year, atom.month)[1] if 1 <= atom.month <= 12 else 0
        if not days or (atom.day is not None and not 1 <= atom.day <= days):
            self.sink.report(C.INVALID_DATE, f"`{atom.span.text}` is not a date", atom.span)
            return None
        return DateValue(atom.year, atom.month, atom.day, atom.span)

    def _time_range(self, slot: S.TimeRange, atom: ast.Atom) -> Value | None:
        if not (
            isinstance(atom, ast.Range)
            and isinstance(atom.low, ast.Clock)
            and isinstance(atom.high, ast.Clock)
        ):
            return self._expected(slot.what, atom)
        for clock in (atom.low, atom.high):
            if clock.minute > 59 or clock.minutes > 24 * 60:
                self.sink.report(
                    C.INVALID_TIME, f"`{clock.span.text}` is not a time of day", clock.span
                )
                return None
        if atom.high.minutes <= atom.low.minutes:
            self.sink.report(
                C.INVALID_TIME,
                f"`{atom.span.text}` ends before it starts",
                atom.span,
                help="ranges cannot pass midnight: split them, e.g. `20:00-24:00` and "
                "`00:00-02:00` on the next day",
            )
            return None
        return TimeRangeValue(atom.low.minutes, atom.high.minutes, atom.span)

    def _days(self, slot: S.Days, atom: ast.Atom) -> Value | None:
        if isinstance(atom, ast.Name) and atom.text == "daily":
            return DaysValue(tuple(range(7)), atom.span)
        ends = (atom.low, atom.high) if isinstance(atom, ast.Range) else (atom, atom)
        indexes = [self._day(end) for end in ends]
        if indexes[0] is None or indexes[1] is None:
            return None
        first, last = indexes[0], indexes[1]
        count = (last - first) % 7 + 1
        return DaysValue(tuple(sorted((first + k) % 7 for k in range(count))), atom.span)

    def _day(self, atom: ast.Atom) -> int | None:
        value = self._choice(S.Choice(S.DAY_NAMES, "a day: `mon` ... `sun`, or `daily`"), atom)
        return S.DAY_NAMES.index(value.word) if isinstance(value, WordValue) else None


def _accepts(slot: S.Slot, atom: ast.Atom) -> bool:
    """Whether an optional part starting with ``slot`` is present at ``atom``."""
    if isinstance(slot, S.Literal):
        return isinstance(atom, ast.Name) and atom.text == slot.word
    if isinstance(slot, S.Choice | S.Ref | S.NewName | S.Days | S.Month | S.Currency):
        return isinstance(atom, ast.Name | ast.Range)
    if isinstance(slot, S.Qty):
        return isinstance(atom, ast.Quantity)
    if isinstance(slot, S.TextSlot):
        return isinstance(atom, ast.Text)
    return isinstance(atom, ast.Date | ast.Range)


def _what(slot: S.Slot) -> str:
    if isinstance(slot, S.Qty):
        return f"{slot.what} such as `{slot.example}`"
    if isinstance(slot, S.Literal):
        return f"`{slot.word}`"
    if isinstance(slot, S.Optional):
        return _what(slot.slots[0])
    return slot.what


def _verdict(limits: Range, value: Fraction, info: UnitInfo) -> str:
    """Why a value is outside its range, in words: ``too short``, ``not one of them``."""
    if limits.allowed:
        return "not one of them"
    low, high = ("short", "long") if info.dims == TIME else ("small", "large")
    if info.percent:
        low, high = "low", "high"
    if limits.too_low(value):
        return f"too {low}"
    if limits.too_high(value):
        return f"too {high}"
    step = limits.written(limits.step or Fraction(1))
    return f"not a whole number of {step.partition(' ')[2] or step}s"
