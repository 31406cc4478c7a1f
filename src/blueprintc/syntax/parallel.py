"""A large file parsed in two parts at once, on two cores.

Parsing is pure Python (Lark) and a third of a large blueprint's compile, on the one
core a compilation otherwise uses. A file of at least :data:`PARALLEL_BYTES` is cut after
a top-level block near the middle (:func:`blueprintc.syntax.parse.cut_point`). Another
process (:func:`blueprintc.forked.beside`: a forked child, or a worker the document build
keeps running) parses the part after the cut and hands its tree back as bytes
(:func:`blueprintc.syntax.kept.tree_bytes`, spans as offsets) while this process parses
the part before it; if that process fails, this one parses the second part too.
Statements do not reach across a top-level line break, so the two trees together are
the tree of the whole file (tests compare them).

Nothing of this happens where no other process can be had, or when either part has a
syntax error: the file is then parsed whole, with the usual recovery and diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from blueprintc import forked
from blueprintc.source import SourceFile
from blueprintc.syntax import ast, kept

PARALLEL_BYTES: Final = 128 * 1024
"""The smallest file parsed in two parts (below it, starting a process costs about what
it saves)."""
CHILD_SHARE: Final = 0.45
"""The share of the text the other process parses: it also writes its tree out, which this
process then reads."""

Part = Callable[[SourceFile, int, int], "ast.Module | None"]
"""Parses ``[start, end)`` of a file alone: its tree, or None at a syntax error."""


def parsed_in_two(
    source: SourceFile, cut_point: Callable[[str, int], int | None], part: Part
) -> ast.Module | None:
    """The tree of ``source`` from its two parts parsed at once, or None when it is not
    parsed so (the caller parses the whole file)."""
    text = source.text
    if len(text) < PARALLEL_BYTES or not forked.can_help():
        return None
    cut = cut_point(text, round(len(text) * (1 - CHILD_SHARE)))
    if cut is None:
        return None
    helper = forked.beside(part_bytes, part, source.path, text, cut)
    if helper is None:
        return None
    try:
        first = part(source, 0, cut)
    except BaseException:
        helper.abandon()
        raise
    if first is None:
        helper.abandon()
        return None
    data = helper.result()
    # The helper failed or never started: this process parses the second part too.
    second = part(source, cut, len(text)) if data is None else kept.tree_from(data, source)
    if second is None:
        return None
    return ast.Module(
        source, first.statements + second.statements, first.comments + second.comments
    )


def part_bytes(part: Part, path: str, text: str, start: int) -> bytes:
    """In the helper process: the tree of ``text[start:]`` as bytes (``kept.tree_bytes``,
    spans as offsets in ``text``); raises at a syntax error."""
    source = SourceFile(path, text)
    second = part(source, start, len(text))
    if second is None:
        raise SyntaxError("the part after the cut does not parse alone")
    return kept.tree_bytes(second)
