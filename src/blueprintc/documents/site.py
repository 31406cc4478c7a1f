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
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

import attrs
import jinja2
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup, escape

from blueprintc.documents import svg
from blueprintc.documents.catalog import Document
from blueprintc.documents.charts import Chart
from blueprintc.documents.environment import FIGURE_FENCE, source_page
from blueprintc.documents.escape import WORD_JOINER
from blueprintc.source import SourceFile

if TYPE_CHECKING:
    from blueprintc.documents.build import Meta

ROOT = "html/"
STYLESHEET = "style.css"
INDEX = "index.html"
SOURCES_ANCHOR = "sources"
_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


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
    environment: jinja2.Environment,
) -> dict[str, bytes]:
    """Every file of the site (``html/...`` -> bytes) for pages rendered for the html target."""
    env = environment.overlay(autoescape=True)
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
    converter = MarkdownRenderer(charts)

    def nav(current: str) -> list[Link]:
        links = [Link(INDEX, "Index", current == INDEX)]
        for document, _ in pages:
            href = f"{document.stem}.html"
            links.append(Link(href, f"{document.number}. {document.title}", current == href))
        links.append(Link(f"{INDEX}#{SOURCES_ANCHOR}", "Sources"))
        return links

    files: dict[str, bytes] = {}
    for document, markdown in pages:
        href = f"{document.stem}.html"
        files[ROOT + href] = (
            layout["document"]
            .render(
                root="",
                title=f"{document.number}. {document.title} — {meta.title}",
                nav=nav(href),
                meta=meta,
                content=Markup(converter.render(markdown)),
            )
            .encode()
        )
    files[ROOT + INDEX] = (
        layout["index"]
        .render(
            root="",
            title=f"{meta.title} — document set",
            nav=nav(INDEX),
            meta=meta,
            documents=[(d, f"{d.stem}.html") for d, _ in pages],
            sources=listed,
            sources_anchor=SOURCES_ANCHOR,
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
                lines=highlighted_lines(source.text),
            )
            .encode()
        )
    files[ROOT + STYLESHEET] = (
        env.get_template("site/style.css").render(pygments=Markup(pygments_css())).encode()
    )
    return files


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


def _inline_text(token: Token) -> str:
    return "".join(
        child.content for child in token.children or () if child.type in ("text", "code_inline")
    )


class MarkdownRenderer:
    """CommonMark with tables to HTML, with heading ids and the chart figures."""

    def __init__(self, charts: Mapping[str, Chart]) -> None:
        self.charts = charts
        self._svg: dict[tuple[str, str], str] = {}
        self.md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False}).enable("table")
        renderer = cast(RendererHTML, self.md.renderer)
        self._default_fence = renderer.rules["fence"]
        self.md.core.ruler.push("heading_ids", self._heading_ids)
        rules: dict[str, Any] = renderer.rules  # called as rule(tokens, idx, options, env)
        rules["fence"] = self._fence
        rules["text"] = self._text
        rules["table_open"] = lambda *_: '<div class="table">\n<table>\n'
        rules["table_close"] = lambda *_: "</table>\n</div>\n"

    def render(self, markdown: str) -> str:
        env: dict[str, Any] = {"ids": set(), "charts": {}}
        return str(self.md.render(markdown, env))

    @staticmethod
    def _heading_ids(state: StateCore) -> None:
        taken: set[str] = state.env["ids"]
        tokens = state.tokens
        for index, token in enumerate(tokens):
            if token.type == "heading_open":
                token.attrSet("id", unique(slug(_inline_text(tokens[index + 1])), taken))

    @staticmethod
    def _text(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        """Escaped text; a date (``2027-01-15``, ``2027-01``) never breaks at its hyphens.

        The invisible joiner the Markdown keeps before an e-mail's ``@`` (against GitHub's
        autolinks, see ``escape``) is dropped: this renderer links nothing, and a copied
        address must work."""
        text = tokens[idx].content.replace(WORD_JOINER + "@", "@")
        return _DATE.sub(r'<span class="nowrap">\g<0></span>', str(escape(text)))

    def _fence(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        info = tokens[idx].info.split()
        if not info or info[0] != FIGURE_FENCE:
            return str(self._default_fence(tokens, idx, options, env))
        if len(info) != 2 or info[1] not in self.charts:
            raise ValueError(f"figure {' '.join(info[1:])!r}: no such chart in the views")
        spec = self.charts[info[1]]
        uses: dict[str, int] = env["charts"]
        uses[spec.key] = uses.get(spec.key, 0) + 1
        prefix = svg.id_prefix(spec.key)
        if uses[spec.key] > 1:  # the same chart twice on a page: ids must still differ
            prefix += f"{uses[spec.key]}-"
        if (spec.key, prefix) not in self._svg:
            self._svg[spec.key, prefix] = svg.render(spec, prefix)
        figure_id = unique(prefix.rstrip("-").replace("chart-", "figure-", 1), env["ids"])
        caption = escape(spec.title or spec.key)
        return (
            f'<figure class="chart" id="{figure_id}">\n{self._svg[spec.key, prefix]}'
            f"<figcaption>{caption}</figcaption>\n</figure>\n"
        )


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
