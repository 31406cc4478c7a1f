"""The document set: views of the compiled design rendered as Markdown, HTML, JSON, XLSX.

Pipeline: ``views/`` turn a compilation into one immutable view per document (plain
records, every figure computed there and carrying the blueprint line it came from);
``templates/`` (Jinja2) only format those views as Markdown; ``site`` renders the
Markdown as a self-contained HTML site, ``spreadsheets`` writes the workbooks, ``dump``
the JSON; ``build`` assembles the files in memory and ``output`` writes them atomically.

Importing this package is cheap: the catalogue (names, titles, formats) and the output
folder's rules load without the views, the compiler or matplotlib, so a no-op rebuild
(``stamp``) and the command line's option checks do not pay for them; ``build_documents``
and ``BuildResult`` load ``build`` on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blueprintc.documents.catalog import DOCUMENTS, FORMATS, Document

if TYPE_CHECKING:
    from blueprintc.documents.build import BuildResult, build_documents

__all__ = ["DOCUMENTS", "FORMATS", "BuildResult", "Document", "build_documents"]


def __getattr__(name: str) -> Any:
    if name in ("BuildResult", "build_documents"):
        from blueprintc.documents import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
