"""The documents as PDF: the whole set as one book, and each document's chapter of it.

The PDFs are printed by WeasyPrint, a CSS Paged Media renderer, from the HTML the site
shows (``site.document_bodies``): the same tables, the same inline SVG charts. The book
(``pdf/book.pdf``) is a cover (title, client, author, version, and the date only when
``SOURCE_DATE_EPOCH`` gives one), a contents page whose page numbers WeasyPrint fills in
(``target-counter``), then every document; each page carries the document's title as a
running header and its page number. Each document's PDF (``pdf/01-business-design.pdf``)
is its chapter of the book, the same pages with the same numbers: the set is laid out
and drawn once, each chapter cut from the book's bytes (pypdf), and a page quoted from
either file is the same page.

Paper is A4 (ISO 216). A table too wide for a portrait page is set in smaller type, and
if still too wide, its section (from its ``h2`` heading to the next) goes on landscape
pages (the named page ``wide``). Each table's widths are estimated from its words
(``Columns``) before the layout: one layout, not one to find the wide tables and another
to place them. A table longer than a page repeats its header row on each page.

A book printed once is kept in the user's cache folder (``stamp.cache_folder()/pdf``), named
after a digest of everything its bytes depend on: the book's HTML and stylesheet, its
chapters' files and titles, blueprintc, the Python and the installed distributions
(WeasyPrint, pydyf, pypdf, fontTools), the versions of the system's Pango, HarfBuzz and
fontconfig, fontconfig's configuration files and the font files in the usual font folders.
A build whose book is there takes it, in milliseconds, instead of printing it; files unused
for 30 days are deleted.

The HTML refers to nothing outside itself: the renderer is given a URL fetcher that
refuses every request, so no file or network resource can reach a PDF. Output is byte for
byte reproducible: no creation date but ``SOURCE_DATE_EPOCH``'s, no random file identifier.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import hashlib
import html
import io
import os
import re
import threading
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from markupsafe import Markup

from blueprintc import collector, resources
from blueprintc.documents import stamp
from blueprintc.documents.environment import site_environment

if TYPE_CHECKING:
    from blueprintc.documents.build import Meta

ROOT = "pdf/"
BOOK = "book.pdf"
STYLESHEET = "print/print.css"
TEMPLATE = "print/book.html.j2"

# The page geometry of print/print.css, in points (1 pt = 1/72 in; A4 is 210 x 297 mm).
_MM = 72 / 25.4
PORTRAIT_WIDTH = (210 - 2 * 16) * _MM  # A4 less the 16 mm side margins
LANDSCAPE_WIDTH = (297 - 2 * 16) * _MM
TABLE_TYPE = 7.5  # the tables' type size, pt
SMALL_TYPE = 6.5  # ... of a table too wide for a page at TABLE_TYPE
CELL_PADDING = 2 * 3.0  # left and right padding of a cell, pt
# About how wide a character is in DejaVu Sans, the type the book is set in, in ems (its
# advance widths rounded up): an estimate on the wide side sends a borderline table to a
# landscape page rather than breaking its words.
_NARROW = frozenset(" .,:;'|!ijlftr()[]-/")
_WIDE = frozenset("mwMW%@")
BOLD = 1.1  # header cells are bold

_TABLE = re.compile(r'<div class="table">\n<table>.*?</table>\n</div>\n', re.DOTALL)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<(th|td)\b[^>]*>(.*?)</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
# Where a line may break inside a word: after a hyphen or a slash (Unicode line breaking,
# UAX #14, classes HY and SY), a date (2027-01, kept whole by the site) staying whole; and
# at a zero-width space (class ZW), which the book puts in a blueprint reference.
_BREAK = re.compile(r"(?<=[-/])(?!\d{2}\b)|\u200b")
# A reference to a blueprint line (``std/components.cxb:114``), one unbreakable word
# to the line breaking rules: the review edition's Source columns. It may break after a
# slash or the colon and before a dot or an underscore (as a long address is broken in
# print: the punctuation at a line's end or start tells that it goes on).
_REFERENCE = re.compile(r"[\w./-]+\.cxb:\d+")
_REFERENCE_BREAK = re.compile(r"(?<=[/:])(?=.)|(?<=.)(?=[._])")
ZWSP = "\u200b"  # zero-width space: a line may break there, nothing is drawn
_H2 = re.compile(r"(?=<h2[ >])")
_ID = re.compile(r'(<h[1-6] id=")([^"]*)(")')
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
_SITE_PAGE = re.compile(r"(\d{2}-[a-z0-9-]+)\.html")


@attrs.frozen
class Chapter:
    """One document of the book: its file stem, title and the site's HTML of its body."""

    stem: str
    number: int
    title: str
    body: str

    @property
    def anchor(self) -> str:
        return f"doc-{self.stem}"


@attrs.frozen
class Entry:
    """A line of the contents: a document or one of its sections, and its anchor."""

    label: str
    anchor: str
    level: int


@attrs.frozen
class Book:
    """What the renderer is handed: the book's HTML and stylesheet, and each chapter's
    anchor and file name (plain strings: a drawing worker may print it)."""

    html: str
    stylesheet: str
    chapters: tuple[tuple[str, str], ...]  # (anchor, "pdf/NN-name.pdf")
    titles: tuple[str, ...]


def book(meta: Meta, chapters: Sequence[Chapter]) -> Book:
    """The book's HTML: the cover, the contents and every chapter, ready to print."""
    env = site_environment()
    stems = {c.stem for c in chapters}
    parts = [printable(c, stems) for c in chapters]
    contents = [
        entry for c, part in zip(chapters, parts, strict=True) for entry in _entries(c, part)
    ]
    text = env.get_template(TEMPLATE).render(
        meta=meta,
        chapters=[(c, Markup(part)) for c, part in zip(chapters, parts, strict=True)],
        contents=contents,
    )
    stylesheet = env.get_template(STYLESHEET).render()
    return Book(
        text,
        stylesheet,
        tuple((c.anchor, f"{ROOT}{c.stem}.pdf") for c in chapters),
        tuple(f"{c.number}. {c.title} — {meta.title}" for c in chapters),
    )


def printable(chapter: Chapter, stems: set[str]) -> str:
    """A chapter's body as the book prints it: heading ids made unique in the book, links
    to other documents turned into links inside the book (to the sources, which the book
    does not hold, into plain text), and each ``h2`` section in a ``<section>``, marked
    ``wide`` when a table in it needs a landscape page (see ``Columns``)."""
    prefix = f"{chapter.stem}--"
    body = _ID.sub(lambda m: f"{m[1]}{prefix}{m[2]}{m[3]}", chapter.body)
    body = _LINK.sub(lambda m: _link(m, chapter.stem, stems), body)
    body = _TABLE.sub(_classified, body)
    sections = []
    for part in _H2.split(body):
        if not part.strip():
            continue
        wide = 'class="table wide' in part
        sections.append(f'<section class="part{" wide" if wide else ""}">\n{part}</section>\n')
    return "".join(sections)


def _link(match: re.Match[str], stem: str, stems: set[str]) -> str:
    href, text = match[1], match[2]
    if href.startswith(("http://", "https://", "mailto:")):
        return match[0]
    page, _, fragment = href.partition("#")
    if not page:
        target = stem
    else:
        site = _SITE_PAGE.fullmatch(page)
        if site is None or site[1] not in stems:
            return text  # the index, a source listing, a document not in the book
        target = site[1]
    anchor = f"{target}--{fragment}" if fragment else f"doc-{target}"
    return f'<a href="#{html.escape(anchor)}">{text}</a>'


def _classified(match: re.Match[str]) -> str:
    """A table laid out ahead (``Columns``), its columns' widths set so that the renderer
    lays it out as a fixed table, its blueprint references breakable (``_REFERENCE``).
    One too wide for a portrait page is set in smaller type
    (its wrapper classed ``small``), else on a landscape page (``wide``: its section moves
    to landscape pages), and smaller there too when it must (``wide small``)."""
    table = _REFERENCE.sub(lambda m: _REFERENCE_BREAK.sub(ZWSP, m[0]), match[0])
    kind, width, columns = "", PORTRAIT_WIDTH, Columns.of(table, TABLE_TYPE)
    if columns.narrowest > PORTRAIT_WIDTH:
        small = Columns.of(table, SMALL_TYPE)
        if small.narrowest <= PORTRAIT_WIDTH:
            kind, columns = " small", small
        elif columns.narrowest <= LANDSCAPE_WIDTH:
            kind, width = " wide", LANDSCAPE_WIDTH
        else:
            kind, width, columns = " wide small", LANDSCAPE_WIDTH, small
    widths = columns.fitted(width)
    total = sum(widths) or 1.0
    cols = "".join(f'<col style="width:{w / total:.2%}">' for w in widths)
    return table.replace(
        '<div class="table">\n<table>',
        f'<div class="table{kind}">\n<table style="width:{min(total / width, 1.0):.2%}">\n'
        f"<colgroup>{cols}</colgroup>",
        1,
    )


@attrs.frozen
class Columns:
    """The estimated widths, in points, of a table's columns in type of a given size: the
    narrowest each can be without breaking a word (its longest word, bold in a header
    cell, plus the cell's padding) and the widest its content asks (its longest cell on
    one line).

    The book's tables are laid out by these estimates, as fixed tables: WeasyPrint then
    need not measure every cell's text to find its columns' widths, which took about half
    of the book's layout time. A cell still wraps its text at the width it is given, and
    breaks a word longer than its column rather than running over it (``overflow-wrap:
    anywhere``), so an estimate that is off changes where lines break, never what fits
    on the page."""

    narrow: tuple[float, ...]
    wide: tuple[float, ...]

    @property
    def narrowest(self) -> float:
        return sum(self.narrow)

    @classmethod
    def of(cls, table: str, size: float) -> Columns:
        narrow: dict[int, float] = {}
        wide: dict[int, float] = {}
        for row in _ROW.findall(table):
            for index, (kind, cell) in enumerate(_CELL.findall(row)):
                em = size * (BOLD if kind == "th" else 1.0)
                text = " ".join(html.unescape(_TAG.sub(" ", cell)).split())
                words = [part for word in text.split() for part in _BREAK.split(word)]
                longest = max((advance(word) for word in words), default=0.0)
                narrow[index] = max(narrow.get(index, 0.0), longest * em + CELL_PADDING)
                wide[index] = max(wide.get(index, 0.0), advance(text) * em + CELL_PADDING)
        count = max(narrow, default=-1) + 1
        return cls(
            tuple(narrow.get(i, CELL_PADDING) for i in range(count)),
            tuple(wide.get(i, CELL_PADDING) for i in range(count)),
        )

    def fitted(self, available: float) -> list[float]:
        """The columns' widths within ``available`` points, shared out as CSS's automatic
        table layout does (CSS 2.1, section 17.5.2.2, as browsers implement it): each column
        as wide as its content asks when all fit, else its narrowest width plus a share of
        what is left in proportion to how much more it asks."""
        if sum(self.wide) <= available:
            return list(self.wide)
        spare = max(available - self.narrowest, 0.0)
        more = [w - n for n, w in zip(self.narrow, self.wide, strict=True)]
        total = sum(more) or 1.0
        return [n + spare * m / total for n, m in zip(self.narrow, more, strict=True)]


def advance(text: str) -> float:
    """About how wide ``text`` is set in DejaVu Sans, in ems."""
    width = 0.0
    for character in text:
        if character == ZWSP:
            continue
        if character in _NARROW:
            width += 0.42
        elif character in _WIDE:
            width += 1.0
        elif character.isupper():
            width += 0.78
        else:
            width += 0.65
    return width


def _entries(chapter: Chapter, part: str) -> list[Entry]:
    """The contents' lines of a chapter: its title, then its ``h2`` sections."""
    entries = [Entry(f"{chapter.number}. {chapter.title}", chapter.anchor, 1)]
    for anchor, heading in re.findall(r'<h2 id="([^"]*)">(.*?)</h2>', part, re.DOTALL):
        label = html.unescape(_TAG.sub("", heading)).strip()
        entries.append(Entry(label, anchor, 2))
    return entries


# -- printing ---------------------------------------------------------------------------


def print_book(printed: Book) -> dict[str, bytes]:
    """The book and each chapter's PDF (``pdf/...`` -> bytes), laid out and drawn once.

    Runs where it is handed (a drawing worker, see ``drawing.beside``): WeasyPrint is
    imported only here. The cyclic garbage collector is paused meanwhile, as the command
    line pauses it for a whole build: the layout makes millions of objects, and each full
    collection would walk them all again (about a third of the printing time); the
    layout's garbage is collected at the process's next collection."""
    import weasyprint

    with collector.paused(), _fonts_dated():
        document = weasyprint.HTML(string=printed.html, url_fetcher=_fetcher()).render(
            stylesheets=[_stylesheet(printed.stylesheet)]
        )
        written = _write(document)
        starts = chapter_pages(document.pages, [anchor for anchor, _ in printed.chapters])
        return {ROOT + BOOK: written, **cut(written, printed, starts)}


def cut(book: bytes, printed: Book, starts: Sequence[int]) -> dict[str, bytes]:
    """Each chapter's PDF cut from the book's bytes: its pages as the book drew them (the
    same content streams and fonts), its part of the outline and its link targets, the
    book's metadata and language with the chapter's title. Drawing each chapter's pages
    again took two fifths of the printing time; cutting them takes a twentieth."""
    import pypdf
    from pypdf.generic import NameObject, TextStringObject

    reader = pypdf.PdfReader(io.BytesIO(book))
    catalog = reader.root_object
    ends = [*starts[1:], len(reader.pages)]
    files = {}
    for (_, name), title, start, end in zip(
        printed.chapters, printed.titles, starts, ends, strict=True
    ):
        writer = pypdf.PdfWriter()
        writer.pdf_header = reader.pdf_header
        writer.append(reader, pages=(start, end))
        writer.add_metadata({**(reader.metadata or {}), "/Title": title})
        if "/Lang" in catalog:
            writer.root_object[NameObject("/Lang")] = TextStringObject(catalog["/Lang"])
        buffer = io.BytesIO()
        writer.write(buffer)
        files[name] = buffer.getvalue()
    return files


def chapter_pages(pages: Sequence[Any], anchors: Sequence[str]) -> list[int]:
    """The index of the page each anchor is on (the first page of each chapter)."""
    where: dict[str, int] = {}
    for index, page in enumerate(pages):
        for anchor in page.anchors:
            where.setdefault(anchor, index)
    return [where[anchor] for anchor in anchors]


FONT_EPOCH = "0"
"""The time written into each embedded font when ``SOURCE_DATE_EPOCH`` gives none."""
_ENVIRONMENT_LOCK = threading.Lock()


@contextlib.contextmanager
def _fonts_dated() -> Iterator[None]:
    """Embedded fonts dated ``SOURCE_DATE_EPOCH``, or :data:`FONT_EPOCH` without it.

    Where the system has no HarfBuzz subsetter (HarfBuzz before 4.1), WeasyPrint subsets
    fonts with fontTools, which writes the time of writing into each font's ``head``
    table unless ``SOURCE_DATE_EPOCH`` is set (the Reproducible Builds convention): the
    same book printed a second later would differ. The variable is set while the book
    is printed, then restored."""
    with _ENVIRONMENT_LOCK:
        if "SOURCE_DATE_EPOCH" in os.environ:
            yield
            return
        os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
        try:
            yield
        finally:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def _write(document: Any) -> bytes:
    written: bytes = document.write_pdf(pdf_identifier=False, uncompressed_pdf=False)
    return written


@functools.cache
def _stylesheet(text: str) -> Any:
    """The parsed stylesheet, once per process (parsing it takes a tenth of a second)."""
    import weasyprint

    return weasyprint.CSS(string=text, url_fetcher=_fetcher())


def _fetcher() -> Any:
    """WeasyPrint's URL fetcher for the book: one that fetches nothing (the HTML is whole;
    a request for anything else is refused, and the renderer leaves it out)."""
    from weasyprint import urls

    fetcher = getattr(urls, "URLFetcher", None)  # WeasyPrint 68 and later
    if fetcher is not None:
        return fetcher(allowed_protocols=())
    return _refuse


def _refuse(url: str, *_: Any, **__: Any) -> Mapping[str, Any]:
    """Before WeasyPrint 68, the fetcher is a function."""
    raise ValueError(f"the document set fetches nothing: {url}")


# -- printed books kept in the cache folder ----------------------------------------------

KEEP_DAYS = 30  # a book kept and unused this long is deleted
# Where fontconfig finds fonts and its configuration on most systems (Debian, Fedora,
# macOS's Homebrew): a font installed or removed there changes the key.
_FONT_FOLDERS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/etc/fonts",
    "/opt/homebrew/etc/fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
)
# The system libraries WeasyPrint sets text with, and the function giving each version.
_LIBRARIES = (
    ("pango-1.0", "pango_version_string", ctypes.c_char_p),
    ("harfbuzz", "hb_version_string", ctypes.c_char_p),
    ("fontconfig", "FcGetVersion", ctypes.c_int),
)


def recalled(printed: Book) -> dict[str, bytes] | None:
    """The files of ``printed`` as a build printed them before, if kept (else None)."""
    path = _kept_at(printed)
    if path is None:
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        os.utime(path)  # used: kept by stamp.prune
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return None
    expected = {ROOT + BOOK, *(name for _, name in printed.chapters)}
    return files if set(files) == expected else None


def keep(printed: Book, files: Mapping[str, bytes]) -> None:
    """Keep the printed files of ``printed`` in the cache folder (nothing if it cannot)."""
    path = _kept_at(printed)
    if path is None:
        return

    def write(staged: Path) -> None:
        with zipfile.ZipFile(staged, "w", zipfile.ZIP_STORED) as archive:
            for name, data in files.items():
                archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)

    resources.keep(path, write, KEEP_DAYS)


def _kept_at(printed: Book) -> Path | None:
    """Where the files of ``printed`` are kept (None: no cache folder)."""
    try:
        digest = hashlib.sha256()
        for part in (printed.html, printed.stylesheet, *printed.titles, _environment()):
            digest.update(part.encode())
            digest.update(b"\0")
        for anchor, name in printed.chapters:
            digest.update(f"{anchor}\0{name}\0".encode())
        return stamp.cache_folder() / "pdf" / f"{digest.hexdigest()[:40]}.zip"
    except (OSError, ValueError):
        return None


@functools.cache
def _environment() -> str:
    """What printing depends on besides the book: blueprintc, the Python and the installed
    distributions, the text libraries' versions, the fonts and fontconfig's settings."""
    parts = [stamp.tool_digest()]
    for library, function, kind in _LIBRARIES:
        try:
            call = getattr(ctypes.CDLL(ctypes.util.find_library(library)), function)
            call.restype = kind
            parts.append(f"{library} {call()!r}")
        except (OSError, AttributeError, TypeError):
            parts.append(f"{library} not found")
    for folder in _FONT_FOLDERS:
        for where, names, files in os.walk(os.path.expanduser(folder)):
            names.sort()
            for name in sorted(files):
                with contextlib.suppress(OSError):
                    status = os.stat(os.path.join(where, name))
                    parts.append(f"{where}/{name} {status.st_size} {status.st_mtime_ns}")
    for setting in ("FONTCONFIG_FILE", "FONTCONFIG_PATH"):
        parts.append(f"{setting}={os.environ.get(setting, '')}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
