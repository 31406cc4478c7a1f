"""Document 8 (UAT plan): test cases per requirement, flow and service target, by hand."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import uat
from blueprintc.driver import Compilation
from blueprintc.sizing.size import Sizing
from tests.documents.conftest import render
from tests.documents.test_rfp import EMPTY, HOSTILE, SMALL, compiled, erlang_c_agents


@pytest.fixture(scope="module")
def small() -> Compilation:
    return compiled(SMALL)


@pytest.fixture(scope="module")
def view(small: Compilation) -> uat.UatView:
    return uat.build(Context.of_compilation(small))


def test_one_case_per_requirement_with_its_acceptance(view: uat.UatView) -> None:
    ids = [c.id for c in view.requirements]
    assert ids == ["TC-REQ-R-ONE", "TC-REQ-Z-FIRST", "TC-REQ-A-LATE", "TC-REQ-R-TWO"]
    one = view.requirements[0]
    assert one.expected == "Calls reach agents" and one.acceptance_given
    assert one.preconditions == ("component acd is live (from 2027-01)",)
    assert view.coverage.without_acceptance == ("REQ-Z-FIRST", "REQ-A-LATE", "REQ-R-TWO")


def test_flow_cases_by_hand(view: uat.UatView) -> None:
    flows = {f.id: f for f in view.flows}
    assert list(flows) == ["TC-FLOW-P1-VOICE", "TC-FLOW-P1-WEB"]
    voice, web = flows["TC-FLOW-P1-VOICE"], flows["TC-FLOW-P1-WEB"]
    yearly = 100 * 8760 / 168  # 100 contacts a week
    assert voice.contacts_first_year == pytest.approx(yearly * 0.6)
    assert web.contacts_first_year == pytest.approx(yearly * 0.4)
    assert voice.handle_seconds == F(240) and web.handle_seconds is None
    assert (voice.handling, web.handling) == ("assisted", "self-service")
    # r_one traces acd (not the flow); z_first traces voice, a_late web.
    assert voice.proves == ("REQ-Z-FIRST",) and web.proves == ("REQ-A-LATE",)


def test_flows_add_up_to_the_channel_workload(
    example_context: Context, example: Compilation
) -> None:
    """Each flow counts its first twelve months in operation: on a channel whose flows all
    start with the channel (its launch), they add up to the channel's workload over the
    twelve months from its first contact."""
    view = uat.build(example_context)
    sizing = _sizing(example)
    checked = set()
    for work in sizing.workload.channels:
        running = np.flatnonzero(work.monthly > 0)
        if not running.size:
            continue
        first = int(running[0])
        flows = [
            f
            for f in view.flows
            if f.channel == work.channel.name and (f.handling == "outbound") == work.outbound
        ]
        sources = [
            flow
            for flow in sizing.workload.flows
            if flow.channel == work.channel.ref and (flow.contacts > 0).any()
        ]
        if any(int(np.flatnonzero(flow.contacts > 0)[0]) != first for flow in sources):
            continue  # a flow that starts later (a migration) has a window of its own
        assert sum(f.contacts_first_year for f in flows) == pytest.approx(
            float(work.monthly[first : first + 12].sum())
        )
        checked.add(work.channel.name)
    assert {"voice", "chat", "email"} <= checked  # chat from its launch in 2028


def test_target_case_by_hand(view: uat.UatView) -> None:
    (target,) = view.targets
    agents = erlang_c_agents(8.0, 240.0, 0.8, 20.0)
    assert (target.id, target.day, target.time, target.month) == (
        "TC-TARGET-VOICE",
        "Mon",
        "09:00",
        "2027-01",
    )
    assert target.contacts == pytest.approx(60.0)  # the whole week's 60 calls
    assert target.agents == agents
    assert (target.target_level, target.target_seconds) == (0.8, 20.0)
    assert target.service_level >= 0.8
    assert target.proves == ("REQ-Z-FIRST",)


def test_markdown(small: Compilation) -> None:
    text = render(small, "uat-plan")
    assert "### TC-REQ-R-ONE" in text and "### TC-FLOW-P1-VOICE" in text
    assert "| TC-FLOW-P1-VOICE | p1 | voice | assisted | 3,129 | 4 min |" in text
    assert "at least 80% of contacts answered within 20 s" in text
    assert " \n" not in text


def test_empty_blueprint() -> None:
    empty = compiled(EMPTY)
    view = uat.build(Context.of_compilation(empty))
    assert view.requirements == view.flows == view.targets == ()
    text = render(empty, "uat-plan")
    for what in ("requirements", "contact flows", "queues with a service target"):
        assert f"_No {what} in this blueprint._" in text


def test_hostile_text_is_escaped() -> None:
    text = render(compiled(HOSTILE), "uat-plan")
    assert "\\<script\\>alert(1)\\</script\\> \\| cell" in text
    assert "<script>" not in text


def _sizing(compilation: Compilation) -> Sizing:
    """The compilation's own sizing: what the view's figures are checked against."""
    assert compilation.sizing is not None
    return compilation.sizing
