"""The Jinja2 environment of the templates, for one output target (Markdown or HTML).

Both targets render the same Markdown templates; they differ only in what the globals
produce: a chart is a figure placeholder the HTML site replaces by an SVG, and for
Markdown a Mermaid block (a Gantt chart, a diagram) or the image of the SVG drawing
written beside the documents (a line chart, see ``mermaid``); a source reference is
plain text for Markdown and a link into the highlighted source for HTML.

The environment is made once per process (``environment``), so each template is compiled
once however many builds run (``--watch``, tests, an editor); Jinja2 reloads a template
whose file changed. What a build reads is recorded per build (``recording``), for
depfiles: the templates it rendered, with those they extend, include or import.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterable, Iterator, MutableMapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import jinja2.bccache
import jinja2.meta
import jinja2.nodes

from blueprintc.documents import escape, mermaid, presentation, values
from blueprintc.documents.charts import Chart, LineChart, image_path
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


@functools.lru_cache(maxsize=256)
def _source_url(file: str) -> str:
    """``source_page(file)`` percent-encoded for a link (a few files, thousands of links)."""
    return quote(source_page(file), safe="/")


@functools.cache
def environment() -> TemplateEnvironment:
    """The environment of every build in this process (Markdown; ``site_environment`` for
    the HTML layout): templates compile once and render for both targets (the target's
    globals are passed at render time, see ``target_globals``). Compiled templates are
    also kept on disk for the next process (``_compiled_templates``)."""
    env = make_environment()
    env.bytecode_cache = _compiled_templates("markdown")
    return env


class _KeptTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja2's cache of compiled templates on disk, where a failure to read or write a
    file only costs compiling the template."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged file: compile
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_templates(kind: str) -> jinja2.BytecodeCache | None:
    """The templates compiled by earlier processes: in blueprintc's cache folder, in a
    folder of this blueprintc (its files), Python and Jinja2 (its version) and of the
    environment (``kind``: autoescaping compiles differently), so a template compiled
    with other settings or by another Jinja2 is never read (Jinja2 itself checks each
    template's source). Folders unused for 30 days are deleted."""
    from blueprintc.documents import stamp

    root = stamp.cache_folder() / "templates"
    folder = root / f"{stamp.tool_digest()[:24]}-{kind}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)
    except OSError:
        return None
    oldest = time.time() - 30 * 86400
    with contextlib.suppress(OSError), os.scandir(root) as entries:
        for entry in entries:
            if entry.path != str(folder) and entry.stat().st_mtime < oldest:
                shutil.rmtree(entry.path, ignore_errors=True)
    return _KeptTemplates(str(folder))


@functools.cache
def site_environment() -> jinja2.Environment:
    """``environment`` with autoescaping, for the HTML site's own templates (compiled
    differently: kept apart on disk). Its filter ``shown`` is ``|md`` without the Markdown
    escaping: a declaration's name as the set shows it (see ``presentation``)."""
    env = environment().overlay(autoescape=True)
    env.filters = {**env.filters, "shown": html_shown}  # the overlay's own: md keeps its
    env.bytecode_cache = _compiled_templates("site")
    return env


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
    env.filters["md"] = shown
    env.filters["md_join"] = md_join
    env.filters["area"] = values.area
    env.filters["in_currency"] = in_currency
    env.globals["names"] = names
    return env


def shown(value: object) -> str:
    """``value`` escaped as Markdown text, a declaration's name as the set shows it (its
    display label in the client edition, see ``presentation``)."""
    return escape.markdown(presentation.current().shown(value))


def html_shown(value: object) -> object:
    """``value`` as the set shows it (a declaration's display label in the client
    edition), for the HTML site's autoescaped templates."""
    return presentation.current().shown(value)


def in_currency(amount: object, currency: str) -> str:
    """An amount written with its currency as the set shows it (see ``presentation``)."""
    return presentation.current().in_currency(str(amount), currency)


def md_join(items: Iterable[object], separator: str) -> str:
    """Each item escaped (``|md``), joined by ``separator``."""
    labels, escaped = presentation.current().shown, escape.markdown
    return separator.join([escaped(labels(item)) for item in items])


def names(items: Iterable[object]) -> str:
    """A list of names as ``a, b, c``, escaped; ``-`` when empty."""
    return md_join(items, ", ") if items else "-"


def target_globals(target: str) -> dict[str, Any]:
    """What differs between the Markdown and the HTML rendering of a template."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}")

    def chart(spec: Chart) -> str:
        if target == "html":
            return f"```{FIGURE_FENCE} {spec.key}\n```"
        spec = presentation.relabelled(spec, presentation.current())
        if isinstance(spec, LineChart):  # the SVG drawing, written beside the documents
            title = escape.markdown(spec.title or spec.key)
            return f"![{title}]({image_path(spec.key)})\n\n*{title}*"
        return f"```mermaid\n{mermaid.render(spec)}```"

    def src(place: Where | None) -> str:
        if place is None:
            return "default"
        text = escape.markdown(str(place))
        if target == "html":
            return f"[{text}]({_source_url(place.file)}#L{place.line})"
        return text

    def doc(stem: str, label: str, anchor: str = "") -> str:
        extension = "html" if target == "html" else "md"
        suffix = f"#{anchor}" if anchor else ""
        return f"[{escape.markdown(label)}]({stem}.{extension}{suffix})"

    return {"target": target, "chart": chart, "src": src, "doc": doc}


_DEFERRED = ("chart", "src", "doc")
_ANALYSED: dict[str, tuple[bool, tuple[str | None, ...]]] = {}  # source -> (verdict, uses)


def renders_once(env: jinja2.Environment, name: str) -> bool:
    """Whether the template ``name``, and every template it extends, includes or imports,
    never asks for ``target`` and only prints what ``chart``, ``src`` and ``doc`` return
    (as ``{{ src(x) }}``, or a branch of ``{{ a if c else b }}``): then rendering it once
    for both targets (``BothTargets``) gives each target's text."""
    assert env.loader is not None
    seen: set[str] = set()
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        source = env.loader.get_source(env, current)[0]
        if source not in _ANALYSED:
            _ANALYSED[source] = _recalled(env, source) or _analysed(env, source)
        verdict, uses = _ANALYSED[source]
        if not verdict or None in uses:
            return False  # None: a template chosen at render time
        waiting.extend(u for u in uses if u is not None)
    return True


def _analysed(env: jinja2.Environment, source: str) -> tuple[bool, tuple[str | None, ...]]:
    """A template's verdict and the templates it uses, from its syntax tree (kept beside
    the compiled templates for the next process, see ``_recalled``)."""
    tree = env.parse(source)
    found = (_prints_only(tree), tuple(jinja2.meta.find_referenced_templates(tree)))
    path = _analysis_path(env, source)
    if path is not None:
        with contextlib.suppress(OSError):
            staged = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
            staged.write_text(json.dumps([found[0], list(found[1])]), "utf-8")
            os.replace(staged, path)
    return found


def _recalled(env: jinja2.Environment, source: str) -> tuple[bool, tuple[str | None, ...]] | None:
    """The analysis of ``source`` kept by an earlier process (parsing a template only to
    analyse it took a tenth of a fresh process's build), or None."""
    path = _analysis_path(env, source)
    if path is None:
        return None
    try:
        verdict, uses = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, TypeError):  # none yet, or damaged
        return None
    if not isinstance(verdict, bool) or not isinstance(uses, list):
        return None
    if not all(use is None or isinstance(use, str) for use in uses):
        return None
    return verdict, tuple(uses)


def _analysis_path(env: jinja2.Environment, source: str) -> Path | None:
    """Where the analysis of ``source`` is kept: beside the environment's compiled
    templates (a folder of this blueprintc, whose code makes the analysis), by the
    source's digest; None without such a folder."""
    cache = env.bytecode_cache
    if not isinstance(cache, jinja2.FileSystemBytecodeCache):
        return None
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return Path(cache.directory) / f"analysis-{digest}.json"


def _prints_only(tree: jinja2.nodes.Template) -> bool:
    nodes = jinja2.nodes
    if any(n.name == "target" for n in tree.find_all(nodes.Name)):
        return False
    printed: set[int] = set()
    for output in tree.find_all(nodes.Output):
        for expression in output.nodes:
            choices: list[Any] = [expression]
            if isinstance(expression, nodes.CondExpr):
                choices += [expression.expr1, expression.expr2]
            printed.update(id(c) for c in choices if isinstance(c, nodes.Call))
    return all(
        id(call) in printed
        for call in tree.find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name in _DEFERRED
    )


class BothTargets:
    """Globals that render a template once for both targets.

    ``chart``, ``src`` and ``doc`` print a marker and note what each target shows there;
    ``split`` puts each target's text in place of the markers. The templates only print
    what these globals return, so the two texts are what rendering the template once per
    target gives (``render_targets`` in ``build`` falls back to that when a template uses
    ``target`` or a marker does not come back whole)."""

    def __init__(self) -> None:
        self._targets = {target: target_globals(target) for target in TARGETS}
        self._shown: list[tuple[str, ...]] = []
        self._marker = f"\x00{secrets.token_hex(8)}:"
        self._pattern = re.compile(re.escape(self._marker) + "([0-9]+)\x00")

    def globals(self) -> dict[str, Any]:
        """The template globals (no ``target``: a template that asks for it raises)."""
        return {name: self._deferred(name) for name in ("chart", "src", "doc")}

    def _deferred(self, name: str) -> Any:
        def shown(*args: Any, **kwargs: Any) -> str:
            values = tuple(self._targets[t][name](*args, **kwargs) for t in TARGETS)
            self._shown.append(values)
            return f"{self._marker}{len(self._shown) - 1}\x00"

        return shown

    def split(self, text: str) -> dict[str, str] | None:
        """Each target's text, or None when a marker did not come back whole."""
        parts = self._pattern.split(text)  # text, marker's number, text, ...
        if text.count(self._marker) != len(parts) // 2:
            return None
        shown = [self._shown[int(number)] for number in parts[1::2]]
        texts = {}
        for index, target in enumerate(TARGETS):
            parts[1::2] = [values[index] for values in shown]
            texts[target] = "".join(parts)
        return texts
