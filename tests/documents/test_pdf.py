"""The PDFs: the book and each document's chapter of it, read back with PDFium.

Every page of every PDF of the example (review edition) and of the insurance example
(client edition) is rendered to an image and its margins checked for ink: nothing runs off
a page. The contents page's numbers are read as printed and compared with the pages the
documents' titles are found on; every page is numbered; every document is in the book and
has its own file holding the book's pages; the files are the same byte for byte whether a
worker or the build's own process printed them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import attrs
import pytest

from blueprintc.documents import build_documents, pdf
from blueprintc.documents.build import Meta
from blueprintc.documents.catalog import Edition
from blueprintc.driver import Compilation, compile

pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 is not installed")
np = pytest.importorskip("numpy")

ROOT = Path(__file__).resolve().parents[2]
HARBOR = ROOT / "examples" / "harbor_insurance.cxb"
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
MM = 72 / 25.4  # points in a millimetre
# Blank strips at the page's edges: the text is 16 mm from the sides, the running header
# and the page number 10 mm or more from the top and the bottom.
BLANK_SIDE = 14 * MM
BLANK_END = 8 * MM


@attrs.frozen
class Printed:
    """A build's PDFs and the titles its site shows, by document stem."""

    files: dict[str, bytes]
    headings: dict[str, str]  # stem -> the document's h1 as text

    def book(self) -> Any:
        return pdfium.PdfDocument(self.files["pdf/book.pdf"])


def _printed(compilation: Compilation, **options: Any) -> Printed:
    result = build_documents(compilation, formats=("html", "pdf"), **options)
    headings = {}
    for document in result.documents:
        page = result.files[f"html/{document.stem}.html"].decode()
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL)
        assert heading is not None
        headings[document.stem] = _words(html.unescape(re.sub(r"<[^>]*>", "", heading[1])))
    return Printed(result.files, headings)


@pytest.fixture(scope="module")
def northwind(example: Compilation) -> Printed:
    return _printed(example)


@pytest.fixture(scope="module")
def harbor() -> Printed:
    compilation = compile(HARBOR)
    assert compilation.ok
    return _printed(compilation, edition=Edition.CLIENT, source_date_epoch=EPOCH)


@pytest.fixture(params=["northwind", "harbor"])
def printed(request: pytest.FixtureRequest) -> Printed:
    value: Printed = request.getfixturevalue(request.param)
    return value


_ENTRY = re.compile(r"^(\d+)\. (.*?) ?\.{3,} ?(\d+)$")  # a document's line of the contents


def _words(text: str) -> str:
    return " ".join(text.split())


def _texts(document: Any) -> list[str]:
    return [_words(document[i].get_textpage().get_text_range()) for i in range(len(document))]


def test_every_document_has_its_pdf_and_is_in_the_book(printed: Printed) -> None:
    names = {name for name in printed.files if name.startswith("pdf/")}
    assert names == {"pdf/book.pdf"} | {f"pdf/{stem}.pdf" for stem in printed.headings}
    book = _texts(printed.book())
    for stem, heading in printed.headings.items():
        chapter = _texts(pdfium.PdfDocument(printed.files[f"pdf/{stem}.pdf"]))
        assert heading[:40] in chapter[0], stem  # it opens with its title
        start = next(i for i, text in enumerate(book) if text.startswith(chapter[0][:80]))
        assert book[start : start + len(chapter)] == chapter, stem  # the book's pages


def test_nothing_is_printed_past_the_margins(printed: Printed) -> None:
    """Every page of every PDF as an image: its outer 14 mm at the sides and 8 mm at the
    top and the bottom carry no ink (the margins are 16 mm or more; the running header and
    the page number sit inside them, nearer the text)."""
    scale = 0.5
    for name, data in printed.files.items():
        if not name.endswith(".pdf"):
            continue
        document = pdfium.PdfDocument(data)
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            pixels = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
            side, end = int(BLANK_SIDE * scale), int(BLANK_END * scale)
            strips = {
                "left": pixels[:, :side],
                "right": pixels[:, -side:],
                "top": pixels[:end, :],
                "bottom": pixels[-end:, :],
            }
            for where, strip in strips.items():
                assert strip.min() >= 250, (name, index + 1, where, width, height)


def test_the_contents_page_numbers_are_where_the_documents_start(printed: Printed) -> None:
    book = printed.book()
    pages = _texts(book)
    lines = [
        line.strip()
        for index in range(1, 4)
        for line in book[index].get_textpage().get_text_range().splitlines()
    ]
    listed = [m.groups() for m in map(_ENTRY.match, lines) if m is not None]
    assert len(listed) == len(printed.headings)
    for (number, title, page), (stem, heading) in zip(
        listed, printed.headings.items(), strict=True
    ):
        assert int(stem[:2]) == int(number) and title in heading, (title, heading)
        found = next(i + 1 for i, text in enumerate(pages) if i > 1 and heading[:40] in text)
        assert int(page) == found, (title, page, found)


def test_every_page_is_numbered_and_headed(printed: Printed) -> None:
    pages = _texts(printed.book())
    total = len(pages)
    assert "Page" not in pages[0]  # the cover
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text, number
    titles = {stem: heading.split(" — ")[0] for stem, heading in printed.headings.items()}
    for stem, title in titles.items():
        chapter = _texts(pdfium.PdfDocument(printed.files[f"pdf/{stem}.pdf"]))
        for text in chapter:  # the running header: the document's number and title
            assert title in text, (stem, text[:120])


def test_wide_tables_print_on_landscape_pages(northwind: Printed) -> None:
    book = northwind.book()
    shapes = [book[i].get_size() for i in range(len(book))]
    assert any(width > height for width, height in shapes)  # the widest tables
    assert shapes[0][0] < shapes[0][1]  # the cover is portrait A4
    assert (round(shapes[0][0]), round(shapes[0][1])) == (595, 842)


def test_the_cover_shows_the_date_only_from_source_date_epoch(
    northwind: Printed, harbor: Printed
) -> None:
    assert "2026-01-01" in _texts(harbor.book())[0]
    assert harbor.book().get_metadata_dict()["CreationDate"].startswith("D:20260101")
    assert not northwind.book().get_metadata_dict().get("CreationDate")


def test_the_same_pdfs_from_a_worker_and_in_process(
    harbor: Printed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLUEPRINTC_JOBS", "1")  # printed by the build's own process
    again = _printed(compile(HARBOR), edition=Edition.CLIENT, source_date_epoch=EPOCH)
    for name, data in harbor.files.items():
        if name.endswith(".pdf"):
            assert again.files[name] == data, name


# -- the parts, without printing a set ---------------------------------------------------


def test_columns_share_the_page_as_the_automatic_table_layout_does() -> None:
    columns = pdf.Columns(narrow=(10.0, 20.0, 30.0), wide=(10.0, 60.0, 130.0))
    assert columns.fitted(500.0) == [10.0, 60.0, 130.0]  # all fit as wide as they ask
    # 120 pt for 60 narrowest: the 60 left go 40/140 and 100/140 to the two that ask more.
    assert columns.fitted(120.0) == pytest.approx([10.0, 20.0 + 60 * 40 / 140, 30 + 60 * 100 / 140])
    assert columns.fitted(50.0) == [10.0, 20.0, 30.0]  # never narrower than a word


def test_a_table_is_measured_by_its_longest_words() -> None:
    table = (
        '<div class="table">\n<table>\n<thead>\n<tr><th>Id</th></tr>\n</thead>\n<tbody>\n'
        "<tr><td>REQ-CALLBACK aa</td></tr>\n</tbody>\n</table>\n</div>\n"
    )
    columns = pdf.Columns.of(table, 10.0)
    # "CALLBACK" is the longest piece (a line may break after the hyphen): 8 capitals.
    assert columns.narrow == (pytest.approx(8 * 0.78 * 10 + pdf.CELL_PADDING),)
    assert columns.wide[0] > columns.narrow[0]


def test_links_stay_inside_the_book() -> None:
    body = (
        '<h2 id="costs">Costs</h2>\n<p><a href="#costs">here</a>, '
        '<a href="02-technology-design.html#licences">there</a>, '
        '<a href="02-technology-design.html">that document</a>, '
        '<a href="source/main.cxb.html#L3">main.cxb:3</a>, '
        '<a href="https://example.com/">a site</a></p>\n'
    )
    chapter = pdf.Chapter("04-financial-design", 4, "Financial design", body)
    text = pdf.printable(chapter, {"04-financial-design", "02-technology-design"})
    assert 'id="04-financial-design--costs"' in text
    assert 'href="#04-financial-design--costs"' in text
    assert 'href="#02-technology-design--licences"' in text
    assert 'href="#doc-02-technology-design"' in text
    assert "main.cxb:3" in text and "source/" not in text
    assert 'href="https://example.com/"' in text


def test_nothing_outside_the_html_is_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
    body = f'<h1 id="t">T</h1>\n<p><img src="{secret.as_uri()}" alt="x"></p>\n'
    meta = Meta("Set", None, None, None, "USD", "main.cxb", "2027-01", 12, None)
    printed = pdf.book(meta, [pdf.Chapter("01-business-design", 1, "Business design", body)])
    files = pdf.print_book(printed)
    document = pdfium.PdfDocument(files["pdf/book.pdf"])
    for index in range(len(document)):
        kinds = {obj.type for obj in document[index].get_objects()}
        assert pdfium.raw.FPDF_PAGEOBJ_IMAGE not in kinds
        assert pdfium.raw.FPDF_PAGEOBJ_FORM not in kinds
