"""Operational layer: channels that open and have targets; plausible shrinkage and
occupancy; no channel field its mode ignores."""

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


_NO_AGENTS = "a self-service channel has no agents and is not sized"
IGNORED_BY_MODE: dict[str, dict[str, str]] = {
    "realtime": {
        "response": "a real-time channel is sized on its `target`; `response` is the target "
        "of deferred work",
    },
    "deferred": {
        "target": "a deferred channel is sized on its `response` target; `target` is for "
        "real-time channels",
        "patience": "deferred work waits in a backlog, where no one hangs up",
        "max_abandon": "deferred work waits in a backlog, where no one abandons",
        "max_asa": "deferred work has no speed of answer; its response time is set by `response`",
        "concurrency": "deferred work is done one item at a time; concurrency is for "
        "real-time chat",
    },
    "self_service": dict.fromkeys(
        (
            "target",
            "response",
            "max_asa",
            "max_abandon",
            "patience",
            "shrinkage",
            "occupancy",
            "concurrency",
            "minimum_agents",
        ),
        _NO_AGENTS,
    ),
}
"""Per channel mode, the fields sizing does not read in that mode, and why
(docs/sizing.md, section 3.6)."""
_MODE_HELP = {
    "realtime": "remove the field, or make the channel `mode deferred` if its work can wait",
    "deferred": "remove the field, or make the channel `mode realtime` if customers wait on "
    "the line",
    "self_service": "remove the field: no one is staffed on a self-service channel",
}


def field_ignored_by_mode(ctx: Context) -> Iterator[Finding]:
    """A channel field set (declared or inherited) that the channel's mode does not use."""
    for channel in ctx.designed(m.Channel):
        for field, why in IGNORED_BY_MODE.get(channel.mode, {}).items():
            origin = channel.origin(field)
            if origin is None or origin.via == "default" or _neutral(channel, field):
                continue
            inherited = origin.via != "declared"
            yield Finding(
                C.FIELD_IGNORED_BY_MODE,
                channel.ref,
                f"`{field}` has no effect on `{channel.name}` (mode `{channel.mode}`): {why}",
                field_span(channel, "mode" if inherited else field),
                label(origin.span, f"`{field}` {origin.via}") if inherited else (),
                _MODE_HELP[channel.mode],
            )


def _neutral(channel: m.Channel, field: str) -> bool:
    """A value that asks for nothing: concurrency 1, no minimum agents."""
    if field == "concurrency":
        return channel.concurrency == 1
    return field == "minimum_agents" and channel.minimum_agents == 0
