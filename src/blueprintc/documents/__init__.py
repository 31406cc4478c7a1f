"""The document set: views of the compiled design rendered as Markdown, HTML, JSON, XLSX.

Pipeline: ``views/`` turn a compilation into one immutable view per document (plain
records, every figure computed there and carrying the blueprint line it came from);
``templates/`` (Jinja2) only format those views as Markdown; ``site`` renders the
Markdown as a self-contained HTML site, ``spreadsheets`` writes the workbooks, ``dump``
the JSON; ``build`` assembles the files in memory and ``output`` writes them atomically.
"""

from blueprintc.documents.build import FORMATS, BuildResult, build_documents
from blueprintc.documents.catalog import DOCUMENTS, Document

__all__ = ["DOCUMENTS", "FORMATS", "BuildResult", "Document", "build_documents"]
