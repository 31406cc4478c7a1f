"""The documents of the set, in the order of the method, and how each is made.

Light to import: each document's view is loaded when a build first asks for it."""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from blueprintc.documents.context import Context

FORMATS = ("md", "html", "json", "xlsx", "docx", "pdf")
DEFAULT_FORMATS = tuple(f for f in FORMATS if f != "pdf")
"""What a build writes unless told: every format but the PDFs, which take seconds to
print (asked for with ``--format``, e.g. ``md,html,pdf``)."""


class Edition(enum.Enum):
    """Who a document set is for.

    ``review`` is the traceable set the design team checks: every figure beside the
    blueprint line it came from, pointers to how it is computed, the blueprint's names.
    ``client`` is the set handed to the client: display labels, rounded figures, no
    source columns and no pointers to the tool. Review is the default: a build is first
    checked, and an edition without its sources is made on purpose."""

    REVIEW = "review"
    CLIENT = "client"


EDITIONS = tuple(edition.value for edition in Edition)


def _view(module: str) -> Callable[[Context], Any]:
    """The ``build`` function of ``views/<module>.py``, imported on its first call."""

    def build(ctx: Context) -> Any:
        views = importlib.import_module(f"blueprintc.documents.views.{module}")
        return ctx.memo(("view", module), lambda: views.build(ctx))

    build.__qualname__ = build.__name__ = f"{module}.build"
    return build


@attrs.frozen
class Document:
    """One deliverable: its number and name, the view it shows and its template."""

    number: int
    name: str  # stable, used on the command line (--only) and in file names
    title: str
    build: Callable[[Context], Any]

    @property
    def stem(self) -> str:
        """The file name without extension: ``01-business-design``."""
        return f"{self.number:02d}-{self.name}"

    @property
    def template(self) -> str:
        return f"{self.name}.md.j2"


DOCUMENTS: tuple[Document, ...] = (
    Document(0, "executive-summary", "Executive summary", _view("summary")),
    Document(1, "business-design", "Business design", _view("business")),
    Document(2, "technology-design", "Technology design", _view("technology")),
    Document(3, "facility-design", "Facility design", _view("facility")),
    Document(4, "financial-design", "Financial design", _view("financial")),
    Document(5, "phasing-plan", "Project phasing plan", _view("phasing")),
    Document(6, "rfp", "Request for proposal", _view("rfp")),
    Document(7, "vendor-evaluation", "Vendor evaluation", _view("vendors")),
    Document(8, "uat-plan", "User acceptance test plan", _view("uat")),
    Document(9, "operations", "Operations templates", _view("operations")),
    Document(10, "maturity", "Maturity assessment", _view("maturity")),
    Document(11, "traceability", "Traceability and alignment report", _view("traceability")),
    Document(12, "assumptions", "Assumptions register", _view("assumptions")),
    Document(13, "risks-and-decisions", "Risk and decision log", _view("risks")),
)


def by_name(name: str) -> Document | None:
    return next((d for d in DOCUMENTS if d.name == name), None)


def view(ctx: Context, name: str) -> Any:
    """The view of document ``name``, built once per context (the executive summary
    reads the other documents' views; the build then uses the same ones)."""
    document = by_name(name)
    if document is None:
        raise KeyError(name)
    return document.build(ctx)
