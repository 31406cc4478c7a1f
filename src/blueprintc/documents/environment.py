"""The Jinja2 environment of the templates, for one output target (Markdown or HTML).

Both targets render the same Markdown templates; they differ only in what the globals
produce: a chart is a Mermaid block for Markdown and a figure placeholder the HTML site
replaces by an SVG; a source reference is plain text for Markdown and a link into the
highlighted source for HTML.

The environment is made once per process (``environment``), so each template is compiled
once however many builds run (``--watch``, tests, an editor); Jinja2 reloads a template
whose file changed. What a build reads is recorded per build (``recording``), for
depfiles: the templates it rendered, with those they extend, include or import.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, MutableMapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from blueprintc.documents import escape, mermaid, values
from blueprintc.documents.charts import Chart
from blueprintc.documents.context import Where

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

TARGETS = ("md", "html")
FIGURE_FENCE = "blueprintc-figure"


_READ: ContextVar[set[Path] | None] = ContextVar("templates_read", default=None)


class TemplateEnvironment(jinja2.Environment):
    """Jinja2's environment, noting every template loaded while a build is ``recording``.

    Templates load each other (``extends``, ``include``, ``import``) through
    ``get_template`` too, so the note covers them."""

    def get_template(
        self,
        name: str | jinja2.Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        template = super().get_template(name, parent, globals)
        read = _READ.get()
        if read is not None and template.filename is not None:
            read.add(Path(template.filename))
        return template


@contextlib.contextmanager
def recording() -> Iterator[set[Path]]:
    """The set of template files loaded inside the ``with`` block (in this context)."""
    read: set[Path] = set()
    token = _READ.set(read)
    try:
        yield read
    finally:
        _READ.reset(token)


def source_page(file: str) -> str:
    """The HTML page (relative to the site's root) showing one blueprint file."""
    return "source/" + file.replace("/", "__") + ".html"


@functools.cache
def environment() -> TemplateEnvironment:
    """The environment of every build in this process (Markdown; ``site_environment`` for
    the HTML layout): templates compile once and render for both targets (the target's
    globals are passed at render time, see ``target_globals``)."""
    return make_environment()


@functools.cache
def site_environment() -> jinja2.Environment:
    """``environment`` with autoescaping, for the HTML site's own templates."""
    return environment().overlay(autoescape=True)


def make_environment() -> TemplateEnvironment:
    """A new environment of the templates (``environment`` is the one builds share)."""
    env = TemplateEnvironment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # Markdown: user text is escaped explicitly with |md
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(values.FILTERS)
    env.filters["md"] = escape.markdown
    return env


def target_globals(target: str) -> dict[str, Any]:
    """What differs between the Markdown and the HTML rendering of a template."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}")

    def chart(spec: Chart) -> str:
        if target == "html":
            return f"```{FIGURE_FENCE} {spec.key}\n```"
        return f"```mermaid\n{mermaid.render(spec)}```"

    def src(place: Where | None) -> str:
        if place is None:
            return "default"
        text = escape.markdown(str(place))
        if target == "html":
            return f"[{text}]({quote(source_page(place.file), safe='/')}#L{place.line})"
        return text

    def doc(stem: str, label: str, anchor: str = "") -> str:
        extension = "html" if target == "html" else "md"
        suffix = f"#{anchor}" if anchor else ""
        return f"[{escape.markdown(label)}]({stem}.{extension}{suffix})"

    return {"target": target, "chart": chart, "src": src, "doc": doc}
