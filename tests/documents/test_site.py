"""The HTML site: structure, links, figures, escaping and source pages.

Pages are parsed with the standard library's ``html.parser``; every relative link must
reach an existing file and, with a fragment, an element of that file with that id.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from blueprintc.documents import DOCUMENTS, build_documents
from blueprintc.documents import site as html_site
from blueprintc.documents.build import Meta, charts_in
from blueprintc.documents.catalog import Document
from blueprintc.documents.charts import LineChart, Series
from blueprintc.documents.context import Context
from blueprintc.documents.environment import FIGURE_FENCE, source_page
from blueprintc.documents.site import MarkdownRenderer, highlighted_lines, render_site, slug
from blueprintc.driver import Compilation
from blueprintc.source import SourceFile

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
SVG_SELF_CLOSING = {"path", "use", "rect", "circle", "line", "polyline", "polygon", "stop"}


class Page(HTMLParser):
    """What the tests need of one page: ids, links, tags in order, nesting errors."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.resources: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(str(attributes["id"]))
        for name in ("href", "xlink:href"):
            value = attributes.get(name)
            if value is not None:
                (self.links if tag == "a" else self.resources).append(value)
        if attributes.get("src") is not None:
            self.resources.append(str(attributes["src"]))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def site(example: Compilation) -> dict[str, bytes]:
    return build_documents(example, formats=("html",)).files


@pytest.fixture(scope="module")
def pages(site: dict[str, bytes]) -> dict[str, Page]:
    return {name: Page(data.decode()) for name, data in site.items() if name.endswith(".html")}


def test_every_document_index_stylesheet_and_source_page_exists(
    site: dict[str, bytes], example_context: Context
) -> None:
    expected = {f"html/{d.stem}.html" for d in DOCUMENTS} | {"html/index.html", "html/style.css"}
    names = [example_context.files[s.path] for s in example_context.sources]
    expected |= {"html/" + source_page(name) for name in names}
    assert set(site) == expected
    assert "html/source/std__channels.cxb.html" in site


def test_pages_are_well_formed_html5(site: dict[str, bytes], pages: dict[str, Page]) -> None:
    for name, page in pages.items():
        text = site[name].decode()
        assert text.startswith('<!DOCTYPE html>\n<html lang="en">'), name
        assert '<meta charset="utf-8">' in text and text.count("<title>") >= 1, name
        assert not page.errors, (name, page.errors[:3])
        assert len(page.ids) == len(set(page.ids)), (
            name,
            sorted(i for i in page.ids if page.ids.count(i) > 1)[:5],
        )
        assert " \n" not in re.sub(r"<pre.*?</pre>", "", text, flags=re.S), name


def test_every_link_reaches_an_existing_file_and_anchor(pages: dict[str, Page]) -> None:
    ids = {name: set(page.ids) for name, page in pages.items()}
    checked = 0
    for name, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, (name, link)
            target = name
            if parts.path:
                target = str(PurePosixPath(name).parent / unquote(parts.path))
                target = re.sub(r"[^/]+/\.\./", "", target)
                assert target in pages or target == "html/style.css", (name, link)
            if parts.fragment:
                assert parts.fragment in ids[target], (name, link)
            checked += 1
    assert checked > 500


def test_nav_links_every_document_from_every_page(pages: dict[str, Page]) -> None:
    for name, page in pages.items():
        root = "../" if "/source/" in name else ""
        hrefs = [a.get("href") for tag, a in page.tags if tag == "a"]
        for document in DOCUMENTS:
            assert f"{root}{document.stem}.html" in hrefs, name
        assert f"{root}index.html" in hrefs and f"{root}index.html#sources" in hrefs
        current = [a for tag, a in page.tags if tag == "a" and a.get("aria-current") == "page"]
        assert len(current) == (0 if root else 1), name


def test_no_script_and_no_remote_resource(site: dict[str, bytes], pages: dict[str, Page]) -> None:
    for name, data in site.items():
        text = data.decode()
        assert "<script" not in text.lower(), name
        assert "@import" not in text and not re.search(r"url\((?!#)", text), name
    for name, page in pages.items():
        for resource in page.resources:
            assert not re.match(r"[a-z]+:|//", resource), (name, resource)
        assert not any(re.match(r"https?:", link) for link in page.links), name
    stylesheet = site["html/style.css"].decode()
    assert "http" not in stylesheet and "@font-face" not in stylesheet


def test_every_chart_of_the_views_is_an_inline_svg_figure(
    site: dict[str, bytes], pages: dict[str, Page], example_context: Context
) -> None:
    for document in DOCUMENTS:
        charts = list(charts_in(document.build(example_context)))
        name = f"html/{document.stem}.html"
        text = site[name].decode()
        assert FIGURE_FENCE not in text and "language-mermaid" not in text
        figures = re.findall(
            r'<figure class="chart" id="[^"]+">\n<svg .*?</svg>\n<figcaption>(.*?)</figcaption>',
            text,
            re.S,
        )
        assert len(figures) == len(charts), name
        titles = [str(jinja2.filters.do_forceescape(c.title or c.key)) for c in charts]
        assert figures == titles, name
    assert sum(text.count("<figure") for text in (d.decode() for d in site.values())) >= 5


def test_source_pages_have_an_anchor_per_line(
    pages: dict[str, Page], site: dict[str, bytes], example_context: Context
) -> None:
    for source in example_context.sources:
        name = "html/" + source_page(example_context.files[source.path])
        page = pages[name]
        count = len(source.text.split("\n")) - (1 if source.text.endswith("\n") else 0)
        lines = [i for i in page.ids if re.fullmatch(r"L\d+", i)]
        assert lines == [f"L{n}" for n in range(1, count + 1)], name
        assert source.text.split("\n")[0].strip() in "".join(page.text), name
    main = site["html/source/northwind_bank.cxb.html"].decode()
    assert '<span class="k' in main  # highlighted by the blueprint lexer


def test_source_references_link_to_the_line(pages: dict[str, Page]) -> None:
    page = pages["html/05-phasing-plan.html"]
    links = [link for link in page.links if link.startswith("source/")]
    assert links and all(re.fullmatch(r"source/[\w.]+\.cxb\.html#L\d+", link) for link in links)


def test_site_is_deterministic(example: Compilation, site: dict[str, bytes]) -> None:
    assert build_documents(example, formats=("html",)).files == site


# -- the renderer on hand-made pages ----------------------------------------------------

META = Meta("T <b>", "Client & Co", None, None, "USD", "main.cxb", "2027-01", 36, None)
CHART = LineChart("fte", "FTE <by> month", "Month", "FTE", ("2027-01", "2027-02"),
                  (Series("Required", (1.0, 2.0)),))  # fmt: skip
HOSTILE = "</title><script>alert(1)</script> | $x$ & café"


def _site(markdown: str, charts: dict[str, Any] | None = None) -> dict[str, str]:
    document = Document(1, "test", "Test <i>", lambda ctx: None)
    source = SourceFile("main.cxb", f'blueprint "{HOSTILE}" {{ }}\n\n// two\n')
    files = render_site(
        pages=[(document, markdown)],
        charts=charts if charts is not None else {"fte": CHART},
        meta=META,
        sources=(source,),
        names={"main.cxb": "main.cxb"},
    )
    return {name: data.decode() for name, data in files.items()}


def test_raw_html_in_markdown_and_metadata_stays_text() -> None:
    files = _site(f"# Title\n\n<div>{HOSTILE}</div>\n\n| a |\n|---|\n| <script>x</script> |\n")
    page = files["html/01-test.html"]
    assert "<script" not in page and "<div>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>1. Test &lt;i&gt; — T &lt;b&gt;</title>" in page
    assert "Client &amp; Co" in page
    source = files["html/source/main.cxb.html"]
    assert "<script" not in source and "&lt;script&gt;" in source
    assert [i for i in Page(source).ids if i.startswith("L")] == ["L1", "L2", "L3"]


def test_figure_fence_becomes_inline_svg_and_other_fences_stay_code() -> None:
    markdown = (
        f"## Chart\n\n```{FIGURE_FENCE} fte\n```\n\n```{FIGURE_FENCE} fte\n```\n\n"
        "```text\n<b>code</b>\n```\n"
    )
    page = _site(markdown)["html/01-test.html"]
    assert page.count('<figure class="chart"') == 2
    assert page.count("<figcaption>FTE &lt;by&gt; month</figcaption>") == 2
    assert '<pre><code class="language-text">&lt;b&gt;code&lt;/b&gt;\n</code></pre>' in page
    ids = Page(page).ids
    assert len(ids) == len(set(ids))  # the same chart twice: ids still unique
    with pytest.raises(ValueError, match="no such chart"):
        _site(f"```{FIGURE_FENCE} missing\n```\n")


def test_headings_get_github_style_unique_ids() -> None:
    renderer = MarkdownRenderer({})
    html = renderer.render("# 4. Financial design — Plan\n\n## Costs\n\n## Costs\n\n## `x_y` & Z\n")
    assert re.findall(r'<h\d id="([^"]+)"', html) == [
        "4-financial-design--plan",
        "costs",
        "costs-1",
        "x_y--z",
    ]
    assert slug("Phase foundation") == "phase-foundation"


def test_dates_do_not_break_in_table_cells() -> None:
    html = MarkdownRenderer({}).render("| Start |\n|---|\n| 2027-01-15 |\n")
    assert '<span class="nowrap">2027-01-15</span>' in html


# A date as its plain definition says: four digits starting a word, a month, a day.
PLAIN_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")
DATE_TEXTS = [
    "2027-01", "a2027-01", "2027-01-15", "x 12027-01 y", "2027-011", "_2027-01", "é2027-01",
    "\u0662\u0660\u0662\u0667-01", "2027-01-1", "12-2027-01-15", "2027-01-15-3", "(2027-12)",
    "\u00b22027-01", "2027-01\u0663", "9999-99-99x 1234-56.", "",
]  # fmt: skip


@pytest.mark.parametrize("text", DATE_TEXTS)
def test_the_date_pattern_finds_what_its_plain_definition_finds(text: str) -> None:
    assert html_site._DATE.findall(text) == PLAIN_DATE.findall(text)
    assert [m.span() for m in html_site._DATE.finditer(text)] == [
        m.span() for m in PLAIN_DATE.finditer(text)
    ]


@given(st.text(alphabet='0123456789-a_ é\u0662\u00b2<>"', max_size=40))
def test_the_date_pattern_matches_its_plain_definition_on_any_text(text: str) -> None:
    assert [m.span() for m in html_site._DATE.finditer(text)] == [
        m.span() for m in PLAIN_DATE.finditer(text)
    ]


def test_highlighted_lines_keep_the_compilers_line_numbers() -> None:
    # A lone carriage return is no line break for the compiler; a block comment spans lines.
    text = "// a\rb\n/* one\ntwo */\nsegment x { share 5% }\n"
    lines = highlighted_lines(text)
    assert len(lines) == 4
    assert "two" in lines[2] and "segment" in lines[3]
    assert all("\n" not in line for line in lines)
