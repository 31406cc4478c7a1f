"""The registry of `assert` figures and assertions resolved into typed trees."""

from __future__ import annotations

import tempfile
from fractions import Fraction
from pathlib import Path

import pytest

from blueprintc.driver import compile
from blueprintc.model import elements as m
from blueprintc.outcome.figures import EVALUATORS, Results, figure_value
from blueprintc.semantic import figures as F
from blueprintc.semantic import schema
from tests.sizing.test_size import ONE_INTERVAL, hand_agents

ROOT = Path(__file__).resolve().parent.parent.parent
HEADER = 'blueprint "T" { currency USD; exchange EUR 1.25; start 2027-01; horizon 3 years }\n'


def _typed(text: str) -> F.Typed:
    """The typed tree of one assertion, as the semantic stage resolves it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "main.cxb"
        path.write_text(HEADER + f"assert {text}\n", encoding="utf-8")
        result = compile(path, until="check")
    assert result.checked is not None
    (typed,) = result.checked.typed
    assert typed is not None
    return typed


def test_one_entry_per_figure_each_with_an_evaluator() -> None:
    names = [f.name for f in F.FIGURES]
    assert len(names) == len(set(names)) == len(F.BY_NAME)
    assert set(EVALUATORS) == set(F.FIGURES)
    for figure in F.FIGURES:
        assert all(form.startswith(figure.name) for form in figure.forms), figure.name
        assert figure.summary and figure.definition
        # A figure written bare takes no argument.
        assert not figure.bare or figure.argument is F.Argument.NONE


def test_argument_words_are_not_taken_for_names() -> None:
    assert {"year", "option", "total", "current", "target"} <= F.ARGUMENT_WORDS
    assert set(schema.DEPLOYMENT_MODELS) <= F.ARGUMENT_WORDS


def test_literals_are_converted_to_canonical_units() -> None:
    typed = _typed("occupancy(voice) <= 85%")
    assert isinstance(typed, F.Binary) and typed.op is F.Op.AT_MOST
    assert typed.right == F.Literal(Fraction(17, 20), F.Kind.PERCENTAGE, typed.right.span)
    # 2 min = 120 s; 24 months of the assert units = 24 x (365 x 24 x 3600 / 12) s.
    assert _literal(_typed("asa(voice) < 2 min")) == (Fraction(120), F.Kind.DURATION)
    assert _literal(_typed("payback <= 24 months")) == (24 * 2_628_000, F.Kind.DURATION)
    # 1.8M EUR at 1.25 USD per EUR is 2.25M USD.
    assert _literal(_typed("capex(total) <= 1.8M EUR")) == (2_250_000, F.Kind.MONEY)
    assert _literal(_typed("fte(total) <= 400")) == (400, F.Kind.NUMBER)


def _literal(typed: F.Typed) -> tuple[Fraction | None, F.Kind]:
    assert isinstance(typed, F.Binary) and isinstance(typed.right, F.Literal)
    return typed.right.value, typed.right.kind


@pytest.mark.parametrize(
    ("text", "argument"),
    [
        ("fte(voice)", F.Named("channel", "voice")),
        ("fte(channel.voice)", F.Named("channel", "voice")),
        ("fte(total)", F.Total()),
        ("seats(hq)", F.Named("site", "hq")),
        ("phase_end(foundation)", F.Named("phase", "foundation")),
        ("capex(year 2)", F.Year(2)),
        ("capex(year 1.5)", F.Malformed()),
        ("capex(2)", F.Malformed()),
        ("npv(option cloud)", F.Option("cloud")),
        ("npv()", F.Total()),
        ("maturity(current)", F.Position("current")),
        ("maturity(technology)", F.Position("technology")),
        ("maturity(year 2)", F.Malformed()),
        ("payback", F.Total()),
        ("irr(total)", F.Total()),
    ],
)
def test_arguments_are_resolved_once(text: str, argument: F.Resolved) -> None:
    typed = _typed(f"{text} > 0")
    assert isinstance(typed, F.Binary) and isinstance(typed.left, F.FigureRef)
    assert typed.left.argument == argument
    assert typed.left.figure is F.BY_NAME[text.split("(")[0]]


def test_logic_and_negation_keep_their_shape() -> None:
    typed = _typed("not fte(total) > 3 or -agents(voice) < 0 and payback <= 2 months")
    assert isinstance(typed, F.Binary) and typed.op is F.Op.OR
    assert isinstance(typed.left, F.Not)
    assert isinstance(typed.right, F.Binary) and typed.right.op is F.Op.AND
    comparison = typed.right.left
    assert isinstance(comparison, F.Binary) and isinstance(comparison.left, F.Negate)
    assert [r.figure.name for r in F.figure_refs(typed)] == ["fte", "agents", "payback"]


def test_layer_comes_from_the_registry() -> None:
    assert F.layer_of(_typed("fte(total) <= 3")) is F.Layer.OPERATIONAL
    assert F.layer_of(_typed("fte(total) <= 3 and payback <= 12 months")) is F.Layer.FINANCIAL
    assert F.layer_of(_typed("phase_end(a) <= phase_end(b)")) is F.Layer.OPERATIONAL


def test_docs_table_is_generated_from_the_registry() -> None:
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    assert F.render_table() in page, (
        "regenerate: python -m blueprintc.semantic.figures docs/language.md"
    )
    for figure in F.FIGURES:
        assert figure.definition in page


def test_fte_of_a_self_service_channel_is_zero() -> None:
    """A channel without agents has no FTE (it used to fail on an empty sum)."""
    result = compile(ROOT / "examples" / "northwind_bank.cxb")
    assert result.model is not None and result.outcome is not None
    web = result.model.get(m.Ref("channel", "web"))
    assert isinstance(web, m.Channel)
    results = Results(result.model, result.outcome)
    assert figure_value(results, "fte", F.Named("channel", "web")) == 0.0
    assert figure_value(results, "agents", F.Named("channel", "web")) == 0.0


def test_typed_assertions_evaluate_by_hand() -> None:
    """One half-hour of 10 Erlangs (100 contacts x 180 s / 1,800 s): the textbook Erlang C
    gives the agents for 80% within 20 s; occupancy is 10 / agents; one supervisor per 12
    agents sits beside them."""
    agents = hand_agents(10.0, 180.0, 20.0, 0.8)
    assert agents == 14
    lines = [
        f"assert agents(voice) == {agents} and agents(total) * 2 == {2 * agents}",
        f"assert -agents(voice) + 20 == {20 - agents}",
        f"assert not seats(hq) != {agents + 1} and seats(total) == {agents + 1} seats",
        "assert occupancy(voice) > 71% and occupancy(voice) < 72%",  # 10/14 = 71.4%
        "assert occupancy(voice) <= 70% or agents(voice) > 20",
        "assert tco(total) == capex(total) + opex(total)",
    ]
    result = compile(ONE_INTERVAL + "\n".join(lines) + "\n")
    assert result.assertions is not None
    assert list(result.assertions.values()) == [True, True, True, True, False, True]
    (failed,) = [d for d in result.diagnostics if d.code.id == "CXB0605"]
    # Each failed comparison is shown in the unit of its figure.
    assert failed.message.endswith("occupancy(voice) is 71.4%; agents(voice) is 14")
