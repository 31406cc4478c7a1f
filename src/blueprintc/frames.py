"""The figures of a compilation as pandas DataFrames, for notebooks and analysts.

Two tidy tables, one row per figure and month, read from the compilation's outcome
(``blueprintc.outcome``; nothing is recomputed): :func:`staffing` (per queue and month:
contacts, handle time, agent hours, FTE, headcount, peak agents and service) and
:func:`costs` (per cost line and month: the amount in the blueprint's currency). Months
are labelled ``YYYY-MM``; money is a float.

pandas is optional (``pip install pandas``, or ``pip install 'blueprintc[pandas]'``): it is
imported only when a function here is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blueprintc.driver import Compilation
from blueprintc.outcome import Outcome

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


def staffing(result: Compilation | Outcome) -> pandas.DataFrame:
    """Per queue and month: contacts offered, handle time (s), agent hours, FTE, headcount,
    peak agents, service level, ASA (s), abandonment and occupancy.

    ``result`` is a compilation that reached the planning, or its ``Outcome``.
    """
    pd = _pandas()
    outcome = _outcome(result, "sizing")
    rows: list[tuple[Any, ...]] = []
    for queue in outcome.queues:
        handle_time = queue.handle_time
        for month, label in enumerate(outcome.months):
            rows.append(
                (
                    queue.name,
                    queue.id.channel,
                    queue.id.outbound,
                    label,
                    float(queue.contacts[month]),
                    float(handle_time[month]),
                    float(queue.agent_hours[month]),
                    float(queue.fte[month]),
                    int(queue.headcount[month]),
                    int(queue.peak_agents[month]),
                    float(queue.service_level[month]),
                    float(queue.asa[month]),
                    float(queue.abandon[month]),
                    float(queue.occupancy[month]),
                )
            )
    return pd.DataFrame(rows, columns=list(STAFFING_COLUMNS))


def costs(result: Compilation | Outcome, option: str | None = None) -> pandas.DataFrame:
    """Per cost line and month: the line's name, ``capex`` or ``opex``, its group and the
    amount (a float in the blueprint's currency).

    ``result`` is a compilation that reached the planning, or its ``Outcome``; ``option``
    names a deployment option (see ``Outcome.options``) to read its statement instead of
    the design's.
    """
    pd = _pandas()
    outcome = _outcome(result, "planning")
    statement = outcome.statement
    if option is not None:
        if option not in outcome.option_statements:
            known = ", ".join(outcome.option_statements) or "none"
            raise ValueError(f"no option {option!r} (options: {known})")
        statement = outcome.option_statements[option]
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


def _outcome(result: Compilation | Outcome, stage: str) -> Outcome:
    if isinstance(result, Outcome):
        return result
    if result.outcome is None:
        raise ValueError(_incomplete(result, stage))
    return result.outcome


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
