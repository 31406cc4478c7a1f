"""How figures are shown and encoded (blueprintc.documents.values): the quick paths give
what the general rules give, checked against those rules written out plainly here."""

from __future__ import annotations

import enum
import math
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from blueprintc.documents import values
from blueprintc.documents.catalog import DOCUMENTS
from blueprintc.documents.context import Context, Where
from tests.documents.conftest import compiled_example


def plain_json(value: Any) -> Any:
    """The JSON form by its rules, in order, for any value (the reference)."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, Fraction):
        return values._fraction_text(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        rounded = round(value, 6)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, (Where, Decimal)):
        return str(value)
    if isinstance(value, enum.Enum):
        return plain_json(value.value)
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return {f.name: plain_json(getattr(value, f.name)) for f in fields if f.name[0] != "_"}
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain_json(v) for v in value]
    raise TypeError(type(value).__name__)


@pytest.mark.parametrize("stem", ["northwind_bank", "thornvale_water"])
def test_every_view_encodes_as_its_rules_say(stem: str) -> None:
    ctx = Context.of_compilation(compiled_example(stem))
    for document in DOCUMENTS:
        view = document.build(ctx)
        assert values.json_value(view) == plain_json(view), document.name


class Kind(enum.Enum):
    A = "a"


class Text(str):
    pass


@attrs.frozen
class Row:
    name: str
    where: Where
    share: Fraction
    kind: Kind
    _hidden: int = 0


def test_subclasses_and_objects_take_their_own_rule() -> None:
    row = Row("x", Where("a.cxb", 3), Fraction(1, 3), Kind.A, 9)
    mixed = [row, (1, 2.5, True, None), {Kind.A: Decimal("1.50")}, Text("t"), math.nan]
    assert values.json_value(mixed) == plain_json(mixed)
    assert values.json_value(row) == {
        "name": "x", "where": "a.cxb:3", "share": "0.333333", "kind": "a"
    }  # fmt: skip


def _decimal_by_fraction(value: int, places: int) -> Decimal | str:
    """An int shown through its fraction, as any exact value is (the reference)."""
    exact = Decimal(value) / Decimal(1)
    try:
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    except InvalidOperation:
        return "invalid"


@given(st.integers(-(10**31), 10**31), st.integers(0, 6))
def test_a_whole_number_rounds_as_its_fraction_does(value: int, places: int) -> None:
    try:
        got: Decimal | str = values._decimal(value, places)
    except InvalidOperation:
        got = "invalid"
    want = _decimal_by_fraction(value, places)
    assert got == want and str(got) == str(want)
