"""Limits of the parser: nesting depth (CXB0107) and the number of syntax errors (CXB0108).

Deep nesting must give a diagnostic, never a RecursionError in any stage that walks the
tree (checking, evaluation, ``fmt``, Pygments, ``diff``); at the limit every stage works.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pygments import lex

from blueprintc.cli import main
from blueprintc.diagnostics import DiagnosticSink
from blueprintc.driver import compile
from blueprintc.fmt import format_text
from blueprintc.pygments_lexer import CxbLexer
from blueprintc.source import SourceFile
from blueprintc.syntax.parse import MAX_NESTING, MAX_SYNTAX_ERRORS, parse

HEADER = 'blueprint "T" { currency USD; start 2027-01; horizon 3 years }\n'


def nested(kind: str, levels: int) -> str:
    """A blueprint with one statement nested ``levels`` deep (as the limit counts levels)."""
    shapes = {  # each comparison and the `assert` operand count one level
        "not": lambda n: "assert " + "not " * (n - 1) + "1 > 0",
        "minus": lambda n: "assert " + "-" * (n - 1) + "1 < 2",
        "sum": lambda n: "assert " + " + ".join(["1"] * n) + " > 0",
        "or": lambda n: "assert " + " or ".join(["1 > 0"] * n),
        "parentheses": lambda n: "assert " + "(" * 1000 + "not " * (n - 1) + "1 > 0" + ")" * 1000,
        "blocks": lambda n: "site hq {" * n + "}" * n,
        "groups": lambda n: "brand b { promise p " + "(" * (n - 1) + "x" + ")" * (n - 1) + " }",
    }
    return HEADER + shapes[kind](levels) + "\n"


KINDS = ["not", "minus", "sum", "or", "parentheses", "blocks", "groups"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("levels", [MAX_NESTING + 1, 1_000, 20_000])
def test_too_deep_is_a_diagnostic(kind: str, levels: int) -> None:
    result = compile(nested(kind, levels))
    codes = [d.code.id for d in result.diagnostics]
    assert codes == ["CXB0107"], codes
    (diagnostic,) = result.diagnostics
    assert diagnostic.span is not None and diagnostic.span.line == 2
    assert str(MAX_NESTING) in diagnostic.message
    assert not format_text(nested(kind, levels)).ok  # refused, not crashed


@pytest.mark.parametrize("kind", KINDS)
def test_every_stage_works_at_the_limit(kind: str, tmp_path: Path) -> None:
    text = nested(kind, MAX_NESTING)
    result = compile(text)
    assert "CXB0107" not in {d.code.id for d in result.diagnostics}
    assert "CXB0901" not in {d.code.id for d in result.diagnostics}
    formatted = format_text(text)
    assert formatted.ok, formatted.reason
    assert "".join(value for _, value in lex(text, CxbLexer())) == text
    old, new = tmp_path / "old.cxb", tmp_path / "new.cxb"
    old.write_text(text, encoding="utf-8")
    new.write_text(text.replace("horizon 3", "horizon 4"), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) in (0, 1)


def test_too_deep_statement_is_left_out_and_the_rest_kept() -> None:
    sink = DiagnosticSink()
    text = "a 1\n" + "x {" * 100 + "}" * 100 + "\nb 2\n"
    module = parse(SourceFile("t.cxb", text), sink)
    assert [s.keyword for s in module.statements] == ["a", "b"]  # type: ignore[union-attr]
    ((line, column),) = [d.span.file.line_col(d.span.start) for d in sink.sorted() if d.span]
    assert (line, column) == (2, 3 * MAX_NESTING + 3)  # the {{ that opens level 65


def test_errors_stop_after_the_limit_with_a_final_diagnostic() -> None:
    sink = DiagnosticSink()
    parse(SourceFile("t.cxb", "}\n" * 50), sink)
    codes = [d.code.id for d in sink.sorted()]
    assert codes == ["CXB0106"] * MAX_SYNTAX_ERRORS + ["CXB0108"]
    last = sink.sorted()[-1]
    assert last.span is not None and last.span.line == MAX_SYNTAX_ERRORS + 1


GUARD = textwrap.dedent(
    """
    import sys
    from blueprintc.diagnostics import DiagnosticSink
    from blueprintc.source import SourceFile
    from blueprintc.syntax.parse import parse
    sink = DiagnosticSink()
    parse(SourceFile("t.cxb", sys.argv[1] * int(sys.argv[2])), sink)
    print(len(sink))
    """
)


# Blocks that never close make every recovery re-parse the whole file; a quarter of a
# million of them (1 MiB, the input-size limit) show the same bound in a quarter of the time.
@pytest.mark.parametrize(
    ("line", "lines"),
    [("}\n", 1_000_000), ("x {\n", 250_000), ('"\n', 1_000_000), ("@\n", 1_000_000)],
)
def test_a_million_error_lines_finish(line: str, lines: int) -> None:
    """Past the input-size limit, but the parser alone must still finish: the work per
    error is bounded, and so is the number of errors. A generous timeout turns a
    regression into a failure instead of a hang."""
    run = subprocess.run(
        [sys.executable, "-c", GUARD, line, str(lines)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert 1 <= int(run.stdout) <= MAX_SYNTAX_ERRORS + 1
