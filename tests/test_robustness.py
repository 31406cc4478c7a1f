"""Property tests: any text, random or a mutation of a real blueprint, compiles to a result
whose diagnostics are well-formed, never to an exception or an internal error.

Every assertion can fail: no internal error (CXB0901); every code registered; every
diagnostic located inside the file at a valid line and column, with a message and, when
given, a help line; the same diagnostics on a second compilation; and a result without
errors carries everything it promises (model, graph, alignment, sizing, planning).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from blueprintc.diagnostics import CODES, Diagnostic
from blueprintc.driver import Compilation, compile
from blueprintc.source import SourceFile, Span

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PATH = ROOT / "examples" / "northwind_bank.cxb"
EXAMPLE = EXAMPLE_PATH.read_text(encoding="utf-8")
ALPHABET = st.sampled_from(
    [*list('{}();,.%/-:"*+<>=!\n\t _abcxyzUSD0123456789'), "..", "//", "/*", "*/", "é", "😀"]
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_located(span: Span) -> None:
    text = span.file.text
    assert 0 <= span.start <= span.end <= len(text)
    line, column = span.file.line_col(span.start)
    assert 1 <= line <= span.file.line_count
    assert 1 <= column <= len(span.file.line_text(line)) + 2  # + the `\r` of a CRLF line
    end_line, _ = span.file.line_col(span.end)
    assert line <= end_line <= span.file.line_count


def assert_well_formed(diagnostic: Diagnostic) -> None:
    assert diagnostic.code.id != "CXB0901", diagnostic.message
    assert CODES.get(diagnostic.code.id) is diagnostic.code
    assert diagnostic.message.strip()
    assert diagnostic.help is None or diagnostic.help.strip()
    assert diagnostic.span is not None, f"{diagnostic.code.id} has no location"
    assert_located(diagnostic.span)
    for label in diagnostic.labels:
        assert_located(label.span)
        assert label.message.strip()


def fingerprint(result: Compilation) -> list[tuple[object, ...]]:
    return [
        (d.code.id, d.message, d.help, d.span and (d.span.start, d.span.end), d.notes)
        for d in result.diagnostics
    ]


def assert_sane(source: str | bytes | SourceFile) -> None:
    result = compile(source)
    for diagnostic in result.diagnostics:
        assert_well_formed(diagnostic)
    assert fingerprint(compile(source)) == fingerprint(result)
    if result.ok:
        promised = [result.model, result.graph, result.alignment, result.sizing, result.planning]
        assert all(stage is not None for stage in promised)
        assert result.assertions is not None
    else:
        assert result.model is None or result.sizing is None or result.planning is None


@SETTINGS
@given(st.lists(ALPHABET, max_size=80).map("".join))
@example('blueprint "T" { currency USD; start 2027-01; horizon 3 years }')
def test_random_text_is_handled(text: str) -> None:
    assert_sane(text)


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_unicode_is_handled(text: str) -> None:
    assert_sane(text)


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes_are_handled(data: bytes) -> None:
    assert_sane(data)


# Each example compiles the whole example twice; the fuzz tests mutate it further.
@settings(SETTINGS, max_examples=40)
@given(
    st.lists(
        st.tuples(st.integers(0, len(EXAMPLE)), st.integers(0, 12), ALPHABET),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_example_is_handled(edits: list[tuple[int, int, str]]) -> None:
    text = EXAMPLE
    for position, length, insert in edits:
        text = text[:position] + insert + text[position + length :]
    # Compiled as if it were the example's file, so that its `use "./..."` files are found.
    assert_sane(SourceFile(str(EXAMPLE_PATH), text, EXAMPLE_PATH))


def test_the_example_compiles_completely() -> None:
    """The success branch of :func:`assert_sane` is exercised on a real blueprint."""
    source = SourceFile(str(EXAMPLE_PATH), EXAMPLE, EXAMPLE_PATH)
    result = compile(source)
    assert result.ok, [d.message for d in result.diagnostics if d.is_error]
    assert_sane(source)
