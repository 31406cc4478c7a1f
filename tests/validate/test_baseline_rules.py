"""The baseline against the design, on the model alone: channels the design does not
carry (CXB0611), per-channel staff against the totals (CXB0614), lines given twice."""

from __future__ import annotations

from collections.abc import Callable

from blueprintc.driver import Compilation

DESIGN = """
use std/channels
brand b { promise fast "A person answers" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers fast; segments all }
process p { service s; volume 5_000/month; mix { voice 100% }; aht { voice 5 min } }
outbound o { service s; trigger "t"; channel calls; volume 100/month; aht 2 min }
channel voice extends std.voice { hours mon..fri 08:00-18:00 }
channel calls extends std.voice { hours mon..fri 08:00-18:00 }
channel post extends std.email { hours mon..fri 08:00-18:00 }
"""


def found(project: Callable[..., Compilation], baseline: str) -> list[tuple[str, str, str]]:
    result = project(DESIGN + baseline)
    return [
        (d.code.id, d.message, d.span.text if d.span else "")
        for d in result.diagnostics
        if d.code.id in ("CXB0404", "CXB0611", "CXB0614")
    ]


def test_a_channel_the_design_carries_nothing_on(project: Callable[..., Compilation]) -> None:
    assert found(project, "baseline { volume voice 60k/year; volume post 1k/year }") == [
        (
            "CXB0611",
            "today's operation runs `post`, but no process or proactive contact of the design "
            "uses it",
            "volume post 1k/year",
        )
    ]
    # A channel only proactive contacts use is in the design.
    assert found(project, "baseline { volume voice 60k/year; agents calls 2 }") == []
    # Staff on a channel the design does not carry counts too.
    assert [f[0] for f in found(project, "baseline { fte post 3 }")] == ["CXB0611"]


def test_a_template_no_channel_extends(project: Callable[..., Compilation]) -> None:
    ((code, message, where),) = found(project, "baseline { volume std.sms 5k/year }")
    assert (code, where) == ("CXB0611", "std.sms")
    assert message == "today's operation runs `std.sms`, but no channel of the blueprint extends it"


def test_staff_per_channel_against_the_total(project: Callable[..., Compilation]) -> None:
    assert found(project, "baseline { agents voice 20; agents calls 5; agents 24 }") == [
        (
            "CXB0614",
            "the agents given per channel add up to 25, more than the 24 given in total",
            "agents 24",
        )
    ]
    # Fewer than the total is fine while an assisted channel run today has no figure ...
    text = "baseline { volume voice 60k/year; volume post 1k/year; fte voice 20; fte 24 }"
    assert [f[0] for f in found(project, text)] == ["CXB0611"]
    # ... but not when every one has its own.
    text = "baseline { volume voice 60k/year; fte voice 20; fte 24.5 }"
    assert found(project, text) == [
        (
            "CXB0614",
            "the FTE given per channel add up to 20, but the total given is 24.5",
            "fte 24.5",
        )
    ]


def test_a_line_given_twice(project: Callable[..., Compilation]) -> None:
    text = "baseline { agents 3; agents 4; aht voice 5 min; aht voice 6 min }"
    assert [(c, m) for c, m, _ in found(project, text)] == [
        ("CXB0404", "the total `agents` is given twice in the baseline"),
        ("CXB0404", "`aht` of `voice` is given twice in the baseline"),
    ]
