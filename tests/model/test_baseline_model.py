"""The language and model of today's operation (`baseline`), a site's opening month and
`benefit`: canonical units worked out by hand in each test."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from blueprintc.driver import Compilation
from blueprintc.model import elements as m
from tests.conftest import codes

VOICE, EMAIL = m.Ref("channel", "voice"), m.Ref("channel", "email")
CHANNELS = """
use std/channels
channel voice extends std.voice { hours mon..fri 08:00-18:00 }
channel email extends std.email { hours mon..fri 08:00-18:00 }
site hq { seats 100; existing yes }
site annex { seats 40; opens 2028-03 }
"""


def test_every_baseline_field_in_canonical_units(project: Callable[..., Compilation]) -> None:
    result = project(
        CHANNELS
        + """
baseline {
  volume voice 876k/year
  volume email 5_000/month
  aht voice 6 min
  acw voice 45 s
  service_level voice 62% within 20 s
  service_level email 90% within 24 h
  abandon voice 11%
  agents 120
  agents voice 100
  fte email 12.5
  fte 110.5
  seats 95
  sites hq
  growth 3%/year
  tolerance 25%
  cost 9.6M USD/year
}
"""
    )
    assert result.ok, result.diagnostics
    assert result.model is not None
    baseline = result.model.baseline
    assert baseline is not None
    # 876,000 a year over 8,760 hours is 100 an hour; 5,000 a month is 60,000 a year.
    assert baseline.volumes == {VOICE: 100, EMAIL: Fraction(60_000, 8760)}
    assert list(baseline.volumes) == [VOICE, EMAIL]  # the channels run today, as channel refs
    assert baseline.aht == {VOICE: 360}
    assert baseline.acw == {VOICE: 45}
    assert baseline.service_levels == {
        VOICE: (Fraction(62, 100), 20),
        EMAIL: (Fraction(90, 100), 24 * 3600),
    }
    assert baseline.abandon == {VOICE: Fraction(11, 100)}
    assert (baseline.agents, baseline.fte) == (120, Fraction(221, 2))
    assert baseline.channel_agents == {VOICE: 100}
    assert baseline.channel_fte == {EMAIL: Fraction(25, 2)}
    assert (baseline.seats, baseline.sites) == (95, (m.Ref("site", "hq"),))
    assert baseline.growth == Fraction(3, 100)
    assert baseline.tolerance == Fraction(1, 4)
    assert baseline.cost == Fraction(9_600_000, 8760)  # per hour
    # Each line's span, for carets: the line of `agents voice 100`, and the total's.
    assert baseline.line("agents", VOICE).text == "agents voice 100"
    assert baseline.line("agents").text == "agents 120"
    assert baseline.line("volume", EMAIL).text == "volume email 5_000/month"
    assert baseline.line("abandon", EMAIL) == baseline.span  # not stated: the block
    assert baseline.repeated == () and baseline.unbound == ()


def test_defaults_and_template_channels(project: Callable[..., Compilation]) -> None:
    result = project(CHANNELS + "baseline { volume std.voice 1.2M/year; agents std.sms 3 }\n")
    assert result.ok, result.diagnostics
    assert result.model is not None
    baseline = result.model.baseline
    assert baseline is not None
    assert baseline.volumes == {VOICE: Fraction(1_200_000, 8760)}  # std.voice is voice here
    assert baseline.tolerance == Fraction(1, 5)  # 20% by default
    assert baseline.origin("tolerance") == m.Origin(None, "default")
    assert (baseline.growth, baseline.agents, baseline.fte, baseline.cost) == (None,) * 4
    ((name, span),) = baseline.unbound  # std.sms: a template nothing extends
    assert (name, span.text) == ("std.sms", "std.sms")


def test_a_channel_line_given_twice_is_kept_for_the_rule(
    project: Callable[..., Compilation],
) -> None:
    result = project(CHANNELS + "baseline { volume voice 1M/year; volume voice 2M/year }\n")
    assert result.model is not None and result.model.baseline is not None
    ((field, channel, line, first),) = result.model.baseline.repeated
    assert (field, channel, line.text, first.text) == (
        "volume",
        "voice",
        "volume voice 2M/year",
        "volume voice 1M/year",
    )


def test_agents_take_whole_numbers_and_fte_fractions(project: Callable[..., Compilation]) -> None:
    result = project(CHANNELS + "baseline { agents voice 10.5 }\n")
    assert [c for c, _, _ in codes(result)] == ["CXB0408"]  # not a whole number
    result = project(CHANNELS + "baseline { fte voice 10.5 FTE; agents 12 agents }\n")
    assert result.ok, result.diagnostics


def test_site_opening_month(project: Callable[..., Compilation]) -> None:
    result = project(CHANNELS)
    assert result.model is not None
    annex = result.model.get(m.Ref("site", "annex"))
    hq = result.model.get(m.Ref("site", "hq"))
    assert isinstance(annex, m.Site) and isinstance(hq, m.Site)
    assert (annex.opens, hq.opens) == ((2028, 3), None)


def test_benefit(project: Callable[..., Compilation]) -> None:
    result = project(
        CHANNELS
        + """
benefit retention {
  amount 1.2M USD/year
  because voice, annex
  ramp 6 months
  source "Churn study 2026"
}
benefit fraud { amount 35k USD/month; from 2028-01; source "Fraud team" }
"""
    )
    assert result.ok, result.diagnostics
    assert result.model is not None
    retention, fraud = result.model.of(m.Benefit)
    assert retention.layer == "financial-functional"
    assert retention.amount == Fraction(1_200_000, 8760)  # per hour
    assert retention.per_month == 100_000
    assert retention.because == (VOICE, m.Ref("site", "annex"))
    assert (retention.start, retention.ramp_months, retention.source) == (
        None,
        6,
        "Churn study 2026",
    )
    assert fraud.per_month == 35_000 * 12 / Fraction(8760) * 730  # a month is 730 hours
    assert (fraud.start, fraud.ramp_months, fraud.because) == ((2028, 1), 0, ())


def test_benefit_needs_an_amount_and_a_source(project: Callable[..., Compilation]) -> None:
    result = project(CHANNELS + "benefit retention { because voice }\n")
    assert sorted(c for c, _, _ in codes(result)) == ["CXB0403", "CXB0403"]
    result = project(CHANNELS + 'benefit r { amount 1k USD/month; source "s"; ramp 2.5 months }\n')
    assert "CXB0408" in [c for c, _, _ in codes(result)]
