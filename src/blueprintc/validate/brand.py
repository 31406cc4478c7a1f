"""Brand layer: every promise is kept by a service, and promised targets are met."""

from __future__ import annotations

from collections.abc import Iterator

from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.model.format import duration, percent
from blueprintc.validate.findings import Context, Finding, label


def unfulfilled_promise(ctx: Context) -> Iterator[Finding]:
    """A promise that no service delivers."""
    delivered = {ref for service in ctx.model.of(m.Service) for ref in service.delivers}
    for promise in ctx.designed(m.Promise):
        if promise.ref not in delivered:
            yield Finding(
                C.UNFULFILLED_PROMISE,
                promise.ref,
                f"no service delivers the promise `{promise.name}`",
                promise.span,
            )


def promise_target_not_met(ctx: Context) -> Iterator[Finding]:
    """A promise's explicit target that the channel's own target does not meet."""
    for promise in ctx.designed(m.Promise):
        for target in promise.targets:
            channel = ctx.model.get(target.channel)
            if not isinstance(channel, m.Channel):
                continue
            own = channel.response if channel.mode == "deferred" else channel.target
            promised = f"{percent(target.level)} within {duration(target.within)}"
            if own is None:
                message = (
                    f"`{promise.name}` promises {promised} on `{channel.name}`, which has no target"
                )
                labels = label(channel.span, "channel declared here")
            elif own.level < target.level or own.within > target.within:
                message = (
                    f"`{channel.name}` targets {percent(own.level)} within {duration(own.within)}, "
                    f"weaker than the {promised} that `{promise.name}` promises"
                )
                labels = label(own.span, "the channel's target")
            else:
                continue
            yield Finding(C.PROMISE_TARGET_NOT_MET, promise.ref, message, target.span, labels)
