"""Document 12, the assumptions register: every input the figures rest on, who supplied it
(the consultant, the standard library, a built-in default, or derived from other inputs)
and, for the library's and the compiler's values, the source they cite; those to confirm
with the client first.

The provenance is the model's (``blueprintc.model.provenance.register``); this view only
names the rows for a reader.
"""

from __future__ import annotations

import attrs

from blueprintc.documents.context import Context, Where
from blueprintc.model import elements as m
from blueprintc.model.provenance import Input, Standing, Supplier, register
from blueprintc.semantic.labels import readable

FIELD_TITLES = {
    "aht": "Handle time", "acw": "After-contact work", "volume": "Volume",
    "mix": "Channel mix", "automation": "Automation potential", "migrate": "Migration",
    "seasonality": "Seasonality", "growth": "Growth", "target": "Service target",
    "response": "Response target", "max_asa": "Longest average wait",
    "max_abandon": "Most abandonment", "patience": "Patience", "shrinkage": "Shrinkage",
    "occupancy": "Occupancy cap", "concurrency": "Concurrency",
    "intraday": "Intraday pattern", "weekly": "Day-of-week pattern",
    "monthly": "Monthly weights", "minimum_agents": "Minimum agents",
    "usage": "Usage price", "hours": "Opening hours", "seats": "Seats",
    "area": "Area per seat", "rent": "Rent", "fitout": "Fit-out", "running": "Running cost",
    "share": "Share", "loaded_cost": "Loaded cost", "paid_hours": "Paid hours",
    "span": "Span of control", "role_cost": "Role cost", "subscription": "Subscription",
    "licence": "Licence", "implementation": "Implementation", "hosting": "Hosting",
    "maintenance": "Maintenance", "option": "Option", "effort": "Effort",
    "duration": "Duration", "budget": "Budget", "pilot": "Pilot", "amount": "Amount",
    "year": "Year", "weight": "Weight", "score": "Score", "price": "Price",
    "discount": "Discount", "cost": "Cost", "exchange": "Exchange rate",
    "horizon": "Horizon", "interval": "Interval",
    "automation_threshold": "Automation threshold",
    "closed_hours": "Contacts while closed", "overlap": "Overlap of old and new systems",
    "customers": "Customers", "contact_rate": "Contact rate", "attempt_time": "Attempt time",
    "service_level": "Service level today", "abandon": "Abandonment today",
    "agents": "Agents today", "fte": "FTE today", "tolerance": "Tolerance",
    "ramp": "Ramp-up",
}  # fmt: skip
KIND_TITLES = {
    "blueprint": "Settings", "segment": "Segments", "process": "Processes",
    "outbound": "Outbound contacts", "channel": "Channels", "pattern": "Patterns",
    "site": "Sites", "staffing": "Staffing", "budget": "Budgets",
    "component": "Components", "phase": "Phases", "criterion": "Criteria",
    "vendor": "Vendors", "practice": "Practices", "system": "Systems",
    "baseline": "Today's operation", "benefit": "Benefits",
}  # fmt: skip


@attrs.frozen
class Row:
    """One input: what it is, its value as written and who supplied it.

    ``element`` and ``key`` are display labels (``name`` and ``key_name`` the blueprint's
    identifiers, shown in review); ``source`` is the citation of a standard-library or
    built-in value, or the consultant's comment on a declared line; ``rests_on`` the
    inputs a derived value comes from."""

    kind: str
    name: str
    element: str
    input: str
    key_name: str | None
    key: str | None
    value: str
    supplier: Supplier
    standing: Standing | None
    source: str | None
    template: str | None
    where: Where | None
    confirm: bool
    rests_on: tuple[Where, ...] = ()


@attrs.frozen
class Group:
    """The inputs of the elements of one kind."""

    kind: str
    title: str
    rows: tuple[Row, ...]


@attrs.frozen
class Count:
    supplier: Supplier
    inputs: int
    to_confirm: int


@attrs.frozen
class AssumptionsView:
    """The assumptions register."""

    counts: tuple[Count, ...]
    total: int
    to_confirm: tuple[Row, ...]
    groups: tuple[Group, ...]
    documented: str  # where the built-in defaults are documented


def _display(ctx: Context, ref: m.Ref) -> str:
    element = ctx.model.get(ref)
    if isinstance(element, m.Blueprint) or ref.kind == "blueprint":
        return ctx.model.blueprint.display
    return element.display if element is not None else readable(ref.name)


def _key(ctx: Context, key: str | None) -> str | None:
    """A key as a reader names it: the element it names (a channel), else readable."""
    if key is None:
        return None
    for kind in ("channel", "criterion", "site"):
        element = ctx.element(kind, key)
        if element is not None:
            return element.display
    return readable(key)


def _row(ctx: Context, found: Input) -> Row:
    citation = found.citation
    return Row(
        found.element.kind,
        found.element.name,
        _display(ctx, found.element),
        FIELD_TITLES.get(found.field, readable(found.field)),
        found.key,
        _key(ctx, found.key),
        found.written,
        found.supplier,
        citation.standing if citation is not None else None,
        (citation.text or None) if citation is not None else found.note,
        found.template,
        ctx.where_span(found.span),
        found.confirm,
        tuple(w for i in found.rests_on if (w := ctx.where_span(i.span)) is not None),
    )


def build(ctx: Context) -> AssumptionsView:
    """The assumptions register of the blueprint."""
    from blueprintc.model.provenance import DOCUMENTED

    rows = [_row(ctx, found) for found in register(ctx.model).inputs]
    by_kind: dict[str, list[Row]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    order = list(KIND_TITLES)
    groups = tuple(
        Group(kind, KIND_TITLES.get(kind, readable(kind)), tuple(found))
        for kind, found in sorted(
            by_kind.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
        )
    )
    counts = tuple(
        Count(
            supplier,
            sum(1 for r in rows if r.supplier is supplier),
            sum(1 for r in rows if r.supplier is supplier and r.confirm),
        )
        for supplier in Supplier
    )
    return AssumptionsView(
        counts,
        len(rows),
        tuple(r for g in groups for r in g.rows if r.confirm),
        groups,
        DOCUMENTED,
    )
