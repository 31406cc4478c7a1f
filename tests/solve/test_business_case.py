"""The business-case arithmetic, against hand calculations and numpy-financial."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy_financial as npf  # type: ignore[import-untyped,unused-ignore]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprintc.solve.business_case import (
    CaseFigures,
    benefit_months,
    business_case,
    changes_sign,
    irr,
    payback,
    roi,
)
from blueprintc.solve.finance import effective_annual_rate, monthly_rate

F = Fraction
SETTINGS = settings(max_examples=60, deadline=None)


def _zeros(n: int) -> list[Fraction]:
    return [F(0)] * n


# --- a case worked by hand ----------------------------------------------------------------
#
# Today's center costs 10,000 a month. The design costs 7,000 a month to run and 30,000 of
# capital in the first month. Savings: 3,000 a month. Net cash flow: -27,000 in month 0,
# then 3,000 a month. Cumulative at the end of month k: -30,000 + 3,000 × (k + 1), which
# reaches 0 at the end of month 9 (the tenth month): payback 10 months.


def hand_case() -> CaseFigures:
    capex = [F(30_000), *_zeros(11)]
    return business_case([F(10_000)] * 12, capex, [F(7_000)] * 12, _zeros(12), F(8, 100))


def test_hand_case_series_and_payback() -> None:
    case = hand_case()
    assert case.savings.months == (F(3_000),) * 12
    assert case.savings.total == 36_000
    assert case.investment.total == 30_000
    assert case.net.months[0] == -27_000
    assert case.cumulative[8] == -3_000 and case.cumulative[9] == 0
    assert case.cumulative[-1] == 6_000
    assert case.payback == 10
    assert case.payback_index == 9
    # ROI = (36,000 − 30,000) ÷ 30,000
    assert case.roi == F(1, 5)


def test_hand_case_npv_by_annuity() -> None:
    # NPV at 8 % a year, end-of-month timing: 3,000 × a12 − 30,000 × v, with
    # i = 1.08^(1/12) − 1, v = 1 ÷ (1 + i), a12 = (1 − v^12) ÷ i = (1 − 1 ÷ 1.08) ÷ i.
    with localcontext(prec=50):
        i = Decimal("1.08") ** (Decimal(1) / 12) - 1
        v = 1 / (1 + i)
        a12 = (1 - 1 / Decimal("1.08")) / i
        expected = 3_000 * a12 - 30_000 * v
    case = hand_case()
    assert case.npv == F(round(expected, 2))
    # Spreadsheet check: numpy-financial's npv puts the first flow at t = 0
    flows = [0.0, -27_000.0] + [3_000.0] * 11
    reference = npf.npv(float(monthly_rate(F(8, 100))), flows)
    assert abs(float(case.npv) - reference) < 0.006


def test_hand_case_irr_against_numpy_financial() -> None:
    case = hand_case()
    flows = [-27_000.0] + [3_000.0] * 11
    monthly = float(npf.irr(flows))
    assert case.irr_monthly is not None and case.irr is not None
    assert math.isclose(case.irr_monthly, monthly, rel_tol=1e-9)
    assert math.isclose(case.irr, (1 + monthly) ** 12 - 1, rel_tol=1e-9)
    # and the rate balances the flows
    assert abs(npf.npv(case.irr_monthly, flows)) < 1e-6


def test_npv_of_change_is_npv_of_do_nothing_minus_design_plus_benefits() -> None:
    from blueprintc.solve.finance import npv

    rate = F(12, 100)
    base = [F(10_000)] * 24
    capex = [F(50_000), F(20_000), *_zeros(22)]
    opex = [F(9_500)] * 6 + [F(6_000)] * 18
    gains = _zeros(6) + [F(1_000)] * 18
    case = business_case(base, capex, opex, gains, rate)
    design = [c + o for c, o in zip(capex, opex, strict=True)]
    parts = npv(rate, base) - npv(rate, design) + npv(rate, gains)
    assert abs(case.npv - parts) <= F(3, 100)


# --- payback ------------------------------------------------------------------------------


def test_payback_is_from_the_last_crossing() -> None:
    # positive early (month 0), negative again (months 1-2), positive for good from month 3
    assert payback([F(5), F(-1), F(-2), F(0), F(4)]) == 4
    assert payback([F(1), F(2)]) == 1  # already at the end of the first month
    assert payback([F(-1), F(2), F(-1)]) is None  # negative at the end: not within
    assert payback([]) is None


def test_never_pays_back_within_the_horizon() -> None:
    case = business_case([F(100)] * 6, [F(1_000), *_zeros(5)], [F(50)] * 6, _zeros(6), 0)
    assert case.cumulative[-1] == -700
    assert case.payback is None
    assert case.roi == F(300 - 1_000, 1_000)
    flows = [-950.0] + [50.0] * 5
    assert case.irr_monthly is not None
    assert math.isclose(case.irr_monthly, float(npf.irr(flows)), rel_tol=1e-9)
    assert case.irr is not None and case.irr < 0


# --- ROI and IRR without a return ---------------------------------------------------------


def test_no_investment_no_roi_and_no_irr() -> None:
    case = business_case([F(100)] * 3, _zeros(3), [F(60)] * 3, _zeros(3), F(5, 100))
    assert case.roi is None
    assert case.irr is None and case.irr_monthly is None  # all gains: no sign change
    assert case.payback == 1


def test_roi_and_sign_change() -> None:
    assert roi(F(150), F(100)) == F(1, 2)
    assert roi(F(150), F(0)) is None
    assert not changes_sign([F(0), F(1), F(2)])
    assert changes_sign([F(-1), F(0), F(2)])
    assert irr([F(-5), F(-5)]) == (None, None)


def test_effective_annual_rate_inverts_monthly_rate() -> None:
    for annual in (F(8, 100), F(0), F(15, 100), F(-20, 100)):
        monthly = float(monthly_rate(annual))
        assert math.isclose(effective_annual_rate(monthly), float(annual), abs_tol=1e-12)
    with pytest.raises(ValueError):
        effective_annual_rate(-1.0)


# --- benefits ------------------------------------------------------------------------------


def test_benefit_ramp_by_hand() -> None:
    # 1,200 a month from month 2, ramping over 3 months: 400, 800, then 1,200.
    assert benefit_months(F(1_200), 2, 3, 7) == (
        F(0),
        F(0),
        F(400),
        F(800),
        F(1_200),
        F(1_200),
        F(1_200),
    )
    # no ramp: the full amount from the first month; before the start: already running
    assert benefit_months(F(10), 0, 0, 2) == (F(10), F(10))
    assert benefit_months(F(300), -1, 3, 3) == (F(200), F(300), F(300))
    # amounts are rounded to the cent, half to even: 100 ÷ 3 = 33.33…
    assert benefit_months(F(100), 0, 3, 1) == (F("33.33"),)
    assert benefit_months(F(5), 9, 0, 3) == (F(0), F(0), F(0))  # after the horizon
    with pytest.raises(ValueError):
        benefit_months(F(1), 0, -1, 3)


def test_inputs_must_fit_the_horizon_and_be_cents() -> None:
    with pytest.raises(ValueError, match="months"):
        business_case([F(1)] * 3, _zeros(2), _zeros(3), _zeros(3), 0)
    with pytest.raises(ValueError, match="cents"):
        business_case([F(1, 3)], _zeros(1), _zeros(1), _zeros(1), 0)


def test_years_follow_the_offset() -> None:
    case = business_case([F(10)] * 14, _zeros(14), _zeros(14), _zeros(14), 0, offset=6)
    assert case.savings.years == (F(60), F(80))  # 6 months of the first calendar year


# --- against numpy-financial on generated flows -------------------------------------------


@given(
    st.integers(1_000, 10**7),  # investment in month 0, in cents
    st.lists(st.integers(0, 10**6), min_size=2, max_size=60),  # monthly savings, in cents
    st.fractions(min_value=F(0), max_value=F(1, 2), max_denominator=1_000),
)
@SETTINGS
def test_conventional_flows_agree_with_numpy_financial(
    invest: int, saved: list[int], rate: Fraction
) -> None:
    horizon = len(saved)
    opex = [F(10**6 - s, 100) for s in saved]
    capex = [F(invest, 100), *_zeros(horizon - 1)]
    case = business_case([F(10**6, 100)] * horizon, capex, opex, _zeros(horizon), rate)
    flows = [s / 100 for s in saved]
    flows[0] -= invest / 100
    # NPV: numpy-financial's first flow is at t = 0; ours at the end of the first month
    reference = npf.npv(float(monthly_rate(rate)), [0.0, *flows])
    scale = sum(abs(f) for f in flows)
    assert abs(float(case.npv) - reference) <= 0.005 + 1e-9 * scale
    # payback: the first month from which the running sum stays >= 0 (a second method)
    running, last_negative = 0, -1
    for index, value in enumerate(saved):
        running += value - (invest if index == 0 else 0)
        if running < 0:
            last_negative = index
    expected = None if last_negative == horizon - 1 else last_negative + 2
    assert case.payback == expected
    # IRR: one sign change at most, so the rate is unique when it exists
    if changes_sign([F(f) for f in flows]):
        reference_irr = float(npf.irr(flows))
        if math.isfinite(reference_irr):
            assert case.irr_monthly is not None
            assert math.isclose(case.irr_monthly, reference_irr, rel_tol=1e-6, abs_tol=1e-9)
    else:
        assert case.irr is None
