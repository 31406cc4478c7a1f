"""``allow CODE because "reason"``: silence an alignment warning for one element.

Only alignment warnings can be silenced; a silenced finding is not reported but stays in
the alignment report with its reason. An ``allow`` that silences nothing is reported, so
exceptions do not outlive the design that needed them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from blueprintc.diagnostics import CODES, Severity
from blueprintc.diagnostics import codes as C
from blueprintc.model import elements as m
from blueprintc.validate.findings import Context, Finding


def silenceable(code: str) -> bool:
    """Alignment rules of severity warning (``CXB05xx``)."""
    found = CODES.get(code)
    return (
        found is not None
        and code.startswith("CXB05")
        and found.severity is Severity.WARNING
        and found not in (C.UNUSED_ALLOW,)
    )


def apply_allows(ctx: Context, findings: Iterable[Finding]) -> Iterator[Finding]:
    """The findings with ``silenced`` set where an ``allow`` covers them, then the findings
    about the ``allow`` lines themselves."""
    elements = {e.ref: e for e in [*ctx.model, *ctx.model.assertions]}
    used: set[tuple[m.Ref, str]] = set()
    for finding in findings:
        element = elements.get(finding.subject)
        allow = (
            next((a for a in element.allows if a.code == finding.code.id), None)
            if element
            else None
        )
        if allow is not None and silenceable(allow.code):
            used.add((finding.subject, allow.code))
            finding = Finding(
                finding.code,
                finding.subject,
                finding.message,
                finding.span,
                finding.labels,
                finding.help,
                allow,
            )
        yield finding
    for element in elements.values():
        if not element.library:
            yield from _check_allows(element, used)


def _check_allows(element: m.Element, used: set[tuple[m.Ref, str]]) -> Iterator[Finding]:
    for allow in element.allows:
        if not silenceable(allow.code):
            yield Finding(
                C.ALLOW_NOT_SILENCEABLE,
                element.ref,
                f"`{allow.code}` is not an alignment warning and cannot be silenced",
                allow.span,
            )
        elif not allow.reason.strip():
            yield Finding(
                C.ALLOW_WITHOUT_REASON, element.ref, "this `allow` gives no reason", allow.span
            )
        elif (element.ref, allow.code) not in used:
            yield Finding(
                C.UNUSED_ALLOW,
                element.ref,
                f"`{allow.code}` reports nothing for `{element.name}`; this `allow` is stale",
                allow.span,
            )
