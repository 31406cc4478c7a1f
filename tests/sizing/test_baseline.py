"""Today's operation (`baseline`) sized with the design's engines: hand-worked cases.

Every expected figure is computed in the test: Erlang C for one queue at a flat arrival
rate, volume-weighted handle times and growth, monthly compounding. The design's sizing
of the same queue is the second method where a hand calculation would be long (e-mail).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from blueprintc.diagnostics import Diagnostic, DiagnosticSink
from blueprintc.driver import Compilation, compile
from blueprintc.sizing.baseline import BaselineCenter, Provenance, size_baseline

ROOT = Path(__file__).resolve().parents[2]

# One queue open around the clock on 60-minute intervals, with no patterns: a year's
# 876,000 calls are 876,000 / 8,760 = 100 calls in every hour of every day.
DESIGN = """\
blueprint "T" {{ currency USD; start 2027-01; horizon {months} months; interval 60 min }}
brand b {{ promise fast "A person answers" }}
segment all {{ share 100%; value high; strategy retain; intensity simple }}
service s {{ delivers fast; segments all }}
channel phone {{ kind voice; hours daily 00:00-24:00; shrinkage 30%; target 80% within 20 s }}
channel web {{ kind web; hours daily 00:00-24:00 }}
component acd {{ supports phone }}
staffing {{ loaded_cost 30 USD/h; paid_hours 40 h/week; span supervisor 12 }}
"""
ONE_PROCESS = "process p { service s; volume 876k/year; mix { phone 100% }; aht { phone 3 min } }\n"


def erlang_c_service_level(traffic: float, agents: int, aht: float, within: float) -> float:
    """1 - P(wait) e^(-(N - A) t / AHT), with P(wait) by the Erlang C formula."""
    if agents <= traffic:
        return 0.0
    below = sum(traffic**k / math.factorial(k) for k in range(agents))
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    waits = top / (below + top)
    return 1.0 - waits * math.exp(-(agents - traffic) * within / aht)


def smallest_agents(traffic: float, aht: float, level: float, within: float) -> int:
    agents = math.floor(traffic) + 1
    while erlang_c_service_level(traffic, agents, aht, within) < level:
        agents += 1
    return agents


def sized(
    project: Callable[..., Compilation], text: str, months: int = 12
) -> tuple[BaselineCenter, list[Diagnostic]]:
    result = project(DESIGN.format(months=months) + text, header=False, until="size")
    assert result.model is not None and result.sizing is not None, result.diagnostics
    sink = DiagnosticSink()
    center = size_baseline(result.model, result.sizing, sink)
    assert center is not None
    return center, list(sink.sorted())


def test_one_queue_by_erlang_c(project: Callable[..., Compilation]) -> None:
    center, found = sized(
        project,
        ONE_PROCESS + "baseline { volume phone 876k/year; aht phone 3 min; "
        "service_level phone 80% within 20 s }\n",
    )
    assert found == []
    (queue,) = center.queues
    # 100 calls an hour of 180 s are 5 Erlangs; 80% within 20 s needs N agents:
    n = smallest_agents(5.0, 180.0, 0.80, 20.0)
    assert n == 8
    assert erlang_c_service_level(5.0, 7, 180, 20) < 0.80 <= erlang_c_service_level(5, 8, 180, 20)
    assert queue.intervals is not None and queue.monthly is not None
    assert np.all(queue.intervals.agents == n)
    assert np.all(queue.agents.values == n)  # the busiest interval of each month
    # FTE: N agents x 168 h a week / (40 paid hours x (1 - 30% shrinkage)) = 6 N.
    assert np.allclose(queue.fte_derived.values, n * 168 / (40 * 0.7))
    assert queue.fte_derived.values[0] == pytest.approx(48.0, abs=1e-12)
    assert np.allclose(queue.contacts.values, 876_000 / 12)
    assert np.all(queue.handle_time.values == 180)
    # Provenance: volume and handle time stated, staff derived from the service level.
    assert queue.contacts.provenance is Provenance.STATED
    assert queue.contacts.span is not None
    assert queue.contacts.span.text == "volume phone 876k/year"
    assert queue.handle_time.provenance is Provenance.STATED
    assert queue.fte_derived.provenance is Provenance.DERIVED
    assert queue.fte_stated.provenance is Provenance.NOT_KNOWN
    assert queue.fte is queue.fte_derived
    assert center.fte.provenance is Provenance.DERIVED
    # The design's target does not matter: its spec holds today's service level.
    assert queue.spec is not None and (queue.spec.target_level, queue.spec.target_time) == (
        0.8,
        20.0,
    )
    # Support staff: ceil(48 / 12) supervisors.
    assert np.all(center.support["supervisor"] == 4)


def test_the_design_engine_sizes_the_same_queue_the_same_way(
    project: Callable[..., Compilation],
) -> None:
    """A baseline that describes the design's own e-mail queue (same volume, handle time
    and response target) is sized exactly like the design sizes it."""
    text = (
        "channel mail { kind email; hours mon..fri 08:00-18:00; response 90% within 24 h;"
        " shrinkage 30% }\ncomponent inbox { supports mail }\n"
        "process q { service s; volume 60k/year; mix { mail 100% }; aht { mail 6 min } }\n"
        "baseline { volume mail 60k/year; aht mail 6 min; service_level mail 90% within 24 h }\n"
    )
    result = project(DESIGN.format(months=12) + text, header=False, until="size")
    assert result.sizing is not None and result.model is not None
    center = size_baseline(result.model, result.sizing, DiagnosticSink())
    assert center is not None
    design = result.sizing.queue("mail")
    queue = center.queue("mail")
    assert design is not None and queue is not None and queue.intervals is not None
    assert queue.spec is not None and queue.spec.mode == "deferred"
    assert np.array_equal(queue.intervals.agents, design.intervals.agents)
    assert np.allclose(queue.fte_derived.values, design.monthly.fte)


def test_handle_time_derived_from_the_design(project: Callable[..., Compilation]) -> None:
    center, _ = sized(
        project,
        "process p1 { service s; volume 600k/year; mix { phone 100% }; aht { phone 3 min };"
        " acw { phone 1 min } }\n"
        "process p2 { service s; volume 276k/year; mix { phone 100% }; aht { phone 5 min } }\n"
        "baseline { volume phone 876k/year; service_level phone 80% within 20 s }\n",
    )
    (queue,) = center.queues
    # Weighted by the processes' contacts: (600k x 240 s + 276k x 300 s) / 876k.
    expected = (600_000 * 240 + 276_000 * 300) / 876_000
    assert queue.handle_time.values == pytest.approx(np.full(12, expected))
    assert queue.handle_time.provenance is Provenance.DERIVED
    assert queue.handle_time.note == "derived from the design"
    assert queue.fte_derived.provenance is Provenance.DERIVED


def test_acw_adds_to_the_stated_handle_time(project: Callable[..., Compilation]) -> None:
    center, _ = sized(
        project,
        ONE_PROCESS + "baseline { volume phone 876k/year; aht phone 2.5 min; acw phone 30 s }\n",
    )
    assert np.all(center.queues[0].handle_time.values == 180)


def test_growth_stated_and_derived(project: Callable[..., Compilation]) -> None:
    processes = (
        "process p1 { service s; volume 600k/year; growth 4%/year; mix { phone 100% };"
        " aht { phone 3 min } }\n"
        "process p2 { service s; volume 276k/year; growth 10%/year; mix { phone 100% };"
        " aht { phone 3 min } }\n"
    )
    stated, _ = sized(
        project, processes + "baseline { volume phone 876k/year; growth 10%/year }\n", 24
    )
    (queue,) = stated.queues
    assert queue.growth_provenance is Provenance.STATED
    # Compounded monthly: a twelfth of the year's volume x 1.1 ^ (t / 12).
    assert queue.contacts.values[0] == pytest.approx(73_000)
    assert queue.contacts.values[6] == pytest.approx(73_000 * 1.1**0.5)
    assert queue.contacts.values[12] == pytest.approx(80_300)
    derived, _ = sized(project, processes + "baseline { volume phone 876k/year }\n", 24)
    (queue,) = derived.queues
    growth = (600_000 * 0.04 + 276_000 * 0.10) / 876_000
    assert queue.growth_provenance is Provenance.DERIVED
    assert queue.growth == pytest.approx(growth)
    assert queue.contacts.values[12] == pytest.approx(73_000 * (1 + growth))
    assert derived.volume_index[12] == pytest.approx(1 + growth)


def test_seasonality_follows_the_design(project: Callable[..., Compilation]) -> None:
    center, _ = sized(
        project,
        "pattern peak { monthly jan 2, feb 1, mar 1, apr 1, may 1, jun 1, jul 1, aug 1,"
        " sep 1, oct 1, nov 1, dec 1 }\n"
        "process p { service s; volume 876k/year; mix { phone 100% }; aht { phone 3 min };"
        " seasonality peak }\nbaseline { volume phone 876k/year }\n",
    )
    # Weights over their mean (13 / 12): January 2 x 12 / 13, the other months 12 / 13.
    values = center.queues[0].contacts.values
    assert values[0] == pytest.approx(73_000 * 24 / 13)
    assert values[1] == pytest.approx(73_000 * 12 / 13)
    assert values.sum() == pytest.approx(876_000)


def test_stated_staff_is_taken_as_it_is(project: Callable[..., Compilation]) -> None:
    center, found = sized(
        project,
        ONE_PROCESS + "baseline { volume phone 876k/year; fte phone 50; growth 12%/year }\n",
        24,
    )
    (queue,) = center.queues
    assert found == []
    assert queue.fte.provenance is Provenance.STATED
    assert queue.fte.span is not None and queue.fte.span.text == "fte phone 50"
    assert queue.fte.values[0] == 50 and queue.fte.values[12] == pytest.approx(56.0)
    assert queue.fte_derived.provenance is Provenance.NOT_KNOWN
    assert "no service level" in queue.fte_derived.note
    assert queue.agents.provenance is Provenance.NOT_KNOWN
    assert center.fte.provenance is Provenance.STATED


def test_agents_are_taken_as_full_time(project: Callable[..., Compilation]) -> None:
    center, _ = sized(project, ONE_PROCESS + "baseline { volume phone 876k/year; agents 45 }\n")
    assert center.fte_total_stated.provenance is Provenance.STATED
    assert center.fte_total_stated.note == "agents taken as full-time"
    assert np.all(center.fte.values == 45)
    assert np.all(center.support["supervisor"] == 4)  # ceil(45 / 12)


def test_nothing_known_is_said(project: Callable[..., Compilation]) -> None:
    center, found = sized(project, ONE_PROCESS + "baseline { volume phone 876k/year }\n")
    (queue,) = center.queues
    assert queue.fte.provenance is Provenance.NOT_KNOWN
    assert center.fte.provenance is Provenance.NOT_KNOWN
    assert center.notes == ("`phone`: the baseline gives no service level",)
    assert [(d.code.id, d.span.text if d.span else "") for d in found] == [
        ("CXB0613", "volume phone 876k/year")
    ]
    # A stated cost, or a stated total, covers today's cost: nothing to warn about.
    _, found = sized(
        project, ONE_PROCESS + "baseline { volume phone 876k/year; cost 5M USD/year }\n"
    )
    assert found == []


def test_self_service_channels_have_no_agents(project: Callable[..., Compilation]) -> None:
    center, found = sized(
        project,
        "process p { service s; volume 876k/year; mix { phone 50%; web 50% };"
        " aht { phone 3 min }; automation { web 100% } }\n"
        "baseline { volume phone 438k/year; volume web 438k/year; agents 30 }\n",
    )
    web = center.queue("web")
    assert web is not None and web.fte.provenance is Provenance.DERIVED
    assert np.all(web.fte.values == 0) and web.fte.note == "self-service: no agents"
    assert found == []


# -- the design against today ---------------------------------------------------------------


def test_volume_disagreement_explained_by_automation(project: Callable[..., Compilation]) -> None:
    process = (
        "process p { service s; volume 876k/year; mix { phone 50%; web 50% };"
        " aht { phone 3 min }; automation { web 100% } }\n"
    )
    # Design 876,000 a year, today 438,000: the 438,000 the web contains explain it all.
    center, found = sized(project, process + "baseline { volume phone 438k/year; agents 30 }\n")
    check = center.volumes
    assert check is not None
    assert (check.design, check.today) == (pytest.approx(876_000), 438_000)
    assert check.explained == pytest.approx(438_000)
    assert check.agrees and found == []
    # Today 300,000: 576,000 apart, 438,000 explained, 138,000 (46%) beyond 20%.
    center, found = sized(project, process + "baseline { volume phone 300k/year; agents 30 }\n")
    assert center.volumes is not None and center.volumes.unexplained == pytest.approx(138_000)
    ((code, message, line),) = [(d.code.id, d.message, d.span) for d in found]
    assert code == "CXB0610" and line is not None and line.text == "volume phone 300k/year"
    assert message == (
        "the design's processes bring 876,000 contacts in their first year, today's operation "
        "300,000 a year: 192% more, of which automation and migrations explain 438,000; the "
        "other 138,000 (46%) are beyond the 20% tolerance"
    )
    # A wider tolerance accepts it (138,000 is 46% of 300,000).
    _, found = sized(
        project, process + "baseline { volume phone 300k/year; agents 30; tolerance 50% }\n"
    )
    assert found == []


def test_volume_disagreement_explained_by_a_migration(project: Callable[..., Compilation]) -> None:
    # 20% of the calls move to the web at once (no phases, no month): 175,200 a year, which
    # the web then contains; counted once.
    process = (
        "process p { service s; volume 876k/year; mix { phone 100% }; aht { phone 3 min };"
        " migrate phone to web 20%; automation { web 100% } }\n"
    )
    center, found = sized(project, process + "baseline { volume phone 700.8k/year; agents 30 }\n")
    check = center.volumes
    assert check is not None
    assert check.explained == pytest.approx(175_200)
    assert check.agrees and found == []


def test_volume_disagreement_without_explanation(project: Callable[..., Compilation]) -> None:
    _, found = sized(project, ONE_PROCESS + "baseline { volume phone 2.6M/year; agents 300 }\n")
    ((code, message),) = [(d.code.id, d.message) for d in found]
    assert code == "CXB0610"
    assert message == (
        "the design's processes bring 876,000 contacts in their first year, today's operation "
        "2,600,000 a year: 66% fewer, beyond the 20% tolerance, and no automation or migration "
        "of the design explains it"
    )


def test_stated_staff_against_the_service_level(project: Callable[..., Compilation]) -> None:
    base = (
        "baseline { volume phone 876k/year; aht phone 3 min; service_level phone 80% within 20 s;"
    )
    _, found = sized(project, ONE_PROCESS + base + " agents phone 80 }\n")
    ((code, message, line),) = [(d.code.id, d.message, d.span) for d in found]
    assert code == "CXB0612" and line is not None and line.text == "agents phone 80"
    # 48 FTE (6 x 8 agents, above) against 80 stated: (80 - 48) / 80 = 40% fewer.
    assert message == (
        "the 48 FTE that meet 80% within 20 s on `phone` (first-year average) are 40% fewer "
        "than the stated 80 agents, beyond the 20% tolerance"
    )
    _, found = sized(project, ONE_PROCESS + base + " agents phone 55 }\n")  # 13% apart
    assert found == []
    _, found = sized(project, ONE_PROCESS + base + " fte 36 }\n")  # the total, 33% more
    assert [d.message for d in found] == [
        "the 48 FTE that meet 80% within 20 s on `phone` (first-year average) are 33% more "
        "than the stated 36 FTE, beyond the 20% tolerance"
    ]


def test_without_a_baseline_nothing_is_sized(project: Callable[..., Compilation]) -> None:
    result = project(DESIGN.format(months=12) + ONE_PROCESS, header=False, until="size")
    assert result.model is not None and result.sizing is not None
    assert size_baseline(result.model, result.sizing, DiagnosticSink()) is None


def test_the_bundled_example(project: Callable[..., Compilation]) -> None:
    result = compile(ROOT / "examples" / "northwind_bank.cxb")
    assert result.model is not None and result.sizing is not None
    sink = DiagnosticSink()
    center = size_baseline(result.model, result.sizing, sink)
    assert center is not None and list(sink.sorted()) == []
    voice = center.queue("voice")
    assert voice is not None and voice.fte_derived.provenance is Provenance.DERIVED
    assert center.volumes is not None and center.volumes.agrees
    baseline = result.model.baseline
    assert baseline is not None
    assert center.volumes.today == float(sum(baseline.volumes.values(), Fraction(0)) * 8760)


def test_a_second_industry() -> None:
    """The insurer's claims and policy center: today's three queues sized at today's
    service levels, with no finding (its baseline agrees with the design)."""
    result = compile(ROOT / "examples" / "harbor_insurance.cxb")
    assert result.ok and result.model is not None and result.sizing is not None
    sink = DiagnosticSink()
    center = size_baseline(result.model, result.sizing, sink)
    assert center is not None and list(sink.sorted()) == []
    assert [q.name for q in center.queues] == ["claims_line", "policy_line", "email"]
    claims = center.queue("claims_line")
    assert claims is not None
    assert claims.handle_time.provenance is Provenance.STATED
    assert np.all(claims.handle_time.values == 7 * 60 + 90)  # aht 7 min + acw 1.5 min
    # Today's volume grows like the design's processes on the line (both 2% a year) ...
    assert claims.growth_provenance is Provenance.DERIVED
    assert claims.growth == pytest.approx(0.02)
    # ... and swings with their winter storms: January weighs 1.35 / (mean of the year).
    weights = [1.35, 1.2, 1, 1, 1, 1, 1, 1, 1, 1, 1.15, 1.3]  # jan..dec
    mean = sum(weights) / 12
    january = 9  # the horizon starts in April
    expected = 336_000 / 12 * 1.02 ** (january / 12) * 1.35 / mean
    assert claims.contacts.values[january] == pytest.approx(expected)
    assert all(q.fte_derived.provenance is Provenance.DERIVED for q in center.queues)
    assert center.fte.provenance is Provenance.STATED  # `agents 58`
    assert center.volumes is not None and center.volumes.agrees
