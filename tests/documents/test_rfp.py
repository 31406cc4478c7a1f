"""Document 6 (RFP): identifiers, chains, volumes, agents, licences and criteria worked out
by hand on a small blueprint; empty sections; escaping of hostile text."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import rfp
from blueprintc.driver import Compilation, compile
from tests.documents.conftest import render

# 100 contacts a week, 60% on voice, all in the one open half hour (Monday 09:00):
# 60 calls x 240 s / 1800 s = 8 Erlangs on voice, 80% within 20 s.
SMALL = """\
blueprint "T" { currency USD; start 2027-01; horizon 1 year; interval 30 min; discount 12% }
use std/channels
brand b { promise quick "We answer fast" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers quick; segments all }
process p1 { service s; volume 100/week; mix { voice 60%; web 40% }; aht { voice 3 min }
  acw { voice 1 min } }
channel voice { kind voice; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30% }
channel web extends std.web { hours daily 00:00-24:00 }
component acd { kind acd; supports voice; implementation 12k USD
  subscription 100 USD/seat/month }
site hq { seats 20; channels voice }
staffing { loaded_cost 40 USD/h; paid_hours 37.5 h/week }
requirement r_one { category functional; priority must; text "Route calls"
  acceptance "Calls reach agents"; traces acd }
requirement r_two { category commercial; priority should; mandatory yes
  text "Data stays home"; traces quick }
requirement a_late { category functional; priority could; text "Nice to have"; traces web }
requirement z_first { category functional; priority must; text "Also a must"; traces voice }
criterion functionality { weight 50% }
criterion price { weight 30% }
criterion support { weight 20% }
vendor alpha { score { functionality 4; price 3; support 4 }; price 1M USD }
vendor beta { score { functionality 3.5; price 4.5; support 2.5 } }
vendor gamma { score { functionality 5; price 5; support 5 }; fails r_two }
"""

EMPTY = 'blueprint "E" { currency USD; start 2027-01; horizon 1 year }\n'

HOSTILE = """\
blueprint "H" { currency USD; start 2027-01; horizon 1 year }
brand b { promise p "x" }
requirement evil { category functional; priority must
  text "<script>alert(1)</script> | cell"; acceptance "=HYPERLINK(\\"x\\") *bold* | y" }
criterion c_one { weight 100%; description "<b>|</b>" }
"""


def compiled(text: str) -> Compilation:
    result = compile(text)
    assert result.ok, [d.message for d in result.diagnostics if d.is_error]
    return result


@pytest.fixture(scope="module")
def small() -> Compilation:
    return compiled(SMALL)


@pytest.fixture(scope="module")
def view(small: Compilation) -> rfp.RfpView:
    return rfp.build(Context.of_compilation(small))


def line_of(start: str) -> int:
    """The line of SMALL that starts with ``start`` (1-based)."""
    return next(i for i, t in enumerate(SMALL.splitlines(), start=1) if t.startswith(start))


def erlang_c_agents(traffic: float, aht: float, level: float, within: float) -> int:
    """The fewest agents meeting ``level`` within ``within`` seconds (Erlang C, by hand)."""
    agents = math.floor(traffic) + 1
    while True:
        term, total = 1.0, 1.0
        for k in range(1, agents):
            term *= traffic / k
            total += term
        last = term * traffic / agents * agents / (agents - traffic)
        waiting = last / (total + last)
        if 1 - waiting * math.exp(-(agents - traffic) * within / aht) >= level:
            return agents
        agents += 1


def test_identifiers_are_derived_from_names() -> None:
    assert rfp.requirement_id("callback_keeps_place") == "REQ-CALLBACK-KEEPS-PLACE"
    assert rfp.identifier("TC-FLOW", "p1", "voice") == "TC-FLOW-P1-VOICE"


def test_requirements_grouped_by_category_then_priority(view: rfp.RfpView) -> None:
    groups = {g.category: [r.id for r in g.requirements] for g in view.groups}
    assert list(groups) == ["functional", "technical", "operational", "commercial"]
    # must before could; declaration order among equal priorities.
    assert groups["functional"] == ["REQ-R-ONE", "REQ-Z-FIRST", "REQ-A-LATE"]
    assert groups["technical"] == [] and groups["operational"] == []
    assert groups["commercial"] == ["REQ-R-TWO"]
    one = view.groups[0].requirements[0]
    assert (one.priority, one.mandatory, one.acceptance) == ("must", False, "Calls reach agents")
    assert one.where is not None and one.where.line == line_of("requirement r_one")
    assert view.compliance.mandatory == ("REQ-R-TWO",)


def test_identifiers_do_not_move_when_a_requirement_is_inserted(view: rfp.RfpView) -> None:
    extra = SMALL.replace(
        "criterion functionality",
        'requirement b_new { category functional; priority must; text "New"; traces acd }\n'
        "criterion functionality",
    )
    again = rfp.build(Context.of_compilation(compiled(extra)))
    before = {r.id: r.text for g in view.groups for r in g.requirements}
    after = {r.id: r.text for g in again.groups for r in g.requirements}
    assert after == {**before, "REQ-B-NEW": "New"}


def test_chains_run_from_the_traced_element_to_its_promise(view: rfp.RfpView) -> None:
    by_id = {r.id: r for g in view.groups for r in g.requirements}
    chain = by_id["REQ-R-ONE"].chains
    assert [(link.kind, link.name) for link in chain[0].links] == [
        ("component", "acd"),
        ("channel", "voice"),
        ("process", "p1"),
        ("service", "s"),
        ("promise", "quick"),
    ]
    assert chain[0].justified
    assert [(x.kind, x.name) for x in by_id["REQ-R-TWO"].chains[0].links] == [("promise", "quick")]


def test_a_chain_contained_in_another_is_left_out(small: Compilation) -> None:
    ctx = Context.of_compilation(small)
    acd, voice = ctx.element("component", "acd"), ctx.element("channel", "voice")
    assert acd is not None and voice is not None
    chains = rfp.chains(ctx, (voice.ref, acd.ref))
    assert [c.links[0].name for c in chains] == ["acd"]


def test_volumes_by_hand(view: rfp.RfpView) -> None:
    volumes = {c.channel: c for c in view.volumes.channels}
    # 100 a week = 100 x 8760 / 168 a year; 60% voice, 40% web; one project year.
    yearly = 100 * 8760 / 168
    assert view.volumes.years == ("Y1",)
    assert volumes["voice"].contacts_per_year == pytest.approx((yearly * 0.6,))
    assert volumes["web"].contacts_per_year == pytest.approx((yearly * 0.4,))
    assert (volumes["voice"].handling, volumes["web"].handling) == ("assisted", "self-service")
    assert view.introduction.contacts_first_year == pytest.approx(yearly)


def test_agents_seats_and_licences_by_hand(view: rfp.RfpView) -> None:
    agents = erlang_c_agents(8.0, 240.0, 0.8, 20.0)
    (queue,) = view.volumes.queues
    assert (queue.queue, queue.peak_agents) == ("voice", agents)
    # agents x 0.5 h a week, grossed up for 30% shrinkage, over a 37.5-hour week.
    assert queue.fte_peak == pytest.approx(agents * 0.5 / 0.7 / 37.5)
    assert queue.headcount_peak == math.ceil(agents * 0.5 / 0.7 / 37.5)
    assert view.volumes.peak_concurrent == agents
    (site,) = view.volumes.sites
    assert (site.site, site.capacity, site.seats) == ("hq", 20, agents)
    (licence,) = view.volumes.licences
    assert (licence.component, licence.basis, licence.quantity) == (
        "acd",
        "concurrent seat",
        agents,
    )
    assert licence.priced_as == ("subscription",)
    assert licence.where is not None and licence.where.line == line_of("  subscription")


def test_criteria_and_normalisation(view: rfp.RfpView) -> None:
    assert [(c.name, c.weight_used) for c in view.criteria] == [
        ("functionality", Fraction(1, 2)),
        ("price", Fraction(3, 10)),
        ("support", Fraction(1, 5)),
    ]
    assert not view.weights_normalised
    scaled = compiled(SMALL.replace("weight 20%", "weight 70%"))
    criteria, normalised = rfp.criteria_of(Context.of_compilation(scaled))
    assert normalised and [c.weight_used for c in criteria] == [
        Fraction(1, 3),
        Fraction(1, 5),
        Fraction(7, 15),
    ]


def test_markdown_shows_the_figures(small: Compilation, view: rfp.RfpView) -> None:
    text = render(small, "rfp")
    agents = view.volumes.queues[0].peak_agents
    assert "| REQ-R-ONE | must | no | Route calls | Calls reach agents |" in text
    assert f"| voice | realtime | {agents} | 2027-01 |" in text
    assert "| functionality | 50.0% |" in text
    assert "_No technical requirements in this blueprint._" in text
    assert "  \n" not in text and " \n" not in text


def test_empty_blueprint_renders_every_section_empty() -> None:
    empty = compiled(EMPTY)
    view = rfp.build(Context.of_compilation(empty))
    assert all(not g.requirements for g in view.groups)
    assert view.scope == () and view.criteria == () and view.volumes.licences == ()
    text = render(empty, "rfp")
    for what in ("services", "components", "functional requirements", "evaluation criteria"):
        assert f"_No {what} in this blueprint._" in text


def test_hostile_text_is_escaped() -> None:
    text = render(compiled(HOSTILE), "rfp")
    assert "\\<script\\>alert(1)\\</script\\> \\| cell" in text
    assert "\\*bold\\* \\| y" in text
    assert "<script>" not in text and "<b>" not in text
