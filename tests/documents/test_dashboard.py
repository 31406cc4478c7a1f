"""The HTML index as the executive summary's dashboard: every tile, finding, binding and
risk is the summary's (its JSON), each figure read back from the page and compared with
the exact figure by its own rounding, every link opens an existing heading; without the
summary in the build the index is the plain list of documents."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from blueprintc.documents.build import build_documents
from blueprintc.documents.catalog import Edition
from blueprintc.documents.context import Context
from blueprintc.documents.presentation import Presentation
from blueprintc.driver import Compilation
from tests.documents.conftest import built_example, compiled_example
from tests.documents.test_site import Page

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("northwind_bank", "harbor_insurance", "thornvale_water")
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}


class Dashboard(HTMLParser):
    """The dashboard's parts: each tile's measure, link and texts, the findings' and risks'
    items with their links, the bindings table's rows."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tiles: list[dict[str, Any]] = []
        self.items: dict[str, list[dict[str, Any]]] = {"findings": [], "risks": []}
        self.rows: list[list[str]] = []
        self._tile: dict[str, Any] | None = None
        self._span: str | None = None
        self._list: str | None = None
        self._item: dict[str, Any] | None = None
        self._section = ""
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "h2":
            self._section = a.get("id") or ""
        if tag == "li" and a.get("class") == "tile":
            tile_id = str(a["id"])  # figure-cost-per-contact: the measure cost_per_contact
            self._tile = {
                "measure": tile_id.removeprefix("figure-").replace("-", "_"),
                "href": None,
            }
        elif tag == "span" and self._tile is not None and a.get("class") != "box":
            self._span = a.get("class")
        elif tag == "a" and self._tile is not None:
            self._tile["href"] = a["href"]
        if tag in ("ul", "ol") and a.get("class") in ("findings", "risks"):
            self._list = a["class"]
        elif tag == "li" and self._list is not None:
            self._item = {"class": a.get("class"), "links": [], "text": ""}
        elif tag == "a" and self._item is not None:
            self._item["links"].append(a["href"])
        if self._section == "staffing" and tag == "tr":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._span = None
        elif tag == "li" and self._tile is not None:
            self.tiles.append(self._tile)
            self._tile = None
        elif tag == "li" and self._item is not None and self._list is not None:
            self.items[self._list].append(self._item)
            self._item = None
        elif tag in ("ul", "ol"):
            self._list = None
        elif tag == "td" and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._tile is not None and self._span is not None:
            self._tile[self._span] = self._tile.get(self._span, "") + data
        if self._item is not None:
            self._item["text"] += data
        if self._cell is not None:
            self._cell.append(data)


def _build(compilation: Compilation, **options: Any) -> dict[str, Any]:
    files = _example_files(compilation, **options)
    return {
        name: json.loads(data) if name.endswith(".json") else data.decode()
        for name, data in files.items()
        if name.endswith((".json", ".html"))
    }


def _example_files(compilation: Compilation, **options: Any) -> dict[str, bytes]:
    """The files of a build: the shared build of a bundled example when the options ask
    for a whole set, else a build of their own."""
    stem = next((s for s in EXAMPLES if compiled_example(s) is compilation), None)
    if stem is not None and set(options) <= {"edition"}:
        return built_example(stem, options.get("edition", Edition.REVIEW))
    return build_documents(compilation, formats=("html", "json"), **options).files


def _number(text: str) -> Fraction:
    """A figure as the page writes it, back to a number: ``USD -73.5 thousand``,
    ``about 6.76 million``, ``9.72%``, ``1,234.56``, ``34 months``."""
    match = re.search(r"[\d,]+(?:\.\d+)?", text)
    assert match, text
    number = Fraction(Decimal(match[0].replace(",", "")))
    if "-" in text[: match.start()]:  # -73.5, or -$73.5 with the client's currency symbol
        number = -number
    scale = next((s for word, s in SCALES.items() if word in text), 1)
    return number * scale / (100 if text.rstrip().endswith("%") else 1)


def _places(text: str) -> int:
    digits = re.search(r"\.(\d+)", text)
    return len(digits[1]) if digits else 0


def _check_tile(tile: dict[str, Any], figure: dict[str, Any]) -> None:
    """The rounded and the exact text of a tile against the JSON's exact value."""
    unit, value = figure["unit"], figure["value"]
    shown, exact = tile["figure"], tile.get("exact")
    if unit in ("name", "month"):
        assert shown.strip() == str(value)[:7] if unit == "month" else shown
        return
    if unit == "months":
        assert shown == f"{value} months"
        return
    truth = Fraction(Decimal(str(value)))
    # Rounded to its last digit shown (in the word's scale): within half of that digit.
    scale = next((s for word, s in SCALES.items() if word in shown), 1)
    percent = 100 if shown.endswith("%") else 1
    half = Fraction(scale, 2 * 10 ** _places(shown) * percent)
    assert abs(_number(shown) - truth) <= half, (shown, value)
    if exact is not None:  # the review edition: to the cent, or as many places as shown
        exact_half = Fraction(1, 2 * 10 ** _places(exact) * (100 if exact.endswith("%") else 1))
        assert abs(_number(exact) - truth) <= exact_half, (exact, value)


def _anchor_exists(files: dict[str, Any], href: str) -> bool:
    page, _, anchor = href.partition("#")
    text = files.get(f"html/{page}")
    return text is not None and anchor in Page(text).ids


@pytest.fixture(scope="module", params=EXAMPLES)
def example(request: pytest.FixtureRequest) -> Compilation:
    return compiled_example(request.param)


@pytest.fixture(scope="module")
def review(example: Compilation) -> dict[str, Any]:
    return _build(example)


def test_every_tile_is_a_key_figure_of_the_summary(review: dict[str, Any]) -> None:
    summary = review["json/00-executive-summary.json"]["view"]
    board = Dashboard(review["html/index.html"])
    assert [t["measure"] for t in board.tiles] == [f["measure"] for f in summary["figures"]]
    for tile, key in zip(board.tiles, summary["figures"], strict=True):
        figure = key["figure"]
        assert tile["label"] == figure["label"]
        link = figure["link"]
        assert tile["href"] == f"{link['document']}.html#{link['anchor']}"
        assert _anchor_exists(review, tile["href"]), tile
        _check_tile(tile, figure)
    assert len(board.tiles) >= 12


def test_findings_bindings_and_risks_are_the_summarys(review: dict[str, Any]) -> None:
    summary = review["json/00-executive-summary.json"]["view"]
    board = Dashboard(review["html/index.html"])
    findings = board.items["findings"]
    assert [i["class"] for i in findings] == [f["severity"] for f in summary["findings"]]
    for item, finding in zip(findings, summary["findings"], strict=True):
        link = finding["figure"]["link"]
        assert item["links"][-1] == f"{link['document']}.html#{link['anchor']}"
        assert item["text"].startswith(finding["kind"].capitalize())
    risks = board.items["risks"]
    assert len(risks) == len(summary["risks"])
    for item, risk in zip(risks, summary["risks"], strict=True):
        assert item["links"][-1] == f"{risk['link']['document']}.html#{risk['link']['anchor']}"
    assert [(row[0], int(row[1])) for row in board.rows] == [
        (b["queue"], b["agents"]["value"]) for b in summary["bindings"]
    ]
    for href in {h for item in findings + risks for h in item["links"]}:
        assert _anchor_exists(review, href), href


def test_the_client_edition_shows_labels_and_no_exact_figures(example: Compilation) -> None:
    files = _build(example, edition=Edition.CLIENT)
    summary = files["json/00-executive-summary.json"]["view"]
    board = Dashboard(files["html/index.html"])
    assert board.tiles and not any("exact" in tile for tile in board.tiles)
    for tile, key in zip(board.tiles, summary["figures"], strict=True):
        _check_tile(tile, key["figure"])
    labels = Context.of_compilation(example).displays  # what the client edition shows
    client = Presentation(labels=labels)  # the |md filter's words, without the escaping
    for row, binding in zip(board.rows, summary["bindings"], strict=True):
        assert row[0] == client.shown(binding["queue"])
    labelled = [name for name in labels if labels[name] != name and "_" in name]
    text = " ".join(Page(files["html/index.html"]).text)  # what a reader sees
    assert not [name for name in labelled if re.search(rf"\b{re.escape(name)}\b", text)]


def test_without_the_summary_the_index_lists_the_documents(example: Compilation) -> None:
    files = _build(example, only=["business-design", "financial-design"])
    index = files["html/index.html"]
    assert 'class="tiles"' not in index and 'id="recommendation"' not in index
    assert '<ol class="documents">' in index
    assert Page(index).links.count("04-financial-design.html") == 2  # the bar and the list


def test_the_summary_alone_links_nothing_missing(example: Compilation) -> None:
    files = _build(example, only=["executive-summary"])
    board = Dashboard(files["html/index.html"])
    assert board.tiles and all(tile["href"] is None for tile in board.tiles)
    for link in Page(files["html/index.html"]).links:
        assert link.split("#")[0] in ("", "index.html", "00-executive-summary.html") or (
            f"html/{link.split('#')[0]}" in files
        ), link
