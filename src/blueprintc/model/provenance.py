"""Where every input of the figures came from: the provenance of a model's values.

An *input* is a value the sizing, the plan or the costs rest on: a volume, a handle time,
a shrinkage, a target, a price, an area, a rate, a pattern... Each one was supplied by
one of four hands (:class:`Supplier`): the consultant wrote it in the blueprint, a
standard-library template supplied it, the compiler used a built-in default, or it is
derived from other inputs (a price quoted in another currency, converted at the
blueprint's exchange rate).

A standard-library value carries its source as the comment on its line, under a
convention the library keeps (see docs/stdlib.md, "How to read the sources"): the
comment opens with a tag saying how far the figure can be trusted (:class:`Standing`),
``[industry rule]``, ``[SYNTHESIS]`` or ``[UNVERIFIED]``, or with none when it names a
public source. Only the tag is read; the rest of the comment is shown as written. A
consultant's own comment on a value's line is kept as the value's note.

Computed from the model alone, once per model (:func:`register`), for the documents and
anything else that explains a value (an editor's hover).
"""

from __future__ import annotations

import enum
import functools
import re
import weakref
from collections.abc import Iterator
from pathlib import Path

import attrs

from blueprintc.model import elements as m
from blueprintc.model.model import Model
from blueprintc.semantic.modules import std_modules
from blueprintc.semantic.schema import DECLARATIONS, FieldSpec
from blueprintc.semantic.slots import Qty
from blueprintc.semantic.values import FieldValue, QuantityValue, RefValue, WordValue
from blueprintc.source import SourceFile, Span


class Supplier(enum.Enum):
    """Who supplied a value."""

    DECLARED = "declared"  # written in the blueprint (or one of its own templates)
    STANDARD_LIBRARY = "standard library"  # inherited from a std/ template
    BUILT_IN = "built-in default"  # the compiler's default (docs/alignment.md)
    DERIVED = "derived"  # computed from other inputs


class Standing(enum.Enum):
    """How far a standard-library or built-in value can be trusted as it is."""

    SOURCE = "named source"  # a public source, named in the citation
    INDUSTRY_RULE = "industry rule"  # a widely quoted rule of thumb, no single source
    SYNTHESIS = "synthesis"  # worked out for the library: a placeholder
    UNVERIFIED = "unverified"  # from a source that could not be checked
    CONVENTION = "convention"  # a rule of the language, not a figure of the field
    UNDOCUMENTED = "undocumented"  # no source given

    @property
    def confirm(self) -> bool:
        """Whether a value of this standing must be confirmed with the client."""
        return self not in (Standing.SOURCE, Standing.CONVENTION)


TAGS = {
    "[industry rule]": Standing.INDUSTRY_RULE,
    "[SYNTHESIS]": Standing.SYNTHESIS,
    "[UNVERIFIED]": Standing.UNVERIFIED,
}
_TAG = re.compile(r"\A(\[industry rule\]|\[SYNTHESIS\]|\[UNVERIFIED\])[\s:;,.-]*")


@attrs.frozen
class Citation:
    """Where a standard-library or built-in value comes from, as its comment says."""

    standing: Standing
    text: str  # the comment without its tag ("" when there is none)
    span: Span | None = None  # the comment (None for a built-in default)


@attrs.frozen
class BuiltIn:
    """A built-in default as docs/alignment.md (section 6) documents it."""

    written: str
    citation: Citation
    confirm: bool  # a default the figures depend on that the client should confirm


_DOCUMENTED = "docs/alignment.md, section 6"
BUILT_INS: dict[tuple[str, str], BuiltIn] = {
    ("blueprint", "discount"): BuiltIn(
        "0%",
        Citation(
            Standing.CONVENTION, "no discounting unless the blueprint gives the client's rate"
        ),
        True,  # the net present values rest on it
    ),
    ("blueprint", "interval"): BuiltIn(
        "30 min",
        Citation(Standing.INDUSTRY_RULE, "the most common planning interval of WFM tools"),
        False,
    ),
    ("blueprint", "automation_threshold"): BuiltIn(
        "100k/year",
        Citation(Standing.SYNTHESIS, "a mid-size center's top processes are above it"),
        True,
    ),
    ("blueprint", "closed_hours"): BuiltIn(
        "carry",
        Citation(Standing.CONVENTION, "contacts arriving while closed wait for the next opening"),
        False,
    ),
    ("blueprint", "overlap"): BuiltIn(
        "1 month",
        Citation(Standing.CONVENTION, "a replaced system runs one month beside its successor"),
        True,
    ),
    ("baseline", "tolerance"): BuiltIn(
        "20%",
        Citation(Standing.CONVENTION, "how far today's figures may differ before a warning"),
        False,
    ),
    ("channel", "concurrency"): BuiltIn(
        "1",
        Citation(Standing.CONVENTION, "one contact at a time unless the channel says more"),
        False,
    ),
}
"""The built-in defaults an input can fall back on, by (declaration kind, field)."""
DOCUMENTED = _DOCUMENTED

# Fields the figures rest on although they hold no quantity (a schedule, a pattern, a rule).
_EXTRA_INPUTS = frozenset({"hours", "intraday", "weekly", "seasonality", "closed_hours", "option"})
# Kinds whose quantities are commitments checked against the figures, not inputs to them.
_NOT_INPUTS = frozenset({"brand", "promise"})
# Channels worked one contact at a time by their nature: no concurrency to assume.
_ONE_AT_A_TIME = frozenset({"voice", "video", "callback", "branch"})
_CURRENCY = re.compile(r"\b[A-Z]{3}\b")


@attrs.frozen
class Input:
    """One value the figures rest on, with who supplied it and from where.

    ``key`` names the entry of a keyed field (the channel of ``mix``, the role of
    ``span``, the currency of ``exchange``, the deployment of ``option``); ``written`` is
    the value as written, units included; ``span`` the line that wrote it (None for a
    built-in default). ``template`` is the declaration it was inherited from, ``note`` the
    consultant's comment on a declared line, ``rests_on`` the inputs a derived value
    comes from."""

    element: m.Ref
    field: str
    key: str | None
    written: str
    supplier: Supplier
    span: Span | None = None
    template: str | None = None
    citation: Citation | None = None
    note: str | None = None
    rests_on: tuple[Input, ...] = ()
    confirm: bool = False  # to be confirmed with the client before the figures are relied on


@attrs.frozen(eq=False)
class Register:
    """Every input of a model, element by element in the model's order."""

    inputs: tuple[Input, ...]

    def of(self, element: m.Ref) -> tuple[Input, ...]:
        return tuple(i for i in self.inputs if i.element == element)

    def at(self, span: Span) -> Input | None:
        """The input written at ``span`` (an editor's hover), or None."""
        for found in self.inputs:
            s = found.span
            if s is not None and s.file is span.file and s.start <= span.start < s.end:
                return found
        return None

    @property
    def to_confirm(self) -> tuple[Input, ...]:
        return tuple(i for i in self.inputs if i.confirm)


_REGISTERS: weakref.WeakKeyDictionary[Model, Register] = weakref.WeakKeyDictionary()


def register(model: Model) -> Register:
    """The inputs of ``model`` and their provenance (made once per model)."""
    found = _REGISTERS.get(model)
    if found is None:
        found = _REGISTERS[model] = Register(tuple(_inputs(model)))
    return found


def is_input(kind: str, field: str) -> bool:
    """Whether the figures rest on ``field`` of a ``kind`` declaration: a field holding a
    quantity (directly, in an entry or in a nested block), or a schedule, pattern or rule."""
    spec = DECLARATIONS[kind].block if kind in DECLARATIONS else None
    found = spec.field(field) if spec is not None else None
    return found is not None and (field in _EXTRA_INPUTS or _holds_quantity(found))


@functools.cache
def _holds_quantity(spec: FieldSpec) -> bool:
    def slots(pattern: tuple[object, ...]) -> Iterator[object]:
        for slot in pattern:
            yield slot
            yield from slots(getattr(slot, "slots", ()))

    if any(isinstance(slot, Qty) for slot in slots(spec.pattern)):
        return True
    block = spec.block
    if block is None:
        return False
    if block.map is not None and any(isinstance(s, Qty) for s in slots(block.map.pattern)):
        return True
    return any(_holds_quantity(inner) for inner in block.fields)


def _inputs(model: Model) -> Iterator[Input]:
    currency = model.blueprint.currency
    exchange: dict[str, Input] = {}
    for element in (model.blueprint, *model):
        if element.library and element.kind not in ("pattern", "practice"):
            continue
        for field, origin in element.origins.items():
            if not is_input(element.kind, field) or element.kind in _NOT_INPUTS:
                continue
            if origin.via == "default":
                yield from _built_in(element, field)
                continue
            for item in _from_origin(element, field, origin):
                if element.kind == "blueprint" and field == "exchange" and item.key:
                    exchange[item.key] = item
                yield item
                converted = _converted(item, currency, exchange)
                if converted is not None:
                    yield converted
        if (
            isinstance(element, m.Channel)
            and element.assisted
            and element.channel_kind not in _ONE_AT_A_TIME
            and "concurrency" not in element.origins
        ):
            yield from _built_in(element, "concurrency")


def _built_in(element: m.Element, field: str) -> Iterator[Input]:
    default = BUILT_INS.get((element.kind, field))
    if default is not None:
        yield Input(
            element.ref,
            field,
            None,
            default.written,
            Supplier.BUILT_IN,
            citation=default.citation,
            confirm=default.confirm,
        )


def _template(origin: m.Origin) -> str | None:
    prefix = "inherited from "
    return origin.via[len(prefix) :] if origin.via.startswith(prefix) else None


def _from_origin(element: m.Element, field: str, origin: m.Origin) -> Iterator[Input]:
    """One input per line or entry of the field's values."""
    template = _template(origin)
    for value in origin.values:
        # Merged lists (a pattern's weights) hold lines of several declarations.
        library = origin.library or in_library(value.span.file)
        supplier = Supplier.STANDARD_LIBRARY if library else Supplier.DECLARED
        if value.block is not None and not value.args:  # mix { voice 40%; ... }
            for entry in value.block:
                yield _input(element, field, entry.name, entry, supplier, template)
        elif value.block is not None:  # option cloud { subscription ...; ... }
            key = _key(value)
            for entry in value.block:
                if _holds_quantity_value(entry):
                    yield _input(
                        element, field, f"{key} {entry.name}", entry, supplier, template, True
                    )
        else:
            yield _input(element, field, _key(value), value, supplier, template)


def in_library(source: SourceFile) -> bool:
    """Whether ``source`` is a file of the standard library."""
    return source.real_path is not None and source.real_path in _library_files()


@functools.cache
def _library_files() -> frozenset[Path]:
    return frozenset(path.resolve() for path in std_modules().values())


def _holds_quantity_value(value: FieldValue) -> bool:
    return any(isinstance(v, QuantityValue) for arg in value.args for v in arg)


def _key(value: FieldValue) -> str | None:
    """The word or name a keyed line starts with (``span supervisor 12``, ``exchange EUR
    1.08``, ``option cloud { ... }``): one followed by a quantity or a block."""
    first = value.first
    keyed = len(value.args) == 1 and len(first) > 1 and isinstance(first[1], QuantityValue)
    if (keyed or value.block is not None) and first and isinstance(first[0], RefValue):
        return first[0].name
    if (keyed or value.block is not None) and first and isinstance(first[0], WordValue):
        return first[0].word
    return None


def _input(
    element: m.Element,
    field: str,
    key: str | None,
    value: FieldValue,
    supplier: Supplier,
    template: str | None,
    whole: bool = False,
) -> Input:
    written = _written(value, skip_key=key is not None and not whole, whole=whole)
    span = value.span
    comment = trailing_comment(span)
    if supplier is Supplier.STANDARD_LIBRARY:
        citation = cite(comment, span)
        return Input(
            element.ref,
            field,
            key,
            written,
            supplier,
            span,
            template,
            citation,
            confirm=citation.standing.confirm,
        )
    note = comment[0] if comment is not None else None
    return Input(element.ref, field, key, written, supplier, span, template, note=note)


LONGEST = 4  # arguments shown of a longer list (a pattern's 48 weights), then a count


def _written(value: FieldValue, *, skip_key: bool, whole: bool) -> str:
    """The value as written, on one line and without comments: each argument's words as
    in the source, arguments separated by commas (the first ``LONGEST`` of a longer list,
    such as a pattern's 48 weights, and how many there are)."""
    more = len(value.args) - LONGEST if len(value.args) > LONGEST + 1 else 0
    args = [list(arg) for arg in (value.args[:LONGEST] if more else value.args)]
    if skip_key and args and args[0]:
        args[0] = args[0][1:]
    shown = ", ".join(" ".join(_text(atom.span) for atom in arg) for arg in args if arg)
    if whole:
        shown = f"{value.name} {shown}".strip()
    return f"{shown}, … ({len(value.args)} values)" if more else shown


def _text(span: Span) -> str:
    return " ".join(span.file.text[span.start : span.end].split())


def cite(comment: tuple[str, Span] | None, span: Span) -> Citation:
    """The citation a standard-library value's comment gives."""
    if comment is None:
        return Citation(Standing.UNDOCUMENTED, "", None)
    text, where = comment
    match = _TAG.match(text)
    if match is None:
        return Citation(Standing.SOURCE, text, where)
    return Citation(TAGS[match[1]], text[match.end() :].strip(), where)


def trailing_comment(span: Span) -> tuple[str, Span] | None:
    """The ``//`` comment at the end of the first line of ``span`` (its text, stripped of
    the slashes, and its span), or None."""
    comments = _line_comments(span.file)
    return comments.get(span.line)


_COMMENTS: weakref.WeakKeyDictionary[SourceFile, dict[int, tuple[str, Span]]] = (
    weakref.WeakKeyDictionary()
)


def _line_comments(source: SourceFile) -> dict[int, tuple[str, Span]]:
    """The line comments of a file that follow code on their line, by line number."""
    found = _COMMENTS.get(source)
    if found is None:
        from blueprintc.syntax.kept import comments_of

        found = {}
        for comment in comments_of(source):
            line_start = source.text.rfind("\n", 0, comment.span.start) + 1
            before = source.text[line_start : comment.span.start]
            if comment.text.startswith("//") and before.strip():
                found[comment.span.line] = (comment.text[2:].strip(), comment.span)
        _COMMENTS[source] = found
    return found


def _converted(item: Input, currency: str, exchange: dict[str, Input]) -> Input | None:
    """An amount written in another currency, as converted at the blueprint's rate."""
    if not currency or item.field == "exchange":
        return None
    codes = [c for c in _CURRENCY.findall(item.written) if c != currency]
    rates = tuple(exchange[c] for c in dict.fromkeys(codes) if c in exchange)
    if not rates:
        return None
    shown = ", ".join(f"{code} {rate.written}" for code, rate in zip(codes, rates, strict=False))
    return Input(
        item.element,
        item.field,
        item.key,
        f"{item.written} at {shown} {currency}",
        Supplier.DERIVED,
        rests_on=(item, *rates),
        confirm=item.confirm,
    )


__all__ = [
    "BUILT_INS",
    "DOCUMENTED",
    "TAGS",
    "BuiltIn",
    "Citation",
    "Input",
    "Register",
    "Standing",
    "Supplier",
    "cite",
    "in_library",
    "is_input",
    "register",
    "trailing_comment",
]
