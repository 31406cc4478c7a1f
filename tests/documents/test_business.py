"""Document 1, business design: volumes, migrations, automation and outbound worked out by
hand on a small blueprint; channel totals against the sizing workload; empty sections;
escaping of hostile text."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import business
from blueprintc.driver import Compilation
from blueprintc.sizing.size import Sizing
from tests.documents.conftest import compile_in, render

V = 10_000  # contacts a month of the small blueprint's process
HOSTILE = "<script>alert(1)</script> | *x*"
SMALL = f"""\
blueprint "T" {{ currency USD; start 2027-01; horizon 2 years; interval 30 min }}
brand b {{
  positioning "{HOSTILE}"
  promise fast "A person answers" {{ target voice 80% within 30 s }}
  promise orphan "Nobody keeps this"
}}
segment all {{
  share 100%; customers 1000; value high; potential low; strategy retain; intensity simple
}}
service s {{ delivers fast; segments all; cycle buying, servicing; product maturity }}
process p {{
  service s
  volume 120_000/year
  mix {{ voice 50%; web 50% }}
  aht {{ voice 180 s }}
  automation {{ voice 10%; web 100% }}
  migrate voice to web 20% by 2028-01
  segments all
}}
outbound call {{
  service s; trigger "{HOSTILE}"; channel voice; volume 120/month
  contact_rate 50%; aht 4 min; attempt_time 60 s
}}
channel voice {{ kind voice; hours mon..fri 09:00-17:00; target 80% within 20 s; shrinkage 30% }}
channel web {{ kind web; mode self_service; hours daily 00:00-24:00 }}
component acd {{ kind acd; supports voice }}
staffing {{ loaded_cost 40 USD/h; paid_hours 37.5 h/week; span supervisor 10 }}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Compilation:
    return compile_in(tmp_path_factory.mktemp("business"), SMALL)


@pytest.fixture(scope="module")
def view(small: Compilation) -> business.BusinessDesign:
    return business.build(Context.of_compilation(small))


def test_process_map_volumes_by_hand(view: business.BusinessDesign) -> None:
    # 120,000 a year = 10,000 a month (V), flat. Voice share 50% - 10 points x t/12
    # (migration reached in 2028-01, month 12), then 40%; automation contains 10% of voice.
    rows = {r.channel: r for r in view.process_map}
    assert view.years == ("Y1", "Y2")
    assert rows["voice"].contacts_per_year == pytest.approx((V * 0.9 * 5.45, V * 0.9 * 4.8))
    assert rows["web"].contacts_per_year == pytest.approx((V * 6.55, V * 7.2))
    assert rows["voice"].mix == pytest.approx(0.5) and rows["voice"].mode == "realtime"
    assert rows["voice"].cycle == ("buying", "servicing") and rows["voice"].product == "maturity"
    assert rows["web"].contacts == pytest.approx(V * (6.55 + 7.2))


def test_channel_totals_are_the_sizing_workload(small: Compilation) -> None:
    """Second method: the map summed per channel is what `blueprintc size` reports."""
    assert small.sizing is not None
    view = business.build(Context.of_compilation(small))
    totals = {c.channel: c.contacts for c in view.channel_volumes}
    for work in small.sizing.workload.channels:
        if not work.outbound:
            assert totals[work.channel.name] == pytest.approx(float(work.monthly.sum()))


def test_example_channel_totals_match_the_workload(
    example_context: Context, example: Compilation
) -> None:
    view = business.build(example_context)
    totals = {c.channel: c.contacts_per_year for c in view.channel_volumes}
    for work in _sizing(example).workload.channels:
        if work.outbound or work.monthly.sum() == 0:
            continue
        expected = tuple(float(work.monthly[i : i + 12].sum()) for i in range(0, 36, 12))
        assert totals[work.channel.name] == pytest.approx(expected)


def test_migration_and_automation_by_hand(view: business.BusinessDesign) -> None:
    (migration,) = view.migrations
    assert (migration.source, migration.target, migration.by) == ("voice", "web", "2028-01")
    assert migration.points == pytest.approx(0.1)
    # V x 10 points x t/12: V x 0.1 x 66/12 in year 1, V x 0.1 x 12 after.
    assert migration.contacts_moved_per_year == pytest.approx((V * 0.55, V * 1.2))
    automation = {r.channel: r for r in view.automation}
    assert automation["voice"].contained_per_year == pytest.approx((V * 0.545, V * 0.48))
    assert automation["web"].contained_per_year == pytest.approx((V * 6.55, V * 7.2))
    assert automation["web"].fte_saved_peak is None  # self-service: no agents


def test_migration_saving_against_a_blueprint_without_it(
    small: Compilation, tmp_path: Path, view: business.BusinessDesign
) -> None:
    """Second method: compile the blueprint without the `migrate` line and compare FTE."""
    assert small.sizing is not None
    other = compile_in(tmp_path, SMALL.replace("  migrate voice to web 20% by 2028-01\n", ""))
    assert other.sizing is not None
    difference = other.sizing.agent_fte - small.sizing.agent_fte
    (migration,) = view.migrations
    assert migration.fte_saved_peak == pytest.approx(float(difference.max()))
    assert migration.fte_saved_peak is not None and migration.fte_saved_peak > 0


def test_outbound_by_hand(view: business.BusinessDesign) -> None:
    (row,) = view.outbound
    assert row.attempts_per_month == pytest.approx(120)
    assert row.contacts_per_month == pytest.approx(60)
    assert row.agent_seconds_per_attempt == pytest.approx(0.5 * 240 + 0.5 * 60)
    assert row.agent_hours_per_month == pytest.approx(120 * 150 / 3600)
    (queue,) = view.outbound_queues
    assert queue.channel == "voice" and queue.peak_agents >= 1


def test_promises_segments_and_findings(view: business.BusinessDesign) -> None:
    promises = {p.name: p for p in view.promises}
    assert promises["fast"].services == ("s",)
    assert promises["orphan"].services == ()
    (target,) = promises["fast"].targets
    assert (target.channel, target.level, target.within) == ("voice", Fraction(4, 5), 30)
    (segment,) = view.segments
    assert segment.services == ("s",) and segment.processes == ("p",)
    codes = {(f.code, f.subject) for f in view.findings}
    assert ("CXB0501", "orphan") in codes  # the promise no service delivers
    assert all(f.layer in ("brand", "business", "operational", "technology") for f in view.findings)
    layers = [f.layer for f in view.findings]
    order = ["brand", "business", "financial-functional", "operational", "technology"]
    assert layers == sorted(layers, key=order.index)


def test_every_row_points_at_its_line(small: Compilation, view: business.BusinessDesign) -> None:
    lines = SMALL.splitlines()
    (migration,) = view.migrations
    assert migration.where is not None and "migrate voice" in lines[migration.where.line - 1]
    assert view.process_map[0].where is not None
    assert "mix" in lines[view.process_map[0].where.line - 1]
    assert view.outbound[0].where is not None
    assert "outbound call" in lines[view.outbound[0].where.line - 1]


def test_hostile_text_is_escaped(small: Compilation) -> None:
    text = render(small, "business-design")
    assert "<script>" not in text
    assert r"\<script\>alert(1)\</script\> \| \*x\*" in text


def test_empty_sections(project: Callable[..., Compilation]) -> None:
    empty = project("", until="size")
    assert empty.ok
    text = render(empty, "business-design")
    for what in (
        "brand promises",
        "services",
        "customer segments",
        "interaction processes",
        "channel migrations",
        "automation shares",
        "proactive contacts",
        "open alignment findings",
    ):
        assert f"_No {what} in this blueprint._" in text
    assert "| |" not in text.replace("| | |", "")  # no table rows without cells


def test_markdown_tables_are_well_formed(example: Compilation) -> None:
    text = render(example, "business-design")
    for line in text.splitlines():
        assert line == line.rstrip(), f"trailing space: {line!r}"
    blocks = [b for b in text.split("\n\n") if b.startswith("|")]
    assert blocks
    for block in blocks:
        widths = {line.count(" | ") for line in block.splitlines() if not line.startswith("|--")}
        separators = [line for line in block.splitlines() if line.startswith("|--")]
        assert len(separators) == 1
        assert separators[0].count("|") - 1 == block.splitlines()[0].count("|") - 1
        assert widths


def _sizing(compilation: Compilation) -> Sizing:
    """The compilation's own sizing: what the view's figures are checked against."""
    assert compilation.sizing is not None
    return compilation.sizing
