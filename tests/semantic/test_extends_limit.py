"""`extends` chains: at most 32 links in a row (CXB0417), resolved in one pass.

A chain of 1,000 once took 62 s (each declaration re-walked its whole chain, comparing
declarations structurally); it is now a handful of diagnostics, quickly.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from blueprintc.driver import compile
from blueprintc.semantic.check import MAX_EXTENDS_DEPTH

HEADER = 'blueprint "T" { currency USD; start 2027-01; horizon 3 years }\nuse std/channels\n'


def chain(length: int) -> str:
    """``length`` channels, each extending the one before (the first extends std.voice)."""
    lines = ["channel v1 extends std.voice { hours mon..fri 08:00-20:00 }"]
    lines += [f"channel v{i} extends v{i - 1} {{}}" for i in range(2, length + 1)]
    return HEADER + "\n".join(lines) + "\n"


def too_deep(length: int) -> list[tuple[int, int]]:
    result = compile(chain(length), until="check")
    return [
        d.span.file.line_col(d.span.start)
        for d in result.diagnostics
        if d.code.id == "CXB0417" and d.span is not None
    ]


def test_chain_at_the_limit_is_accepted() -> None:
    # v1 has one link (to std.voice); v32 has 32.
    assert too_deep(MAX_EXTENDS_DEPTH) == []


def test_one_link_more_is_reported_at_its_extends() -> None:
    # v33 is on line 35; `extends v32` starts at column 21.
    assert too_deep(MAX_EXTENDS_DEPTH + 1) == [(MAX_EXTENDS_DEPTH + 3, 21)]


def test_the_chain_restarts_after_a_reported_link() -> None:
    lines = [line for line, _ in too_deep(1_000)]
    # Every 33rd declaration is cut: v33, v66, ... (declaration vN is on line N + 2).
    assert lines == [n + 2 for n in range(MAX_EXTENDS_DEPTH + 1, 1_001, MAX_EXTENDS_DEPTH + 1)]


def test_a_cycle_is_still_reported_once() -> None:
    text = HEADER + "channel a extends b {}\nchannel b extends c {}\nchannel c extends a {}\n"
    codes = [d.code.id for d in compile(text, until="check").diagnostics]
    assert codes.count("CXB0304") == 1 and "CXB0417" not in codes


def test_a_chain_of_ten_thousand_finishes() -> None:
    """In a subprocess with a generous timeout, so that a quadratic regression fails."""
    script = textwrap.dedent(
        """
        import sys
        from blueprintc.driver import compile
        result = compile(sys.stdin.read(), until="check")
        print(sum(d.code.id == "CXB0417" for d in result.diagnostics))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        input=chain(10_000),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout) == 10_000 // (MAX_EXTENDS_DEPTH + 1)
