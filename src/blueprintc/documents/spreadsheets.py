"""The workbooks of the document set (openpyxl): the RFP compliance matrix and the
financial model.

* ``xlsx/rfp-compliance-matrix.xlsx``: one row per requirement of the RFP view, with a
  status column restricted to the four compliance statuses and a comment column.
* ``xlsx/financial-model.xlsx``: every monthly cost line of ``planning.statement`` with
  its exact amounts; category totals, grand total, cumulative cash flow, yearly totals
  and the NPV are live formulas over those lines, so a finance team can audit and change
  them. The ``Check`` sheet sets the compiler's own figures beside the formulas.

Cells holding user text that a spreadsheet could read as a formula (``=``, ``+``, ``-``,
``@``, tab, CR) are stored as text with Excel's quote prefix. Bytes are reproducible:
document properties carry SOURCE_DATE_EPOCH (or 2000-01-01) and the zip entries a fixed
timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from blueprintc.documents.archive import ZIP_TIME as ZIP_TIME  # the tests read it here
from blueprintc.documents.archive import repack
from blueprintc.documents.context import Context
from blueprintc.documents.escape import is_formula_like

COMPLIANCE_FILE = "xlsx/rfp-compliance-matrix.xlsx"
FINANCIAL_FILE = "xlsx/financial-model.xlsx"
FIXED_TIME = dt.datetime(2000, 1, 1)
MONEY = "#,##0.00"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
WRAP = Alignment(wrap_text=True, vertical="top")


def workbooks(
    views: Mapping[str, Any], meta: Any, source_date_epoch: int | None, ctx: Context
) -> dict[str, bytes]:
    """The workbooks the selected documents call for (path -> bytes)."""
    moment = (
        dt.datetime.fromtimestamp(source_date_epoch, dt.UTC).replace(tzinfo=None)
        if source_date_epoch is not None
        else FIXED_TIME
    )
    files: dict[str, bytes] = {}
    if "rfp" in views:
        files[COMPLIANCE_FILE] = _save(compliance_matrix(views["rfp"], meta), meta, moment)
    if "financial-design" in views:
        files[FINANCIAL_FILE] = _save(financial_model(ctx, meta), meta, moment)
    return files


# -- cells --------------------------------------------------------------------------------


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value; user text that looks like a formula is kept as quoted text."""
    cell: Cell = sheet.cell(row=row, column=column)
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, str) and is_formula_like(value):
        cell.value = value
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True
    elif value is not None:
        cell.value = value
    return cell


def formula(sheet: Worksheet, row: int, column: int, text: str) -> Cell:
    """A formula cell (only ever built from our own cell references)."""
    cell: Cell = sheet.cell(row=row, column=column)
    cell.value = text
    return cell


def _header(sheet: Worksheet, row: int, titles: Sequence[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = put(sheet, row, column, title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP


# -- compliance matrix ----------------------------------------------------------------------

MATRIX_COLUMNS = (
    ("ID", 30),
    ("Category", 13),
    ("Priority", 9),
    ("Knock-out", 10),
    ("Requirement", 50),
    ("Acceptance condition", 45),
    ("Compliance", 20),
    ("Comment", 45),
)


def compliance_matrix(view: Any, meta: Any) -> Workbook:
    """One row per requirement; the vendor fills in Compliance (a list) and Comment."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Compliance matrix"
    _header(sheet, 1, [title for title, _ in MATRIX_COLUMNS])
    for column, (_, width) in enumerate(MATRIX_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    row = 1
    for group in view.groups:
        for requirement in group.requirements:
            row += 1
            values = (
                requirement.id,
                requirement.category,
                requirement.priority,
                "yes" if requirement.mandatory else "no",
                requirement.text,
                requirement.acceptance or "",
            )
            for column, value in enumerate(values, start=1):
                put(sheet, row, column, value).alignment = WRAP
            for column in (7, 8):
                sheet.cell(row=row, column=column).alignment = WRAP
    statuses = ",".join(s.name for s in view.compliance.statuses)
    validation = DataValidation(
        type="list",
        formula1=f'"{statuses}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Compliance",
        error="Choose one of: " + statuses.replace(",", ", "),
        promptTitle="Compliance",
        prompt="Choose a status from the list",
        showInputMessage=True,
    )
    sheet.add_data_validation(validation)
    if row > 1:
        validation.add(f"G2:G{row}")
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(MATRIX_COLUMNS))}{max(row, 1)}"
    _statuses_sheet(book, view)
    return book


def _statuses_sheet(book: Workbook, view: Any) -> None:
    sheet = book.create_sheet("Statuses")
    _header(sheet, 1, ["Status", "Meaning"])
    for row, status in enumerate(view.compliance.statuses, start=2):
        put(sheet, row, 1, status.name)
        put(sheet, row, 2, status.meaning)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 70


# -- financial model ------------------------------------------------------------------------

FIRST_MONTH_COLUMN = 4  # A name, B category, C group, then one column per month


def financial_model(ctx: Context, meta: Any) -> Workbook:
    """The cost lines and live formulas over them; see the module docstring."""
    statement = ctx.outcome.statement
    months = statement.horizon
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Monthly"
    first, last_col = FIRST_MONTH_COLUMN, FIRST_MONTH_COLUMN + months - 1
    total_col = last_col + 1
    letter = get_column_letter
    _header(
        sheet,
        1,
        ["Line", "Category", "Group", *statement.month_labels, f"Total ({meta.currency})"],
    )
    row = 1
    for line in statement.lines:
        row += 1
        put(sheet, row, 1, line.name)
        put(sheet, row, 2, line.category)
        put(sheet, row, 3, line.group)
        for index, amount in enumerate(line.months):
            put(sheet, row, first + index, amount).number_format = MONEY
        total = f"=SUM({letter(first)}{row}:{letter(last_col)}{row})"
        formula(sheet, row, total_col, total).number_format = MONEY
    last_line = max(row, 2)
    rows: dict[str, int] = {}
    row += 1
    for label, category in (("Total capex", "capex"), ("Total opex", "opex")):
        row += 1
        rows[category] = row
        put(sheet, row, 1, label).font = BOLD
        put(sheet, row, 2, category)
        for column in range(first, total_col + 1):
            c = letter(column)
            text = f'=SUMIF($B$2:$B${last_line},"{category}",{c}$2:{c}${last_line})'
            formula(sheet, row, column, text).number_format = MONEY
    row += 1
    rows["total"] = row
    put(sheet, row, 1, "Grand total").font = BOLD
    for column in range(first, total_col + 1):
        c = letter(column)
        text = f"={c}{rows['capex']}+{c}{rows['opex']}"
        cell = formula(sheet, row, column, text)
        cell.number_format = MONEY
        cell.font = BOLD
    row += 1
    rows["cumulative"] = row
    put(sheet, row, 1, "Cumulative cash flow").font = BOLD
    for column in range(first, last_col + 1):
        c = letter(column)
        text = (
            f"={c}{rows['total']}"
            if column == first
            else f"={letter(column - 1)}{row}+{c}{rows['total']}"
        )
        formula(sheet, row, column, text).number_format = MONEY
    sheet.freeze_panes = sheet.cell(row=2, column=first)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 9
    sheet.column_dimensions["C"].width = 16
    for column in range(first, total_col + 1):
        sheet.column_dimensions[letter(column)].width = 14
    years = _yearly_sheet(book, ctx, statement.lines, rows)
    npv_cell = _npv_sheet(book, ctx, rows["total"], first, last_col)
    _check_sheet(book, ctx, rows, total_col, years, npv_cell)
    if ctx.outcome.business_case is not None:
        _business_case_sheet(book, ctx, rows, first, last_col)
    return book


def _business_case_sheet(
    book: Workbook, ctx: Context, rows: Mapping[str, int], first: int, last: int
) -> None:
    """The business case over the Monthly sheet: the do-nothing cost and the benefits as
    amounts, savings, investment, net and cumulative cash flow, NPV, ROI and IRR as
    formulas (docs/finance.md, "The business case"); its totals join the Check sheet."""
    case = ctx.outcome.business_case
    assert case is not None
    sheet = book.create_sheet("BusinessCase")
    letter = get_column_letter
    total_col = last + 1
    _header(sheet, 1, ["Figure", "", "", *case.month_labels, f"Total ({ctx.currency})"])

    def amounts(row: int, label: str, values: Sequence[Fraction]) -> None:
        put(sheet, row, 1, label)
        for index, amount in enumerate(values):
            put(sheet, row, first + index, amount).number_format = MONEY

    def formulas(row: int, label: str, text: Callable[[str], str], bold: bool = False) -> None:
        put(sheet, row, 1, label).font = BOLD if bold else Font()
        for column in range(first, last + 1):
            formula(sheet, row, column, text(letter(column))).number_format = MONEY

    amounts(2, "Do-nothing cost", case.do_nothing.total.months)
    formulas(3, "Design opex", lambda c: f"=Monthly!{c}{rows['opex']}")
    formulas(4, "Savings", lambda c: f"={c}2-{c}3", bold=True)
    row = 4
    for flow in case.benefits:
        row += 1
        amounts(row, f"Benefit {flow.name}", flow.months)
    benefits = row + 1
    if row > 4:
        formulas(benefits, "Benefits", lambda c: f"=SUM({c}5:{c}{benefits - 1})", bold=True)
    else:
        amounts(benefits, "Benefits", [Fraction(0)] * len(case.month_labels))
    invest, net, cumulative = benefits + 1, benefits + 2, benefits + 3
    formulas(invest, "Investment (capex)", lambda c: f"=Monthly!{c}{rows['capex']}")
    formulas(net, "Net cash flow", lambda c: f"={c}4+{c}{benefits}-{c}{invest}", bold=True)
    for column in range(first, last + 1):
        c = letter(column)
        text = f"={c}{net}" if column == first else f"={letter(column - 1)}{cumulative}+{c}{net}"
        formula(sheet, cumulative, column, text).number_format = MONEY
    put(sheet, cumulative, 1, "Cumulative net cash flow").font = BOLD
    for source in range(2, net + 1):
        text = f"=SUM({letter(first)}{source}:{letter(last)}{source})"
        formula(sheet, source, total_col, text).number_format = MONEY
    span = f"{letter(first)}{net}:{letter(last)}{net}"
    t = letter(total_col)
    summary = cumulative + 2
    put(sheet, summary, 1, "NPV of the change, end-of-month timing").font = BOLD
    npv = f"=ROUND(NPV(NPV!B2,{span}),2)"
    formula(sheet, summary, first, npv).number_format = MONEY
    put(sheet, summary + 1, 1, "ROI over the horizon").font = BOLD
    roi = f"=({t}4+{t}{benefits}-{t}{invest})/{t}{invest}"
    if case.figures.roi is None:
        put(sheet, summary + 1, first, "not defined (no capex)")
    else:
        formula(sheet, summary + 1, first, roi).number_format = "0.00%"
    put(sheet, summary + 2, 1, "IRR, a year = (1 + monthly IRR) ^ 12 - 1").font = BOLD
    if case.figures.irr is None:
        put(sheet, summary + 2, first, "not defined")
    else:
        formula(sheet, summary + 2, first, f"=(1+IRR({span}))^12-1").number_format = "0.00%"
    put(sheet, summary + 3, 1, "Payback (months from the start)").font = BOLD
    paid = case.figures.payback
    put(sheet, summary + 3, first, paid if paid is not None else "not within the horizon")
    sheet.freeze_panes = sheet.cell(row=2, column=first)
    sheet.column_dimensions["A"].width = 40
    for column in range(first, total_col + 1):
        sheet.column_dimensions[letter(column)].width = 14
    check = book["Check"]
    row = check.max_row
    for label, amount, cell in (
        ("Savings", case.figures.savings.total, f"BusinessCase!{t}4"),
        ("Net cash flow", case.figures.net.total, f"BusinessCase!{t}{net}"),
        ("NPV of the change", case.figures.npv, f"BusinessCase!{letter(first)}{summary}"),
    ):
        row += 1
        put(check, row, 1, label)
        put(check, row, 2, amount).number_format = MONEY
        formula(check, row, 3, f"={cell}").number_format = MONEY
        formula(check, row, 4, f"=C{row}-B{row}").number_format = MONEY


def _yearly_sheet(
    book: Workbook, ctx: Context, lines: Sequence[Any], rows: Mapping[str, int]
) -> dict[str, str]:
    """Yearly sums of every line and total (SUM over the Monthly sheet); returns the cell
    of each year's grand total by year label."""
    statement = ctx.outcome.statement
    sheet = book.create_sheet("Yearly")
    labels = statement.year_labels
    _header(sheet, 1, ["Line", "Category", "Group", *labels, "Total"])
    letter = get_column_letter
    spans = []  # (first, last) Monthly columns of each year
    for index in range(len(labels)):
        months = [t for t in range(statement.horizon) if statement.year_of(t) == index]
        spans.append((FIRST_MONTH_COLUMN + months[0], FIRST_MONTH_COLUMN + months[-1]))
    sources = [
        *[(r, line.name, line.category, line.group) for r, line in enumerate(lines, start=2)],
        (rows["capex"], "Total capex", "capex", ""),
        (rows["opex"], "Total opex", "opex", ""),
        (rows["total"], "Grand total", "", ""),
    ]
    totals: dict[str, str] = {}
    for row, (source, name, category, group) in enumerate(sources, start=2):
        put(sheet, row, 1, name)
        put(sheet, row, 2, category)
        put(sheet, row, 3, group)
        for index, (a, b) in enumerate(spans):
            text = f"=SUM(Monthly!{letter(a)}{source}:{letter(b)}{source})"
            formula(sheet, row, 4 + index, text).number_format = MONEY
            if name == "Grand total":
                totals[labels[index]] = f"Yearly!{letter(4 + index)}{row}"
        end = 4 + len(labels)
        text = f"=SUM({letter(4)}{row}:{letter(end - 1)}{row})"
        formula(sheet, row, end, text).number_format = MONEY
        if name in ("Total capex", "Total opex", "Grand total"):
            for column in range(1, end + 1):
                sheet.cell(row=row, column=column).font = BOLD
    sheet.freeze_panes = "D2"
    sheet.column_dimensions["A"].width = 34
    for column in range(4, 5 + len(labels)):
        sheet.column_dimensions[letter(column)].width = 16
    return totals


def _npv_sheet(book: Workbook, ctx: Context, total_row: int, first: int, last: int) -> str:
    """The discount rate and the NPV of the monthly grand totals, end-of-month timing,
    rounded to the cent (docs/finance.md section 6); returns the NPV cell."""
    sheet = book.create_sheet("NPV")
    rate = ctx.model.blueprint.discount
    put(sheet, 1, 1, "Annual discount rate (effective)").font = BOLD
    put(sheet, 1, 2, rate).number_format = "0.00%"
    put(sheet, 2, 1, "Monthly rate = (1 + annual) ^ (1/12) - 1").font = BOLD
    formula(sheet, 2, 2, "=(1+B1)^(1/12)-1").number_format = "0.000000%"
    put(sheet, 3, 1, "NPV of all costs, end-of-month timing").font = BOLD
    span = f"Monthly!{get_column_letter(first)}{total_row}:{get_column_letter(last)}{total_row}"
    formula(sheet, 3, 2, f"=ROUND(NPV(B2,{span}),2)").number_format = MONEY
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 18
    return "NPV!B3"


def _check_sheet(
    book: Workbook,
    ctx: Context,
    rows: Mapping[str, int],
    total_col: int,
    years: Mapping[str, str],
    npv_cell: str,
) -> None:
    """The compiler's figures beside the workbook's formulas, and their difference."""
    statement = ctx.outcome.statement
    sheet = book.create_sheet("Check")
    _header(sheet, 1, ["Figure", "Compiler", "Workbook", "Difference"])
    column = get_column_letter(total_col)
    checks: list[tuple[str, Fraction, str]] = [
        ("Total capex", statement.capex.total, f"Monthly!{column}{rows['capex']}"),
        ("Total opex", statement.opex.total, f"Monthly!{column}{rows['opex']}"),
        ("Grand total", statement.total.total, f"Monthly!{column}{rows['total']}"),
    ]
    checks += [
        (f"Total {label}", amount, years[label])
        for label, amount in zip(statement.year_labels, statement.total.years, strict=True)
    ]
    checks.append(("NPV", ctx.outcome.key.npv, npv_cell))
    for row, (label, amount, cell) in enumerate(checks, start=2):
        put(sheet, row, 1, label)
        put(sheet, row, 2, amount).number_format = MONEY
        formula(sheet, row, 3, f"={cell}").number_format = MONEY
        formula(sheet, row, 4, f"=C{row}-B{row}").number_format = MONEY
    sheet.column_dimensions["A"].width = 20
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 18


# -- saving -----------------------------------------------------------------------------------


def _save(book: Workbook, meta: Any, moment: dt.datetime) -> bytes:
    """The workbook's bytes, reproducible: fixed properties and zip timestamps."""
    properties = book.properties
    properties.creator = "blueprintc"
    properties.lastModifiedBy = "blueprintc"
    properties.title = meta.title
    properties.created = moment
    properties.modified = moment
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return repack(buffer.getvalue())
