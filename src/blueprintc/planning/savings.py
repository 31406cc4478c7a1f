"""Savings of each migration and automation: what the center would need without it.

For each ``migrate`` line and each ``automation`` share of a process, the center is sized
again without it; the saving is the difference in agent FTE (per month, and the peak) and
in staff cost over the horizon (FTE × paid hours × loaded cost). Sizing again takes a
fraction of a second per lever, so this runs on request (``blueprintc cost --savings``),
not on every compilation.
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.model import elements as m
from blueprintc.model.model import Model
from blueprintc.sizing.size import Sizing, size

WEEKS_PER_MONTH = Fraction(365, 7 * 12)


@attrs.frozen
class Saving:
    """The effect of one lever: FTE and staff cost it saves over the horizon."""

    process: str
    lever: str
    fte_saved_peak: float
    fte_saved_average: float
    staff_cost_saved: Fraction


def _without(model: Model, process: m.Process, change: dict[str, object]) -> Model:
    changed = attrs.evolve(process, **change)  # type: ignore[arg-type]
    elements = {ref: (changed if ref == process.ref else e) for ref, e in model.elements.items()}
    return attrs.evolve(model, elements=elements)


def _staff_cost(model: Model, sizing: Sizing) -> Fraction:
    staffing = model.staffing
    if staffing is None:
        return Fraction(0)
    paid = staffing.paid_hours_per_week * WEEKS_PER_MONTH
    total = Fraction(float(np.sum(sizing.agent_fte)))
    return total * paid * staffing.loaded_cost


def savings(model: Model, sizing: Sizing) -> tuple[Saving, ...]:
    """One entry per migration and per automation share of every process."""
    base_cost = _staff_cost(model, sizing)
    result = []
    for process in model.of(m.Process):
        levers: list[tuple[str, dict[str, object]]] = []
        for index, migration in enumerate(process.migrations):
            rest = process.migrations[:index] + process.migrations[index + 1 :]
            label = f"migrate {migration.source.name} to {migration.target.name}"
            levers.append((label, {"migrations": rest}))
        for ref, share in process.automation.items():
            channel = model.get(ref)
            # Automation on a self-service channel describes containment; it changes no
            # agent's work, so only automation on assisted channels is a lever here.
            if share > 0 and isinstance(channel, m.Channel) and channel.assisted:
                kept = {k: v for k, v in process.automation.items() if k != ref}
                levers.append((f"automation on {ref.name}", {"automation": kept}))
        for label, change in levers:
            other = size(_without(model, process, change), DiagnosticSink(), sizing.timeline)
            difference = other.agent_fte - sizing.agent_fte
            result.append(
                Saving(
                    process.name,
                    label,
                    float(difference.max(initial=0)),
                    float(difference.mean()),
                    _staff_cost(model, other) - base_cost,
                )
            )
    return tuple(result)
