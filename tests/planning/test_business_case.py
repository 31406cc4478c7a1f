"""The business case end to end: a small blueprint with known savings whose every monthly
figure is worked out by hand here, its payback month, IRR and NPV checked against
numpy-financial; the assert figures; and the savings of each lever, by hand and by sizing
the whole center again."""

from __future__ import annotations

import io
import json
import math
from fractions import Fraction
from pathlib import Path

import numpy_financial as npf  # type: ignore[import-untyped,unused-ignore]
import pytest

from blueprintc import cli
from blueprintc.diagnostics import DiagnosticSink
from blueprintc.driver import Compilation, compile
from blueprintc.planning.costs import statement
from blueprintc.planning.savings import LeverKind, levers, savings
from blueprintc.sizing.size import resize, size
from blueprintc.solve.finance import monthly_rate, to_cents

CASE = """\
blueprint "Tiny business case" {
  currency USD
  start 2027-01
  horizon 2 years
  discount 8%
}

use std/channels

service care {
  allow CXB0511 because "a worked example has no brand layer"
}

process enquiry {
  service care
  volume 1_000/month
  mix { voice 100% }
  aht { voice 5 min }
  acw { voice 0 s }
}

channel voice extends std.voice {
  hours mon..fri 08:00-18:00
  minimum_agents 5
  usage 0.01 USD/minute
}

staffing {
  loaded_cost 40 USD/h
  paid_hours 37.5 h/week
}

component acd {
  kind acd
  model cloud
  supports voice
  effort 2 months
  implementation 150k USD
  subscription 100 USD/seat/month
}

phase launch {
  includes acd, voice
  start 2027-01
  budget 200k USD
}

baseline {
  volume voice 12k/year
  cost 900k USD/year
}

benefit retention {
  amount 60k USD/year
  from 2027-07
  ramp 3 months
  source "Client churn study, 2026"
}

assert payback <= 18 months
assert irr >= 15%
assert roi >= 50%
assert savings(year 2) >= 90k USD
"""
MONTHS = 24

# -- the figures by hand ---------------------------------------------------------------------
#
# Sizing: 1,000 calls of 5 minutes a month need fewer than 5 agents in every interval, so
# `minimum_agents 5` holds: 5 agents for the 50 open hours of the week, 250 agent hours a
# week; with std.voice's 35% shrinkage FTE = 250 / (37.5 x 0.65). Staff a month: FTE x 37.5
# paid hours x 365/84 weeks x 40 USD = 250 / 0.65 x 365 / 84 x 40.
STAFF = to_cents(Fraction(250) / Fraction(65, 100) * Fraction(365, 84) * 40)  # 66,849.82
TELEPHONY = to_cents(Fraction(1_000) * 5 * Fraction(1, 100))  # 5,000 minutes x 0.01
SUBSCRIPTION = 5 * 100  # 5 seats from the ACD's go-live, month 2 (its 2 months of effort)
DESIGN_OPEX = [STAFF + TELEPHONY] * 2 + [STAFF + TELEPHONY + SUBSCRIPTION] * 22
CAPEX = [Fraction(150_000)] + [Fraction(0)] * 23  # implementation when the work starts
DO_NOTHING = Fraction(900_000, 12)  # the baseline's stated cost, no growth
# The benefit: 60k a year = 5,000 a month from 2027-07 (month 6), over 3 months of ramp.
BENEFITS = [Fraction(0)] * 6 + [to_cents(Fraction(5_000, 3)), to_cents(Fraction(10_000, 3))]
BENEFITS += [Fraction(5_000)] * 16
SAVINGS = [DO_NOTHING - opex for opex in DESIGN_OPEX]
NET = [s + b - c for s, b, c in zip(SAVINGS, BENEFITS, CAPEX, strict=True)]


def hand_payback() -> int:
    """Months until the cumulative net cash flow stays at or above zero."""
    running, last_negative = Fraction(0), -1
    for month, value in enumerate(NET):
        running += value
        if running < 0:
            last_negative = month
    return last_negative + 2


@pytest.fixture(scope="module")
def case() -> Compilation:
    result = compile(CASE)
    assert result.ok, [d.message for d in result.diagnostics]
    return result


def test_the_hand_figures_are_what_the_docs_say() -> None:
    assert (Fraction("66849.82"), 50) == (STAFF, TELEPHONY)
    assert SAVINGS[0] == Fraction("8100.18") and SAVINGS[2] == Fraction("7600.18")
    assert BENEFITS[6:9] == [Fraction("1666.67"), Fraction("3333.33"), Fraction(5_000)]
    assert hand_payback() == 15  # 2028-03


def test_monthly_series_by_hand(case: Compilation) -> None:
    assert case.planning is not None
    business = case.planning.business_case
    assert business is not None
    figures = business.figures
    assert list(business.do_nothing.total.months) == [DO_NOTHING] * MONTHS
    assert list(case.planning.statement.opex.months) == DESIGN_OPEX
    assert list(figures.savings.months) == SAVINGS
    assert list(figures.benefits.months) == BENEFITS
    assert list(figures.investment.months) == CAPEX
    assert list(figures.net.months) == NET
    assert figures.savings.years == (Fraction("92202.16"), Fraction("91202.16"))
    (retention,) = business.benefits
    assert (retention.first_month, retention.ramp, retention.total) == ("2027-07", 3, 85_000)
    assert retention.source == "Client churn study, 2026"
    source_line = CASE.splitlines().index('  source "Client churn study, 2026"') + 1
    assert retention.source_span is not None and retention.source_span.line == source_line


def test_payback_irr_and_npv_against_numpy_financial(case: Compilation) -> None:
    assert case.planning is not None and case.planning.business_case is not None
    business = case.planning.business_case
    figures = business.figures
    assert figures.payback == hand_payback() == 15
    assert business.payback_month == "2028-03"
    flows = [float(v) for v in NET]
    monthly = float(npf.irr(flows))
    assert figures.irr_monthly is not None and figures.irr is not None
    assert math.isclose(figures.irr_monthly, monthly, rel_tol=1e-9)
    assert math.isclose(figures.irr, (1 + monthly) ** 12 - 1, rel_tol=1e-9)
    # end-of-month timing: numpy-financial's first flow is at t = 0, so prepend a zero
    reference = npf.npv(float(monthly_rate(Fraction(8, 100))), [0.0, *flows])
    assert abs(float(figures.npv) - reference) < 0.006
    assert figures.npv == Fraction("97225.88")
    # ROI = (savings + benefits − investment) ÷ investment over the horizon
    assert figures.roi == (sum(SAVINGS) + sum(BENEFITS) - 150_000) / 150_000


def test_the_assertions_hold(case: Compilation) -> None:
    assert case.assertions == {
        "payback <= 18 months": True,
        "irr >= 15%": True,
        "roi >= 50%": True,
        "savings(year 2) >= 90k USD": True,
    }


def test_failing_assertions_say_what_the_figure_is() -> None:
    text = CASE.replace("payback <= 18 months", "payback() <= 12 months").replace(
        "savings(year 2) >= 90k USD", "savings(total) >= 1M USD"
    )
    result = compile(text)
    messages = [d.message for d in result.diagnostics if d.code.id == "CXB0605"]
    assert messages == [
        "this assertion does not hold: payback() is 15 months",
        "this assertion does not hold: savings(total) is 183,404.32",
    ]


def test_a_payback_beyond_the_horizon_fails_its_assertion() -> None:
    text = CASE.replace("cost 900k USD/year", "cost 810k USD/year")
    result = compile(text)
    codes = [d.code.id for d in result.diagnostics]
    assert "CXB0616" in codes  # no payback within the horizon
    (failed,) = [d for d in result.diagnostics if d.code.id == "CXB0605"][:1]
    assert failed.message.endswith("payback is not reached within the horizon")


def test_cost_json_carries_the_business_case(tmp_path: Path) -> None:
    path = tmp_path / "case.cxb"
    path.write_text(CASE, encoding="utf-8")
    out = io.StringIO()
    assert cli.main(["cost", "--format", "json", str(path)], out, io.StringIO()) == 0
    document = json.loads(out.getvalue())
    business = document["business_case"]
    assert business["payback_months"] == 15 and business["payback_month"] == "2028-03"
    assert business["npv"] == "97225.88"
    assert business["savings"]["years"] == ["92202.16", "91202.16"]
    assert business["net"]["months"][0] == "-141899.82"
    assert business["do_nothing_basis"] == "stated"
    assert business["benefit_lines"][0]["from"] == "2027-07"
    assert business["benefit_lines"][0]["source"] == "Client churn study, 2026"
    assert float(business["irr"]) == pytest.approx((1 + npf.irr([float(v) for v in NET])) ** 12 - 1)


def test_no_baseline_no_business_case() -> None:
    text = CASE.split("baseline {")[0]
    result = compile(text)
    assert result.ok and result.planning is not None
    assert result.planning.business_case is None


# -- savings by lever --------------------------------------------------------------------------


def test_the_component_lever_by_hand(case: Compilation) -> None:
    assert case.model is not None and case.sizing is not None
    (acd,) = savings(case.model, case.sizing, kinds=frozenset({LeverKind.COMPONENT}))
    # Without the ACD its implementation and subscription are not paid (nothing replaced).
    expected = [Fraction(-150_000), Fraction(0)] + [Fraction(-SUBSCRIPTION)] * 22
    assert list(acd.months) == expected
    assert (acd.capex_saved, acd.opex_saved) == (-150_000, -SUBSCRIPTION * 22)
    assert acd.owner == "acd" and acd.lever == "component acd" and acd.process is None


LEVERS = """\
blueprint "Levers" { currency USD; start 2027-01; horizon 1 year; interval 60 min }
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
process calls {
  service s; volume 20k/month; mix { voice 80%; chat 20% }
  aht { voice 5 min; chat 6 min }; automation { chat 10% }
  migrate voice to chat 25%
}
process letters { service s; volume 3k/month; mix { email 100% }; aht { email 8 min } }
channel voice { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s; shrinkage 30% }
channel chat { kind chat; hours mon..fri 08:00-18:00; target 80% within 60 s; shrinkage 30% }
channel email { kind email; hours mon..fri 08:00-18:00; response 90% within 24 h; shrinkage 30% }
component acd { supports voice, chat, email; subscription 100 USD/seat/month; replaces pbx }
system pbx { fate replace; cost 5k USD/month }
staffing {
  loaded_cost 30 USD/h; paid_hours 40 h/week; span supervisor 10
  role_cost supervisor 60k USD/year
}
site annex { seats 100; fitout 2k USD/seat; running 50 USD/seat/month }
practice coaching { layer operational; tier best; cost 25k USD }
maturity { target coaching }
"""


@pytest.fixture(scope="module")
def many() -> Compilation:
    result = compile(LEVERS)
    assert not any(d.is_error for d in result.diagnostics), [d.message for d in result.diagnostics]
    return result


def test_every_kind_of_lever_is_found(many: Compilation) -> None:
    assert many.model is not None
    found = {(lever.kind, lever.label) for lever in levers(many.model)}
    assert found == {
        (LeverKind.MIGRATION, "migrate voice to chat"),
        (LeverKind.AUTOMATION, "automation on chat"),
        (LeverKind.COMPONENT, "component acd"),
        (LeverKind.PRACTICE, "practice coaching"),
        (LeverKind.SITE, "site annex"),
    }


def test_resize_sizes_only_the_queues_a_lever_changes(many: Compilation) -> None:
    assert many.model is not None and many.sizing is not None
    migration = next(x for x in levers(many.model) if x.kind is LeverKind.MIGRATION)
    other = resize(migration.without, many.sizing, migration.changed)
    before = {q.name: q for q in many.sizing.queues}
    after = {q.name: q for q in other.queues}
    assert after["email"] is before["email"]  # untouched: its result is reused
    assert after["voice"] is not before["voice"] and after["chat"] is not before["chat"]
    # and it is what sizing the whole center again gives
    again = size(migration.without, DiagnosticSink(), many.sizing.timeline)
    for name, queue in after.items():
        assert (queue.monthly.fte == {q.name: q for q in again.queues}[name].monthly.fte).all()


def test_process_levers_against_costing_the_whole_center_again(many: Compilation) -> None:
    assert many.model is not None and many.sizing is not None and many.planning is not None
    design = many.planning.statement
    timeline = many.sizing.timeline
    found = {s.lever: s for s in savings(many.model, many.sizing, design)}
    for lever in levers(many.model):
        if lever.kind not in (LeverKind.MIGRATION, LeverKind.AUTOMATION):
            continue
        again = size(lever.without, DiagnosticSink(), timeline)  # a second method
        cost = statement(lever.without, again, timeline)
        expected = [a - b for a, b in zip(cost.total.months, design.total.months, strict=True)]
        saving = found[lever.label]
        assert list(saving.months) == expected
        agents = [line for line in cost.lines if line.group == "staff"]
        staff = sum((line.total for line in agents), Fraction(0))
        design_staff = sum(
            (line.total for line in design.lines if line.group == "staff"), Fraction(0)
        )
        assert saving.staff_cost_saved == staff - design_staff
    # automation takes work off agents: without it they handle more
    assert found["automation on chat"].total > 0
    assert found["automation on chat"].fte_saved_average > 0


def test_component_practice_and_site_levers_by_hand(many: Compilation) -> None:
    assert many.model is not None and many.sizing is not None
    found = {s.lever: s for s in savings(many.model, many.sizing)}
    # Without the ACD, the PBX it replaces keeps running after the overlap month.
    acd = found["component acd"]
    assert many.planning is not None
    subscription = [
        line for line in many.planning.statement.lines if line.name == "acd subscription"
    ]
    pbx_months = 12 - 1  # switched off one month after the ACD goes live in month 0
    assert acd.total == pbx_months * 5_000 - subscription[0].total
    # The practice: its introduction is not paid.
    assert list(found["practice coaching"].months) == [Fraction(-25_000)] + [Fraction(0)] * 11
    # The new site: its fit-out (100 seats x 2,000) and running (100 x 50 a month) go.
    site = found["site annex"]
    assert site.capex_saved == -200_000 and site.opex_saved == -12 * 5_000
