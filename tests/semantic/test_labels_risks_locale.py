"""The semantic checks of `label`, the `risk` declaration and the blueprint's `locale`."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from blueprintc.driver import Compilation
from blueprintc.semantic import locales
from blueprintc.semantic.labels import readable, sameness
from tests.conftest import codes

Project = Callable[..., Compilation]

SEGMENT = "segment all { share 100%; value high; strategy retain; intensity simple }\n"
CHANNEL = "channel {name} {{ kind voice; hours mon..fri 08:00-18:00{extra} }}\n"


def channel(name: str, extra: str = "") -> str:
    return CHANNEL.format(name=name, extra=extra)


def check(project: Project, text: str, header: bool = True) -> Compilation:
    return project(text, header=header, until="check")


def found(result: Compilation) -> list[str]:
    return [code for code, _, _ in codes(result)]


# -- label ---------------------------------------------------------------------------------


def test_a_label_is_taken_on_every_declaration_and_promise(project: Project) -> None:
    result = check(
        project,
        'brand b { label "Northwind"; promise fast "x" { label "Quick answers" } }\n'
        + SEGMENT.replace("}", '; label "Everyone" }')
        + channel("tech_voice", '; label "Technical support"'),
    )
    assert found(result) == []


def test_an_empty_label_is_an_error(project: Project) -> None:
    result = check(project, channel("voice", '; label "  "'))
    assert codes(result) == [("CXB0423", 2, 63)]
    assert "the label of channel `voice` is empty" in result.diagnostics[0].message


@pytest.mark.parametrize(
    ("second", "why"),
    [
        (channel("phone", '; label "Phone line"'), "the same label"),
        (channel("phone", '; label "  phone   LINE "'), "case and spacing do not count"),
        (channel("phone_line"), "a label that reads like the other's name"),
    ],
)
def test_two_declarations_of_one_kind_shown_alike_are_reported(
    project: Project, second: str, why: str
) -> None:
    result = check(project, channel("voice", '; label "Phone line"') + second)
    assert found(result) == ["CXB0424"], why
    diagnostic = result.diagnostics[0]
    assert diagnostic.span is not None and diagnostic.span.line == 3
    assert [label.span.line for label in diagnostic.labels] == [2]
    assert "as channel `voice` is" in diagnostic.message


def test_shown_alike_across_kinds_or_without_labels_is_not_reported(project: Project) -> None:
    text = (
        channel("voice", '; label "Phone"')
        + 'component phone { kind acd; label "Phone" }\n'  # another kind
        + channel("chat")
        + channel("Chat")  # names that read alike, neither labelled: the names differ
    )
    assert found(check(project, text)) == []


def test_a_promise_label_is_compared_with_other_promises(project: Project) -> None:
    text = 'brand b { promise fast "x" { label "Calm" }; promise calm "y" }\n'
    assert found(check(project, text)) == ["CXB0424"]


def test_readable_names() -> None:
    assert readable("tech_voice") == "Tech voice"
    assert readable("std.voice_weekday") == "Voice weekday"
    assert readable("acd") == "ACD"  # an abbreviation of the trade
    assert readable("max_asa") == "Max ASA"
    assert readable("onprem") == "On-premises"
    assert readable("a__b_") == "A b"
    assert sameness("  Phone   LINE ") == sameness("phone line")


# -- risk ----------------------------------------------------------------------------------

RISK_TARGETS = "component acd { kind acd }\nphase foundation { includes acd }\n"


def test_a_complete_risk_is_clean(project: Project) -> None:
    text = RISK_TARGETS + (
        "risk lock_in {\n"
        '  label "Dependence on one cloud vendor"\n'
        "  likelihood medium\n  impact high\n"
        '  owner "CIO"\n  mitigation "Exit clause"\n'
        "  threatens acd, foundation\n"
        '  description "..."\n}\n'
    )
    assert found(check(project, text)) == []


def test_a_risk_without_owner_or_mitigation_is_warned(project: Project) -> None:
    result = check(project, "risk lock_in { likelihood low; impact low }\n")
    assert codes(result) == [("CXB0426", 2, 6), ("CXB0427", 2, 6)]
    assert [d.severity.value for d in result.diagnostics] == ["warning", "warning"]
    assert result.diagnostics[0].message == "risk `lock_in` has no `owner`"
    assert result.diagnostics[1].message == "risk `lock_in` has no `mitigation`"


def test_a_risk_needs_its_likelihood_and_impact(project: Project) -> None:
    result = check(project, 'risk r { owner "CIO"; mitigation "m" }\n')
    assert found(result) == ["CXB0403", "CXB0403"]
    messages = [d.message for d in result.diagnostics]
    assert messages == ["risk `r` has no `likelihood`", "risk `r` has no `impact`"]


def test_risk_levels_are_high_medium_or_low(project: Project) -> None:
    result = check(
        project, 'risk r { likelihood likely; impact high; owner "o"; mitigation "m" }\n'
    )
    assert found(result) == ["CXB0410"]
    assert result.diagnostics[0].message.endswith("expected a level: `high`, `medium` or `low`")


def test_a_risk_threatens_declarations_of_any_kind(project: Project) -> None:
    text = (
        RISK_TARGETS
        + SEGMENT
        + (
            "budget tech { amount 1M USD }\nvendor v { bids acd }\n"
            'risk r { likelihood low; impact low; owner "o"; mitigation "m"\n'
            "  threatens acd, foundation, all, tech, v }\n"
        )
    )
    assert found(check(project, text)) == []


def test_an_unknown_threatened_name_suggests_the_close_one(project: Project) -> None:
    text = RISK_TARGETS + (
        'risk r { likelihood low; impact low; owner "o"; mitigation "m"; threatens foundaton }\n'
    )
    result = check(project, text)
    assert found(result) == ["CXB0301"]
    assert result.diagnostics[0].help == "did you mean `foundation`?"


# -- locale and units ----------------------------------------------------------------------

BLUEPRINT = 'blueprint "T" {{ currency USD; start 2027-01; horizon 3 years{extra} }}\n'


@pytest.mark.parametrize("locale", ["en_GB", "en-GB", "de_CH", "fr", "pt_BR", "en_us"])
def test_known_locales_are_accepted(project: Project, locale: str) -> None:
    text = BLUEPRINT.format(extra=f'; locale "{locale}"; units metric')
    assert found(check(project, text, header=False)) == []


@pytest.mark.parametrize(
    ("locale", "close"),
    [("jp_JP", "did you mean `ja_JP`?"), ("english", None), ("", None)],
)
def test_an_unknown_locale_is_an_error_with_examples(
    project: Project, locale: str, close: str | None
) -> None:
    result = check(project, BLUEPRINT.format(extra=f'; locale "{locale}"'), header=False)
    assert codes(result) == [("CXB0425", 1, 70)]
    help_line = result.diagnostics[0].help or ""
    assert "such as `en_US`, `en_GB`, `de_DE`" in help_line
    assert help_line.startswith(close) if close else help_line.startswith("a locale is")


def test_units_are_metric_or_imperial(project: Project) -> None:
    result = check(project, BLUEPRINT.format(extra="; units sqm"), header=False)
    assert found(result) == ["CXB0410"]


@pytest.mark.parametrize(
    ("text", "territory", "units"),
    [
        ("en_US", "US", "imperial"),
        ("en_GB", "GB", "metric"),
        ("en_LR", "LR", "imperial"),
        ("my_MM", "MM", "imperial"),
        ("my", "MM", "imperial"),  # CLDR's likely territory of Burmese
        ("fr", "FR", "metric"),
        ("es_US", "US", "imperial"),
        ("es_MX", "MX", "metric"),
    ],
)
def test_the_default_units_follow_the_locale_territory(
    text: str, territory: str, units: str
) -> None:
    identifier = locales.identifier(text)
    assert identifier is not None
    assert locales.territory(identifier) == territory
    assert locales.default_units(identifier) == units


def test_spaces_around_a_locale_are_pointed_out(project: Project) -> None:
    result = check(project, BLUEPRINT.format(extra='; locale " en_GB"'), header=False)
    assert found(result) == ["CXB0425"]
    assert result.diagnostics[0].help == 'write it without spaces: "en_GB"'
