"""Offsets in a source file and LSP positions, in the position encoding the client chose.

The compiler counts characters (Python ``str`` offsets); the protocol counts code units:
UTF-16 by default (an emoji is two units, an accented letter one), or UTF-8 or UTF-32 when
client and server agree on it at initialization. Lines are 0-based in both directions.
"""

from __future__ import annotations

import bisect
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from lsprotocol import types

from blueprintc.source import SourceFile, Span

UTF16 = "utf-16"


def _units(text: str, encoding: str) -> int:
    """The length of ``text`` in code units of ``encoding``."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _char_units(ch: str, encoding: str) -> int:
    code = ord(ch)
    if encoding == "utf-32":
        return 1
    if encoding == "utf-8":
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 2 if code > 0xFFFF else 1


def position_at(file: SourceFile, offset: int, encoding: str = UTF16) -> types.Position:
    """The LSP position of a character offset (clamped to the file)."""
    offset = max(0, min(offset, len(file.text)))
    line = bisect.bisect_right(file.line_starts, offset) - 1
    start = file.line_starts[line]
    return types.Position(line, _units(file.text[start:offset], encoding))


def offset_at(file: SourceFile, position: types.Position, encoding: str = UTF16) -> int:
    """The character offset of an LSP position: the reverse of :func:`position_at`.

    A line past the end gives the end of the file; a column past the end of its line gives
    the end of the line (before the line break), as the protocol asks.
    """
    if position.line < 0:
        return 0
    if position.line >= len(file.line_starts):
        return len(file.text)
    start = file.line_starts[position.line]
    end = (
        file.line_starts[position.line + 1] - 1
        if position.line + 1 < len(file.line_starts)
        else len(file.text)
    )
    if end > start and file.text[end - 1] == "\r":
        end -= 1
    units = 0
    offset = start
    while offset < end and units < position.character:
        units += _char_units(file.text[offset], encoding)
        offset += 1
    return offset


def apply_change(
    text: str, change: types.TextDocumentContentChangeEvent, encoding: str = UTF16
) -> str:
    """The text after one change of a ``didChange`` (positions past the end are clamped)."""
    if not isinstance(change, types.TextDocumentContentChangePartial):
        return change.text
    file = SourceFile("", text)
    start = offset_at(file, change.range.start, encoding)
    end = max(start, offset_at(file, change.range.end, encoding))
    return text[:start] + change.text + text[end:]


def is_backwards(span: types.Range) -> bool:
    """Whether a range ends before it starts (the protocol requires start <= end)."""
    start, end = span.start, span.end
    return (end.line, end.character) < (start.line, start.character)


def span_range(span: Span, encoding: str = UTF16) -> types.Range:
    """The LSP range of a span."""
    return types.Range(
        position_at(span.file, span.start, encoding), position_at(span.file, span.end, encoding)
    )


def offset_range(file: SourceFile, start: int, end: int, encoding: str = UTF16) -> types.Range:
    return types.Range(position_at(file, start, encoding), position_at(file, end, encoding))


def whole_file_range(file: SourceFile, encoding: str = UTF16) -> types.Range:
    return offset_range(file, 0, len(file.text), encoding)


# -- URIs ---------------------------------------------------------------------------------


def uri_to_path(uri: str) -> Path | None:
    """The file a ``file:`` URI names, or None for other schemes (unsaved buffers)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if parsed.netloc:  # a UNC path: file://server/share/x.cxb
        path = f"//{parsed.netloc}{path}"
    if len(path) >= 3 and path[0] == "/" and path[2] == ":":  # file:///C:/x.cxb on Windows
        path = path[1:]
    return Path(path)


def path_to_uri(path: Path) -> str:
    """The ``file:`` URI of a path."""
    return path.resolve().as_uri() if path.is_absolute() else "file://" + quote(str(path))
