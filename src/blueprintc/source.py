"""Source files and spans: the one place where offsets become lines and columns."""

from __future__ import annotations

import bisect
import re
from array import array
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import attrs

_LINE_BREAK = re.compile("\n")


@attrs.frozen(eq=False)
class SourceFile:
    """A decoded source file. Compared by identity: each file is loaded once per compilation."""

    path: str
    text: str
    real_path: Path | None = None
    decode_error: bool = False
    line_starts: memoryview = attrs.field(init=False)

    @line_starts.default
    def _line_starts(self) -> memoryview:
        """Read-only offsets where lines start: 8 bytes a line, found without a loop per char."""
        breaks = (match.end() for match in _LINE_BREAK.finditer(self.text))
        return memoryview(array("q", chain((0,), breaks))).toreadonly()

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based column (in characters) of a 0-based offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def utf16_col(self, offset: int) -> tuple[int, int]:
        """0-based line and UTF-16 code-unit column, as the Language Server Protocol counts."""
        line, col = self.line_col(offset)
        prefix = self.text[self.line_starts[line - 1] : self.line_starts[line - 1] + col - 1]
        return line - 1, len(prefix.encode("utf-16-le")) // 2


class Span(NamedTuple):
    """A half-open range [start, end) of character offsets in one source file.

    A named tuple rather than an attrs class: the parser makes hundreds of thousands of
    spans, and a tuple is several times cheaper to create.
    """

    file: SourceFile
    start: int
    end: int

    def __repr__(self) -> str:
        return f"Span(file={self.file.path}, start={self.start}, end={self.end})"

    @property
    def line(self) -> int:
        return self.file.line_col(self.start)[0]

    @property
    def column(self) -> int:
        return self.file.line_col(self.start)[1]

    @property
    def end_line_col(self) -> tuple[int, int]:
        return self.file.line_col(self.end)

    @property
    def text(self) -> str:
        return self.file.text[self.start : self.end]

    def cover(self, other: Span) -> Span:
        """The smallest span containing both (same file)."""
        return Span(self.file, min(self.start, other.start), max(self.end, other.end))

    def location(self) -> str:
        """``path:line:col`` for messages."""
        return f"{self.file.path}:{self.line}:{self.column}"
