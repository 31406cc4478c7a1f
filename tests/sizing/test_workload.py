"""Workload: each figure worked out by hand in the test."""

from __future__ import annotations

import numpy as np
import pytest

from blueprintc.driver import compile
from blueprintc.model.model import Model
from blueprintc.sizing.calendar import grid_of, open_mask
from blueprintc.sizing.workload import (
    ChannelWork,
    Workload,
    build_workload,
    close_hours,
    daily_shares,
    intraday_shares,
    shape_week,
)

HEAD = (
    'blueprint "T" {{ currency USD; start 2027-01; horizon 2 years; interval {interval}\n'
    "  closed_hours {closed} }}\n"
)
BASE = """\
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
component c { supports voice, web }
channel voice { kind voice; hours daily 00:00-24:00; target 80% within 20 s }
channel web { kind web; hours daily 00:00-24:00 }
"""
DAYS_PER_MONTH = 365 / 12


def workload(text: str, interval: str = "60 min", closed: str = "carry") -> tuple[Model, Workload]:
    result = compile(HEAD.format(interval=interval, closed=closed) + BASE + text, until="validate")
    assert result.ok, [d.message for d in result.diagnostics]
    assert result.model is not None
    return result.model, build_workload(result.model, grid_of(result.model.blueprint))


def channel(work: Workload, name: str, outbound: bool = False) -> ChannelWork:
    return next(c for c in work.channels if c.channel.name == name and c.outbound == outbound)


def test_monthly_volume_and_week_conserve_contacts() -> None:
    _, work = workload(
        "process p1 { service s; volume 12_000/year; mix { voice 100% }; aht { voice 5 min } }\n"
    )
    voice = channel(work, "voice")
    assert voice.monthly[0] == pytest.approx(1000)  # 12,000 / 12
    # The representative week holds 7 / 30.4167 of the month.
    assert voice.contacts[0].sum() == pytest.approx(1000 * 7 / DAYS_PER_MONTH)
    assert voice.handle_time[0] == pytest.approx(300)


def test_growth_compounds_monthly() -> None:
    _, work = workload(
        "process p1 { service s; volume 12_000/year; growth 6%/year\n"
        "  mix { voice 100% }; aht { voice 5 min } }\n"
    )
    voice = channel(work, "voice")
    assert voice.monthly[12] == pytest.approx(1000 * 1.06)
    assert voice.monthly[6] == pytest.approx(1000 * 1.06**0.5)


def test_seasonality_is_relative_to_the_average_month() -> None:
    _, work = workload(
        "pattern peak { monthly nov 1.6 }\n"
        "process p1 { service s; volume 12_000/year; seasonality peak\n"
        "  mix { voice 100% }; aht { voice 5 min } }\n"
    )
    voice = channel(work, "voice")
    mean = (11 * 1 + 1.6) / 12  # missing months weigh 1
    assert voice.monthly[10] == pytest.approx(1000 * 1.6 / mean)  # November 2027
    assert voice.monthly[0] == pytest.approx(1000 / mean)
    assert voice.monthly[:12].sum() == pytest.approx(12_000)


def test_mix_automation_and_migration() -> None:
    _, work = workload(
        "process p1 { service s; volume 12_000/year; mix { voice 80%; web 20% }\n"
        "  aht { voice 5 min }; automation { voice 10% }; migrate voice to web 25% by 2027-07 }\n"
    )
    voice, web = channel(work, "voice"), channel(work, "web")
    # Month 0: no migration yet; automation contains 10% of voice.
    assert voice.monthly[0] == pytest.approx(1000 * 0.8 * 0.9)
    assert web.monthly[0] == pytest.approx(1000 * 0.2)
    # July 2027 (month 6): 25% of voice's 80% has moved to web.
    assert voice.monthly[6] == pytest.approx(1000 * 0.8 * 0.75 * 0.9)
    assert web.monthly[6] == pytest.approx(1000 * (0.2 + 0.2))
    # Month 3 is half-way along the ramp.
    assert web.monthly[3] == pytest.approx(1000 * (0.2 + 0.1))


def test_intraday_weights_spread_over_their_minutes() -> None:
    _, work = workload(
        "pattern day { intraday 08:00-09:00 1, 09:00-10:00 3 }\n"
        "channel chat { kind chat; hours daily 08:00-10:00; target 80% within 30 s\n"
        "  intraday day }\n"
        "component cc { supports chat }\n"
        "process p1 { service s; volume 12_000/year; mix { chat 100% }; aht { chat 8 min } }\n",
        interval="30 min",
    )
    chat = channel(work, "chat")
    day = chat.contacts[0, 0]
    daily = 1000 * 7 / DAYS_PER_MONTH / 7
    assert day[16:20] == pytest.approx([daily / 8, daily / 8, daily * 3 / 8, daily * 3 / 8])
    assert day.sum() == pytest.approx(daily)


def test_weekly_pattern_shares() -> None:
    _, work = workload(
        "pattern week { weekly mon 2, tue..sun 1 }\n"
        "channel chat { kind chat; hours daily 00:00-24:00; target 80% within 30 s; weekly week }\n"
        "component cc { supports chat }\n"
        "process p1 { service s; volume 12_000/year; mix { chat 100% }; aht { chat 8 min } }\n"
    )
    days = channel(work, "chat").contacts[0].sum(axis=1)
    assert days[0] == pytest.approx(2 * days[1])
    assert days.sum() == pytest.approx(1000 * 7 / DAYS_PER_MONTH)


def test_closed_intervals_carry_or_lose() -> None:
    contacts = np.zeros((1, 7, 4))
    contacts[0, 0, 0] = 10  # Monday, closed interval
    contacts[0, 6, 3] = 5  # Sunday night, closed: wraps to Monday
    open_ = np.zeros((7, 4), dtype=bool)
    open_[0, 1] = open_[0, 2] = True
    contacts[0, 0, 2] = 3  # Monday's own contacts: 0 in interval 1, 3 in interval 2
    moved, carried, lost = close_hours(contacts, open_, carry=True)
    # Both closed bunches arrive on Monday, spread like Monday's own contacts.
    assert moved[0, 0, 1] == 0 and moved[0, 0, 2] == 18 and moved.sum() == 18
    assert carried[0] == pytest.approx(15 * DAYS_PER_MONTH / 7) and lost[0] == 0
    dropped, carried, lost = close_hours(contacts, open_, carry=False)
    assert dropped.sum() == 3 and lost[0] == pytest.approx(15 * DAYS_PER_MONTH / 7)


def test_carried_contacts_spread_evenly_over_an_empty_day() -> None:
    contacts = np.zeros((1, 7, 4))
    contacts[0, 1, 0] = 8  # Tuesday, closed
    open_ = np.zeros((7, 4), dtype=bool)
    open_[2, 1:3] = True  # Wednesday open twice, no own contacts
    moved, _, _ = close_hours(contacts, open_, carry=True)
    assert list(moved[0, 2]) == [0, 4, 4, 0]


def test_open_mask_uses_interval_start() -> None:
    model, _ = workload("", interval="30 min")
    from blueprintc.model import elements as m

    voice = model.get(m.Ref("channel", "voice"))
    assert isinstance(voice, m.Channel)
    grid = grid_of(model.blueprint)
    assert open_mask(grid, voice.hours).all()


def test_handle_time_is_volume_weighted() -> None:
    _, work = workload(
        "process a { service s; volume 3_000/year; mix { voice 100% }\n"
        "  aht { voice 4 min }; acw { voice 1 min } }\n"
        "process b { service s; volume 1_000/year; mix { voice 100% }; aht { voice 10 min } }\n"
    )
    # (3 × 300 s + 1 × 600 s) / 4
    assert channel(work, "voice").handle_time[0] == pytest.approx(375)


def test_outbound_agent_time_per_attempt() -> None:
    _, work = workload(
        'outbound o { service s; trigger "t"; channel voice; volume 1_200/year; contact_rate 40%\n'
        "  aht 5 min; attempt_time 30 s }\n"
    )
    out = channel(work, "voice", outbound=True)
    assert out.monthly[0] == pytest.approx(100)
    assert out.handle_time[0] == pytest.approx(0.4 * 300 + 0.6 * 30)


def test_missing_handle_time_is_reported() -> None:
    _, work = workload("process p1 { service s; volume 12_000/year; mix { voice 100% } }\n")
    (missing,) = work.missing_handle_times
    assert (missing.process.name, missing.channel.name) == ("p1", "voice")


def test_lost_contacts_by_hand() -> None:
    _, work = workload(
        "pattern day { intraday 00:00-08:00 1, 08:00-18:00 8, 18:00-24:00 1 }\n"
        "channel late { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s\n"
        "  intraday day }\n"
        "component cl { supports late }\n"
        "process p1 { service s; volume 12_000/year; mix { late 100% }; aht { late 5 min } }\n",
        closed="lose",
    )
    late = channel(work, "late")
    # Weekdays lose the 2/10 of the day outside 08-18; weekends (2/7 of the week) all of it.
    assert late.lost[0] == pytest.approx(1000 * (5 / 7 * 0.2 + 2 / 7))
    assert late.contacts[0].sum() * DAYS_PER_MONTH / 7 == pytest.approx(1000 * 5 / 7 * 0.8)


@pytest.mark.parametrize("closed", ["carry", "lose"])
@pytest.mark.parametrize("hours", ["daily 00:00-24:00", "mon..fri 08:00-20:00"])
def test_a_self_service_channel_counts_its_month_as_its_whole_week_would(
    closed: str, hours: str
) -> None:
    """A channel that is not sized keeps no week; one open all week is not shaped into
    one at all: what it carries and loses (nothing) is what closing its week's hours
    gives, as for one with closed hours."""
    base = BASE.replace("kind web; hours daily 00:00-24:00", f"kind web; hours {hours}")
    process = (
        "process p1 { service s; volume 12_000/year; mix { voice 60%; web 40% }\n"
        "  aht { voice 5 min } }\n"
    )
    head = HEAD.format(interval="30 min", closed=closed)
    result = compile(head + base + process, until="validate")
    assert result.ok and result.model is not None, [d.message for d in result.diagnostics]
    model = result.model
    work = build_workload(model, grid_of(model.blueprint))
    web = channel(work, "web")
    assert web.contacts.shape[2] == 0 and web.monthly.sum() > 0
    grid = grid_of(model.blueprint)
    element = web.channel
    open_ = open_mask(grid, element.hours)
    week = shape_week(
        web.monthly, daily_shares(model, element), intraday_shares(model, element, grid, open_)
    )
    _, carried, lost = close_hours(week, open_, closed == "carry")
    assert web.carried.tobytes() == carried.tobytes()
    assert web.lost.tobytes() == lost.tobytes()
    assert (web.carried.sum() + web.lost.sum() > 0) == (hours != "daily 00:00-24:00")
