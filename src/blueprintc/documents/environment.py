"""The Jinja2 environment of the templates, for one output target (Markdown or HTML).

Both targets render the same Markdown templates; they differ only in what the globals
produce: a chart is a Mermaid block for Markdown and a figure placeholder the HTML site
replaces by an SVG; a source reference is plain text for Markdown and a link into the
highlighted source for HTML. The loader records every template it read (for depfiles).
"""

from __future__ import annotations

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


class RecordingLoader(jinja2.FileSystemLoader):
    """A file loader that remembers the path of every template it loaded."""

    def __init__(self, root: Path) -> None:
        super().__init__(str(root))
        self.read: set[Path] = set()

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        self.read.add(Path(filename))
        return source, filename, uptodate


def source_page(file: str) -> str:
    """The HTML page (relative to the site's root) showing one blueprint file."""
    return "source/" + file.replace("/", "__") + ".html"


def make_environment(loader: RecordingLoader) -> jinja2.Environment:
    """The one environment of a build: templates compile once and render for both targets
    (the target's globals are passed at render time, see ``target_globals``)."""
    env = jinja2.Environment(
        loader=loader,
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
