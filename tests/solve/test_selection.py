"""Vendor selection against hand calculations, and weight-sensitivity properties.

Expected totals, percentages and flip points are worked out by hand in the comments; the
property test checks every reported flip by recomputing the totals at the shifted weights
(the convention, not the closed form under test).
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprintc.solve.selection import (
    Excluded,
    Vendor,
    flip_point,
    most_sensitive,
    normalise_weights,
    rank,
    sensitivity,
    shifted_weights,
    total,
)

# Two criteria, two vendors.
#   weights: price 40 %, function 60 %
#   A scores price 2, function 5:  total 0.4 × 2 + 0.6 × 5 = 0.8 + 3.0 = 3.8  (76 % of 5)
#   B scores price 4, function 3:  total 0.4 × 4 + 0.6 × 3 = 1.6 + 1.8 = 3.4  (68 % of 5)
CRITERIA = {"price": F(40, 100), "function": F(60, 100)}
A = Vendor("A", {"price": 2, "function": 5})
B = Vendor("B", {"price": 4, "function": 3})


def test_hand_ranking() -> None:
    ranking = rank(CRITERIA, [B, A])
    assert ranking.winner == "A"
    assert [(v.name, v.position, v.total, v.percent) for v in ranking.ranked] == [
        ("A", 1, F(38, 10), F(76)),
        ("B", 2, F(34, 10), F(68)),
    ]
    assert not ranking.normalised
    assert ranking.excluded == ()
    assert not any(v.tied for v in ranking.ranked)


def test_hand_flip_points() -> None:
    # Price weight moved to x, function rescaled to 0.6 × (1 − x) / 0.6 = 1 − x:
    #   A(x) = 2x + 5(1 − x) = 5 − 3x,   B(x) = 4x + 3(1 − x) = 3 + x
    #   tie: 5 − 3x = 3 + x  →  x = 1/2.  Price 50 % (+10 points), function 50 %:
    #   A = 1 + 2.5 = 3.5 = B.  Above 50 % B wins.
    # Function weight moved to y, price rescaled to 1 − y:
    #   A(y) = 2(1 − y) + 5y = 2 + 3y,   B(y) = 4(1 − y) + 3y = 4 − y
    #   tie: 2 + 3y = 4 − y  →  y = 1/2: function 50 % (−10 points).  Below 50 % B wins.
    flips = sensitivity(CRITERIA, [A, B])
    assert [(f.criterion, f.weight, f.new_weight, f.change, f.points) for f in flips] == [
        ("price", F(2, 5), F(1, 2), F(1, 10), F(10)),
        ("function", F(3, 5), F(1, 2), F(-1, 10), F(-10)),
    ]
    assert all((f.leader, f.runner_up, f.winner) == ("A", "B", "B") for f in flips)
    assert [f.direction for f in flips] == [1, -1]
    # Equal |Δ| (10 points each): the criterion name decides, "function" < "price".
    assert [(f.criterion, f.most_sensitive) for f in flips] == [
        ("price", False),
        ("function", True),
    ]
    assert most_sensitive(flips) == [flips[1]]
    tie = shifted_weights(CRITERIA, "price", F(1, 2))
    assert tie == {"price": F(1, 2), "function": F(1, 2)}
    assert total(tie, A) == total(tie, B) == F(7, 2)


def test_normalisation_warning() -> None:
    # 30 + 30 + 20 = 80 %: normalised to 3/8, 3/8, 1/4 and flagged.
    weights, normalised = normalise_weights({"a": F(3, 10), "b": F(3, 10), "c": F(1, 5)})
    assert normalised
    assert weights == {"a": F(3, 8), "b": F(3, 8), "c": F(1, 4)}
    assert normalise_weights({"a": F(1, 2), "b": F(1, 2)}) == ({"a": F(1, 2), "b": F(1, 2)}, False)
    ranking = rank({"price": F(2, 10), "function": F(3, 10)}, [A, B])
    assert ranking.normalised
    # Same ratio as 40/60, so the totals are those of the hand example.
    assert ranking.weights == CRITERIA
    assert [v.total for v in ranking.ranked] == [F(38, 10), F(34, 10)]


def test_zero_and_negative_weights() -> None:
    assert normalise_weights({"a": F(0)}) == ({"a": F(0)}, False)
    ranking = rank({"a": F(0)}, [B, A])
    assert [(v.name, v.total, v.percent, v.tied) for v in ranking.ranked] == [
        ("A", F(0), None, True),
        ("B", F(0), None, True),
    ]
    assert sensitivity({"a": F(0)}, [A, B]) == []
    with pytest.raises(ValueError, match="negative"):
        normalise_weights({"a": F(-1), "b": F(2)})


def test_knock_out_excluded() -> None:
    best = Vendor("best", {"price": 5, "function": 5}, fails=("data_residency", "cloud_acd"))
    ranking = rank(CRITERIA, [best, A, B])
    assert [v.name for v in ranking.ranked] == ["A", "B"]
    assert ranking.excluded == (Excluded("best", ("data_residency", "cloud_acd")),)
    # Excluded vendors take no part in the sensitivity either.
    assert {f.leader for f in sensitivity(CRITERIA, [best, A, B])} == {"A"}


def test_tie_broken_by_name() -> None:
    zulu = Vendor("zulu", {"price": 3, "function": 4})
    alpha = Vendor("alpha", {"price": 3, "function": 4})
    ranking = rank(CRITERIA, [zulu, A, alpha])
    assert [(v.name, v.position, v.tied) for v in ranking.ranked] == [
        ("A", 1, False),
        ("alpha", 2, True),
        ("zulu", 3, True),
    ]
    assert (ranking.winner, ranking.leaders) == ("A", ("A",))
    # Without A, alpha and zulu tie for first place: listed by name, neither recommended.
    top = rank(CRITERIA, [zulu, alpha])
    assert [(v.name, v.position, v.tied) for v in top.ranked] == [
        ("alpha", 1, True),
        ("zulu", 2, True),
    ]
    assert (top.winner, top.leaders) == (None, ("alpha", "zulu"))
    assert (rank(CRITERIA, []).winner, rank(CRITERIA, []).leaders) == (None, ())
    # Identical scores: no weight separates them.
    flips = [f for f in sensitivity(CRITERIA, [zulu, A, alpha]) if f.leader == "alpha"]
    assert [f.new_weight for f in flips] == [None, None]


def test_missing_score_counts_zero_and_lots() -> None:
    partial = Vendor("partial", {"function": 5}, bids=("acd",))
    # 0.4 × 0 + 0.6 × 5 = 3
    assert total(CRITERIA, partial) == 3
    ranking = rank(CRITERIA, [partial, A, B], lot="acd")
    assert [v.name for v in ranking.ranked] == ["partial"]
    assert ranking.not_bidding == ("A", "B")
    assert ranking.ranked[0].bids == ("acd",)
    assert rank(CRITERIA, [partial, A]).not_bidding == ()


def test_no_flip_for_dominating_vendor() -> None:
    # D scores at least as high everywhere: D(x) ≥ 0 for every weight, so never a flip.
    dominant = Vendor("dominant", {"price": 4, "function": 5})
    flips = sensitivity(CRITERIA, [dominant, B])
    assert [(f.criterion, f.new_weight, f.change, f.winner, f.direction) for f in flips] == [
        ("price", None, None, None, 0),
        ("function", None, None, None, 0),
    ]
    assert most_sensitive(flips) == []


def test_flip_at_the_edge_of_the_range() -> None:
    # Leader wins only on c (5 vs 0), ties on d: the lead is 5 w_c, zero only at w_c = 0.
    # Lowering c to exactly 0 ties them but never puts the runner-up ahead: no flip.
    weights = {"c": F(1, 2), "d": F(1, 2)}
    lead, runner = Vendor("L", {"c": 5, "d": 3}), Vendor("R", {"c": 0, "d": 3})
    assert flip_point(weights, lead, runner, "c") is None
    # A criterion with all the weight cannot be rescaled: no flip.
    assert flip_point({"c": F(1), "d": F(0)}, lead, runner, "c") is None


def test_every_adjacent_pair() -> None:
    c = Vendor("C", {"price": 5, "function": 1})  # 0.4 × 5 + 0.6 × 1 = 2.6
    flips = sensitivity(CRITERIA, [c, B, A])
    assert [(f.leader, f.runner_up) for f in flips] == [("A", "B")] * 2 + [("B", "C")] * 2


def test_invalid_inputs() -> None:
    with pytest.raises(ValueError, match="outside"):
        Vendor("x", {"price": 6})
    with pytest.raises(ValueError, match="duplicate"):
        rank(CRITERIA, [A, A])
    with pytest.raises(ValueError, match="behind"):
        flip_point(CRITERIA, B, A, "price")
    with pytest.raises(ValueError, match="all the weight"):
        shifted_weights({"a": F(1)}, "a", F(1, 2))


# ---------------------------------------------------------------------------- property

NAMES = ("alpha", "bravo", "charlie", "delta")
scores = st.integers(0, 10).map(lambda n: F(n, 2))  # 0 to 5 in halves


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, F], list[Vendor]]:
    count = draw(st.integers(1, 4))
    criteria = [f"c{i}" for i in range(count)]
    weights = draw(st.lists(st.integers(0, 20), min_size=count, max_size=count))
    if not sum(weights):
        weights[0] = 1
    vendors = [
        Vendor(name, {c: draw(scores) for c in criteria})
        for name in NAMES[: draw(st.integers(2, 4))]
    ]
    return {c: F(w, 100) for c, w in zip(criteria, weights, strict=True)}, vendors


@settings(max_examples=300, deadline=None)
@given(cases())
def test_reported_flips_are_exact(case: tuple[dict[str, F], list[Vendor]]) -> None:
    criteria, vendors = case
    ranking = rank(criteria, vendors)
    weights = dict(ranking.weights)
    assert sum(weights.values()) == 1
    by_name = {v.name: v for v in vendors}
    flips = sensitivity(criteria, vendors)
    assert len(flips) == (len(vendors) - 1) * len(criteria)
    for flip in flips:
        lead, runner = by_name[flip.leader], by_name[flip.runner_up]
        assert total(weights, lead) >= total(weights, runner)
        if flip.new_weight is None:
            # Linear in the weight: no flip in [0, 1] iff the runner-up is not ahead at
            # either end of the range.
            if flip.weight < 1:
                for end in (F(0), F(1)):
                    moved = shifted_weights(weights, flip.criterion, end)
                    assert total(moved, lead) >= total(moved, runner)
            continue
        assert flip.change == flip.new_weight - flip.weight
        assert flip.winner == flip.runner_up
        at = shifted_weights(weights, flip.criterion, flip.new_weight)
        assert sum(at.values()) == 1
        assert total(at, lead) == total(at, runner)  # exact tie at the reported weight
        room = 1 - flip.new_weight if flip.direction > 0 else flip.new_weight
        assert room > 0
        epsilon = min(F(1, 10**9), room / 2)
        past = shifted_weights(weights, flip.criterion, flip.new_weight + flip.direction * epsilon)
        assert total(past, runner) > total(past, lead)  # the order is flipped
        if flip.change:
            assert (flip.change > 0) == (flip.direction > 0)
    pairs = {(f.leader, f.runner_up) for f in flips}
    for pair in pairs:
        options = [f for f in flips if (f.leader, f.runner_up) == pair and f.change is not None]
        marked = [f for f in flips if (f.leader, f.runner_up) == pair and f.most_sensitive]
        if options:
            smallest = min(abs(f.change or F(0)) for f in options)
            assert len(marked) == 1 and abs(marked[0].change or F(0)) == smallest
        else:
            assert marked == []
