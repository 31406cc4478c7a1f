"""Document 0, the executive summary: the recommendation, the key figures, what sets each
queue's staffing, the findings and the top risks, on one page.

Every figure is read from the view of the document that explains it (built once per
build: ``catalog.view``), never computed here, and carries its ``Link``: that document,
the heading to open and the path of the same figure in the document's JSON, so a test
can check that the summary and the document agree figure by figure (the records are
``documents.figures``). The findings are the catalogue the risk log lists too
(``documents.findings``); the compiler-found risks are those of them that are risks, and
the vendor ranking's closest call (docs/documents.md, "Executive summary").
"""

from __future__ import annotations

import enum
from typing import cast

import attrs

from blueprintc.documents.context import Context
from blueprintc.documents.figures import Figure, Link, Reader, Unit
from blueprintc.documents.findings import Finding, findings
from blueprintc.documents.findings import risks as found_risks
from blueprintc.documents.views.financial import FinancialDesign
from blueprintc.documents.views.risks import RisksView
from blueprintc.documents.views.technology import TechnologyDesign
from blueprintc.documents.views.vendors import VendorsView
from blueprintc.outcome import Binding

TOP_RISKS = 5
"""The most risks the summary lists (declared ones first, by likelihood × impact)."""


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


class RiskSource(enum.Enum):
    DECLARED = "declared"  # a `risk` of the blueprint
    FOUND = "found"  # found by the compiler in the documents' figures


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
class Ranking:
    """The vendor ranking's closest call: the leader over the runner-up rests on the weight
    of one criterion."""

    leader: str
    runner_up: str
    criterion: str


@attrs.frozen
class Risk:
    """A risk to the design: declared by the consultant (its ``title``) or found by the
    compiler (a ``finding`` that is a risk, or the vendor ``ranking``'s closest call)."""

    source: RiskSource
    link: Link
    title: str | None = None
    figure: Figure | None = None
    finding: Finding | None = None
    ranking: Ranking | None = None
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
    findings: tuple[Finding, ...]  # every finding of ``documents.findings``
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
FINANCIAL = "financial-design"
VENDORS = "vendor-evaluation"
RISKS = "risks-and-decisions"


def build(ctx: Context) -> ExecutiveSummary:
    """The executive summary of a compiled blueprint."""
    read = Reader(ctx)
    financial = cast(FinancialDesign, read.view(FINANCIAL))
    case = financial.business_case is not None
    return ExecutiveSummary(
        _recommendation(read, ctx.model.blueprint.title),
        read.figure("Peak month", Unit.MONTH, TECHNOLOGY, CAPACITY, ("totals", "peak_month")),
        _key_figures(read, case),
        case,
        _bindings(read),
        findings(ctx),
        _risks(read),
    )


CAPACITY = "capacity-per-channel-and-site"
SUMMARY = "summary"
CASE = "business-case"
OPTIONS = "deployment-options-side-by-side"
RANKING = "ranking"
SENSITIVITY = "sensitivity-of-the-ranking"
RISK_LOG = "declared-risks"


def _recommendation(read: Reader, title: str) -> Recommendation:
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


def _key_figures(read: Reader, case: bool) -> tuple[KeyFigure, ...]:
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


def _bindings(read: Reader) -> tuple[QueueBinding, ...]:
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


# -- risks --------------------------------------------------------------------------------


def _risks(read: Reader) -> tuple[Risk, ...]:
    """The top risks: the blueprint's own in the risk log's rank order, then those the
    compiler finds in the figures."""
    log = cast(RisksView, read.view(RISKS))
    declared = [
        Risk(
            RiskSource.DECLARED,
            score.link,
            row.display,
            score,
            likelihood=row.likelihood,
            impact=row.impact,
            owner=row.owner,
            mitigation=row.mitigation,
        )
        for index, row in enumerate(log.risks)
        for score in [read.figure("Score", Unit.SCORE, RISKS, RISK_LOG, ("risks", index, "score"))]
    ]
    return tuple([*declared, *_found_risks(read)][:TOP_RISKS])


def _found_risks(read: Reader) -> list[Risk]:
    """What the documents' figures put at risk: the findings that are risks (in the
    catalogue's order: seats, the plan, money, the bidders, alignment), then how little
    the choice of vendor rests on."""
    risks = [
        Risk(RiskSource.FOUND, finding.link, figure=finding.figure, finding=finding)
        for finding in found_risks(read.ctx)
    ]
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
            ranking = Ranking(pair.leader, pair.runner_up, criterion)
            risks.append(Risk(RiskSource.FOUND, figure.link, figure=figure, ranking=ranking))
    return risks
