"""The transition month by month, against figures worked out by hand in each test.

Each blueprint is small enough to follow on paper: a flat volume (no growth, no seasonality)
so every month's contacts are the yearly volume / 12, and phases whose dates fix when each
item of the plan is done (docs/planning.md, "The timeline").
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from blueprintc.diagnostics import codes as C
from blueprintc.driver import Compilation, compile
from blueprintc.model.elements import Ref

HEAD = """\
blueprint "T" { currency USD; start 2027-01; horizon 1 year; interval 60 min }
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
staffing { loaded_cost 30 USD/h; paid_hours 40 h/week }
"""
VOICE = (
    "channel voice { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s; "
    "shrinkage 30% }\n"
)
CHAT = (
    "channel chat { kind chat; hours mon..fri 08:00-18:00; target 80% within 60 s; "
    "shrinkage 30% }\n"
)


def _compiled(text: str) -> Compilation:
    result = compile(HEAD + text)
    assert result.ok, [str(d.message) for d in result.diagnostics if d.is_error]
    assert result.sizing is not None
    return result


def _monthly(result: Compilation, channel: str) -> list[float]:
    assert result.sizing is not None
    work = next(w for w in result.sizing.workload.channels if w.channel.name == channel)
    return [round(float(v), 6) for v in work.monthly]


def _line(result: Compilation, name: str) -> list[Fraction]:
    assert result.planning is not None
    return list(next(line for line in result.planning.statement.lines if line.name == name).months)


def test_a_channel_launched_in_month_7_carries_nothing_before() -> None:
    # Phase `digital` starts in 2027-07 (month 6); launching chat is a month of work, so chat
    # goes live in month 7 (2027-08). Before that, chat's 40% of the 1,000 contacts a month
    # stays on voice, the process's channel in operation.
    result = _compiled(
        VOICE + CHAT + "process ask { service s; volume 12_000/year; mix { voice 60%; chat 40% }; "
        "aht { voice 5 min; chat 6 min } }\n"
        "phase digital { includes chat; start 2027-07 }\n"
    )
    assert _monthly(result, "chat") == [0.0] * 7 + [400.0] * 5
    assert _monthly(result, "voice") == [1000.0] * 7 + [600.0] * 5
    assert result.sizing is not None
    chat = result.sizing.queue("chat")
    assert chat is not None
    assert (chat.monthly.fte[:7] == 0).all() and (chat.monthly.fte[7:] > 0).all()
    assert (chat.intervals.agents[:7] == 0).all()
    # No cost for chat's agents before its launch; from then, FTE × paid hours × 30 USD.
    cost = _line(result, "chat agents")
    assert cost[:7] == [0] * 7
    hours = Fraction(40) * Fraction(365, 84)  # paid hours a month
    expected = Fraction(float(chat.monthly.fte[7])) * hours * 30
    assert float(cost[7]) == pytest.approx(float(expected), abs=0.01)
    assert result.sizing.timeline.go_live(Ref("channel", "chat")) == 7


def test_a_migration_after_a_two_month_pilot_then_a_ramp() -> None:
    # chat: launched in month 2 (2027-03) with a month of work, then a two-month pilot to
    # 20% of customers (months 3 and 4), rolled out from month 5. The migration of 25% of
    # voice's 80% (20 points) is a month of work after the roll-out (months 5-6): it moves
    # volume from month 6, linearly to its `by` month 2027-12 (month 11): 0, 1/5 ... 5/5.
    result = _compiled(
        VOICE + CHAT + "process ask { service s; volume 12_000/year; mix { voice 80%; chat 20% }; "
        "aht { voice 5 min; chat 6 min }; migrate voice to chat 25% by 2027-12 }\n"
        "phase digital { includes chat; start 2027-03; pilot chat 20% for 2 months }\n"
    )
    chat_share = [0, 0, 0, 0.2 * 0.2, 0.2 * 0.2, 0.2, 0.2, 0.24, 0.28, 0.32, 0.36, 0.40]
    assert _monthly(result, "chat") == pytest.approx([1000 * s for s in chat_share])
    # During the pilot the 80% of chat's customers outside it call instead.
    assert _monthly(result, "voice") == pytest.approx([1000 * (1 - s) for s in chat_share])
    assert C.MIGRATION_BEFORE_LAUNCH not in {d.code for d in result.diagnostics}


def test_a_migration_due_before_its_channel_is_live_is_reported() -> None:
    result = _compiled(
        VOICE + CHAT + "process ask { service s; volume 12_000/year; mix { voice 100% }; "
        "aht { voice 5 min; chat 6 min }; migrate voice to chat 10% by 2027-03 }\n"
        "phase digital { includes chat; start 2027-06 }\n"
    )
    (warning,) = [d for d in result.diagnostics if d.code is C.MIGRATION_BEFORE_LAUNCH]
    assert warning.code is C.MIGRATION_BEFORE_LAUNCH
    assert "`chat` goes live in 2027-07" in warning.message
    assert "the plan does it in 2027-08" in warning.message
    # It moves from the month the plan does it, at once (the `by` month is past).
    assert _monthly(result, "chat") == pytest.approx([0.0] * 7 + [100.0] * 5)


def test_a_replaced_system_costs_until_one_month_after_its_replacement() -> None:
    # The ACD takes 2 months from 2027-01: live in month 2. With the default overlap of one
    # month the PBX is paid in months 0, 1 and 2, then never again.
    result = _compiled(
        VOICE + "process ask { service s; volume 12_000/year; mix { voice 100% }; "
        "aht { voice 5 min } }\n"
        "system pbx { fate replace; cost 1000 USD/month; supports voice }\n"
        "component acd { kind acd; supports voice; effort 2 months; replaces pbx; "
        "subscription 10 USD/seat/month }\n"
        "phase launch { includes acd; start 2027-01 }\n"
    )
    assert _line(result, "pbx (current)") == [1000] * 3 + [0] * 9
    subscription = _line(result, "acd subscription")
    assert subscription[:2] == [0, 0] and all(v > 0 for v in subscription[2:])


SITES = """\
process ask { service s; volume 1_200/year; mix { voice 100% }; aht { voice 5 min } }
channel voice { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s;
  shrinkage 30%; minimum_agents 30 }
"""


def test_a_new_site_opening_mid_horizon() -> None:
    # 100 calls a month need far fewer than 30 agents: `minimum_agents 30` holds, so 30
    # agents are logged in at every month's busiest interval (no support staff: no spans).
    # Until the annex opens in 2027-07 (month 6) the 30 sit at hq; from then the two sites
    # share them by capacity, 100 : 50, so 20 and 10. The annex's fit-out (50 seats x
    # 2,000 USD) is paid in its opening month, its running cost from then.
    result = _compiled(
        SITES + "site hq { seats 100; existing yes }\n"
        "site annex { seats 50; opens 2027-07; fitout 2000 USD/seat; "
        "running 100 USD/seat/month }\n"
    )
    assert result.sizing is not None
    seats = result.sizing.site_seats
    assert seats["hq"].tolist() == [30] * 6 + [20] * 6
    assert seats["annex"].tolist() == [0] * 6 + [10] * 6
    assert result.sizing.seats == {"hq": 30, "annex": 10}
    assert _line(result, "annex fit-out") == [0] * 6 + [100_000] + [0] * 5
    assert _line(result, "annex running") == [0] * 6 + [5_000] * 6


def test_staff_at_work_before_any_site_opens_is_an_error() -> None:
    result = compile(HEAD + SITES + "site annex { seats 50; opens 2027-07 }\n")
    errors = [d for d in result.diagnostics if d.is_error]
    assert [d.code for d in errors] == [C.SITE_NOT_OPEN]
    assert "30 staff work in 2027-01 but no site is open until `annex` opens in 2027-07" in (
        errors[0].message
    )
    assert errors[0].span is not None and errors[0].span.text.startswith("opens")


def test_without_phases_everything_runs_from_the_first_month() -> None:
    result = _compiled(
        VOICE + CHAT + "process ask { service s; volume 12_000/year; mix { voice 60%; chat 40% }; "
        "aht { voice 5 min; chat 6 min }; migrate voice to chat 50% by 2027-05 }\n"
    )
    # No plan: the migration ramps from month 0 to month 4 (2027-05): 0, 1/4, ... 1.
    ramp = np.minimum(np.arange(12) / 4, 1.0)
    assert _monthly(result, "chat") == pytest.approx(list(400 + 300 * ramp))
