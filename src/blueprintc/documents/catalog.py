"""The documents of the set, in the order of the method, and how each is made."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from blueprintc.documents.context import Context
from blueprintc.documents.views import (
    business,
    facility,
    financial,
    maturity,
    operations,
    phasing,
    rfp,
    technology,
    traceability,
    uat,
    vendors,
)


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
    Document(1, "business-design", "Business design", business.build),
    Document(2, "technology-design", "Technology design", technology.build),
    Document(3, "facility-design", "Facility design", facility.build),
    Document(4, "financial-design", "Financial design", financial.build),
    Document(5, "phasing-plan", "Project phasing plan", phasing.build),
    Document(6, "rfp", "Request for proposal", rfp.build),
    Document(7, "vendor-evaluation", "Vendor evaluation", vendors.build),
    Document(8, "uat-plan", "User acceptance test plan", uat.build),
    Document(9, "operations", "Operations templates", operations.build),
    Document(10, "maturity", "Maturity assessment", maturity.build),
    Document(11, "traceability", "Traceability and alignment report", traceability.build),
)


def by_name(name: str) -> Document | None:
    return next((d for d in DOCUMENTS if d.name == name), None)
