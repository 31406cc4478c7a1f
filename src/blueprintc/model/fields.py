"""Read typed values out of a declaration's effective fields, rebinding template references."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from blueprintc.model import elements as m
from blueprintc.semantic.values import (
    DateValue,
    DaysValue,
    FieldValue,
    QuantityValue,
    RefValue,
    TextValue,
    TimeRangeValue,
    Value,
    WordValue,
)
from blueprintc.source import Span

HOUR = 3600
YEAR = 365 * 86_400
ALL_DAYS = tuple(range(7))
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
Rebind = Callable[[str, str], list[m.Ref]]


class FieldReader:
    """Typed access to the effective fields of one declaration."""

    def __init__(
        self,
        fields: dict[str, list[FieldValue]],
        origins: dict[str, m.Origin],
        rebind: Rebind,
        templates: tuple[str, ...],
    ) -> None:
        self.fields = fields
        self.origins = origins
        self.rebind = rebind
        self.templates = templates

    # -- plain values ---------------------------------------------------------------------

    def all(self, name: str) -> list[FieldValue]:
        return self.fields.get(name, [])

    def first(self, name: str) -> tuple[Value, ...]:
        found = self.all(name)
        return found[0].first if found else ()

    def quantity(self, name: str) -> Fraction | None:
        """The field's quantity in canonical units, or None when it is not set."""
        values = self.first(name)
        value = values[0] if values else None
        return value.value if isinstance(value, QuantityValue) else None

    def per_word(self, name: str) -> str | None:
        """The last unit word a quantity was divided by, as written (``year`` in
        ``65k USD/year``)."""
        values = self.first(name)
        value = values[0] if values else None
        if not isinstance(value, QuantityValue) or "/" not in value.written:
            return None
        return value.written.rsplit("/", 1)[1].strip()

    def number(self, name: str, default: Fraction) -> Fraction:
        """The field's quantity, or ``default`` when it is not set."""
        value = self.quantity(name)
        return default if value is None else value

    def per_hour(self, name: str) -> Fraction | None:
        value = self.quantity(name)
        return None if value is None else value * HOUR

    def per_year(self, name: str) -> Fraction | None:
        value = self.quantity(name)
        return None if value is None else value * YEAR

    def word(self, name: str) -> str | None:
        values = self.first(name)
        return values[0].word if values and isinstance(values[0], WordValue) else None

    def words(self, name: str) -> tuple[str, ...]:
        return tuple(
            arg[0].word for f in self.all(name) for arg in f.args if isinstance(arg[0], WordValue)
        )

    def text(self, name: str) -> str | None:
        values = self.first(name)
        return values[0].text if values and isinstance(values[0], TextValue) else None

    @staticmethod
    def word_at(field: FieldValue, index: int) -> str:
        value = field.first[index] if len(field.first) > index else None
        return value.word if isinstance(value, WordValue) else ""

    @staticmethod
    def text_at(field: FieldValue, index: int) -> str | None:
        value = field.first[index] if len(field.first) > index else None
        return value.text if isinstance(value, TextValue) else None

    def date(self, name: str) -> tuple[int, int] | None:
        values = self.first(name)
        value = values[0] if values else None
        return (value.year, value.month) if isinstance(value, DateValue) else None

    def allows(self) -> tuple[m.Allow, ...]:
        result = []
        for field in self.all("allow"):
            code, _, reason = field.first
            assert isinstance(code, WordValue) and isinstance(reason, TextValue)
            result.append(m.Allow(code.word, reason.text, field.span))
        return tuple(result)

    # -- references -----------------------------------------------------------------------

    def _bind(self, value: Value) -> list[m.Ref]:
        assert isinstance(value, RefValue)
        return self.rebind(value.kind, value.name)

    def ref(self, name: str) -> m.Ref | None:
        values = self.first(name)
        bound = self._bind(values[0]) if values else []
        return bound[0] if bound else None

    def refs(self, name: str) -> tuple[m.Ref, ...]:
        return self.refs_with_missing(name)[0]

    def refs_with_missing(
        self, name: str
    ) -> tuple[tuple[m.Ref, ...], tuple[tuple[str, Span], ...]]:
        """Bound references, and the template references nothing in the blueprint extends."""
        found: list[m.Ref] = []
        missing: list[tuple[str, Span]] = []
        for field in self.all(name):
            for arg in field.args:
                value = arg[0]
                bound = self._bind(value)
                if not bound and isinstance(value, RefValue):
                    missing.append((value.name, value.span))
                found += bound
        return tuple(dict.fromkeys(found)), tuple(missing)

    def entries(self, name: str) -> tuple[dict[m.Ref, Fraction], tuple[tuple[str, Span], ...]]:
        """A map block (``mix { voice 70% }``) as reference -> value, and unbound keys."""
        result: dict[m.Ref, Fraction] = {}
        unbound: list[tuple[str, Span]] = []
        for field in self.all(name):
            for entry in field.block or ():
                key, value = entry.first[0], entry.first[1]
                assert isinstance(key, RefValue) and isinstance(value, QuantityValue)
                bound = self._bind(key)
                if len(bound) == 1:
                    result[bound[0]] = value.value
                else:
                    shown = key.name if not bound else f"{key.name} ({', '.join(map(str, bound))})"
                    unbound.append((shown, key.span))
        return result, tuple(unbound)

    def keyed_by_channel(self, name: str) -> list[tuple[m.Ref, Fraction]]:
        result = []
        for field in self.all(name):
            key, value = field.first[0], field.first[1]
            assert isinstance(value, QuantityValue)
            result += [(ref, value.value) for ref in self._bind(key)]
        return result

    def optionally_keyed(
        self, name: str
    ) -> tuple[list[tuple[m.Ref | None, Fraction, Span]], list[tuple[str, Span]]]:
        """``agents 210`` and ``agents voice 180`` lines: (channel or None, value, line span)
        for each, and the channel names that bind to no channel of the blueprint."""
        found: list[tuple[m.Ref | None, Fraction, Span]] = []
        unbound: list[tuple[str, Span]] = []
        for field in self.all(name):
            *key, value = field.first
            assert isinstance(value, QuantityValue)
            if not key:
                found.append((None, value.value, field.span))
                continue
            bound = self._bind(key[0])
            if not bound and isinstance(key[0], RefValue):
                unbound.append((key[0].name, key[0].span))
            found += [(ref, value.value, field.span) for ref in bound]
        return found, unbound

    def keyed_numbers(self, name: str) -> list[tuple[str, Fraction]]:
        result = []
        for field in self.all(name):
            key, value = field.first
            assert isinstance(key, WordValue) and isinstance(value, QuantityValue)
            result.append((key.word, value.value))
        return result

    # -- composite values -----------------------------------------------------------------

    def target(self, name: str) -> m.Target | None:
        found = self.all(name)
        if not found:
            return None
        level, _, within, *rest = found[0].first
        assert isinstance(level, QuantityValue) and isinstance(within, QuantityValue)
        definition = rest[0].word if rest and isinstance(rest[0], WordValue) else "offered"
        return m.Target(level.value, within.value, definition, found[0].span)

    def channel_targets(self, field: FieldValue) -> list[tuple[m.Ref, Fraction, Fraction]]:
        channel, level, _, within = field.first
        assert isinstance(level, QuantityValue) and isinstance(within, QuantityValue)
        return [(ref, level.value, within.value) for ref in self._bind(channel)]

    def keyed_spans(self, name: str) -> list[tuple[str, Span]]:
        """(channel name, line span) of every line of a field keyed by a channel; the name
        is the reference as bound (a template reference gives one entry per channel)."""
        result = []
        for field in self.all(name):
            key = field.first[0] if field.first else None
            if isinstance(key, RefValue):
                result += [(ref.name, field.span) for ref in self._bind(key)]
            else:
                result.append(("", field.span))
        return result

    def unbound_keys(self, name: str) -> list[tuple[str, Span]]:
        """Channel references of a keyed field that bind to no channel of the blueprint (a
        standard-library template nothing extends)."""
        result = []
        for field in self.all(name):
            key = field.first[0] if field.first else None
            if isinstance(key, RefValue) and not self._bind(key):
                result.append((key.name, key.span))
        return result

    def baseline_levels(self) -> dict[m.Ref, tuple[Fraction, Fraction]]:
        result = {}
        for field in self.all("service_level"):
            channel, level, _, within = field.first
            assert isinstance(level, QuantityValue) and isinstance(within, QuantityValue)
            for ref in self._bind(channel):
                result[ref] = (level.value, within.value)
        return result

    def openings(self, name: str) -> tuple[m.Opening, ...]:
        result = []
        for field in self.all(name):
            for arg in field.args:
                days, times = arg
                assert isinstance(days, DaysValue) and isinstance(times, TimeRangeValue)
                span = days.span.cover(times.span)
                result.append(m.Opening(days.days, times.start, times.end, span))
        return tuple(result)

    def intraday(self) -> tuple[tuple[m.Ref, tuple[int, ...]], ...]:
        result = []
        for field in self.all("intraday"):
            pattern, *rest = field.first
            days = rest[1].days if len(rest) == 2 and isinstance(rest[1], DaysValue) else ALL_DAYS
            result += [(ref, days) for ref in self._bind(pattern)]
        return tuple(result)

    def intraday_weights(self) -> tuple[tuple[int, int, Fraction], ...]:
        result = []
        for field in self.all("intraday"):
            for times, weight in field.args:
                assert isinstance(times, TimeRangeValue) and isinstance(weight, QuantityValue)
                result.append((times.start, times.end, weight.value))
        return tuple(sorted(result))

    def day_weights(self) -> dict[int, Fraction]:
        result: dict[int, Fraction] = {}
        for field in self.all("weekly"):
            for days, weight in field.args:
                assert isinstance(days, DaysValue) and isinstance(weight, QuantityValue)
                result.update(dict.fromkeys(days.days, weight.value))
        return dict(sorted(result.items()))

    def month_weights(self) -> dict[int, Fraction]:
        result: dict[int, Fraction] = {}
        for field in self.all("monthly"):
            for month, weight in field.args:
                assert isinstance(month, WordValue) and isinstance(weight, QuantityValue)
                result[MONTHS.index(month.word) + 1] = weight.value
        return dict(sorted(result.items()))

    def migrations(self) -> tuple[m.Migration, ...]:
        result = []
        for field in self.all("migrate"):
            source, _, target, share, *rest = field.first
            assert isinstance(share, QuantityValue)
            by = (
                (rest[1].year, rest[1].month)
                if len(rest) == 2 and isinstance(rest[1], DateValue)
                else None
            )
            for src in self._bind(source):
                for dst in self._bind(target):
                    result.append(m.Migration(src, dst, share.value, by, field.span))
        return tuple(result)

    def pilots(self) -> tuple[m.Pilot, ...]:
        result = []
        for field in self.all("pilot"):
            channel, share, *rest = field.first
            assert isinstance(share, QuantityValue)
            duration = (
                rest[1].value if len(rest) == 2 and isinstance(rest[1], QuantityValue) else None
            )
            result += [
                m.Pilot(ref, share.value, duration, field.span) for ref in self._bind(channel)
            ]
        return tuple(result)

    def amount(self, name: str) -> m.Amount | None:
        values = self.first(name)
        value = values[0] if values else None
        return amount_of(value) if isinstance(value, QuantityValue) else None

    def costs(self, fields: dict[str, list[FieldValue]]) -> m.Costs:
        reader = FieldReader(fields, {}, self.rebind, ())
        return m.Costs(
            subscription=reader.amount("subscription"),
            licence=reader.amount("licence"),
            usage=reader.amount("usage"),
            maintenance=reader.quantity("maintenance"),
            implementation=reader.amount("implementation"),
            hosting=reader.amount("hosting"),
        )

    def options(self) -> dict[str, m.Costs]:
        result = {}
        for field in self.all("option"):
            inner: dict[str, list[FieldValue]] = {}
            for value in field.block or ():
                inner.setdefault(value.name, []).append(value)
            result[self.word_at(field, 0)] = self.costs(inner)
        return dict(sorted(result.items()))


def amount_of(value: QuantityValue) -> m.Amount:
    """Money with its counting denominators; recurring amounts become per hour."""
    per = tuple(base for base, exp in value.dims if exp < 0 and base != "time")
    per_time = ("time", -1) in value.dims
    return m.Amount(value.value * HOUR if per_time else value.value, per, per_time, value.span)
