"""What every document view is built from: the compiled design and where things came from."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar, cast

import attrs

from blueprintc.driver import Compilation
from blueprintc.graph import Graph, trace_up_all
from blueprintc.model import Model
from blueprintc.model import elements as m
from blueprintc.outcome import Outcome, Saving
from blueprintc.resources import resource_dir
from blueprintc.semantic.labels import STD_PREFIX, readable
from blueprintc.source import SourceFile, Span
from blueprintc.validate import AlignmentReport

E = TypeVar("E", bound=m.Element)
T = TypeVar("T")


@attrs.frozen
class Where:
    """A blueprint line a figure or row came from: ``file`` as shown in diagnostics."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def file_names(sources: Sequence[SourceFile]) -> dict[str, str]:
    """Stable names of the files read, independent of the working directory.

    The entry file by its name, other files relative to the entry's folder, standard
    library files as ``std/<module>.cxb``; so two builds from different folders agree.
    """
    if not sources:
        return {}
    root = sources[0].real_path.parent if sources[0].real_path else None
    std = resource_dir("stdlib")
    found: dict[str, str] = {}
    for source in sources:
        real = source.real_path
        if real is not None and real.is_relative_to(std):
            found[source.path] = "std/" + real.relative_to(std).as_posix()
        elif real is not None and root is not None and real.is_relative_to(root):
            found[source.path] = real.relative_to(root).as_posix()
        else:
            found[source.path] = Path(source.path).name if real else source.path
    counts: dict[str, int] = {}
    for name in found.values():
        counts[name] = counts.get(name, 0) + 1
    # Two files outside the entry's folder with one base name: show their full paths.
    return {path: (path if counts[name] > 1 else name) for path, name in found.items()}


@attrs.frozen(eq=False)
class Context:
    """A successfully compiled blueprint, as the views need it."""

    model: Model
    graph: Graph
    alignment: AlignmentReport
    outcome: Outcome  # sizing and planning as one typed result: the figures every view shows
    sources: tuple[SourceFile, ...]
    assertions: dict[str, bool | None] = attrs.field(factory=dict)
    files: dict[str, str] = attrs.field(factory=dict)  # SourceFile.path -> stable name
    _memo: dict[object, Any] = attrs.field(factory=dict, init=False, repr=False)

    @classmethod
    def of_compilation(cls, compilation: Compilation) -> Context:
        """The context of a compilation that reached the end of planning without errors."""
        c = compilation
        if not c.ok or c.model is None or c.outcome is None:
            raise ValueError("documents are built only from a compilation without errors")
        assert c.graph is not None and c.alignment is not None
        return cls(
            c.model,
            c.graph,
            c.alignment,
            c.outcome,
            c.sources,
            dict(c.assertions or {}),
            file_names(c.sources),
        )

    def memo(self, key: object, compute: Callable[[], T]) -> T:
        """``compute()`` once per build: results several documents share (requirement
        chains, savings) are computed once, and forgotten with the context."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    def chain(self, node: str) -> tuple[str, ...]:
        """``graph.trace_up(node)``, from one pass over the graph shared by the documents."""
        return self.memo("chains", lambda: trace_up_all(self.graph))[node]

    @property
    def savings(self) -> tuple[Saving, ...]:
        """What each lever saves, month by month (the outcome's: costed once per compile
        and shared by the documents that show it and ``cost --savings``)."""
        return self.outcome.savings()

    @property
    def displays(self) -> dict[str, str]:
        """Each declaration's name -> what a reader is shown (``display_names``)."""
        return self.memo("displays", lambda: display_names(self.model))

    def where_span(self, span: Span | None) -> Where | None:
        """The line of a span, or None for values nobody wrote (built-in defaults)."""
        if span is None:
            return None
        return Where(self.files.get(span.file.path, span.file.path), span.line)

    @property
    def currency(self) -> str:
        return self.model.blueprint.currency

    def of(self, cls: type[E]) -> tuple[E, ...]:
        """The blueprint's own elements of one class (standard-library templates left out)."""
        return tuple(e for e in self.model.of(cls) if not e.library)

    def element(self, kind: str, name: str) -> m.Element | None:
        return self.model.get(m.Ref(kind, name))

    def where(self, element: m.Element, field: str | None = None) -> Where | None:
        """The line that declared ``element`` or, given ``field``, supplied that field."""
        if field is not None:
            origin = element.origins.get(field)
            if origin is not None and origin.span is not None:
                return self.where_span(origin.span)
        return self.where_span(element.span)

    def where_role(self, role: str, *fields: str) -> Where | None:
        """The line of a support role's own ``span`` or ``role_cost`` (the first of
        ``fields`` the staffing block gives for ``role``), or None."""
        staffing = self.model.staffing
        for field in fields:
            origin = staffing.role_origin(field, role) if staffing is not None else None
            if origin is not None and origin.span is not None:
                return self.where_span(origin.span)
        return None

    def month(self, index: int | Fraction) -> str:
        """``YYYY-MM`` of a month index from the start of the horizon (clamped to it)."""
        return self.outcome.month(index)


def names(refs: Sequence[m.Ref]) -> tuple[str, ...]:
    return tuple(r.name for r in refs)


def display_names(model: Model) -> dict[str, str]:
    """Each declaration's name -> its display label (the ``label``, else the name made
    readable), practices of the catalogue included. The views name declarations by their
    names; the client edition shows these labels instead. Sorted by name, so the mapping
    is the same for the same model."""
    shown: dict[str, str] = {}
    apart: set[str] = set()  # names two kinds share with different labels
    for element in (*model, *model.catalogue):
        if isinstance(element, m.Blueprint):
            continue  # shown by its title
        names = [element.name]
        if element.library:  # written without its qualifier where the library is used
            names.append(element.name.removeprefix(STD_PREFIX))
        for name in names:
            if shown.setdefault(name, element.display) != element.display:
                apart.add(name)
    for name in apart:  # neither label is safe: the name made readable
        shown[name] = readable(name)
    for word in vocabulary():
        shown.setdefault(word, readable(word))
    return dict(sorted(shown.items()))


@functools.cache
def vocabulary() -> tuple[str, ...]:
    """The words of the language's fixed vocabularies (``cloud``, ``self_service``,
    ``team_leader``), which the documents show as the blueprint gives them."""
    from blueprintc.semantic.figures import FIGURES
    from blueprintc.semantic.schema import DECLARATIONS, BlockSpec
    from blueprintc.semantic.slots import Choice, Optional

    words: set[str] = set()
    blocks: list[BlockSpec] = [spec.block for spec in DECLARATIONS.values()]
    while blocks:
        block = blocks.pop()
        for field in block.fields:
            if "_" in field.name:  # a target or limit named by its field (max_asa)
                words.add(field.name)
            slots = list(field.pattern)
            while slots:
                slot = slots.pop()
                if isinstance(slot, Optional):
                    slots.extend(slot.slots)
                elif isinstance(slot, Choice):
                    words.update(slot.choices)
            if field.block is not None:
                blocks.append(field.block)
    words.update(f.name for f in FIGURES if "_" in f.name)  # in `assert` lines
    return tuple(sorted(words))
