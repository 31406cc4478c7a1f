"""The RFP as a Word document, read back with python-docx: heading styles and order, every
requirement of the blueprint numbered under its identifier and in the compliance matrix
(checked against the model's requirements, sorted here by hand), empty response cells,
reproducible bytes, a blueprint without requirements; LibreOffice opens it."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import nsmap, qn
from docx.table import Table

from blueprintc.cli import main
from blueprintc.documents import archive, build_documents, word
from blueprintc.documents.build import meta_of
from blueprintc.documents.catalog import Edition
from blueprintc.documents.context import Context
from blueprintc.documents.spreadsheets import MATRIX_COLUMNS as WORKBOOK_COLUMNS
from blueprintc.documents.views import rfp
from blueprintc.driver import Compilation, compile
from blueprintc.model import elements as m
from tests.documents.conftest import EXAMPLE, built_example, compiled_example
from tests.documents.test_rfp import EMPTY, HOSTILE, SMALL, compiled, erlang_c_agents

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.cxb"))
FILE = "docx/06-rfp.docx"
SECTIONS = [
    "1 Introduction",
    "2 Scope",
    "3 Requirements",
    "4 Volumes and sizing to quote for",
    "5 Evaluation criteria",
    "6 Response instructions",
    "7 Compliance statuses",
    "8 Compliance matrix",
]
W = {"w": nsmap["w"]}
STATUSES = ["fully compliant", "partially compliant", "roadmap", "not compliant"]
MATRIX = ["No.", "ID", "Priority", "Knock-out", "Requirement", "Acceptance condition"]
MATRIX += ["Compliance", "Comment"]


def word_file(compilation: Compilation, epoch: int | None = None) -> bytes:
    ctx = Context.of_compilation(compilation)
    files = word.documents({"rfp": rfp.build(ctx)}, meta_of(ctx, epoch), epoch)
    assert list(files) == [FILE]
    return files[FILE]


def opened(data: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(data))


def headings(document: WordDocument) -> list[tuple[int, str]]:
    """(level, text) of every paragraph in a Heading style, in order."""
    found = []
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style.startswith("Heading "):
            found.append((int(style.split()[1]), paragraph.text))
    return found


def matrix(document: WordDocument) -> Table:
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "No."]
    return table


def body_rows(table: Table) -> Iterator[list[str]]:
    for row in table.rows[1:]:
        yield [cell.text for cell in row.cells]


def expected_requirements(compilation: Compilation) -> list[tuple[str, m.Requirement]]:
    """The blueprint's own requirements as the RFP orders them, by hand: by category
    (functional, technical, operational, commercial), then MoSCoW priority, then the
    order of declaration; each with its number ``3.<category>.<n>``."""
    assert compilation.model is not None
    declared = [r for r in compilation.model.of(m.Requirement) if not r.library]
    categories = ["functional", "technical", "operational", "commercial"]
    priorities = ["must", "should", "could", "wont"]
    result = []
    for k, category in enumerate(categories, start=1):
        mine = [r for r in declared if r.category == category]
        mine.sort(key=lambda r: priorities.index(r.priority))  # stable: declaration order
        result += [(f"3.{k}.{j}", r) for j, r in enumerate(mine, start=1)]
    assert len(result) == len(declared)
    return result


def identifier(name: str) -> str:
    return "REQ-" + name.upper().replace("_", "-")


@pytest.fixture(scope="module")
def small() -> bytes:
    return word_file(compiled(SMALL))


# -- structure -------------------------------------------------------------------------------


def test_headings_are_word_heading_styles_in_the_rfp_order(small: bytes) -> None:
    document = opened(small)
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Request for proposal"
    assert document.paragraphs[1].text == "T"
    found = headings(document)
    assert [text for level, text in found if level == 1] == SECTIONS
    assert [text for level, text in found if level == 2] == [
        "3.1 Functional requirements",
        "3.2 Technical requirements",
        "3.3 Operational requirements",
        "3.4 Commercial requirements",
        "4.1 Contacts per channel",
        "4.2 Agents per queue",
        "4.3 Seats per site",
        "4.4 Licences",
    ]
    # The table of contents (Heading 1 and 2), updated by Word on opening; the setting in
    # the place the schema gives it, before w:compat (Word refuses a settings part out of
    # order).
    assert 'TOC \\o "1-2"' in document.element.xml
    tags = [child.tag for child in document.settings.element]
    assert tags.index(qn("w:updateFields")) < tags.index(qn("w:compat"))
    # Each level-3 heading sits under the level-2 heading its number starts with.
    parent = ""
    for level, text in found:
        if level == 2:
            parent = text.split()[0]
        if level == 3:
            assert text.split()[0].rsplit(".", 1)[0] == parent


def test_the_small_blueprint_requirements_numbered_under_their_identifiers(small: bytes) -> None:
    document = opened(small)
    # r_one and z_first are musts, a_late a could (declared before z_first); r_two is the
    # one commercial requirement.
    expected = [
        ("3.1.1", "REQ-R-ONE", "must", "no", "Route calls", "Calls reach agents"),
        ("3.1.2", "REQ-Z-FIRST", "must", "no", "Also a must", "to be agreed"),
        ("3.1.3", "REQ-A-LATE", "could", "no", "Nice to have", "to be agreed"),
        ("3.4.1", "REQ-R-TWO", "should", "yes", "Data stays home", "to be agreed"),
    ]
    assert [text for level, text in headings(document) if level == 3] == [
        f"{number} {ident}" for number, ident, *_ in expected
    ]
    assert list(body_rows(matrix(document))) == [[*row, "", ""] for row in expected]
    text = [p.text for p in document.paragraphs]
    first = text.index("3.1.1 REQ-R-ONE")
    assert text[first + 1 : first + 4] == [
        "Route calls",
        "Priority: must; knock-out: no",
        "Acceptance condition: Calls reach agents",
    ]
    # acd supports voice, which p1's mix uses; p1 belongs to s, which delivers quick.
    chain = "acd (component) → voice (channel) → p1 (process) → s (service) → quick (promise)"
    assert text[first + 4] == f"Traces to: {chain}"
    assert "The knock-out requirements (REQ-R-TWO) must be fully compliant" in "\n".join(text)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_requirement_of_the_examples_in_order_and_in_the_matrix(example: Path) -> None:
    compilation = compiled_example(example.stem)
    document = opened(built_example(example.stem)[FILE])
    expected = expected_requirements(compilation)
    assert [text for level, text in headings(document) if level == 3] == [
        f"{number} {identifier(r.name)}" for number, r in expected
    ]
    rows = list(body_rows(matrix(document))) if expected else []
    assert [row[:5] for row in rows] == [
        [number, identifier(r.name), r.priority, "yes" if r.mandatory else "no", r.text]
        for number, r in expected
    ]
    if not expected:
        assert "This request holds no requirements." in [p.text for p in document.paragraphs]


def test_the_matrix_speaks_the_workbook_s_words_and_waits_for_the_vendor(small: bytes) -> None:
    document = opened(small)
    table = matrix(document)
    header = [cell.text for cell in table.rows[0].cells]
    assert header == MATRIX
    workbook = [title for title, _ in WORKBOOK_COLUMNS]
    assert set(header) - {"No."} <= set(workbook)
    assert header[1:] == [t for t in workbook if t != "Category"]  # the same order
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats per page
    compliance, comment = header.index("Compliance"), header.index("Comment")
    for row in table.rows[1:]:
        assert row.cells[comment].text == "" and not row.cells[comment]._tc.xpath(".//w:t")
        cell = row.cells[compliance]
        assert cell.text == ""  # a drop-down content control, showing its placeholder
        (control,) = cell._tc.xpath(".//w:sdt")
        assert control.xpath("./w:sdtPr/w:showingPlcHdr", namespaces=W)
        items = control.xpath("./w:sdtPr/w:dropDownList/w:listItem/@w:value", namespaces=W)
        assert items == STATUSES
    statuses = next(t for t in document.tables if t.rows[0].cells[0].text == "Status")
    assert [row[0] for row in body_rows(statuses)] == STATUSES
    # The matrix has a landscape section of its own, after portrait pages.
    first, last = document.sections[0], document.sections[-1]
    assert first.orientation == WD_ORIENT.PORTRAIT and first.page_width < first.page_height
    assert last.orientation == WD_ORIENT.LANDSCAPE and last.page_width > last.page_height


def test_volumes_and_criteria_as_the_view_has_them(small: bytes) -> None:
    document = opened(small)
    tables = {t.rows[0].cells[0].text: list(body_rows(t)) for t in document.tables}
    # As test_rfp works them out: 100 contacts a week = 100 x 8760 / 168 a year, 60% on
    # voice (3,128.6), 40% on web (2,085.7); 8 Erlangs on voice at 80% within 20 s.
    assert tables["Channel"] == [["voice", "assisted", "3,129"], ["web", "self-service", "2,086"]]
    agents = erlang_c_agents(8.0, 240.0, 0.8, 20.0)
    assert tables["Queue"][0][:3] == ["voice", "realtime", str(agents)]
    assert tables["Site"] == [["hq", "-", str(agents), "20"]]
    assert tables["Criterion"] == [
        ["functionality", "50.0%", "-"],
        ["price", "30.0%", "-"],
        ["support", "20.0%", "-"],
    ]


# -- a client deliverable ------------------------------------------------------------------


def _all_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive_file:
        xml = "".join(
            archive_file.read(name).decode()
            for name in archive_file.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        )
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_source_lines_tool_pointers_or_internal_names(example: Path) -> None:
    """Built as the build builds it (the review edition, the default): no blueprint line,
    no pointer to the tool, no name joined by ``_`` or ``std.``: display labels."""
    text = _all_text(built_example(example.stem)[FILE])
    assert "Request for proposal" in text
    for internal in (".cxb", "docs/", "std.", "Source", "blueprintc", "xlsx"):
        assert internal not in text, internal
    assert re.findall(r"\w+_\w+", text) == []


def test_hostile_text_is_text() -> None:
    hostile = HOSTILE.replace('text "<script>', 'text "a\\tb\\nc <script>')
    document = opened(word_file(compiled(hostile)))
    (row,) = body_rows(matrix(document))
    assert row[4] == "a\tb\nc <script>alert(1)</script> | cell"  # Word's tab and break
    assert row[5] == '=HYPERLINK("x") *bold* | y'


# -- no requirements ----------------------------------------------------------------------------


def test_a_blueprint_without_requirements_says_so() -> None:
    document = opened(word_file(compiled(EMPTY)))
    text = [p.text for p in document.paragraphs]
    assert "This request holds no requirements." in text
    assert "This request holds no requirements: there is nothing to answer." in text
    assert not [level for level, _ in headings(document) if level == 3]
    assert [t for t in document.tables if t.rows[0].cells[0].text == "No."] == []
    assert [text for level, text in headings(document) if level == 1] == SECTIONS


# -- reproducible bytes -----------------------------------------------------------------------


def test_two_builds_are_byte_identical(small: bytes) -> None:
    compilation = compiled(SMALL)
    assert word_file(compilation) == small
    later = word_file(compilation, 1_800_000_000)
    assert word_file(compilation, 1_800_000_000) == later != small
    with zipfile.ZipFile(io.BytesIO(later)) as archive_file:
        assert {i.date_time for i in archive_file.infolist()} == {archive.ZIP_TIME}
        assert archive_file.namelist()[0] == "[Content_Types].xml"
        core = archive_file.read("docProps/core.xml").decode()
    assert core.count(">2027-01-15T08:00:00Z<") == 3  # 1.8e9 s: created, modified, printed
    properties = opened(later).core_properties
    assert properties.created is not None and properties.modified == properties.created
    assert properties.created.replace(tzinfo=None) == dt.datetime(2027, 1, 15, 8, 0)
    assert properties.author == "blueprintc"
    assert "Date: 2027-01-15" in [p.text for p in opened(later).paragraphs]
    assert not any(p.text.startswith("Date:") for p in opened(small).paragraphs)
    first = opened(small).core_properties.created
    assert first is not None and first.replace(tzinfo=None) == dt.datetime(2000, 1, 1)


# -- the build and the command line ------------------------------------------------------------


def test_the_build_writes_the_word_file_with_the_rfp_only() -> None:
    compilation = compiled(SMALL)
    stages: list[str] = []
    result = build_documents(compilation, formats=["docx"], progress=stages.append)
    assert [name for name in result.files] == [FILE]
    assert stages == ["views", "docx"]
    opened(result.files[FILE])  # a document python-docx reads
    others = build_documents(compilation, formats=["docx"], only=["uat-plan"])
    assert others.files == {}


# A German client who names the call distribution: its label and Germany's separators.
GERMAN = SMALL.replace("interval 30 min;", 'interval 30 min; locale "de_DE";').replace(
    "component acd {", 'component acd { label "Automatic call distribution";'
)


@pytest.mark.parametrize("edition", list(Edition), ids=lambda e: e.value)
def test_the_build_shows_the_client_labels_and_locale_in_either_edition(
    edition: Edition,
) -> None:
    result = build_documents(compiled(GERMAN), formats=["docx"], edition=edition)
    document = opened(result.files[FILE])
    tables = {t.rows[0].cells[0].text: list(body_rows(t)) for t in document.tables}
    # The label as declared; the other names made readable (voice: Voice).
    (scope,) = [t for t in document.tables if t.rows[0].cells[1].text == "Kind"]
    assert [row[0] for row in body_rows(scope)] == ["Automatic call distribution"]
    assert [row[3] for row in body_rows(scope)] == ["Voice"]
    assert [row[0] for row in tables["Component"]] == ["Automatic call distribution"]  # licences
    # 100 x 8760 / 168 x 60% = 3,128.6 voice contacts, 40% = 2,085.7 web, as Germany writes
    # them; a 50% weight with its no-break space before the sign (CLDR's de pattern).
    assert [row[2] for row in tables["Channel"]] == ["3.129", "2.086"]
    assert tables["Criterion"][0][1] == "50,0\xa0%"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Traces to: Automatic call distribution (component) → Voice (channel)" in text
    # The identifiers stay the blueprint's, as the workbook has them.
    assert "3.1.1 REQ-R-ONE" in text and "acd" not in text


def test_the_command_line_builds_it_by_default_and_alone(tmp_path: Path) -> None:
    source = tmp_path / "small.cxb"
    source.write_text(SMALL, encoding="utf-8")
    err = io.StringIO()
    assert main(["build", str(source), "-o", str(tmp_path / "all")], io.StringIO(), err) == 0
    assert (tmp_path / "all" / FILE).is_file()
    only = tmp_path / "only"
    code = main(["build", str(source), "-o", str(only), "--format", "docx"], io.StringIO(), err)
    assert code == 0, err.getvalue()
    written = sorted(p.relative_to(only).as_posix() for p in only.rglob("*") if p.is_file())
    assert written == [".blueprintc-build", FILE]
    assert (only / FILE).read_bytes() == (tmp_path / "all" / FILE).read_bytes()


# -- another reader -------------------------------------------------------------------------------


def _soffice() -> str | None:
    """LibreOffice, when its Writer is installed (Debian may install Calc alone)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    program = Path(office).resolve().parent
    calc_alone = (program / "libsclo.so").exists() and not (program / "libswlo.so").exists()
    return None if calc_alone else office


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice Writer (soffice) is not installed")
def test_libreoffice_opens_it(tmp_path: Path) -> None:
    """LibreOffice, a second reader of Word files, prints the example's RFP to PDF and
    reads every requirement back as text."""
    compilation = compile(EXAMPLE)
    source = tmp_path / "06-rfp.docx"
    source.write_bytes(word_file(compilation))
    out = tmp_path / "out"
    for target in ("pdf", "txt:Text"):
        command = [
            str(_soffice()),
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=180)
    pdf = (out / "06-rfp.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 4
    text = (out / "06-rfp.txt").read_text(encoding="utf-8-sig")
    for number, requirement in expected_requirements(compilation):
        assert f"{number} {identifier(requirement.name)}" in text


@pytest.mark.parametrize(
    ("locale", "size_mm"),
    [
        ("en_US", (215.9, 279.4)),
        ("en_CA", (215.9, 279.4)),
        ("en_GB", (210, 297)),
        ("de", (210, 297)),
    ],
)
def test_the_paper_is_the_client_s(locale: str, size_mm: tuple[float, float]) -> None:
    """US Letter (8.5 × 11 in = 215.9 × 279.4 mm) where the client's territory prints on
    it, A4 (210 × 297 mm) elsewhere; the matrix's landscape pages turn the same paper."""
    from blueprintc.documents.presentation import Presentation, presenting

    with presenting(Presentation(locale)):
        document = opened(word_file(compiled(SMALL)))
    first, *_, last = document.sections
    mm = 36_000  # EMU in a millimetre
    assert (round(first.page_width / mm, 1), round(first.page_height / mm, 1)) == size_mm
    assert (round(last.page_height / mm, 1), round(last.page_width / mm, 1)) == size_mm


@pytest.mark.parametrize(
    "text",
    ["", "plain", " padded ", "tab\there", "two\nlines", "cr\r", "\t", "é — 5 %", "x  y"],
)
def test_a_runs_text_is_written_as_python_docx_writes_it(text: str) -> None:
    """``word._text_of`` makes the elements python-docx's ``run.text`` makes (one ``w:t``,
    kept spaces, tabs and breaks as Word's own elements)."""
    from docx.oxml.ns import nsdecls
    from docx.oxml.parser import parse_xml
    from lxml import etree

    empty = f"<w:r {nsdecls('w')}><w:rPr><w:b/></w:rPr></w:r>"
    theirs: Any = parse_xml(empty)
    theirs.text = text
    ours: Any = parse_xml(empty)
    word._text_of(ours, text)
    assert etree.tostring(ours) == etree.tostring(theirs)


def test_a_paragraph_is_added_where_python_docx_adds_it() -> None:
    """At the end of the body, before its section properties; and where a body does not
    end with them, by python-docx itself."""
    ours, theirs = docx.Document(), docx.Document()
    for text in ("one", "two"):
        word._added(ours).add_run(text)
        theirs.add_paragraph().add_run(text)
        theirs.add_table(rows=1, cols=1)
        ours.add_table(rows=1, cols=1)
    assert ours.element.xml == theirs.element.xml
    body = ours.element.body
    body.remove(body[-1])  # no section properties at the end
    word._added(ours).add_run("three")
    assert body[-1].tag == qn("w:p") and body[-1].xpath("string(.)") == "three"
