"""Property tests: any text, random or a mutation of a real blueprint, gives a result or
diagnostics, never an exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprintc.driver import compile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "northwind_bank.cxb").read_text(encoding="utf-8")
ALPHABET = st.sampled_from(
    [*list('{}();,.%/-:"*+<>=!\n\t _abcxyzUSD0123456789'), "..", "//", "/*", "*/", "é", "😀"]
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_sane(text: str) -> None:
    result = compile(text)
    for diagnostic in result.diagnostics:
        assert diagnostic.message
        if diagnostic.span is not None:
            assert (
                0 <= diagnostic.span.start <= diagnostic.span.end <= len(diagnostic.span.file.text)
            )
    if not result.ok:
        assert any(d.is_error for d in result.diagnostics)


@SETTINGS
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_random_text_never_raises(text: str) -> None:
    assert_sane(text)


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    assert_sane(text)


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    result = compile(data)
    assert result.ok or result.diagnostics


@SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(0, len(EXAMPLE)), st.integers(0, 12), ALPHABET),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_example_never_raises(edits: list[tuple[int, int, str]]) -> None:
    text = EXAMPLE
    for position, length, insert in edits:
        text = text[:position] + insert + text[position + length :]
    assert_sane(text)
