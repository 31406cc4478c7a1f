"""The PDFs: the book and each document's chapter of it, read back with PDFium.

The example in both editions and the water utility in the client edition are printed
once each. Every page of each book is rendered to an image and its
margins checked for ink, and each chapter's pages are shown to be the book's own (the same
content streams): nothing runs off a page. No table is cut off: no text lies outside a
page's printable area, and every word of every table cell the site shows is printed in its
document. The client edition's pages name nothing internal: no blueprint file or line, no
pointer to the tool's documentation, no tool name, diagnostic code, standard library
qualifier or declaration name. The contents page's numbers are read as printed and compared
with the pages the documents' titles are found on; every page is numbered; every document
is in the book and has its own file; the files are the same byte for byte whether a worker
or the build's own process printed them.

Each example is printed once per test run (``shared``): the test process that asks first
prints it, the other reads it back.
"""

from __future__ import annotations

import functools
import html
import io
import os
import re
from pathlib import Path
from typing import Any

import attrs
import pytest

from blueprintc.documents import build_documents, drawing, pdf
from blueprintc.documents.build import Meta
from blueprintc.documents.catalog import Edition
from blueprintc.documents.context import Context, display_names
from blueprintc.driver import Compilation, compile
from tests.documents.conftest import compiled_example, shared

pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 is not installed")
np = pytest.importorskip("numpy")
pypdf = pytest.importorskip("pypdf")

ROOT = Path(__file__).resolve().parents[2]
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
MM = 72 / 25.4  # points in a millimetre
# Blank strips at the page's edges: the text is 16 mm from the sides, the running header
# and the page number 10 mm or more from the top and the bottom.
BLANK_SIDE = 14 * MM
BLANK_END = 8 * MM


@attrs.frozen
class Printed:
    """A build's PDFs, the titles its site shows and the text of its tables' cells, by
    document stem, and the names of its model's declarations."""

    files: dict[str, bytes]
    headings: dict[str, str]  # stem -> the document's h1 as text
    cells: dict[str, list[str]]  # stem -> the text of every table cell of its page
    names: frozenset[str]

    def book(self) -> Any:
        return pdfium.PdfDocument(self.files["pdf/book.pdf"])


def _printed(compilation: Compilation, **options: Any) -> Printed:
    result = build_documents(compilation, formats=("html", "pdf"), **options)
    headings, cells = {}, {}
    for document in result.documents:
        page = result.files[f"html/{document.stem}.html"].decode()
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL)
        assert heading is not None
        headings[document.stem] = _words(_text(heading[1]))
        cells[document.stem] = [_text(cell) for _, cell in pdf._CELL.findall(page)]
    names = frozenset(display_names(Context.of_compilation(compilation).model))
    return Printed(result.files, headings, cells, names)


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", " ", markup))


@functools.cache
def _example_printed(stem: str, edition: Edition, epoch: int | None = None) -> Printed:
    """A bundled example printed once per test process, whatever fixture scopes do
    (a module's fixtures are set up again when its tests are interleaved with others')."""

    def printed() -> Printed:
        return _printed(compiled_example(stem), edition=edition, source_date_epoch=epoch)

    return shared(f"printed-{stem}-{edition.value}-{epoch}", printed)


@pytest.fixture(scope="module")
def northwind() -> Printed:
    return _example_printed("northwind_bank", Edition.REVIEW)


@pytest.fixture(scope="module")
def northwind_client() -> Printed:
    return _example_printed("northwind_bank", Edition.CLIENT, EPOCH)


@pytest.fixture(scope="module")
def thornvale() -> Printed:
    return _example_printed("thornvale_water", Edition.CLIENT)


@pytest.fixture(params=["northwind", "northwind_client", "thornvale"])
def printed(request: pytest.FixtureRequest) -> Printed:
    value: Printed = request.getfixturevalue(request.param)
    return value


@pytest.fixture(params=["northwind_client", "thornvale"])
def client(request: pytest.FixtureRequest) -> Printed:
    """A client edition's PDFs."""
    value: Printed = request.getfixturevalue(request.param)
    return value


_ENTRY = re.compile(r"^(\d+)\. (.*?) ?\.{3,} ?(\d+)$")  # a document's line of the contents


def _words(text: str) -> str:
    return " ".join(text.split())


def _texts(document: Any) -> list[str]:
    return [_words(document[i].get_textpage().get_text_range()) for i in range(len(document))]


def _printable(document: Any) -> list[str]:
    """Each page's text within its printable area: all but the blank strips at its edges."""
    texts = []
    for index in range(len(document)):
        page = document[index]
        width, height = page.get_size()
        texts.append(
            page.get_textpage().get_text_bounded(
                left=BLANK_SIDE, bottom=BLANK_END, right=width - BLANK_SIDE, top=height - BLANK_END
            )
        )
    return texts


def _streams(data: bytes) -> list[bytes]:
    """What each page of a PDF draws: its content stream, decoded."""
    return [page.get_contents().get_data() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_every_document_has_its_pdf_and_is_in_the_book(printed: Printed) -> None:
    names = {name for name in printed.files if name.startswith("pdf/")}
    assert names == {"pdf/book.pdf"} | {f"pdf/{stem}.pdf" for stem in printed.headings}
    book = _texts(printed.book())
    streams = _streams(printed.files["pdf/book.pdf"])
    for stem, heading in printed.headings.items():
        data = printed.files[f"pdf/{stem}.pdf"]
        chapter = _texts(pdfium.PdfDocument(data))
        assert heading[:40] in chapter[0], stem  # it opens with its title
        start = next(i for i, text in enumerate(book) if text.startswith(chapter[0][:80]))
        assert book[start : start + len(chapter)] == chapter, stem  # the book's pages
        assert streams[start : start + len(chapter)] == _streams(data), stem  # drawn alike


def test_nothing_is_printed_past_the_margins(printed: Printed) -> None:
    """Every page of the book as an image (each chapter's pages are the book's: see
    above): its outer 14 mm at the sides and 8 mm at the top and the bottom carry no ink
    (the margins are 16 mm or more; the running header and the page number sit inside
    them, nearer the text)."""
    scale = 0.5
    document = printed.book()
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
            assert strip.min() >= 250, (index + 1, where, width, height)


def test_no_table_is_cut_off(printed: Printed) -> None:
    """No text lies outside a page's printable area (text set past the page's edge leaves
    no ink to find), and every word of every table cell the site shows is printed within
    it, in its document's pages (a word may break after a hyphen or a slash, and a blueprint
    reference at its punctuation: each piece is looked for)."""
    book = printed.book()
    book_texts, printable = _texts(book), _printable(book)
    for index, (whole, inside) in enumerate(zip(book_texts, printable, strict=True)):
        assert len("".join(whole.split())) == len("".join(inside.split())), index + 1
    missing = []
    for stem, cells in printed.cells.items():
        chapter = _texts(pdfium.PdfDocument(printed.files[f"pdf/{stem}.pdf"]))
        start = next(i for i, text in enumerate(book_texts) if text.startswith(chapter[0][:80]))
        text = "".join(printable[start : start + len(chapter)]).replace(pdf.ZWSP, "")
        text = "".join(text.split())
        for cell in cells:
            for word in cell.split():
                for piece in pdf._BREAK.split(word):
                    piece = piece.rstrip("-")  # PDFium drops a hyphen that ends a line
                    if piece and piece not in text:
                        missing.append((stem, cell[:60], piece))
    assert not missing, missing[:10]


# What the client edition never prints: a blueprint file or line, a pointer to the tool's
# documentation, the tool's name, a diagnostic code, a standard-library qualifier.
INTERNAL = {
    "a blueprint file": re.compile(r"\.cxb\b"),
    "a pointer to the tool's documentation": re.compile(r"\bdocs/[\w./-]*\.md"),
    "the tool's name": re.compile(r"blueprintc", re.IGNORECASE),
    "a diagnostic code": re.compile(r"\bCXB\d"),
    "a standard-library qualifier": re.compile(r"\bstd\."),
}


def test_the_client_edition_prints_nothing_internal(client: Printed) -> None:
    """Every page of the book (each chapter holds the book's pages) read back as text: no
    internal reference, and no declaration's name with an underscore (``tech_voice``):
    the client edition shows display labels."""
    names = sorted(name for name in client.names if "_" in name)
    assert names  # the check below has something to find
    named = re.compile("|".join(rf"(?<![\w.]){re.escape(name)}(?!\w)" for name in names))
    found = []
    for number, text in enumerate(_texts(client.book()), start=1):
        text = text.replace(pdf.ZWSP, "")
        for what, pattern in INTERNAL.items():
            found += [(number, what, m[0]) for m in pattern.finditer(text)]
        found += [(number, "a declaration's name", m[0]) for m in named.finditer(text)]
    assert not found, found[:10]


def test_the_review_edition_prints_what_the_client_edition_does_not(northwind: Printed) -> None:
    """The patterns above find what they look for: the review edition has each."""
    text = " ".join(_texts(northwind.book())).replace(pdf.ZWSP, "")
    for what in ("a blueprint file", "the tool's name", "a standard-library qualifier"):
        assert INTERNAL[what].search(text), what
    assert any(re.search(rf"\b{re.escape(n)}\b", text) for n in northwind.names if "_" in n)


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


def test_the_cover_shows_the_date_from_source_date_epoch(northwind_client: Printed) -> None:
    assert "2026-01-01" in _texts(northwind_client.book())[0]
    assert northwind_client.book().get_metadata_dict()["CreationDate"].startswith("D:20260101")


def test_the_cover_shows_no_date_without_source_date_epoch(northwind: Printed) -> None:
    assert not northwind.book().get_metadata_dict().get("CreationDate")
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", _texts(northwind.book())[0])


def test_the_same_pdfs_from_a_worker_and_in_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Two documents of the insurance example (a short book), printed by a drawing worker
    and by the build's own process (each with a cache folder of its own: both print)."""
    compilation = compile(ROOT / "examples" / "harbor_insurance.cxb")
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(tmp_path / "worker"))
    options: dict[str, Any] = {
        "edition": Edition.CLIENT,
        "source_date_epoch": EPOCH,
        "only": ["executive-summary", "technology-design"],
    }
    if drawing.jobs() < 2 or drawing._workers() is None:
        pytest.skip("no drawing workers here")
    by_worker = _printed(compilation, **options)
    monkeypatch.setenv("BLUEPRINTC_JOBS", "1")  # printed by the build's own process
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(tmp_path / "here"))
    here = _printed(compilation, **options)
    assert len([name for name in by_worker.files if name.endswith(".pdf")]) == 3
    for name, data in by_worker.files.items():
        if name.endswith(".pdf"):
            assert here.files[name] == data, name


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


def test_a_book_printed_later_is_the_same_book(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing of the clock reaches the bytes: where WeasyPrint subsets fonts with
    fontTools (no HarfBuzz subsetter), each font would carry the time it was written."""
    import time as clock

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    meta = Meta("Set", None, None, None, "USD", "main.cxb", "2027-01", 12, None)
    body = '<h1 id="t">Timing</h1>\n<p>Ünïcode text, 2027-01-15, <em>italic</em>.</p>\n'
    printed = pdf.book(meta, [pdf.Chapter("01-business-design", 1, "Business design", body)])
    first = pdf.print_book(printed)
    now = clock.time()
    monkeypatch.setattr(clock, "time", lambda: now + 400 * 86400)  # 400 days later
    assert pdf.print_book(printed) == first
    assert "SOURCE_DATE_EPOCH" not in os.environ  # set while printing only


def test_fonts_are_dated_by_source_date_epoch_when_it_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    with pdf._fonts_dated():
        assert os.environ["SOURCE_DATE_EPOCH"] == "1767225600"
    assert os.environ["SOURCE_DATE_EPOCH"] == "1767225600"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    with pdf._fonts_dated():
        assert os.environ["SOURCE_DATE_EPOCH"] == pdf.FONT_EPOCH
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_a_blueprint_reference_may_break_at_its_punctuation() -> None:
    """A Source column of long references fits a portrait page at the book's type: each
    reference breaks after a slash or the colon and before a dot or an underscore."""
    reference = "std/components_long.cxb:114"
    rows = "".join(
        f"<tr><td>element {i}</td><td>{'a description ' * 6}</td><td>{reference}</td></tr>\n"
        for i in range(3)
    )
    table = (
        '<div class="table">\n<table>\n<thead>\n<tr><th>Name</th><th>What</th>'
        f"<th>Source</th></tr>\n</thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n"
    )
    text = pdf.printable(pdf.Chapter("01-business-design", 1, "B", table), set())
    z = pdf.ZWSP
    assert f"std/{z}components{z}_long{z}.cxb:{z}114" in text
    assert 'class="table"' in text  # neither smaller type nor a landscape page
    # The longest piece, "components" (10 characters), sets the column's narrowest width.
    columns = pdf.Columns.of(text, pdf.TABLE_TYPE)
    assert columns.narrow[2] == pytest.approx(
        pdf.advance("components") * pdf.TABLE_TYPE + pdf.CELL_PADDING
    )


def test_a_printed_book_is_kept_and_taken_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build takes a book printed before from the cache folder, the same bytes, without
    printing; a book with other HTML is printed."""
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(tmp_path))
    compilation = compile(ROOT / "examples" / "harbor_insurance.cxb")
    options: dict[str, Any] = {"edition": Edition.CLIENT, "only": ["executive-summary"]}
    first = build_documents(compilation, formats=("pdf",), **options).files
    assert len(list((tmp_path / "pdf").glob("*.zip"))) == 1

    def refuse(printed: pdf.Book) -> dict[str, bytes]:
        raise AssertionError("printed again")

    monkeypatch.setattr(pdf, "print_book", refuse)
    monkeypatch.setenv("BLUEPRINTC_JOBS", "1")
    assert build_documents(compilation, formats=("pdf",), **options).files == first
    with pytest.raises(AssertionError, match="printed again"):  # another book
        build_documents(compilation, formats=("pdf",), source_date_epoch=EPOCH, **options)


def test_a_kept_book_is_found_by_everything_it_depends_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(tmp_path))
    meta = Meta("Set", None, None, None, "USD", "main.cxb", "2027-01", 12, None)
    printed = pdf.book(meta, [pdf.Chapter("01-business-design", 1, "B", "<p>one</p>\n")])
    files = {"pdf/book.pdf": b"%PDF-book", "pdf/01-business-design.pdf": b"%PDF-one"}
    assert pdf.recalled(printed) is None
    pdf.keep(printed, files)
    assert pdf.recalled(printed) == files
    for other in (
        attrs.evolve(printed, html=printed.html.replace("one", "two")),
        attrs.evolve(printed, stylesheet=printed.stylesheet + "p { color: red }"),
        attrs.evolve(printed, titles=("another title",)),
    ):
        assert pdf.recalled(other) is None
    monkeypatch.setattr(pdf, "_environment", lambda: "another WeasyPrint")
    assert pdf.recalled(printed) is None
