"""Document 6, the request for proposal: scope, requirements, volumes to quote, criteria.

Requirement identifiers come from the requirement's declared name (``callback_keeps_place``
-> ``REQ-CALLBACK-KEEPS-PLACE``), so inserting a requirement renumbers nothing. Each
requirement's chains come from the dependency graph (``graph.trace_up``): one per element
it traces, from that element up to the brand promise that justifies it. Volumes, agents,
seats and licence counts are the sizing's and the financial design's own figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs

from blueprintc.documents.context import Context, Where
from blueprintc.graph import node_id
from blueprintc.model import elements as m
from blueprintc.outcome import Unit

CATEGORIES = (
    ("functional", "Functional requirements"),
    ("technical", "Technical requirements"),
    ("operational", "Operational requirements"),
    ("commercial", "Commercial requirements"),
)
PRIORITIES = ("must", "should", "could", "wont")
COMPLIANCE_FILE = "xlsx/rfp-compliance-matrix.xlsx"


def identifier(prefix: str, *names: str) -> str:
    """A stable identifier from declared names: ``("REQ", "data_residency")`` ->
    ``REQ-DATA-RESIDENCY``."""
    return "-".join((prefix, *(n.upper().replace("_", "-").replace(".", "-") for n in names)))


def requirement_id(name: str) -> str:
    return identifier("REQ", name)


@attrs.frozen
class Link:
    """One element of a justification chain."""

    kind: str
    name: str


@attrs.frozen
class Chain:
    """From a traced element up to the promise that justifies it (``justified`` False when
    no promise is reached)."""

    links: tuple[Link, ...]
    justified: bool


@attrs.frozen
class Requirement:
    id: str
    name: str
    category: str
    priority: str
    mandatory: bool
    text: str
    acceptance: str | None
    traces: tuple[str, ...]
    chains: tuple[Chain, ...]
    where: Where | None


@attrs.frozen
class RequirementGroup:
    category: str
    title: str
    requirements: tuple[Requirement, ...]


@attrs.frozen
class ServiceLine:
    name: str
    description: str | None
    promises: tuple[str, ...]
    processes: tuple[str, ...]
    where: Where | None


@attrs.frozen
class ScopeItem:
    """A component vendors bid for: what it is, what it supports, when it goes live."""

    component: str
    kind: str | None
    deployment: str | None
    supports: tuple[str, ...]
    phase: str | None
    go_live: str
    description: str | None
    where: Where | None


@attrs.frozen
class ChannelVolume:
    """Contacts a year offered to one channel (or its outbound queue), per project year."""

    channel: str
    handling: str  # "assisted", "self-service" or "outbound"
    contacts_per_year: tuple[float, ...]
    where: Where | None


@attrs.frozen
class QueueQuote:
    """The agents one queue needs: at its busiest interval, and as FTE in its peak month."""

    queue: str
    mode: str
    peak_agents: int
    peak_month: str
    fte_peak: float
    headcount_peak: int
    where: Where | None


@attrs.frozen
class SiteSeats:
    site: str
    location: str | None
    seats: int  # needed at the peak of the horizon
    capacity: int  # declared
    where: Where | None


@attrs.frozen
class LicenceQuote:
    """Licences a component is priced on: the peak count over the horizon."""

    component: str
    basis: str  # "concurrent seat" or "named user"
    quantity: int
    month: str
    channels: tuple[str, ...]
    priced_as: tuple[str, ...]  # the price fields on this basis, e.g. ``subscription``
    where: Where | None


@attrs.frozen
class Volumes:
    years: tuple[str, ...]
    channels: tuple[ChannelVolume, ...]
    queues: tuple[QueueQuote, ...]
    peak_concurrent: int
    peak_month: str
    fte_peak: float
    sites: tuple[SiteSeats, ...]
    licences: tuple[LicenceQuote, ...]


@attrs.frozen
class Criterion:
    name: str
    weight: Fraction  # as declared
    weight_used: Fraction  # normalised to sum to 1 when the declared ones do not
    description: str | None
    where: Where | None


@attrs.frozen
class Status:
    """One answer a vendor may give in the compliance matrix."""

    name: str
    meaning: str


STATUSES = (
    Status("fully compliant", "met by the standard product, as delivered, at the quoted price"),
    Status("partially compliant", "met in part, or through configuration or custom work"),
    Status("roadmap", "not met today; the vendor commits to a release date"),
    Status("not compliant", "not met and not planned"),
)


@attrs.frozen
class Compliance:
    file: str
    statuses: tuple[Status, ...]
    mandatory: tuple[str, ...]  # identifiers of the knock-out requirements
    requirements: int


@attrs.frozen
class Introduction:
    client: str | None
    services: tuple[ServiceLine, ...]
    assisted_channels: tuple[str, ...]
    self_service_channels: tuple[str, ...]
    sites: tuple[str, ...]
    contacts_first_year: float
    requirements: int
    must: int


@attrs.frozen
class RfpView:
    introduction: Introduction
    scope: tuple[ScopeItem, ...]
    groups: tuple[RequirementGroup, ...]
    volumes: Volumes
    criteria: tuple[Criterion, ...]
    weights_normalised: bool
    compliance: Compliance


def build(ctx: Context) -> RfpView:
    requirements = requirements_of(ctx)
    groups = tuple(
        RequirementGroup(key, title, tuple(r for r in requirements if r.category == key))
        for key, title in CATEGORIES
    )
    criteria, normalised = criteria_of(ctx)
    volumes = volumes_of(ctx)
    intro = Introduction(
        ctx.model.blueprint.client,
        _services(ctx),
        tuple(c.name for c in ctx.of(m.Channel) if c.assisted),
        tuple(c.name for c in ctx.of(m.Channel) if not c.assisted),
        tuple(s.name for s in ctx.of(m.Site)),
        sum((v.contacts_per_year[0] for v in volumes.channels if v.contacts_per_year), 0.0),
        len(requirements),
        sum(1 for r in requirements if r.priority == "must"),
    )
    compliance = Compliance(
        COMPLIANCE_FILE,
        STATUSES,
        tuple(r.id for r in requirements if r.mandatory),
        len(requirements),
    )
    return RfpView(intro, _scope(ctx), groups, volumes, criteria, normalised, compliance)


# -- requirements -----------------------------------------------------------------------


def requirements_of(ctx: Context) -> tuple[Requirement, ...]:
    """The blueprint's requirements, by category, then priority, then declaration order."""
    return ctx.memo("rfp.requirements", lambda: _requirements_of(ctx))


def _requirements_of(ctx: Context) -> tuple[Requirement, ...]:
    found = [_requirement(ctx, r) for r in ctx.of(m.Requirement)]
    order = {key: i for i, (key, _) in enumerate(CATEGORIES)}
    rank = {p: i for i, p in enumerate(PRIORITIES)}
    indexed = sorted(
        enumerate(found),
        key=lambda p: (order.get(p[1].category, 99), rank.get(p[1].priority, 99), p[0]),
    )
    return tuple(r for _, r in indexed)


def _requirement(ctx: Context, requirement: m.Requirement) -> Requirement:
    return Requirement(
        requirement_id(requirement.name),
        requirement.name,
        requirement.category,
        requirement.priority,
        requirement.mandatory,
        requirement.text,
        requirement.acceptance,
        tuple(r.name for r in requirement.traces),
        chains(ctx, requirement.traces),
        ctx.where(requirement),
    )


def chains(ctx: Context, traces: Sequence[m.Ref]) -> tuple[Chain, ...]:
    """One chain per traced element up to its promise; a chain that is the tail of another
    (``voice -> ...`` beside ``callback -> voice -> ...``) is left out."""
    found: list[Chain] = []
    for ref in traces:
        node = node_id(ref)
        if node not in ctx.graph:
            continue
        path = (node,) if ref.kind == "promise" else ctx.chain(node)
        links = tuple(
            Link(ctx.graph.nodes[n]["kind"], ctx.graph.nodes[n]["name"])
            for n in path
            if ctx.graph.nodes[n]["kind"] != "brand" or len(path) == 1
        )
        found.append(Chain(links, links[-1].kind == "promise"))
    return tuple(
        chain
        for chain in found
        if not any(
            other is not chain
            and len(other.links) > len(chain.links)
            and other.links[-len(chain.links) :] == chain.links
            for other in found
        )
    )


# -- scope --------------------------------------------------------------------------------


def _services(ctx: Context) -> tuple[ServiceLine, ...]:
    processes: list[m.Process | m.Outbound] = [*ctx.of(m.Process), *ctx.of(m.Outbound)]
    return tuple(
        ServiceLine(
            s.name,
            s.description,
            tuple(r.name for r in s.delivers),
            tuple(p.name for p in processes if p.service == s.ref),
            ctx.where(s),
        )
        for s in ctx.of(m.Service)
    )


def _scope(ctx: Context) -> tuple[ScopeItem, ...]:
    plan = ctx.outcome.plan
    phase_of = {item.name: item.phase for item in plan.items} if plan else {}
    return tuple(
        ScopeItem(
            c.name,
            c.component_kind,
            c.model,
            tuple(r.name for r in c.supports),
            phase_of.get(node_id(c.ref)),
            ctx.month(ctx.outcome.go_live(c.ref)),
            c.description,
            ctx.where(c),
        )
        for c in ctx.of(m.Component)
    )


# -- volumes and sizing -------------------------------------------------------------------


def year_sums(values: Sequence[float], months: int) -> tuple[float, ...]:
    """Sums of each project year (blocks of 12 months; the last may be partial)."""
    return tuple(float(sum(values[i : i + 12])) for i in range(0, months, 12))


def _needed(ctx: Context, site: str) -> int:
    found = ctx.outcome.site(site)
    return found.needed if found is not None else 0


def volumes_of(ctx: Context) -> Volumes:
    outcome = ctx.outcome
    months = len(outcome.months)
    years = tuple(f"Y{k + 1}" for k in range((months + 11) // 12))
    channels = tuple(
        ChannelVolume(
            w.channel.name + (" (outbound)" if w.outbound else ""),
            "outbound" if w.outbound else "assisted" if w.channel.assisted else "self-service",
            year_sums([float(v) for v in w.monthly], months),
            ctx.where(w.channel),
        )
        for w in outcome.channels
    )
    queues = tuple(
        QueueQuote(
            q.name,
            q.mode,
            int(q.peak_agents.max(initial=0)),
            ctx.month(int(q.peak_agents.argmax()) if months else 0),
            q.fte_peak,
            int(q.headcount.max(initial=0)),
            ctx.where(q.channel),
        )
        for q in outcome.queues
    )
    sites = tuple(
        SiteSeats(s.name, s.location, _needed(ctx, s.name), s.seats, ctx.where(s, "seats"))
        for s in ctx.of(m.Site)
    )
    peak = outcome.key.peak_agents
    return Volumes(
        years,
        channels,
        queues,
        peak,
        ctx.month(outcome.key.peak_month),
        outcome.key.peak_fte,
        sites,
        licences(ctx),
    )


BASES = ((Unit.SEAT, "concurrent seat"), (Unit.USER, "named user"))


def licences(ctx: Context) -> tuple[LicenceQuote, ...]:
    """Per component and basis (seat or user): the peak count its prices are applied to,
    from its go-live: the outcome's licence quantities, which the cost lines count too."""
    result = []
    for component in ctx.of(m.Component):
        for unit, basis in BASES:
            quantity = ctx.outcome.licence(component.name, unit)
            if quantity is None:
                continue
            result.append(
                LicenceQuote(
                    component.name,
                    basis,
                    int(quantity.bought),
                    ctx.month(quantity.bought_month),
                    tuple(r.name for r in component.supports),
                    quantity.priced_as,
                    ctx.where_span(quantity.span),
                )
            )
    return tuple(result)


# -- criteria -----------------------------------------------------------------------------


def criteria_of(ctx: Context) -> tuple[tuple[Criterion, ...], bool]:
    """The criteria with their declared and used weights, and whether they were scaled
    (as ``solve.selection.normalise_weights`` scales them)."""
    declared = ctx.of(m.Criterion)
    total = sum((c.weight for c in declared), Fraction(0))
    scaled = total not in (0, 1)
    return (
        tuple(
            Criterion(
                c.name,
                c.weight,
                c.weight / total if scaled else c.weight,
                c.description,
                ctx.where(c, "weight"),
            )
            for c in declared
        ),
        scaled,
    )
