"""Make user text inert in each output format.

Markdown: CommonMark lets any ASCII punctuation be backslash-escaped (spec §2.4); we
escape what could open emphasis, code, links, raw HTML, tables, strikethrough or math
(``$``), break what GitHub's autolinks and linkify would link (``//``, the ``:`` before
it, a ``.`` after ``www`` or before a letter, an e-mail's ``@``), and flatten line breaks,
so blueprint text can neither format itself nor break a table, on GitHub or in
markdown-it with its GFM, linkify and math plugins. (No maintained Python library offers
this; markdown-it-py renders Markdown but does not escape it.) HTML escaping is
markupsafe's, through the Markdown renderer; spreadsheet cells are neutralised in
``spreadsheets``.
"""

from __future__ import annotations

import functools
import re

WORD_JOINER = "\u2060"
"""Invisible, zero-width, no line break: what separates an e-mail's ``@`` from its name."""

_INLINE = re.compile(
    r"[\\`*_\[\]<>|#~&!$]"  # emphasis, code, links, raw HTML, tables, strikethrough, math
    r"|:(?=/)|/(?=/)"  # "http://", "//host": a scheme or protocol-relative link
    r"|(?<=\S)\.(?=[^\W\d_])|(?<=[Ww]{3})\."  # "example.com", "www.": a domain name
    r"|(?<=\S)@"  # "a@b.co", "mailto::@www": an e-mail address, any name before the "@"
)
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")
# A list item, thematic break or setext underline ("- x", "---", "==="), or an ordered
# list item ("1. x"), when the text starts a line.
_BLOCK_START = re.compile(r"^(\s*)([-+=])(?=[\s=+-]|$)|^(\s*\d{1,9})([.)])(?=\s|$)")


def markdown(text: object) -> str:
    """``text`` as literal Markdown inline content (safe inside a table cell)."""
    return _markdown(text if type(text) is str else str(text))


@functools.lru_cache(maxsize=1 << 16)
def _markdown(text: str) -> str:
    """``markdown`` of a string, remembered: a document set escapes the same names
    (processes, channels, requirements) over and over, in both targets."""
    # Spaces or tabs starting a line would make an indented code block.
    flat = _LINE_BREAKS.sub(" ", text).strip(" \t")
    escaped = _INLINE.sub(_escape_inline, flat)
    # A leading list marker, heading underline or ordered-list number starts a block.
    return _BLOCK_START.sub(_escape_block_start, escaped, count=1)


def _escape_inline(match: re.Match[str]) -> str:
    # GitHub joins backslash-escaped text again before finding e-mail addresses, so the
    # "@" is kept apart from the name by an invisible character instead.
    return WORD_JOINER + "@" if match.group() == "@" else "\\" + match.group()


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(2) is not None:
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(3)}\\{match.group(4)}"


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet could take as a formula (OWASP CSV-injection list)."""
    return text.startswith(FORMULA_PREFIXES)
