"""Model classes, named after the domain: what a blueprint declares once names, units,
inheritance and defaults are resolved.

Values are in canonical units: durations in seconds, rates per hour, shares and
percentages as fractions (0.8), money in the blueprint's currency; all exact
:class:`~fractions.Fraction` numbers. Every element keeps the span of its name and, per
field, the :class:`Origin` that supplied the value (declared here, inherited from a
template, or a documented default), so that any figure can be traced to a line of a file.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import TypeVar

import attrs

from blueprintc.semantic import figures
from blueprintc.semantic.labels import readable
from blueprintc.semantic.values import FieldValue
from blueprintc.source import Span
from blueprintc.syntax import ast

LAYERS = ("brand", "business", "financial-functional", "operational", "technology")
E = TypeVar("E", bound="Element")


@attrs.frozen
class Ref:
    """A reference to a model element by kind and name."""

    kind: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"

    def __str__(self) -> str:
        return self.name


@attrs.frozen
class Origin:
    """Where a field's value came from: its span and how (declared, inherited, default).

    ``values`` are the field's effective values as checked (what was written, with its
    units and the span of each entry); ``library`` is True when a standard-library
    declaration supplied them. Both serve the provenance of inputs
    (:mod:`blueprintc.model.provenance`) and take no part in comparisons."""

    span: Span | None
    via: str = "declared"
    values: tuple[FieldValue, ...] = attrs.field(default=(), eq=False, repr=False)
    library: bool = attrs.field(default=False, eq=False)


@attrs.frozen
class Allow:
    """``allow CODE because "reason"``: an alignment rule silenced for one element."""

    code: str
    reason: str
    span: Span


@attrs.frozen
class Amount:
    """A price or cost: value per unit of the listed counting dimensions, time per hour.

    ``per`` lists the counting units divided by (``seat``, ``user``, ``contact``, ...);
    ``per_time`` is True for recurring amounts (the value is then per hour).
    """

    value: Fraction
    per: tuple[str, ...] = ()
    per_time: bool = False
    span: Span | None = None


@attrs.frozen(kw_only=True)
class Element:
    """Common to every model element."""

    name: str
    span: Span
    origins: Mapping[str, Origin] = attrs.field(factory=dict)
    allows: tuple[Allow, ...] = ()
    label: str | None = None
    description: str | None = None
    library: bool = False

    kind = "element"
    layer = "operational"

    @property
    def ref(self) -> Ref:
        return Ref(self.kind, self.name)

    @property
    def display(self) -> str:
        """The name a reader is shown: the ``label``, else the name made readable
        (``tech_voice``: Tech voice). The name stays the element's identity."""
        return self.label or readable(self.name)

    def origin(self, field: str) -> Origin | None:
        """Where a field's value came from, or None when it was not set at all."""
        return self.origins.get(field)


class UnitSystem(enum.Enum):
    """The units the documents show areas in."""

    METRIC = "metric"  # square metres
    IMPERIAL = "imperial"  # square feet


class Level(enum.Enum):
    """A rating on a three-step scale: a risk's likelihood or impact."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """1 (low), 2 (medium) or 3 (high): the level's row or column of the risk matrix."""
        return _LEVEL_RANKS[self]


_LEVEL_RANKS = {Level.LOW: 1, Level.MEDIUM: 2, Level.HIGH: 3}


@attrs.frozen(kw_only=True)
class Blueprint(Element):
    """The blueprint's metadata and settings."""

    kind = "blueprint"
    layer = "brand"
    title: str
    client: str | None = None
    author: str | None = None
    version: str | None = None
    currency: str
    exchange: Mapping[str, Fraction] = attrs.field(factory=dict)
    start_year: int
    start_month: int
    horizon_months: int
    discount: Fraction
    interval: Fraction
    automation_threshold: Fraction
    closed_hours: str
    overlap_months: int = 1
    locale: str = "en_US"
    """The client's CLDR locale identifier (``en_GB``), checked and in canonical form."""
    units: UnitSystem = UnitSystem.IMPERIAL
    """The units areas are shown in: declared, else the locale's territory's."""

    @property
    def display(self) -> str:
        """The ``label``, else the title."""
        return self.label or self.title


@attrs.frozen
class PromiseTarget:
    """A channel service target a promise commits to."""

    channel: Ref
    level: Fraction
    within: Fraction
    span: Span


@attrs.frozen(kw_only=True)
class Promise(Element):
    """A brand promise; services deliver it."""

    kind = "promise"
    layer = "brand"
    brand: str
    text: str | None = None
    targets: tuple[PromiseTarget, ...] = ()


@attrs.frozen(kw_only=True)
class Brand(Element):
    """The brand, its positioning, promises and values."""

    kind = "brand"
    layer = "brand"
    positioning: str | None = None
    promises: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()


@attrs.frozen(kw_only=True)
class Segment(Element):
    """A customer segment."""

    kind = "segment"
    layer = "business"
    share: Fraction
    customers: Fraction | None = None
    value: str
    potential: str | None = None
    strategy: str
    intensity: str


@attrs.frozen(kw_only=True)
class Service(Element):
    """A customer service."""

    kind = "service"
    layer = "business"
    delivers: tuple[Ref, ...] = ()
    segments: tuple[Ref, ...] = ()
    cycle: tuple[str, ...] = ()
    product: str | None = None


@attrs.frozen
class Migration:
    """A planned move of a share of a process's volume from one channel to another."""

    source: Ref
    target: Ref
    share: Fraction
    by: tuple[int, int] | None
    span: Span


@attrs.frozen(kw_only=True)
class Process(Element):
    """An interaction process with its volume, channel mix and handle times."""

    kind = "process"
    layer = "business"
    service: Ref
    volume: Fraction  # contacts per hour, averaged over the year
    growth: Fraction = Fraction(0)  # per year
    mix: Mapping[Ref, Fraction] = attrs.field(factory=dict)
    aht: Mapping[Ref, Fraction] = attrs.field(factory=dict)
    acw: Mapping[Ref, Fraction] = attrs.field(factory=dict)
    automation: Mapping[Ref, Fraction] = attrs.field(factory=dict)
    migrations: tuple[Migration, ...] = ()
    seasonality: Ref | None = None
    segments: tuple[Ref, ...] = ()
    unbound: tuple[tuple[str, Span], ...] = ()

    @property
    def yearly_volume(self) -> Fraction:
        return self.volume * 8760


@attrs.frozen(kw_only=True)
class Outbound(Element):
    """A proactive (outbound) interaction."""

    kind = "outbound"
    layer = "business"
    service: Ref
    trigger: str
    channel: Ref
    volume: Fraction  # attempts per hour
    contact_rate: Fraction | None = None
    aht: Fraction | None = None
    attempt_time: Fraction | None = None


@attrs.frozen
class Opening:
    """Opening hours on some days: minutes of the day [start, end)."""

    days: tuple[int, ...]
    start: int
    end: int
    span: Span

    @property
    def hours_per_week(self) -> Fraction:
        return Fraction((self.end - self.start) * len(self.days), 60)


@attrs.frozen
class Target:
    """``level`` of contacts within ``within`` seconds, under a service-level definition."""

    level: Fraction
    within: Fraction
    definition: str
    span: Span


@attrs.frozen(kw_only=True)
class Channel(Element):
    """A channel the center offers."""

    kind = "channel"
    layer = "operational"
    channel_kind: str | None = None
    mode: str = "realtime"
    hours: tuple[Opening, ...] = ()
    target: Target | None = None
    response: Target | None = None
    max_asa: Fraction | None = None
    max_abandon: Fraction | None = None
    patience: Fraction | None = None
    shrinkage: Fraction | None = None
    occupancy: Fraction | None = None
    concurrency: Fraction = Fraction(1)
    intraday: tuple[tuple[Ref, tuple[int, ...]], ...] = ()
    weekly: Ref | None = None
    minimum_agents: int = 0
    usage: Amount | None = None
    templates: tuple[str, ...] = ()

    @property
    def hours_per_week(self) -> Fraction:
        return sum((o.hours_per_week for o in self.hours), Fraction(0))

    @property
    def assisted(self) -> bool:
        return self.mode != "self_service"


@attrs.frozen(kw_only=True)
class Pattern(Element):
    """An arrival pattern: intraday, weekly and monthly weights."""

    kind = "pattern"
    layer = "operational"
    intraday: tuple[tuple[int, int, Fraction], ...] = ()
    weekly: Mapping[int, Fraction] = attrs.field(factory=dict)
    monthly: Mapping[int, Fraction] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Site(Element):
    """A site with seats and facility costs."""

    kind = "site"
    layer = "operational"
    location: str | None = None
    seats: int
    channels: tuple[Ref, ...] = ()
    share: Fraction | None = None
    area_per_seat: Fraction | None = None
    rent: Amount | None = None
    fitout: Amount | None = None
    running: Amount | None = None
    existing: bool = False
    opens: tuple[int, int] | None = None  # (year, month) a new site opens


@attrs.frozen(kw_only=True)
class Staffing(Element):
    """The staffing policy."""

    kind = "staffing"
    layer = "operational"
    loaded_cost: Fraction  # per paid hour
    paid_hours: Fraction  # share of the week's hours (37.5 h/week = 37.5/168)
    spans: Mapping[str, int] = attrs.field(factory=dict)
    role_costs: Mapping[str, Fraction] = attrs.field(factory=dict)  # per person per year
    minimum_agents: int = 0
    role_origins: Mapping[tuple[str, str], Origin] = attrs.field(factory=dict)
    """The line of each role's own ``span`` and ``role_cost``, keyed by (field, role): a
    role's figures cite its line, not the first line of the field."""

    @property
    def paid_hours_per_week(self) -> Fraction:
        return self.paid_hours * 168

    def role_origin(self, field: str, role: str) -> Origin | None:
        """Where ``field`` (``span`` or ``role_cost``) was given for ``role``; None if not."""
        return self.role_origins.get((field, role))


@attrs.frozen(kw_only=True)
class Budget(Element):
    """A budget and what it covers."""

    kind = "budget"
    layer = "financial-functional"
    amount: Fraction
    covers: tuple[Ref, ...] = ()
    year: int | None = None


@attrs.frozen
class Costs:
    """The cost lines of a component under one deployment model."""

    subscription: Amount | None = None
    licence: Amount | None = None
    usage: Amount | None = None
    maintenance: Fraction | None = None
    implementation: Amount | None = None
    hosting: Amount | None = None

    def same_prices(self, other: Costs) -> bool:
        """Whether two sets of costs are the same figures, wherever they were written."""

        def figures(costs: Costs) -> tuple[object, ...]:
            return tuple(
                attrs.evolve(value, span=None) if isinstance(value, Amount) else value
                for value in attrs.astuple(costs, recurse=False)
            )

        return figures(self) == figures(other)

    def one_time_total(self) -> Fraction:
        """One-time costs that need no sizing: implementation and flat licences."""
        total = Fraction(0)
        for amount in (self.implementation, self.licence):
            if amount is not None and not amount.per and not amount.per_time:
                total += amount.value
        return total


@attrs.frozen(kw_only=True)
class Component(Element):
    """A technology component."""

    kind = "component"
    layer = "technology"
    component_kind: str | None = None
    model: str | None = None
    supports: tuple[Ref, ...] = ()
    requires: tuple[Ref, ...] = ()
    missing_requires: tuple[tuple[str, Span], ...] = ()
    vendor: Ref | None = None
    costs: Costs = attrs.field(factory=Costs)
    options: Mapping[str, Costs] = attrs.field(factory=dict)
    effort: Fraction | None = None
    replaces: tuple[Ref, ...] = ()
    templates: tuple[str, ...] = ()


@attrs.frozen
class Pilot:
    """Trial-then-rollout: a channel launched to a share of customers first."""

    channel: Ref
    share: Fraction
    duration: Fraction | None
    span: Span


@attrs.frozen(kw_only=True)
class Phase(Element):
    """A project phase."""

    kind = "phase"
    layer = "financial-functional"
    includes: tuple[Ref, ...] = ()
    after: tuple[Ref, ...] = ()
    start: tuple[int, int] | None = None
    duration: Fraction | None = None
    budget: Fraction | None = None
    pilots: tuple[Pilot, ...] = ()


@attrs.frozen(kw_only=True)
class Requirement(Element):
    """An RFP requirement."""

    kind = "requirement"
    layer = "financial-functional"
    category: str
    priority: str
    text: str
    acceptance: str | None = None
    traces: tuple[Ref, ...] = ()
    mandatory: bool = False


@attrs.frozen(kw_only=True)
class Criterion(Element):
    """A selection criterion."""

    kind = "criterion"
    layer = "financial-functional"
    weight: Fraction


@attrs.frozen(kw_only=True)
class Vendor(Element):
    """A vendor and its bid."""

    kind = "vendor"
    layer = "financial-functional"
    bids: tuple[Ref, ...] = ()
    scores: Mapping[Ref, Fraction] = attrs.field(factory=dict)
    price: Fraction | None = None
    fails: tuple[Ref, ...] = ()
    discount: Fraction | None = None


@attrs.frozen(kw_only=True)
class Practice(Element):
    """A maturity practice; its layer is the one it belongs to."""

    kind = "practice"
    practice_layer: str
    tier: str
    weight: Fraction = Fraction(1)
    effort: Fraction | None = None
    cost: Fraction | None = None

    @property
    def layer(self) -> str:  # type: ignore[override]
        return "financial-functional" if self.practice_layer == "financial" else self.practice_layer


@attrs.frozen(kw_only=True)
class Maturity(Element):
    """The maturity position: practices now and targeted."""

    kind = "maturity"
    layer = "operational"
    current: tuple[Ref, ...] = ()
    target: tuple[Ref, ...] = ()


@attrs.frozen(kw_only=True)
class System(Element):
    """An existing system of the current center."""

    kind = "system"
    layer = "technology"
    fate: str
    cost: Fraction | None = None  # per hour
    supports: tuple[Ref, ...] = ()


@attrs.frozen(kw_only=True)
class Baseline(Element):
    """Today's operation: volumes, handle times, performance, staff, sites and cost.

    The channels given a ``volume`` are the channels the client runs today. Per-channel
    figures are keyed by channel; ``agents`` and ``fte`` are the totals and
    ``channel_agents`` and ``channel_fte`` the per-channel statements. ``lines`` holds the
    span of each line by (field, channel name, or "" for a total), for diagnostics.
    """

    kind = "baseline"
    layer = "operational"
    volumes: Mapping[Ref, Fraction] = attrs.field(factory=dict)  # contacts per hour
    aht: Mapping[Ref, Fraction] = attrs.field(factory=dict)
    acw: Mapping[Ref, Fraction] = attrs.field(factory=dict)
    service_levels: Mapping[Ref, tuple[Fraction, Fraction]] = attrs.field(factory=dict)
    abandon: Mapping[Ref, Fraction] = attrs.field(factory=dict)
    agents: int | None = None
    fte: Fraction | None = None
    channel_agents: Mapping[Ref, int] = attrs.field(factory=dict)
    channel_fte: Mapping[Ref, Fraction] = attrs.field(factory=dict)
    seats: int | None = None
    sites: tuple[Ref, ...] = ()
    growth: Fraction | None = None  # per year; None: the design's
    tolerance: Fraction = Fraction(1, 5)
    cost: Fraction | None = None  # per hour
    lines: Mapping[tuple[str, str], Span] = attrs.field(factory=dict)
    repeated: tuple[tuple[str, str, Span, Span], ...] = ()  # field, channel, line, first line
    unbound: tuple[tuple[str, Span], ...] = ()

    def line(self, field: str, channel: Ref | None = None) -> Span:
        """The span of the line that states ``field`` (for ``channel``), else the block's."""
        return self.lines.get((field, channel.name if channel else ""), self.span)


@attrs.frozen(kw_only=True)
class Benefit(Element):
    """A benefit the design brings besides lower cost, with where its figure comes from.

    ``amount`` is per hour at full strength (× 730 for a month); it starts at ``start``
    (year, month) or, without one, when the last of ``because`` goes live, and rises
    linearly over ``ramp_months``.
    """

    kind = "benefit"
    layer = "financial-functional"
    amount: Fraction  # per hour
    because: tuple[Ref, ...] = ()
    start: tuple[int, int] | None = None
    ramp_months: int = 0
    source: str

    @property
    def per_month(self) -> Fraction:
        return self.amount * 730


@attrs.frozen(kw_only=True)
class Risk(Element):
    """A risk of the register: how likely it is, what it would do, who owns it, what is
    done about it and what it threatens.

    ``score`` is likelihood × impact, each ranked 1 (low) to 3 (high), on the 3 × 3
    probability-and-impact matrix: 1 to 9. ``rating`` groups the scores: 6 and 9 high
    (a high rating and at least a medium one), 3 and 4 medium, 1 and 2 low.
    """

    kind = "risk"
    layer = "financial-functional"
    likelihood: Level
    impact: Level
    owner: str | None = None
    mitigation: str | None = None
    threatens: tuple[Ref, ...] = ()

    @property
    def score(self) -> int:
        return self.likelihood.rank * self.impact.rank

    @property
    def rating(self) -> Level:
        if self.score >= 6:
            return Level.HIGH
        return Level.MEDIUM if self.score >= 3 else Level.LOW


def ranked(risks: Iterable[Risk]) -> tuple[Risk, ...]:
    """Risks from the most to the least severe: by score, then by impact (a rare disaster
    before a frequent nuisance of the same score), then in declaration order."""
    return tuple(sorted(risks, key=lambda risk: (-risk.score, -risk.impact.rank)))


@attrs.frozen(kw_only=True)
class Assertion(Element):
    """An ``assert`` constraint: ``expr`` as written, ``typed`` as the semantic stage
    resolved it (:mod:`blueprintc.semantic.figures`); evaluated once its figures are
    computed."""

    kind = "assertion"
    expr: ast.Expr
    typed: figures.Typed
    mentions: tuple[Ref, ...] = ()  # what the figures' arguments name

    @property
    def display(self) -> str:
        """The assertion as written."""
        return self.label or self.name

    @property
    def functions(self) -> tuple[str, ...]:
        """The figures it names, left to right."""
        return tuple(ref.figure.name for ref in figures.figure_refs(self.typed))

    @property
    def layer(self) -> str:  # type: ignore[override]
        return figures.layer_of(self.typed).value


__all__ = [
    "LAYERS",
    "Allow",
    "Amount",
    "Assertion",
    "Baseline",
    "Benefit",
    "Blueprint",
    "Brand",
    "Budget",
    "Channel",
    "Component",
    "Costs",
    "Criterion",
    "E",
    "Element",
    "Level",
    "Maturity",
    "Migration",
    "Opening",
    "Origin",
    "Outbound",
    "Pattern",
    "Phase",
    "Pilot",
    "Practice",
    "Process",
    "Promise",
    "PromiseTarget",
    "Ref",
    "Requirement",
    "Risk",
    "Segment",
    "Service",
    "Site",
    "Staffing",
    "System",
    "Target",
    "UnitSystem",
    "Vendor",
    "ranked",
]
