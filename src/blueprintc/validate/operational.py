"""Operational layer: channels that open and have targets; plausible shrinkage and
occupancy."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.model.format import percent
from blueprintc.validate.findings import Context, Finding, field_span, label

# Plausible bounds (docs/alignment.md, section 8): shrinkage usually 30-40% [industry rule];
# occupancy cap 85%, burnout above 87-90%, stable planning 75-83% (Call Centre Helper).
SHRINKAGE_BOUNDS = (Fraction(20, 100), Fraction(50, 100))
OCCUPANCY_BOUNDS = (Fraction(65, 100), Fraction(90, 100))


def channel_without_hours(ctx: Context) -> Iterator[Finding]:
    """An offered channel with no opening hours."""
    for channel in ctx.designed(m.Channel):
        if not channel.hours:
            yield Finding(
                C.CHANNEL_WITHOUT_HOURS,
                channel.ref,
                f"the channel `{channel.name}` has no opening hours",
                channel.span,
            )


def channel_without_target(ctx: Context) -> Iterator[Finding]:
    """A real-time channel without `target`, a deferred one without `response`."""
    for channel in ctx.designed(m.Channel):
        if channel.mode == "realtime" and channel.target is None:
            needed = "a `target`"
        elif channel.mode == "deferred" and channel.response is None:
            needed = "a `response` target"
        else:
            continue
        yield Finding(
            C.CHANNEL_WITHOUT_TARGET,
            channel.ref,
            f"the {channel.mode} channel `{channel.name}` has no service target; it needs {needed}",
            channel.span,
        )


def process_channel_closed(ctx: Context) -> Iterator[Finding]:
    """A process sending contacts to a channel that is never open."""
    for process in ctx.designed(m.Process):
        for ref, share in process.mix.items():
            channel = ctx.model.get(ref)
            if isinstance(channel, m.Channel) and not channel.hours and share > 0:
                yield Finding(
                    C.PROCESS_CHANNEL_CLOSED,
                    process.ref,
                    f"`{process.name}` sends {percent(share)} of its contacts to "
                    f"`{channel.name}`, which is never open",
                    field_span(process, "mix"),
                    label(channel.span, "channel declared here"),
                )


def implausible_shrinkage(ctx: Context) -> Iterator[Finding]:
    """Shrinkage outside 20-50%."""
    low, high = SHRINKAGE_BOUNDS
    for channel in ctx.designed(m.Channel):
        value = channel.shrinkage
        if value is not None and channel.assisted and not low <= value <= high:
            yield Finding(
                C.IMPLAUSIBLE_SHRINKAGE,
                channel.ref,
                f"shrinkage of {percent(value)} on `{channel.name}` is outside the plausible "
                f"{percent(low)}-{percent(high)}",
                field_span(channel, "shrinkage"),
            )


def implausible_occupancy(ctx: Context) -> Iterator[Finding]:
    """Occupancy cap outside 65-90%."""
    low, high = OCCUPANCY_BOUNDS
    for channel in ctx.designed(m.Channel):
        value = channel.occupancy
        if value is not None and channel.assisted and not low <= value <= high:
            yield Finding(
                C.IMPLAUSIBLE_OCCUPANCY,
                channel.ref,
                f"an occupancy cap of {percent(value)} on `{channel.name}` is outside the "
                f"plausible {percent(low)}-{percent(high)}",
                field_span(channel, "occupancy"),
            )
