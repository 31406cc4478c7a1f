"""Document 4, the financial design: every figure checked by hand on a small blueprint
(agents from an independent Erlang C, NPV from numpy-financial) and its Markdown."""

from __future__ import annotations

from fractions import Fraction

import numpy_financial as npf  # type: ignore[import-untyped,unused-ignore]
import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import financial
from blueprintc.driver import Compilation, compile
from blueprintc.solve.finance import to_cents
from tests.documents.conftest import render
from tests.documents.test_technology import check_markdown, erlang_c_agents

FIN = """\
blueprint "Costs <script>x</script> | *t*" {
  currency USD; start 2027-01; horizon 2 years; interval 30 min; discount 12%
}
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
process calls {
  service s; volume 100/week; mix { voice 100% }; aht { voice 3 min }
  migrate voice to web 50%
}
channel voice {
  kind voice; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30%
  usage 0.01 USD/minute
}
channel web { kind web; mode self_service; hours daily 00:00-24:00 }
component acd {
  kind acd; supports voice; model cloud
  implementation 12k USD; subscription 100 USD/seat/month
  option onprem { licence 1_000 USD/seat; implementation 20k USD }
}
site hq { seats 20; fitout 1_000 USD/seat; running 10 USD/seat/month; existing no }
staffing { loaded_cost 40 USD/h; paid_hours 37.5 h/week }
budget tech { amount 30k USD; covers acd }
budget fac { amount 10k USD; covers hq; year 1 }
criterion c { weight 100% }
vendor v { bids acd; score { c 4 }; discount 10% }
"""
MONTHS = 24
# Half of the 100 calls a week move to the web at once: 50 calls in Monday's one open
# half hour, 3 minutes each, is 5 Erlangs; without the migration 10.
AGENTS = erlang_c_agents(50 * 180 / 1800, 180, 20, 0.8)
AGENTS_WITHOUT = erlang_c_agents(100 * 180 / 1800, 180, 20, 0.8)
WEEKS_A_MONTH = Fraction(365, 84)
PAID = Fraction(75, 2)  # hours a week


def fte(agents: int) -> Fraction:
    return Fraction(agents, 2) / (PAID * Fraction(7, 10))  # one half hour a week, 30% shrinkage


def staff_month(agents: int) -> Fraction:
    return fte(agents) * PAID * WEEKS_A_MONTH * 40


CONTACTS_A_MONTH = Fraction(100, 168) * 730  # 100 a week as an hourly rate, 730 h a month
VOICE_MINUTES = CONTACTS_A_MONTH / 2 * 3
TELEPHONY = to_cents(VOICE_MINUTES / 100)  # 0.01 a minute
AGENTS_MONTH = to_cents(staff_month(AGENTS))
SUBSCRIPTION = 100 * AGENTS  # a seat for each agent at the busiest interval
RUNNING = 20 * 10
OPEX_MONTH = AGENTS_MONTH + TELEPHONY + SUBSCRIPTION + RUNNING
CAPEX = 12_000 + 20 * 1_000  # implementation, fit-out of 20 seats
MONTHLY_RATE = 1.12 ** (1 / 12) - 1


def npv(flows: list[Fraction]) -> float:
    # numpy-financial discounts its first flow at t = 0; ours are paid at the month's end.
    return float(npf.npv(MONTHLY_RATE, [0.0, *(float(f) for f in flows)]))


def design_flows() -> list[Fraction]:
    return [CAPEX + OPEX_MONTH] + [OPEX_MONTH] * (MONTHS - 1)


@pytest.fixture(scope="module")
def costs() -> Compilation:
    compilation = compile(FIN)
    assert compilation.ok, [d.message for d in compilation.diagnostics if d.is_error]
    return compilation


@pytest.fixture(scope="module")
def view(costs: Compilation) -> financial.FinancialDesign:
    return financial.build(Context.of_compilation(costs))


@pytest.fixture(scope="module")
def page(costs: Compilation) -> str:
    return render(costs, "financial-design")


def test_reference_agents() -> None:
    assert (AGENTS, AGENTS_WITHOUT) == (8, 14)


def test_summary_by_hand(view: financial.FinancialDesign) -> None:
    summary = view.summary
    assert summary.capex == CAPEX
    assert summary.opex == OPEX_MONTH * MONTHS
    assert summary.tco == CAPEX + OPEX_MONTH * MONTHS
    assert float(summary.npv) == pytest.approx(npv(design_flows()), abs=0.01)
    assert summary.discount_rate == Fraction(12, 100)
    assert (summary.first_month, summary.last_month) == ("2027-01", "2028-12")
    # Inbound contacts: voice and web together, every month.
    assert summary.contacts == pytest.approx(float(CONTACTS_A_MONTH * MONTHS))
    assert summary.cost_per_contact is not None
    assert float(summary.cost_per_contact) == pytest.approx(
        float(OPEX_MONTH / CONTACTS_A_MONTH), rel=1e-9
    )
    assert summary.reconciles
    assert str(summary.where) == "<text>:2"


def test_years_months_and_cash_flow(view: financial.FinancialDesign) -> None:
    y1, y2 = view.years
    assert (y1.label, y1.first_month, y1.last_month) == ("Y1", "2027-01", "2027-12")
    assert (y1.capex, y1.opex, y1.total) == (CAPEX, 12 * OPEX_MONTH, CAPEX + 12 * OPEX_MONTH)
    assert (y2.capex, y2.opex) == (0, 12 * OPEX_MONTH)
    assert y2.cumulative == CAPEX + 24 * OPEX_MONTH
    first, second = view.months
    assert [len(first.months), len(second.months)] == [12, 12]
    january = first.months[0]
    assert (january.month, january.capex, january.opex) == ("2027-01", CAPEX, OPEX_MONTH)
    assert second.months[-1].cumulative == view.summary.tco
    assert first.total == y1.total
    chart = view.cash_flow
    assert chart is not None and len(chart.x) == MONTHS
    design = chart.series[0]
    assert design.values[0] == float(CAPEX + OPEX_MONTH)
    assert design.values[-1] == float(view.summary.tco)
    # The design is the cloud option (its line says so); only on-premise is drawn beside it.
    assert [s.name for s in chart.series] == ["design = option cloud", "option onprem"]


def test_groups_and_lines(view: financial.FinancialDesign) -> None:
    groups = {(g.category, g.group): g.total for g in view.groups}
    assert groups[("capex", "implementation")] == 12_000
    assert groups[("capex", "facility")] == 20_000
    assert groups[("opex", "staff")] == AGENTS_MONTH * MONTHS
    lines = {line.name: line for line in view.lines}
    assert lines["voice telephony"].total == TELEPHONY * MONTHS
    assert lines["acd subscription"].years == (12 * SUBSCRIPTION, 12 * SUBSCRIPTION)
    assert str(lines["acd subscription"].where) == "<text>:18"
    assert str(lines["hq fit-out"].where) == "<text>:21"
    assert str(lines["voice agents"].where) == "<text>:22"


def test_staff_and_channel_costs(view: financial.FinancialDesign) -> None:
    (voice,) = view.staff
    assert voice.name == "voice"
    assert voice.fte_peak == pytest.approx(float(fte(AGENTS)))
    assert voice.cost == AGENTS_MONTH * MONTHS
    (channel,) = view.channel_costs
    assert channel.channel == "voice"
    assert channel.contacts == pytest.approx(float(CONTACTS_A_MONTH / 2 * MONTHS))
    assert channel.cost == (AGENTS_MONTH + TELEPHONY) * MONTHS
    assert float(channel.per_contact) == pytest.approx(
        float((AGENTS_MONTH + TELEPHONY) / (CONTACTS_A_MONTH / 2)), rel=1e-9
    )


def test_options_side_by_side(view: financial.FinancialDesign) -> None:
    onprem_capex = 20_000 + 1_000 * AGENTS + 20_000  # implementation, licences, fit-out
    onprem_month = AGENTS_MONTH + TELEPHONY + RUNNING
    onprem_flows = [onprem_capex + onprem_month] + [onprem_month] * (MONTHS - 1)
    first, second = view.options
    assert (first.name, first.rank, second.name, second.rank) == ("onprem", 1, "cloud", 2)
    assert (first.capex, first.opex) == (onprem_capex, onprem_month * MONTHS)
    assert first.tco == onprem_capex + onprem_month * MONTHS
    assert float(first.npv) == pytest.approx(npv(onprem_flows), abs=0.01)
    assert float(second.npv) == pytest.approx(npv(design_flows()), abs=0.01)
    assert second.npv_delta == second.npv - first.npv
    assert second.tco_delta == view.summary.tco - first.tco
    assert (first.components, second.components) == (("acd",), ())
    # cloud prices nothing differently: it is the design, not an alternative to it.
    assert (first.as_designed, second.as_designed) == (False, True)
    assert first.tied == second.tied == () and first.same_as == second.same_as == ()


def test_savings_of_the_migration(view: financial.FinancialDesign) -> None:
    saving = next(s for s in view.savings if s.kind == "migration")
    assert (saving.owner, saving.lever) == ("calls", "migrate voice to web")
    saved = float(fte(AGENTS_WITHOUT) - fte(AGENTS))
    assert saving.fte_saved_peak == pytest.approx(saved)
    assert saving.fte_saved_average == pytest.approx(saved)
    # the staff lines are rounded to the cent month by month, then subtracted
    staff = to_cents(staff_month(AGENTS_WITHOUT)) - AGENTS_MONTH
    assert saving.staff_cost_saved == staff * MONTHS
    # without the migration voice also handles twice the minutes (telephony) and needs a
    # subscription seat for each extra agent, every month (no phases: all live at once)
    telephony = to_cents(2 * VOICE_MINUTES / 100) - TELEPHONY
    seats = 100 * (AGENTS_WITHOUT - AGENTS)
    assert saving.total == (staff + telephony + seats) * MONTHS
    assert saving.years == ((staff + telephony + seats) * 12,) * 2
    assert str(saving.where) == "<text>:9"
    # the ACD is a lever too: without it none of its costs are paid
    acd = next(s for s in view.savings if s.kind == "component")
    assert acd.lever == "component acd" and acd.total < 0


def test_activity_cost_adds_up_to_opex(view: financial.FinancialDesign) -> None:
    (calls,) = view.activity
    # The only process: its voice minutes carry all agent and telephony cost, and it
    # takes the whole overhead pool.
    assert calls.direct == (AGENTS_MONTH + TELEPHONY) * MONTHS
    assert calls.total == view.summary.opex == view.activity_total
    assert calls.overhead == (SUBSCRIPTION + RUNNING) * MONTHS
    assert calls.contacts == pytest.approx(float(CONTACTS_A_MONTH * MONTHS))


def test_budget_checks(view: financial.FinancialDesign) -> None:
    tech, fac = view.budgets
    assert (tech.name, tech.amount, tech.capex, tech.declared, tech.within) == (
        "tech",
        30_000,
        12_000,
        12_000,
        True,
    )
    assert tech.over_by == 0 and tech.period == "horizon"
    assert (fac.capex, fac.declared, fac.over_by, fac.within, fac.period) == (
        20_000,
        20_000,
        10_000,
        False,
        "Y1",
    )


def test_vendor_discount_scenario(view: financial.FinancialDesign) -> None:
    (scenario,) = view.scenarios
    assert (scenario.vendor, scenario.discount, scenario.components) == (
        "v",
        Fraction(1, 10),
        ("acd",),
    )
    discount = [Fraction(1_200 + 10 * AGENTS)] + [Fraction(10 * AGENTS)] * (MONTHS - 1)
    assert float(scenario.saving) == pytest.approx(npv(discount), abs=0.02)
    assert scenario.npv == view.summary.npv - scenario.saving


def test_markdown_shows_the_figures(page: str) -> None:
    tco = f"{round(CAPEX + OPEX_MONTH * MONTHS):,}"
    assert f"| TCO (capex + opex) | {tco} | \\<text\\>:2 |" in page
    assert "| fac | budget | Y1 | hq | 10,000 | 20,000 | 20,000 | 10,000 | **no** |" in page
    assert "| Y1 | 2027-01 to 2027-12 | 32,000 |" in page
    assert "| v | 10.0% | acd |" in page
    assert "| migration | calls | migrate voice to web |" in page


def test_hostile_text_is_escaped(page: str) -> None:
    assert "<script>" not in page
    assert "Costs \\<script\\>x\\</script\\> \\| \\*t\\*" in page


def test_markdown_is_well_formed(page: str) -> None:
    check_markdown(page)


def test_empty_blueprint_says_so() -> None:
    compilation = compile('blueprint "T" { currency USD; start 2027-01; horizon 1 year }\n')
    assert compilation.ok, [d.message for d in compilation.diagnostics]
    view = financial.build(Context.of_compilation(compilation))
    assert view.summary.tco == 0 and view.summary.cost_per_contact is None
    assert view.lines == view.staff == view.options == view.savings == view.budgets == ()
    page = render(compilation, "financial-design")
    for what in (
        "costs",
        "staff",
        "channels with agent or telephony costs",
        "deployment options to compare",
        "levers (migrations, automation on assisted channels, components, practices, new sites)",
        "baseline to compare the design with (`baseline`)",
        "processes",
        "budgets",
        "vendor discounts",
    ):
        assert f"_No {what} in this blueprint._" in page
    check_markdown(page)
