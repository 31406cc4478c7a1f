"""Maturity index against a hand calculation, empty layers, gap order and conventions."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from blueprintc.solve.maturity import (
    LAYERS,
    Practice,
    maturity_index,
    one_decimal,
    round_half_up,
)

# Two layers, four practices; value = weight × tier value (standard 1, best 2, next 3):
#   brand       voc_survey      standard  weight 1  → 1
#   brand       voc_analytics   next      weight 2  → 6     brand total 7
#   operational wfm_sheets      standard  weight 2  → 2
#   operational wfm_suite       best      weight 3  → 6     operational total 8
# Catalogue total 15.
CATALOGUE = (
    Practice("voc_survey", "brand", "standard", 1),
    Practice("voc_analytics", "brand", "next", 2),
    Practice("wfm_sheets", "operational", "standard", 2),
    Practice("wfm_suite", "operational", "best", 3),
)


def test_hand_example() -> None:
    # Current {voc_survey, wfm_sheets}:
    #   brand 1/7 × 100 = 14.29,  operational 2/8 × 100 = 25,  overall 3/15 × 100 = 20
    # Target list {wfm_suite, voc_analytics}; position = current ∪ target = all four:
    #   brand 7/7 = 100, operational 8/8 = 100, overall 100
    result = maturity_index(CATALOGUE, ["voc_survey", "wfm_sheets"], ["wfm_suite", "voc_analytics"])
    brand, operational = result.layer("brand"), result.layer("operational")
    assert (brand.current, brand.target, brand.catalogue) == (F(100, 7), F(100), F(7))
    assert (operational.current, operational.target, operational.catalogue) == (
        F(25),
        F(100),
        F(8),
    )
    assert (result.current, result.target) == (F(20), F(100))
    assert one_decimal(brand.current) == "14.3"
    # Overall = layers weighted by their catalogue totals: (7 × 100/7 + 8 × 25) / 15 = 20,
    # not the plain mean (14.29 + 25) / 2 = 19.64.
    assert result.current == (7 * F(100, 7) + 8 * F(25)) / 15
    assert [p.name for p in result.gaps] == ["voc_analytics", "wfm_suite"]
    assert result.retired == ()
    assert [p.name for p in result.carried] == ["voc_survey", "wfm_sheets"]


def test_empty_layers_have_no_index() -> None:
    result = maturity_index(CATALOGUE, [], [])
    assert [entry.layer for entry in result.layers] == list(LAYERS)
    for layer in ("business", "financial", "technology"):
        entry = result.layer(layer)
        assert (entry.current, entry.target, entry.catalogue) == (None, None, F(0))
    assert result.layer("brand").current == 0
    assert (result.current, result.target) == (F(0), F(0))
    empty = maturity_index([], [], [])
    assert (empty.current, empty.target) == (None, None)
    assert one_decimal(empty.current) == "–"


def test_gap_order_layer_then_tier_then_name() -> None:
    practices = [
        Practice("z_tech_std", "technology", "standard"),
        Practice("b_ops_next", "operational", "next"),
        Practice("a_ops_next", "operational", "next"),
        Practice("c_ops_std", "operational", "standard"),
        Practice("y_brand_best", "brand", "best"),
        Practice("x_fin_best", "financial", "best"),
    ]
    result = maturity_index(practices, [], [p.name for p in practices])
    # Layers top-down (brand before financial before operational before technology),
    # then standard < best < next, then name.
    assert [p.name for p in result.gaps] == [
        "y_brand_best",
        "x_fin_best",
        "c_ops_std",
        "a_ops_next",
        "b_ops_next",
        "z_tech_std",
    ]


def test_target_includes_current() -> None:
    # Current practices not named in the target stay in the target position.
    result = maturity_index(CATALOGUE, ["voc_survey", "wfm_suite"], ["voc_analytics"])
    assert result.layer("operational").target == result.layer("operational").current == F(75)
    assert result.target is not None and result.current is not None
    assert result.target >= result.current
    assert [p.name for p in result.gaps] == ["voc_analytics"]
    assert [p.name for p in result.carried] == ["voc_survey", "wfm_suite"]
    # Target list equal to current: no gaps, same index.
    same = maturity_index(CATALOGUE, ["wfm_suite"], ["wfm_suite"])
    assert same.gaps == () and same.carried == () and same.current == same.target


def test_explicit_retirement() -> None:
    # Replace the spreadsheets by the suite: operational target 6/8 = 75, not 100.
    result = maturity_index(CATALOGUE, ["wfm_sheets"], ["wfm_suite"], retired=["wfm_sheets"])
    assert result.layer("operational").target == F(75)
    assert [p.name for p in result.retired] == ["wfm_sheets"]
    assert result.carried == ()
    with pytest.raises(ValueError, match="both"):
        maturity_index(CATALOGUE, [], ["wfm_suite"], retired=["wfm_suite"])


def test_custom_tier_values() -> None:
    # Tier values all 1 (weights already encode the tier): brand 1/3 × 100.
    flat = {"standard": F(1), "best": F(1), "next": F(1)}
    result = maturity_index(CATALOGUE, ["voc_survey"], [], tier_values=flat)
    assert result.layer("brand").current == F(100, 3)


def test_invalid_inputs() -> None:
    with pytest.raises(ValueError, match="unknown practices"):
        maturity_index(CATALOGUE, ["nope"], [])
    with pytest.raises(ValueError, match="duplicate"):
        maturity_index([*CATALOGUE, CATALOGUE[0]], [], [])
    with pytest.raises(ValueError, match="layer"):
        Practice("p", "marketing", "best")
    with pytest.raises(ValueError, match="tier"):
        Practice("p", "brand", "worst")
    with pytest.raises(ValueError, match="weight"):
        Practice("p", "brand", "best", 0)


def test_rounding_for_display() -> None:
    assert one_decimal(F(1, 20)) == "0.1"  # 0.05 rounds half up
    assert one_decimal(F(-1, 20)) == "-0.1"
    assert one_decimal(F(100)) == "100.0"
    assert one_decimal(F(200, 3)) == "66.7"
    assert round_half_up(F(5, 2)) == 3 and round_half_up(F(-5, 2)) == -3
