"""The request for proposal as a Word document vendors answer in (python-docx).

``docx/06-rfp.docx`` is read from the RFP view (``views/rfp.py``), as the compliance
matrix workbook is: a cover block (client, title, version, the date of SOURCE_DATE_EPOCH
when set), a table of contents, the RFP's sections under Word's own heading styles
(Heading 1 to 3, which Word's navigation pane and its tables of contents follow), every
requirement numbered under its identifier, and the compliance matrix: one row per
requirement, in a landscape section, its header row repeated on every page, with an
empty Compliance cell (a drop-down of the four statuses) and an empty Comment cell for the
vendor. The columns and statuses are the workbook's.

It is a client deliverable in either edition: no source locations, no pointers to the
tool or its documentation. Bytes are reproducible: the core properties carry
SOURCE_DATE_EPOCH (or 2000-01-01) and the zip entries a fixed timestamp.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement, parse_xml
from docx.shared import Emu, Inches, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from blueprintc.documents import presentation
from blueprintc.documents.archive import repack
from blueprintc.documents.catalog import by_name
from blueprintc.documents.values import num, pct

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
HEADER_FILL = "DDE4EE"  # the workbook's header colour
PLACEHOLDER = "Choose a status"
GREY = RGBColor(0x80, 0x80, 0x80)
TABLE_TEXT = "TableText"  # the style of the tables' paragraphs, made by ``_styles``
DETAIL = "Detail"  # the style of a labelled line, made by ``_styles``
_BOLD_RUN = parse_xml(f"<w:r {nsdecls('w')}><w:rPr><w:b/></w:rPr></w:r>")
# The compliance matrix's columns: the workbook's (spreadsheets.MATRIX_COLUMNS) less its
# category, which the number gives, with their shares of a landscape page's width.
MATRIX_COLUMNS = (
    ("No.", 0.62),  # 3.1.10 on one line
    ("ID", 1.55),
    ("Priority", 0.75),
    ("Knock-out", 0.8),
    ("Requirement", 1.9),
    ("Acceptance condition", 1.6),
    ("Compliance", 1.15),
    ("Comment", 1.63),
)
TC, RUN = qn("w:tc"), f"{qn('w:p')}/{qn('w:r')}"
COMPLIANCE = [title for title, _ in MATRIX_COLUMNS].index("Compliance")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def file_name(stem: str) -> str:
    """The Word file of a document: ``docx/06-rfp.docx``."""
    return f"docx/{stem}.docx"


def documents(
    views: Mapping[str, Any],
    meta: Any,
    source_date_epoch: int | None,
    look: presentation.Presentation | None = None,
) -> dict[str, bytes]:
    """The Word files the selected documents call for (path -> bytes): the RFP's, its
    numbers and names shown as ``look`` shows them (the build passes the client's: the
    blueprint's locale and display labels, in either edition). A build hands it only the
    views of ``build.WORD_VIEWS``."""
    if "rfp" not in views:
        return {}
    if look is not None:
        with presentation.presenting(look):
            return documents(views, meta, source_date_epoch)
    moment = (
        dt.datetime.fromtimestamp(source_date_epoch, dt.UTC)
        if source_date_epoch is not None
        else FIXED_TIME
    )
    document = by_name("rfp")
    assert document is not None
    return {file_name(document.stem): _save(rfp_document(views["rfp"], meta), meta, moment)}


# -- text --------------------------------------------------------------------------------


def _clean(text: object) -> str:
    """User text as XML may hold it: control characters other than tab and line breaks
    (which a blueprint string may carry through escapes) are dropped."""
    return _NOT_XML.sub("", str(text))


def _shown(value: object) -> str:
    """A name or a text of the blueprint as the document shows it: a declaration's display
    label for its name (``presentation``), as ``|md`` shows it in the Markdown."""
    return _clean(presentation.current().shown(value))


def _names(items: Iterable[object]) -> str:
    return ", ".join(_shown(item) for item in items) or "-"


def _plural(count: int, word: str) -> str:
    return f"{num(count)} {word}{'' if count == 1 else 's'}"


# -- building blocks ------------------------------------------------------------------------


def _styled(paragraph: Paragraph, style_id: str) -> Paragraph:
    """``paragraph`` in the style of that identifier (python-docx looks a style up by its
    name through every style of the document, each time: a thousand headings took 0.7 s)."""
    paragraph._p.style = style_id
    return paragraph


def _heading(doc: WordDocument, number: str, title: str, level: int) -> Paragraph:
    """A heading in Word's own style for its level (``Heading1`` to ``Heading3``)."""
    return _styled(_paragraph(doc, f"{number} {_clean(title)}"), f"Heading{level}")


def _para(doc: WordDocument, text: str = "", style_id: str | None = None) -> Paragraph:
    paragraph = _paragraph(doc, _clean(text))
    return paragraph if style_id is None else _styled(paragraph, style_id)


def _added(doc: WordDocument) -> Paragraph:
    """``doc.add_paragraph()``, without python-docx's search of the body for its end: it
    looks for the section properties that close the body through every block before
    them, each time (quadratic in a long RFP); here they are the body's last element."""
    body = doc.element.body
    try:
        end = body[-1]  # from the end: no walk through the body
    except IndexError:
        return doc.add_paragraph()
    if end.tag != _SECTION_PROPERTIES:
        return doc.add_paragraph()
    paragraph = OxmlElement("w:p")
    end.addprevious(paragraph)
    return Paragraph(paragraph, doc._body)


_SECTION_PROPERTIES = qn("w:sectPr")


def _paragraph(doc: WordDocument, text: str) -> Paragraph:
    """``doc.add_paragraph(text)``: a run holding ``text``, if any (see ``_text_of``)."""
    paragraph = _added(doc)
    if text:
        _text_of(paragraph.add_run()._r, text)
    return paragraph


def _labelled(doc: WordDocument, label: str, text: str) -> Paragraph:
    """A paragraph ``Label: text`` with the label in bold, close to the next one."""
    paragraph = _styled(_added(doc), DETAIL)
    bold: Any = copy.deepcopy(_BOLD_RUN)  # a copy: ``run.bold`` looks its place up
    _text_of(bold, f"{_clean(label)}: ")
    paragraph._p.append(bold)
    _text_of(paragraph.add_run()._r, _clean(text))
    return paragraph


def _shade(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


_BREAKS = frozenset("\t\r\n")


def _text_of(run: Any, text: str) -> None:
    """An empty run's text, as python-docx's ``CT_R.text`` writes it (tabs and line
    breaks as Word's own elements): one ``w:t`` for text without them, made at once
    rather than character by character (half the time of the RFP's tables)."""
    if _BREAKS.isdisjoint(text):
        if text:
            run.add_t(text)
    else:
        run.text = text


def _row_flags(row: Any, header: bool) -> None:
    """A row that is never split over two pages; a header row repeats on every page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _table(
    doc: WordDocument,
    titles: Sequence[str],
    rows: Iterable[Sequence[object]],
    weights: Sequence[float],
    right: Iterable[int] = (),
    prepare: Callable[[_Row], None] | None = None,
) -> Table:
    """A table across the page's width, its columns shared out by ``weights``, with a
    shaded header row repeated on each page; ``right`` are the indices of the columns
    holding figures (right-aligned); ``prepare`` adds to the row every body row copies.

    The body rows are copies of one row made through python-docx, each cell's run given
    its text: python-docx builds each element anew, looking up where it goes among its
    siblings (a 500-row matrix took a second)."""
    aligned = set(right)
    section = doc.sections[-1]
    assert section.page_width is not None
    room = section.page_width - (section.left_margin or 0) - (section.right_margin or 0)
    table: Table = doc.add_table(rows=0, cols=len(titles))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, weight in zip(table.columns, weights, strict=True):
        column.width = Emu(int(room * weight / sum(weights)))  # rows added copy it
    header = table.add_row()  # type: ignore[no-untyped-call]
    _row_flags(header, header=True)
    for cell, title in zip(header.cells, titles, strict=True):
        _styled(cell.paragraphs[0], TABLE_TEXT).add_run(title).bold = True
        _shade(cell, HEADER_FILL)
    model = table.add_row()  # type: ignore[no-untyped-call]
    _row_flags(model, header=False)
    runs = []
    for column, cell in enumerate(model.cells):
        paragraph = _styled(cell.paragraphs[0], TABLE_TEXT)
        if column in aligned:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        runs.append(paragraph.add_run()._r)
    if prepare is not None:
        prepare(model)
    body = table._tbl
    body.remove(model._tr)
    for values in rows:
        tr = copy.deepcopy(model._tr)
        for r, value in zip(tr.iterchildren(TC), values, strict=True):
            run: Any = r.find(RUN)  # the cell's first run, python-docx's CT_R
            if value == "":
                run.getparent().remove(run)
            else:
                _text_of(run, _clean(value))
        body.append(tr)
    _added(doc)
    return table


def _field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) in ``paragraph``, ``shown`` until updated."""
    begin, separate, end = (OxmlElement("w:fldChar") for _ in range(3))
    begin.set(qn("w:fldCharType"), "begin")
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(begin)
    paragraph.add_run()._r.append(code)
    paragraph.add_run()._r.append(separate)
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(end)


def _contents(doc: WordDocument, entries: Sequence[tuple[int, str]]) -> None:
    """A table of contents field over Heading 1 and 2, holding the headings until Word
    updates it with page numbers (it is asked to on opening: ``w:updateFields``)."""
    _para(doc, "Contents", "TOCHeading")
    first = _added(doc)
    begin, separate, end = (OxmlElement("w:fldChar") for _ in range(3))
    begin.set(qn("w:fldCharType"), "begin")
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = ' TOC \\o "1-2" \\h \\z \\u '
    first.add_run()._r.append(begin)
    first.add_run()._r.append(code)
    first.add_run()._r.append(separate)
    paragraph = first
    for index, (level, text) in enumerate(entries):
        if index:
            paragraph = _added(doc)
        paragraph.add_run(_clean(text))
        paragraph.paragraph_format.left_indent = Inches(0.3 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(0)
    paragraph.add_run()._r.append(end)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # In the place the schema gives it (Word refuses a settings part out of order).
    doc.settings.element.insert_element_before(update, *_AFTER_UPDATE_FIELDS)


# What may follow ``w:updateFields`` in ``w:settings`` (ECMA-376 Part 1, CT_Settings).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def _orientation(doc: WordDocument, landscape: bool) -> None:
    """A new section from here, on landscape or portrait pages."""
    section = doc.add_section()
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    if landscape != (width > height):
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if landscape:  # the widest table's columns add up to 10 inches
        margin = Inches(0.5)
        section.left_margin = section.right_margin = margin


def _dropdown(paragraph: Paragraph, statuses: Sequence[str]) -> None:
    """A drop-down content control offering ``statuses``, showing a placeholder until the
    vendor chooses (the workbook's list validation, in Word)."""
    control = OxmlElement("w:sdt")
    properties = OxmlElement("w:sdtPr")
    alias = OxmlElement("w:alias")
    alias.set(qn("w:val"), "Compliance")
    properties.append(alias)
    properties.append(OxmlElement("w:showingPlcHdr"))
    choices = OxmlElement("w:dropDownList")
    for status in statuses:
        item = OxmlElement("w:listItem")
        item.set(qn("w:displayText"), status)
        item.set(qn("w:value"), status)
        choices.append(item)
    properties.append(choices)
    control.append(properties)
    content = OxmlElement("w:sdtContent")
    run = paragraph.add_run(PLACEHOLDER)
    run.font.color.rgb = GREY
    content.append(run._r)  # moved out of the paragraph into the control
    control.append(content)
    paragraph._p.append(control)


# -- the document ---------------------------------------------------------------------------

SECTIONS = (
    "Introduction",
    "Scope",
    "Requirements",
    "Volumes and sizing to quote for",
    "Evaluation criteria",
    "Response instructions",
    "Compliance statuses",
    "Compliance matrix",
)


def _number(title: str) -> str:
    return str(SECTIONS.index(title) + 1)


def rfp_document(view: Any, meta: Any) -> WordDocument:
    """The RFP and its compliance matrix; see the module docstring."""
    doc = docx.Document()
    _styles(doc)
    section = doc.sections[0]
    if not presentation.current().letter:  # python-docx's own template is US Letter
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Inches(1)
    _cover(doc, meta)
    _contents(doc, _toc_entries(view))
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    _introduction(doc, view, meta)
    _scope(doc, view)
    _requirements(doc, view)
    _volumes(doc, view)
    _criteria(doc, view)
    _instructions(doc, view)
    _statuses(doc, view)
    _orientation(doc, landscape=True)
    _matrix(doc, view)
    _footer(doc, meta)
    return doc


def _styles(doc: WordDocument) -> None:
    """Body text at 10 points; the tables' text at 9, with no space after a paragraph; a
    labelled line with little space after it."""
    styles = doc.styles
    normal = styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.size = Pt(10)
    table = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(table, ParagraphStyle) and table.style_id == TABLE_TEXT
    table.base_style = normal
    table.font.size = Pt(9)
    table.paragraph_format.space_after = Pt(0)
    detail = styles.add_style("Detail", WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(detail, ParagraphStyle) and detail.style_id == DETAIL
    detail.base_style = normal
    detail.paragraph_format.space_after = Pt(2)


def _toc_entries(view: Any) -> list[tuple[int, str]]:
    entries: list[tuple[int, str]] = []
    for title in SECTIONS:
        entries.append((1, f"{_number(title)} {title}"))
        if title == "Requirements":
            entries += [
                (2, f"{_number(title)}.{k} {group.title}")
                for k, group in enumerate(view.groups, start=1)
            ]
        if title == "Volumes and sizing to quote for":
            entries += [
                (2, f"{_number(title)}.{k} {part}") for k, part in enumerate(VOLUME_PARTS, 1)
            ]
    return entries


def _cover(doc: WordDocument, meta: Any) -> None:
    _para(doc, "Request for proposal", "Title")
    _para(doc, meta.title, "Subtitle")
    lines = [
        ("Client", meta.client),
        ("Prepared by", meta.author),
        ("Version", meta.version),
        ("Date", meta.generated),
        ("Horizon", f"{meta.horizon_months} months from {meta.start}"),
        ("Currency", f"{meta.currency} (all amounts)"),
    ]
    for label, value in lines:
        if value:
            _labelled(doc, label, value)
    _added(doc)


def _footer(doc: WordDocument, meta: Any) -> None:
    """Every page's footer: the title and ``Page n of m`` (the sections share it)."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.add_run(f"Request for proposal — {_clean(meta.title)}    Page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _introduction(doc: WordDocument, view: Any, meta: Any) -> None:
    intro = view.introduction
    _heading(doc, _number("Introduction"), "Introduction", 1)
    who = f"{_shown(intro.client)} invites vendors" if intro.client else "Vendors are invited"
    sites = (
        f"from {_plural(len(intro.sites), 'site')} ({_names(intro.sites)})"
        if intro.sites
        else "with no site declared"
    )
    _para(
        doc,
        f"{who} to propose the technology and services for the customer care center "
        f"described below. The center starts in {meta.start} and is planned over "
        f"{meta.horizon_months} months. It handles about {num(intro.contacts_first_year)} "
        f"contacts in its first year on "
        f"{_plural(len(intro.assisted_channels), 'assisted channel')} "
        f"({_names(intro.assisted_channels)}) and "
        f"{_plural(len(intro.self_service_channels), 'self-service channel')} "
        f"({_names(intro.self_service_channels)}), {sites}. This request lists "
        f"{_plural(intro.requirements, 'requirement')}, {num(intro.must)} of them musts.",
    )
    if intro.services:
        _para(doc, "The services the center delivers, and the brand promises they keep:")
        _table(
            doc,
            ("Service", "Promises kept", "Contact processes", "Description"),
            (
                (
                    _shown(s.name),
                    _names(s.promises),
                    _names(s.processes),
                    _shown(s.description or "-"),
                )
                for s in intro.services
            ),
            (2, 2, 3, 3),
        )
    else:
        _para(doc, "No services are declared.")


def _scope(doc: WordDocument, view: Any) -> None:
    _heading(doc, _number("Scope"), "Scope", 1)
    _para(
        doc,
        "The components below are in scope: vendors may bid for all of them or for some "
        "(state which). Go-live is the month the project plan puts each component live; "
        "deployment is the model the design assumes.",
    )
    if view.scope:
        _table(
            doc,
            ("Component", "Kind", "Deployment", "Supports channels", "Phase", "Go-live"),
            (
                (
                    _shown(c.component),
                    _shown(c.kind or "-"),
                    _shown(c.deployment or "-"),
                    _names(c.supports),
                    _shown(c.phase or "-"),
                    c.go_live,
                )
                for c in view.scope
            ),
            (2.2, 2, 2, 2.6, 2.2, 1.5),
        )
        for c in view.scope:  # a column of descriptions would leave the others too narrow
            if c.description:
                _labelled(doc, _shown(c.component), _shown(c.description))
    else:
        _para(doc, "No components are in scope.")


def _requirements(doc: WordDocument, view: Any) -> None:
    number = _number("Requirements")
    _heading(doc, number, "Requirements", 1)
    total = sum(len(group.requirements) for group in view.groups)
    if not total:
        _para(doc, "This request holds no requirements.")
        return
    _para(
        doc,
        "Each requirement has a stable identifier, a MoSCoW priority (must, should, could, "
        "won't), and the condition that acceptance testing will check. A knock-out "
        "requirement is mandatory: a proposal that does not comply is not evaluated.",
    )
    for k, group in enumerate(view.groups, start=1):
        _heading(doc, f"{number}.{k}", group.title, 2)
        if not group.requirements:
            _para(doc, f"No {group.category} requirements.")
        for j, requirement in enumerate(group.requirements, start=1):
            _heading(doc, f"{number}.{k}.{j}", requirement.id, 3)
            _para(doc, _shown(requirement.text))
            knockout = "yes" if requirement.mandatory else "no"
            _labelled(doc, "Priority", f"{requirement.priority}; knock-out: {knockout}")
            acceptance = _shown(requirement.acceptance or "to be agreed")
            _labelled(doc, "Acceptance condition", acceptance)
            traces = "; ".join(
                " → ".join(f"{_shown(link.name)} ({link.kind})" for link in chain.links)
                for chain in requirement.chains
            )
            if traces:
                _labelled(doc, "Traces to", traces)


VOLUME_PARTS = ("Contacts per channel", "Agents per queue", "Seats per site", "Licences")


def _volumes(doc: WordDocument, view: Any) -> None:
    vol = view.volumes
    number = _number("Volumes and sizing to quote for")
    _heading(doc, number, "Volumes and sizing to quote for", 1)
    _para(
        doc,
        "Prices must be quoted for the volumes below. Contacts are those offered to each "
        "channel in each project year (after self-service has contained its share on "
        "assisted channels; outbound counts call attempts). Agents and FTE come from the "
        "sizing of each queue against its service targets.",
    )
    _heading(doc, f"{number}.1", VOLUME_PARTS[0], 2)
    if vol.channels:
        _table(
            doc,
            ("Channel", "Handling", *(f"Contacts {y}" for y in vol.years)),
            (
                (_shown(c.channel), c.handling, *(num(v) for v in c.contacts_per_year))
                for c in vol.channels
            ),
            (2, 1.8, *(1.6 for _ in vol.years)),
            right=range(2, 2 + len(vol.years)),
        )
    else:
        _para(doc, "No channels are declared.")
    _heading(doc, f"{number}.2", VOLUME_PARTS[1], 2)
    if vol.queues:
        _para(
            doc,
            "The peak agents are the most logged in at once in the busiest interval of "
            "the horizon; the FTE peak is the month with the most paid full-time "
            "equivalents (shrinkage included); headcount is FTE rounded up to people.",
        )
        _table(
            doc,
            ("Queue", "Mode", "Peak agents", "Peak month", "FTE, busiest month", "Headcount"),
            (
                (
                    _shown(q.queue),
                    q.mode,
                    num(q.peak_agents),
                    q.peak_month,
                    num(q.fte_peak, 1),
                    num(q.headcount_peak),
                )
                for q in vol.queues
            ),
            (2, 1.6, 1.3, 1.4, 1.5, 1.5),
            right=(2, 4, 5),
        )
        _para(
            doc,
            f"At the busiest interval of the horizon ({vol.peak_month}) "
            f"{num(vol.peak_concurrent)} agents are logged in across all queues; the center "
            f"employs up to {num(vol.fte_peak, 1)} FTE (agents and support staff, in the "
            "month of the most).",
        )
    else:
        _para(doc, "No assisted queues are planned.")
    _heading(doc, f"{number}.3", VOLUME_PARTS[2], 2)
    if vol.sites:
        _para(doc, "Seats: agents logged in at the busiest interval plus support staff.")
        _table(
            doc,
            ("Site", "Location", "Seats needed", "Seats available"),
            (
                (_shown(s.site), _shown(s.location or "-"), num(s.seats), num(s.capacity))
                for s in vol.sites
            ),
            (2, 2, 1.5, 1.5),
            right=(2, 3),
        )
    else:
        _para(doc, "No sites are declared.")
    _heading(doc, f"{number}.4", VOLUME_PARTS[3], 2)
    if vol.licences:
        _para(
            doc,
            "Components priced per seat count the agents logged in at the busiest interval "
            "on the channels they support; components priced per user count the agents "
            "employed on them. The quantity is the peak over the horizon.",
        )
        _table(
            doc,
            ("Component", "Basis", "Quantity", "Peak month", "Channels", "Priced as"),
            (
                (
                    _shown(item.component),
                    item.basis,
                    num(item.quantity),
                    item.month,
                    _names(item.channels),
                    _names(item.priced_as),
                )
                for item in vol.licences
            ),
            (2, 1.6, 1.2, 1.3, 2.2, 2),
            right=(2,),
        )
    else:
        _para(doc, "No component is priced per seat or per user.")


def _criteria(doc: WordDocument, view: Any) -> None:
    _heading(doc, _number("Evaluation criteria"), "Evaluation criteria", 1)
    _para(
        doc,
        "Proposals are scored from 0 to 5 on each criterion; a proposal's total is the sum "
        "of weight × score, and 5 on every criterion is 100%."
        + (
            " The declared weights do not add up to 100%; they are scaled to do so."
            if view.weights_normalised
            else ""
        ),
    )
    if view.criteria:
        _table(
            doc,
            ("Criterion", "Weight", "Description"),
            (
                (_shown(c.name), pct(c.weight_used), _shown(c.description or "-"))
                for c in view.criteria
            ),
            (2, 1, 5),
            right=(1,),
        )
    else:
        _para(doc, "No evaluation criteria are declared.")


def _instructions(doc: WordDocument, view: Any) -> None:
    matrix = _number("Compliance matrix")
    _heading(doc, _number("Response instructions"), "Response instructions", 1)
    steps = [
        f"Answer every requirement in the compliance matrix (section {matrix}) with one "
        "status and a comment; say whether the answer relies on the standard product or on "
        "custom work, and point to the page of the proposal that shows it.",
        "Quote prices for the volumes, agents, seats and licences above, itemised per "
        "component, with one-time and recurring costs and maintenance after go-live shown "
        "apart.",
        "Follow the order of this document, so that proposals can be compared section by section.",
    ]
    if view.compliance.mandatory:
        steps.append(
            f"The knock-out requirements ({_names(view.compliance.mandatory)}) must be fully "
            "compliant; a proposal that is not is excluded from the evaluation."
        )
    for step in steps:
        _para(doc, step, "ListNumber")


def _statuses(doc: WordDocument, view: Any) -> None:
    _heading(doc, _number("Compliance statuses"), "Compliance statuses", 1)
    _para(doc, "The compliance matrix takes one of these statuses for each requirement:")
    _table(
        doc, ("Status", "Meaning"), ((s.name, s.meaning) for s in view.compliance.statuses), (2, 5)
    )
    _para(doc, "Answers become part of the contract: a status stated here is a commitment.")


def _matrix(doc: WordDocument, view: Any) -> None:
    """One row per requirement, numbered as in the requirements section; the vendor's
    Compliance (a drop-down) and Comment cells are empty."""
    number = _number("Compliance matrix")
    _heading(doc, number, "Compliance matrix", 1)
    rows = [
        (
            f"{_number('Requirements')}.{k}.{j}",
            r.id,
            r.priority,
            "yes" if r.mandatory else "no",
            _shown(r.text),
            _shown(r.acceptance or "to be agreed"),
            "",
            "",
        )
        for k, group in enumerate(view.groups, start=1)
        for j, r in enumerate(group.requirements, start=1)
    ]
    if not rows:
        _para(doc, "This request holds no requirements: there is nothing to answer.")
        return
    _para(
        doc,
        f"The {_plural(len(rows), 'requirement')} of section {_number('Requirements')}, one "
        "per row. Choose a status in the Compliance column and give a comment or a "
        "reference to the proposal in the Comment column.",
    )
    statuses = [s.name for s in view.compliance.statuses]
    _table(
        doc,
        [title for title, _ in MATRIX_COLUMNS],
        rows,
        [weight for _, weight in MATRIX_COLUMNS],
        prepare=lambda row: _dropdown(row.cells[COMPLIANCE].paragraphs[0], statuses),
    )


# -- saving ---------------------------------------------------------------------------------


def _save(doc: WordDocument, meta: Any, moment: dt.datetime) -> bytes:
    """The document's bytes, reproducible: fixed properties and zip timestamps."""
    properties = doc.core_properties
    properties.author = "blueprintc"
    properties.last_modified_by = "blueprintc"
    properties.title = _clean(f"Request for proposal — {meta.title}")
    properties.subject = _clean(meta.client or "")
    properties.comments = ""
    properties.keywords = ""
    properties.revision = 1
    properties.created = moment
    properties.modified = moment
    properties.last_printed = moment
    buffer = io.BytesIO()
    doc.save(buffer)
    return repack(buffer.getvalue())
