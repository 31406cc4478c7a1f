"""Document 2, the technology design: every figure checked by hand on a small blueprint
(agents from an independent Erlang C), against the cost lines, and its Markdown."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from blueprintc.documents.build import build_documents
from blueprintc.documents.catalog import Edition
from blueprintc.documents.context import Context
from blueprintc.documents.views import financial, technology
from blueprintc.driver import Compilation, compile
from tests.documents.conftest import render

HEADER = 'blueprint "T" { currency USD; start 2027-01; horizon 1 year; interval 30 min }\n'
TECH = (
    HEADER
    + """\
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
process calls { service s; volume 100/week; mix { voice 100% }; aht { voice 3 min } }
process chats { service s; volume 100/week; mix { chat 100% }; aht { chat 3 min } }
channel voice { kind voice; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30% }
channel chat {
  kind chat; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30%; concurrency 2
}
component trunk { kind sip_trunk; supports voice }
component acd {
  kind acd; supports voice, chat; requires trunk; replaces pbx
  licence 1_000 USD/seat; maintenance 20%
  description "Routes <script>alert(1)</script> | *calls*"
}
component wfm { kind wfm; supports voice, chat; requires acd; subscription 30 USD/user/month }
system pbx { fate replace; cost 1_000 USD/month; supports voice }
site a { seats 20; share 75%; location "<script>alert(1)</script> | HQ" }
site b { seats 10; share 25% }
staffing { loaded_cost 40 USD/h; paid_hours 37.5 h/week; span supervisor 10 }
"""
)


def erlang_c_agents(traffic: float, aht: float, within: float, level: float) -> int:
    """Fewest agents whose Erlang C service level reaches ``level`` (textbook formula)."""
    agents = math.floor(traffic) + 1
    while True:
        blocking = 1.0
        for k in range(1, agents + 1):  # Erlang B by recursion
            blocking = traffic * blocking / (k + traffic * blocking)
        waiting = agents * blocking / (agents - traffic * (1 - blocking))
        if 1 - waiting * math.exp(-(agents - traffic) * within / aht) >= level:
            return agents
        agents += 1


# 100 contacts a week, all in Monday's one open half hour, 3 minutes each: 10 Erlangs.
VOICE_AGENTS = erlang_c_agents(100 * 180 / 1800, 180, 20, 0.8)
CHAT_AGENTS = math.ceil(VOICE_AGENTS / 2)  # the same sessions on slots, 2 slots an agent
PAID = 37.5 * (1 - 0.3)  # hours a week an FTE is available


def fte(agents: int) -> float:
    return agents * 0.5 / PAID  # one half-hour interval a week


@pytest.fixture(scope="module")
def tech() -> Compilation:
    compilation = compile(TECH)
    assert compilation.ok, [d.message for d in compilation.diagnostics]
    return compilation


@pytest.fixture(scope="module")
def view(tech: Compilation) -> technology.TechnologyDesign:
    return technology.build(Context.of_compilation(tech))


@pytest.fixture(scope="module")
def page(tech: Compilation) -> str:
    return render(tech, "technology-design")


def test_reference_agents_are_the_textbook_values() -> None:
    assert VOICE_AGENTS == 14  # 10 Erlangs, 80% in 20 s, 3-minute calls
    assert CHAT_AGENTS == 7


def test_capacity_per_queue_by_hand(view: technology.TechnologyDesign) -> None:
    voice, chat = view.capacity
    assert (voice.queue, voice.mode, voice.peak_agents) == ("voice", "realtime", VOICE_AGENTS)
    assert voice.sessions == VOICE_AGENTS and voice.concurrency == 1.0
    assert (chat.queue, chat.peak_agents, chat.concurrency) == ("chat", CHAT_AGENTS, 2.0)
    assert chat.sessions == 2 * CHAT_AGENTS
    assert voice.fte_peak == pytest.approx(fte(VOICE_AGENTS))
    assert voice.fte_average == pytest.approx(fte(VOICE_AGENTS))
    assert chat.fte_peak == pytest.approx(fte(CHAT_AGENTS))
    assert voice.headcount_peak == chat.headcount_peak == 1  # 0.27 and 0.13 FTE rounded up
    assert voice.peak_agents_month == "2027-01"
    assert str(voice.where) == "<text>:7"


def test_center_totals_and_support_by_hand(view: technology.TechnologyDesign) -> None:
    totals = view.totals
    assert totals.peak_month == "2027-01"  # every month is the same: the first wins
    assert totals.peak_concurrent == VOICE_AGENTS + CHAT_AGENTS  # both open at once
    assert totals.fte_peak == pytest.approx(fte(VOICE_AGENTS) + fte(CHAT_AGENTS))
    # A supervisor per 10 agents in the headcount: ceil(2 / 10) = 1.
    assert [(r.role, r.people_peak) for r in view.support] == [("supervisor", 1)]
    assert totals.support_peak == 1
    assert totals.total_fte_peak == pytest.approx(totals.fte_peak + 1)


def test_seats_per_site_by_hand(view: technology.TechnologyDesign) -> None:
    # On site: 21 agents + 1 supervisor = 22; 75% is 16.5, 25% is 5.5; the tie of the
    # remainders goes to the site written first.
    a, b = view.sites
    assert (a.name, a.share, a.seats_declared, a.seats_needed, a.spare) == ("a", 0.75, 20, 17, 3)
    assert (b.name, b.share, b.seats_declared, b.seats_needed, b.spare) == ("b", 0.25, 10, 5, 5)
    assert (view.totals.seats_needed, view.totals.seats_declared) == (22, 30)
    assert view.totals.seats_spare == 8


def test_licences_are_the_counts_the_cost_lines_were_priced_on(
    view: technology.TechnologyDesign, tech: Compilation
) -> None:
    assert tech.planning is not None
    lines = {line.name: line for line in tech.planning.statement.lines}
    acd, wfm = view.licences
    # One-time per-seat licence: the agents logged in at the busiest interval, 14 + 7.
    assert (acd.component, acd.cost, acd.basis, acd.option) == ("acd", "licence", "seat", None)
    assert acd.count == VOICE_AGENTS + CHAT_AGENTS
    assert acd.unit_price == 1000
    assert acd.total == 21_000 == lines["acd licences"].total
    # Subscription per user: the headcount of voice and chat (1 + 1), 30 a month, 12 months.
    assert (wfm.cost, wfm.basis, wfm.count, wfm.unit_price) == ("subscription", "user", 2, 30)
    assert wfm.total == 2 * 30 * 12 == lines["wfm subscription"].total


def test_interval_staffing_of_the_peak_day(view: technology.TechnologyDesign) -> None:
    intervals = view.intervals
    assert intervals is not None
    assert (intervals.month, intervals.day, intervals.interval_minutes) == (
        "2027-01",
        "Monday",
        30,
    )
    assert [c.queue for c in intervals.columns] == ["voice", "chat"]
    assert [(r.time, r.agents, r.total) for r in intervals.rows] == [
        ("09:00", (VOICE_AGENTS, CHAT_AGENTS), VOICE_AGENTS + CHAT_AGENTS)
    ]
    assert intervals.peak_total == view.totals.peak_concurrent
    chart = intervals.chart
    assert chart is not None and chart.x == ("09:00",)
    assert [(s.name, s.values) for s in chart.series] == [
        ("voice", (float(VOICE_AGENTS),)),
        ("chat", (float(CHAT_AGENTS),)),
    ]


def test_components_diagram_and_integrations(view: technology.TechnologyDesign) -> None:
    acd = next(c for c in view.components if c.name == "acd")
    assert (acd.channels, acd.requires, acd.replaces, acd.live) == (
        ("voice", "chat"),
        ("trunk",),
        ("pbx",),
        "2027-01",  # no phases: everything is live from the first month
    )
    diagram = view.diagram
    assert diagram is not None
    assert {(e.source, e.target, e.label) for e in diagram.edges} == {
        ("component_acd", "component_trunk", "requires"),
        ("component_acd", "system_pbx", "replaces"),
        ("component_wfm", "component_acd", "requires"),
    }
    labels = {n.key: n.label for n in diagram.nodes}
    assert labels["component_acd"] == "acd (voice, chat)"
    # acd -> trunk carries voice only (the trunk serves no chat); wfm -> acd both.
    assert [(i.component, i.requires, i.channels, i.processes) for i in view.integrations] == [
        ("acd", "trunk", ("voice",), ("calls",)),
        ("wfm", "acd", ("voice", "chat"), ("calls", "chats")),
    ]


def test_systems_being_replaced(view: technology.TechnologyDesign) -> None:
    (pbx,) = view.systems
    # Without phases the ACD is live in month 0; the PBX runs the one month of overlap.
    assert (pbx.fate, pbx.replaced_by, pbx.cost_per_month, pbx.switched_off) == (
        "replace",
        ("acd",),
        Fraction(1000),
        "2027-02",
    )


def test_markdown_shows_the_figures(page: str) -> None:
    assert (
        "| voice | realtime | 14 | 2027-01 | service level | 1.0 | 14 | 0.3 | 0.3 | 1 "
        "| \\<text\\>:7 |"
    ) in page
    assert "| chat | realtime | 7 | 2027-01 | service level | 2.0 | 14 | 0.1 | 0.1 | 1 |" in page
    assert "| acd | design | licence | seat | 1,000.00 | 21 | 21,000 |" in page
    assert "| wfm | design | subscription | user | 30.00 a month | 2 | 720 |" in page
    assert "| 09:00 | 14 | 7 | 21 |" in page
    assert "| pbx | replace | voice | acd | 1,000 | 2027-02 |" in page


# The same 10 Erlangs of voice (14 agents at 80 % within 20 s), under an occupancy cap of
# 65 %: ceil(10 / 0.65) = 16 agents; and with 17 agents as the minimum whenever open.
CAPPED = TECH.replace("shrinkage 30% }", "shrinkage 30%; occupancy 65% }", 1)
MINIMUM = TECH.replace("shrinkage 30% }", "shrinkage 30%; minimum_agents 17 }", 1)


@pytest.mark.parametrize(
    ("text", "agents", "words"),
    [(CAPPED, math.ceil(10 / 0.65), "occupancy cap"), (MINIMUM, 17, "minimum staff")],
    ids=["occupancy-cap", "minimum-staff"],
)
def test_set_by_names_the_limit_that_binds(text: str, agents: int, words: str) -> None:
    compilation = compile(text)
    assert compilation.ok, [d.message for d in compilation.diagnostics]
    voice = technology.build(Context.of_compilation(compilation)).capacity[0]
    assert voice.peak_agents == agents > VOICE_AGENTS
    assert voice.set_by is not None and voice.set_by.value == words
    page = render(compilation, "technology-design")
    assert f"| voice | realtime | {agents} | 2027-01 | {words} | 1.0 |" in page
    built = build_documents(
        compilation, formats=("md",), only=["technology-design"], edition=Edition.CLIENT
    )
    client = built.files["md/02-technology-design.md"].decode()
    # Display labels: the queue's name and the mode's word made readable; of the review
    # edition's eleven columns, all but Source.
    (row,) = [line for line in client.splitlines() if line.startswith("| Voice |")]
    assert row.startswith(f"| Voice | Real-time | {agents} | 2027-01 | {words} | 1.0 |")
    assert row.count(" | ") == 10 - 1
    assert "\\<text\\>" in page and "\\<text\\>" not in client


def test_hostile_text_is_escaped(page: str) -> None:
    assert "<script>" not in page
    assert "\\<script\\>alert(1)\\</script\\> \\| HQ" in page
    assert "Routes \\<script\\>alert(1)\\</script\\> \\| \\*calls\\*" in page


def test_markdown_is_well_formed(page: str) -> None:
    check_markdown(page)


def check_markdown(text: str) -> None:
    """GitHub-flavoured Markdown as we write it: no trailing spaces; tables and headings
    set off by blank lines; every table row has as many cells as its header."""
    lines = text.split("\n")
    cells = 0
    for index, line in enumerate(lines):
        before = lines[index - 1] if index else ""
        after = lines[index + 1] if index + 1 < len(lines) else ""
        assert line == line.rstrip(), f"trailing space on line {index + 1}"
        if line.startswith("|"):
            count = line.replace("\\|", "").count("|")
            if not before.startswith("|"):
                assert before == "", f"no blank line before the table at line {index + 1}"
                cells = count
            assert count == cells, f"line {index + 1} has {count - 1} cells, not {cells - 1}"
            assert after.startswith("|") or after == "", f"no blank line after line {index + 1}"
        if line.startswith("#"):
            assert before == "" or index == 0, f"no blank line before heading {index + 1}"
            assert after == "", f"no blank line after heading {index + 1}"


EMPTY = HEADER


def test_empty_blueprint_says_so() -> None:
    compilation = compile(EMPTY)
    assert compilation.ok, [d.message for d in compilation.diagnostics]
    view = technology.build(Context.of_compilation(compilation))
    assert view.components == view.capacity == view.sites == view.licences == ()
    assert view.intervals is None and view.diagram is None
    assert view.totals.peak_concurrent == 0 and view.totals.fte_peak == 0.0
    page = render(compilation, "technology-design")
    for what in (
        "technology components",
        "assisted channels to staff",
        "sites",
        "costs priced per seat or per user",
        "staffed queues",
        "dependencies between components",
        "current systems",
    ):
        assert f"_No {what} in this blueprint._" in page
    check_markdown(page)


def test_example_licence_counts_reprice_the_statement(example: Compilation) -> None:
    """A second method: count x unit price, month by month, is the cost line."""
    assert example.planning is not None
    view = technology.build(Context.of_compilation(example))
    planning = example.planning
    onprem = next(r for r in view.licences if r.component == "acd" and r.option == "onprem")
    statement = planning.option_statements["onprem"]
    assert (
        onprem.total
        == onprem.count * onprem.unit_price
        == statement.line_series["acd licences"].total
    )
    for row in view.licences:
        if row.option is None and row.cost == "subscription":
            line = planning.statement.line_series[f"{row.component} subscription"]
            # The most expensive month is the highest count priced.
            assert max(line.months) == row.count * row.unit_price


def test_each_support_role_cites_its_own_span_line() -> None:
    # Three roles on three lines (12, 13, 14), their yearly costs on three others (15-17),
    # written in another order; a fourth role (line 18) has no cost line.
    staffing = (
        "staffing {\n"
        "  loaded_cost 40 USD/h\n"
        "  paid_hours 37.5 h/week\n"
        "  span supervisor 10\n"
        "  span quality 25\n"
        "  span workforce 40\n"
        "  role_cost workforce 70k USD/year\n"
        "  role_cost supervisor 60k USD/year\n"
        "  role_cost quality 50k USD/year\n"
        "  span trainer 50\n"
        "}\n"
    )
    text = TECH.replace(
        "staffing { loaded_cost 40 USD/h; paid_hours 37.5 h/week; span supervisor 10 }\n", ""
    )
    lines = text.count("\n")
    compilation = compile(text + staffing)
    assert compilation.ok, [d.message for d in compilation.diagnostics]
    context = Context.of_compilation(compilation)
    support = {r.role: str(r.where) for r in technology.build(context).support}
    first = lines + 1  # the `staffing {` line
    assert support == {
        "supervisor": f"<text>:{first + 3}",
        "quality": f"<text>:{first + 4}",
        "workforce": f"<text>:{first + 5}",
        "trainer": f"<text>:{first + 9}",
    }
    staff = {r.name: str(r.where) for r in financial.build(context).staff}
    assert staff["workforce"] == f"<text>:{first + 6}"  # role_cost lines, each its own
    assert staff["supervisor"] == f"<text>:{first + 7}"
    assert staff["quality"] == f"<text>:{first + 8}"
    assert staff["trainer"] == f"<text>:{first + 9}"  # no cost line: its span line
    lines_where = {r.name: str(r.where) for r in financial.build(context).lines}
    assert lines_where["quality staff"] == f"<text>:{first + 8}"
    assert lines_where["supervisor staff"] == f"<text>:{first + 7}"
    assert "trainer staff" not in lines_where  # a role without a cost has no cost line
