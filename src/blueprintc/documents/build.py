"""Assemble the document set in memory: every file's bytes, and every input it read.

Nothing is written here (see ``output``): a build either produces all its files or
fails before any reaches the disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import jinja2

from blueprintc import collector
from blueprintc.documents import drawing, dump, pdf, site, spreadsheets
from blueprintc.documents.catalog import DEFAULT_FORMATS, DOCUMENTS, FORMATS, Document, Edition
from blueprintc.documents.charts import Diagram, Gantt, LineChart
from blueprintc.documents.context import Context
from blueprintc.documents.environment import (
    BothTargets,
    environment,
    recording,
    renders_once,
    target_globals,
)
from blueprintc.documents.presentation import Presentation, current, presenting, relabelled
from blueprintc.documents.values import json_value
from blueprintc.driver import Compilation
from blueprintc.model import elements as m


@attrs.frozen
class Meta:
    """What every document's header shows about the blueprint and the build."""

    title: str
    client: str | None
    author: str | None
    version: str | None
    currency: str
    source: str  # the entry file's name
    start: str  # first month of the horizon, YYYY-MM
    horizon_months: int
    generated: str | None  # YYYY-MM-DD from SOURCE_DATE_EPOCH, else None (reproducible)
    edition: Edition = Edition.REVIEW

    @property
    def review(self) -> bool:
        """Whether the set is the review edition (sources, pointers, the blueprint's names)."""
        return self.edition is Edition.REVIEW


@attrs.frozen
class BuildResult:
    """The files of a build (relative POSIX path -> bytes) and the files it read."""

    files: dict[str, bytes]
    inputs: tuple[Path, ...]
    documents: tuple[Document, ...]


def meta_of(ctx: Context, source_date_epoch: int | None, edition: Edition = Edition.REVIEW) -> Meta:
    blueprint = ctx.model.blueprint
    generated = None
    if source_date_epoch is not None:
        moment = dt.datetime.fromtimestamp(source_date_epoch, dt.UTC)
        generated = moment.date().isoformat()
    entry = ctx.sources[0].path if ctx.sources else "<text>"
    return Meta(
        blueprint.title,
        blueprint.client,
        blueprint.author,
        blueprint.version,
        blueprint.currency,
        ctx.files.get(entry, entry),
        ctx.month(0),
        blueprint.horizon_months,
        generated,
        edition,
    )


def presentation_of(ctx: Context, meta: Meta) -> Presentation:
    """How the set shows numbers, areas and names: the blueprint's locale and units, and
    in the client edition each declaration's display label."""
    blueprint = ctx.model.blueprint
    return Presentation(
        blueprint.locale,
        blueprint.units is m.UnitSystem.METRIC,
        None if meta.review else ctx.displays,
        blueprint.currency,
        symbols=not meta.review,
    )


def select(only: Iterable[str] | None) -> tuple[Document, ...]:
    """The documents named in ``only`` (all when None), in catalogue order."""
    if only is None:
        return DOCUMENTS
    wanted = set(only)
    unknown = wanted - {d.name for d in DOCUMENTS}
    if unknown:
        raise ValueError(f"unknown document: {', '.join(sorted(unknown))}")
    return tuple(d for d in DOCUMENTS if d.name in wanted)


def charts_in(value: Any) -> Iterator[LineChart | Gantt | Diagram]:
    """Every chart specification inside a view, depth first in field order."""
    waiting = [value]
    while waiting:
        item = waiting.pop()
        kind = type(item)
        if kind in _LEAVES:
            continue
        if kind in _CHARTS:
            yield item
        elif kind is tuple or kind is list:
            waiting.extend(reversed(item))
        elif attrs.has(kind):
            waiting.extend(getattr(item, name) for name in _fields(kind))
        elif isinstance(item, (tuple, list)):
            waiting.extend(reversed(item))
        elif isinstance(item, dict):
            waiting.extend(reversed(item.values()))
        elif isinstance(item, (LineChart, Gantt, Diagram)):  # a subclass
            yield item


_LEAVES = frozenset({str, int, float, bool, type(None), Fraction, Decimal})
_CHARTS = frozenset({LineChart, Gantt, Diagram})


@functools.cache
def _fields(kind: type) -> tuple[str, ...]:
    """The names of ``kind``'s fields, last first (the order ``charts_in`` stacks them)."""
    return tuple(field.name for field in reversed(attrs.fields(kind)))


def render_document(
    env: jinja2.Environment,
    target: str,
    document: Document,
    view: Any,
    meta: Meta,
    documents: Sequence[Document] = DOCUMENTS,
) -> str:
    """One document's Markdown for ``target`` ("md", or "html" for the site)."""
    return env.get_template(document.template).render(
        **target_globals(target),
        review=meta.review,
        look=current(),
        view=view,
        meta=meta,
        document=document,
        documents=documents,
    )


def render_targets(
    env: jinja2.Environment,
    targets: Sequence[str],
    document: Document,
    view: Any,
    meta: Meta,
    documents: Sequence[Document] = DOCUMENTS,
) -> dict[str, str]:
    """One document's Markdown for each of ``targets``, rendering the template once when
    both are wanted (``BothTargets``); the same texts ``render_document`` gives."""
    if len(targets) == 2 and renders_once(env, document.template):
        both = BothTargets()
        template = env.get_template(document.template)
        try:
            text = template.render(
                **both.globals(),
                review=meta.review,
                look=current(),
                view=view,
                meta=meta,
                document=document,
                documents=documents,
            )
        except jinja2.UndefinedError:
            text = None  # the template asks which target it renders
        texts = both.split(text) if text is not None else None
        if texts is not None:
            return texts
    return {t: render_document(env, t, document, view, meta, documents) for t in targets}


def build_documents(
    compilation: Compilation,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    only: Iterable[str] | None = None,
    source_date_epoch: int | None = None,
    progress: Callable[[str], None] | None = None,
    edition: Edition = Edition.REVIEW,
) -> BuildResult:
    """Render the selected documents in the selected formats (raises on bad selections).

    ``progress`` is called with the name of each stage as it starts: ``"views"``, then
    each format's name (``"md"``, ``"html"``, ``"xlsx"``, ``"json"``, ``"docx"``) in that
    order.
    """
    bad = set(formats) - set(FORMATS)
    if bad:
        raise ValueError(f"unknown format: {', '.join(sorted(bad))}")
    with collector.paused():  # hundreds of thousands of objects, nearly none in cycles
        return _build(compilation, formats, only, source_date_epoch, progress, edition)


def _build(
    compilation: Compilation,
    formats: Sequence[str],
    only: Iterable[str] | None,
    source_date_epoch: int | None,
    progress: Callable[[str], None] | None,
    edition: Edition,
) -> BuildResult:
    stage = progress or _quiet
    documents = select(only)
    ctx = Context.of_compilation(compilation)
    meta = meta_of(ctx, source_date_epoch, edition)
    look = presentation_of(ctx, meta)
    stage("views")
    site_html = "html" in formats or "pdf" in formats  # the PDFs print the site's HTML
    drawings = drawing.Drawings()  # the views' charts drawn while the build goes on
    listings: dict[str, Any] = {}  # each source's highlighted lines, by its text

    # The client edition does not publish the blueprint's sources.
    shown_sources = ctx.sources if meta.review else ()

    def highlight_beside() -> None:
        """Each source highlighted by a drawing worker, if they run (see ``drawing``)."""
        for source in shown_sources if "html" in formats else ():
            if listings.get(source.text) is None:
                listings[source.text] = drawing.beside(site.highlighted_lines, source.text)

    highlight_beside()
    views = {}
    charts: dict[str, LineChart | Gantt | Diagram] = {}  # the site's, by key
    shown: list[LineChart | Gantt | Diagram] = []
    for document in documents:
        views[document.name] = document.build(ctx)
        if site_html or "md" in formats:  # the Markdown shows line charts drawn
            drawn = [
                relabelled(c, look)
                for c in charts_in(views[document.name])
                if site_html or image(c)
            ]
            drawings.expect(drawn)  # the workers start while the other views are built
            shown += drawn
    charts.update((chart.key, chart) for chart in shown)
    drawings.add(shown)  # all at once: the longest to draw first (see ``drawing``)
    highlight_beside()
    json_job: Future[dict[str, bytes]] | None = None  # written by a drawing worker, if any
    if "json" in formats:
        json_args = (dump.titles(documents), views, json_value(meta), dump.model_json(ctx))
        json_job = drawing.beside(dump.encoded_files, *json_args)
    word_job: Future[dict[str, bytes]] | None = None  # the same, while the pages are made
    if "docx" in formats:
        # For vendors in either edition: the client's locale and display labels.
        client = presentation_of(ctx, attrs.evolve(meta, edition=Edition.CLIENT))
        word_args = (_for_word(views), meta, source_date_epoch, client)
        word_job = drawing.beside(word_files, *word_args)
    env = environment()
    files: dict[str, bytes] = {}

    targets = [t for t in ("md", "html") if t in formats or (t == "html" and site_html)]
    rendered: dict[str, dict[str, str]] = {}

    def pages(target: str) -> list[str]:
        """The documents' Markdown for ``target``: each template rendered once for both."""
        if not rendered:
            for document in documents:
                view = views[document.name]
                rendered[document.name] = render_targets(
                    env, targets, document, view, meta, documents
                )
        return [rendered[document.name][target] for document in documents]

    with recording() as read, contextlib.closing(drawings), presenting(look):
        if "md" in formats:
            stage("md")
            for document, text in zip(documents, pages("md"), strict=True):
                files[f"md/{document.stem}.md"] = text.encode()
            index = env.get_template("index.md.j2")
            files["md/index.md"] = index.render(
                **target_globals("md"),
                review=meta.review,
                look=look,
                meta=meta,
                documents=documents,
            ).encode()
        bodies: list[str] | None = None
        if site_html:
            bodies = site.document_bodies(
                list(zip(documents, pages("html"), strict=True)), charts, drawings
            )
        if "pdf" in formats:  # printed by a drawing worker, if any, while the rest is made
            chapters = [
                pdf.Chapter(d.stem, d.number, d.title, body)
                for d, body in zip(documents, bodies or (), strict=True)
            ]
            printed = pdf.book(meta, chapters)
            kept = pdf.recalled(printed)  # printed before: nothing to print
            pdf_job = drawing.beside(pdf.print_book, printed) if kept is None else None
        if "html" in formats:
            stage("html")
            files.update(
                site.render_site(
                    pages=list(zip(documents, pages("html"), strict=True)),
                    charts=charts,
                    meta=meta,
                    sources=shown_sources,
                    names=ctx.files,
                    drawings=drawings,
                    highlight=lambda text: drawing.outcome(
                        listings.get(text), site.highlighted_lines, text
                    ),
                    bodies=bodies,
                    summary=views.get("executive-summary"),  # the index as its dashboard
                )
            )
        if "md" in formats:  # last: the workers drew them while the rest was rendered
            files.update(drawing.images(filter(image, shown), drawings, "md/"))
    if "xlsx" in formats:  # before the JSON: a worker may still be writing it
        stage("xlsx")
        files.update(spreadsheets.workbooks(views, meta, source_date_epoch, ctx))
    if "json" in formats:
        stage("json")
        written: dict[str, bytes] = drawing.outcome(json_job, dump.encoded_files, *json_args)
        files.update(written)
    if "docx" in formats:
        stage("docx")
        made: dict[str, bytes] = drawing.outcome(word_job, word_files, *word_args)
        files.update(made)
    if "pdf" in formats:
        stage("pdf")
        if kept is None:
            kept = drawing.outcome(pdf_job, pdf.print_book, printed)
            pdf.keep(printed, kept)
        files.update(kept)
    inputs = {Path(s.real_path) for s in ctx.sources if s.real_path is not None}
    inputs |= read
    return BuildResult(dict(sorted(files.items())), tuple(sorted(inputs)), documents)


def _for_word(views: Mapping[str, Any]) -> dict[str, Any]:
    """The views the Word files are made of (see ``word.documents``)."""
    return {name: view for name, view in views.items() if name in WORD_VIEWS}


WORD_VIEWS = frozenset({"rfp"})


def word_files(
    views: Mapping[str, Any], meta: Meta, source_date_epoch: int | None, look: Presentation
) -> dict[str, bytes]:
    """The Word files of ``views`` (``word.documents``): python-docx loads only for them."""
    from blueprintc.documents import word

    return word.documents(views, meta, source_date_epoch, look)


def image(chart: LineChart | Gantt | Diagram) -> bool:
    """Whether the Markdown shows ``chart`` as an image (a line chart, see ``mermaid``)."""
    return isinstance(chart, LineChart)


def _quiet(stage: str) -> None:
    """The progress callback of a build nobody watches."""
