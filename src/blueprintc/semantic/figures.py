"""The figures an ``assert`` can name, in one registry, and assertions as typed expressions.

Each :class:`Figure` says what the figure is called, what its argument names, the unit of
its value, the layer it belongs to, the stage that computes it and what it means. The
semantic checks, completion and hover, :attr:`Assertion.layer
<blueprintc.model.elements.Assertion.layer>`, the type checks of :mod:`blueprintc.validate`,
the evaluation in :mod:`blueprintc.outcome.figures` and the table of figures in
``docs/language.md`` all read it.

:func:`resolve` turns an ``assert`` expression into a :data:`Typed` tree once, in the
semantic stage: figures with their argument resolved (a name, a year, an option), numbers
converted to canonical units, comparisons and ``and``/``or``/``not``. Later passes walk
the tree; none reads the argument text again.

Canonical units: shares are fractions (85% is 0.85), durations are seconds (a month of
the ``assert`` units is :data:`SECONDS_PER_MONTH`), money is in the blueprint's currency,
dates are month numbers (``year × 12 + month − 1``).

To add a figure: one entry in :data:`FIGURES`, its evaluator in
:mod:`blueprintc.outcome.figures` (the import fails without one: the semantic stage may
not import the outcome, so evaluators are attached there), then regenerate the table of
``docs/language.md`` with ``python -m blueprintc.semantic.figures docs/language.md``.
Checks, completion, hover, the grammar and the layer follow from the entry.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from fractions import Fraction

import attrs

from blueprintc.semantic import schema
from blueprintc.semantic.units import UnitError, interpret
from blueprintc.source import Span
from blueprintc.syntax import ast

SECONDS_PER_MONTH = 365 * 24 * 3600 // 12
"""A month of the ``assert`` units (a twelfth of a 365-day year), in seconds."""

MATURITY_POSITIONS = ("current", "target")
"""Besides a layer, what ``maturity(...)`` can name."""
POSITIONS = frozenset({*schema.LAYERS, *MATURITY_POSITIONS})


class Argument(enum.Enum):
    """What a figure's argument names."""

    CHANNEL = "channel"
    SITE = "site"
    PHASE = "phase"
    OPTION = "option"
    YEAR = "year"
    LAYER = "layer"
    NONE = "none"

    @property
    def help(self) -> str:
        """What the argument may be, as a diagnostic says it."""
        return _ARGUMENT_HELP[self]

    @property
    def declares(self) -> str | None:
        """The kind of declaration the argument names, if it names one."""
        return self.value if self in (Argument.CHANNEL, Argument.SITE, Argument.PHASE) else None

    def words(self, written: str = "") -> tuple[str, ...]:
        """The fixed words that can come next in the argument after ``written``."""
        if written.split() == ["option"] and self is Argument.OPTION:
            return schema.DEPLOYMENT_MODELS
        if written.strip():
            return ()
        return _ARGUMENT_WORDS[self]


_ARGUMENT_HELP = {
    Argument.CHANNEL: "a channel or `total`",
    Argument.SITE: "a site or `total`",
    Argument.YEAR: "`year N` within the horizon, or `total`",
    Argument.OPTION: "`option cloud`, `option onprem` or `option hosted` of a component, or "
    "`total`",
    Argument.NONE: "`total` or nothing",
    Argument.LAYER: "a layer, `current`, `target` or `total`",
    Argument.PHASE: "a phase",
}

_ARGUMENT_WORDS = {
    Argument.CHANNEL: ("total",),
    Argument.SITE: ("total",),
    Argument.PHASE: (),
    Argument.OPTION: ("option", "total"),
    Argument.YEAR: ("year", "total"),
    Argument.LAYER: (*MATURITY_POSITIONS, "total", *schema.LAYERS),
    Argument.NONE: ("total",),
}
ARGUMENT_WORDS = frozenset(
    {*(w for words in _ARGUMENT_WORDS.values() for w in words), *schema.DEPLOYMENT_MODELS}
)
"""Words an argument can hold that are not names of declarations."""


class Kind(enum.Enum):
    """The kind of a value in an assertion: what it can be compared or combined with."""

    PERCENTAGE = "percentage"
    DURATION = "duration"
    COUNT = "count"
    MONEY = "money"
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"

    def __str__(self) -> str:
        return self.value


class Unit(enum.Enum):
    """The unit of a figure's value; :attr:`kind` is what it compares with."""

    SHARE = "share"  # a fraction, shown as a percentage
    SECONDS = "seconds"
    MONTHS = "months"  # canonical seconds, shown in months
    COUNT = "count"
    MONEY = "money"  # in the blueprint's currency
    INDEX = "index"  # 0 to 100
    DATE = "date"  # a month number

    @property
    def kind(self) -> Kind:
        return _UNIT_KINDS[self]

    @property
    def described(self) -> str:
        """The unit as the language reference states it."""
        return _UNIT_TEXT[self]


_UNIT_KINDS = {
    Unit.SHARE: Kind.PERCENTAGE,
    Unit.SECONDS: Kind.DURATION,
    Unit.MONTHS: Kind.DURATION,
    Unit.COUNT: Kind.COUNT,
    Unit.MONEY: Kind.MONEY,
    Unit.INDEX: Kind.NUMBER,
    Unit.DATE: Kind.DATE,
}
_UNIT_TEXT = {
    Unit.SHARE: "percentage",
    Unit.SECONDS: "duration",
    Unit.MONTHS: "duration, in months",
    Unit.COUNT: "count",
    Unit.MONEY: "money",
    Unit.INDEX: "index, 0 to 100",
    Unit.DATE: "month",
}
COMPATIBLE = frozenset({frozenset({Kind.COUNT, Kind.NUMBER})})
"""Kinds that combine although they differ: a count is a number."""


class Layer(enum.Enum):
    """The layer an assertion naming the figure belongs to."""

    OPERATIONAL = "operational"
    FINANCIAL = "financial-functional"


class Stage(enum.Enum):
    """The stage of the compiler that computes a figure."""

    SIZING = "sizing"
    COSTING = "costing"
    MATURITY = "maturity"
    PHASING = "phasing"
    BUSINESS_CASE = "business case"


@attrs.frozen
class Figure:
    """A figure an ``assert`` can name."""

    name: str
    argument: Argument
    unit: Unit
    layer: Layer
    stage: Stage
    summary: str  # one line for completion and hover, with an example
    forms: tuple[str, ...]  # how it is written, for the language reference
    definition: str  # what it is, for the language reference
    bare: bool = False  # written without parentheses: `payback`

    @property
    def kind(self) -> Kind:
        return self.unit.kind


def _f(
    name: str,
    argument: Argument,
    unit: Unit,
    stage: Stage,
    summary: str,
    forms: tuple[str, ...],
    definition: str,
    *,
    layer: Layer = Layer.OPERATIONAL,
    bare: bool = False,
) -> Figure:
    return Figure(name, argument, unit, layer, stage, summary, forms, definition, bare)


_OPERATIONAL_WEIGHTED = (
    " (`total`: of all real-time channels), averaged over every interval of the horizon "
    "weighted by contacts"
)
FIGURES: tuple[Figure, ...] = (
    _f(
        "occupancy",
        Argument.CHANNEL,
        Unit.SHARE,
        Stage.SIZING,
        "occupancy of a channel: `occupancy(voice)`",
        ("occupancy(CHANNEL)", "occupancy(total)"),
        "agent occupancy of a channel" + _OPERATIONAL_WEIGHTED,
    ),
    _f(
        "service_level",
        Argument.CHANNEL,
        Unit.SHARE,
        Stage.SIZING,
        "achieved service level of a channel: `service_level(voice)`",
        ("service_level(CHANNEL)", "service_level(total)"),
        "achieved service level of a channel" + _OPERATIONAL_WEIGHTED,
    ),
    _f(
        "asa",
        Argument.CHANNEL,
        Unit.SECONDS,
        Stage.SIZING,
        "average speed of answer of a channel: `asa(voice)`",
        ("asa(CHANNEL)", "asa(total)"),
        "average speed of answer of a channel" + _OPERATIONAL_WEIGHTED,
    ),
    _f(
        "abandon",
        Argument.CHANNEL,
        Unit.SHARE,
        Stage.SIZING,
        "abandonment rate of a channel: `abandon(voice)`",
        ("abandon(CHANNEL)", "abandon(total)"),
        "abandonment rate of a channel" + _OPERATIONAL_WEIGHTED,
    ),
    _f(
        "agents",
        Argument.CHANNEL,
        Unit.COUNT,
        Stage.SIZING,
        "peak agents of a channel or `total`: `agents(voice)`",
        ("agents(CHANNEL)", "agents(total)"),
        "peak agents of a channel in any interval, or of the center (agents logged in at "
        "the same time)",
    ),
    _f(
        "fte",
        Argument.CHANNEL,
        Unit.COUNT,
        Stage.SIZING,
        "FTE of a channel or `total`: `fte(total)`",
        ("fte(CHANNEL)", "fte(total)"),
        "FTE of a channel in its peak month, or of the center (agents and support staff)",
    ),
    _f(
        "seats",
        Argument.SITE,
        Unit.COUNT,
        Stage.SIZING,
        "seats needed at a site or `total`: `seats(hq)`",
        ("seats(SITE)", "seats(total)"),
        "seats needed at a site at the peak, or in total",
    ),
    _f(
        "capex",
        Argument.YEAR,
        Unit.MONEY,
        Stage.COSTING,
        "capital expenditure of a year or `total`: `capex(year 1)`",
        ("capex(year N)", "capex(total)"),
        "capital expenditure of one year of the horizon, or in total",
        layer=Layer.FINANCIAL,
    ),
    _f(
        "opex",
        Argument.YEAR,
        Unit.MONEY,
        Stage.COSTING,
        "operating expenditure of a year or `total`: `opex(year 2)`",
        ("opex(year N)", "opex(total)"),
        "operating expenditure of one year, or in total",
        layer=Layer.FINANCIAL,
    ),
    _f(
        "npv",
        Argument.OPTION,
        Unit.MONEY,
        Stage.COSTING,
        "net present value of the design or an option: `npv(option cloud)`",
        ("npv(total)", "npv(option MODEL)"),
        "net present value of the design, or of the design with an `option` deployment model "
        "(`cloud`, `onprem`, `hosted`)",
        layer=Layer.FINANCIAL,
    ),
    _f(
        "tco",
        Argument.OPTION,
        Unit.MONEY,
        Stage.COSTING,
        "total cost of ownership of the design or an option: `tco(total)`",
        ("tco(total)", "tco(option MODEL)"),
        "total cost of ownership: all capex and opex of the horizon, of the design or of the "
        "design with an `option` deployment model",
        layer=Layer.FINANCIAL,
    ),
    _f(
        "cost_per_contact",
        Argument.CHANNEL,
        Unit.MONEY,
        Stage.COSTING,
        "cost per contact of a channel or `total`: `cost_per_contact(voice)`",
        ("cost_per_contact(CHANNEL)", "cost_per_contact(total)"),
        "staff and telephony cost of a channel over its contacts, or all operating cost over "
        "all contacts (`total`)",
        layer=Layer.FINANCIAL,
    ),
    _f(
        "maturity",
        Argument.LAYER,
        Unit.INDEX,
        Stage.MATURITY,
        "maturity index of a layer or `total`: `maturity(target)`",
        ("maturity(LAYER)", "maturity(current)", "maturity(target)", "maturity(total)"),
        "maturity index: of a layer at the target position, today's (`current`) or the "
        "target's (`target`, `total`)",
    ),
    _f(
        "phase_end",
        Argument.PHASE,
        Unit.DATE,
        Stage.PHASING,
        "end month of a phase: `phase_end(foundation)`",
        ("phase_end(PHASE)",),
        "the month a phase ends in",
    ),
    _f(
        "payback",
        Argument.NONE,
        Unit.MONTHS,
        Stage.BUSINESS_CASE,
        "months until the business case pays back (needs a `baseline`): `payback`",
        ("payback",),
        "months from the start until the business case pays back (the cumulative net cash "
        "flow against today's operation stays at or above zero); not reached within the "
        "horizon, it is larger than any number of months",
        layer=Layer.FINANCIAL,
        bare=True,
    ),
    _f(
        "irr",
        Argument.NONE,
        Unit.SHARE,
        Stage.BUSINESS_CASE,
        "internal rate of return of the business case, a year: `irr`",
        ("irr",),
        "the business case's internal rate of return, a year",
        layer=Layer.FINANCIAL,
        bare=True,
    ),
    _f(
        "roi",
        Argument.NONE,
        Unit.SHARE,
        Stage.BUSINESS_CASE,
        "return on the design's investment over the horizon: `roi`",
        ("roi",),
        "the business case's return on investment over the horizon: (savings + benefits − "
        "capex) ÷ capex",
        layer=Layer.FINANCIAL,
        bare=True,
    ),
    _f(
        "savings",
        Argument.YEAR,
        Unit.MONEY,
        Stage.BUSINESS_CASE,
        "do-nothing minus design operating cost of a year or `total`: `savings(year 2)`",
        ("savings(year N)", "savings(total)"),
        "today's operating cost minus the design's, in one year or in total",
        layer=Layer.FINANCIAL,
    ),
)
BY_NAME: Mapping[str, Figure] = {f.name: f for f in FIGURES}
"""Every figure by its name, in the order of :data:`FIGURES`."""


def bare(name: str) -> Figure | None:
    """The figure written without parentheses that ``name`` is, if any."""
    found = BY_NAME.get(name)
    return found if found is not None and found.bare else None


# -- typed assertions -----------------------------------------------------------------------


@attrs.frozen
class Total:
    """The whole design: ``total``, or nothing where the figure allows it."""


@attrs.frozen
class Named:
    """A declaration of ``kind`` (a channel, site or phase), by its declared name."""

    kind: str
    name: str


@attrs.frozen
class Year:
    """``year N``: the Nth year of the horizon, from 1."""

    number: int


@attrs.frozen
class Option:
    """``option M``: the design with every component under deployment model M."""

    model: str


@attrs.frozen
class Position:
    """``maturity``'s argument: a layer, ``current`` or ``target``."""

    word: str


@attrs.frozen
class Malformed:
    """An argument the figure does not take; the type checks report it."""


Resolved = Total | Named | Year | Option | Position | Malformed


@attrs.frozen
class FigureRef:
    """A figure named in an assertion, with its argument resolved."""

    figure: Figure
    argument: Resolved
    written: str  # the arguments as written, for messages ("nothing" without any)
    span: Span


@attrs.frozen
class Literal:
    """A number in canonical units; ``value`` is None for a unit the checks rejected."""

    value: Fraction | None
    kind: Kind
    span: Span


@attrs.frozen
class Month:
    """A date, as its month number."""

    number: int
    span: Span


class Op(enum.Enum):
    """The operators of an assertion."""

    ADD = "+"
    SUBTRACT = "-"
    MULTIPLY = "*"
    LESS = "<"
    AT_MOST = "<="
    GREATER = ">"
    AT_LEAST = ">="
    EQUAL = "=="
    NOT_EQUAL = "!="
    AND = "and"
    OR = "or"

    def __str__(self) -> str:
        return self.value


ARITHMETIC = frozenset({Op.ADD, Op.SUBTRACT, Op.MULTIPLY})
COMPARISONS = frozenset({Op.LESS, Op.AT_MOST, Op.GREATER, Op.AT_LEAST, Op.EQUAL, Op.NOT_EQUAL})
LOGIC = frozenset({Op.AND, Op.OR})


@attrs.frozen
class Binary:
    """``left op right``: arithmetic, a comparison, ``and`` or ``or``."""

    op: Op
    left: Typed
    right: Typed
    span: Span


@attrs.frozen
class Negate:
    """``-operand``."""

    operand: Typed
    span: Span


@attrs.frozen
class Not:
    """``not operand``."""

    operand: Typed
    span: Span


Typed = FigureRef | Literal | Month | Binary | Negate | Not
"""An assertion, or a part of one, resolved."""


class Unresolved(Exception):
    """The expression is not an assertion (the semantic checks reported why)."""


def resolve(expr: ast.Expr, exchange: Mapping[str, Fraction]) -> Typed:
    """The typed tree of an ``assert`` expression; ``exchange`` converts currencies."""
    if isinstance(expr, ast.BinaryOp):
        return Binary(
            Op(expr.op), resolve(expr.left, exchange), resolve(expr.right, exchange), expr.span
        )
    if isinstance(expr, ast.UnaryOp):
        operand = resolve(expr.operand, exchange)
        return Not(operand, expr.span) if expr.op == "not" else Negate(operand, expr.span)
    if isinstance(expr, ast.Call):
        figure = BY_NAME.get(expr.name)
        if figure is None:
            raise Unresolved(expr.name)
        written = ", ".join(arg.span.text for arg in expr.args) or "nothing"
        atoms = [atom for arg in expr.args for atom in arg.atoms]
        return FigureRef(figure, resolve_argument(figure.argument, atoms), written, expr.span)
    if isinstance(expr, ast.Name):
        figure = bare(expr.text)
        if figure is None:
            raise Unresolved(expr.text)
        return FigureRef(figure, Total(), "nothing", expr.span)
    if isinstance(expr, ast.Date):
        return Month(expr.year * 12 + expr.month - 1, expr.span)
    return _literal(expr, exchange)


def resolve_argument(argument: Argument, atoms: list[ast.Atom]) -> Resolved:
    """What ``atoms`` (a figure's argument as parsed) name, for a figure taking ``argument``."""
    words = [a.text if isinstance(a, ast.Name) else None for a in atoms]
    if words == ["total"] or (argument in (Argument.NONE, Argument.OPTION) and not atoms):
        return Total()
    if argument in (Argument.CHANNEL, Argument.SITE, Argument.PHASE):
        if len(atoms) == 1 and isinstance(atoms[0], ast.Name):
            kind = argument.value
            parts = atoms[0].parts
            return Named(kind, parts[-1] if parts[0] == kind else atoms[0].text)
    elif argument is Argument.YEAR:
        if len(atoms) == 2 and words[0] == "year" and isinstance(atoms[1], ast.Quantity):
            value = atoms[1].value
            if atoms[1].unit is None and value == int(value):
                return Year(int(value))
    elif argument is Argument.OPTION:
        if len(words) == 2 and words[0] == "option" and words[1] is not None:
            return Option(words[1])
    elif argument is Argument.LAYER and len(words) == 1 and words[0] in POSITIONS:
        return Position(words[0])
    return Malformed()


def _literal(quantity: ast.Quantity, exchange: Mapping[str, Fraction]) -> Literal:
    value = Fraction(quantity.value)
    unit = quantity.unit
    if unit is None:
        return Literal(value, Kind.NUMBER, quantity.span)
    info = interpret(unit.numerator, unit.per, dict(exchange))
    if isinstance(info, UnitError):
        return Literal(None, Kind.NUMBER, quantity.span)  # the semantic checks reported it
    value *= info.factor
    if info.percent:
        return Literal(value, Kind.PERCENTAGE, quantity.span)
    if dict(info.dims).get("money") == 1:
        return Literal(value, Kind.MONEY, quantity.span)
    kind = Kind.DURATION if info.dims == (("time", 1),) else Kind.NUMBER
    return Literal(value, kind, quantity.span)


def figure_refs(expr: Typed) -> Iterator[FigureRef]:
    """The figures an assertion names, left to right."""
    if isinstance(expr, FigureRef):
        yield expr
    elif isinstance(expr, Binary):
        yield from figure_refs(expr.left)
        yield from figure_refs(expr.right)
    elif isinstance(expr, (Negate, Not)):
        yield from figure_refs(expr.operand)


def layer_of(expr: Typed | None) -> Layer:
    """The layer of an assertion: financial-functional when it names a figure of that
    layer, else operational."""
    refs = figure_refs(expr) if expr is not None else iter(())
    if any(ref.figure.layer is Layer.FINANCIAL for ref in refs):
        return Layer.FINANCIAL
    return Layer.OPERATIONAL


# -- the language reference -----------------------------------------------------------------

TABLE_START = "<!-- figures:start (generated by python -m blueprintc.semantic.figures) -->"
TABLE_END = "<!-- figures:end -->"


def render_table() -> str:
    """The table of figures of ``docs/language.md``, between its markers."""
    rows = [TABLE_START, "", "| figure | what it is | value | computed by |", "|---|---|---|---|"]
    for figure in FIGURES:
        forms = ", ".join(f"`{form}`" for form in figure.forms)
        rows.append(
            f"| {forms} | {figure.definition} | {figure.unit.described} | {figure.stage.value} |"
        )
    return "\n".join([*rows, "", TABLE_END])


def splice_table(document: str) -> str:
    """``document`` with its table of figures replaced by a fresh one."""
    head, _, rest = document.partition(TABLE_START)
    _, _, tail = rest.partition(TABLE_END)
    return head + render_table() + tail


if __name__ == "__main__":
    import sys
    from pathlib import Path

    target = Path(sys.argv[1])
    target.write_text(splice_table(target.read_text(encoding="utf-8")), encoding="utf-8")
