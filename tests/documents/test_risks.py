"""Document 13, the risk and decision log: declared risks ranked by hand-computed scores,
the risks the compiler finds (present when their condition holds, absent otherwise), the
options and the vendor the design takes, and every ``allow`` with its reason."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from blueprintc.documents.build import meta_of, render_document
from blueprintc.documents.catalog import by_name
from blueprintc.documents.context import Context, file_names
from blueprintc.documents.environment import environment
from blueprintc.documents.findings import FindingKind, Severity, findings
from blueprintc.documents.views import risks
from blueprintc.driver import Compilation, compile
from blueprintc.model import elements as m
from tests.documents.conftest import compile_in, render

BASE = """\
blueprint "Risky" { currency USD; start 2027-01; horizon 1 year }
brand b { promise fast "A person answers" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers fast; segments all }
process p { service s; volume 100/week; mix { voice 100% }; aht { voice 180 s } }
channel voice { kind voice; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30% }
staffing { loaded_cost 38 USD/h; paid_hours 37.5 h/week }
"""
SMALL = (
    BASE
    + """\
site hq { seats 40; channels voice }
component acd { supports voice; implementation 100k USD }
budget tech { amount 60k USD; covers acd; allow CXB0521 because "the board tops it up" }
criterion price { weight 100% }
vendor solo { bids acd; score { price 4 } }
risk outage {
  likelihood high
  impact medium
  owner "CIO"
  mitigation "A second carrier"
  threatens acd, voice
}
risk vendor_exit { likelihood medium; impact high; owner "CPO" }
risk minor { likelihood low; impact low; mitigation "Watch it" }
"""
)


def render_context(ctx: Context, name: str) -> str:
    """One document of a context as Markdown (a compilation with errors has figures too)."""
    document = by_name(name)
    assert document is not None
    view = document.build(ctx)
    return render_document(environment(), "md", document, view, meta_of(ctx, None))


def _line_of(text: str, needle: str) -> int:
    (line,) = [n for n, t in enumerate(text.splitlines(), start=1) if needle in t]
    return line


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Compilation:
    return compile_in(tmp_path_factory.mktemp("risks"), SMALL)


@pytest.fixture(scope="module")
def view(small: Compilation) -> risks.RisksView:
    return risks.build(Context.of_compilation(small))


def test_declared_risks_ranked_by_score(view: risks.RisksView) -> None:
    # Scores by hand: high x medium = 3 x 2 = 6; medium x high = 2 x 3 = 6; low x low = 1.
    # Equal scores: the higher impact first.
    assert [(r.rank, r.name, r.score, r.rating) for r in view.risks] == [
        (1, "vendor_exit", 6, "high"),
        (2, "outage", 6, "high"),
        (3, "minor", 1, "low"),
    ]
    outage = view.risks[1]
    assert (outage.owner, outage.mitigation) == ("CIO", "A second carrier")
    assert [(t.name, t.stem) for t in outage.threatens] == [
        ("acd", "02-technology-design"),
        ("voice", "02-technology-design"),
    ]
    assert outage.where is not None and outage.where.line == _line_of(SMALL, "risk outage")


def test_found_risks_present_when_their_condition_holds(view: risks.RisksView) -> None:
    kinds = [row.finding.kind for row in view.found]
    # The ACD's 100k USD implementation against a budget of 60k USD: 40k over.
    (overrun,) = [
        row.finding for row in view.found if row.finding.kind is FindingKind.BUDGET_OVERRUN
    ]
    assert overrun.against is not None and overrun.difference is not None
    assert (overrun.figure.value, overrun.against.value, overrun.difference.value) == (
        Fraction(100_000),
        Fraction(60_000),
        Fraction(40_000),
    )
    assert overrun.severity is Severity.WARNING and overrun.subject == m.Ref("budget", "tech")
    assert (overrun.link.document, overrun.link.anchor) == ("04-financial-design", "budget-checks")
    assert overrun.link.path == ("budgets", 0, "capex")
    assert overrun.where is not None and overrun.where.line == _line_of(SMALL, "budget tech")
    # One vendor of one in the ranking.
    (single,) = [row for row in view.found if row.finding.kind is FindingKind.SINGLE_BIDDER]
    assert single.finding.figure.value == "solo" and single.subject is not None
    assert single.subject.stem == "07-vendor-evaluation"
    # 40 seats for a handful of agents: idle seats, a notice, not a risk; no business case.
    assert FindingKind.SEAT_SHORTFALL not in kinds and FindingKind.IDLE_SEATS not in kinds
    assert FindingKind.NO_PAYBACK not in kinds and FindingKind.NO_RETURN not in kinds


def test_the_catalogue_holds_the_notices_too(small: Compilation) -> None:
    """The summary lists every finding; the risk log only the warnings."""
    found = findings(Context.of_compilation(small))
    (idle,) = [f for f in found if f.kind is FindingKind.IDLE_SEATS]
    # 14 agents at Monday 09:00 (docs/sizing.md section 7) and no support role: 14 of 40.
    assert idle.severity is Severity.NOTICE and not idle.risk
    assert idle.against is not None and idle.difference is not None
    assert (idle.figure.value, idle.against.value, idle.difference.value) == (14, 40, 26)
    assert [f.severity for f in found] == sorted(
        (f.severity for f in found), key=lambda s: s is not Severity.WARNING
    )


def test_found_risks_absent_otherwise(tmp_path: Path) -> None:
    text = BASE + (
        "site hq { seats 40; channels voice }\n"
        "component acd { supports voice; implementation 100k USD }\n"
        "budget tech { amount 200k USD; covers acd }\n"
        "criterion price { weight 100% }\n"
        "vendor one { bids acd; score { price 4 } }\n"
        "vendor two { bids acd; score { price 3 } }\n"
    )
    view = risks.build(Context.of_compilation(compile_in(tmp_path, text)))
    kinds = {row.finding.kind for row in view.found}
    assert FindingKind.BUDGET_OVERRUN not in kinds and FindingKind.SINGLE_BIDDER not in kinds
    assert [(v.name, v.position, v.chosen) for v in view.vendors] == [
        ("one", 1, True),
        ("two", 2, False),
    ]


def test_seat_shortfall_found(tmp_path: Path) -> None:
    # The sizing worked example (docs/sizing.md section 7): 14 agents at Monday 09:00 and
    # no support role (no `span`), so 14 seats against the 5 declared.
    path = tmp_path / "main.cxb"
    path.write_text(BASE + "site hq { seats 5; channels voice }\n", encoding="utf-8")
    compilation = compile(path)
    assert not compilation.ok and compilation.outcome is not None  # figures still shown
    assert compilation.model and compilation.graph and compilation.alignment
    ctx = Context(
        compilation.model,
        compilation.graph,
        compilation.alignment,
        compilation.outcome,
        compilation.sources,
        files=file_names(compilation.sources),
    )
    (shortfall,) = [f for f in findings(ctx) if f.kind is FindingKind.SEAT_SHORTFALL]
    assert shortfall.against and shortfall.difference and shortfall.month
    assert (
        shortfall.figure.value,
        shortfall.against.value,
        shortfall.difference.value,
        shortfall.month.value,
    ) == (14, 5, -9, "2027-01")
    assert shortfall.risk and shortfall.link.anchor == "seats"
    page = render_context(ctx, "risks-and-decisions")
    assert "needs 14 seats at the peak (2027-01) and has 5" in page


def test_decisions(view: risks.RisksView) -> None:
    (allow,) = view.allows
    assert (allow.name, allow.code, allow.rule, allow.reason) == (
        "tech",
        "CXB0521",
        "budget-exceeded",
        "the board tops it up",
    )
    assert allow.where is not None and allow.where.line == _line_of(SMALL, "allow CXB0521")
    assert view.vendor_chosen == "solo"


def test_example_options_and_allows(example_context: Context) -> None:
    view = risks.build(example_context)
    options = {o.name: o for o in view.options}
    assert options["cloud"].chosen and not options["onprem"].chosen
    assert options["onprem"].npv - options["cloud"].npv == options["onprem"].npv_delta
    example = Path(example_context.sources[0].real_path or "")
    text = example.read_text(encoding="utf-8")
    assert [(a.name, a.where.line if a.where else 0) for a in view.allows] == [
        ("online_banking_help", _line_of(text, "allow CXB0516"))
    ]


def test_rendered(small: Compilation) -> None:
    text = render(small, "risks-and-decisions")
    assert "| 1 | vendor\\_exit |" in text
    assert "[02-technology-design]" not in text  # links carry the element's name
    assert "(02-technology-design.md)" in text
    assert "the board tops it up" in text
