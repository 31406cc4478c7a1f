"""Document 7 (vendor evaluation): the docs' three-vendor example worked out by hand."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import vendors
from blueprintc.driver import Compilation
from tests.documents.conftest import render
from tests.documents.test_rfp import EMPTY, SMALL, compiled

ALPHA_SCORES = "score { functionality 4; price 3; support 4 }"
BETA_SCORES = "score { functionality 3.5; price 4.5; support 2.5 }"


@pytest.fixture(scope="module")
def small() -> Compilation:
    return compiled(SMALL)


@pytest.fixture(scope="module")
def view(small: Compilation) -> vendors.VendorsView:
    return vendors.build(Context.of_compilation(small))


def test_weighted_scores_and_ranking_by_hand(view: vendors.VendorsView) -> None:
    # alpha: 0.5 x 4 + 0.3 x 3 + 0.2 x 4 = 3.7; beta: 1.75 + 1.35 + 0.5 = 3.6.
    ranked = [(v.vendor, v.position, v.total, v.share) for v in view.vendors if not v.excluded]
    assert ranked == [("alpha", 1, F(37, 10), F(37, 50)), ("beta", 2, F(36, 10), F(36, 50))]
    alpha = view.vendors[0]
    assert [(s.criterion, s.score, s.weighted) for s in alpha.scores] == [
        ("functionality", F(4), F(2)),
        ("price", F(3), F(9, 10)),
        ("support", F(4), F(4, 5)),
    ]
    assert alpha.price == 1_000_000 and view.winner == "alpha"


def test_knock_outs(view: vendors.VendorsView) -> None:
    (gamma,) = [v for v in view.vendors if v.excluded]
    assert gamma.vendor == "gamma" and gamma.position is None and gamma.total == 5
    (knock_out,) = view.knock_outs
    assert (knock_out.vendor, knock_out.requirements) == ("gamma", ("REQ-R-TWO",))


def test_sensitivity_by_hand(view: vendors.VendorsView) -> None:
    (pair,) = view.pairs
    assert (pair.leader, pair.runner_up, pair.lead) == ("alpha", "beta", F(1, 10))
    rows = {s.criterion: s for s in pair.criteria}
    # price: d = 3 - 4.5 = -1.5, E = (0.1 + 0.3 x 1.5) / 0.7 = 11/14,
    # x* = E / (E - d) = 11/32, change = 11/32 - 3/10 = 7/160 (4.375 points), raising.
    assert rows["price"].tie_weight == F(11, 32)
    assert rows["price"].change_points == F(7, 160) * 100
    assert rows["price"].direction == "raise" and rows["price"].most_sensitive
    # functionality: d = 0.5 and E = (0.1 - 0.25) / 0.5 = -0.3 < 0: x* = 0.3 / 0.8 = 3/8,
    # lowering the weight below it flips.
    assert rows["functionality"].tie_weight == F(3, 8)
    assert rows["functionality"].direction == "lower"
    assert pair.most_sensitive == "price"


def test_markdown(small: Compilation) -> None:
    text = render(small, "vendor-evaluation")
    assert "| 1 | alpha | 3.700 | 74.0% | 1,000,000 |" in text
    assert "| gamma | REQ-R-TWO |" in text
    assert "| price | 30.0% | 34.4% | 4.4 | raise | yes |" in text
    assert " \n" not in text


def test_empty_blueprint() -> None:
    empty = compiled(EMPTY)
    view = vendors.build(Context.of_compilation(empty))
    assert view.vendors == () and view.pairs == () and view.winner is None
    text = render(empty, "vendor-evaluation")
    for what in ("evaluation criteria", "scored vendors", "knocked-out vendors"):
        assert f"_No {what} in this blueprint._" in text


def test_names_are_escaped() -> None:
    # Identifiers are the only blueprint text this document shows: `_` must not emphasise.
    text = SMALL.replace("vendor alpha", "vendor _alpha_")
    rendered = render(compiled(text), "vendor-evaluation")
    assert "| 1 | \\_alpha\\_ |" in rendered and "| _alpha_ |" not in rendered


def test_a_tie_for_first_place_recommends_no_one() -> None:
    # beta rescored to alpha's 3.7: 0.5 x 4 + 0.3 x 3 + 0.2 x 4 on both.
    tied = SMALL.replace(BETA_SCORES, ALPHA_SCORES)
    assert tied != SMALL
    compilation = compiled(tied)
    view = vendors.build(Context.of_compilation(compilation))
    ranked = [(v.vendor, v.position, v.total, v.tied) for v in view.vendors if not v.excluded]
    assert ranked == [("alpha", 1, F(37, 10), True), ("beta", 2, F(37, 10), True)]
    assert view.winner is None and view.leaders == ("alpha", "beta")
    text = render(compilation, "vendor-evaluation")
    assert "Recommended:" not in text
    assert "No vendor is recommended: alpha, beta tie for first place" in text
    assert "| 1 (tied) | alpha |" in text and "| 2 (tied) | beta |" in text
