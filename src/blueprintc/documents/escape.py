"""Make user text inert in each output format.

Markdown: CommonMark lets any ASCII punctuation be backslash-escaped (spec §2.4); we
escape the characters that could open emphasis, code, links, raw HTML, tables or
strikethrough, and flatten line breaks, so blueprint text can neither format itself nor
break a table. (No maintained Python library offers this; markdown-it-py renders
Markdown but does not escape it.) HTML escaping is markupsafe's, through the Markdown
renderer; spreadsheet cells are neutralised in ``spreadsheets``.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&!])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
# A list item, thematic break or setext underline ("- x", "---", "==="), or an ordered
# list item ("1. x"), when the text starts a line.
_BLOCK_START = re.compile(r"^(\s*)([-+=])(?=[\s=+-]|$)|^(\s*\d{1,9})([.)])(?=\s|$)")


def markdown(text: object) -> str:
    """``text`` as literal Markdown inline content (safe inside a table cell)."""
    flat = _LINE_BREAKS.sub(" ", str(text))
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
    # A leading list marker, heading underline or ordered-list number starts a block.
    return _BLOCK_START.sub(_escape_block_start, escaped, count=1)


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(2) is not None:
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(3)}\\{match.group(4)}"


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet could take as a formula (OWASP CSV-injection list)."""
    return text.startswith(FORMULA_PREFIXES)
