"""What the compiler finds wrong or risky in a design by itself: seat shortfalls, budgets
overrun, alignment warnings, a single bidder, a business case without payback.

Found once per build (``findings(ctx)``) and shared by every document that lists them
(the risk and decision log, the executive summary). Each finding holds the figures it
rests on as the outcome and the alignment rules computed them; nothing is recomputed here.
"""

from __future__ import annotations

import enum
from fractions import Fraction

import attrs

from blueprintc.diagnostics import Severity
from blueprintc.documents.context import Context
from blueprintc.model import elements as m
from blueprintc.source import Span


class FindingKind(enum.Enum):
    """The kinds of finding, each with the document that explains it."""

    SEAT_SHORTFALL = "seat shortfall"
    BUDGET_OVERRUN = "budget overrun"
    ALIGNMENT_WARNING = "alignment warning"
    SINGLE_BIDDER = "single bidder"
    NO_PAYBACK = "no payback"

    @property
    def document(self) -> str:
        """The name of the document that shows the figures behind the finding."""
        return _DOCUMENTS[self]


_DOCUMENTS = {
    FindingKind.SEAT_SHORTFALL: "facility-design",
    FindingKind.BUDGET_OVERRUN: "financial-design",
    FindingKind.ALIGNMENT_WARNING: "traceability",
    FindingKind.SINGLE_BIDDER: "vendor-evaluation",
    FindingKind.NO_PAYBACK: "financial-design",
}


@attrs.frozen
class Finding:
    """One thing the compiler found, about ``subject`` (None: the design as a whole).

    ``figure`` and ``limit`` are the two figures compared (seats needed and seats
    declared, capital spent and budget); ``month`` the month concerned, if one;
    ``message`` the alignment rule's own words and ``code`` its code."""

    kind: FindingKind
    subject: m.Ref | None
    figure: Fraction | None = None
    limit: Fraction | None = None
    month: str | None = None
    message: str | None = None
    code: str | None = None
    span: Span | None = None


def findings(ctx: Context) -> tuple[Finding, ...]:
    """Every finding of the build, most serious kinds first (made once per build)."""
    return ctx.memo("findings", lambda: _find(ctx))


def _find(ctx: Context) -> tuple[Finding, ...]:
    return (
        *_seat_shortfalls(ctx),
        *_budget_overruns(ctx),
        *_no_payback(ctx),
        *_single_bidder(ctx),
        *_alignment_warnings(ctx),
    )


def _seat_shortfalls(ctx: Context) -> list[Finding]:
    found = []
    for site in ctx.outcome.sites:
        peak = site.peak
        if peak > site.capacity:
            month = int(site.seats.argmax())
            found.append(
                Finding(
                    FindingKind.SEAT_SHORTFALL,
                    m.Ref("site", site.site),
                    Fraction(peak),
                    Fraction(site.capacity),
                    ctx.month(month),
                    span=site.span,
                )
            )
    return found


def _budget_overruns(ctx: Context) -> list[Finding]:
    return [
        Finding(
            FindingKind.BUDGET_OVERRUN,
            check.element.ref,
            check.spent,
            check.amount,
            span=check.span,
        )
        for check in ctx.outcome.budget_checks
        if check.over > 0
    ]


def _no_payback(ctx: Context) -> list[Finding]:
    case = ctx.outcome.business_case
    if case is None or ctx.outcome.key.payback_month is not None:
        return []
    return [Finding(FindingKind.NO_PAYBACK, None, ctx.outcome.key.case_npv)]


def _single_bidder(ctx: Context) -> list[Finding]:
    ranking = ctx.outcome.ranking
    if ranking is None or len(ranking.ranked) != 1 or len(ctx.of(m.Vendor)) < 1:
        return []
    only = ranking.ranked[0].name
    vendor = ctx.element("vendor", only)
    return [
        Finding(
            FindingKind.SINGLE_BIDDER,
            m.Ref("vendor", only),
            Fraction(len(ctx.of(m.Vendor))),
            span=vendor.span if vendor is not None else None,
        )
    ]


def _alignment_warnings(ctx: Context) -> list[Finding]:
    return [
        Finding(
            FindingKind.ALIGNMENT_WARNING,
            finding.subject,
            message=finding.message,
            code=finding.code.id,
            span=finding.span,
        )
        for finding in ctx.alignment.reported
        if finding.code.severity is Severity.WARNING
    ]
