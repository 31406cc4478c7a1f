"""The model of `label` (``Element.label``, ``display``), of `risk` (``m.Risk``: typed
levels, score, rating, ranking, resolved threats) and of the blueprint's locale and units."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from blueprintc.driver import Compilation
from blueprintc.model import elements as m
from blueprintc.model.model import Model
from tests.conftest import codes

Project = Callable[..., Compilation]

HEADER = 'blueprint "T" {{ currency USD; start 2027-01; horizon 3 years{extra} }}\n'
TARGETS = """\
use std/channels
channel voice extends std.voice { hours mon..fri 08:00-18:00; label "Phone" }
component acd { kind acd; supports voice }
phase foundation { includes acd }
budget tech { amount 1M USD; covers foundation }
"""


def model_of(project: Project, text: str, extra: str = "") -> Model:
    result = project(HEADER.format(extra=extra) + text, header=False, until="validate")
    assert result.model is not None, codes(result)
    return result.model


def risk(name: str, likelihood: str, impact: str, rest: str = "") -> str:
    return (
        f'risk {name} {{ likelihood {likelihood}; impact {impact}; owner "CIO"; '
        f'mitigation "m"{rest} }}\n'
    )


def test_label_and_display(project: Project) -> None:
    model = model_of(
        project,
        TARGETS + 'brand b { promise fast_answer "x" { label "Quick answers" } }\n'
        "channel tech_voice extends std.voice { hours mon..fri 08:00-18:00 }\n",
        '; label "Northwind care"',
    )
    voice = model.get(m.Ref("channel", "voice"))
    tech = model.get(m.Ref("channel", "tech_voice"))
    promise = model.get(m.Ref("promise", "fast_answer"))
    acd = model.get(m.Ref("component", "acd"))
    assert voice is not None and tech is not None and promise is not None and acd is not None
    assert (voice.label, voice.display) == ("Phone", "Phone")
    assert (tech.label, tech.display) == (None, "Tech voice")
    assert (promise.label, promise.display) == ("Quick answers", "Quick answers")
    assert acd.display == "ACD"  # the trade's abbreviation in capitals
    assert model.blueprint.label == "Northwind care" and model.blueprint.display == "Northwind care"


def test_the_blueprint_is_shown_by_its_title_and_an_assertion_as_written(
    project: Project,
) -> None:
    model = model_of(project, TARGETS + "assert fte(voice) <= 100\n")
    assert model.blueprint.display == "T"
    (assertion,) = model.assertions
    assert assertion.display == "fte(voice) <= 100"


def test_a_label_is_not_inherited(project: Project) -> None:
    model = model_of(
        project,
        'channel base { kind voice; hours mon..fri 08:00-18:00; label "Base line" }\n'
        "channel sales extends base {}\n",
    )
    sales = model.get(m.Ref("channel", "sales"))
    assert sales is not None and sales.label is None and sales.display == "Sales"
    assert "label" not in sales.origins


def test_a_risk_in_the_model(project: Project) -> None:
    text = TARGETS + (
        "risk vendor_lock_in {\n"
        '  label "Dependence on one cloud vendor"\n'
        "  likelihood medium\n  impact high\n"
        '  owner "CIO"\n  mitigation "Exit clause and data export in the contract"\n'
        "  threatens acd, foundation, tech, voice\n"
        '  description "One vendor runs the whole platform"\n}\n'
    )
    model = model_of(project, text)
    (found,) = model.of(m.Risk)
    assert found.name == "vendor_lock_in"
    assert found.display == "Dependence on one cloud vendor"
    assert found.likelihood is m.Level.MEDIUM and found.impact is m.Level.HIGH
    assert found.owner == "CIO"
    assert found.mitigation == "Exit clause and data export in the contract"
    assert found.description == "One vendor runs the whole platform"
    assert found.threatens == (
        m.Ref("component", "acd"),
        m.Ref("phase", "foundation"),
        m.Ref("budget", "tech"),
        m.Ref("channel", "voice"),
    )
    assert found.layer == "financial-functional" and found.kind == "risk"
    assert found.score == 6 and found.rating is m.Level.HIGH  # 2 × 3
    assert found.origin("owner") is not None


def test_a_template_threatened_stands_for_the_channels_built_on_it(project: Project) -> None:
    text = TARGETS + "channel sales extends std.voice { hours mon..fri 08:00-18:00 }\n"
    text += risk("outage", "low", "high", "; threatens std.voice")
    (found,) = model_of(project, text).of(m.Risk)
    assert found.threatens == (m.Ref("channel", "voice"), m.Ref("channel", "sales"))


# Likelihood × impact, each ranked low 1, medium 2, high 3; rated high from 6, medium from 3.
MATRIX = [
    ("low", "low", 1, "low"),
    ("low", "medium", 2, "low"),
    ("medium", "low", 2, "low"),
    ("low", "high", 3, "medium"),
    ("high", "low", 3, "medium"),
    ("medium", "medium", 4, "medium"),
    ("medium", "high", 6, "high"),
    ("high", "medium", 6, "high"),
    ("high", "high", 9, "high"),
]


@pytest.mark.parametrize(("likelihood", "impact", "score", "rating"), MATRIX)
def test_risk_score_and_rating(
    project: Project, likelihood: str, impact: str, score: int, rating: str
) -> None:
    (found,) = model_of(project, risk("r", likelihood, impact)).of(m.Risk)
    assert found.score == score
    assert found.rating is m.Level(rating)


def test_risks_ranked_by_score_then_impact_then_declaration(project: Project) -> None:
    text = (
        risk("nuisance", "high", "low")  # 3
        + risk("disaster", "low", "high")  # 3, but the higher impact
        + risk("worst", "high", "high")  # 9
        + risk("minor", "low", "low")  # 1
        + risk("also_worst", "high", "high")  # 9, declared after `worst`
    )
    model = model_of(project, text)
    assert [r.name for r in model.of(m.Risk)] == [
        "nuisance", "disaster", "worst", "minor", "also_worst",
    ]  # fmt: skip
    assert [r.name for r in model.risks] == [
        "worst", "also_worst", "disaster", "nuisance", "minor",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "locale", "units"),
    [
        ("", "en_US", m.UnitSystem.IMPERIAL),  # the default: today's output
        ('; locale "en_GB"', "en_GB", m.UnitSystem.METRIC),
        ('; locale "en-gb"', "en_GB", m.UnitSystem.METRIC),  # stored in canonical form
        ('; locale "de"', "de", m.UnitSystem.METRIC),
        ('; locale "en_LR"', "en_LR", m.UnitSystem.IMPERIAL),
        ('; locale "en_GB"; units imperial', "en_GB", m.UnitSystem.IMPERIAL),
        ("; units metric", "en_US", m.UnitSystem.METRIC),
    ],
)
def test_locale_and_units(project: Project, extra: str, locale: str, units: m.UnitSystem) -> None:
    blueprint = model_of(project, "", extra).blueprint
    assert blueprint.locale == locale
    assert blueprint.units is units
    declared = "units" in extra
    origin = blueprint.origin("units")
    assert origin is not None and origin.via == ("declared" if declared else "default")
