"""Well-typed but extreme values for every slot of the schema, as source text.

Everything here is derived from :mod:`blueprintc.semantic.schema` and the unit tables:
a new field, a new unit or new bounds are fuzzed without a change here. A new kind of
slot fails loudly (:func:`slot_text` raises) until it is given a strategy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from hypothesis import strategies as st

from blueprintc.diagnostics.codes import CODES
from blueprintc.semantic import slots as S
from blueprintc.semantic.schema import DECLARATIONS, KEYWORDS, FieldSpec
from blueprintc.semantic.units import COUNT_UNITS, TIME_UNITS, UnitInfo, interpret

Names = Mapping[str, Sequence[str]]
Text = st.SearchStrategy[str]

CURRENCIES = ("USD", "EUR")  # the fuzz blueprints declare `exchange EUR ...`
EXCHANGE = {"USD": Fraction(1), "EUR": Fraction("1.08")}

# Magnitudes that stress number handling: zero, tiny (1e-300), huge (1e30, 1e308, 1e400,
# 1e4000 written out), many digits, every suffix.
EXTREME_NUMBERS = (
    "0",
    "0.0",
    "00",
    "0_0",
    "1",
    "0.5",
    "4.5",
    "100",
    "99.999",
    "100.0001",
    "0.000_000_1",
    "0." + "0" * 299 + "1",
    "1" + "0" * 30,
    "1" + "0" * 308,
    "1" + "0" * 400,
    "1" + "0" * 4000,
    "9" * 1000,
    "1." + "3" * 200,
    "123_456_789.123_456_789_123_456_789",
    "1_000_000_000",
    "0.001k",
    "1.5B",
    "999B",
    "1_000_000B",
)
SUFFIXES = ("", "k", "M", "B")
LONG_LIST_CHARACTERS = 200_000


def _base_words() -> dict[str, tuple[str, ...]]:
    """The unit words of each base dimension, from the unit tables."""
    words: dict[str, list[str]] = {"time": list(TIME_UNITS), "money": list(CURRENCIES)}
    for word, (base, _) in COUNT_UNITS.items():
        words.setdefault(base, []).append(word)
    return {base: tuple(found) for base, found in words.items()}


BASE_WORDS = _base_words()


def decimal_text(value: Fraction) -> str:
    """A fraction as a plain decimal numeral (40 significant digits), never exponent form."""
    with localcontext() as context:
        context.prec = 40
        number = Decimal(value.numerator) / Decimal(value.denominator)
        text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@st.composite
def _unit(draw: st.DrawFn, slot: S.Qty) -> tuple[str, UnitInfo]:
    """A unit written for one of the slot's dimensions: (text, meaning)."""
    dims = draw(st.sampled_from(slot.dims))
    top = [base for base, exponent in dims if exponent > 0 for _ in range(exponent)]
    bottom = [base for base, exponent in dims if exponent < 0 for _ in range(-exponent)]
    if len(top) > 1:
        raise TypeError(f"no unit syntax for {dims}: fuzz values need a new case")
    if not dims and slot.unit_required and not slot.percent:
        same = draw(st.sampled_from(sorted(BASE_WORDS)))  # a ratio such as `h/week`
        top, bottom = [same], [same]
    numerator = draw(st.sampled_from(BASE_WORDS[top[0]])) if top else None
    if slot.percent:
        numerator = "%"
    per = tuple(draw(st.sampled_from(BASE_WORDS[base])) for base in bottom)
    info = interpret(numerator, per, EXCHANGE)
    assert isinstance(info, UnitInfo), (numerator, per)
    if numerator is None and not per:
        return "", info
    text = (numerator or "") + "".join(f"/{word}" for word in per)
    separator = "" if numerator in (None, "%") else " "
    return separator + text, info


def _bounds(slot: S.Qty) -> list[Fraction]:
    """Zero, one and the slot's limits, steps and allowed values, in canonical units."""
    found = [Fraction(0), Fraction(1)]
    for limits in getattr(slot, "ranges", ()) or (slot,):
        for name in ("lo", "hi", "minimum", "maximum", "step"):
            bound = getattr(limits, name, None)
            if isinstance(bound, Fraction):
                found.append(bound)
        found += list(getattr(limits, "allowed", ()))
    return found


@st.composite
def quantity(draw: st.DrawFn, slot: S.Qty) -> str:
    """A number with one of the slot's units: an extreme, or a limit of the slot (exactly,
    or a hair either side), or an ordinary value; sometimes negative."""
    unit, info = draw(_unit(slot))
    hair = Fraction(1, 10**12)
    near = [b / info.factor + d for b in _bounds(slot) for d in (0, hair, -hair)]
    number = draw(
        st.one_of(
            st.sampled_from(EXTREME_NUMBERS),
            st.sampled_from(near).map(decimal_text),
            st.tuples(st.integers(0, 10**7), st.sampled_from(SUFFIXES)).map(
                lambda pair: f"{pair[0]:_}{pair[1]}"
            ),
            st.decimals(0, 10**6, places=3).map(str),
        )
    )
    sign = draw(st.sampled_from(("", "", "", "-")))
    if number.startswith("-"):
        sign, number = "-", number[1:]
    return f"{sign}{number}{unit}"


def _texts() -> Text:
    plain = st.text(
        st.characters(blacklist_characters='"\\\n\r', blacklist_categories=("Cs",)), max_size=40
    )
    specials = st.sampled_from(
        (
            "",
            "x" * 20_000,
            'a \\"quoted\\" word and a \\\\ backslash',
            "é 😀 \u200b \u202e right-to-left \u0000",
            "{ } ; // not a comment /* nor this */",
            "\t",
        )
    )
    return st.one_of(specials, plain).map(lambda text: f'"{text}"')


IDENTIFIERS = st.one_of(
    st.sampled_from(("x", "_", "_0", "a" * 5000, "total", "std", *KEYWORDS, *DECLARATIONS)),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,30}", fullmatch=True),
)
DATES = st.one_of(
    st.sampled_from(
        (
            "0000-01",
            "0001-01",
            "1900-02-29",
            "1970-01",
            "2026-12",
            "2027-01",
            "2027-01-31",
            "2027-02-29",
            "2028-02-29",
            "2027-13",
            "2027-00",
            "2027-01-00",
            "2027-01-32",
            "2099-12",
            "9999-12",
            "9999-12-31",
        )
    ),
    st.tuples(st.integers(0, 9999), st.integers(0, 99)).map(lambda p: f"{p[0]:04d}-{p[1]:02d}"),
)
TIME_RANGES = st.one_of(
    st.sampled_from(
        (
            "00:00-24:00",
            "00:00-00:00",
            "08:00-08:00",
            "18:00-08:00",
            "23:59-24:00",
            "00:00-00:01",
            "24:00-24:00",
            "07:15-19:45",
            "0:00-9:59",
            "99:99-00:00",
        )
    ),
    st.tuples(*[st.integers(0, 99)] * 4).map(lambda t: "{}:{:02d}-{}:{:02d}".format(*t)),
)
DAYS = st.one_of(
    st.just("daily"),
    st.sampled_from(S.DAY_NAMES),
    st.tuples(st.sampled_from(S.DAY_NAMES), st.sampled_from(S.DAY_NAMES)).map("..".join),
)


def _refs(kinds: Sequence[str], names: Names) -> Text:
    known = [name for kind in kinds for name in names.get(kind, ())]
    return st.one_of(st.sampled_from(known or ["nowhere"]), st.just("nowhere"))


def slot_text(slot: S.Slot, names: Names) -> Text:
    """Source text for one slot of a pattern; ``names`` are the declared names per kind."""
    if isinstance(slot, S.Qty):
        return quantity(slot)
    if isinstance(slot, S.Ref):
        return _refs(slot.kinds, names)
    if isinstance(slot, S.Optional):
        present = pattern_text(slot.slots, names)
        return st.one_of(st.just(""), present)
    simple: dict[type, Text] = {
        S.NewName: IDENTIFIERS,
        S.TextSlot: _texts(),
        S.DateSlot: DATES,
        S.TimeRange: TIME_RANGES,
        S.Days: DAYS,
        S.Month: st.sampled_from(S.MONTH_NAMES),
        S.Currency: st.sampled_from(CURRENCIES),
        S.CodeSlot: st.sampled_from(sorted(CODES)),
    }
    if isinstance(slot, S.Choice):
        return st.sampled_from(slot.choices)
    if isinstance(slot, S.Literal):
        return st.just(slot.word)
    if type(slot) in simple:
        return simple[type(slot)]
    raise TypeError(f"no fuzz strategy for the slot {slot!r}")


def pattern_text(pattern: Sequence[S.Slot], names: Names) -> Text:
    """One argument: the slots of a pattern in order."""
    parts = [slot_text(slot, names) for slot in pattern]
    return st.tuples(*parts).map(lambda words: " ".join(w for w in words if w))


def _arguments(field: FieldSpec, names: Names) -> Text:
    if not field.pattern:
        return st.just("")
    one = pattern_text(field.pattern, names)
    if not field.many:
        return one
    short = st.lists(one, max_size=4)
    long = st.tuples(one, st.integers(50, 400)).map(_repeated)
    return st.one_of(short, long).map(", ".join)


def _repeated(pair: tuple[str, int]) -> list[str]:
    """An item repeated, within 200,000 characters: a list far past the input limit
    (1 MiB) is refused before it is read, and would fuzz nothing."""
    item, times = pair
    return [item] * max(1, min(times, LONG_LIST_CHARACTERS // max(1, len(item))))


def _block(field: FieldSpec, names: Names) -> Text:
    spec = field.block
    if spec is None:
        return st.just("")
    if spec.map is not None:
        entry = st.tuples(_refs(spec.map.key.kinds, names), pattern_text(spec.map.pattern, names))
        entries = st.lists(entry.map(" ".join), max_size=5)
        braces = entries.map(lambda items: "{ " + "; ".join(items) + " }")
    else:
        inner = st.sampled_from(spec.fields).flatmap(lambda f: statement(f, names))
        braces = st.lists(inner, max_size=3).map(lambda items: "{\n" + "\n".join(items) + "\n}")
    return braces if field.block_required else st.one_of(st.just(""), braces)


def statement(field: FieldSpec, names: Names) -> Text:
    """A whole statement of ``field``: its name, arguments and block."""
    return st.tuples(_arguments(field, names), _block(field, names)).map(
        lambda parts: " ".join(p for p in (field.name, *parts) if p)
    )
