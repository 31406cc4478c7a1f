"""Business layer: services justified by promises, shares and mixes that add up, channels
that exist, strategy and intensity in line, automation where the volume is."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from blueprintc.diagnostics import Label
from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.model.format import number, percent
from blueprintc.validate.findings import Context, Finding, field_span

HOURS_PER_YEAR = 8760


def service_without_promise(ctx: Context) -> Iterator[Finding]:
    """A service that delivers no promise."""
    for service in ctx.designed(m.Service):
        if not service.delivers:
            yield Finding(
                C.SERVICE_WITHOUT_PROMISE,
                service.ref,
                f"the service `{service.name}` delivers no promise",
                service.span,
            )


def segment_shares(ctx: Context) -> Iterator[Finding]:
    """Segment shares that do not add up to 100%."""
    segments = ctx.designed(m.Segment)
    total = sum((s.share for s in segments), Fraction(0))
    if segments and total != 1:
        labels = tuple(Label(field_span(s, "share"), f"{percent(s.share)}") for s in segments)
        yield Finding(
            C.SEGMENT_SHARES,
            segments[0].ref,
            f"the segments' shares add up to {percent(total)}, not 100%",
            segments[0].span,
            labels,
        )


def mix_not_100(ctx: Context) -> Iterator[Finding]:
    """A process whose channel mix does not add up to 100%."""
    for process in ctx.designed(m.Process):
        total = sum(process.mix.values(), Fraction(0))
        if process.unbound:
            continue  # channel-not-offered explains the gap
        if total != 1:
            yield Finding(
                C.MIX_NOT_100,
                process.ref,
                f"the mix of `{process.name}` adds up to {percent(total)}, not 100%",
                field_span(process, "mix"),
            )


def channel_not_offered(ctx: Context) -> Iterator[Finding]:
    """A process using a channel template the blueprint does not offer."""
    for process in ctx.designed(m.Process):
        for name, span in process.unbound:
            yield Finding(
                C.CHANNEL_NOT_OFFERED,
                process.ref,
                _not_offered(process.name, name),
                span,
            )


def _not_offered(process: str, name: str) -> str:
    if "(" in name:
        template, channels = name.split(" ", 1)
        return (
            f"`{process}` uses `{template}`, which several channels are built on {channels}; "
            "name the channel"
        )
    return f"`{process}` uses `{name}`, but no channel of the blueprint is built on it"


def drop_with_partnership(ctx: Context) -> Iterator[Finding]:
    """A segment to drop served with partnership intensity."""
    for segment in ctx.designed(m.Segment):
        if segment.strategy == "drop" and segment.intensity == "partnership":
            yield Finding(
                C.DROP_WITH_PARTNERSHIP,
                segment.ref,
                f"the segment `{segment.name}` is to be dropped but is served as a partner",
                field_span(segment, "intensity"),
                (Label(field_span(segment, "strategy"), "strategy drop"),),
            )


def migrated_twice(ctx: Context) -> Iterator[Finding]:
    """A process with two `migrate` lines between the same channels: a move is given once."""
    for process in ctx.designed(m.Process):
        first: dict[tuple[m.Ref, m.Ref], m.Migration] = {}
        for migration in process.migrations:
            earlier = first.setdefault((migration.source, migration.target), migration)
            if earlier is not migration:
                yield Finding(
                    C.DUPLICATE_FIELD,
                    process.ref,
                    f"the migration of `{process.name}` from `{migration.source.name}` to "
                    f"`{migration.target.name}` is given twice",
                    migration.span,
                    (Label(earlier.span, "first given here"),),
                )


def no_automation(ctx: Context) -> Iterator[Finding]:
    """A high-volume process without automation or self-service."""
    threshold = ctx.model.blueprint.automation_threshold
    for process in ctx.designed(m.Process):
        if process.volume < threshold:
            continue
        automated = any(share > 0 for share in process.automation.values())
        self_service = any(
            isinstance(c := ctx.model.get(ref), m.Channel) and not c.assisted and share > 0
            for ref, share in process.mix.items()
        )
        if not automated and not self_service:
            yield Finding(
                C.NO_AUTOMATION,
                process.ref,
                f"`{process.name}` handles {number(process.volume * HOURS_PER_YEAR, 0)} "
                f"contacts a year (threshold {number(threshold * HOURS_PER_YEAR, 0)}) "
                "with no automation or self-service",
                field_span(process, "volume"),
            )
