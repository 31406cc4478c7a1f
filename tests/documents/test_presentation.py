"""The client's locale, units and display labels in the documents (``presentation``)."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from blueprintc.documents import values
from blueprintc.documents.build import build_documents
from blueprintc.documents.catalog import Edition
from blueprintc.documents.charts import Gantt, LineChart, Series, Task
from blueprintc.documents.context import display_names
from blueprintc.documents.presentation import Presentation, presenting, relabelled
from tests.documents.conftest import EXAMPLES, built_example, compile_in, compiled_example

NBSP_NARROW = "\u202f"  # CLDR's French grouping separator


def german_harbor() -> str:
    """The insurance example for a German client: de_DE, and a label on one channel."""
    text = EXAMPLES["harbor_insurance"].read_text(encoding="utf-8")
    text = text.replace("  currency USD\n", '  currency USD\n  locale "de_DE"\n', 1)
    return text.replace(
        "channel claims_line extends std.voice {\n",
        'channel claims_line extends std.voice {\n  label "Claims hotline"\n',
        1,
    )


@pytest.mark.parametrize(
    ("locale", "value", "places", "expected"),
    [
        ("en_US", Fraction(123456789, 100), 2, "1,234,567.89"),
        ("de_DE", Fraction(123456789, 100), 2, "1.234.567,89"),
        ("fr_FR", Fraction(123456789, 100), 2, f"1{NBSP_NARROW}234{NBSP_NARROW}567,89"),
        ("en_GB", Fraction(1234567), 0, "1,234,567"),
        ("de_DE", Fraction(-1234567), 0, "-1.234.567"),
        ("de_DE", Fraction(5, 2), 0, "2"),  # half to even, as every other figure
        ("de_DE", Fraction(0), 0, "0"),
    ],
)
def test_numbers_follow_the_locale(
    locale: str, value: Fraction, places: int, expected: str
) -> None:
    with presenting(Presentation(locale)):
        assert values.num(value, places) == expected


def test_percentages_follow_the_locale() -> None:
    with presenting(Presentation("de_DE")):
        assert values.pct(Fraction(4, 5), 1) == "80,0\xa0%"
    assert values.pct(Fraction(4, 5), 1) == "80.0%"  # outside the block: the built-in form


def test_areas_are_shown_in_the_units_of_the_client() -> None:
    # 1 m = 0.3048 ft exactly, so 1 m² = 1/0.3048² ft² = 10.76391041... ft².
    sqm_per_sqft = Fraction(3048, 10000) ** 2
    with presenting(Presentation(metric=True)):
        assert values.area(Fraction(4000), 1) == values.num(4000 * sqm_per_sqft, 1) == "371.6"
    assert values.area(Fraction(4000), 0) == "4,000"


def test_a_name_becomes_its_label_whole_word_only() -> None:
    shown = Presentation(labels={"tech_voice": "Technical support", "cards": "Cards"})
    assert shown.shown("tech_voice") == "Technical support"
    assert shown.shown("cards") == "Cards"
    assert shown.shown("process x → channel tech_voice") == "process x → channel Technical support"
    # A plain word of free text stays as written; so do longer identifiers.
    assert shown.shown("lost cards are replaced") == "lost cards are replaced"
    assert shown.shown("tech_voice_2") == "tech_voice_2"
    assert shown.shown("38_000/month") == "38,000/month"
    assert shown.shown("`tech_voice` handles 9 contacts") == "Technical support handles 9 contacts"
    assert shown.shown("`other` stays quoted") == "`other` stays quoted"
    assert Presentation().shown("tech_voice") == "tech_voice"  # review: names as written


def test_charts_are_relabelled_for_the_client() -> None:
    shown = Presentation(labels={"tech_voice": "Technical support"})
    line = LineChart("k", "tech_voice", "x", "y", ("a",), (Series("tech_voice", (1.0,)),))
    gantt = Gantt("g", "Plan", (Task("t", "tech_voice", "tech_voice", "2027-01-01", "2027-02-01"),))
    assert relabelled(line, shown).series[0].name == "Technical support"  # type: ignore[union-attr]
    assert relabelled(gantt, shown).tasks[0].label == "Technical support"  # type: ignore[union-attr]
    assert relabelled(line, Presentation()) is line


def test_a_german_client_reads_german_numbers_and_square_metres(tmp_path: Path) -> None:
    compilation = compile_in(tmp_path, german_harbor())
    blueprint = compilation.model.blueprint  # type: ignore[union-attr]
    assert blueprint.locale == "de_DE"
    result = build_documents(compilation, formats=("md",), edition=Edition.CLIENT)
    facility = result.files["md/03-facility-design.md"].decode()
    # Portland: 120 seats × 110 sq ft = 13,200 sq ft = 1,226.3 m² (by hand: × 0.3048²).
    area = Fraction(13200) * Fraction(3048, 10000) ** 2
    assert round(area) == 1226
    assert "| 1.226 |" in facility  # whole square metres, German grouping
    assert "| 10 |" in facility  # 110 sq ft a seat = 10.2 m²
    assert "Area (m²)" in facility and "square metres" in facility
    assert "US-Dollar (\\$), USD" in facility  # escaped for Markdown
    business = result.files["md/01-business-design.md"].decode()
    assert "Claims hotline" in business and "claims\\_line" not in business
    review = build_documents(compilation, formats=("md",), edition=Edition.REVIEW)
    assert "claims\\_line" in review.files["md/01-business-design.md"].decode()
    assert "| 1.226 |" in review.files["md/03-facility-design.md"].decode()


@pytest.mark.parametrize("stem", sorted(EXAMPLES))
def test_the_client_edition_shows_no_names_of_declarations(stem: str) -> None:
    model = compiled_example(stem).model
    assert model is not None
    shown = display_names(model)
    names = [n for n in shown if ("_" in n or "." in n) and n not in shown.values()]
    assert names  # the examples have names a client would not read
    pattern = re.compile(
        r"(?<![\w.\\])(?:"
        + "|".join(re.escape(n).replace("_", r"\\?_") for n in names)
        + r")(?![\w])"
    )
    found = {
        (file, match[0])
        for file, data in built_example(stem, Edition.CLIENT).items()
        if file.endswith((".md", ".html"))
        for match in pattern.finditer(data.decode())
    }
    assert found == set()


def test_an_area_declared_in_square_metres_is_shown_as_declared() -> None:
    from blueprintc.semantic.units import SQFT_PER_M2

    with presenting(Presentation(metric=True)):
        assert values.area(12 * SQFT_PER_M2, 2) == "12.00"  # 12 m2/seat, held in sq ft


@pytest.mark.parametrize(
    ("locale", "currency", "amount", "expected"),
    [
        ("en_GB", "GBP", "72.4 million", "£72.4 million"),
        ("en_US", "USD", "-73.5 thousand", "-$73.5 thousand"),
        ("de_DE", "EUR", "72,4 million", "72,4 million\xa0€"),  # CLDR: #,##0.00 ¤
        ("en_US", "EUR", "1.2 million", "€1.2 million"),
    ],
)
def test_client_amounts_carry_the_currency_symbol_where_the_locale_puts_it(
    locale: str, currency: str, amount: str, expected: str
) -> None:
    assert Presentation(locale, symbols=True).in_currency(amount, currency) == expected
    assert Presentation(locale).in_currency(amount, currency) == f"{currency} {amount}"


def test_a_design_dearer_to_run_than_today_says_so() -> None:
    """The water utility runs dearer than today (its case rests on its benefits): the
    summary says it costs more, by the savings' amount without its sign."""
    import json

    from blueprintc.documents.values import compact

    files = built_example("thornvale_water", Edition.CLIENT)
    summary = json.loads(files["json/00-executive-summary.json"])["view"]
    (savings,) = (
        Fraction(f["figure"]["value"]) for f in summary["figures"] if f["measure"] == "savings"
    )
    assert savings < 0
    text = files["md/00-executive-summary.md"].decode()
    assert f"it costs £{compact(-savings)} more to run over the horizon" in text
    assert "saves" not in text.split("## Key figures")[0]
