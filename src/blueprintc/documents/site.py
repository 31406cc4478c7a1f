"""The HTML site: the documents' Markdown as linked, self-contained pages.

Every page is static HTML5 with relative links only: no script, no web font, no remote
resource, so the folder can be mailed, zipped or opened from disk and reads the same
offline and in print. The layout comes from ``templates/site/`` (autoescaped Jinja2);
the Markdown is rendered by markdown-it-py (CommonMark with tables, raw HTML kept as
text), headings get GitHub-style ids so ``#anchors`` work in both outputs, and a
``blueprintc-figure KEY`` fence becomes a ``<figure>`` holding the chart as inline SVG.
Each blueprint file read by the build gets a highlighted page with an anchor per line
(``source/main.cxb.html#L12``), the target of every "Source" reference.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from html import unescape as html_unescape
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

import attrs
from markupsafe import Markup, escape

from blueprintc.documents import drawing, svg
from blueprintc.documents.catalog import Document
from blueprintc.documents.charts import Chart
from blueprintc.documents.drawing import Drawings
from blueprintc.documents.environment import FIGURE_FENCE, site_environment, source_page
from blueprintc.documents.escape import WORD_JOINER
from blueprintc.source import SourceFile

if TYPE_CHECKING:
    from blueprintc.documents.build import Meta
    from blueprintc.documents.views.summary import ExecutiveSummary

ROOT = "html/"
STYLESHEET = "style.css"
INDEX = "index.html"
SOURCES_ANCHOR = "sources"
# A date, ``2027-01`` or ``2027-01-15``: four digits with no word character before them,
# as ``\b\d{4}`` says, but written digit first so that the regex engine scans for digits
# rather than tries every position (half the time on a large page).
_DATE = re.compile(r"\d(?<!\w\d)\d{3}-\d{2}(?:-\d{2})?\b")


@attrs.frozen
class Link:
    """An entry of the navigation bar; ``href`` is relative to the site's root."""

    href: str
    label: str
    current: bool = False


@attrs.frozen
class SourceLink:
    """A blueprint file of the build and its highlighted page."""

    name: str
    href: str
    lines: int


def render_site(
    pages: Sequence[tuple[Document, str]],
    charts: Mapping[str, Chart],
    meta: Meta,
    sources: Sequence[SourceFile],
    names: Mapping[str, str],
    drawings: Drawings | None = None,
    highlight: Callable[[str], list[Markup]] | None = None,
    bodies: Sequence[str] | None = None,
    summary: ExecutiveSummary | None = None,
) -> dict[str, bytes]:
    """Every file of the site (``html/...`` -> bytes) for pages rendered for the html target
    (the charts drawn by ``drawings``, by default in this process; the sources' lines
    highlighted by ``highlight``, by default ``highlighted_lines``; the pages' HTML
    ``bodies`` when ``document_bodies`` made them already). With the executive summary's
    view, the index is a dashboard of it; without, a list of the documents."""
    env = site_environment()
    layout = {
        "document": env.get_template("site/document.html.j2"),
        "index": env.get_template("site/index.html.j2"),
        "source": env.get_template("site/source.html.j2"),
    }
    listed = [
        SourceLink(name, url(source_page(name)), len(lines_of(source.text)))
        for source in sources
        for name in [names.get(source.path, source.path)]
    ]

    def nav(current: str) -> list[Link]:
        links = [Link(INDEX, "Index", current == INDEX)]
        for document, _ in pages:
            href = f"{document.stem}.html"
            links.append(Link(href, f"{document.number}. {document.title}", current == href))
        if listed:
            links.append(Link(f"{INDEX}#{SOURCES_ANCHOR}", "Sources"))
        return links

    files: dict[str, bytes] = {}
    files[ROOT + INDEX] = (
        layout["index"]
        .render(
            root="",
            title=f"{meta.title} — document set",
            nav=nav(INDEX),
            meta=meta,
            documents=[(d, f"{d.stem}.html") for d, _ in pages],
            summary=summary,
            pages={d.stem for d, _ in pages},
            sources=listed,
            sources_anchor=SOURCES_ANCHOR,
        )
        .encode()
    )
    files[ROOT + STYLESHEET] = (
        env.get_template("site/style.css").render(pygments=Markup(pygments_css())).encode()
    )
    # The pages, then the sources, last: the charts they show (and the highlighted
    # sources) are made by the drawing workers meanwhile (see ``drawing``).
    if bodies is None:
        bodies = document_bodies(pages, charts, drawings)
    for (document, _), body in zip(pages, bodies, strict=True):
        href = f"{document.stem}.html"
        files[ROOT + href] = (
            layout["document"]
            .render(
                root="",
                title=f"{document.number}. {document.title} — {meta.title}",
                nav=nav(href),
                meta=meta,
                content=Markup(body),
            )
            .encode()
        )
    for source, link in zip(sources, listed, strict=True):
        files[ROOT + source_page(link.name)] = (
            layout["source"]
            .render(
                root="../",
                title=f"{link.name} — {meta.title}",
                nav=nav(""),
                meta=meta,
                name=link.name,
                lines=(highlight or highlighted_lines)(source.text),
            )
            .encode()
        )
    return files


def document_bodies(
    pages: Sequence[tuple[Document, str]],
    charts: Mapping[str, Chart],
    drawings: Drawings | None = None,
) -> list[str]:
    """Each page's Markdown as the HTML inside its ``<article>``: what the site shows and
    the PDFs print (see ``pdf``)."""
    converter = MarkdownRenderer(charts, (drawings or Drawings(())).svg)
    keys = frozenset(charts)
    # Handed to the drawing workers, if they run, from the first page; this process takes
    # the pages from the last one back, those no worker has started (``drawing.outcome``).
    jobs = [drawing.beside(converted, markdown, keys) for _, markdown in pages]
    done: list[Converted | None] = [None] * len(pages)
    for index in reversed(range(len(pages))):
        done[index] = drawing.outcome(jobs[index], converted, pages[index][1], keys)
    return [
        converter.placed(page) if page is not None else converter.reference(markdown)
        for page, (_, markdown) in zip(done, pages, strict=True)
    ]


def url(path: str) -> str:
    """A relative URL for a site path (percent-encoded, ``/`` kept)."""
    return quote(path, safe="/#")


# -- Markdown ---------------------------------------------------------------------------


def slug(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-1``, ``base-2``, ... the first not in ``taken`` (added to it)."""
    candidate, number = base, 0
    while candidate in taken or not candidate:
        number += 1
        candidate = f"{base}-{number}" if base else f"section-{number}"
    taken.add(candidate)
    return candidate


def _inline_text(token: Any) -> str:
    return "".join(
        child.content for child in token.children or () if child.type in ("text", "code_inline")
    )


# What the fast path turns cmark-gfm's HTML into markdown-it's (see ``MarkdownRenderer``).
_IN_TEXT = r"(?![^<>]*>)"  # not inside a tag: the next angle bracket does not close one
_TEXT_DATE = re.compile(_DATE.pattern + _IN_TEXT)
_TEXT_QUOTE = re.compile("&quot;" + _IN_TEXT)
_TEXT_APOSTROPHE = re.compile("'" + _IN_TEXT)
_TEXT_JOINED = re.compile(WORD_JOINER + "@" + _IN_TEXT)
_CODE = re.compile(r"(<code[ >].*?</code>)", re.DOTALL)
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_HEADING_OPEN = re.compile(r"<h([1-6])>")
_ANY_TAG = re.compile(r"<[^>]*>")
_ALIGN = re.compile(r'<(t[hd]) style="text-align: (left|center|right)">')
# The tags cmark-gfm writes for the Markdown the templates produce; any other (an image,
# a quote, a rule, a line break, a link with a title or a scheme, raw HTML left out as a
# comment) sends the page to markdown-it.
_FOREIGN_TAG = re.compile(
    r"<(?!/?(?:p|h[1-6]|table|thead|tbody|tr|th|td|ul|ol|li|em|strong|code|pre|a)>)"
    r'(?!a href="[A-Za-z0-9_./#%~-]*">|code class="language-[A-Za-z0-9_.+#-]+">)'
    r'(?!(?:th|td) style="text-align: (?:left|center|right)">)'
)
# Whitespace Python strips (markdown-it-py trims text with it) and cmark-gfm keeps.
_UNICODE_SPACE = re.compile(
    "[" + "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \t\n\r") + "]"
)
_FIGURE_LINE = re.compile(rf"^```{FIGURE_FENCE}(?:[ \t]([^\n]*))?$", re.MULTILINE)
_KEY = re.compile(r"[A-Za-z0-9_.:/-]+")  # a chart key markdown-it reads the same (no escapes)
_FIGURE_CODE = re.compile(rf'<pre><code class="language-{FIGURE_FENCE}">[^<]*</code></pre>\n')


class MarkdownRenderer:
    """CommonMark with tables to HTML, with heading ids and the chart figures.

    Pages are rendered by cmark-gfm (GitHub's C implementation of CommonMark, with its
    table extension), about thirty times faster than markdown-it-py, and brought to the
    exact HTML markdown-it-py writes with this class's rules (``reference``): its table
    wrapper and alignment style, heading ids, markupsafe's escaping of quotes in text,
    unbreakable dates, the chart figures. A page holding anything else cmark-gfm would
    write differently or that the templates never write (raw HTML, an image, a quote, a
    link with a title, a figure fence not on a line of its own, whitespace other than
    spaces, tabs and line breaks, which markdown-it-py trims as Python does) is rendered
    by markdown-it-py itself. The two agree byte for byte on every
    page, which tests/documents/test_html_engines.py checks on the examples and on
    generated blueprints.
    """

    def __init__(
        self, charts: Mapping[str, Chart], draw: Callable[[Chart, str], str] | None = None
    ) -> None:
        self.charts = charts
        self._draw = draw if draw is not None else Drawings(()).svg
        self._markdown_it: Any = None

    def render(self, markdown: str) -> str:
        fast = self.fast(markdown)
        return fast if fast is not None else self.reference(markdown)

    # -- cmark-gfm ---------------------------------------------------------------------

    def fast(self, markdown: str) -> str | None:
        """The page by cmark-gfm, or None when it holds what only markdown-it renders."""
        page = converted(markdown, frozenset(self.charts))
        return None if page is None else self.placed(page)

    def placed(self, page: Converted) -> str:
        """A page ``converted`` by cmark-gfm with its charts in place of their fences."""
        html, taken, keys = page
        if keys:
            env: dict[str, Any] = {"ids": set(taken), "charts": {}}
            figures = iter(keys)
            html = _FIGURE_CODE.sub(lambda _: self._figure(self.charts[next(figures)], env), html)
        return html

    # -- markdown-it-py ----------------------------------------------------------------

    def reference(self, markdown: str) -> str:
        """The page by markdown-it-py (what ``fast`` is checked against)."""
        if self._markdown_it is None:
            self._markdown_it = self._make_markdown_it()
        env: dict[str, Any] = {"ids": set(), "charts": {}}
        return str(self._markdown_it.render(markdown, env))

    def _make_markdown_it(self) -> Any:
        from markdown_it import MarkdownIt
        from markdown_it.renderer import RendererHTML

        md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False}).enable("table")
        renderer = cast(RendererHTML, md.renderer)
        default_fence = renderer.rules["fence"]
        md.core.ruler.push("heading_ids", self._heading_ids)
        rules: dict[str, Any] = renderer.rules  # called as rule(tokens, idx, options, env)

        def fence(tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
            info = tokens[idx].info.split()
            if not info or info[0] != FIGURE_FENCE:
                return str(default_fence(tokens, idx, options, env))
            if len(info) != 2 or info[1] not in self.charts:
                raise ValueError(f"figure {' '.join(info[1:])!r}: no such chart in the views")
            return self._figure(self.charts[info[1]], env)

        rules["fence"] = fence
        rules["text"] = self._text
        rules["table_open"] = lambda *_: '<div class="table">\n<table>\n'
        rules["table_close"] = lambda *_: "</table>\n</div>\n"
        return md

    @staticmethod
    def _heading_ids(state: Any) -> None:
        taken: set[str] = state.env["ids"]
        tokens = state.tokens
        for index, token in enumerate(tokens):
            if token.type == "heading_open":
                token.attrSet("id", unique(slug(_inline_text(tokens[index + 1])), taken))

    @staticmethod
    def _text(tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
        """Escaped text; a date (``2027-01-15``, ``2027-01``) never breaks at its hyphens.

        The invisible joiner the Markdown keeps before an e-mail's ``@`` (against GitHub's
        autolinks, see ``escape``) is dropped: this renderer links nothing, and a copied
        address must work."""
        text = tokens[idx].content.replace(WORD_JOINER + "@", "@")
        return _DATE.sub(r'<span class="nowrap">\g<0></span>', str(escape(text)))

    # -- figures -----------------------------------------------------------------------

    def _figure(self, spec: Chart, env: dict[str, Any]) -> str:
        """A chart as a ``<figure>``: inline SVG with ids unique on the page, and its caption."""
        uses: dict[str, int] = env["charts"]
        uses[spec.key] = uses.get(spec.key, 0) + 1
        prefix = svg.id_prefix(spec.key)
        if uses[spec.key] > 1:  # the same chart twice on a page: ids must still differ
            prefix += f"{uses[spec.key]}-"
        figure_id = unique(prefix.rstrip("-").replace("chart-", "figure-", 1), env["ids"])
        caption = escape(spec.title or spec.key)
        return (
            f'<figure class="chart" id="{figure_id}">\n{self._draw(spec, prefix)}'
            f"<figcaption>{caption}</figcaption>\n</figure>\n"
        )


Converted = tuple[str, frozenset[str], tuple[str, ...]]
"""A page's HTML by cmark-gfm with its figure fences still in place, the ids its headings
took and the keys of its charts, in order."""


def converted(markdown: str, charts: frozenset[str]) -> Converted | None:
    """``MarkdownRenderer.fast`` but for the charts (a pure function of the page's text
    and the keys of the charts at hand: a drawing worker can do it): None when the page
    holds what only markdown-it renders."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    if _UNICODE_SPACE.search(markdown):
        return None
    keys = _FIGURE_LINE.findall(markdown) if FIGURE_FENCE in markdown else []
    if any(not _KEY.fullmatch(key) for key in keys):
        return None  # a figure fence markdown-it must judge (and refuse)
    html = cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=Options.CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES, extensions=["table"]
    )
    if _FOREIGN_TAG.search(html) or len(_FIGURE_CODE.findall(html)) != len(keys):
        return None
    if any(key not in charts for key in keys):
        return None
    taken: set[str] = set()
    ids = iter(
        [
            unique(slug(html_unescape(_ANY_TAG.sub("", match[2]))), taken)
            for match in _HEADING.finditer(html)
        ]
    )
    if "<code" in html:
        parts = _CODE.split(html)
        html = "".join(p if i % 2 else _text(p) for i, p in enumerate(parts))
    else:
        html = _text(html)
    html = _HEADING_OPEN.sub(lambda m: f'<h{m[1]} id="{next(ids)}">', html)
    html = html.replace("<table>", '<div class="table">\n<table>')
    html = html.replace("</table>\n", "</table>\n</div>\n")
    html = _ALIGN.sub(r'<\1 style="text-align:\2">', html)
    return html, frozenset(taken), tuple(keys)


def _text(html: str) -> str:
    """cmark-gfm's text as markdown-it's ``_text`` rule writes it (outside code and tags)."""
    if WORD_JOINER in html:
        html = _TEXT_JOINED.sub("@", html)
    if "&quot;" in html:
        html = _TEXT_QUOTE.sub("&#34;", html)
    if "'" in html:
        html = _TEXT_APOSTROPHE.sub("&#39;", html)
    return _TEXT_DATE.sub(r'<span class="nowrap">\g<0></span>', html)


# -- sources ----------------------------------------------------------------------------


def lines_of(text: str) -> list[str]:
    """The lines of a blueprint as the compiler numbers them (split at ``\\n`` only)."""
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def highlighted_lines(text: str) -> list[Markup]:
    """One HTML fragment per source line, highlighted with the blueprint lexer.

    Pygments closes and reopens its spans at line breaks, so each line stands alone. A
    lone carriage return (which the compiler does not count as a line break but Pygments
    would) is shown as a space, so the line numbers match the diagnostics'.
    """
    from pygments import highlight
    from pygments.formatters import HtmlFormatter

    from blueprintc.pygments_lexer import CxbLexer

    text = text.replace("\r\n", "\n").replace("\r", " ")
    count = len(lines_of(text))
    body = highlight(text, CxbLexer(stripnl=False, ensurenl=True), HtmlFormatter(nowrap=True))
    lines = body.split("\n")[:count]
    lines += [""] * (count - len(lines))
    return [Markup(line) for line in lines]


def pygments_css() -> str:
    """The highlighting rules, scoped to the source listing."""
    from pygments.formatters import HtmlFormatter

    formatter = HtmlFormatter(style="default")
    return str(formatter.get_style_defs(".source"))  # type: ignore[no-untyped-call]
