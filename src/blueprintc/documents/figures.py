"""A figure one document quotes from another: the value exactly as the other document's
view holds it, what it counts, and where it is explained (that document, the heading to
open there and the path of the same figure in its JSON view).

The executive summary's key figures and the findings (``findings``) are such figures, so
a test can check that a quoted figure and the document it links to agree, and the HTML
index can link each tile to the heading that explains it.
"""

from __future__ import annotations

import enum
from fractions import Fraction
from typing import Any

import attrs

from blueprintc.documents import catalog
from blueprintc.documents.context import Context
from blueprintc.outcome import Binding

Value = Fraction | float | int | str | Binding | None
Path = tuple[str | int, ...]


class Unit(enum.Enum):
    """What a figure counts: it decides how a document rounds and words it."""

    CONTACTS = "contacts"
    FTE = "FTE"
    AGENTS = "agents"
    SEATS = "seats"
    MONEY = "money"
    MONEY_EXACT = "money, to the cent"  # small amounts: cost per contact
    MONTHS = "months"
    MONTH = "month"
    SHARE = "share"
    POINTS = "percentage points"
    SCORE = "score"  # a risk's likelihood x impact
    NAME = "name"


@attrs.frozen
class Link:
    """Where a figure is explained: a document (its file stem), the heading to open there
    and the path of the same figure in that document's JSON view (``json/<stem>.json``,
    under ``view``)."""

    document: str
    title: str
    anchor: str
    path: Path


@attrs.frozen
class Figure:
    """One figure, exactly as the linked document holds it."""

    label: str
    value: Value
    unit: Unit
    link: Link


class Reader:
    """The documents' views of one build (each built once, ``catalog.view``) and their
    figures with links into them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def view(self, name: str) -> Any:
        return catalog.view(self.ctx, name)

    def figure(
        self, label: str, unit: Unit, name: str, anchor: str, path: Path, record: Any = None
    ) -> Figure:
        """The figure at ``path`` of document ``name``'s view (``record``: the view itself
        when None), linked to the heading ``anchor`` of that document."""
        document = catalog.by_name(name)
        assert document is not None, name
        value = at(self.view(name) if record is None else record, path)
        return Figure(label, value, unit, Link(document.stem, document.title, anchor, path))


def at(record: Any, path: Path) -> Any:
    """The value at ``path`` of a view: attribute names and tuple positions."""
    for step in path:
        record = record[step] if isinstance(step, int) else getattr(record, step)
    return record
