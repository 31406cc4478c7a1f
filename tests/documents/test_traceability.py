"""Document 11, traceability and alignment: a small blueprint whose justifications,
unjustified elements, exceptions and findings are all worked out by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import traceability
from blueprintc.driver import Compilation
from tests.documents.conftest import compile_in, render

TEXT = """\
blueprint "T" { currency USD; start 2027-01; horizon 3 years }
brand b { promise p "Fast <script>alert(1)</script> | answers"; promise q "Unkept" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all; allow CXB0516 because "stale" }
service orphan { segments all }
process p1 { service s; volume 100/week; mix { voice 100% }; aht { voice 3 min } }
process p2 { service orphan; volume 100/week; mix { voice 100% }; aht { voice 3 min } }
channel voice { kind voice; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30% }
channel fax { kind voice; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30% }
component acd { kind acd; supports voice }
component dialer { kind other; supports fax }
requirement r1 { category functional; priority must; text "x"; traces acd }
requirement r2 { category functional; priority must; text "y"
  allow CXB0522 because "Reason <b>|</b>" }
staffing { loaded_cost 40 USD/h; paid_hours 37.5 h/week }
"""

MINIMAL = """\
blueprint "T" { currency USD; start 2027-01; horizon 1 year }
segment all { share 100%; value high; strategy retain; intensity simple }
staffing { loaded_cost 40 USD/h; paid_hours 37.5 h/week }
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Compilation:
    return compile_in(tmp_path_factory.mktemp("trace"), TEXT)


@pytest.fixture(scope="module")
def view(small: Compilation) -> traceability.TraceabilityView:
    return traceability.build(Context.of_compilation(small))


@pytest.fixture(scope="module")
def page(small: Compilation) -> str:
    return render(small, "traceability")


def tables_are_rectangular(text: str) -> None:
    """Every row of every Markdown table has as many unescaped pipes as its header."""
    width = None
    for line in text.splitlines():
        if line.startswith("|"):
            pipes = len(re.findall(r"(?<!\\)\|", line))
            width = pipes if width is None else width
            assert pipes == width, line
        else:
            width = None
        assert line == line.rstrip(), f"trailing space: {line!r}"


def test_what_each_promise_justifies(view: traceability.TraceabilityView) -> None:
    p, q = view.promises
    assert (p.name, p.services, p.where is not None and p.where.line) == ("p", ("s",), 2)
    # p -> service s -> process p1 -> channel voice -> component acd <- requirement r1
    groups = {g.kind: g.names for g in p.justifies}
    assert groups == {
        "service": ("s",),
        "process": ("p1",),
        "channel": ("voice",),
        "component": ("acd",),
        "requirement": ("r1",),
    }
    assert p.total == 5
    assert (q.services, q.justifies, q.total) == ((), (), 0)


def test_unjustified_elements(view: traceability.TraceabilityView) -> None:
    rows = {(u.kind, u.name): u for u in view.unjustified}
    assert list(rows) == [
        ("service", "orphan"),
        ("process", "p2"),
        ("channel", "fax"),
        ("component", "dialer"),
        ("requirement", "r2"),
    ]
    assert rows["process", "p2"].linked_to == ("service orphan",)
    assert rows["component", "dialer"].linked_to == ("channel fax",)
    assert rows["channel", "fax"].linked_to == ()
    assert rows["service", "orphan"].findings == ("CXB0511",)
    assert rows["component", "dialer"].findings == ("CXB0542",)
    assert rows["requirement", "r2"].findings == ("CXB0522",)  # silenced, still named
    lines = {key: row.where.line for key, row in rows.items() if row.where is not None}
    assert lines == {
        ("service", "orphan"): 5,
        ("process", "p2"): 7,
        ("channel", "fax"): 9,
        ("component", "dialer"): 11,
        ("requirement", "r2"): 13,
    }
    standalone = {g.kind: g.names for g in view.standalone}
    assert standalone == {"segment": ("all",)}


def test_allows_and_silenced_findings(view: traceability.TraceabilityView) -> None:
    allows = {(a.element, a.code): a for a in view.allows}
    assert set(allows) == {("s", "CXB0516"), ("r2", "CXB0522")}
    assert allows["r2", "CXB0522"].silenced == 1
    assert allows["r2", "CXB0522"].reason == "Reason <b>|</b>"
    assert allows["s", "CXB0516"].silenced == 0  # stale: reported as CXB0563
    (silenced,) = view.silenced
    assert (silenced.code, silenced.element, silenced.reason) == (
        "CXB0522",
        "r2",
        "Reason <b>|</b>",
    )
    assert silenced.where is not None and silenced.allow_where is not None
    assert (silenced.where.line, silenced.allow_where.line) == (13, 14)


def test_findings_grouped_by_layer(view: traceability.TraceabilityView) -> None:
    found = {
        layer.layer: [(f.code, f.element, f.where.line if f.where else 0) for f in layer.reported]
        for layer in view.layers
    }
    assert found == {
        "brand": [("CXB0501", "q", 2)],
        "business": [("CXB0511", "orphan", 5), ("CXB0563", "s", 4)],
        "financial-functional": [],
        "operational": [],
        "technology": [("CXB0542", "dialer", 11)],
    }
    silenced = {layer.layer: layer.silenced for layer in view.layers}
    assert silenced["financial-functional"] == 1 and sum(silenced.values()) == 1
    assert view.reported == 4


def test_chains_up_to_a_promise(view: traceability.TraceabilityView) -> None:
    chains = {(c.kind, c.name): (c.via, c.promise) for c in view.chains}
    assert chains["component", "acd"] == (("channel voice", "process p1", "service s"), "p")
    assert chains["requirement", "r1"] == (
        ("component acd", "channel voice", "process p1", "service s"),
        "p",
    )
    assert chains["component", "dialer"] == ((), None)
    assert ("segment", "all") not in chains


def test_diagram_draws_each_direct_justification(view: traceability.TraceabilityView) -> None:
    """Processes are folded: one arrow from a service to each channel its processes use,
    labelled with how many processes that arrow stands for."""
    assert view.diagram is not None
    label = {n.key: n.label for n in view.diagram.nodes}
    edges = {(label[e.source], label[e.target], e.label) for e in view.diagram.edges}
    assert edges == {
        ("promise p", "service s", ""),
        ("service s", "channel voice", "1 process"),
        ("service orphan", "channel voice", "1 process"),
        ("channel voice", "component acd", ""),
        ("channel fax", "component dialer", ""),
    }
    assert not any(n.label.startswith("process ") for n in view.diagram.nodes)


def test_page_escapes_hostile_text(page: str) -> None:
    assert "<script>" not in page and "<b>" not in page
    assert "Fast \\<script\\>alert(1)\\</script\\> \\| answers" in page
    assert "Reason \\<b\\>\\|\\</b\\>" in page
    tables_are_rectangular(page)


def test_page_sections_and_sources(page: str) -> None:
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Promises and what they justify",
        "## Unjustified elements",
        "## Silenced rules",
        "## Alignment findings by layer",
        "## Chain of justification of each element",
    ]
    assert "| component | dialer | Technology |" in page
    assert "main\\.cxb:11" in page
    assert "Nothing in the blueprint is justified by this promise" in page


def test_empty_blueprint(tmp_path: Path) -> None:
    compilation = compile_in(tmp_path, MINIMAL)
    view = traceability.build(Context.of_compilation(compilation))
    assert (view.promises, view.unjustified, view.allows, view.chains) == ((), (), (), ())
    assert view.diagram is None and view.reported == 0
    page = render(compilation, "traceability")
    for what in ("brand promises", "unjustified elements", "`allow` exceptions"):
        assert f"_No {what} in this blueprint._" in page
    tables_are_rectangular(page)
