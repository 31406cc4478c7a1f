"""The resolved model: canonical units, inheritance, template rebinding, defaults, origins.
Expected values are worked out by hand in each test."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from blueprintc.driver import compile
from blueprintc.model import elements as m
from blueprintc.model.model import Model

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bank() -> Model:
    result = compile(ROOT / "examples" / "northwind_bank.cxb")
    assert result.ok and result.model is not None
    return result.model


def get(model: Model, kind: str, name: str) -> m.Element:
    element = model.get(m.Ref(kind, name))
    assert element is not None, (kind, name)
    return element


def test_blueprint_settings(bank: Model) -> None:
    blueprint = bank.blueprint
    assert (blueprint.start_year, blueprint.start_month, blueprint.horizon_months) == (2027, 1, 36)
    assert blueprint.discount == Fraction(8, 100)
    assert blueprint.interval == 1800
    assert blueprint.exchange["EUR"] == Fraction(108, 100)
    # 250k/year as a rate per hour of a 365-day year.
    assert blueprint.automation_threshold == Fraction(250_000, 8760)


def test_process_in_canonical_units(bank: Model) -> None:
    process = get(bank, "process", "card_activation")
    assert isinstance(process, m.Process)
    assert process.volume == Fraction(38_000 * 12, 8760)  # per hour
    assert process.yearly_volume == 456_000
    assert process.growth == Fraction(4, 100)
    assert process.mix == {
        m.Ref("channel", "voice"): Fraction(40, 100),
        m.Ref("channel", "ivr"): Fraction(35, 100),
        m.Ref("channel", "web"): Fraction(25, 100),
    }
    assert process.aht[m.Ref("channel", "voice")] == 270  # 4.5 min
    assert process.acw[m.Ref("channel", "voice")] == 30
    (migration,) = process.migrations
    assert (migration.source.name, migration.target.name, migration.share, migration.by) == (
        "voice",
        "web",
        Fraction(15, 100),
        (2028, 6),
    )


def test_inherited_fields_keep_their_origin(bank: Model) -> None:
    voice = get(bank, "channel", "voice")
    assert isinstance(voice, m.Channel)
    assert voice.shrinkage == Fraction(33, 100)  # overridden in the blueprint
    assert voice.origins["shrinkage"].via == "declared"
    chat = get(bank, "channel", "chat")
    assert isinstance(chat, m.Channel)
    assert chat.shrinkage == Fraction(35, 100)  # the std.chat default
    origin = chat.origins["shrinkage"]
    assert origin.via == "inherited from std.chat"
    assert origin.span is not None and origin.span.file.path == "std/channels.cxb"
    assert origin.span.text.startswith("shrinkage 35%")
    assert chat.templates == ("std.chat",)


def test_channel_modes_and_targets(bank: Model) -> None:
    emergency = get(bank, "channel", "emergency")
    assert isinstance(emergency, m.Channel) and emergency.mode == "realtime"
    assert emergency.target is not None
    assert (emergency.target.level, emergency.target.within, emergency.target.definition) == (
        Fraction(9, 10),
        30,
        "answered",
    )
    assert emergency.hours_per_week == 168
    voice = get(bank, "channel", "voice")
    assert isinstance(voice, m.Channel)
    assert voice.hours_per_week == 12 * 5 + 5  # mon..fri 08-20, sat 09-14
    email = get(bank, "channel", "email")
    assert isinstance(email, m.Channel) and email.mode == "deferred"
    assert email.response is not None and email.response.within == 24 * 3600


def test_template_references_are_rebound(bank: Model) -> None:
    acd = get(bank, "component", "acd")
    assert isinstance(acd, m.Component)
    # std.acd supports std.voice, std.callback and std.video: the blueprint builds voice and
    # emergency on std.voice, and has no callback or video channel.
    assert set(acd.supports) == {m.Ref("channel", "voice"), m.Ref("channel", "emergency")}
    assert set(acd.requires) == {m.Ref("component", "sip_trunk"), m.Ref("component", "sbc")}
    assert acd.missing_requires == ()


def test_costs_and_options(bank: Model) -> None:
    acd = get(bank, "component", "acd")
    assert isinstance(acd, m.Component)
    subscription = acd.costs.subscription
    assert subscription is not None
    # 115 USD/seat/month as a rate per seat-hour of a 8,760-hour year.
    assert subscription == m.Amount(Fraction(115 * 12, 8760), ("seat",), True, subscription.span)
    assert acd.costs.implementation is not None and acd.costs.implementation.value == 180_000
    onprem = acd.options["onprem"]
    assert onprem.licence is not None and onprem.licence.value == 1400
    assert onprem.licence.per == ("seat",) and not onprem.licence.per_time
    assert onprem.maintenance == Fraction(1, 5)
    knowledge = get(bank, "component", "knowledge")
    assert isinstance(knowledge, m.Component) and knowledge.costs.subscription is not None
    # 25 EUR/user/month at 1.08 USD per EUR = 27 USD/user/month.
    assert knowledge.costs.subscription.value == Fraction(27 * 12, 8760)


def test_staffing_and_sites(bank: Model) -> None:
    staffing = bank.staffing
    assert staffing is not None
    assert staffing.loaded_cost == 38
    assert staffing.paid_hours_per_week == Fraction(75, 2)
    assert staffing.spans["supervisor"] == 12
    assert staffing.role_costs["supervisor"] == 82_000  # per person and year
    milwaukee = get(bank, "site", "milwaukee")
    assert isinstance(milwaukee, m.Site) and milwaukee.seats == 90 and not milwaukee.existing
    assert milwaukee.fitout is not None and milwaukee.fitout.value == 6500


def test_patterns_merge_months_with_their_template(bank: Model) -> None:
    spring = get(bank, "pattern", "spring_housing")
    assert isinstance(spring, m.Pattern)
    assert spring.monthly[4] == Fraction(135, 100)
    assert spring.monthly[1] == 1  # inherited from std.flat_year


def test_library_catalogue_only_when_referenced(bank: Model) -> None:
    names = {e.name for e in bank if e.library}
    assert "std.wfm_spreadsheets" in names  # maturity.current
    assert "std.voice_weekday" in names  # the intraday pattern of std.voice
    assert "std.wfm_ai" not in names
    assert not any(e.library for e in bank.of(m.Channel))


def test_maturity_vendors_requirements(bank: Model) -> None:
    maturity = bank.maturity
    assert maturity is not None
    assert m.Ref("practice", "wfm_suite") in maturity.target
    vendor = get(bank, "vendor", "skyline")
    assert isinstance(vendor, m.Vendor)
    assert vendor.scores[m.Ref("criterion", "functionality")] == Fraction(9, 2)
    requirement = get(bank, "requirement", "cloud_acd")
    assert isinstance(requirement, m.Requirement) and requirement.mandatory


def test_assertions(bank: Model) -> None:
    names = [a.name for a in bank.assertions]
    assert names[0] == "occupancy(voice) <= 85%"
    first = bank.assertions[0]
    assert first.functions == ("occupancy",) and first.mentions == (m.Ref("channel", "voice"),)
    assert first.layer == "operational" and bank.assertions[2].layer == "financial-functional"


def test_loaded_cost_per_year_is_spread_over_paid_hours() -> None:
    result = compile(
        'blueprint "T" { currency USD; start 2027-01; horizon 3 years }\n'
        "staffing { loaded_cost 60k USD/year; paid_hours 37.5 h/week }\n"
    )
    assert result.model is not None and result.model.staffing is not None
    # 37.5 paid hours a week over a 365-day year: 37.5 × 365 / 7 = 1,955.36 h.
    assert result.model.staffing.loaded_cost == Fraction(60_000) / (Fraction(75, 2) * 365 / 7)


def test_defaults() -> None:
    result = compile(
        'blueprint "T" { currency USD; start 2027-01; horizon 18 months }\n'
        "channel e { kind email }\nchannel x { }\n"
    )
    assert result.model is not None
    blueprint = result.model.blueprint
    assert (blueprint.discount, blueprint.interval, blueprint.closed_hours) == (0, 1800, "carry")
    assert blueprint.automation_threshold * 8760 == 100_000
    assert blueprint.horizon_months == 18
    assert blueprint.origins["discount"].via == "default"
    assert blueprint.origins["discount"].span is None
    modes = {c.name: c.mode for c in result.model.of(m.Channel)}
    assert modes == {"e": "deferred", "x": "realtime"}


def test_model_is_deterministic() -> None:
    first = compile(ROOT / "examples" / "northwind_bank.cxb").model
    second = compile(ROOT / "examples" / "northwind_bank.cxb").model
    assert first is not None and second is not None
    assert [repr(e.ref) for e in first] == [repr(e.ref) for e in second]


def test_a_variant_keeps_the_models_order_with_elements_changed_in_place(bank: Model) -> None:
    """``Model.replaced``: changed elements stay where they were, the removed one goes, an
    element the model does not hold is not added, and the model itself is unchanged."""
    import attrs

    processes = bank.of(m.Process)
    first, second = processes[0], processes[1]
    changed = attrs.evolve(first, migrations=())
    stranger = attrs.evolve(second, name="not_in_the_model")
    before = list(bank.elements)
    variant = bank.replaced(changed, stranger, removed=second.ref)
    assert list(variant.elements) == [ref for ref in before if ref != second.ref]
    assert variant.elements[first.ref] is changed
    assert stranger.ref not in variant.elements
    assert list(bank.elements) == before and bank.elements[first.ref] is first
    assert variant.of(m.Process) == tuple(
        changed if p is first else p for p in processes if p is not second
    )
