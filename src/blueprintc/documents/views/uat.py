"""Document 8, the user acceptance test plan: test cases from requirements, flows, targets.

Three tracks, each test case with a stable identifier derived from declared names:

* ``TC-REQ-<REQUIREMENT>``: one per requirement, expecting its acceptance condition;
* ``TC-FLOW-<PROCESS>-<CHANNEL>``: one per contact flow (a process, or an outbound
  contact, on a channel that receives a volume), end to end through the channel;
* ``TC-TARGET-<CHANNEL>``: one per sized inbound queue with a service target, a load test
  at the busiest interval of the horizon with the agents the sizing puts there.

Volumes are the workload's (``sizing.workload``), agents and achieved service levels the
sizing's (``sizing.queues``), so the plan tests exactly the design that was costed.
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np
from numpy.typing import NDArray

from blueprintc.documents.context import Context, Where
from blueprintc.documents.views.rfp import identifier, requirement_id, requirements_of
from blueprintc.model import elements as m
from blueprintc.outcome import DAY_NAMES, QueueMonths


@attrs.frozen
class RequirementCase:
    id: str
    requirement: str  # its identifier
    title: str  # the requirement's text
    priority: str
    mandatory: bool
    preconditions: tuple[str, ...]
    steps: tuple[str, ...]
    expected: str
    acceptance_given: bool  # False: the blueprint gives no acceptance condition
    where: Where | None


@attrs.frozen
class FlowCase:
    """A contact flow tested end to end: ``contacts_first_year`` reach the channel in its
    first twelve months in operation (after self-service containment on an assisted
    channel; call attempts for outbound)."""

    id: str
    process: str
    channel: str
    service: str
    handling: str  # "assisted", "self-service" or "outbound"
    contacts_first_year: float
    automation: Fraction  # share of the flow contained by self-service on the channel
    handle_seconds: Fraction | None  # designed handle time (aht + acw) on an assisted channel
    go_live: str
    proves: tuple[str, ...]
    preconditions: tuple[str, ...]
    steps: tuple[str, ...]
    where: Where | None


@attrs.frozen
class TargetCase:
    """A load test of one queue at the busiest interval of the horizon."""

    id: str
    queue: str
    mode: str
    month: str
    day: str
    time: str  # start of the interval, HH:MM
    interval_minutes: int
    contacts: float  # offered in that interval
    agents: int  # logged in, as sized
    target_level: float
    target_seconds: float
    definition: str
    max_abandon: float | None
    max_asa: float | None
    service_level: float  # what the sizing predicts with those agents
    proves: tuple[str, ...]
    where: Where | None


@attrs.frozen
class Coverage:
    requirements: int
    without_acceptance: tuple[str, ...]  # requirement identifiers
    flows: int
    targets: int


@attrs.frozen
class UatView:
    requirements: tuple[RequirementCase, ...]
    flows: tuple[FlowCase, ...]
    targets: tuple[TargetCase, ...]
    coverage: Coverage


def build(ctx: Context) -> UatView:
    requirements = tuple(_requirement_case(ctx, r) for r in _requirements(ctx))
    flows = _flows(ctx)
    targets = tuple(t for q in ctx.outcome.queues if (t := _target_case(ctx, q)) is not None)
    coverage = Coverage(
        len(requirements),
        tuple(c.requirement for c in requirements if not c.acceptance_given),
        len(flows),
        len(targets),
    )
    return UatView(requirements, flows, targets, coverage)


def _requirements(ctx: Context) -> tuple[m.Requirement, ...]:
    """The requirements in the RFP's order (category, priority, declaration)."""

    def ordered() -> tuple[m.Requirement, ...]:
        by_name = {r.name: r for r in ctx.of(m.Requirement)}
        return tuple(by_name[r.name] for r in requirements_of(ctx))

    return ctx.memo("uat.requirements", ordered)


def proving(ctx: Context, *refs: m.Ref) -> tuple[str, ...]:
    """Identifiers of the requirements that trace any of ``refs`` (RFP order)."""
    tracing = ctx.memo("uat.tracing", lambda: _tracing(ctx))
    ids = ctx.memo("uat.ids", lambda: [requirement_id(r.name) for r in _requirements(ctx)])
    lists = [found for ref in refs if (found := tracing.get(ref))]
    if len(lists) > 1:
        lists = [sorted(set().union(*lists))]
    return tuple(ids[index] for index in lists[0]) if lists else ()


def _tracing(ctx: Context) -> dict[m.Ref, list[int]]:
    """For each element a requirement traces, the requirements' places in RFP order, each
    once (one pass, rather than one over every requirement per test case)."""
    tracing: dict[m.Ref, list[int]] = {}
    for index, requirement in enumerate(_requirements(ctx)):
        for ref in set(requirement.traces):
            tracing.setdefault(ref, []).append(index)
    return tracing


# -- requirement cases --------------------------------------------------------------------


def _requirement_case(ctx: Context, requirement: m.Requirement) -> RequirementCase:
    ready = []
    for ref in requirement.traces:
        element = ctx.model.get(ref)
        if isinstance(element, (m.Component, m.Channel)):
            ready.append(
                f"{ref.kind} {ref.name} is live (from {ctx.month(ctx.outcome.go_live(ref))})"
            )
        elif element is not None:
            ready.append(f"{ref.kind} {ref.name} is configured as designed")
    rid = requirement_id(requirement.name)
    steps = (
        f"Set up the scenario the requirement describes: {requirement.text}",
        "Carry out the check of the acceptance condition with the vendor and the business owner",
        f"Record the evidence (configuration, logs, screenshots, contract clause) against {rid}",
    )
    expected = requirement.acceptance or (
        f"The business owner confirms that the requirement is met: {requirement.text}"
    )
    return RequirementCase(
        identifier("TC", rid),
        rid,
        requirement.text,
        requirement.priority,
        requirement.mandatory,
        tuple(ready) or ("the release under test is installed",),
        steps,
        expected,
        requirement.acceptance is not None,
        ctx.where(requirement, "acceptance"),
    )


# -- flow cases ---------------------------------------------------------------------------


def _first_year(values: NDArray[np.float64], months: int) -> float:
    """Contacts in the first twelve months the flow runs (from its channel's launch)."""
    values = np.asarray(values, dtype=np.float64)[:months]
    running = np.flatnonzero(values > 0)
    first = int(running[0]) if running.size else 0
    return float(values[first : first + 12].sum())


def _flows(ctx: Context) -> tuple[FlowCase, ...]:
    months = len(ctx.outcome.months)
    result: list[FlowCase] = []
    for process in ctx.of(m.Process):
        for flow in ctx.outcome.flows_of(process.ref):
            ref = flow.channel
            channel = ctx.model.get(ref)
            if not isinstance(channel, m.Channel):
                continue
            automation = process.automation.get(ref, Fraction(0)) if channel.assisted else None
            year = _first_year(flow.contacts, months)
            if year <= 0:
                continue
            handle = None
            if channel.assisted and ref in process.aht:
                handle = process.aht[ref] + process.acw.get(ref, Fraction(0))
            handling = "assisted" if channel.assisted else "self-service"
            result.append(
                FlowCase(
                    identifier("TC-FLOW", process.name, channel.name),
                    process.name,
                    channel.name,
                    process.service.name,
                    handling,
                    year,
                    automation or Fraction(0),
                    handle,
                    ctx.month(ctx.outcome.go_live(ref)),
                    proving(ctx, process.ref, ref, process.service),
                    _flow_preconditions(channel, process.service.name),
                    _flow_steps(process.name, channel, bool(automation)),
                    ctx.where(process, "mix"),
                )
            )
    for outbound in ctx.of(m.Outbound):
        channel = ctx.model.get(outbound.channel)
        if not isinstance(channel, m.Channel):
            continue
        attempts = sum(
            _first_year(flow.offered, months) for flow in ctx.outcome.flows_of(outbound.ref)
        )
        if attempts <= 0:
            continue
        rate = outbound.contact_rate if outbound.contact_rate is not None else Fraction(1)
        result.append(
            FlowCase(
                identifier("TC-FLOW", outbound.name, channel.name),
                outbound.name,
                channel.name,
                outbound.service.name,
                "outbound",
                attempts,
                Fraction(0),
                outbound.aht,
                ctx.month(ctx.outcome.go_live(outbound.channel)),
                proving(ctx, outbound.ref, outbound.channel, outbound.service),
                (
                    f"channel {channel.name} is live, with outbound calling enabled",
                    f"a test customer record meets the trigger: {outbound.trigger}",
                ),
                (
                    "Raise the trigger event for the test customer",
                    f"Check that an attempt is queued on {channel.name} and an agent places it",
                    f"Answer the attempt (the design expects {_share(rate)} of attempts to "
                    "reach the customer) and complete the contact",
                    "Check that the attempt and its outcome are recorded",
                ),
                ctx.where(outbound, "trigger"),
            )
        )
    return tuple(result)


def _share(value: Fraction) -> str:
    return f"{float(value) * 100:g}%"


def _flow_preconditions(channel: m.Channel, service: str) -> tuple[str, ...]:
    return (
        f"channel {channel.name} is live and open",
        f"the {service} service's contact reasons, routing and content are configured",
        "a test customer with a known profile is available",
    )


def _flow_steps(process: str, channel: m.Channel, automated: bool) -> tuple[str, ...]:
    steps = [f"The test customer starts a {process} contact on {channel.name}"]
    if automated:
        steps.append("Complete the contact in self-service, without an agent")
        steps.append("Repeat, asking for an agent: check the hand-off keeps the context")
    if channel.assisted:
        steps.append("Check that the contact is routed to an agent skilled for it")
        steps.append("The agent handles the contact and completes the wrap-up")
    else:
        steps.append("Complete the contact in self-service, without an agent")
    steps.append("Check that the contact and its reason are recorded in the reports")
    return tuple(steps)


# -- target cases -------------------------------------------------------------------------


def _target_case(ctx: Context, queue: QueueMonths) -> TargetCase | None:
    spec = queue.spec
    if spec.mode == "outbound" or spec.target_level is None or spec.target_time is None:
        return None
    agents = queue.intervals.agents
    if agents.size == 0 or int(agents.max()) == 0:
        return None
    month = int(queue.peak_agents.argmax())
    day, slot = (int(v) for v in np.unravel_index(int(agents[month].argmax()), agents[month].shape))
    grid = ctx.outcome.grid
    assert grid is not None
    minutes = int(grid.interval) // 60
    start = slot * minutes
    channel = queue.channel
    field = "response" if spec.mode == "deferred" else "target"
    return TargetCase(
        identifier("TC-TARGET", channel.name),
        spec.name,
        spec.mode,
        ctx.month(month),
        DAY_NAMES[day],
        f"{start // 60:02d}:{start % 60:02d}",
        minutes,
        float(queue.intervals.contacts[month, day, slot]),
        int(agents[month, day, slot]),
        spec.target_level,
        spec.target_time,
        spec.definition,
        spec.max_abandon,
        spec.max_asa,
        float(queue.intervals.month(month).service_level[day, slot]),
        proving(ctx, channel.ref),
        ctx.where(channel, field),
    )
