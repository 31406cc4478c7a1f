"""Alignment: the rules that check each layer is justified by the one above.

``RULES`` is the ordered rule set, layer by layer, top-down; each rule is a function of a
:class:`~blueprintc.validate.findings.Context` that yields findings. :func:`validate` runs
them all and applies ``allow`` exceptions.
"""

from __future__ import annotations

import attrs

from blueprintc.diagnostics import Diagnostic
from blueprintc.validate import (
    assertions,
    baseline,
    brand,
    business,
    financial,
    operational,
    technology,
)
from blueprintc.validate.allows import apply_allows
from blueprintc.validate.findings import Context, Finding, Rule

RULES: tuple[Rule, ...] = (
    brand.unfulfilled_promise,
    brand.promise_target_not_met,
    business.service_without_promise,
    business.segment_shares,
    business.mix_not_100,
    business.channel_not_offered,
    business.drop_with_partnership,
    business.migrated_twice,
    business.no_automation,
    financial.budget_exceeded,
    financial.untraced_requirement,
    financial.phase_cycle,
    financial.included_twice,
    financial.piloted_twice,
    operational.channel_without_hours,
    operational.channel_without_target,
    operational.process_channel_closed,
    operational.implausible_shrinkage,
    operational.implausible_occupancy,
    operational.field_ignored_by_mode,
    baseline.repeated_line,
    baseline.channel_not_in_design,
    baseline.totals_differ,
    technology.channel_without_component,
    technology.unjustified_component,
    technology.requires_cycle,
    technology.dependency_in_later_phase,
    technology.missing_dependency,
    assertions.assertion_types,
)


@attrs.frozen
class AlignmentReport:
    """Every finding of the rules, silenced ones included (with the ``allow`` reason)."""

    findings: tuple[Finding, ...]

    @property
    def reported(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.silenced is None)

    @property
    def silenced(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.silenced is not None)

    def diagnostics(self) -> list[Diagnostic]:
        return [f.diagnostic() for f in self.reported]


def validate(ctx: Context) -> AlignmentReport:
    """Run every rule in order and apply the blueprint's ``allow`` exceptions."""
    findings = [finding for rule in RULES for finding in rule(ctx)]
    return AlignmentReport(tuple(apply_allows(ctx, findings)))


__all__ = ["RULES", "AlignmentReport", "Context", "Finding", "validate"]
