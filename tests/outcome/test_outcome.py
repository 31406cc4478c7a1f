"""The outcome: one typed result of sizing and planning that every view reads.

Figures are checked against hand-worked values (flat volumes: a month's contacts are the
yearly volume / 12) or recomputed a second way from the interval detail, never against
the outcome's own output.
"""

from __future__ import annotations

import tomllib
from fractions import Fraction
from pathlib import Path

import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import rfp, technology
from blueprintc.driver import Compilation, compile
from blueprintc.outcome import Outcome, QueueId, Unit
from blueprintc.solve.finance import CostKind, LineId, OwnerKind

ROOT = Path(__file__).resolve().parents[2]
# Voice carries 1,000 contacts a month until chat launches in month 7 (2027-08) and takes
# 40% of them; the ACD, priced per seat, goes live later (phase `tools` starts 2027-10).
# Voice's busiest months are therefore before the ACD's go-live.
BLUEPRINT = """\
blueprint "T" { currency USD; start 2027-01; horizon 1 year; interval 60 min }
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
staffing { loaded_cost 30 USD/h; paid_hours 40 h/week }
channel voice { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s; shrinkage 30% }
channel chat { kind chat; hours mon..fri 08:00-18:00; target 80% within 60 s; shrinkage 30% }
process ask { service s; volume 120_000/year; mix { voice 60%; chat 40% };
  aht { voice 5 min; chat 6 min } }
component acd { kind acd; supports voice; licence 500 USD/seat }
phase digital { includes chat; start 2027-07 }
phase tools { includes acd; start 2027-10 }
"""


@pytest.fixture(scope="module")
def compiled() -> Compilation:
    result = compile(BLUEPRINT)
    assert result.ok, [d.message for d in result.diagnostics if d.is_error]
    assert result.outcome is not None
    return result


def _outcome(result: Compilation) -> Outcome:
    assert result.outcome is not None
    return result.outcome


def test_contacts_and_workload_by_hand(compiled: Compilation) -> None:
    voice = _outcome(compiled).queue("voice")
    assert voice is not None and voice.id == QueueId("voice") and voice.label == "voice"
    # 10,000 contacts a month; voice keeps all of them until chat's launch in month 7.
    assert voice.contacts.round(6).tolist() == [10_000.0] * 7 + [6_000.0] * 5
    # Workload: contacts x 5 minutes = 833.33 hours, then 500 hours.
    assert voice.workload_hours[0] == pytest.approx(10_000 * 5 / 60)
    assert voice.workload_hours[11] == pytest.approx(6_000 * 5 / 60)
    # Inbound contacts of the (only) project year: 120,000, all channels.
    assert _outcome(compiled).key.contacts_per_year == pytest.approx((120_000.0,))


def test_fte_is_scheduled_hours_over_productive_paid_hours(compiled: Compilation) -> None:
    outcome = _outcome(compiled)
    for queue in outcome.queues:
        # Second method: the representative week's agent-intervals (1 h each) over the
        # productive hours of one full-time agent, 40 h x (1 - 30%) = 28 h.
        agents = queue.sizing.intervals.agents.reshape(12, -1).sum(axis=1)
        assert queue.fte == pytest.approx(agents / 28.0)
        assert queue.fte_peak == pytest.approx(float((agents / 28.0).max()))
        center = outcome.key.peak_month
        assert queue.fte_at_center_peak == pytest.approx(float(agents[center] / 28.0))


def test_licences_count_from_go_live_everywhere(compiled: Compilation) -> None:
    outcome = _outcome(compiled)
    acd = outcome.licence("acd", Unit.SEAT)
    assert acd is not None
    assert acd.live >= 9  # phase `tools` starts in month 9
    voice = outcome.queue("voice")
    assert voice is not None
    # Second method: voice's agents at each month's busiest interval, from the intervals.
    busiest = voice.sizing.intervals.agents.reshape(12, -1).max(axis=1)
    assert acd.months == tuple(
        Fraction(int(v)) if t >= acd.live else 0 for t, v in enumerate(busiest)
    )
    assert acd.bought == int(busiest[acd.live :].max())
    # The peak month of the horizon precedes the go-live: counting it would buy more.
    assert int(busiest.max()) > acd.bought
    # The cost line, the RFP and the technology design count the same seats.
    line = outcome.statement.line(LineId(OwnerKind.COMPONENT, "acd", CostKind.LICENCES))
    assert line is not None and line.total == 500 * acd.bought
    ctx = Context.of_compilation(compiled)
    (quote,) = (x for x in rfp.licences(ctx) if x.component == "acd")
    assert (quote.basis, quote.quantity) == ("concurrent seat", acd.bought)
    rows = [r for r in technology.build(ctx).licences if r.component == "acd"]
    assert [r.count for r in rows] == [acd.bought]
    assert rows[0].total == line.total


def test_key_figures_are_the_statement_and_the_sizing(compiled: Compilation) -> None:
    outcome = _outcome(compiled)
    key, statement, sizing = outcome.key, outcome.statement, compiled.sizing
    assert sizing is not None
    assert key.capex + key.opex == key.tco == statement.total.total
    assert key.cost_per_contact == statement.opex.total / 120_000
    total = sizing.agent_fte + sizing.support_total
    assert key.peak_fte == pytest.approx(float(total.max()))
    assert key.peak_agents == int(sizing.peak_concurrent.max())


def test_documents_read_the_compilations_outcome(compiled: Compilation) -> None:
    ctx = Context.of_compilation(compiled)
    assert ctx.outcome is compiled.outcome


def test_the_import_contract_keeps_views_off_sizing_and_planning() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    assert layers.index("blueprintc.driver") < layers.index("blueprintc.outcome")
    assert layers.index("blueprintc.outcome") < layers.index("blueprintc.planning")
    forbidden = next(c for c in contracts if c["type"] == "forbidden")
    assert {
        "blueprintc.documents",
        "blueprintc.render",
        "blueprintc.semdiff",
        "blueprintc.lsp",
    } <= set(forbidden["source_modules"])
    assert set(forbidden["forbidden_modules"]) == {"blueprintc.sizing", "blueprintc.planning"}
    # Every reader moved: no pending exception is left (issue #11 item 4, step 3).
    assert not forbidden.get("ignore_imports")
    # The RFP and the technology design count licences only through the outcome.
    for module in ("rfp", "technology"):
        text = (ROOT / "src/blueprintc/documents/views" / f"{module}.py").read_text()
        assert "blueprintc.planning" not in text
        assert not any(
            i.startswith(f"blueprintc.documents.views.{module} ->") and "planning" in i
            for i in forbidden.get("ignore_imports", [])
        )
    # Nothing outside the contract's own list of pending moves imports them directly.
    sources = ROOT / "src/blueprintc"
    allowed = {tuple(i.split(" -> ")) for i in forbidden.get("ignore_imports", [])}
    for package in ("documents", "render", "lsp"):
        for path in (sources / package).rglob("*.py"):
            module = "blueprintc." + ".".join(path.relative_to(sources).with_suffix("").parts)
            for line in path.read_text(encoding="utf-8").splitlines():
                words = line.split()
                if (
                    len(words) > 1
                    and words[0] == "from"
                    and words[1].startswith(("blueprintc.sizing", "blueprintc.planning"))
                ):
                    assert (module, words[1]) in allowed, f"{module} imports {words[1]}"


def test_each_queue_knows_what_sets_its_busiest_interval() -> None:
    """The example's queues: the binding limit found at the busiest interval of the horizon,
    with that interval's agents (the queue's peak agents)."""
    from blueprintc.outcome import Binding

    outcome = compile(Path(__file__).parents[2] / "examples" / "northwind_bank.cxb").outcome
    assert outcome is not None
    found = {q.name: q.binding for q in outcome.queues}
    for queue in outcome.queues:
        bound = found[queue.name]
        assert bound is not None
        assert bound.agents == int(queue.peak_agents.max())
        assert queue.peak_agents[bound.month] == bound.agents
    assert found["voice (outbound)"].binding is Binding.WORKLOAD  # type: ignore[union-attr]
    assert found["branch"].binding is Binding.SERVICE_LEVEL  # type: ignore[union-attr]
