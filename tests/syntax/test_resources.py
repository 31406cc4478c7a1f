"""Memory of the front end grows in proportion to the input, whatever the input holds.

Python's regex engine keeps backtracking state for every repetition of a group; the
lexer's patterns once did that per character, so a 50 MB comment took 8.9 GB and a
10 MB text 4.3 GB. Peak memory is measured with ``tracemalloc``, which sees the regex
engine's stack, on inputs of two million characters.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import pytest

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.source import SourceFile
from blueprintc.syntax.parse import parse

SIZE = 2_000_000
# Bytes of peak memory per character of input: the text itself, the lexer's token, the
# comment or text the tree keeps, and 8 bytes per line start. Before the fix: 60 to 400.
BYTES_PER_CHAR = 16

INPUTS: dict[str, Callable[[int], str]] = {
    "block comment": lambda n: "/* " + "x" * n + " */\n",
    "unterminated block comment": lambda n: "/* " + "x" * n + "\n",
    "line comment": lambda n: "// " + "x" * n + "\n",
    "text": lambda n: 'blueprint "' + "x" * n + '" { currency USD }\n',
    "text of escapes": lambda n: 'blueprint "' + '\\"' * (n // 2) + '" { currency USD }\n',
    "unterminated text": lambda n: 'blueprint "' + "x" * n + "\n",
    "blank lines": lambda n: 'blueprint "x" { currency USD }' + "\n" * n,
    "dotted name": lambda n: "use " + ".".join(["a"] * (n // 2)) + "\n",
    "spaces": lambda n: "blueprint" + " " * n + '"x" {}\n',
}


@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_front_end_memory_is_proportional_to_the_input(kind: str) -> None:
    text = INPUTS[kind](SIZE)
    tracemalloc.start()
    try:
        module = parse(SourceFile("big.cxb", text), DiagnosticSink())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert module.source.text is text
    per_char = peak / len(text)
    assert per_char < BYTES_PER_CHAR, f"{per_char:.0f} bytes of memory per character"


def test_line_table_is_compact_and_read_only() -> None:
    source = SourceFile("t.cxb", "a\n\nbc\r\nd")
    assert list(source.line_starts) == [0, 2, 3, 7]
    assert source.line_col(5) == (3, 3)
    assert source.line_text(3) == "bc"
    with pytest.raises(TypeError):
        source.line_starts[0] = 1  # type: ignore[index]
