"""Formatting of figures for messages and documents: exact for any magnitude."""

from __future__ import annotations

from fractions import Fraction

from blueprintc.model.format import money, number, percent


def test_ordinary_figures_keep_their_layout() -> None:
    assert number(Fraction(12345, 10)) == "1,234.5"
    assert money(Fraction(1_100_000), "USD") == "1,100,000.00 USD"
    assert percent(Fraction(4, 5)) == "80%"
    assert number(Fraction(1, 3)) == "0.33"


def test_figures_beyond_28_digits_are_written_exactly() -> None:
    huge = Fraction(10**30) + Fraction(1, 8)
    assert number(huge, 2) == f"{10**30:,}.12"
    assert money(Fraction(3 * 10**26, 7), "USD") == f"{3 * 10**26 // 7:,}.86 USD"
    assert number(-Fraction(10**40)) == f"-{10**40:,}"
