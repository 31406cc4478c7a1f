"""Financial design arithmetic: cost lines, statements, NPV, TCO, depreciation.

Plain data only (names, numbers, tuples, Fractions); this package never sees the blueprint
model.  Conventions (docs/finance.md):

* **Money** is a `Fraction` holding a whole number of cents.  Amounts are rounded to the
  cent *once*, month by month, when a `Line` is built (`Line.of`); every monthly, yearly,
  group, category and grand total is then an exact sum of cent amounts, so all reports
  reconcile to the cent by construction (`Statement.reconciles`).
* **Rounding** is half-to-even ("banker's rounding") to 0.01, exact (`to_cents`).
* **Inputs**: `Fraction`, `int` and `Decimal` are taken exactly; a `float` is read as its
  shortest decimal representation (`0.1` → 1/10, `2.675` → 2675/1000), i.e. the number
  the author wrote, not its binary approximation.  `bool`, NaN and infinities are refused.
* **Sign**: costs are positive (money spent), credits (resale, savings) negative.  The
  cumulative cash flow is the running sum of capex + opex: it grows while money is spent.
* **Months and years**: a statement covers `horizon` months from (`start_year`,
  `start_month`); month 0 is the first.  Years are *project* years by default (blocks of
  12 months from the start: "Y1", "Y2", …); with ``year_basis="calendar"`` they are
  calendar years ("2027", …), the first one partial when the start is not January.  The
  last year is partial when the horizon is not a whole number of years.
* **Discounting**: the annual rate r is an *effective* annual rate, converted to the
  equivalent monthly rate i = (1 + r)^(1/12) − 1.  The flow of month m (0-based) is
  discounted by (1 + i)^(m+1) with end-of-month timing (the default) and by (1 + i)^m with
  start-of-month timing.  (numpy-financial's `npv` puts its first flow at t = 0, i.e. our
  "start" timing.)  The powers are irrational, so they are computed in decimal arithmetic
  with 40 significant digits (`present_value`, returned as the exact Fraction of that
  decimal; relative error far below 1e-30 for any realistic horizon); `npv` rounds that
  value half-to-even to the cent.  NPV is linear but its rounding is not: the NPVs of the
  parts may differ from the NPV of the whole by a few cents.
* **Options** are compared by NPV of cost: the lowest present cost is the cheapest.
  Options whose cost lines are identical (every non-zero line, month by month) are one
  option under several names, and one identical to the design's statement is the design
  itself, not an alternative.  Options whose NPVs are exactly equal share a rank: a tie
  is a tie, never broken by name.
* **Depreciation** is straight-line by month: each month carries the amount ÷ months
  rounded to the cent, and the last month of the schedule carries the rounding remainder,
  so the schedule sums exactly to the (cent-rounded) amount.  This is a management view,
  not tax MACRS (which is declining-balance with a half-year convention).
"""

from __future__ import annotations

import enum
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import cached_property
from typing import Final, Literal, TypeAlias

import numpy as np

Amount: TypeAlias = Fraction | int | Decimal | float
Category: TypeAlias = Literal["capex", "opex"]
Timing: TypeAlias = Literal["end", "start"]
YearBasis: TypeAlias = Literal["project", "calendar"]

CATEGORIES: Final[tuple[Category, ...]] = ("capex", "opex")
MONTHS_PER_YEAR: Final = 12
CENT: Final = Fraction(1, 100)
DECIMAL_PRECISION: Final = 40
"""Significant digits of the decimal arithmetic behind `present_value` and `npv`."""

USEFUL_LIFE_YEARS: Final[Mapping[str, int]] = {
    "software": 3,
    "computers": 5,
    "telecom": 7,
    "servers": 7,
    "furniture": 8,
}
"""Straight-line lives in years, after IRS Publication 946, How To Depreciate Property:
off-the-shelf software 3 (amortised over 36 months), computers 5 (5-year property), telecom
equipment and servers 7, furniture 8.  Note: Pub. 946 lists office furniture and fixtures
(asset class 00.11) as 7-year property; the 8 is kept here and pending review."""


def exact(value: Amount) -> Fraction:
    """`value` as an exact Fraction (a float is read as its shortest decimal repr)."""
    if isinstance(value, bool):
        raise TypeError("a bool is not an amount")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"amount must be finite, got {value!r}")
        return Fraction(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"amount must be finite, got {value!r}")
        return Fraction(value)
    raise TypeError(f"not an amount: {value!r}")


def to_cents(amount: Amount) -> Fraction:
    """`amount` rounded half-to-even to a whole number of cents (exact).

    As ``round(exact(amount), 2)`` (Fraction rounds half to even, exactly), in integers."""
    value = exact(amount)
    numerator, denominator = value.numerator, value.denominator
    if 100 % denominator == 0:
        return value  # already whole cents
    cents, rest = divmod(numerator * 100, denominator)
    if 2 * rest > denominator or (2 * rest == denominator and cents % 2 == 1):
        cents += 1
    return Fraction(cents, 100)


def sum_exact(values: Iterable[Fraction]) -> Fraction:
    """The exact sum of Fractions: whole cents are added as integers (a statement's lines
    are all in cents), anything else as Fractions."""
    cents = 0
    rest = Fraction(0)
    for value in values:
        denominator = value.denominator
        if 100 % denominator == 0:
            cents += value.numerator * (100 // denominator)
        else:
            rest += value
    return Fraction(cents, 100) + rest if rest else Fraction(cents, 100)


def is_cents(amount: Fraction) -> bool:
    """True iff `amount` is a whole number of cents."""
    return 100 % amount.denominator == 0


def yearly(
    months: Line | Sequence[Fraction],
    months_per_year: int = MONTHS_PER_YEAR,
    *,
    offset: int = 0,
) -> tuple[Fraction, ...]:
    """Sums per year of monthly amounts; the first and last years may be partial.

    `offset` is the number of months of the first year that lie before month 0 (0 for
    project years; start month − 1 for calendar years), so the first year has
    ``months_per_year - offset`` months.
    """
    values = months.months if isinstance(months, Line) else tuple(months)
    if months_per_year < 1:
        raise ValueError("months_per_year must be at least 1")
    if not 0 <= offset < months_per_year:
        raise ValueError("offset must be in [0, months_per_year)")
    result: list[Fraction] = []
    start = 0
    size = months_per_year - offset
    while start < len(values):
        result.append(sum_exact(values[start : start + size]))
        start += size
        size = months_per_year
    return tuple(result)


def total(months: Line | Sequence[Fraction]) -> Fraction:
    """Sum of all the monthly amounts."""
    values = months.months if isinstance(months, Line) else months
    return sum_exact(values)


class OwnerKind(enum.Enum):
    """What a cost line is the cost of: the kind of element that owns it."""

    COMPONENT = "component"
    CHANNEL = "channel"
    QUEUE = "queue"  # a channel's agents, inbound or outbound (`LineId.outbound`)
    ROLE = "role"  # a support role of the staffing block
    SITE = "site"
    PRACTICE = "practice"
    SYSTEM = "system"  # a current system
    CENTER = "center"  # the center as a whole (no owner name)
    BENEFIT = "benefit"


class CostKind(enum.Enum):
    """What is paid for; each kind has its display word, its group and its category."""

    IMPLEMENTATION = "implementation"
    LICENCES = "licences"
    MAINTENANCE = "maintenance"
    SUBSCRIPTION = "subscription"
    HOSTING = "hosting"
    USAGE = "usage"
    TELEPHONY = "telephony"
    AGENTS = "agents"
    SUPPORT_STAFF = "staff"
    FIT_OUT = "fit-out"
    RUNNING = "running"
    RENT = "rent"
    INTRODUCTION = "introduction"
    CURRENT_SYSTEM = "(current)"
    STATED_COST = "operating cost (stated)"
    BENEFIT = "benefit"

    @property
    def word(self) -> str:
        """The word the display name ends with ("licences", "(current)", ...)."""
        return self.value

    @property
    def group(self) -> str:
        """The statement group of lines of this kind."""
        return _KIND_GROUP[self]

    @property
    def category(self) -> Category:
        """Capital (one-time) or operating (recurring) cost."""
        return _KIND_CATEGORY.get(self, "opex")


_KIND_GROUP: Final[Mapping[CostKind, str]] = {
    CostKind.IMPLEMENTATION: "implementation",
    CostKind.LICENCES: "licences",
    CostKind.MAINTENANCE: "maintenance",
    CostKind.SUBSCRIPTION: "licences",
    CostKind.HOSTING: "hosting",
    CostKind.USAGE: "usage",
    CostKind.TELEPHONY: "telephony",
    CostKind.AGENTS: "staff",
    CostKind.SUPPORT_STAFF: "staff",
    CostKind.FIT_OUT: "facility",
    CostKind.RUNNING: "facility",
    CostKind.RENT: "facility",
    CostKind.INTRODUCTION: "practices",
    CostKind.CURRENT_SYSTEM: "current systems",
    CostKind.STATED_COST: "current operation",
    CostKind.BENEFIT: "benefits",
}
_KIND_CATEGORY: Final[Mapping[CostKind, Category]] = {
    CostKind.IMPLEMENTATION: "capex",
    CostKind.LICENCES: "capex",
    CostKind.FIT_OUT: "capex",
    CostKind.INTRODUCTION: "capex",
}


@dataclass(frozen=True)
class LineId:
    """The typed identity of a cost line: whose cost (`owner_kind`, `owner`, and for a
    queue whether it is the outbound one) of what (`kind`).  The display name, the group
    and the category are derived from it; nothing parses a display name back."""

    owner_kind: OwnerKind
    owner: str  # the element's name ("" for the center as a whole)
    kind: CostKind
    outbound: bool = False  # a queue's outbound contacts (only with OwnerKind.QUEUE)

    @property
    def owner_label(self) -> str:
        """The owner as the documents name it: ``voice`` or ``voice (outbound)``."""
        return f"{self.owner} (outbound)" if self.outbound else self.owner

    @property
    def name(self) -> str:
        """The display name: ``voice (outbound) agents``, ``acd licences``, ``crm (current)``."""
        return f"{self.owner_label} {self.kind.word}" if self.owner else self.kind.word

    @property
    def group(self) -> str:
        return self.kind.group

    @property
    def category(self) -> Category:
        return self.kind.category


@dataclass(frozen=True)
class Line:
    """One cost line: monthly amounts in whole cents (use `Line.of` or `Line.priced` to
    round).  `id` is its typed identity (`LineId`); `name`, `category` and `group` are then
    derived from it.  A line without an identity is named by its `name` only."""

    name: str
    category: Category
    group: str
    months: tuple[Fraction, ...]
    id: LineId | None = None

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"line {self.name!r}: category must be 'capex' or 'opex'")
        if not self.name or not self.group:
            raise ValueError("a line needs a name and a group")
        if self.id is not None and (self.id.name, self.id.category, self.id.group) != (
            self.name,
            self.category,
            self.group,
        ):
            raise ValueError(f"line {self.name!r}: name, category or group differ from its id")
        months = tuple(exact(m) for m in self.months)
        for index, value in enumerate(months):
            if not is_cents(value):
                raise ValueError(
                    f"line {self.name!r}, month {index}: {value} is not a whole number of "
                    "cents (build the line with Line.of to round)"
                )
        object.__setattr__(self, "months", months)

    @classmethod
    def of(cls, name: str, category: Category, group: str, amounts: Iterable[Amount]) -> Line:
        """A line from exact monthly amounts, each rounded half-to-even to the cent."""
        return cls(name, category, group, tuple(to_cents(a) for a in amounts))

    @classmethod
    def priced(cls, id: LineId, amounts: Iterable[Amount]) -> Line:
        """The line `id` from exact monthly amounts, each rounded half-to-even to the cent."""
        return cls(id.name, id.category, id.group, tuple(to_cents(a) for a in amounts), id)

    @property
    def total(self) -> Fraction:
        """Sum over all months."""
        return total(self.months)

    def padded(self, horizon: int) -> Line:
        """This line extended with zero months to `horizon` months."""
        if len(self.months) > horizon:
            raise ValueError(f"line {self.name!r} is longer than the horizon ({horizon})")
        if len(self.months) == horizon:
            return self  # immutable: the line itself
        extra = (Fraction(0),) * (horizon - len(self.months))
        return Line(self.name, self.category, self.group, self.months + extra, self.id)


@dataclass(frozen=True)
class Series:
    """Monthly amounts with their yearly sums and their grand total."""

    months: tuple[Fraction, ...]
    years: tuple[Fraction, ...]
    total: Fraction

    @classmethod
    def of(cls, months: Sequence[Fraction], *, offset: int = 0) -> Series:
        """The series of `months`, years starting `offset` months before month 0."""
        years = yearly(months, offset=offset)
        return cls(tuple(months), years, sum_exact(years))


def _sum_months(lines: Iterable[Line], horizon: int) -> tuple[Fraction, ...]:
    """The month-by-month sums of lines (whole cents: added as integers)."""
    cents = [0] * horizon
    for line in lines:
        for index, value in enumerate(line.months):
            cents[index] += value.numerator * (100 // value.denominator)
    return tuple(Fraction(c, 100) for c in cents)


class Statement:
    """Cost lines over a horizon, with totals per month and year, group and category.

    Lines shorter than the horizon (default: the longest line) are padded with zero
    months; line names must be unique.  Groups are listed in order of first appearance.
    """

    def __init__(
        self,
        lines: Iterable[Line],
        start_year: int,
        start_month: int,
        *,
        horizon: int | None = None,
        year_basis: YearBasis = "project",
    ) -> None:
        given = tuple(lines)
        if not 1 <= start_month <= 12:
            raise ValueError("start_month must be in 1..12")
        if year_basis not in ("project", "calendar"):
            raise ValueError("year_basis must be 'project' or 'calendar'")
        names = [line.name for line in given]
        duplicates = sorted(n for n, k in Counter(names).items() if k > 1)
        if duplicates:
            raise ValueError(f"duplicate line names: {', '.join(duplicates)}")
        if horizon is None:
            horizon = max((len(line.months) for line in given), default=0)
        if horizon < 0:
            raise ValueError("horizon must not be negative")
        self.start_year: Final = start_year
        self.start_month: Final = start_month
        self.horizon: Final = horizon
        self.year_basis: Final = year_basis
        self.offset: Final = start_month - 1 if year_basis == "calendar" else 0
        """Months of the first year before month 0."""
        self.lines: Final = tuple(line.padded(horizon) for line in given)
        self.by_id: Final[Mapping[LineId, Line]] = {
            line.id: line for line in self.lines if line.id is not None
        }
        """The lines that have a typed identity, by it."""
        self.capex: Final = self._category("capex")
        self.opex: Final = self._category("opex")
        self.total: Final = self._series(
            tuple(a + b for a, b in zip(self.capex.months, self.opex.months, strict=True))
        )
        running = Fraction(0)
        cumulative: list[Fraction] = []
        for value in self.total.months:
            running += value
            cumulative.append(running)
        self.cumulative: Final = tuple(cumulative)
        """Cumulative cash flow (capex + opex, costs positive) at the end of each month."""

    # The series of each line, group and category-and-group are made when first read:
    # a compilation costs several statements (options, scenarios) and reads few of them.

    @cached_property
    def line_series(self) -> Mapping[str, Series]:
        """Each line's series, by the line's name."""
        return {line.name: self._series(line.months) for line in self.lines}

    @cached_property
    def by_group(self) -> Mapping[str, Series]:
        """The series of each group's lines, groups in order of first appearance."""
        groups = list(dict.fromkeys(line.group for line in self.lines))
        return {
            g: self._series(_sum_months((x for x in self.lines if x.group == g), self.horizon))
            for g in groups
        }

    @cached_property
    def by_category_group(self) -> Mapping[tuple[Category, str], Series]:
        """The series of the lines of each category and group, in order of first appearance."""
        keys = list(dict.fromkeys((line.category, line.group) for line in self.lines))
        return {
            (c, g): self._series(
                _sum_months(
                    (x for x in self.lines if x.category == c and x.group == g), self.horizon
                )
            )
            for c, g in keys
        }

    def line(self, id: LineId) -> Line | None:
        """The line of identity `id`, None when the statement has none (nothing to pay)."""
        return self.by_id.get(id)

    def line_total(self, id: LineId) -> Fraction:
        """The total of the line `id` over the horizon (zero without such a line)."""
        line = self.by_id.get(id)
        return line.total if line is not None else Fraction(0)

    def _series(self, months: Sequence[Fraction]) -> Series:
        return Series.of(months, offset=self.offset)

    def _category(self, category: Category) -> Series:
        return self._series(
            _sum_months((x for x in self.lines if x.category == category), self.horizon)
        )

    def category(self, category: Category) -> Series:
        """The capex or opex series."""
        if category == "capex":
            return self.capex
        if category == "opex":
            return self.opex
        raise ValueError("category must be 'capex' or 'opex'")

    def month_label(self, index: int) -> str:
        """Calendar label "YYYY-MM" of month `index` (0-based)."""
        year, month = divmod(self.start_month - 1 + index, 12)
        return f"{self.start_year + year:04d}-{month + 1:02d}"

    @property
    def month_labels(self) -> tuple[str, ...]:
        """Calendar labels "YYYY-MM" of all the months."""
        return tuple(self.month_label(i) for i in range(self.horizon))

    def year_of(self, index: int) -> int:
        """Year index (0-based) of month `index`."""
        return (index + self.offset) // MONTHS_PER_YEAR

    @property
    def year_labels(self) -> tuple[str, ...]:
        """Year labels: "Y1", "Y2", … (project years) or "2027", … (calendar years)."""
        count = len(self.total.years)
        if self.year_basis == "calendar":
            return tuple(str(self.start_year + k) for k in range(count))
        return tuple(f"Y{k + 1}" for k in range(count))

    def reconciles(self) -> bool:
        """True iff every total is the exact sum of its parts, for every line, group and
        category: months are whole cents, each year is the sum of its months, the grand
        total the sum of the years (and of the months), categories and groups the sums of
        their lines, and the cumulative cash flow ends at the grand total."""
        horizon = self.horizon

        def consistent(series: Series) -> bool:
            if len(series.months) != horizon or not all(map(is_cents, series.months)):
                return False
            years = [Fraction(0)] * (self.year_of(horizon - 1) + 1 if horizon else 0)
            for index, value in enumerate(series.months):
                years[self.year_of(index)] += value
            return (
                tuple(years) == series.years
                and sum(years, Fraction(0)) == series.total
                and sum(series.months, Fraction(0)) == series.total
            )

        def lines_sum(lines: Iterable[Line]) -> list[Fraction]:
            sums = [Fraction(0)] * horizon
            for line in lines:
                for index in range(horizon):
                    sums[index] += line.months[index]
            return sums

        everything = [
            *self.line_series.values(),
            *self.by_group.values(),
            *self.by_category_group.values(),
            self.capex,
            self.opex,
            self.total,
        ]
        if not all(consistent(s) for s in everything):
            return False
        for line in self.lines:
            if list(self.line_series[line.name].months) != list(line.months):
                return False
        for group, series in self.by_group.items():
            if lines_sum(x for x in self.lines if x.group == group) != list(series.months):
                return False
        for (cat, group), series in self.by_category_group.items():
            parts = (x for x in self.lines if x.category == cat and x.group == group)
            if lines_sum(parts) != list(series.months):
                return False
        for cat in CATEGORIES:
            parts = (x for x in self.lines if x.category == cat)
            if lines_sum(parts) != list(self.category(cat).months):
                return False
        grand = self.capex.total + self.opex.total
        return (
            lines_sum(self.lines) == list(self.total.months)
            and grand == self.total.total
            and sum((s.total for s in self.by_group.values()), Fraction(0)) == grand
            and sum((s.total for s in self.line_series.values()), Fraction(0)) == grand
            and (self.cumulative[-1] if horizon else Fraction(0)) == grand
        )


def monthly_rate(annual_rate: Amount) -> Decimal:
    """Monthly rate equivalent to an effective annual rate: (1 + r)^(1/12) − 1."""
    rate = exact(annual_rate)
    if rate <= -1:
        raise ValueError("the annual rate must be greater than -100 %")
    with localcontext(prec=DECIMAL_PRECISION):
        growth = _decimal(1 + rate)
        return (growth.ln() / MONTHS_PER_YEAR).exp() - 1


def _decimal(value: Fraction) -> Decimal:
    """`value` as a Decimal in the current context (exact when the digits allow)."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def present_value(
    annual_rate: Amount, monthly_flows: Sequence[Amount], timing: Timing = "end"
) -> Fraction:
    """Present value of monthly flows, unrounded (40-digit decimal arithmetic)."""
    if timing not in ("end", "start"):
        raise ValueError("timing must be 'end' or 'start'")
    flows = [exact(f) for f in monthly_flows]
    with localcontext(prec=DECIMAL_PRECISION):
        factor = 1 / (1 + monthly_rate(annual_rate))  # one month of discounting
        discount = factor if timing == "end" else Decimal(1)
        result = Decimal(0)
        for flow in flows:
            result += _decimal(flow) * discount
            discount *= factor
        return Fraction(result)


def npv(annual_rate: Amount, monthly_flows: Sequence[Amount], timing: Timing = "end") -> Fraction:
    """Net present value of monthly flows, rounded half-to-even to the cent."""
    return to_cents(present_value(annual_rate, monthly_flows, timing))


def tco(statement: Statement) -> Fraction:
    """Total cost of ownership: capex + opex over the statement's horizon, undiscounted."""
    return statement.total.total


def cost_per_contact(cost: Amount, contacts: Amount | None) -> Fraction | None:
    """Exact cost ÷ contacts (not rounded; round for display), None without contacts."""
    if contacts is None:
        return None
    count = exact(contacts)
    if count < 0:
        raise ValueError("contacts must not be negative")
    if count == 0:
        return None
    return exact(cost) / count


@dataclass(frozen=True)
class OptionResult:
    """One option's present and total cost, and how much more it costs than the cheapest."""

    name: str
    rank: int
    """1 for the cheapest (lowest NPV of cost); options of exactly equal NPV share a rank."""
    npv: Fraction
    tco: Fraction
    npv_delta: Fraction
    """NPV minus the cheapest option's NPV (zero or positive)."""
    tco_delta: Fraction
    """TCO minus the cheapest option's TCO (may be negative: cheaper undiscounted); among
    options tied for the cheapest, the lowest TCO."""
    same_as: tuple[str, ...] = ()
    """Other options with exactly this option's cost lines: the same option under other
    names (`name` is the first of them by name)."""
    as_designed: bool = False
    """The cost lines are exactly the design's: this option is the design, not an
    alternative to it."""
    tied: tuple[str, ...] = ()
    """Options with other cost lines but exactly the same NPV: neither is cheaper."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of this option: `name`, then `same_as`."""
        return (self.name, *self.same_as)


def cost_signature(statement: Statement) -> tuple[tuple[str, str, str, tuple[Fraction, ...]], ...]:
    """What two statements must share to cost exactly the same: every line with a non-zero
    month (name, category, group, months), in name order.  Lines of zeros are left out, so
    an option that adds a line of nothing is still the same option."""
    return tuple(
        sorted(
            (line.name, line.category, line.group, line.months)
            for line in statement.lines
            if any(line.months)
        )
    )


def compare_options(
    statements: Mapping[str, Statement],
    annual_rate: Amount,
    *,
    timing: Timing = "end",
    design: Statement | None = None,
) -> list[OptionResult]:
    """NPV (of capex + opex) and TCO per distinct option, cheapest first.

    Options with identical cost lines (`cost_signature`) are merged into one result under
    the first name (the others in `same_as`); with `design`, an option identical to it is
    marked `as_designed`.  Options of equal NPV share a rank and name each other in
    `tied`; they are listed by name, which says nothing about which is better.  All
    statements must share the start month and the horizon, so that they are discounted
    and totalled over the same months.
    """
    if not statements:
        return []
    frames = {(s.start_year, s.start_month, s.horizon) for s in statements.values()}
    if len(frames) > 1:
        raise ValueError("options must share the start month and the horizon")
    groups: dict[tuple[tuple[str, str, str, tuple[Fraction, ...]], ...], list[str]] = {}
    for name in sorted(statements):
        groups.setdefault(cost_signature(statements[name]), []).append(name)
    designed = cost_signature(design) if design is not None else None
    rows = sorted(
        (npv(annual_rate, statements[names[0]].total.months, timing), names, signature)
        for signature, names in groups.items()
    )
    best_npv = rows[0][0]
    best_tco = min(tco(statements[names[0]]) for value, names, _ in rows if value == best_npv)
    results = []
    for value, names, signature in rows:
        cost = tco(statements[names[0]])
        results.append(
            OptionResult(
                names[0],
                1 + sum(1 for other, _, _ in rows if other < value),
                value,
                cost,
                value - best_npv,
                cost - best_tco,
                tuple(names[1:]),
                signature == designed,
                tuple(others[0] for other, others, _ in rows if other == value and others != names),
            )
        )
    return results


def straight_line_depreciation(
    amount: Amount, years: int, start_month_index: int, horizon_months: int
) -> tuple[Fraction, ...]:
    """Monthly straight-line depreciation of `amount` over `years`, seen over a horizon.

    The schedule starts at month `start_month_index` (0-based; negative when the asset was
    bought before the horizon) and runs ``12 * years`` months: each month carries
    to_cents(amount ÷ months), the last month the rounding remainder, so the full schedule
    sums exactly to to_cents(amount).  Months outside [0, horizon_months) are dropped.
    """
    if years < 1:
        raise ValueError("years must be at least 1")
    if horizon_months < 0:
        raise ValueError("horizon_months must not be negative")
    value = to_cents(amount)
    count = MONTHS_PER_YEAR * years
    monthly = to_cents(value / count)
    last = value - monthly * (count - 1)
    result = [Fraction(0)] * horizon_months
    for k in range(count):
        index = start_month_index + k
        if 0 <= index < horizon_months:
            result[index] = last if k == count - 1 else monthly
    return tuple(result)


def irr(flows: Sequence[Amount]) -> float | None:
    """Internal rate of return per period of `flows` (first flow at t = 0), or None.

    The real rate closest to zero among the roots of the NPV polynomial (as
    numpy-financial), polished by Newton steps; None when there is none.  For monthly
    flows the effective annual rate is (1 + irr)^12 − 1.
    """
    values = np.array([float(exact(f)) for f in flows], dtype=np.float64)
    nonzero = np.flatnonzero(values)
    if nonzero.size < 2:
        return None
    values = values[: nonzero[-1] + 1]  # trailing zeros add roots at x = 0
    roots = np.roots(values[::-1])  # polynomial in x = 1 / (1 + rate)
    real = roots[(np.abs(roots.imag) <= 1e-9 * np.abs(roots)) & (roots.real > 0)].real
    if real.size == 0:
        return None
    rates = 1.0 / real - 1.0
    rate = float(rates[np.argmin(np.abs(rates))])
    powers = np.arange(values.size, dtype=np.float64)
    for _ in range(20):
        growth = (1.0 + rate) ** -powers
        value = float(values @ growth)
        slope = float(values @ (-powers * growth / (1.0 + rate)))
        if slope == 0.0 or not math.isfinite(value):
            break
        step = value / slope
        if not math.isfinite(step) or rate - step <= -1.0:
            break
        rate -= step
        if abs(step) <= 1e-15 * max(1.0, abs(rate)):
            break
    return rate


def effective_annual_rate(monthly: float) -> float:
    """The effective annual rate of a monthly rate: (1 + monthly)^12 − 1 (the inverse of
    `monthly_rate`, in floating point: for rates found numerically such as `irr`)."""
    if monthly <= -1:
        raise ValueError("the monthly rate must be greater than -100 %")
    return float((1.0 + monthly) ** MONTHS_PER_YEAR - 1.0)
