"""Alignment of today's operation (``baseline``) with the design: what the model alone
shows. The comparisons that need the sized design (volumes, staff) are made where the
baseline is sized (:mod:`blueprintc.sizing.baseline`)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from blueprintc.diagnostics import Label
from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.model.format import number
from blueprintc.validate.findings import Context, Finding


def _baseline(ctx: Context) -> m.Baseline | None:
    baseline = ctx.model.baseline
    return baseline if baseline is not None and not baseline.library else None


def repeated_line(ctx: Context) -> Iterator[Finding]:
    """A baseline figure given twice for the same channel (or two totals)."""
    baseline = _baseline(ctx)
    if baseline is None:
        return
    for field, channel, line, first in baseline.repeated:
        what = f"`{field}` of `{channel}`" if channel else f"the total `{field}`"
        yield Finding(
            C.DUPLICATE_FIELD,
            baseline.ref,
            f"{what} is given twice in the baseline",
            line,
            (Label(first, "first given here"),),
        )


def channel_not_in_design(ctx: Context) -> Iterator[Finding]:
    """A channel of today's operation that no process or proactive contact uses."""
    baseline = _baseline(ctx)
    if baseline is None:
        return
    used = {ref for p in ctx.model.of(m.Process) for ref, share in p.mix.items() if share > 0}
    used |= {o.channel for o in ctx.model.of(m.Outbound)}
    today = [*baseline.volumes, *baseline.channel_agents, *baseline.channel_fte]
    for ref in dict.fromkeys(today):
        if ref not in used:
            field = next(f for f in ("volume", "agents", "fte") if (f, ref.name) in baseline.lines)
            yield Finding(
                C.BASELINE_CHANNEL_NOT_IN_DESIGN,
                baseline.ref,
                f"today's operation runs `{ref.name}`, but no process or proactive contact "
                "of the design uses it",
                baseline.line(field, ref),
            )
    for name, span in baseline.unbound:
        yield Finding(
            C.BASELINE_CHANNEL_NOT_IN_DESIGN,
            baseline.ref,
            f"today's operation runs `{name}`, but no channel of the blueprint extends it",
            span,
            help=f"declare the channel (`channel {name.removeprefix('std.')} extends {name} "
            "{ ... }`) and the processes that use it, or leave the line out",
        )


def totals_differ(ctx: Context) -> Iterator[Finding]:
    """Per-channel agents (or FTE) that add up to more than the total, or to another
    number when every assisted channel run today has its own."""
    baseline = _baseline(ctx)
    if baseline is None:
        return
    assisted = {
        ref
        for ref in baseline.volumes
        if isinstance(c := ctx.model.get(ref), m.Channel) and c.assisted
    }
    figures: tuple[tuple[str, Fraction | int | None, dict[m.Ref, Fraction]], ...] = (
        ("agents", baseline.agents, {k: Fraction(v) for k, v in baseline.channel_agents.items()}),
        ("fte", baseline.fte, dict(baseline.channel_fte)),
    )
    for field, total, channels in figures:
        if total is None or not channels:
            continue
        added = sum(channels.values(), Fraction(0))
        complete = assisted <= set(channels)
        if added > total or (complete and added != total):
            unit = "agents" if field == "agents" else "FTE"
            given = number(Fraction(total), 1)
            yield Finding(
                C.BASELINE_TOTALS_DIFFER,
                baseline.ref,
                f"the {unit} given per channel add up to {number(added, 1)}, "
                + (
                    f"more than the {given} given in total"
                    if added > total
                    else f"but the total given is {given}"
                ),
                baseline.line(field),
                tuple(Label(baseline.line(field, ref), ref.name) for ref in channels),
            )
