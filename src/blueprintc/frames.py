"""The figures of a compilation as pandas DataFrames, for notebooks and analysts.

Two tidy tables, one row per figure and month, read from the stage results (nothing is
recomputed): :func:`staffing` (per queue and month: contacts, handle time, agent hours,
FTE, headcount, peak agents and service) and :func:`costs` (per cost line and month: the
amount in the blueprint's currency). Months are labelled ``YYYY-MM``; money is a float.

pandas is optional (``pip install pandas``, or ``pip install 'blueprintc[pandas]'``): it is
imported only when a function here is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blueprintc.driver import Compilation
from blueprintc.planning.run import Planning
from blueprintc.sizing.size import Sizing

if TYPE_CHECKING:
    import pandas

STAFFING_COLUMNS = (
    "queue",
    "channel",
    "outbound",
    "month",
    "contacts",
    "handle_time",
    "agent_hours",
    "fte",
    "headcount",
    "peak_agents",
    "service_level",
    "asa",
    "abandon",
    "occupancy",
)
COST_COLUMNS = ("line", "category", "group", "month", "amount")


def staffing(result: Compilation | Sizing) -> pandas.DataFrame:
    """Per queue and month: contacts offered, handle time (s), agent hours, FTE, headcount,
    peak agents, service level, ASA (s), abandonment and occupancy.

    ``result`` is a compilation that reached the sizing, or its ``Sizing``.
    """
    pd = _pandas()
    sizing = _sizing(result)
    grid = sizing.grid
    rows: list[tuple[Any, ...]] = []
    for queue in sizing.queues:
        work, staff = queue.work, queue.monthly
        for month in range(grid.months):
            rows.append(
                (
                    queue.name,
                    work.channel.name,
                    work.outbound,
                    grid.label(month),
                    float(work.monthly[month]),
                    float(work.handle_time[month]),
                    float(staff.agent_hours[month]),
                    float(staff.fte[month]),
                    int(staff.headcount[month]),
                    int(staff.peak_agents[month]),
                    float(staff.service_level[month]),
                    float(staff.asa[month]),
                    float(staff.abandon[month]),
                    float(staff.occupancy[month]),
                )
            )
    return pd.DataFrame(rows, columns=list(STAFFING_COLUMNS))


def costs(result: Compilation | Planning, option: str | None = None) -> pandas.DataFrame:
    """Per cost line and month: the line's name, ``capex`` or ``opex``, its group and the
    amount (a float in the blueprint's currency).

    ``result`` is a compilation that reached the planning, or its ``Planning``; ``option``
    names a deployment option (see ``Planning.options``) to read its statement instead of
    the design's.
    """
    pd = _pandas()
    planning = _planning(result)
    statement = planning.statement
    if option is not None:
        if option not in planning.option_statements:
            known = ", ".join(planning.option_statements) or "none"
            raise ValueError(f"no option {option!r} (options: {known})")
        statement = planning.option_statements[option]
    labels = [
        month_label(statement.start_year, statement.start_month, index)
        for index in range(statement.horizon)
    ]
    rows = [
        (line.name, line.category, line.group, labels[index], float(amount))
        for line in statement.lines
        for index, amount in enumerate(line.months)
    ]
    return pd.DataFrame(rows, columns=list(COST_COLUMNS))


def month_label(start_year: int, start_month: int, index: int) -> str:
    """``YYYY-MM`` of the month ``index`` months after ``start_year``-``start_month``."""
    year, month = divmod(start_year * 12 + start_month - 1 + index, 12)
    return f"{year}-{month + 1:02d}"


def _sizing(result: Compilation | Sizing) -> Sizing:
    if isinstance(result, Sizing):
        return result
    if result.sizing is None or result.planning is None:
        raise ValueError(_incomplete(result, "sizing"))
    return result.sizing


def _planning(result: Compilation | Planning) -> Planning:
    if isinstance(result, Planning):
        return result
    if result.planning is None:
        raise ValueError(_incomplete(result, "planning"))
    return result.planning


def _incomplete(compilation: Compilation, stage: str) -> str:
    reason = "it has errors" if not compilation.ok else "it stopped before that stage (until=)"
    return f"the compilation has no {stage}: {reason}"


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "blueprintc.frames needs pandas: pip install pandas "
            "(or pip install 'blueprintc[pandas]')"
        ) from None
    return pandas


__all__ = ["COST_COLUMNS", "STAFFING_COLUMNS", "costs", "month_label", "staffing"]
