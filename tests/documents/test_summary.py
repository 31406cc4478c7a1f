"""The executive summary (document 0): every figure it shows equals the same figure in the
document it links to, read through the JSON of both; every link opens a heading of that
document; and a tiny center's figures agree with Erlang C worked out by hand."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from blueprintc.documents.build import build_documents
from blueprintc.documents.site import slug
from blueprintc.driver import Compilation, compile
from tests.documents.conftest import built_example
from tests.outcome.blueprints import blueprints

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("northwind_bank", "harbor_insurance", "thornvale_water")
SUMMARY = "json/00-executive-summary.json"

# One voice queue, open weekdays 08:00-18:00, no options, vendors or baseline.
TINY = """\
blueprint "Tiny" { currency USD; start 2027-01; horizon 1 year; interval 60 min }
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
staffing { loaded_cost 30 USD/h; paid_hours 40 h/week }
channel voice { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s; shrinkage 30% }
process ask { service s; volume 60_000/year; mix { voice 100% }; aht { voice 5 min } }
site hq { seats 40; channels voice }
"""
ONE_VENDOR = (
    TINY
    + """\
component acd { kind acd; supports voice; licence 500 USD/seat }
requirement acd_cloud { category technical; priority must; text "Cloud ACD"; traces acd }
criterion fit { weight 100% }
vendor solo { bids acd; score { fit 4 } }
"""
)


def _compiled(source: str | Path) -> Compilation:
    result = compile(source)
    assert result.ok, [d.message for d in result.diagnostics if d.is_error]
    return result


def _files(result: Compilation) -> dict[str, Any]:
    return _decoded(build_documents(result, formats=("json", "md")).files)


def _decoded(files: dict[str, bytes]) -> dict[str, Any]:
    """The JSON files read, the Markdown as text (the other formats left out)."""
    return {
        name: json.loads(data) if name.endswith(".json") else data.decode()
        for name, data in files.items()
        if name.endswith((".json", ".md"))
    }


def _figures(value: Any) -> list[dict[str, Any]]:
    """Every figure of a summary's JSON: a record with a value and a link."""
    found = []
    waiting = [value]
    while waiting:
        item = waiting.pop()
        if isinstance(item, dict):
            if {"value", "link"} <= item.keys() and isinstance(item["link"], dict):
                found.append(item)
            waiting.extend(item.values())
        elif isinstance(item, list):
            waiting.extend(item)
    return found


def _resolve(view: Any, path: list[str | int]) -> Any:
    for step in path:
        view = view[step]
    return view


def _check_links(files: dict[str, Any]) -> int:
    """Each figure of the summary against the linked document's JSON; each anchor against
    the linked document's headings. Returns the number of figures checked."""
    summary = files[SUMMARY]["view"]
    figures = _figures(summary)
    for figure in figures:
        link = figure["link"]
        linked = files[f"json/{link['document']}.json"]
        assert linked["title"] == link["title"]
        assert _resolve(linked["view"], link["path"]) == figure["value"], figure
        markdown = files[f"md/{link['document']}.md"]
        headings = {slug(h) for h in re.findall(r"^#+ (.+)$", markdown, re.MULTILINE)}
        assert link["anchor"] in headings, (link, sorted(headings))
    return len(figures)


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_figure_of_the_examples_summary_is_the_linked_documents(example: str) -> None:
    files = _decoded(built_example(example))
    assert _check_links(files) >= 15
    summary = files[SUMMARY]["view"]
    assert summary["business_case"] is True  # every example has a baseline
    assert {f["measure"] for f in summary["figures"]} >= {"savings", "payback", "case_npv"}


RISK_LOG = "json/13-risks-and-decisions.json"


def _check_findings(files: dict[str, Any]) -> None:
    """One catalogue of findings: the risk log lists exactly the summary's warnings, figure
    for figure, and each of its figures is the linked document's."""
    summary = files[SUMMARY]["view"]
    logged = [row["finding"] for row in files[RISK_LOG]["view"]["found"]]
    assert logged == [f for f in summary["findings"] if f["severity"] == "warning"]
    for figure in _figures(logged):
        linked = files[f"json/{figure['link']['document']}.json"]["view"]
        assert _resolve(linked, figure["link"]["path"]) == figure["value"], figure


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_summary_and_the_risk_log_list_one_catalogue(example: str) -> None:
    files = _decoded(built_example(example))
    _check_findings(files)
    kinds = [f["kind"] for f in files[SUMMARY]["view"]["findings"]]
    assert "idle seats" in kinds  # every example has more seats than its peak needs


# One vendor bids for the tiny center: the only one in the ranking.
def test_a_single_bidder_is_a_risk_in_both_documents() -> None:
    files = _files(_compiled(ONE_VENDOR))
    _check_findings(files)
    summary = files[SUMMARY]["view"]
    (single,) = [f for f in summary["findings"] if f["kind"] == "single bidder"]
    assert single["severity"] == "warning" and single["figure"]["value"] == "solo"
    assert single["figure"]["link"]["anchor"] == "ranking"
    assert any(r["finding"] == single for r in summary["risks"] if r["finding"])
    text = files["md/00-executive-summary.md"]
    assert "**Single bidder**: solo — the only vendor left in the ranking" in text
    log = files["md/13-risks-and-decisions.md"]
    assert "| Single bidder | [solo](07-vendor-evaluation.md) | the only vendor left" in log


@pytest.mark.parametrize("source", [TINY, ONE_VENDOR], ids=["no-vendor", "one-vendor"])
def test_a_small_center_without_options_or_baseline(source: str) -> None:
    files = _files(_compiled(source))
    _check_links(files)
    summary = files[SUMMARY]["view"]
    assert summary["business_case"] is False
    assert summary["recommendation"]["option"] is None
    measures = {f["measure"] for f in summary["figures"]}
    assert "savings" not in measures and "payback" not in measures
    vendor = summary["recommendation"]["vendor"]
    assert (vendor["value"] if vendor else None) == ("solo" if "solo" in source else None)
    text = files["md/00-executive-summary.md"]
    assert "## Key figures" in text and "Traceback" not in text


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=blueprints())
def test_generated_blueprints_summaries_agree_with_their_documents(text: str) -> None:
    files = _files(_compiled(text))
    _check_links(files)
    _check_findings(files)


def _erlang_c_level(traffic: float, agents: int, aht: float, within: float) -> float:
    """Share answered within ``within`` seconds, by the textbook Erlang C formula."""
    if agents <= traffic:
        return 0.0
    below = sum(traffic**k / math.factorial(k) for k in range(agents))
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    return 1 - top / (below + top) * math.exp(-(agents - traffic) * within / aht)


def test_a_one_queue_centers_figures_by_hand() -> None:
    """FTE, peak agents and seats of the tiny center from its offered contacts by hand:
    each open hour staffed to 80 % within 20 s by Erlang C, FTE = agent hours of the
    week ÷ (40 h × (1 − 30 %)), seats = the most agents at once (no support staff)."""
    result = _compiled(TINY)
    assert result.outcome is not None
    (queue,) = result.outcome.queues
    peak = result.outcome.key.peak_month
    contacts = queue.intervals.contacts[peak]  # (7, 24): the week's offered contacts
    agents = [
        next(n for n in range(1, 100) if _erlang_c_level(c * 300 / 3600, n, 300.0, 20.0) >= 0.8)
        if c > 0
        else 0
        for c in contacts.ravel()
    ]
    fte = sum(agents) / (40 * 0.7)
    summary = _files(result)[SUMMARY]["view"]
    shown = {f["measure"]: f["figure"]["value"] for f in summary["figures"]}
    assert shown["fte"] == pytest.approx(fte, abs=1e-5)
    assert shown["peak_agents"] == max(agents) == shown["seats_needed"]
    assert shown["seats_declared"] == 40
    (binding,) = summary["bindings"]
    assert binding["binding"]["value"] == "service level"


# docs/planning.md's worked example with an ACD to carry both channels: chat goes live in
# 2027-07 (CXB0608 says so), the migration's month of work is 2027-07 and its volume moves
# from 2027-08: a `by` month up to 2027-07 is late.
MOVE = """\
blueprint "Move" { currency USD; start 2027-01; horizon 1 year; interval 60 min }
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
staffing { loaded_cost 30 USD/h; paid_hours 40 h/week }
channel voice { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s; shrinkage 30% }
channel chat { kind chat; hours mon..fri 08:00-18:00; target 80% within 60 s; shrinkage 30% }
component acd { kind acd; supports voice, chat }
process ask {
  service s; volume 12_000/year; mix { voice 80%; chat 20% }; aht { voice 5 min; chat 8 min }
  migrate voice to chat 25% by BY
}
site hq { seats 40; channels voice, chat }
phase digital { includes chat; start 2027-03; pilot chat 20% for 2 months }
"""


@pytest.mark.parametrize(("by", "late"), [("2027-04", True), ("2027-07", True), ("2027-08", False)])
def test_a_migration_due_before_the_plan_can_do_it(by: str, late: bool) -> None:
    compiled = compile(MOVE.replace("BY", by))
    assert compiled.outcome is not None
    warned = any(d.code.id == "CXB0608" for d in compiled.diagnostics)
    files = _files(compiled)
    _check_links(files)
    _check_findings(files)
    found = [f for f in files[SUMMARY]["view"]["findings"] if f["kind"] == "aggressive migration"]
    assert bool(found) is late is warned
    if late:
        (finding,) = found
        assert finding["figure"]["value"][:7] == "2027-07" and finding["against"]["value"] == by
        assert finding["subject"] == {"kind": "process", "name": "ask"}
        text = files["md/00-executive-summary.md"]
        assert f"the move from voice to chat is due by {by}, the plan starts it in 2027-07" in text
