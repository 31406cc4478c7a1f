"""Deployment options that are not alternatives: identical to the design or to each other,
or tied on NPV. Hand-made options whose costs are worked out in the comments."""

from __future__ import annotations

import json

from blueprintc.documents.context import Context
from blueprintc.documents.views import financial, technology
from blueprintc.driver import Compilation, compile
from blueprintc.render.planning_report import cost_document, cost_text
from tests.documents.conftest import render

BASE = """\
blueprint "T" { currency USD; start 2027-01; horizon 1 year; discount 10% }
brand b { promise fast "A person answers within a minute" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers fast; segments all }
process p { service s; volume 1_000/month; mix { voice 100% }; aht { voice 5 min } }
channel voice { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s; shrinkage 35% }
staffing { loaded_cost 38 USD/h; paid_hours 37.5 h/week }
"""
# Two components, each with its own implementation (10k) and an option block that
# replaces it with 15k: under option onprem the ACD costs 15k and the CRM 10k, under
# hosted the other way round. No phases, so both are paid in the first month: the same
# NPV and TCO from different cost lines, a tie. Both cost 5k more than the design.
TIED = (
    BASE
    + """\
component acd {
  kind acd; supports voice; implementation 10k USD; option onprem { implementation 15k USD }
}
component crm {
  kind crm; supports voice; implementation 10k USD; option hosted { implementation 15k USD }
}
"""
)
# The ACD is cloud with an on-premise offer; the CRM and WFM are hosted and cloud with no
# offer: options cloud and hosted price nothing differently, so both are the design, one
# option under two names. The ACD's `option cloud` block repeats its own prices.
SAME = (
    BASE
    + """\
component acd {
  kind acd; supports voice; model cloud; implementation 10k USD
  option cloud { implementation 10k USD }
  option onprem { implementation 40k USD }
}
component crm { kind crm; supports voice; model hosted }
component wfm { kind wfm; supports voice; model cloud }
"""
)


def compiled(text: str) -> Compilation:
    result = compile(text)
    assert result.ok, [d.message for d in result.diagnostics]
    assert result.planning is not None
    return result


def test_a_tie_is_shown_as_a_tie() -> None:
    result = compiled(TIED)
    assert result.planning is not None and result.model is not None
    x, y = result.planning.options  # hosted, onprem: listed by name
    assert (x.name, x.rank, x.tied, y.name, y.rank, y.tied) == (
        "hosted",
        1,
        ("onprem",),
        "onprem",
        1,
        ("hosted",),
    )
    assert x.npv == y.npv and x.tco == y.tco
    assert x.tco - result.planning.statement.total.total == 5_000
    assert not x.as_designed and not y.as_designed
    text = cost_text(result.model, result.outcome)
    assert "1. hosted (tie)" in text and "1. onprem (tie)" in text
    assert "tie for the lowest NPV: hosted and onprem; neither is cheaper" in text
    assert "cheaper by NPV" not in text
    document = cost_document(result.model, result.outcome)
    assert [(o["name"], o["rank"], o["tied"]) for o in document["options"]] == [
        ("hosted", 1, ["onprem"]),
        ("onprem", 1, ["hosted"]),
    ]
    rows = financial.build(Context.of_compilation(result)).options
    assert [(r.name, r.rank, r.tied) for r in rows] == [
        ("hosted", 1, ("onprem",)),
        ("onprem", 1, ("hosted",)),
    ]
    page = render(result, "financial-design")
    assert "| 1 (tie) | hosted |" in page and "| 1 (tie) | onprem |" in page
    assert "hosted and onprem tie for the lowest NPV: neither\nis cheaper" in page
    assert "Cheapest by NPV" not in page


def test_options_identical_to_the_design_are_merged_and_said_so() -> None:
    result = compiled(SAME)
    assert result.planning is not None and result.model is not None
    planning = result.planning
    assert sorted(planning.option_statements) == ["cloud", "hosted", "onprem"]
    design, onprem = planning.options
    assert (design.names, design.as_designed, design.rank) == (("cloud", "hosted"), True, 1)
    assert onprem.names == ("onprem",) and not onprem.as_designed and onprem.rank == 2
    assert design.tco == planning.statement.total.total
    assert onprem.tco - design.tco == 30_000  # 40k instead of 10k of implementation
    text = cost_text(result.model, result.outcome)
    assert "1. cloud = hosted (as designed)" in text
    assert "cheaper by NPV: the design itself (cloud = hosted)" in text
    document = json.loads(json.dumps(cost_document(result.model, result.outcome)))
    assert [(o["name"], o["same_as"], o["as_designed"]) for o in document["options"]] == [
        ("cloud", ["hosted"], True),
        ("onprem", [], False),
    ]
    context = Context.of_compilation(result)
    rows = financial.build(context).options
    assert [(r.label, r.as_designed) for r in rows] == [("cloud = hosted", True), ("onprem", False)]
    chart = financial.build(context).cash_flow
    assert chart is not None
    assert [s.name for s in chart.series] == [
        "design = option cloud = option hosted",
        "option onprem",
    ]
    page = render(result, "financial-design")
    assert "| 1 | cloud = hosted (as designed) | - |" in page  # acd's cloud block: its prices
    assert "Cheapest by NPV: the design itself (option cloud = hosted)." in page
    # The technology design: the ACD's cloud block repeats its own prices, so it is no
    # alternative; on premise is.
    (acd,) = [c for c in technology.build(context).components if c.name == "acd"]
    assert acd.options == ("onprem",) and acd.as_designed == ()  # cloud is its own model
    tech = render(result, "technology-design")
    assert "| acd | acd | cloud | onprem |" in tech


def test_every_option_the_design_leaves_nothing_to_compare() -> None:
    text = BASE + (
        "component acd { kind acd; supports voice; model cloud; implementation 10k USD }\n"
        "component crm { kind crm; supports voice; model onprem }\n"
    )
    result = compiled(text)
    assert result.planning is not None and result.model is not None
    (only,) = result.planning.options
    assert (only.names, only.as_designed, only.rank) == (("cloud", "onprem"), True, 1)
    report = cost_text(result.model, result.outcome)
    assert "every option costs exactly what the design costs (cloud = onprem)" in report
    page = render(result, "financial-design")
    assert "Every option costs exactly what the design costs" in page


def test_an_option_block_repeating_the_design_is_marked_in_the_technology_design() -> None:
    text = BASE + (
        "component acd {\n  kind acd; supports voice; model cloud\n"
        "  subscription 100 USD/seat/month\n"
        "  option hosted { subscription 100 USD/seat/month }\n"
        "  option onprem { licence 1_000 USD/seat }\n}\n"
    )
    result = compiled(text)
    context = Context.of_compilation(result)
    view = technology.build(context)
    (acd,) = view.components
    assert (acd.options, acd.as_designed) == (("onprem",), ("hosted",))
    rows = [(r.option, r.cost, r.same_as) for r in view.licences]
    assert rows == [(None, "subscription", ("hosted",)), ("onprem", "licence", ())]
    page = render(result, "technology-design")
    assert "| acd | acd | cloud | onprem, hosted (as designed) |" in page
    assert "| acd | design = hosted | subscription |" in page
