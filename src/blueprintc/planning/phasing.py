"""The model's work items and phases for the phasing solver, and its plan back.

Work items: every component (its `effort`, its declared one-time cost, what it requires),
every channel launch (after the components that carry its contacts: routing, IVR,
telephony, digital platforms; a month of work, plus its pilot if any), every migration
(a month of work once the new channels it links are launched) and every maturity practice
targeted but not in place (its effort and cost). Among otherwise equal items the
cheapest channels go first: web self-service, then IVR, then written and assisted
channels, branch last.
"""

from __future__ import annotations

from fractions import Fraction

from blueprintc.model import elements as m
from blueprintc.model.defaults import MONTH_SECONDS
from blueprintc.model.model import Model
from blueprintc.sizing.calendar import Grid
from blueprintc.sizing.timeline import item_id, launched_channels, migration_id
from blueprintc.solve import phasing as ph

CHANNEL_LAUNCH_MONTHS = Fraction(1)
MIGRATION_MONTHS = Fraction(1)
# Components that carry a channel's contacts: a channel launches once they are delivered.
# Workforce, quality, recording, reporting and CRM components support a channel but do not
# hold back its launch.
CARRIER_KINDS = {
    "acd", "ivr", "omnichannel", "chat", "email", "web", "sms", "social", "video", "sbc",
    "sip_trunk", "other",
}  # fmt: skip
# Cheapest channels first (the method's rule of thumb): the rank breaks ties only.
CHANNEL_RANK = {
    "web": 0, "ivr": 1, "sms": 2, "email": 3, "social": 4, "messaging": 4, "chat": 5,
    "callback": 6, "voice": 7, "video": 8, "branch": 9,
}  # fmt: skip


def _months(seconds: Fraction | None, default: Fraction) -> Fraction:
    return default if seconds is None else seconds / MONTH_SECONDS


def work_items(model: Model) -> list[ph.Item]:
    """Components, channel launches and targeted practices as work items."""
    placed = {item: p.name for p in model.of(m.Phase) for item in p.includes}
    items = []
    for component in model.of(m.Component):
        items.append(
            ph.Item(
                item_id(component.ref),
                "component",
                _months(component.effort, Fraction(1)),
                component.costs.one_time_total(),
                tuple(item_id(r) for r in component.requires),
                placed.get(component.ref),
                5,
            )
        )
    carriers: dict[m.Ref, list[str]] = {}  # channel -> the carriers supporting it, in order
    for c in model.of(m.Component):
        if (c.component_kind or "other") in CARRIER_KINDS:
            for ref in dict.fromkeys(c.supports):
                carriers.setdefault(ref, []).append(item_id(c.ref))
    for channel in model.of(m.Channel):
        if channel.library:
            continue
        needs = tuple(carriers.get(channel.ref, ()))
        rank = CHANNEL_RANK.get(channel.channel_kind or "", 5)
        items.append(
            ph.Item(
                item_id(channel.ref),
                "channel",
                CHANNEL_LAUNCH_MONTHS,
                Fraction(0),
                needs,
                placed.get(channel.ref),
                rank,
            )
        )
    items += _practice_items(model, placed)
    items += _migration_items(model)
    return items


def _migration_items(model: Model) -> list[ph.Item]:
    """Each `migrate` line: a month of work (communication, routing changes) once the
    channels it links that the plan launches are launched (channels run today need no
    launch); placed by the solver like any other item."""
    launched = launched_channels(model)
    items = []
    for process in model.of(m.Process):
        for migration in process.migrations:
            ends = (migration.source, migration.target)
            needs = tuple(item_id(ref) for ref in ends if ref in launched)
            items.append(
                ph.Item(
                    migration_id(process, migration),
                    "migration",
                    MIGRATION_MONTHS,
                    Fraction(0),
                    needs,
                    None,
                    6,
                )
            )
    return items


def _practice_items(model: Model, placed: dict[m.Ref, str]) -> list[ph.Item]:
    maturity = model.maturity
    if maturity is None:
        return []
    wanted = [ref for ref in maturity.target if ref not in maturity.current]
    items = []
    for ref in wanted:
        practice = model.get(ref)
        if isinstance(practice, m.Practice):
            items.append(
                ph.Item(
                    item_id(ref),
                    "practice",
                    _months(practice.effort, Fraction(1)),
                    practice.cost or Fraction(0),
                    (),
                    placed.get(ref),
                    8,
                )
            )
    return items


def phases(model: Model, grid: Grid) -> list[ph.Phase]:
    result = []
    for order, phase in enumerate(p for p in model.of(m.Phase) if not p.library):
        start = grid.index_of(*phase.start) if phase.start else None
        result.append(
            ph.Phase(
                phase.name,
                order,
                max(start, 0) if start is not None else None,
                _months(phase.duration, Fraction(0)) if phase.duration else None,
                phase.budget,
                tuple(p.name for p in phase.after),
            )
        )
    return result


def pilots(model: Model) -> list[ph.Pilot]:
    return [
        ph.Pilot(
            item_id(p.channel), p.share, _months(p.duration, Fraction(0)) if p.duration else None
        )
        for phase in model.of(m.Phase)
        for p in phase.pilots
    ]


def build_plan(model: Model, grid: Grid) -> ph.Plan:
    """The phasing plan of the blueprint (empty when it declares no phase)."""
    return ph.plan(work_items(model), phases(model, grid), pilots(model))


def plan_of(model: Model, grid: Grid) -> ph.Plan | None:
    """The plan of a blueprint that declares phases; None without any."""
    has_phases = any(not p.library for p in model.of(m.Phase))
    return build_plan(model, grid) if has_phases else None


__all__ = ["build_plan", "item_id", "migration_id", "plan_of", "work_items"]
