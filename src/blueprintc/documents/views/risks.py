"""Document 13, the risk and decision log: the declared risks ranked by score, the risks
the compiler finds by itself (the findings of ``documents.findings`` that are risks, as
the executive summary lists them), and the decisions the design takes:
the option chosen against its alternatives, the vendor recommended, and every ``allow``
exception with its reason.

Scores and ranks are the model's (``Risk.score``, ``ranked``); figures are the outcome's.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from blueprintc.diagnostics import CODES
from blueprintc.documents.catalog import by_name
from blueprintc.documents.context import Context, Where
from blueprintc.documents.findings import Finding
from blueprintc.documents.findings import risks as found_risks
from blueprintc.model import elements as m
from blueprintc.semantic.labels import readable

# The document that shows an element of each kind best, for a threatened element's link.
KIND_DOCUMENTS = {
    "promise": "business-design", "service": "business-design",
    "segment": "business-design", "process": "business-design",
    "outbound": "business-design", "channel": "technology-design",
    "component": "technology-design", "site": "facility-design",
    "budget": "financial-design", "phase": "phasing-plan", "requirement": "rfp",
    "vendor": "vendor-evaluation", "criterion": "vendor-evaluation",
    "practice": "maturity", "benefit": "financial-design",
}  # fmt: skip


@attrs.frozen
class Link:
    """An element as a reader names it, and the document that shows it (stem and title)."""

    name: str
    display: str
    stem: str | None
    title: str | None


@attrs.frozen
class RiskRow:
    """A declared risk, in rank order (1: the most severe)."""

    rank: int
    name: str
    display: str
    description: str | None
    likelihood: str
    impact: str
    score: int
    rating: str
    owner: str | None
    mitigation: str | None
    threatens: tuple[Link, ...]
    where: Where | None


@attrs.frozen
class FoundRow:
    """A risk the compiler found (a finding, with its figures and where they are
    explained) and the element it concerns as a reader names it."""

    finding: Finding
    subject: Link | None


@attrs.frozen
class OptionRow:
    """One costed option: the design's own (``chosen``) or an alternative to it."""

    name: str
    chosen: bool
    rank: int
    npv: Fraction
    tco: Fraction
    npv_delta: Fraction
    tco_delta: Fraction


@attrs.frozen
class VendorRow:
    name: str
    display: str
    position: int
    total: Fraction
    chosen: bool


@attrs.frozen
class AllowRow:
    """An ``allow`` exception: the rule silenced, for which element, and why."""

    kind: str
    name: str
    display: str
    code: str
    rule: str | None
    reason: str
    where: Where | None


@attrs.frozen
class RisksView:
    """The risk and decision log."""

    risks: tuple[RiskRow, ...]
    found: tuple[FoundRow, ...]
    options: tuple[OptionRow, ...]
    vendors: tuple[VendorRow, ...]
    vendor_chosen: str | None
    allows: tuple[AllowRow, ...]


def _link(ctx: Context, ref: m.Ref) -> Link:
    element = ctx.model.get(ref)
    document = by_name(KIND_DOCUMENTS.get(ref.kind, ""))
    return Link(
        ref.name,
        element.display if element is not None else readable(ref.name),
        document.stem if document is not None else None,
        document.title if document is not None else None,
    )


def _risks(ctx: Context) -> tuple[RiskRow, ...]:
    return tuple(
        RiskRow(
            rank,
            risk.name,
            risk.display,
            risk.description,
            risk.likelihood.value,
            risk.impact.value,
            risk.score,
            risk.rating.value,
            risk.owner,
            risk.mitigation,
            tuple(_link(ctx, ref) for ref in risk.threatens),
            ctx.where(risk),
        )
        for rank, risk in enumerate(m.ranked(ctx.of(m.Risk)), start=1)
    )


def _found(ctx: Context, finding: Finding) -> FoundRow:
    subject = finding.subject
    return FoundRow(finding, _link(ctx, subject) if subject is not None else None)


def _options(ctx: Context) -> tuple[OptionRow, ...]:
    return tuple(
        OptionRow(o.name, o.as_designed, o.rank, o.npv, o.tco, o.npv_delta, o.tco_delta)
        for o in ctx.outcome.options
    )


def _vendors(ctx: Context) -> tuple[tuple[VendorRow, ...], str | None]:
    ranking = ctx.outcome.ranking
    if ranking is None:
        return (), None
    winner = ranking.winner
    rows = tuple(
        VendorRow(
            v.name,
            _link(ctx, m.Ref("vendor", v.name)).display,
            v.position,
            v.total,
            v.name == winner,
        )
        for v in ranking.ranked
    )
    return rows, winner


def _allows(ctx: Context) -> tuple[AllowRow, ...]:
    rows = []
    for element in (*ctx.model, *ctx.model.assertions):
        if element.library:
            continue
        for allow in element.allows:
            code = CODES.get(allow.code)
            rows.append(
                AllowRow(
                    element.kind,
                    element.name,
                    element.display,
                    allow.code,
                    code.name if code is not None else None,
                    allow.reason,
                    ctx.where_span(allow.span),
                )
            )
    return tuple(rows)


def build(ctx: Context) -> RisksView:
    """The risk and decision log of the blueprint."""
    vendors, chosen = _vendors(ctx)
    return RisksView(
        _risks(ctx),
        tuple(_found(ctx, f) for f in found_risks(ctx)),
        _options(ctx),
        vendors,
        chosen,
        _allows(ctx),
    )
