"""Document 12, the assumptions register: every input with who supplied it, checked against
the blueprint's own text and the standard library's files read independently."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import assumptions
from blueprintc.driver import Compilation, compile
from blueprintc.model.provenance import Standing, Supplier, cite, register
from tests.documents.conftest import ROOT, compile_in, render

SMALL = """\
blueprint "Assumed" { currency EUR; exchange USD 0.9; start 2027-01; horizon 1 year }
use std/channels
use std/components
brand b { promise fast "A person answers" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers fast; segments all }
process p { service s; volume 100/week; mix { voice 100% }; aht { voice 180 s } }
channel voice extends std.voice {
  hours mon..fri 09:00-17:00
  shrinkage 30%  // measured by the client in 2026
}
component acd extends std.acd { model cloud }
component sbc extends std.sbc { model cloud }
component sip_trunk extends std.sip_trunk { model cloud }
site hq { seats 40; channels voice }
staffing { loaded_cost 38 EUR/h; paid_hours 37.5 h/week }
"""
STD = ROOT / "stdlib"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Compilation:
    return compile_in(tmp_path_factory.mktemp("assumptions"), SMALL)


@pytest.fixture(scope="module")
def view(small: Compilation) -> assumptions.AssumptionsView:
    return assumptions.build(Context.of_compilation(small))


def _rows(view: assumptions.AssumptionsView) -> list[assumptions.Row]:
    return [r for g in view.groups for r in g.rows]


def _row(view: assumptions.AssumptionsView, name: str, title: str) -> assumptions.Row:
    (found,) = [r for r in _rows(view) if r.name == name and r.input == title]
    return found


def _line_of(text: str, needle: str) -> int:
    """The 1-based line of ``text`` holding ``needle`` (found here, not by the compiler)."""
    (line,) = [n for n, t in enumerate(text.splitlines(), start=1) if needle in t]
    return line


def test_declared_values_cite_their_line(view: assumptions.AssumptionsView) -> None:
    shrinkage = _row(view, "voice", "Shrinkage")
    assert (shrinkage.value, shrinkage.supplier) == ("30%", Supplier.DECLARED)
    assert str(shrinkage.where) == f"main.cxb:{_line_of(SMALL, 'shrinkage 30%')}"
    assert shrinkage.source == "measured by the client in 2026"  # the consultant's note
    assert not shrinkage.confirm
    hours = _row(view, "voice", "Opening hours")
    assert (hours.value, hours.where.line if hours.where else 0) == (
        "mon..fri 09:00-17:00",
        _line_of(SMALL, "hours mon..fri"),
    )
    rate = _row(view, "blueprint", "Exchange rate")
    assert (rate.key_name, rate.value, rate.supplier) == ("USD", "0.9", Supplier.DECLARED)


def test_standard_library_values_cite_their_source(view: assumptions.AssumptionsView) -> None:
    channels = (STD / "channels.cxb").read_text(encoding="utf-8")
    voice = channels[channels.index("channel voice {") :]
    voice = voice[: voice.index("}") + 1]
    target = _row(view, "voice", "Service target")
    assert (target.value, target.supplier, target.template) == (
        "80% within 20 s",
        Supplier.STANDARD_LIBRARY,
        "std.voice",
    )
    line = channels[: channels.index(voice)].count("\n") + _line_of(voice, "target 80%")
    assert str(target.where) == f"std/channels.cxb:{line}"
    assert target.standing is Standing.INDUSTRY_RULE and target.confirm
    assert target.source == "80/20: the common voice target (Erlang C practice)"
    occupancy = _row(view, "voice", "Occupancy cap")  # a named public source: no confirmation
    assert occupancy.standing is Standing.SOURCE and not occupancy.confirm
    assert "Call Centre Helper" in (occupancy.source or "")
    patience = _row(view, "voice", "Patience")
    assert (patience.value, patience.standing, patience.confirm) == (
        "120 s",
        Standing.SYNTHESIS,
        True,
    )


def test_built_in_and_derived_values(view: assumptions.AssumptionsView) -> None:
    discount = _row(view, "blueprint", "Discount")
    assert (discount.value, discount.supplier, discount.where, discount.confirm) == (
        "0%",
        Supplier.BUILT_IN,
        None,
        True,
    )
    derived = [r for r in _rows(view) if r.supplier is Supplier.DERIVED]
    # The acd's 75 USD/user/month converted at the declared 0.9 EUR a dollar.
    (acd,) = [r for r in derived if r.name == "acd"]
    assert acd.value == "75 USD/user/month at USD 0.9 EUR"
    assert [w.line for w in acd.rests_on][1] == _line_of(SMALL, "exchange USD 0.9")


def test_counts_add_up(view: assumptions.AssumptionsView) -> None:
    rows = _rows(view)
    assert view.total == len(rows) == sum(c.inputs for c in view.counts)
    assert len(view.to_confirm) == sum(c.to_confirm for c in view.counts)
    assert {c.supplier: c.inputs for c in view.counts}[Supplier.DECLARED] == sum(
        r.supplier is Supplier.DECLARED for r in rows
    )


@pytest.mark.parametrize("name", ["northwind_bank.cxb", "harbor_insurance.cxb"])
def test_examples_every_declared_value_is_on_its_line(name: str) -> None:
    compilation = compile(ROOT / "examples" / name)
    assert compilation.ok
    view = assumptions.build(Context.of_compilation(compilation))
    rows = _rows(view)
    texts: dict[str, list[str]] = {}
    for source in compilation.sources:
        assert source.real_path is not None
        shown = Context.of_compilation(compilation).files[source.path]
        texts[shown] = source.real_path.read_text(encoding="utf-8").splitlines()
    declared = [r for r in rows if r.supplier is Supplier.DECLARED]
    library = [r for r in rows if r.supplier is Supplier.STANDARD_LIBRARY]
    assert declared and library
    for row in [*declared, *library]:
        assert row.where is not None
        line = texts[row.where.file][row.where.line - 1]
        # The value's first words are on its line (a long list goes on over the next ones).
        assert row.value.split(",")[0].split(" at ")[0] in " ".join(line.split()), row
        assert row.where.file.startswith("std/") == (row.supplier is Supplier.STANDARD_LIBRARY)
    for row in library:
        assert row.standing is not None and row.standing is not Standing.UNDOCUMENTED, row


def test_every_library_input_has_a_source() -> None:
    """The standard library's convention: every input line carries its source comment."""
    text = "\n".join(f"use std/{p.stem}" for p in sorted(STD.glob("*.cxb")))
    compilation = compile(
        'blueprint "All" { currency USD; start 2027-01; horizon 1 year }\n' + text
    )
    assert compilation.model is not None
    # Library templates are not in the model until extended: read each file's own inputs.
    for path in sorted(STD.glob("*.cxb")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            words = line.split()
            if not words or not line.startswith("  ") or line.startswith("   "):
                continue
            field = words[0]
            if field in {"target", "response", "patience", "shrinkage", "occupancy",
                         "concurrency", "hours", "intraday", "weekly", "monthly",
                         "subscription", "effort", "weight"}:  # fmt: skip
                assert "//" in line, f"{path.name}:{number}: {line}"


def test_tags_are_read_and_only_tags() -> None:
    span = None
    assert cite(None, span).standing is Standing.UNDOCUMENTED  # type: ignore[arg-type]
    for text, standing in (
        ("[SYNTHESIS] worked out here", Standing.SYNTHESIS),
        ("[UNVERIFIED] a vendor's slide", Standing.UNVERIFIED),
        ("[industry rule] 80/20", Standing.INDUSTRY_RULE),
        ("Genesys list price, 2026 [SYNTHESIS] later", Standing.SOURCE),  # a tag must lead
    ):
        assert cite((text, span), span).standing is standing  # type: ignore[arg-type]


def test_register_is_made_once(small: Compilation) -> None:
    assert small.model is not None
    assert register(small.model) is register(small.model)


def test_rendered_editions(small: Compilation, tmp_path: Path) -> None:
    review = render(small, "assumptions")
    assert "## To confirm with the client" in review
    assert f"main\\.cxb:{_line_of(SMALL, 'shrinkage 30%')}" in review  # escaped Markdown
    assert "std/channels\\.cxb:" in review
    from blueprintc.documents.build import meta_of, render_document
    from blueprintc.documents.catalog import Edition, by_name
    from blueprintc.documents.environment import environment

    ctx = Context.of_compilation(small)
    document = by_name("assumptions")
    assert document is not None
    client = render_document(
        environment(), "md", document, document.build(ctx), meta_of(ctx, None, Edition.CLIENT)
    )
    assert "channels\\.cxb" not in client and "main\\.cxb:" not in client
    assert "docs/" not in client.split("## What the figures rest on")[1]
    assert "| Voice | Shrinkage | 30% |" in client
