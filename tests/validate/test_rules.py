"""Alignment rules: each rule's negative case (golden files hold the positive ones),
allow handling and the alignment report."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprintc.diagnostics import CODES
from blueprintc.driver import Compilation, compile
from blueprintc.validate import RULES
from blueprintc.validate.operational import IGNORED_BY_MODE

BASE = """\
blueprint "T" { currency USD; start 2027-01; horizon 3 years }
brand b { promise fast "A person answers within a minute" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers fast; segments all }
process p { service s; volume 1_000/month; mix { voice 100% }; aht { voice 5 min } }
channel voice { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s; shrinkage 35% }
component acd { supports voice }
staffing { loaded_cost 38 USD/h; paid_hours 37.5 h/week }
"""
CASES = Path(__file__).resolve().parent.parent / "cases" / "diagnostics"


def found(text: str) -> list[str]:
    result = compile(text)
    return [d.code.id for d in result.diagnostics]


def test_base_is_aligned() -> None:
    assert found(BASE) == []


@pytest.mark.parametrize(
    ("code", "edit", "addition"),
    [
        ("CXB0501", None, "service s2 { delivers fast; segments all }\n"),
        (
            "CXB0502",
            (
                'promise fast "A person answers within a minute"',
                'promise fast "x" { target voice 80% within 20 s }',
            ),
            "",
        ),
        (
            "CXB0502",
            (
                'promise fast "A person answers within a minute"',
                'promise fast "x" { target voice 75% within 30 s }',
            ),
            "",
        ),
        (
            "CXB0512",
            ("share 100%", "share 33.3%"),
            "segment b2 { share 33.3%; value low; strategy drop; intensity simple }\n"
            "segment b3 { share 33.4%; value low; strategy drop; intensity simple }\n",
        ),
        (
            "CXB0513",
            ("mix { voice 100% }", "mix { voice 33.3%; v2 33.3%; v3 33.4% }"),
            "channel v2 { kind voice; hours daily 00:00-24:00; target 80% within 20 s }\n"
            "channel v3 { kind voice; hours daily 00:00-24:00; target 80% within 20 s }\n"
            "component c2 { supports v2, v3 }\n",
        ),
        ("CXB0515", None, "segment x { share 0%; value low; strategy drop; intensity simple }\n"),
        ("CXB0516", ("volume 1_000/month", "volume 99_999/year"), ""),
        (
            "CXB0516",
            None,
            "process q { service s; volume 1.2M/year; mix { voice 50%; web 50% } }\n"
            "channel web { kind web; hours daily 00:00-24:00 }\n"
            "component portal { supports web }\n",
        ),
        (
            "CXB0521",
            (
                "component acd { supports voice }",
                "component acd { supports voice; implementation 100k USD }\n"
                "budget tech { amount 100k USD; covers acd }",
            ),
            "",
        ),
        ("CXB0534", ("shrinkage 35% }", "shrinkage 36% }"), ""),
        ("CXB0535", ("shrinkage 35% }", "shrinkage 35%; occupancy 85% }"), ""),
        ("CXB0542", None, "component wfm { supports voice; requires sbc }\ncomponent sbc { }\n"),
        (
            "CXB0620",
            None,
            "channel email { kind email; hours mon..fri 08:00-18:00; response 95% within 24 h; "
            "shrinkage 35%; occupancy 85%; minimum_agents 1; concurrency 1 }\n"
            "channel web { kind web; hours daily 00:00-24:00; concurrency 1; minimum_agents 0 }\n",
        ),
        ("CXB0620", ("shrinkage 35% }", "shrinkage 35%; patience 2 min; max_asa 30 s }"), ""),
        (
            "CXB0544",
            None,
            "component ivr { supports voice; requires acd }\n"
            "phase one { includes acd }\nphase two { includes ivr; after one }\n",
        ),
        (
            "CXB0544",
            None,
            "component ivr { supports voice; requires acd }\nphase one { includes acd, ivr }\n",
        ),
        ("CXB0551", None, "assert occupancy(voice) <= 85% and fte(total) * 2 <= 400\n"),
        ("CXB0552", None, "assert capex(year 3) <= 1M USD and maturity(operational) > 2\n"),
        (
            "CXB0552",
            ("component acd { supports voice }", "component acd { supports voice; model cloud }"),
            "assert tco(option cloud) <= npv(option cloud) + tco(total)\n",
        ),
    ],
)
def test_rule_does_not_fire_when_aligned(
    code: str, edit: tuple[str, str] | None, addition: str
) -> None:
    text = BASE if edit is None else BASE.replace(*edit)
    assert text != BASE or edit is None
    assert code not in found(text + addition)


def test_every_rule_code_has_a_golden_case() -> None:
    alignment = {code for code in CODES if code.startswith("CXB05")}
    covered = {p.name[:7].upper() for p in CASES.glob("cxb05*.cxb")}
    assert alignment <= covered


def test_rules_are_ordered_top_down_by_layer() -> None:
    modules = [rule.__module__.rsplit(".", 1)[-1] for rule in RULES]
    order = [
        "brand",
        "business",
        "financial",
        "operational",
        "baseline",
        "technology",
        "assertions",
    ]
    assert modules == sorted(modules, key=order.index)


def test_silenced_rule_stays_in_the_report() -> None:
    text = (
        BASE
        + 'service quiet {\n  segments all\n  allow CXB0511 because "Kept for the regulator"\n}\n'
    )
    result: Compilation = compile(text)
    assert result.ok and not result.diagnostics
    assert result.alignment is not None
    (finding,) = result.alignment.findings
    assert finding.code.id == "CXB0511" and finding.silenced is not None
    assert finding.silenced.reason == "Kept for the regulator"
    assert result.alignment.reported == ()


def test_allow_only_for_its_element() -> None:
    text = BASE + (
        'service quiet { segments all; allow CXB0511 because "ok" }\n'
        "service loud { segments all }\n"
    )
    result = compile(text)
    assert [(d.code.id, d.span.line if d.span else 0) for d in result.diagnostics] == [
        ("CXB0511", 10)
    ]


def test_inherited_allow_applies() -> None:
    text = BASE + (
        "use std/channels\n"
        'channel web extends std.web { hours daily 00:00-24:00; allow CXB0541 because "pilot" }\n'
    )
    assert found(text) == []


def test_allow_inside_a_promise_block() -> None:
    text = BASE + 'brand extra { promise calm "x" { allow CXB0501 because "new brand, 2028" } }\n'
    assert found(text) == []


def test_promise_target_on_a_deferred_channel_uses_its_response() -> None:
    text = BASE.replace(
        'promise fast "A person answers within a minute"',
        'promise fast "x" { target email 95% within 24 h }',
    ) + (
        "channel email { kind email; hours mon..fri 08:00-18:00; response 95% within 24 h }\n"
        "component mail { supports email }\n"
    )
    assert "CXB0502" not in found(text)


def test_allow_is_not_a_field_of_option_blocks() -> None:
    text = BASE.replace(
        "component acd { supports voice }",
        'component acd { supports voice; option onprem { allow CXB0542 because "x" } }',
    )
    assert found(text) == ["CXB0402"]


FIELD_VALUES = {
    "target": "80% within 20 s",
    "response": "95% within 24 h",
    "max_asa": "30 s",
    "max_abandon": "5%",
    "patience": "120 s",
    "shrinkage": "35%",
    "occupancy": "85%",
    "concurrency": "2",
    "minimum_agents": "2",
}


@pytest.mark.parametrize(
    ("mode", "field"),
    [(mode, field) for mode, fields in IGNORED_BY_MODE.items() for field in fields],
)
def test_field_ignored_by_mode_names_the_field_and_the_mode(mode: str, field: str) -> None:
    value = FIELD_VALUES[field]
    line = f"channel other {{ mode {mode}; hours mon..fri 08:00-18:00; {field} {value} }}\n"
    result = compile(BASE + line)
    messages = [d.message for d in result.diagnostics if d.code.id == "CXB0620"]
    assert len(messages) == 1, [d.message for d in result.diagnostics]
    assert messages[0].startswith(f"`{field}` has no effect on `other` (mode `{mode}`)")


def test_field_ignored_by_mode_points_at_the_template() -> None:
    text = BASE + (
        "channel email extends voice { kind email; mode deferred; response 95% within 24 h }\n"
    )
    result = compile(text)
    (finding,) = [d for d in result.diagnostics if d.code.id == "CXB0620"]
    assert finding.message.startswith("`target` has no effect on `email` (mode `deferred`)")
    assert finding.span is not None and finding.span.line == 9  # the email line, at `mode`
    (label,) = finding.labels
    assert label.span is not None and label.span.line == 6  # voice's `target`
    assert label.message == "`target` inherited from voice"
