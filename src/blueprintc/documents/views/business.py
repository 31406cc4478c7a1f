"""Document 1, business design: promises, segments, the interaction-process map, the
channel migration and automation plan, proactive contacts and the alignment findings.

Volumes are the sizing workload's (docs/sizing.md §2): contacts of process p on channel
c in month t = V_p(t) × share_p,c(t), less the share automation contains on an assisted
channel; summed over processes they are exactly the contacts ``blueprintc size`` reports
per queue. Years are project years (blocks of 12 months from the start), as in the
financial design.
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np
from numpy.typing import NDArray

from blueprintc.documents.charts import LineChart, Series, fewest_series
from blueprintc.documents.context import Context, Where, names
from blueprintc.model import elements as m
from blueprintc.solve import finance as fin
from blueprintc.validate.findings import Finding

Array = NDArray[np.float64]

# -- records ---------------------------------------------------------------------------------


@attrs.frozen
class BrandValue:
    name: str
    text: str


@attrs.frozen
class Brand:
    name: str
    positioning: str | None
    values: tuple[BrandValue, ...]
    where: Where | None


@attrs.frozen
class PromiseTarget:
    """A channel service level the promise commits to."""

    channel: str
    level: Fraction
    within: Fraction  # seconds
    where: Where | None


@attrs.frozen
class Promise:
    name: str
    brand: str
    text: str | None
    targets: tuple[PromiseTarget, ...]
    services: tuple[str, ...]  # the services that deliver it
    where: Where | None


@attrs.frozen
class Segment:
    name: str
    description: str | None
    share: Fraction
    customers: Fraction | None
    value: str
    potential: str | None
    strategy: str
    intensity: str
    services: tuple[str, ...]  # services that name the segment
    processes: tuple[str, ...]  # processes that name the segment
    where: Where | None


@attrs.frozen
class Service:
    name: str
    description: str | None
    delivers: tuple[str, ...]
    segments: tuple[str, ...]
    cycle: tuple[str, ...]
    product: str | None
    processes: tuple[str, ...]
    where: Where | None


@attrs.frozen
class MapRow:
    """One process on one channel: the cell of the interaction-process map."""

    process: str
    service: str
    cycle: tuple[str, ...]  # buying-cycle stages of the service
    product: str | None  # product-cycle stage of the service
    channel: str
    mode: str  # realtime, deferred or self_service
    mix: Fraction | None  # declared share of the process; None when only migrated to
    contacts_per_year: tuple[float, ...]  # per project year, as sized
    contacts: float  # over the horizon
    where: Where | None


@attrs.frozen
class ChannelVolume:
    """A channel's inbound contacts: the sum of its map rows, as ``blueprintc size``."""

    channel: str
    mode: str
    contacts_per_year: tuple[float, ...]
    contacts: float
    where: Where | None


@attrs.frozen
class MigrationRow:
    process: str
    source: str
    target: str
    share: Fraction  # of the source channel's initial share
    points: Fraction  # share of the process's volume moved: share × source mix
    by: str | None  # YYYY-MM when the move is complete; None: at once
    contacts_moved_per_year: tuple[float, ...]
    fte_saved_peak: float | None
    staff_cost_saved: Fraction | None
    where: Where | None


@attrs.frozen
class AutomationRow:
    process: str
    channel: str
    mode: str
    share: Fraction  # share of the channel's contacts automation contains
    contained_per_year: tuple[float, ...]
    fte_saved_peak: float | None  # None on a self-service channel (no agents)
    staff_cost_saved: Fraction | None
    where: Where | None


@attrs.frozen
class OutboundRow:
    name: str
    service: str
    trigger: str
    channel: str
    attempts_per_month: float
    contact_rate: Fraction | None
    contacts_per_month: float  # attempts that reach the customer
    aht: Fraction | None  # seconds
    attempt_time: Fraction | None  # seconds
    agent_seconds_per_attempt: float
    agent_hours_per_month: float
    where: Where | None


@attrs.frozen
class OutboundQueue:
    """The outbound queue of a channel as sized: all its proactive contacts together."""

    channel: str
    peak_agents: int
    fte_peak: float


@attrs.frozen
class FindingRow:
    layer: str
    code: str
    rule: str
    subject: str
    message: str
    allowed_because: str | None
    where: Where | None


@attrs.frozen
class BusinessDesign:
    years: tuple[str, ...]  # project-year labels (Y1, Y2, …)
    brands: tuple[Brand, ...]
    promises: tuple[Promise, ...]
    services: tuple[Service, ...]
    segments: tuple[Segment, ...]
    process_map: tuple[MapRow, ...]
    channel_volumes: tuple[ChannelVolume, ...]
    volume_chart: LineChart | None
    migrations: tuple[MigrationRow, ...]
    automation: tuple[AutomationRow, ...]
    outbound: tuple[OutboundRow, ...]
    outbound_queues: tuple[OutboundQueue, ...]
    findings: tuple[FindingRow, ...]
    silenced: tuple[FindingRow, ...]


# -- helpers ---------------------------------------------------------------------------------


def per_year(values: Array) -> tuple[float, ...]:
    """Sums of project years (12-month blocks from the start; the last may be partial)."""
    return tuple(float(values[i : i + 12].sum()) for i in range(0, len(values), 12))


def process_channel_contacts(ctx: Context, process: m.Process) -> dict[m.Ref, Array]:
    """(months,) contacts of a process per channel, as the sizing workload counts them
    (docs/sizing.md §2.2–2.4): volume × channel share, less automation on an assisted
    channel. Channels the blueprint does not declare are left out, as in sizing."""
    return {
        flow.channel: flow.contacts
        for flow in ctx.outcome.flows_of(process.ref)
        if not getattr(ctx.model.get(flow.channel), "library", True)
    }


def _channel(ctx: Context, ref: m.Ref) -> m.Channel | None:
    element = ctx.model.get(ref)
    return element if isinstance(element, m.Channel) else None


def _migration_contacts(ctx: Context, process: m.Process, migration: m.Migration) -> Array:
    """(months,) contacts the move takes to the target channel (before automation), as
    the sizing workload moves them."""
    for move in ctx.outcome.moves:
        if move.process == process.ref and move.migration == migration:
            return move.contacts
    return np.zeros(len(ctx.outcome.months))


def _contained(ctx: Context, process: m.Process, ref: m.Ref) -> Array:
    """(months,) contacts of the process on ``ref`` that automation contains."""
    for flow in ctx.outcome.flows_of(process.ref):
        if flow.channel == ref:
            return flow.contained
    return np.zeros(len(ctx.outcome.months))


# -- sections --------------------------------------------------------------------------------


def _brands(ctx: Context) -> tuple[tuple[Brand, ...], tuple[Promise, ...]]:
    services = ctx.of(m.Service)
    brands = tuple(
        Brand(
            b.name,
            b.positioning,
            tuple(BrandValue(n, t) for n, t in b.values),
            ctx.where(b),
        )
        for b in ctx.of(m.Brand)
    )
    promises = tuple(
        Promise(
            p.name,
            p.brand,
            p.text,
            tuple(
                PromiseTarget(t.channel.name, t.level, t.within, ctx.where_span(t.span))
                for t in p.targets
            ),
            tuple(s.name for s in services if p.ref in s.delivers),
            ctx.where(p),
        )
        for p in ctx.of(m.Promise)
    )
    return brands, promises


def _services(ctx: Context) -> tuple[Service, ...]:
    processes = ctx.of(m.Process)
    return tuple(
        Service(
            s.name,
            s.description,
            names(s.delivers),
            names(s.segments),
            s.cycle,
            s.product,
            tuple(p.name for p in processes if p.service == s.ref),
            ctx.where(s),
        )
        for s in ctx.of(m.Service)
    )


def _segments(ctx: Context) -> tuple[Segment, ...]:
    services = ctx.of(m.Service)
    processes = ctx.of(m.Process)
    return tuple(
        Segment(
            s.name,
            s.description,
            s.share,
            s.customers,
            s.value,
            s.potential,
            s.strategy,
            s.intensity,
            tuple(v.name for v in services if s.ref in v.segments),
            tuple(p.name for p in processes if s.ref in p.segments),
            ctx.where(s),
        )
        for s in ctx.of(m.Segment)
    )


def _process_map(ctx: Context) -> tuple[tuple[MapRow, ...], dict[str, Array]]:
    rows: list[MapRow] = []
    by_channel: dict[str, Array] = {}
    for process in ctx.of(m.Process):
        service = ctx.model.get(process.service)
        cycle = service.cycle if isinstance(service, m.Service) else ()
        product = service.product if isinstance(service, m.Service) else None
        for ref, contacts in process_channel_contacts(ctx, process).items():
            channel = _channel(ctx, ref)
            assert channel is not None
            rows.append(
                MapRow(
                    process.name,
                    process.service.name,
                    cycle,
                    product,
                    ref.name,
                    channel.mode,
                    process.mix.get(ref),
                    per_year(contacts),
                    float(contacts.sum()),
                    ctx.where(process, "mix"),
                )
            )
            by_channel[ref.name] = by_channel.get(ref.name, 0) + contacts
    return tuple(rows), by_channel


def _channel_volumes(ctx: Context, by_channel: dict[str, Array]) -> tuple[ChannelVolume, ...]:
    result = []
    for channel in ctx.of(m.Channel):
        contacts = by_channel.get(channel.name)
        if contacts is None:
            continue
        result.append(
            ChannelVolume(
                channel.name,
                channel.mode,
                per_year(contacts),
                float(contacts.sum()),
                ctx.where(channel),
            )
        )
    return tuple(result)


def _volume_chart(ctx: Context, by_channel: dict[str, Array]) -> LineChart | None:
    series = tuple(
        Series(c.name, tuple(round(float(v), 1) for v in by_channel[c.name]))
        for c in ctx.of(m.Channel)
        if c.name in by_channel
    )
    if not series:
        return None
    months = ctx.outcome.months
    return LineChart(
        "business-contacts-per-channel",
        "Inbound contacts per channel and month",
        "month",
        "contacts",
        months,
        fewest_series(series, "{count} other channels"),
    )


def _levers(ctx: Context) -> dict[tuple[str, str], tuple[float, Fraction]]:
    """(process, lever label) -> (peak agent FTE saved, staff cost saved), from re-sizing."""
    return {
        (s.process, s.lever): (s.fte_saved_peak, fin.to_cents(s.staff_cost_saved))
        for s in ctx.savings
        if s.process is not None
    }


def _plan(ctx: Context) -> tuple[tuple[MigrationRow, ...], tuple[AutomationRow, ...]]:
    levers = _levers(ctx)
    migrations: list[MigrationRow] = []
    automation: list[AutomationRow] = []
    for process in ctx.of(m.Process):
        for migration in process.migrations:
            label = f"migrate {migration.source.name} to {migration.target.name}"
            saved = levers.get((process.name, label))
            initial = process.mix.get(migration.source, Fraction(0))
            migrations.append(
                MigrationRow(
                    process.name,
                    migration.source.name,
                    migration.target.name,
                    migration.share,
                    migration.share * initial,
                    f"{migration.by[0]}-{migration.by[1]:02d}" if migration.by else None,
                    per_year(_migration_contacts(ctx, process, migration)),
                    saved[0] if saved else None,
                    saved[1] if saved else None,
                    ctx.where_span(migration.span),
                )
            )
        for ref, share in process.automation.items():
            channel = _channel(ctx, ref)
            if channel is None or channel.library or share <= 0:
                continue
            saved = levers.get((process.name, f"automation on {ref.name}"))
            automation.append(
                AutomationRow(
                    process.name,
                    ref.name,
                    channel.mode,
                    share,
                    per_year(_contained(ctx, process, ref)),
                    saved[0] if saved else None,
                    saved[1] if saved else None,
                    ctx.where(process, "automation"),
                )
            )
    return tuple(migrations), tuple(automation)


def _outbound(ctx: Context) -> tuple[tuple[OutboundRow, ...], tuple[OutboundQueue, ...]]:
    rows = []
    for o in ctx.of(m.Outbound):
        attempts = float(o.volume) * 8760 / 12  # docs/sizing.md §2.8
        rate = float(o.contact_rate) if o.contact_rate is not None else 1.0
        per_attempt = rate * float(o.aht or 0) + (1 - rate) * float(o.attempt_time or 0)
        rows.append(
            OutboundRow(
                o.name,
                o.service.name,
                o.trigger,
                o.channel.name,
                attempts,
                o.contact_rate,
                attempts * rate,
                o.aht,
                o.attempt_time,
                per_attempt,
                attempts * per_attempt / 3600,
                ctx.where(o),
            )
        )
    queues = tuple(
        OutboundQueue(
            q.id.channel,
            int(q.peak_agents.max(initial=0)),
            q.fte_peak,
        )
        for q in ctx.outcome.queues
        if q.id.outbound
    )
    return tuple(rows), queues


def _findings(ctx: Context) -> tuple[tuple[FindingRow, ...], tuple[FindingRow, ...]]:
    def row(finding: Finding) -> FindingRow:
        subject = ctx.model.get(finding.subject)
        layer = subject.layer if subject is not None else "business"
        return FindingRow(
            layer,
            finding.code.id,
            finding.code.name,
            finding.subject.name,
            finding.message,
            finding.silenced.reason if finding.silenced else None,
            ctx.where_span(finding.span),
        )

    order = {layer: i for i, layer in enumerate(m.LAYERS)}

    def ordered(found: tuple[Finding, ...]) -> tuple[FindingRow, ...]:
        rows = [row(f) for f in found]  # rule order within a layer
        return tuple(sorted(rows, key=lambda r: order.get(r.layer, len(order))))

    return ordered(ctx.alignment.reported), ordered(ctx.alignment.silenced)


def build(ctx: Context) -> BusinessDesign:
    """The business design of a compiled blueprint."""
    brands, promises = _brands(ctx)
    process_map, by_channel = _process_map(ctx)
    migrations, automation = _plan(ctx)
    outbound, queues = _outbound(ctx)
    reported, silenced = _findings(ctx)
    return BusinessDesign(
        tuple(f"Y{k + 1}" for k in range(0, (len(ctx.outcome.months) + 11) // 12)),
        brands,
        promises,
        _services(ctx),
        _segments(ctx),
        process_map,
        _channel_volumes(ctx, by_channel),
        _volume_chart(ctx, by_channel),
        migrations,
        automation,
        outbound,
        queues,
        reported,
        silenced,
    )
