"""Hostile blueprint text cannot format, break or script any document.

Every string of the example (titles, descriptions, requirement texts, acceptance
conditions, triggers, reasons…) is replaced by text full of Markdown, HTML and formula
syntax; the whole set is built and each format is checked for it.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import zipfile
from collections.abc import Callable

import cmarkgfm
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.gfm import gfm_plugin
from mdit_py_plugins.texmath import texmath_plugin

from blueprintc.documents import build_documents
from blueprintc.documents.escape import WORD_JOINER, markdown
from blueprintc.documents.site import MarkdownRenderer
from blueprintc.driver import compile
from tests.documents.conftest import ROOT

HOSTILE = (
    "=HYPERLINK(1)|<script>alert(1)</script> *bold* _x_ [a](b) `c` # h ~~s~~ &amp;"
    " $x^n$ $$a$$ https://evil.example/x www.evil.com a@evil.co"
)
STRING = re.compile(r'((?:use|locale)\s+)?"(?:[^"\\\n]|\\.)*"')


def hostile(text: str) -> str:
    """Every string literal of a blueprint replaced by HOSTILE (module paths and the
    locale, which must name a real one, kept)."""
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


def test_markdown_shows_no_math_and_no_link_of_the_text(hostile_files: dict[str, bytes]) -> None:
    """Each Markdown document, rendered as GitHub and a markdown-it viewer with linkify
    and math would, has no math and no link to the text's URLs and addresses."""
    pages = {n: d.decode() for n, d in hostile_files.items() if n.endswith(".md")}
    assert pages
    for name, text in pages.items():
        for renderer, render in RENDERERS.items():
            page = render(text)
            assert "evil" in page, (name, renderer)
            hrefs = re.findall(r'href="([^"]*)"', page)
            assert not [h for h in hrefs if "evil" in h], (name, renderer)
            assert 'class="math' not in page and "<eq" not in page, (name, renderer)


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


FILED = [
    "$x^n$",
    "$$a$$",
    "$`a`$ and $$`b`$$",
    "costs $5 to $10",
    "https://evil.example/x",
    "see http://1.2.3.4:8080/p?q=1 now",
    "HTTP://EXAMPLE.COM",
    "//localhost/x and ftp://a.b",
    "www.example.com",
    "(www.example.com)",
    "a@b.co",
    "mailto:a@b.co xmpp:a@b.co/r first.last+tag@sub.example.org",
    "example.com, b.co and xn--p1ai.xn--p1ai",
    "mailto::@www.",  # found by the property test: linkify's mailto link after a ":"
]
BASIC = [
    "a|b",
    "<script>alert(1)</script>",
    "**bold** and _em_",
    "- item",
    "+ item",
    "* item",
    "---",
    "===",
    "1. first",
    "12) twelfth",
    "1.0 and -5%",
    "# heading",
    "> [!NOTE] quoted",
    "    indented",
    "\tx",
    "[link](http://x) ![img](y) [^note] [ ] [x] done",
    "`code` ~~strike~~ ~single~",
    "&amp; &lt; &#36;",
    "back\\slash",
    "two\nlines\r\nthree",
]
# Characters that mean something to some Markdown renderer, and pieces of links and math.
SPECIAL = st.sampled_from(
    [
        *"\\`*_[]<>|#~&!$:/@.()^-+=w \t\n\r",
        *("www.", "http://", "https://", "mailto:", "xmpp:", ".co", ".com", "//", "$$", "$`", "1."),
    ]
)
TEXT = st.lists(
    st.one_of(
        SPECIAL,
        st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\0"), max_size=4),
    ),
    max_size=12,
).map("".join)


def _visible(text: str) -> str:
    """What a reader sees of ``text``: runs of HTML whitespace shown as one space."""
    return re.sub(r"[ \t\n\r\f]+", " ", text).replace(WORD_JOINER, "").strip()


def _paragraph(html_text: str) -> str:
    """The text of a one-paragraph rendering, asserting it holds no element at all."""
    assert html_text.startswith("<p>") and html_text.endswith("</p>\n"), html_text
    inner = html_text[3:-5]
    assert "<" not in inner, html_text
    return _visible(html.unescape(inner))


def _cell(html_text: str) -> str:
    """The text of the first body cell of a rendered two-column table (no element in it)."""
    cell = re.search(r"<tbody>\n<tr>\n<td>(.*?)</td>\n<td>x</td>", html_text, re.S)
    assert cell is not None, html_text
    assert "<" not in cell.group(1), html_text
    return _visible(html.unescape(cell.group(1)))


def _markdown_it(math: str) -> Callable[[str], str]:
    """markdown-it-py with every GitHub extension (autolinks, strikethrough, task lists,
    footnotes, alerts), linkify's fuzzy links and e-mails, and math (``$`` and ``$$``)."""
    renderer = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable("linkify")
    renderer.use(gfm_plugin, dollarmath=math == "dollarmath")
    if math == "texmath":
        renderer.use(texmath_plugin, delimiters="dollars")
    return renderer.render


def _github(markdown_text: str) -> str:
    """GitHub's own parser, cmark-gfm, with its extensions (autolink, table, ...)."""
    return str(cmarkgfm.github_flavored_markdown_to_html(markdown_text))


def _markdown_it_renderers() -> dict[str, Callable[[str], str]]:
    """The markdown-it viewers; none before markdown-it-py 4.1, which the GFM plugin needs
    (blueprintc itself runs with 3.0: the minimum-versions job of CI checks the site and
    GitHub's parser there)."""
    try:
        return {f"markdown-it+gfm+linkify+{m}": _markdown_it(m) for m in ("dollarmath", "texmath")}
    except RuntimeError as error:
        if "requires markdown-it-py" not in str(error):
            raise
        return {}


RENDERERS = {**_markdown_it_renderers(), "cmark-gfm": _github}


def _assert_literal(text: str) -> None:
    for name, render in RENDERERS.items():
        assert _paragraph(render(markdown(text))) == _visible(text), name
        table = render(f"| h | i |\n|---|---|\n| {markdown(text)} | x |\n")
        assert _cell(table) == _visible(text), name


@pytest.mark.parametrize("text", BASIC + FILED)
def test_escaped_text_renders_as_itself(text: str) -> None:
    """Each renderer shows escaped text literally, in a paragraph and in a table cell:
    no markup, no link, no math."""
    _assert_literal(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_escaped_text_renders_as_itself(text: str) -> None:
    assume(_visible(text))
    _assert_literal(text)


def _has_markup(html_text: str) -> bool:
    return re.search(r"<(?!/?p>)", html_text) is not None


@pytest.mark.parametrize("text", FILED)
def test_unescaped_the_filed_cases_become_math_or_links(text: str) -> None:
    """Each filed case is a real regression case: unescaped, a renderer turns it into math
    or a link; GitHub's parser links every URL, www. and e-mail case."""
    if len(RENDERERS) == 1 and text not in FILED[4:12]:
        pytest.skip("the math cases need the markdown-it viewers (markdown-it-py >= 4.1)")
    assert any(_has_markup(render(text)) for render in RENDERERS.values())
    if text in FILED[4:12]:
        assert "<a " in _github(text)


def _site_text(html_text: str) -> str:
    """The text of a paragraph the site rendered (dates are wrapped to never break)."""
    return _paragraph(re.sub(r'<span class="nowrap">([^<]*)</span>', r"\1", html_text))


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, st.sampled_from(BASIC + FILED)))
def test_the_site_shows_escaped_text_as_itself(text: str) -> None:
    """The HTML pages render the same Markdown (no linkify, no math there): the text is
    literal, and the invisible joiner kept before an e-mail's ``@`` for GitHub is gone."""
    assume(_visible(text))
    page = MarkdownRenderer({}).render(markdown(text))
    assert _site_text(page) == _visible(text)
    assert page.count(WORD_JOINER) == text.count(WORD_JOINER) - text.count(WORD_JOINER + "@")


def test_no_template_escapes_text_inside_a_code_span() -> None:
    """Backslash escapes are literal inside backticks: escaped text never goes there."""
    templates = sorted((ROOT / "src" / "blueprintc" / "templates").glob("*.md.j2"))
    assert templates
    for template in templates:
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            spans = re.findall(
                r"`[^`]*`", re.sub(r"\{\{.*?\}\}", lambda m: m[0].replace("`", ""), line)
            )
            assert not any("|md" in span for span in spans), f"{template.name}:{number}"
