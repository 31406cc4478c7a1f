"""Hostile blueprint text cannot format, break or script any document.

Every string of the example (titles, descriptions, requirement texts, acceptance
conditions, triggers, reasons…) is replaced by text full of Markdown, HTML and formula
syntax; the whole set is built and each format is checked for it.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest

from blueprintc.documents import build_documents
from blueprintc.driver import compile
from tests.documents.conftest import ROOT

HOSTILE = "=HYPERLINK(1)|<script>alert(1)</script> *bold* _x_ [a](b) `c` # h ~~s~~ &amp;"
STRING = re.compile(r'(use\s+)?"(?:[^"\\\n]|\\.)*"')


def hostile(text: str) -> str:
    """Every string literal of a blueprint replaced by HOSTILE (module paths kept)."""
    return STRING.sub(lambda m: m.group(0) if m.group(1) else f'"{HOSTILE}"', text)


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    project = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "examples", project, dirs_exist_ok=True)
    for path in project.rglob("*.cxb"):
        text = path.read_text(encoding="utf-8")
        path.write_text(hostile(text), encoding="utf-8")
    compilation = compile(project / "northwind_bank.cxb")
    assert compilation.ok, [d.message for d in compilation.diagnostics if d.is_error][:3]
    return build_documents(compilation).files


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_shows_the_text_escaped_and_tables_stay_whole(
    hostile_files: dict[str, bytes],
) -> None:
    seen = False
    for name, data in hostile_files.items():
        if not name.endswith(".md"):
            continue
        text = data.decode()
        assert "<script>" not in text, name
        seen = seen or "\\<script\\>alert(1)\\</script\\>" in text
        lines = text.splitlines()
        for index, line in enumerate(lines):
            if re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line):  # a table's delimiter row
                columns = _unescaped_pipes(line)
                for row in lines[index + 1 :]:
                    if not row.startswith("|"):
                        break
                    assert _unescaped_pipes(row) == columns, f"{name}: {row}"
    assert seen, "the hostile text appears in no Markdown document"


def test_html_never_contains_the_script(hostile_files: dict[str, bytes]) -> None:
    pages = {n: d.decode() for n, d in hostile_files.items() if n.endswith(".html")}
    assert pages
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in page for page in pages.values())
    for name, page in pages.items():
        assert "<script" not in page.lower(), name
        assert "<strong>bold</strong>" not in page and "<em>bold</em>" not in page, name


def test_spreadsheet_text_never_becomes_a_formula(hostile_files: dict[str, bytes]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    found = 0
    for name, data in hostile_files.items():
        if not name.endswith(".xlsx"):
            continue
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                xml = archive.read(member).decode(errors="replace")
                assert not any("HYPERLINK" in f for f in re.findall(r"<f>(.*?)</f>", xml))
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                        assert cell.data_type == "s", f"{name}: {cell.coordinate} is a formula"
                        assert cell.quotePrefix, f"{name}: {cell.coordinate} has no quote prefix"
                        found += 1
    assert found, "the hostile text appears in no spreadsheet"


@pytest.mark.parametrize(
    "text",
    [
        "a|b",
        "<script>alert(1)</script>",
        "**bold** and _em_",
        "- item",
        "+ item",
        "---",
        "===",
        "1. first",
        "12) twelfth",
        "1.0 and -5%",
        "# heading",
        "[link](http://x) ![img](y)",
        "`code` ~~strike~~",
        "&amp; &lt;",
        "back\\slash",
        "two\nlines\r\nthree",
    ],
)
def test_escaped_text_renders_as_itself(text: str) -> None:
    """CommonMark (markdown-it-py, GFM tables on) shows escaped text literally, in a
    paragraph and in a table cell."""
    import html

    from markdown_it import MarkdownIt

    from blueprintc.documents.escape import markdown

    renderer = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    flat = " ".join(text.split())
    paragraph = renderer.render(markdown(text))
    assert paragraph.startswith("<p>") and paragraph.endswith("</p>\n"), paragraph
    assert html.unescape(paragraph[3:-5]) == flat
    table = renderer.render(f"| h | i |\n|---|---|\n| {markdown(text)} | x |\n")
    cell = re.search(r"<tbody>\n<tr>\n<td>(.*?)</td>\n<td>x</td>", table, re.S)
    assert cell is not None, table
    assert html.unescape(cell.group(1)) == flat
