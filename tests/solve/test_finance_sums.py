"""The integer paths of exact money arithmetic: rounding to cents and sums of cents give
what Fraction arithmetic gives (the reference: Python's Fraction, half-to-even)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from blueprintc.solve import finance as fin

FRACTIONS = st.fractions(max_denominator=10**6).filter(lambda f: abs(f) < 10**12)
CENTS = st.integers(-(10**14), 10**14).map(lambda c: Fraction(c, 100))


@given(FRACTIONS)
def test_to_cents_rounds_half_to_even_as_fraction_does(value: Fraction) -> None:
    assert fin.to_cents(value) == round(value, 2)
    assert type(fin.to_cents(value)) is Fraction


def test_to_cents_ties_go_to_the_even_cent() -> None:
    assert fin.to_cents(Fraction(1, 200)) == 0  # 0.005 -> 0.00
    assert fin.to_cents(Fraction(3, 200)) == Fraction(2, 100)  # 0.015 -> 0.02
    assert fin.to_cents(Fraction(-3, 200)) == Fraction(-2, 100)
    assert fin.to_cents(0.125) == Fraction(12, 100)  # floats are read as written


@given(st.lists(st.one_of(CENTS, FRACTIONS), max_size=40))
def test_sums_are_exact(values: list[Fraction]) -> None:
    assert fin.sum_exact(values) == sum(values, Fraction(0))
    assert fin.total(values) == sum(values, Fraction(0))


@given(st.lists(CENTS, min_size=1, max_size=30))
def test_statement_sums_of_cents(values: list[Fraction]) -> None:
    lines = [
        fin.Line.of(f"line {i}", "opex", "g", (v, -v / 3 if i % 2 else v))
        for i, v in enumerate(values)
    ]
    statement = fin.Statement(lines, 2027, 1)
    for month in range(2):
        assert statement.opex.months[month] == sum((x.months[month] for x in lines), Fraction(0))
    assert statement.total.total == sum((sum(x.months, Fraction(0)) for x in lines), Fraction(0))
