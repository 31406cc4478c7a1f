"""Financial arithmetic: cents, reconciliation, NPV, options, depreciation, IRR."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import numpy_financial as npf  # type: ignore[import-untyped,unused-ignore]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprintc.solve.finance import (
    USEFUL_LIFE_YEARS,
    Category,
    Line,
    Statement,
    compare_options,
    cost_per_contact,
    irr,
    monthly_rate,
    npv,
    present_value,
    straight_line_depreciation,
    tco,
    to_cents,
    total,
    yearly,
)

SETTINGS = settings(max_examples=80, deadline=None)
F = Fraction

# --- strategies -------------------------------------------------------------------------

exact_amounts = st.fractions(min_value=-(10**7), max_value=10**7, max_denominator=10**6)
groups = st.sampled_from(["licences", "maintenance", "implementation", "staff", "telephony"])


@st.composite
def line_lists(draw: st.DrawFn) -> list[Line]:
    count = draw(st.integers(0, 8))
    lines = []
    for k in range(count):
        amounts = draw(st.lists(exact_amounts, max_size=40))
        category: Category = draw(st.sampled_from(["capex", "opex"]))
        lines.append(Line.of(f"line {k}", category, draw(groups), amounts))
    return lines


def fracs(*values: int | str) -> tuple[Fraction, ...]:
    return tuple(F(v) for v in values)


def decimal_cents(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)  # exact for these inputs
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


# --- cents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        (F("0.005"), F("0.00")),
        (F("0.015"), F("0.02")),
        (F("0.025"), F("0.02")),
        (F("2.675"), F("2.68")),
        (F("-0.005"), F("0")),
        (F("-0.015"), F("-0.02")),
        (F("-2.665"), F("-2.66")),
        (F(1, 3), F("0.33")),
        (F(2, 3), F("0.67")),
        (F("0.0050001"), F("0.01")),
        (F(7), F(7)),
    ],
)
def test_to_cents_rounds_half_to_even(amount: Fraction, cents: Fraction) -> None:
    assert to_cents(amount) == cents


def test_to_cents_inputs() -> None:
    assert to_cents(2.675) == F("2.68")  # a float is read as written, not as 2.67499999…
    assert to_cents(Decimal("1.005")) == F("1.00")
    assert to_cents(3) == 3
    with pytest.raises(ValueError):
        to_cents(math.nan)
    with pytest.raises(TypeError):
        to_cents(True)


@given(st.fractions(min_value=-(10**9), max_value=10**9, max_denominator=10**5))
@SETTINGS
def test_to_cents_matches_decimal_half_even(amount: Fraction) -> None:
    # denominators of the form 2^a 5^b give exact decimals, including the ties
    tie = F(round(amount * 1000), 1000)
    for value in (amount, tie):
        rounded = to_cents(value)
        assert rounded * 100 == int(rounded * 100)
        assert abs(rounded - value) <= F(1, 200)
    assert Decimal(to_cents(tie).numerator) / to_cents(tie).denominator == decimal_cents(tie)


# --- lines and yearly sums --------------------------------------------------------------


def test_line_of_rounds_each_month() -> None:
    line = Line.of("agents", "opex", "staff", [F(1, 3)] * 3)
    assert line.months == (F("0.33"),) * 3
    assert line.total == F("0.99")  # the sum of the rounded months, not to_cents(1)


def test_line_validation() -> None:
    with pytest.raises(ValueError, match="whole number of cents"):
        Line("x", "opex", "staff", (F(1, 3),))
    with pytest.raises(ValueError, match="category"):
        Line.of("x", "other", "staff", [1])  # type: ignore[arg-type]
    assert Line("x", "capex", "licences", (F(1), F("2.50"))).months == fracs(1, "2.50")


def test_yearly_with_partial_years() -> None:
    months = [F(1)] * 30
    assert yearly(months) == fracs(12, 12, 6)
    assert yearly(months, offset=2) == fracs(10, 12, 8)
    assert yearly(months, months_per_year=4) == fracs(*[4] * 7, 2)
    assert yearly([]) == ()
    line = Line.of("l", "opex", "staff", range(13))
    assert yearly(line) == fracs(66, 12)
    assert total(line) == line.total == 78


# --- statements -------------------------------------------------------------------------


def example_statement(**kwargs: object) -> Statement:
    lines = [
        Line.of("licence fee", "capex", "licences", [F(120000)] + [F(0)] * 35),
        Line.of("support", "opex", "maintenance", [F(120000) * F(22, 100) / 12] * 36),
        Line.of("agents", "opex", "staff", [F(100000, 3)] * 30),
        Line.of("trunks", "opex", "telephony", [F("1234.565")] * 36),
        Line.of("servers", "capex", "licences", [F(0)] * 12 + [F(40000)]),
    ]
    return Statement(lines, 2027, 3, **kwargs)  # type: ignore[arg-type]


def test_statement_totals() -> None:
    s = example_statement()
    assert s.horizon == 36
    assert len(s.lines) == 5 and all(len(x.months) == 36 for x in s.lines)
    assert s.capex.years == fracs(120000, 40000, 0)
    assert s.line_series["support"].months[0] == F("2200.00")
    assert s.line_series["agents"].months[0] == F("33333.33")
    assert s.line_series["trunks"].months[0] == F("1234.56")  # half to even
    assert s.opex.years[0] == 12 * (F("2200") + F("33333.33") + F("1234.56"))
    assert s.by_group["licences"].total == 160000
    assert list(s.by_group) == ["licences", "maintenance", "staff", "telephony"]
    assert s.by_category_group[("capex", "licences")].total == 160000
    assert tco(s) == s.capex.total + s.opex.total == s.cumulative[-1]
    assert s.cumulative[0] == s.total.months[0]
    assert s.month_labels[:2] == ("2027-03", "2027-04") and s.month_label(10) == "2028-01"
    assert s.year_labels == ("Y1", "Y2", "Y3")
    assert s.reconciles()


def test_statement_calendar_years() -> None:
    s = example_statement(year_basis="calendar")
    assert s.year_labels == ("2027", "2028", "2029", "2030")
    assert s.capex.years == fracs(120000, 40000, 0, 0)  # March–Dec 2027, then 2028 (month 12)
    assert s.year_of(9) == 0 and s.year_of(10) == 1
    assert s.total.total == example_statement().total.total
    assert s.reconciles()


def test_statement_horizon_and_names() -> None:
    lines = [Line.of("a", "opex", "staff", [1, 2])]
    s = Statement(lines, 2027, 1, horizon=5)
    assert s.total.months == fracs(1, 2, 0, 0, 0) and s.reconciles()
    with pytest.raises(ValueError, match="longer"):
        Statement(lines, 2027, 1, horizon=1)
    with pytest.raises(ValueError, match="duplicate"):
        Statement(lines * 2, 2027, 1)
    with pytest.raises(ValueError, match="start_month"):
        Statement(lines, 2027, 13)
    empty = Statement([], 2027, 1)
    assert empty.horizon == 0 and tco(empty) == 0 and empty.reconciles()


@given(line_lists(), st.integers(1, 12), st.sampled_from(["project", "calendar"]))
@SETTINGS
def test_statements_reconcile(lines: list[Line], start_month: int, basis: str) -> None:
    s = Statement(lines, 2027, start_month, year_basis=basis)  # type: ignore[arg-type]
    assert s.reconciles()
    grand = s.total.total
    assert sum(s.total.years) == sum(s.total.months) == grand
    assert sum(s.capex.years) + sum(s.opex.years) == grand
    assert sum(x.total for x in s.lines) == grand
    assert sum(g.total for g in s.by_group.values()) == grand
    for k in range(len(s.total.years)):
        assert sum(g.years[k] for g in s.by_group.values()) == s.total.years[k]
    assert all(m * 100 == int(m * 100) for m in s.total.months)


def test_reconciles_detects_tampering() -> None:
    s = example_statement()
    object.__setattr__(s.lines[0], "months", (F(1), *s.lines[0].months[1:]))
    assert not s.reconciles()


# --- NPV --------------------------------------------------------------------------------

ONE_PERCENT_MONTHLY = F("0.1268250301")  # 1.01^12 − 1 = 0.126825030131969…


def test_monthly_rate() -> None:
    assert abs(monthly_rate(F(101, 100) ** 12 - 1) - Decimal("0.01")) < Decimal("1e-35")
    assert monthly_rate(0) == 0
    with pytest.raises(ValueError):
        monthly_rate(-1)


def test_npv_hand_case() -> None:
    # 12 payments of 1,000 at 1 % a month: 1000 × (1 − 1.01^−12) / 0.01 = 11,255.077…
    assert npv(ONE_PERCENT_MONTHLY, [F(1000)] * 12) == F("11255.08")
    assert npv(F(101, 100) ** 12 - 1, [F(1000)] * 12) == F("11255.08")
    # paid at the start of each month, every payment is discounted one month less
    assert npv(F(101, 100) ** 12 - 1, [F(1000)] * 12, "start") == F("11367.63")
    assert npv(0, [F("0.01")] * 7) == F("0.07")
    assert npv(F("0.08"), []) == 0


def test_npv_timing() -> None:
    flows = [F(500), F(-20), F("1234.56"), F(0), F(99)]
    rate = F("0.07")
    start = present_value(rate, flows, "start")
    end = present_value(rate, flows, "end")
    factor = 1 + monthly_rate(rate)
    assert abs(
        Decimal(start.numerator) / start.denominator
        - factor * (Decimal(end.numerator) / end.denominator)
    ) < Decimal("1e-30")
    with pytest.raises(ValueError):
        npv(rate, flows, "middle")  # type: ignore[arg-type]


@given(
    st.lists(st.integers(-(10**8), 10**8).map(lambda c: F(c, 100)), min_size=1, max_size=72),
    st.fractions(min_value=F(-1, 2), max_value=F(1, 2), max_denominator=10**4),
)
@SETTINGS
def test_npv_agrees_with_numpy_financial(flows: list[Fraction], rate: Fraction) -> None:
    i = float(monthly_rate(rate))
    floats = [float(f) for f in flows]
    scale = sum(abs(f) for f in floats) or 1.0
    for timing, reference in (
        ("start", npf.npv(i, floats)),  # numpy-financial: first flow at t = 0
        ("end", npf.npv(i, [0.0, *floats])),
    ):
        value = present_value(rate, flows, timing)  # type: ignore[arg-type]
        assert math.isclose(float(value), reference, rel_tol=1e-6, abs_tol=1e-9 * scale)
        assert abs(npv(rate, flows, timing) - value) <= F(1, 200)  # type: ignore[arg-type]


# --- TCO, cost per contact, options -----------------------------------------------------


def test_cost_per_contact() -> None:
    assert cost_per_contact(F(801), 100) == F("8.01")
    assert cost_per_contact(F(1), 3.0) == F(1, 3)
    assert cost_per_contact(F(100), 0) is None
    assert cost_per_contact(F(100), 0.0) is None
    assert cost_per_contact(F(100), F(0)) is None
    assert cost_per_contact(F(100), None) is None
    with pytest.raises(ValueError):
        cost_per_contact(F(100), -1)


def flat(name: str, capex: int, monthly: int, months: int = 36) -> Statement:
    lines = [
        Line.of(f"{name} capex", "capex", "licences", [capex] + [0] * (months - 1)),
        Line.of(f"{name} opex", "opex", "maintenance", [monthly] * months),
    ]
    return Statement(lines, 2027, 1)


def test_compare_options_orders_by_present_cost() -> None:
    options = {
        "onprem": flat("onprem", 300000, 4000),  # TCO 444,000, mostly paid up front
        "cloud": flat("cloud", 0, 12400),  # TCO 446,400, paid later: cheaper at 10 %
        "hybrid": flat("hybrid", 150000, 9000),  # TCO 474,000
    }
    rate = F("0.10")
    results = compare_options(options, rate)
    assert [r.name for r in results] == ["cloud", "onprem", "hybrid"]
    assert [r.rank for r in results] == [1, 2, 3]
    assert results[0].npv_delta == 0 and results[0].tco_delta == 0
    assert results[1].tco == 444000 and results[1].tco_delta == -2400
    for r in results:
        assert r.npv == npv(rate, options[r.name].total.months)
        assert r.npv_delta == r.npv - results[0].npv >= 0
    # undiscounted, on-premises is cheaper
    assert [r.name for r in compare_options(options, 0)] == ["onprem", "cloud", "hybrid"]


def priced(capex: int, monthly: int, extra: str | None = None, months: int = 24) -> Statement:
    """An ACD priced one way: the line names are the same under every option."""
    lines = [
        Line.of("acd implementation", "capex", "implementation", [capex] + [0] * (months - 1)),
        Line.of("acd subscription", "opex", "subscriptions", [monthly] * months),
    ]
    if extra is not None:  # a line of nothing: no cost
        lines.append(Line.of(extra, "opex", "hosting", [0] * months))
    return Statement(lines, 2027, 1)


def test_identical_options_are_one_and_the_design_is_no_alternative() -> None:
    design = priced(1_000, 100)
    options = {
        "onprem": priced(5_000, 50),
        "hosted": priced(1_000, 100, extra="acd hosting"),  # the design, plus a zero line
        "cloud": priced(1_000, 100),
    }
    # At a 0% rate the NPV is the plain sum: 1,000 + 24 x 100 = 3,400 for the design,
    # 5,000 + 24 x 50 = 6,200 on premise.
    cloud, onprem = compare_options(options, 0, design=design)
    assert (cloud.name, cloud.same_as, cloud.as_designed) == ("cloud", ("hosted",), True)
    assert cloud.names == ("cloud", "hosted")
    assert (cloud.rank, cloud.npv, cloud.tco, cloud.tied) == (1, 3_400, 3_400, ())
    assert (onprem.name, onprem.same_as, onprem.as_designed) == ("onprem", (), False)
    assert (onprem.rank, onprem.npv, onprem.npv_delta, onprem.tco_delta) == (2, 6_200, 2_800, 2_800)
    # Without the design, nothing is marked as designed; the merge stays.
    assert [(r.names, r.as_designed) for r in compare_options(options, 0)] == [
        (("cloud", "hosted"), False),
        (("onprem",), False),
    ]


def test_options_of_equal_npv_share_a_rank() -> None:
    options = {
        "b": priced(2_200, 50),  # 2,200 + 24 x 50 = 3,400
        "a": priced(1_000, 100),  # 1,000 + 24 x 100 = 3,400: other lines, same cost
        "c": priced(0, 200),  # 24 x 200 = 4,800
    }
    a, b, c = compare_options(options, 0, design=priced(0, 0))
    assert [(r.name, r.rank, r.tied) for r in (a, b, c)] == [
        ("a", 1, ("b",)),
        ("b", 1, ("a",)),
        ("c", 3, ()),
    ]
    assert a.npv == b.npv == 3_400 and a.npv_delta == b.npv_delta == 0
    assert (c.npv_delta, c.tco_delta) == (1_400, 1_400)
    assert not any(r.as_designed or r.same_as for r in (a, b, c))
    # Discounted at 10% a year, the up-front 2,200 of b costs more than a's later months:
    # the tie is broken by the figures, not by the names.
    a, b, c = compare_options(options, F("0.10"))
    assert [(r.name, r.rank, r.tied) for r in (a, b, c)] == [
        ("a", 1, ()),
        ("b", 2, ()),
        ("c", 3, ()),
    ]


def test_compare_options_ties_and_errors() -> None:
    same = {"b": flat("b", 10, 10), "a": flat("a", 10, 10)}
    results = compare_options(same, F("0.05"))
    assert [(r.name, r.rank, r.tied) for r in results] == [("a", 1, ("b",)), ("b", 1, ("a",))]
    assert compare_options({}, F("0.05")) == []
    with pytest.raises(ValueError, match="horizon"):
        compare_options({"a": flat("a", 1, 1), "b": flat("b", 1, 1, 24)}, F("0.05"))


# --- depreciation -----------------------------------------------------------------------


def test_depreciation_remainder_in_last_month() -> None:
    schedule = straight_line_depreciation(F(1000), 3, 0, 36)
    assert schedule[:35] == (F("27.78"),) * 35
    assert schedule[35] == F(1000) - 35 * F("27.78") == F("27.70")
    assert sum(schedule) == 1000


def test_depreciation_window() -> None:
    assert straight_line_depreciation(F(1200), 1, 2, 6) == fracs(0, 0, 100, 100, 100, 100)
    assert straight_line_depreciation(F(1200), 1, -10, 6) == fracs(100, 100, 0, 0, 0, 0)
    assert straight_line_depreciation(F(1200), 1, 6, 6) == fracs(*[0] * 6)
    with pytest.raises(ValueError):
        straight_line_depreciation(F(1), 0, 0, 6)


@given(
    st.fractions(min_value=0, max_value=10**8, max_denominator=1000),
    st.sampled_from(sorted(set(USEFUL_LIFE_YEARS.values()))),
    st.integers(-24, 24),
    st.integers(0, 120),
)
@SETTINGS
def test_depreciation_reconciles(amount: Fraction, years: int, start: int, horizon: int) -> None:
    full = straight_line_depreciation(amount, years, 0, 12 * years)
    assert sum(full) == to_cents(amount)
    assert all(m * 100 == int(m * 100) for m in full)
    assert len(set(full[:-1])) <= 1
    assert abs(full[-1] - full[0]) <= F(1, 200) * 12 * years
    window = straight_line_depreciation(amount, years, start, horizon)
    assert len(window) == horizon
    assert window == tuple(
        full[m - start] if 0 <= m - start < 12 * years else 0 for m in range(horizon)
    )
    line = Line("depreciation", "opex", "licences", window)
    assert Statement([line], 2027, 1, horizon=horizon).reconciles()


def test_useful_lives() -> None:
    assert USEFUL_LIFE_YEARS["software"] == 3 and USEFUL_LIFE_YEARS["computers"] == 5


# --- IRR --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "flows",
    [
        [-100, 39, 59, 55, 20],
        [-100, 0, 0, 74],
        [-100, 100, 0, -7],
        [-5000, 1000, 1000, 1000, 1000, 1000, 1000],
        [-100000] + [3000] * 48,
    ],
)
def test_irr_agrees_with_numpy_financial(flows: list[int]) -> None:
    value = irr([F(f) for f in flows])
    assert value is not None
    assert math.isclose(value, float(npf.irr(flows)), rel_tol=1e-6, abs_tol=1e-12)
    assert abs(npf.npv(value, flows)) < 1e-6 * sum(abs(f) for f in flows)


def test_irr_none() -> None:
    assert irr([F(100), F(100)]) is None  # no sign change, no positive root
    assert irr([F(-100)]) is None
    assert irr([]) is None
