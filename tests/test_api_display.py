"""What a notebook shows: short reprs of compilations, results and diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

import blueprintc
from blueprintc.driver import Compilation

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"
MISALIGNED = ROOT / "tests" / "cases" / "diagnostics" / "misaligned_bank" / "main.cxb"


@pytest.fixture(scope="module")
def example() -> Compilation:
    return blueprintc.compile(EXAMPLE)


def test_compilation_repr_is_one_short_line(example: Compilation) -> None:
    text = repr(example)
    assert len(text) < 200 and "\n" not in text
    elements = len(example.model.elements) if example.model else 0
    assert text == (
        f"<Compilation ok: {example.sources[0].path}, size, {elements} elements, "
        "0 errors, 0 warnings>"
    )


def test_failed_and_unread_compilations_say_so() -> None:
    failed = blueprintc.compile(MISALIGNED)
    assert repr(failed).startswith("<Compilation failed: ")
    assert repr(failed).endswith(", validate, 25 elements, 5 errors, 7 warnings>")
    missing = blueprintc.compile(Path("no_such_file.cxb"))
    assert (
        repr(missing)
        == "<Compilation failed: entry not read, nothing compiled, 1 error, 0 warnings>"
    )
    early = blueprintc.compile(EXAMPLE, until="check")
    assert ", check, 0 errors," in repr(early)


def test_results_have_short_reprs(example: Compilation) -> None:
    assert example.sizing is not None and example.planning is not None
    assert example.model is not None
    sizing = repr(example.sizing)
    grid = example.sizing.grid
    assert sizing.startswith(f"<Sizing {grid.months} months from {grid.label(0)}: ")
    assert f"{len(example.sizing.queues)} queues" in sizing
    assert f"{sum(example.sizing.seats.values())} seats>" in sizing
    queue = example.sizing.queues[0]
    assert repr(queue).startswith(f"<QueueSizing {queue.name}: peak ")
    planning = repr(example.planning)
    assert f"{len(example.planning.statement.lines)} cost lines" in planning
    assert f"NPV {float(example.planning.npv):.2f}" in planning
    assert repr(example.model) == f"<Model {example.model.blueprint.title!r}: 87 elements>"
    for value in (example.sizing, queue, example.planning, example.model):
        assert len(repr(value)) < 200 and "\n" not in repr(value)


def test_diagnostic_repr_names_code_severity_place_and_message() -> None:
    first = blueprintc.compile(MISALIGNED).diagnostics[0]
    text = repr(first)
    assert text.startswith(
        f"<Diagnostic CXB0502 error at {first.span.location() if first.span else ''}: "
        "`voice` targets 80% within 20 s"
    )
    assert text.endswith("…>") and len(text) < 200


def test_a_long_message_on_several_lines_stays_on_one_line() -> None:
    from blueprintc.diagnostics import Diagnostic
    from blueprintc.diagnostics import codes as C

    diagnostic = Diagnostic(C.INTERNAL_ERROR, "first line\nsecond " + "word " * 50, None)
    text = repr(diagnostic)
    assert "\n" not in text and len(text) < 140
    assert text.startswith(f"<Diagnostic {C.INTERNAL_ERROR.id} error: first line second word")


def test_ipython_shows_the_short_repr(example: Compilation) -> None:
    """IPython's pretty printer (what Jupyter displays) calls ``_repr_pretty_``."""

    class Printer:
        def __init__(self) -> None:
            self.parts: list[str] = []

        def text(self, text: str) -> None:
            self.parts.append(text)

    printer = Printer()
    example._repr_pretty_(printer, False)
    assert printer.parts == [repr(example)]
    pretty = pytest.importorskip("IPython.lib.pretty")
    for value in (example, example.sizing, example.planning, example.diagnostics):
        assert pretty.pretty(value) == repr(value)
