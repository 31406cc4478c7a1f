"""What the compiler finds in a design's figures by itself: idle seats and seat shortfalls,
migrations due before the plan can start them, budgets overrun, a change that does not pay
back or does not earn its cost of capital, a single bidder, and the alignment findings.

One catalogue for every document that lists them (the executive summary, the risk and
decision log, the HTML index): ``findings(ctx)`` runs the detectors of ``DETECTORS`` in
order, once per build. Each finding compares figures the documents show, read from their
views with a link to the heading and JSON path that explain them (``figures``), so the
documents that quote a finding and the one that explains it agree figure by figure.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import cast

import attrs

from blueprintc.documents.context import Context, Where
from blueprintc.documents.figures import Figure, Link, Reader, Unit
from blueprintc.documents.views.business import BusinessDesign
from blueprintc.documents.views.facility import FacilityDesign
from blueprintc.documents.views.financial import FinancialDesign
from blueprintc.documents.views.phasing import PhasingView
from blueprintc.documents.views.traceability import TraceabilityView
from blueprintc.documents.views.vendors import VendorsView
from blueprintc.model import elements as m


class FindingKind(enum.Enum):
    """What a detector looks for (in the order of ``DETECTORS``)."""

    IDLE_SEATS = "idle seats"  # a site's seats the peak leaves empty
    SEAT_SHORTFALL = "seat shortfall"  # a site needs more seats than it has
    AGGRESSIVE_MIGRATION = "aggressive migration"  # due before the plan can start it
    BUDGET_OVERRUN = "budget overrun"  # capital spent above a budget
    NO_PAYBACK = "no payback"  # the change does not pay back within the horizon
    NO_RETURN = "no return on capital"  # it pays back, but its NPV is negative
    SINGLE_BIDDER = "single bidder"  # one vendor left in the ranking
    ALIGNMENT = "alignment finding"  # reported by an alignment rule


class Severity(enum.Enum):
    """What a finding asks of the reader: a decision (a warning, and a risk to the design)
    or a look (a notice)."""

    WARNING = "warning"
    NOTICE = "notice"


@attrs.frozen
class Finding:
    """One thing found about ``subject`` (None: the design as a whole).

    ``figure`` is the figure found, ``against`` what it is compared with (seats needed and
    seats declared, capital spent and the budget), ``difference`` the documents' own
    difference of the two (spare seats, the overrun) and ``month`` the month concerned;
    ``also`` the other elements concerned (a migration's source and target channels),
    ``detail`` an alignment rule's message and ``code`` its code. ``where`` is the blueprint line
    behind the subject."""

    kind: FindingKind
    severity: Severity
    subject: m.Ref | None
    figure: Figure
    against: Figure | None = None
    difference: Figure | None = None
    month: Figure | None = None
    also: tuple[m.Ref, ...] = ()
    detail: str | None = None
    code: str | None = None
    where: Where | None = None

    @property
    def link(self) -> Link:
        """Where the finding is explained: the document, heading and JSON path of its figure."""
        return self.figure.link

    @property
    def risk(self) -> bool:
        """Whether the finding is a risk to the design (the risk log lists it)."""
        return self.severity is Severity.WARNING


def findings(ctx: Context) -> tuple[Finding, ...]:
    """Every finding of the build: warnings first, then notices, each in the order of the
    detectors (made once per build)."""

    def find() -> tuple[Finding, ...]:
        read = Reader(ctx)
        found = [finding for detect in DETECTORS for finding in detect(read)]
        return tuple(sorted(found, key=lambda f: f.severity is not Severity.WARNING))

    return ctx.memo("findings", find)


def risks(ctx: Context) -> tuple[Finding, ...]:
    """The findings that are risks to the design (warnings), in catalogue order."""
    return tuple(f for f in findings(ctx) if f.risk)


# -- the documents read -------------------------------------------------------------------

FACILITY = "facility-design"
FINANCIAL = "financial-design"
PHASING = "phasing-plan"
BUSINESS = "business-design"
VENDORS = "vendor-evaluation"
TRACEABILITY = "traceability"

SEATS = "seats"
BUDGETS = "budget-checks"
CASE = "business-case"
WORK_ITEMS = "work-items-by-phase"
MIGRATIONS = "channel-migration-and-automation-plan"
RANKING = "ranking"
ALIGNMENT = "alignment-findings-by-layer"


# -- the detectors ------------------------------------------------------------------------


def _seats(read: Reader) -> Iterable[Finding]:
    """Sites with seats the peak leaves empty (a notice), or too few for it (a warning)."""
    facility = cast(FacilityDesign, read.view(FACILITY))
    for index, row in enumerate(facility.seats):
        if row.spare == 0:
            continue
        short = row.spare < 0

        def at(label: str, unit: Unit, *path: str | int) -> Figure:
            return read.figure(label, unit, FACILITY, SEATS, path)

        yield Finding(
            FindingKind.SEAT_SHORTFALL if short else FindingKind.IDLE_SEATS,
            Severity.WARNING if short else Severity.NOTICE,
            m.Ref("site", row.site),
            at("Seats needed at the peak", Unit.SEATS, "seats", index, "seats_needed"),
            at("Seats in the site", Unit.SEATS, "seats", index, "seats_declared"),
            at(
                "Seats short" if short else "Seats idle at the peak",
                Unit.SEATS,
                "seats",
                index,
                "spare",
            ),
            at("Peak month", Unit.MONTH, "need", "peak_month"),
            where=row.where,
        )


def _migrations(read: Reader) -> Iterable[Finding]:
    """Migrations due before the plan can do them: the volume moves from the month after
    the plan starts the migration's month of work, so a ``by`` month no later than that
    start cannot be met (CXB0608 warns of the same); the volume then moves at once."""
    business = cast(BusinessDesign, read.view(BUSINESS))
    phasing = cast(PhasingView, read.view(PHASING))
    starts = {
        item.id: (p, i, item.start[:7])
        for p, phase in enumerate(phasing.items)
        for i, item in enumerate(phase.items)
        if item.kind == "migration"
    }
    for index, row in enumerate(business.migrations):
        place = starts.get(f"migration:{row.process}:{row.source}-{row.target}")
        if row.by is None or place is None or place[2] < row.by:  # moves a month after
            continue
        p, i, _ = place
        yield Finding(
            FindingKind.AGGRESSIVE_MIGRATION,
            Severity.WARNING,
            m.Ref("process", row.process),
            read.figure(
                "Started by the plan",
                Unit.MONTH,
                PHASING,
                WORK_ITEMS,
                ("items", p, "items", i, "start"),
            ),
            read.figure("Due by", Unit.MONTH, BUSINESS, MIGRATIONS, ("migrations", index, "by")),
            also=(m.Ref("channel", row.source), m.Ref("channel", row.target)),
            where=row.where,
        )


def _budgets(read: Reader) -> Iterable[Finding]:
    """Budgets the capital spent on what they cover overruns."""
    financial = cast(FinancialDesign, read.view(FINANCIAL))
    for index, row in enumerate(financial.budgets):
        if row.over_by <= 0:
            continue

        def at(label: str, field: str, i: int = index) -> Figure:
            return read.figure(label, Unit.MONEY, FINANCIAL, BUDGETS, ("budgets", i, field))

        yield Finding(
            FindingKind.BUDGET_OVERRUN,
            Severity.WARNING,
            m.Ref(row.kind, row.name),
            at("Capital spent", "capex"),
            at("Budget", "amount"),
            at("Over budget by", "over_by"),
            where=row.where,
        )


def _payback(read: Reader) -> Iterable[Finding]:
    """A business case that does not pay back within the horizon, or that pays back but
    does not earn its cost of capital (a negative net present value of the change)."""
    case = cast(FinancialDesign, read.view(FINANCIAL)).business_case
    if case is None:
        return
    if case.payback_months is None:
        yield Finding(
            FindingKind.NO_PAYBACK,
            Severity.WARNING,
            None,
            read.figure(
                "Net cash flow of the change",
                Unit.MONEY,
                FINANCIAL,
                CASE,
                ("business_case", "total", "net"),
            ),
        )
    elif case.npv < 0:
        yield Finding(
            FindingKind.NO_RETURN,
            Severity.WARNING,
            None,
            read.figure("NPV of the change", Unit.MONEY, FINANCIAL, CASE, ("business_case", "npv")),
            read.figure(
                "Payback", Unit.MONTHS, FINANCIAL, CASE, ("business_case", "payback_months")
            ),
        )


def _single_bidder(read: Reader) -> Iterable[Finding]:
    """One vendor left in the ranking: no competition on price or terms."""
    vendors = cast(VendorsView, read.view(VENDORS))
    ranked = [i for i, v in enumerate(vendors.vendors) if v.position is not None]
    if len(ranked) != 1:
        return
    (index,) = ranked
    row = vendors.vendors[index]
    yield Finding(
        FindingKind.SINGLE_BIDDER,
        Severity.WARNING,
        m.Ref("vendor", row.vendor),
        read.figure(
            "The only vendor ranked", Unit.NAME, VENDORS, RANKING, ("vendors", index, "vendor")
        ),
        where=row.where,
    )


def _alignment(read: Reader) -> Iterable[Finding]:
    """The alignment findings no ``allow`` silences: warnings (and errors) are risks, notes
    are notices."""
    traceability = cast(TraceabilityView, read.view(TRACEABILITY))
    for i, layer in enumerate(traceability.layers):
        for r, row in enumerate(layer.reported):
            yield Finding(
                FindingKind.ALIGNMENT,
                Severity.NOTICE if row.severity == "note" else Severity.WARNING,
                m.Ref(row.kind, row.element),
                read.figure(
                    "Rule", Unit.NAME, TRACEABILITY, ALIGNMENT, ("layers", i, "reported", r, "rule")
                ),
                detail=row.message,
                code=row.code,
                where=row.where,
            )


DETECTORS: tuple[Callable[[Reader], Iterable[Finding]], ...] = (
    _seats,
    _migrations,
    _budgets,
    _payback,
    _single_bidder,
    _alignment,
)
"""The detectors, in the order their findings are listed (within a severity)."""
