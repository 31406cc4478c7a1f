"""The workbooks: reproducible bytes, read back by openpyxl, formula injection neutralised,
and the financial model's live formulas recalculated by LibreOffice against the compiler."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from blueprintc.documents import spreadsheets
from blueprintc.documents.build import meta_of
from blueprintc.documents.context import Context
from blueprintc.documents.views import rfp
from tests.documents.test_rfp import SMALL, compiled

HOSTILE = SMALL.replace('text "Route calls"', 'text "=1+2|<x>"').replace(
    'acceptance "Calls reach agents"', 'acceptance "@SUM(A1) and -3"'
)


def books(ctx: Context, epoch: int | None = None) -> dict[str, bytes]:
    views: dict[str, Any] = {"rfp": rfp.build(ctx), "financial-design": None}
    return spreadsheets.workbooks(views, meta_of(ctx, epoch), epoch, ctx)


@pytest.fixture(scope="module")
def example_books(example_context: Context) -> dict[str, bytes]:
    return books(example_context)


def test_only_the_workbooks_of_the_selected_documents(example_context: Context) -> None:
    ctx = example_context
    meta = meta_of(ctx, None)
    assert spreadsheets.workbooks({}, meta, None, ctx) == {}
    only = spreadsheets.workbooks({"rfp": rfp.build(ctx)}, meta, None, ctx)
    assert list(only) == ["xlsx/rfp-compliance-matrix.xlsx"]


def test_two_builds_are_byte_identical(
    example_context: Context, example_books: dict[str, bytes]
) -> None:
    assert books(example_context) == example_books
    later = books(example_context, 1_800_000_000)
    assert books(example_context, 1_800_000_000) == later
    for data in later.values():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert {i.date_time for i in archive.infolist()} == {spreadsheets.ZIP_TIME}
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book.properties.creator == "blueprintc"
        assert book.properties.created.year == 2027  # 1.8e9 s is January 2027


def test_compliance_matrix_rows_and_dropdown(
    example_context: Context, example_books: dict[str, bytes]
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(example_books["xlsx/rfp-compliance-matrix.xlsx"]))
    sheet = book["Compliance matrix"]
    view = rfp.build(example_context)
    expected = [r for g in view.groups for r in g.requirements]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [r.id for r in expected]
    assert rows[0][4] == expected[0].text and rows[0][6] is None and rows[0][7] is None
    assert sheet.freeze_panes == "B2"
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"fully compliant,partially compliant,roadmap,not compliant"'
    assert str(validation.sqref) == f"G2:G{len(expected) + 1}"


def test_formula_injection_is_neutralised() -> None:
    ctx = Context.of_compilation(compiled(HOSTILE))
    data = books(ctx)["xlsx/rfp-compliance-matrix.xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Compliance matrix"]
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row if c.value}
    for text in ("=1+2|<x>", "@SUM(A1) and -3"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert not cells["Data stays home"].quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula anywhere in the matrix


def test_financial_model_lines_are_exact_and_totals_are_formulas(
    example_context: Context, example_books: dict[str, bytes]
) -> None:
    statement = example_context.outcome.statement
    book = openpyxl.load_workbook(io.BytesIO(example_books["xlsx/financial-model.xlsx"]))
    sheet = book["Monthly"]
    assert [c.value for c in sheet[1][3 : 3 + statement.horizon]] == list(statement.month_labels)
    for row, line in enumerate(statement.lines, start=2):
        assert sheet.cell(row, 1).value == line.name
        assert sheet.cell(row, 2).value == line.category
        values = [sheet.cell(row, 4 + t).value for t in range(statement.horizon)]
        assert [Fraction(Decimal(str(v))) for v in values] == list(line.months)
        assert str(sheet.cell(row, 4 + statement.horizon).value).startswith("=SUM(")
    labels = [sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)]
    for label in ("Total capex", "Total opex", "Grand total", "Cumulative cash flow"):
        row = labels.index(label) + 1
        assert str(sheet.cell(row, 4).value).startswith("=")
    assert book["NPV"]["B3"].value.startswith("=ROUND(NPV(B2,Monthly!")
    check = [r for r in book["Check"].iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in check] == [
        "Total capex",
        "Total opex",
        "Grand total",
        *(f"Total {y}" for y in statement.year_labels),
        "NPV",
        # the example has a baseline: the business case's totals join the check
        "Savings",
        "Net cash flow",
        "NPV of the change",
    ]
    case = book["BusinessCase"]
    labels = [case.cell(r, 1).value for r in range(1, case.max_row + 1)]
    for label in ("Design opex", "Savings", "Investment (capex)", "Net cash flow"):
        assert str(case.cell(labels.index(label) + 1, 4).value).startswith("=")


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculates_the_compiler_totals_to_the_cent(
    example_context: Context, example_books: dict[str, bytes], tmp_path: Path
) -> None:
    source = tmp_path / "financial-model.xlsx"
    source.write_bytes(example_books["xlsx/financial-model.xlsx"])
    out = tmp_path / "out"
    command = [
        str(_soffice()),
        "--headless",
        "--norestore",
        f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    book = openpyxl.load_workbook(out / "financial-model.xlsx", data_only=True)
    statement = example_context.outcome.statement
    expected = [
        statement.capex.total,
        statement.opex.total,
        statement.total.total,
        *statement.total.years,
        example_context.outcome.key.npv,
    ]
    case = example_context.outcome.business_case
    assert case is not None
    expected += [case.figures.savings.total, case.figures.net.total, case.figures.npv]
    rows = list(book["Check"].iter_rows(min_row=2, values_only=True))
    recalculated = [round(Decimal(str(r[2])), 2) for r in rows]
    assert recalculated == [Decimal(e.numerator) / e.denominator for e in expected]
    monthly = book["Monthly"]
    labels = [monthly.cell(r, 1).value for r in range(1, monthly.max_row + 1)]
    cumulative = labels.index("Cumulative cash flow") + 1
    last = monthly.cell(cumulative, 3 + statement.horizon).value
    end = statement.cumulative[-1]
    assert round(Decimal(str(last)), 2) == Decimal(end.numerator) / end.denominator
