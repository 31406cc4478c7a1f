"""Semantic checks: checked values in canonical units, references, extends, modules."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from blueprintc.driver import Compilation
from blueprintc.semantic.check import Declaration
from blueprintc.semantic.values import (
    DateValue,
    DaysValue,
    FieldValue,
    QuantityValue,
    RefValue,
    TextValue,
    TimeRangeValue,
    WordValue,
)
from tests.conftest import codes

Project = Callable[..., Compilation]


def checked_only(build: Project) -> Project:
    """These tests look at the semantic stage alone, before the alignment rules."""
    return lambda *args, **kwargs: build(*args, until="check", **kwargs)


SEGMENT = "segment all { share 100%; value high; strategy retain; intensity simple }\n"


def decl(result: Compilation, kind: str, name: str = "") -> Declaration:
    assert result.ok, codes(result)
    assert result.checked is not None
    return next(
        d for d in result.checked.declarations if d.symbol.kind == kind and d.symbol.name == name
    )


def fields(declaration: Declaration, name: str) -> list[FieldValue]:
    return [f for f in declaration.fields if f.name == name]


def test_blueprint_settings(project: Project) -> None:
    project = checked_only(project)
    result = project(
        'blueprint "B" { currency EUR; exchange USD 0.92; start 2027-03; horizon 18 months\n'
        "discount 7.5%; interval 15 min; closed_hours lose; automation_threshold 100k/year }\n",
        header=False,
    )
    blueprint = decl(result, "blueprint")
    assert result.checked is not None and result.checked.currency == "EUR"
    assert result.checked.exchange == {"EUR": 1, "USD": Fraction("0.92")}
    (start,) = fields(blueprint, "start")[0].first
    assert isinstance(start, DateValue) and (start.year, start.month) == (2027, 3)
    (horizon,) = fields(blueprint, "horizon")[0].first
    assert isinstance(horizon, QuantityValue) and horizon.value == 18 * 2_628_000
    (discount,) = fields(blueprint, "discount")[0].first
    assert isinstance(discount, QuantityValue) and discount.value == Fraction("0.075")


def test_process_values_in_canonical_units(project: Project) -> None:
    project = checked_only(project)
    result = project(
        SEGMENT + 'brand b { promise p "text" }\nservice s { delivers p; segments all }\n'
        "channel voice { }\nchannel web { }\n"
        "process p1 { service s; volume 38_000/month; growth -5%/year\n"
        "  mix { voice 70%; web 30% }; aht { voice 4.5 min }; acw { voice 30 s }\n"
        "  automation { web 100% }; migrate voice to web 15% by 2028-01 }\n"
    )
    process = decl(result, "process", "p1")
    (volume,) = fields(process, "volume")[0].first
    assert isinstance(volume, QuantityValue)
    assert volume.value * 2_628_000 == 38_000  # per second, times a month of seconds
    (growth,) = fields(process, "growth")[0].first
    assert isinstance(growth, QuantityValue) and growth.value * 31_536_000 == Fraction("-0.05")
    mix = fields(process, "mix")[0].block
    assert mix is not None
    entries = {f.name: f.first for f in mix}
    voice_ref, voice_share = entries["voice"]
    assert isinstance(voice_ref, RefValue) and voice_ref.kind == "channel"
    assert isinstance(voice_share, QuantityValue) and voice_share.value == Fraction("0.70")
    aht = fields(process, "aht")[0].block
    assert aht is not None and aht[0].first[1] == QuantityValue(
        Fraction(270), (("time", 1),), "4.5 min", aht[0].first[1].span
    )
    migrate = fields(process, "migrate")[0].first
    assert [type(v).__name__ for v in migrate] == [
        "RefValue",
        "WordValue",
        "RefValue",
        "QuantityValue",
        "WordValue",
        "DateValue",
    ]


def test_channel_hours_and_targets(project: Project) -> None:
    project = checked_only(project)
    result = project(
        "channel voice { hours mon..fri 08:00-20:00, sat 09:00-14:00, sun..mon 10:00-11:00\n"
        "  target 80% within 20 s answered; patience 2 min; shrinkage 32%; concurrency 2.5 }\n"
    )
    channel = decl(result, "channel", "voice")
    hours = fields(channel, "hours")[0].args
    days, times = hours[0]
    assert isinstance(days, DaysValue) and days.days == (0, 1, 2, 3, 4)
    assert isinstance(times, TimeRangeValue) and (times.start, times.end) == (480, 1200)
    wrap = hours[2][0]
    assert isinstance(wrap, DaysValue) and wrap.days == (0, 6)  # sun..mon wraps the week
    target = fields(channel, "target")[0].first
    assert [getattr(v, "word", None) for v in target] == [None, "within", None, "answered"]
    patience = fields(channel, "patience")[0].first[0]
    assert isinstance(patience, QuantityValue) and patience.value == 120


def test_money_converted_to_blueprint_currency(project: Project) -> None:
    project = checked_only(project)
    result = project(
        'blueprint "B" { currency USD; exchange EUR 1.08; start 2027-01; horizon 3 years }\n'
        "component kb { subscription 25 EUR/user/month; implementation 1.1M USD }\n",
        header=False,
    )
    component = decl(result, "component", "kb")
    (subscription,) = fields(component, "subscription")[0].first
    assert isinstance(subscription, QuantityValue)
    assert subscription.value * 2_628_000 == 27  # 25 EUR at 1.08 USD per EUR
    (implementation,) = fields(component, "implementation")[0].first
    assert isinstance(implementation, QuantityValue) and implementation.value == 1_100_000


def test_promises_are_declared_inside_brand(project: Project) -> None:
    project = checked_only(project)
    result = project(
        'brand b { promise fast "A person answers" { target voice 80% within 60 s }\n'
        '  value warm "Like a neighbour" }\n'
        "channel voice { }\n" + SEGMENT + "service s { delivers fast; segments all }\n"
    )
    brand = decl(result, "brand", "b")
    promise = fields(brand, "promise")[0]
    assert isinstance(promise.first[0], WordValue) and isinstance(promise.first[1], TextValue)
    assert promise.block is not None and promise.block[0].name == "target"
    assert result.checked is not None
    assert result.checked.symbols.get("promise", "fast") is not None


def test_kind_namespaces_and_qualified_names(project: Project) -> None:
    project = checked_only(project)
    result = project(
        "channel ivr { }\ncomponent ivr { supports ivr }\ncomponent acd { }\n"
        "phase p { includes acd, ivr, channel.ivr }\n"
    )
    phase = decl(result, "phase", "p")
    refs = [arg[0] for arg in fields(phase, "includes")[0].args]
    assert [(r.kind, r.name) for r in refs if isinstance(r, RefValue)] == [
        ("component", "acd"),
        ("component", "ivr"),
        ("channel", "ivr"),
    ]


def test_extends_std_and_inherited_required_fields(project: Project) -> None:
    project = checked_only(project)
    result = project(
        "use std/practices\npractice mine extends std.wfm_suite { cost 40k USD }\n"
        "maturity { target mine }\n"
    )
    practice = decl(result, "practice", "mine")
    assert practice.extends is not None and practice.extends.name == "std.wfm_suite"


def test_order_does_not_matter(project: Project) -> None:
    project = checked_only(project)
    result = project(
        "service s { delivers p; segments all }\n" + SEGMENT + 'brand b { promise p "x" }\n'
    )
    assert result.ok, codes(result)


def test_local_modules_are_loaded_once(project: Project) -> None:
    project = checked_only(project)
    result = project(
        'use "./parts/a.cxb"\nuse "./parts/b.cxb"\n' + SEGMENT,
        parts__a='use "./shared.cxb"\nservice sa { segments all; delivers p }\n',
        parts__b='use "./shared.cxb"\nservice sb { segments all; delivers p }\n',
        parts__shared='brand b { promise p "x" }\n',
    )
    assert result.ok, codes(result)
    paths = sorted(s.path for s in result.sources)
    assert paths == ["main.cxb", "parts/a.cxb", "parts/b.cxb", "parts/shared.cxb"]


def test_std_reference_without_use_suggests_the_module(project: Project) -> None:
    project = checked_only(project)
    result = project("channel voice extends std.voice { }\n")
    (diagnostic,) = result.diagnostics
    assert diagnostic.code.id == "CXB0301"
    assert (
        diagnostic.help
        == "`std.voice` is declared in `std/channels`; add `use std/channels` to this file"
    )


def test_unused_std_module_is_a_warning(project: Project) -> None:
    project = checked_only(project)
    result = project("use std/patterns\n")
    assert result.ok
    assert codes(result) == [("CXB0205", 2, 1)]


def test_assert_names_must_resolve(project: Project) -> None:
    project = checked_only(project)
    result = project("channel voice { }\nassert occupancy(voice) <= 85% and fte(vioce) < 3\n")
    assert codes(result) == [("CXB0301", 3, 40)]
