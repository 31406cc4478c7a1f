"""How one document set shows what the views hold: the client's locale and units, and the
names a reader is shown.

The views keep exact figures in canonical units (areas in square feet) and the
blueprint's names, which are the identities every document, JSON file and test relies
on. A ``Presentation`` only changes the text: numbers written with the locale's decimal
and grouping separators (CLDR data through Babel), areas in square metres where the
client works in metric units, and, in the client edition, each declaration's display
label in place of its name. The build sets it for the time the templates render
(``presenting``); the filters of ``values`` and the ``md`` escaping read it.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from decimal import Decimal
from fractions import Fraction

import attrs

from blueprintc.documents.charts import Chart, Gantt, LineChart
from blueprintc.semantic.units import SQFT_PER_M2

DEFAULT_LOCALE = "en_US"
# Territories that print on US Letter paper; the rest of the world prints on A4 (Unicode
# CLDR, supplemental data: paperSize type="US-Letter").
LETTER_TERRITORIES = frozenset(
    {"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"}
)
_QUOTED = re.compile(r"`([^`\n]+)`")
_GROUPED = re.compile(r"(?<![\w.])\d{1,3}(?:_\d{3})+(?![\w.])")  # 38_000, as written
_JOINED = re.compile(r"(?<![\w.])[A-Za-z][\w]*(?:[_.][\w]+)+")  # tech_voice, std.acd


@attrs.frozen
class Presentation:
    """The locale, the area units and the display names of one document set."""

    locale: str = DEFAULT_LOCALE
    metric: bool = False
    labels: Mapping[str, str] | None = None  # name -> display label (client edition)
    currency: str = "USD"
    symbols: bool = False  # amounts with the currency's symbol (client), else its code

    @property
    def currency_name(self) -> str:
        """The currency as the locale names it, with its symbol: ``British pound (£)``."""
        return currency_name(self.currency, self.locale)

    @property
    def plain(self) -> bool:
        """Whether numbers are written as the built-in English form (``1,234.5``)."""
        return self.locale == DEFAULT_LOCALE

    def number(self, value: Decimal, places: int) -> str:
        """``value`` (already rounded to ``places``) with the locale's separators."""
        if self.plain:
            return f"{value:,f}"
        return _format_decimal(value, places, self.locale)

    def percent(self, value: Decimal, places: int) -> str:
        """``value`` percent (``80.0``, already rounded) as the locale writes a percentage."""
        return _format_percent(value / 100, places, self.locale)

    @property
    def letter(self) -> bool:
        """Whether the client prints on US Letter paper (else A4), by the locale's
        territory (a locale without one: its language's most likely territory)."""
        return _territory(self.locale) in LETTER_TERRITORIES

    def in_currency(self, amount: str, currency: str) -> str:
        """An amount already written (``72.4 million``) with its currency: the code before
        it (``GBP 72.4 million``), or with ``symbols`` the symbol where the locale puts it
        (``£72.4 million``; ``72,4 million €`` in German)."""
        if not self.symbols:
            return f"{currency} {amount}"
        symbol, before = _symbol(currency, self.locale)
        if not before:
            return f"{amount}\xa0{symbol}"
        sign, digits = ("-", amount[1:]) if amount.startswith("-") else ("", amount)
        return f"{sign}{symbol}{digits}"

    def area(self, square_feet: Fraction) -> Fraction:
        """An area in the set's unit: square metres when metric, else square feet."""
        return square_feet / SQFT_PER_M2 if self.metric else square_feet

    @property
    def area_unit(self) -> str:
        """The abbreviation of the area unit in table headers."""
        return "m²" if self.metric else "sq ft"

    @property
    def area_words(self) -> str:
        """The area unit in prose."""
        return "square metres" if self.metric else "square feet"

    def shown(self, value: object) -> object:
        """A text as the set shows it. In the client edition a declaration's name is its
        display label, and so is every whole word of a longer text that is a name or a
        vocabulary word joined by ``_`` or ``.`` (``service everyday_banking``: service
        Everyday banking); plain words of free text are left as written."""
        if self.labels is None or not isinstance(value, str):
            return value
        labels = self.labels
        exact = labels.get(value)
        if exact is not None:
            return exact
        if "`" in value:  # a name quoted as code in a message: its label, unquoted
            value = _QUOTED.sub(lambda quoted: labels.get(quoted[1], quoted[0]), value)
        if "_" not in value and "std." not in value:
            return value
        value = _GROUPED.sub(lambda number: self.number(Decimal(number[0]), 0), value)
        return _JOINED.sub(lambda word: labels.get(word[0], word[0]), value)


_BUILT_IN = Presentation()
_CURRENT: ContextVar[Presentation | None] = ContextVar("presentation", default=None)


def current() -> Presentation:
    """The presentation of the set being rendered (the built-in one outside a build)."""
    return _CURRENT.get() or _BUILT_IN


@contextlib.contextmanager
def presenting(presentation: Presentation) -> Iterator[None]:
    """Render with ``presentation`` until the block ends."""
    token = _CURRENT.set(presentation)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def currency_name(code: str, locale: str) -> str:
    """``GBP`` as the locale names it with its symbol: ``British pound (£)``."""
    from babel.numbers import get_currency_name, get_currency_symbol

    name = get_currency_name(code, locale=locale)
    symbol = get_currency_symbol(code, locale=locale)
    return name if symbol == code else f"{name} ({symbol})"


@functools.lru_cache(maxsize=64)
def _territory(locale: str) -> str:
    from babel import Locale

    parsed = Locale.parse(locale)
    if parsed.territory:
        return str(parsed.territory)
    likely = Locale.parse(parsed.language, resolve_likely_subtags=True)
    return str(likely.territory or "")


@functools.lru_cache(maxsize=64)
def _symbol(currency: str, locale: str) -> tuple[str, bool]:
    """The currency's symbol in ``locale`` and whether the locale writes it first."""
    from babel import Locale
    from babel.numbers import get_currency_symbol

    pattern = str(Locale.parse(locale).currency_formats["standard"].pattern)
    return get_currency_symbol(currency, locale=locale), pattern.startswith("¤")


@functools.lru_cache(maxsize=64)
def _pattern(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


def _format_decimal(value: Decimal, places: int, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, format=_pattern(places), locale=locale, decimal_quantization=False)


@functools.lru_cache(maxsize=64)
def _percent_pattern(places: int, locale: str) -> str:
    """The locale's percent pattern (``#,##0 %``) with ``places`` decimals."""
    from babel import Locale

    pattern = str(Locale.parse(locale).percent_formats[None].pattern)
    if not places:
        return pattern
    return re.sub(r"0(?=[^0#]*$)", "0." + "0" * places, pattern, count=1)


def _format_percent(value: Decimal, places: int, locale: str) -> str:
    from babel.numbers import format_percent

    return format_percent(
        value, format=_percent_pattern(places, locale), locale=locale, decimal_quantization=False
    )


def relabelled(chart: Chart, presentation: Presentation) -> Chart:
    """``chart`` with every text a reader sees as ``presentation`` shows it (the client
    edition's display labels); its key, dates and values as they are."""
    if presentation.labels is None:
        return chart

    def text(value: str) -> str:
        return str(presentation.shown(value))

    if isinstance(chart, LineChart):
        return attrs.evolve(
            chart,
            title=text(chart.title),
            series=tuple(attrs.evolve(s, name=text(s.name)) for s in chart.series),
            deltas=tuple(attrs.evolve(s, name=text(s.name)) for s in chart.deltas),
        )
    if isinstance(chart, Gantt):
        return attrs.evolve(
            chart,
            title=text(chart.title),
            tasks=tuple(
                attrs.evolve(t, label=text(t.label), section=text(t.section)) for t in chart.tasks
            ),
        )
    return attrs.evolve(
        chart,
        title=text(chart.title),
        nodes=tuple(attrs.evolve(n, label=text(n.label), group=text(n.group)) for n in chart.nodes),
        edges=tuple(attrs.evolve(e, label=text(e.label)) for e in chart.edges),
    )
