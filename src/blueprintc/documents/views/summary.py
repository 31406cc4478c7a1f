"""Document 0, the executive summary: the recommendation, the key figures, what sets each
queue's staffing, the findings and the top risks, on one page.

Every figure is read from the view of the document that explains it (built once per
build: ``catalog.view``), never computed here, and carries its ``Link``: that document,
the heading to open and the path of the same figure in the document's JSON, so a test
can check that the summary and the document agree figure by figure. The findings and the
compiler-found risks are comparisons of figures those documents show (docs/documents.md,
"Executive summary").
"""

from __future__ import annotations

import enum
from fractions import Fraction
from typing import Any, cast

import attrs

from blueprintc.documents import catalog
from blueprintc.documents.context import Context
from blueprintc.documents.views.facility import FacilityDesign
from blueprintc.documents.views.financial import FinancialDesign
from blueprintc.documents.views.phasing import PhasingView
from blueprintc.documents.views.risks import RisksView
from blueprintc.documents.views.technology import TechnologyDesign
from blueprintc.documents.views.traceability import TraceabilityView
from blueprintc.documents.views.vendors import VendorsView
from blueprintc.outcome import Binding

Value = Fraction | float | int | str | Binding | None
Path = tuple[str | int, ...]

TOP_RISKS = 5
"""The most risks the summary lists (declared ones first, by likelihood × impact)."""


class Unit(enum.Enum):
    """What a figure counts: it decides how the summary rounds and words it."""

    CONTACTS = "contacts"
    FTE = "FTE"
    AGENTS = "agents"
    SEATS = "seats"
    MONEY = "money"
    MONEY_EXACT = "money, to the cent"  # small amounts: cost per contact
    MONTHS = "months"
    MONTH = "month"
    SHARE = "share"
    POINTS = "percentage points"
    SCORE = "score"  # a risk's likelihood x impact
    NAME = "name"


class Measure(enum.Enum):
    """The key figures of the summary."""

    CONTACTS = "contacts"
    FTE = "fte"
    PEAK_AGENTS = "peak_agents"
    SEATS_NEEDED = "seats_needed"
    SEATS_DECLARED = "seats_declared"
    CAPEX = "capex"
    OPEX = "opex"
    TCO = "tco"
    NPV = "npv"
    COST_PER_CONTACT = "cost_per_contact"
    SAVINGS = "savings"
    PAYBACK = "payback"
    CASE_NPV = "case_npv"
    ROI = "roi"


class FindingKind(enum.Enum):
    """What the summary checks the documents' figures for."""

    IDLE_SEATS = "idle seats"  # a site's seats the peak does not need
    SEAT_SHORTFALL = "seat shortfall"  # a site needs more seats than it has
    AGGRESSIVE_MIGRATION = "aggressive migration"  # due before the plan can start it
    BUDGET_OVERRUN = "budget overrun"  # capex above a budget
    NO_PAYBACK = "no payback"  # the change does not pay back within the horizon
    ALIGNMENT_WARNING = "alignment warning"  # a reported alignment finding


class Severity(enum.Enum):
    """How much a finding asks of the reader: a decision (warning) or a look (notice)."""

    WARNING = "warning"
    NOTICE = "notice"


class RiskSource(enum.Enum):
    DECLARED = "declared"  # a `risk` of the blueprint
    FOUND = "found"  # found by the compiler in the documents' figures


@attrs.frozen
class Link:
    """Where a figure is explained: a document (its file stem), the heading to open there
    and the path of the same figure in that document's JSON view (``json/<stem>.json``,
    under ``view``)."""

    document: str
    title: str
    anchor: str
    path: Path


@attrs.frozen
class Figure:
    """One figure of the summary, exactly as the linked document holds it."""

    label: str
    value: Value
    unit: Unit
    link: Link


@attrs.frozen
class KeyFigure:
    measure: Measure
    figure: Figure


@attrs.frozen
class Recommendation:
    """What to build and buy: the design, its cheapest deployment option and the vendor."""

    design: str  # the blueprint's title
    option: Figure | None  # the option of the lowest NPV (None: no options declared)
    option_as_designed: bool  # the design's own costs are that option's
    npv: Figure  # of the recommended option (the design's when there are no options)
    vendor: Figure | None  # the top-ranked vendor (None: no vendor evaluation)
    tied: tuple[str, ...] = ()  # vendors sharing the top place


@attrs.frozen
class QueueBinding:
    """What sets a queue's agents at its busiest interval."""

    queue: str
    binding: Figure  # a Binding
    agents: Figure  # the queue's peak agents
    month: str
    target_level: float | None  # the queue's limits, for the words of the binding one
    target_time: float | None
    limit: float | None  # max ASA (s), max abandonment, occupancy cap or minimum agents


@attrs.frozen
class Finding:
    """A figure worth the reader's attention, with what it is compared with."""

    kind: FindingKind
    severity: Severity
    subject: str
    figure: Figure
    against: Figure | None = None
    text: str | None = None  # an alignment finding's message


@attrs.frozen
class Risk:
    """A risk to the design: declared by the consultant or found by the compiler."""

    source: RiskSource
    title: str
    link: Link
    figure: Figure | None = None
    likelihood: str | None = None
    impact: str | None = None
    owner: str | None = None
    mitigation: str | None = None


@attrs.frozen
class ExecutiveSummary:
    recommendation: Recommendation
    peak_month: Figure
    figures: tuple[KeyFigure, ...]
    business_case: bool  # the blueprint has a baseline: savings, payback, NPV of the change
    bindings: tuple[QueueBinding, ...]
    findings: tuple[Finding, ...]
    risks: tuple[Risk, ...]

    def figure(self, measure: Measure) -> Figure | None:
        """The key figure of ``measure``, if the summary has it."""
        return next((k.figure for k in self.figures if k.measure is measure), None)

    @property
    def savings(self) -> Figure | None:
        return self.figure(Measure.SAVINGS)

    @property
    def payback(self) -> Figure | None:
        return self.figure(Measure.PAYBACK)

    @property
    def case_npv(self) -> Figure | None:
        return self.figure(Measure.CASE_NPV)


# -- the documents read -------------------------------------------------------------------

TECHNOLOGY = "technology-design"
FACILITY = "facility-design"
FINANCIAL = "financial-design"
PHASING = "phasing-plan"
VENDORS = "vendor-evaluation"
BUSINESS = "business-design"
TRACEABILITY = "traceability"
RISKS = "risks-and-decisions"


class _Reader:
    """The other documents' views, and links into them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def view(self, name: str) -> Any:
        return catalog.view(self.ctx, name)

    def figure(
        self, label: str, unit: Unit, name: str, anchor: str, path: Path, record: Any = None
    ) -> Figure:
        """The figure at ``path`` of document ``name``'s view (``record``: the view itself
        when None), linked to it."""
        document = catalog.by_name(name)
        assert document is not None, name
        value = _at(self.view(name) if record is None else record, path)
        return Figure(label, value, unit, Link(document.stem, document.title, anchor, path))


def _at(record: Any, path: Path) -> Any:
    """The value at ``path`` of a view: attribute names and tuple positions."""
    for step in path:
        record = record[step] if isinstance(step, int) else getattr(record, step)
    return record


def build(ctx: Context) -> ExecutiveSummary:
    """The executive summary of a compiled blueprint."""
    read = _Reader(ctx)
    financial = cast(FinancialDesign, read.view(FINANCIAL))
    case = financial.business_case is not None
    return ExecutiveSummary(
        _recommendation(read, ctx.model.blueprint.title),
        read.figure("Peak month", Unit.MONTH, TECHNOLOGY, CAPACITY, ("totals", "peak_month")),
        _key_figures(read, case),
        case,
        _bindings(read),
        _findings(read),
        _risks(read),
    )


CAPACITY = "capacity-per-channel-and-site"
SUMMARY = "summary"
CASE = "business-case"
OPTIONS = "deployment-options-side-by-side"
BUDGETS = "budget-checks"
SEATS = "seats"
RANKING = "ranking"
SENSITIVITY = "sensitivity-of-the-ranking"
WORK_ITEMS = "work-items-by-phase"
MIGRATIONS = "channel-migration-and-automation-plan"
ALIGNMENT = "alignment-findings-by-layer"
RISK_LOG = "declared-risks"


def _recommendation(read: _Reader, title: str) -> Recommendation:
    financial = cast(FinancialDesign, read.view(FINANCIAL))
    best = next((i for i, o in enumerate(financial.options) if o.rank == 1), None)
    option = npv = None
    as_designed = True
    if best is not None:
        row = financial.options[best]
        option = read.figure(
            "Deployment option", Unit.NAME, FINANCIAL, OPTIONS, ("options", best, "name")
        )
        npv = read.figure(
            "NPV of all costs", Unit.MONEY, FINANCIAL, OPTIONS, ("options", best, "npv")
        )
        as_designed = row.as_designed
    if npv is None:
        npv = read.figure("NPV of all costs", Unit.MONEY, FINANCIAL, SUMMARY, ("summary", "npv"))
    vendors = cast(VendorsView, read.view(VENDORS))
    vendor = None
    if vendors.winner is not None:
        vendor = read.figure("Vendor", Unit.NAME, VENDORS, RANKING, ("winner",))
    tied = vendors.leaders if vendors.winner is None and len(vendors.leaders) > 1 else ()
    return Recommendation(title, option, as_designed, npv, vendor, tuple(tied))


def _key_figures(read: _Reader, case: bool) -> tuple[KeyFigure, ...]:
    def key(
        measure: Measure, label: str, unit: Unit, name: str, anchor: str, *path: str
    ) -> KeyFigure:
        return KeyFigure(measure, read.figure(label, unit, name, anchor, path))

    figures = [
        key(
            Measure.CONTACTS,
            "Inbound contacts over the horizon",
            Unit.CONTACTS,
            FINANCIAL,
            SUMMARY,
            "summary",
            "contacts",
        ),
        key(
            Measure.FTE,
            "FTE in the peak month (agents and support staff)",
            Unit.FTE,
            TECHNOLOGY,
            CAPACITY,
            "totals",
            "total_fte_peak",
        ),
        key(
            Measure.PEAK_AGENTS,
            "Agents logged in at the busiest interval",
            Unit.AGENTS,
            TECHNOLOGY,
            CAPACITY,
            "totals",
            "peak_concurrent",
        ),
        key(
            Measure.SEATS_NEEDED,
            "Seats needed at the peak",
            Unit.SEATS,
            TECHNOLOGY,
            CAPACITY,
            "totals",
            "seats_needed",
        ),
        key(
            Measure.SEATS_DECLARED,
            "Seats in the sites",
            Unit.SEATS,
            TECHNOLOGY,
            CAPACITY,
            "totals",
            "seats_declared",
        ),
        key(Measure.CAPEX, "Capex", Unit.MONEY, FINANCIAL, SUMMARY, "summary", "capex"),
        key(
            Measure.OPEX, "Opex over the horizon", Unit.MONEY, FINANCIAL, SUMMARY, "summary", "opex"
        ),
        key(
            Measure.TCO, "Total cost of ownership", Unit.MONEY, FINANCIAL, SUMMARY, "summary", "tco"
        ),
        key(Measure.NPV, "NPV of all costs", Unit.MONEY, FINANCIAL, SUMMARY, "summary", "npv"),
    ]
    financial = cast(FinancialDesign, read.view(FINANCIAL))
    if financial.summary.cost_per_contact is not None:
        figures.append(
            key(
                Measure.COST_PER_CONTACT,
                "Operating cost per contact",
                Unit.MONEY_EXACT,
                FINANCIAL,
                SUMMARY,
                "summary",
                "cost_per_contact",
            )
        )
    if case:
        figures += [
            key(
                Measure.SAVINGS,
                "Savings against today's operation",
                Unit.MONEY,
                FINANCIAL,
                CASE,
                "business_case",
                "total",
                "savings",
            ),
            key(
                Measure.PAYBACK,
                "Payback",
                Unit.MONTHS,
                FINANCIAL,
                CASE,
                "business_case",
                "payback_months",
            ),
            key(
                Measure.CASE_NPV,
                "NPV of the change",
                Unit.MONEY,
                FINANCIAL,
                CASE,
                "business_case",
                "npv",
            ),
        ]
        if financial.business_case is not None and financial.business_case.roi is not None:
            figures.append(
                key(
                    Measure.ROI,
                    "Return on investment",
                    Unit.SHARE,
                    FINANCIAL,
                    CASE,
                    "business_case",
                    "roi",
                )
            )
    return tuple(figures)


def _bindings(read: _Reader) -> tuple[QueueBinding, ...]:
    technology = cast(TechnologyDesign, read.view(TECHNOLOGY))
    rows = []
    for index, (row, queue) in enumerate(
        zip(technology.capacity, read.ctx.outcome.queues, strict=True)
    ):
        if row.set_by is None:
            continue
        spec = queue.spec
        limit: float | None = {
            Binding.ASA: spec.max_asa,
            Binding.ABANDONMENT: spec.max_abandon,
            Binding.OCCUPANCY_CAP: spec.max_occupancy,
            Binding.MINIMUM_STAFF: float(spec.minimum_agents),
        }.get(row.set_by)
        rows.append(
            QueueBinding(
                row.queue,
                read.figure(
                    "Set by", Unit.NAME, TECHNOLOGY, CAPACITY, ("capacity", index, "set_by")
                ),
                read.figure(
                    "Peak agents",
                    Unit.AGENTS,
                    TECHNOLOGY,
                    CAPACITY,
                    ("capacity", index, "peak_agents"),
                ),
                row.peak_agents_month,
                spec.target_level,
                spec.target_time,
                limit,
            )
        )
    return tuple(rows)


# -- findings -----------------------------------------------------------------------------


def _findings(read: _Reader) -> tuple[Finding, ...]:
    """Warnings first, each kind in the order of its document."""
    found = [
        *_seats(read),
        *_migrations(read),
        *_budgets(read),
        *_payback(read),
        *_alignment(read),
    ]
    return tuple(sorted(found, key=lambda f: f.severity is not Severity.WARNING))


def _seats(read: _Reader) -> list[Finding]:
    """Sites with seats the peak leaves empty, or too few for it."""
    facility = cast(FacilityDesign, read.view(FACILITY))
    found = []
    for index, row in enumerate(facility.seats):
        if row.spare == 0:
            continue
        short = row.spare < 0

        def at(label: str, field: str, i: int = index) -> Figure:
            return read.figure(label, Unit.SEATS, FACILITY, SEATS, ("seats", i, field))

        found.append(
            Finding(
                FindingKind.SEAT_SHORTFALL if short else FindingKind.IDLE_SEATS,
                Severity.WARNING if short else Severity.NOTICE,
                row.site,
                at("Seats short" if short else "Seats idle at the peak", "spare"),
                at("Seats in the site", "seats_declared"),
            )
        )
    return found


def _migrations(read: _Reader) -> list[Finding]:
    """Migrations due before the plan can start them: they cannot ramp up, their volume
    moves at once when the plan starts them."""
    business, phasing = read.view(BUSINESS), cast(PhasingView, read.view(PHASING))
    starts = {
        item.id: (p, i, item.start[:7])
        for p, phase in enumerate(phasing.items)
        for i, item in enumerate(phase.items)
        if item.kind == "migration"
    }
    found = []
    for index, row in enumerate(business.migrations):
        place = starts.get(f"migration:{row.process}:{row.source}-{row.target}")
        if row.by is None or place is None or place[2] <= row.by:
            continue
        p, i, _ = place
        found.append(
            Finding(
                FindingKind.AGGRESSIVE_MIGRATION,
                Severity.WARNING,
                f"{row.process}: {row.source} to {row.target}",
                read.figure(
                    "Started by the plan",
                    Unit.MONTH,
                    PHASING,
                    WORK_ITEMS,
                    ("items", p, "items", i, "start"),
                ),
                read.figure(
                    "Due by", Unit.MONTH, BUSINESS, MIGRATIONS, ("migrations", index, "by")
                ),
            )
        )
    return found


def _budgets(read: _Reader) -> list[Finding]:
    financial = cast(FinancialDesign, read.view(FINANCIAL))
    return [
        Finding(
            FindingKind.BUDGET_OVERRUN,
            Severity.WARNING,
            row.name,
            read.figure(
                "Over budget by", Unit.MONEY, FINANCIAL, BUDGETS, ("budgets", index, "over_by")
            ),
            read.figure("Budget", Unit.MONEY, FINANCIAL, BUDGETS, ("budgets", index, "amount")),
        )
        for index, row in enumerate(financial.budgets)
        if row.over_by > 0
    ]


def _payback(read: _Reader) -> list[Finding]:
    financial = cast(FinancialDesign, read.view(FINANCIAL))
    case = financial.business_case
    if case is None or case.payback_months is not None:
        return []
    return [
        Finding(
            FindingKind.NO_PAYBACK,
            Severity.WARNING,
            "business case",
            read.figure(
                "Net cash flow of the change",
                Unit.MONEY,
                FINANCIAL,
                CASE,
                ("business_case", "total", "net"),
            ),
        )
    ]


def _alignment(read: _Reader) -> list[Finding]:
    traceability = cast(TraceabilityView, read.view(TRACEABILITY))
    return [
        Finding(
            FindingKind.ALIGNMENT_WARNING,
            Severity.WARNING if row.severity == "warning" else Severity.NOTICE,
            row.element,
            read.figure(
                "Rule", Unit.NAME, TRACEABILITY, ALIGNMENT, ("layers", i, "reported", r, "rule")
            ),
            None,
            row.message,
        )
        for i, layer in enumerate(traceability.layers)
        for r, row in enumerate(layer.reported)
    ]


# -- risks --------------------------------------------------------------------------------


def _risks(read: _Reader) -> tuple[Risk, ...]:
    """The top risks: the blueprint's own in the risk log's rank order, then those the
    compiler finds in the figures."""
    log = cast(RisksView, read.view(RISKS))
    declared = [
        Risk(
            RiskSource.DECLARED,
            row.display,
            read.figure("Score", Unit.SCORE, RISKS, RISK_LOG, ("risks", index, "score")).link,
            read.figure("Score", Unit.SCORE, RISKS, RISK_LOG, ("risks", index, "score")),
            row.likelihood,
            row.impact,
            row.owner,
            row.mitigation,
        )
        for index, row in enumerate(log.risks)
    ]
    return tuple([*declared, *_found_risks(read)][:TOP_RISKS])


def _found_risks(read: _Reader) -> list[Risk]:
    """What the documents' figures put at risk: money first, then the plan and the choice
    of vendor."""
    risks = []
    financial = cast(FinancialDesign, read.view(FINANCIAL))
    case = financial.business_case
    if case is not None and case.npv < 0:
        figure = read.figure(
            "NPV of the change", Unit.MONEY, FINANCIAL, CASE, ("business_case", "npv")
        )
        risks.append(
            Risk(
                RiskSource.FOUND,
                "The change does not earn its cost of capital over the horizon",
                figure.link,
                figure,
            )
        )
    for finding in _findings(read):
        if finding.severity is Severity.WARNING:
            risks.append(
                Risk(
                    RiskSource.FOUND,
                    _RISK_TITLES[finding.kind].format(subject=finding.subject),
                    finding.figure.link,
                    finding.figure,
                )
            )
    vendors = cast(VendorsView, read.view(VENDORS))
    if vendors.pairs and vendors.winner is not None:
        pair = vendors.pairs[0]
        closest = next((i for i, c in enumerate(pair.criteria) if c.most_sensitive), None)
        if closest is not None:
            criterion = pair.criteria[closest].criterion
            figure = read.figure(
                f"Points of the weight of {criterion} that change the winner",
                Unit.POINTS,
                VENDORS,
                SENSITIVITY,
                ("pairs", 0, "criteria", closest, "change_points"),
            )
            title = (
                f"The choice of {pair.leader} over {pair.runner_up} rests on the weight of "
                f"{criterion}"
            )
            risks.append(Risk(RiskSource.FOUND, title, figure.link, figure))
    return risks


_RISK_TITLES: dict[FindingKind, str] = {
    FindingKind.SEAT_SHORTFALL: "{subject} has too few seats for the peak",
    FindingKind.AGGRESSIVE_MIGRATION: "The migration {subject} is due before the plan can start it",
    FindingKind.BUDGET_OVERRUN: "The budget {subject} is overrun",
    FindingKind.NO_PAYBACK: "The change does not pay back within the horizon",
    FindingKind.ALIGNMENT_WARNING: "{subject} is not aligned with the layer above",
    FindingKind.IDLE_SEATS: "{subject} has idle seats",
}
