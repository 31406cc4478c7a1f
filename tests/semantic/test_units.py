"""Units: factors to canonical units, worked out by hand in each test."""

from __future__ import annotations

from fractions import Fraction

import pytest

from blueprintc.semantic.units import UnitError, UnitInfo, describe_dims, interpret

EXCHANGE = {"USD": Fraction(1), "EUR": Fraction("1.08")}


def unit(numerator: str | None, *per: str) -> UnitInfo:
    info = interpret(numerator, per, EXCHANGE)
    assert isinstance(info, UnitInfo), info
    return info


@pytest.mark.parametrize(
    ("word", "seconds"),
    [
        ("s", 1),
        ("min", 60),
        ("minutes", 60),
        ("h", 3600),
        ("day", 86_400),
        ("week", 604_800),
        ("year", 31_536_000),
        ("month", 2_628_000),
    ],
)
def test_durations_in_seconds(word: str, seconds: int) -> None:
    # A year is 365 days (365 * 86,400 s); a month is a twelfth of it (2,628,000 s).
    info = unit(word)
    assert info.factor == seconds and info.dims == (("time", 1),)


def test_percent_is_a_fraction() -> None:
    info = unit("%")
    assert info.percent and info.factor == Fraction("0.01") and info.dims == ()


def test_growth_per_year() -> None:
    info = unit("%", "year")
    assert info.percent and info.dims == (("time", -1),)
    assert info.factor == Fraction("0.01") / 31_536_000


def test_volume_per_month_to_per_hour() -> None:
    # 38,000 a month over 730 hours (8,760 h / 12) is 52.054... an hour.
    info = unit(None, "month")
    per_hour = Fraction(38_000) * info.factor * 3600
    assert per_hour == Fraction(38_000 * 12, 8760)


def test_money_per_seat_per_month() -> None:
    info = unit("USD", "seat", "month")
    assert info.currency == "USD"
    assert info.dims == (("money", 1), ("seat", -1), ("time", -1))
    # 95 USD/seat/month is 95 * 12 = 1,140 USD per seat per year.
    assert Fraction(95) * info.factor * 31_536_000 == Fraction(1140)


def test_other_currency_uses_exchange_rate() -> None:
    info = unit("EUR")
    assert Fraction(100) * info.factor == Fraction(108)


def test_area_units() -> None:
    assert unit("m2").factor == Fraction("10.7639104")
    assert unit("sqft", "seat").dims == (("area", 1), ("seat", -1))


def test_hours_per_week_cancel_to_a_ratio() -> None:
    info = unit("h", "week")
    assert info.dims == ()
    assert Fraction("37.5") * info.factor == Fraction("37.5") / 168


def test_unknown_unit_suggests() -> None:
    error = interpret("secs", (), EXCHANGE)
    assert isinstance(error, UnitError) and not error.currency
    assert error.help == "did you mean `sec`?"


def test_unknown_currency() -> None:
    error = interpret("GBP", (), EXCHANGE)
    assert isinstance(error, UnitError) and error.currency
    assert "exchange GBP" in (error.help or "")


def test_describe_dims() -> None:
    assert describe_dims((("time", 1),)) == "a duration"
    assert describe_dims((), percent=True) == "a percentage"
    assert describe_dims((("money", 1), ("seat", -1), ("time", -1))) == (
        "an amount of money per seat per time period"
    )
