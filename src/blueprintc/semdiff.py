"""Semantic diff of two blueprints: ``blueprintc diff OLD NEW`` and ``blueprintc diff --textconv``.

A text diff of two ``.cxb`` files shows every moved comment and re-indented line; this module
compares what the two versions *mean*:

* **Declarations**, grouped by layer (brand, business, financial-functional, operational,
  technology): added, removed, and per changed declaration the fields added, removed and
  changed, with the values as written (``volume: 38_000/month → 45_000/month``). Values
  are compared in canonical units, so ``38k/month`` and ``38_000/month`` are the same
  value; lists are compared as sets (``includes a, b`` = ``includes b, a``); declarations
  are matched by kind and name (their order, and the file they live in, do not matter).
  Standard-library declarations are not compared; ``assert`` constraints are matched by
  their normalised text.
* **Consequences** on the key figures: peak agents and FTE per queue (in its peak month),
  total FTE, seats per site, capex and opex per year, NPV, cost per contact, phase start
  and end months, RFP requirements (by their stable name), vendor ranking order and the
  outcome of each ``assert``. Only figures that changed are listed, with old → new and the
  difference (its sign is the direction). Figures are compared as the reports print them:
  FTE to 0.1, money to the cent, months as ``YYYY-MM``.

A whitespace-, comment- or order-only edit reports exactly ``no design change``.

A *side* is a file path, or a git revision and a path ``REV:path`` (``HEAD~1:main.cxb``;
as in ``git show``, the path is relative to the top of the repository unless it starts
with ``./`` or ``../``). A revision is materialised into a temporary folder: the entry
file and, following ``use "..."`` transitively, every relative file it uses *at that
revision* (read with ``git show``); it is then compiled like a file, with the default
root (the entry's folder). Messages about it name ``REV:path``.

Git integration (``git diff`` of ``.cxb`` files shows semantic lines)::

    echo '*.cxb diff=cxb' >> .gitattributes
    git config diff.cxb.textconv "blueprintc diff --textconv"

:func:`textconv` prints one blueprint as sorted, canonical lines (one per field, then the
key figures), so git's line diff becomes a semantic diff. A value's text depends only on
its canonical value and its field: durations in the largest readable unit (``4.5 min``,
``3 years``), other quantities in the unit of the field's example in the language
reference (``loaded_cost`` in ``USD/h``, ``volume`` per month; a rate that is not exact
there per the largest time unit that is), money in the blueprint's currency (a ``EUR``
price at the ``exchange`` rate), plain numbers without ``k``, ``M`` or ``_``.

Git hands the textconv the old version as a temporary copy (``/tmp/git-blob-XXXXXX/
main.cxb``), away from the files it uses: when such a copy cannot be compiled because its
relative ``use`` files are missing, the file of the same name in the working tree is
looked up (``git ls-files``) and the files it uses are read *from the working tree*, not
from the old revision. A version that does not compile is shown as its raw text under a
``# does not compile`` line (git stops the whole diff when a textconv fails); so is a
module such as an RFP file, which has no ``blueprint`` block of its own.

Limits: fields are compared as declared; a value a declaration now inherits through
``extends`` or from a default shows in the consequences, not as a field. Items of a
repeated field are matched by their leading names (``span supervisor``, ``hours sat``);
two items with the same leading names are matched in order.
"""

from __future__ import annotations

import argparse
import atexit
import json
import math
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, TextIO

import attrs

from blueprintc.console import STDIN, STDIN_NAME, StdinError, read_stdin
from blueprintc.diagnostics import Diagnostic, DiagnosticSink
from blueprintc.diagnostics import codes as C
from blueprintc.diagnostics.render import Shown, render_summary
from blueprintc.diagnostics.render import render_text as render_diagnostic
from blueprintc.driver import Compilation, compile
from blueprintc.model import elements as m
from blueprintc.model.format import money
from blueprintc.outcome import Grid, Outcome
from blueprintc.render.answer import Command, answer_json, figures_json, usage_diagnostic
from blueprintc.semantic import schema
from blueprintc.semantic import slots as S
from blueprintc.semantic.check import Declaration
from blueprintc.semantic.figures import layer_of
from blueprintc.semantic.files import MAX_INPUT_BYTES
from blueprintc.semantic.units import TIME_UNITS, Dims, UnitInfo, interpret
from blueprintc.semantic.values import (
    DateValue,
    DaysValue,
    FieldValue,
    QuantityValue,
    RefValue,
    TextValue,
    TimeRangeValue,
    Value,
    WordValue,
)
from blueprintc.source import SourceFile
from blueprintc.syntax import ast
from blueprintc.syntax.parse import parse

JSON_SCHEMA = "blueprintc.diff"
JSON_SCHEMA_VERSION = 1
TEXTCONV_HEADER = "# blueprintc textconv 1"
NO_DESIGN_CHANGE = "no design change"
NOT_COMPILED = "# does not compile on its own; its text:"
EXIT_OK, EXIT_CHANGES, EXIT_ERRORS, EXIT_USAGE = 0, 1, 1, 2

LAYERS = m.LAYERS
_SCHEMA_LAYER = {"financial": "financial-functional"}
FIGURE_GROUPS = ("staffing", "seats", "costs", "plan", "requirements", "vendors", "constraints")
_COUNTING = frozenset({"seat", "agent", "user", "contact", "message", "customer", "fte", "licence"})
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME_UNITS = (
    ("year", Fraction(31_536_000)),
    ("month", Fraction(2_628_000)),
    ("week", Fraction(604_800)),
    ("day", Fraction(86_400)),
    ("h", Fraction(3600)),
    ("min", Fraction(60)),
    ("s", Fraction(1)),
)
_PLURAL = frozenset({"year", "month", "week", "day"})
_EXAMPLE = re.compile(r"^[-+]?[0-9][0-9_.,]*[kMB]?\s*(\S*)$")


# -- the report --------------------------------------------------------------------------------


@attrs.frozen
class FieldChange:
    """One field of a declaration: ``added``, ``removed`` or ``changed``, values as written.

    ``field`` names the field and, for repeated or keyed fields, its key
    (``span supervisor``, ``mix voice``, ``option onprem licence``).
    """

    field: str
    change: str
    old: str | None
    new: str | None


@attrs.frozen
class DeclarationChange:
    """A declaration ``added``, ``removed`` or ``changed`` (then with its field changes).

    An added declaration lists its fields as added; a removed one lists none.
    """

    layer: str
    kind: str
    name: str
    change: str
    fields: tuple[FieldChange, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}" if self.name else self.kind


@attrs.frozen
class FigureChange:
    """A key figure that differs between the two versions.

    ``kind`` says how to read the values: ``fte`` and ``count`` (exact numbers), ``money``
    (exact cents in ``unit``, the currency), ``month`` (``YYYY-MM`` labels; ``delta`` in
    months) or ``text`` (no delta). ``old`` is None for a figure that only the new version
    has (a new channel's FTE), ``new`` None for one that disappeared.
    """

    group: str
    key: str
    label: str
    kind: str
    unit: str
    old: Fraction | str | None
    new: Fraction | str | None
    delta: Fraction | None = None

    @property
    def change(self) -> str:
        if self.old is None:
            return "added"
        return "removed" if self.new is None else "changed"

    @property
    def direction(self) -> str | None:
        """``up`` or ``down`` (``later`` or ``earlier`` for months), None without a delta."""
        if self.delta is None or self.delta == 0:
            return None
        if self.kind == "month":
            return "later" if self.delta > 0 else "earlier"
        return "up" if self.delta > 0 else "down"


@attrs.frozen
class DiffReport:
    """What changed between two compiled blueprints, and what it changes in the figures."""

    old_name: str
    new_name: str
    declarations: tuple[DeclarationChange, ...]
    figures: tuple[FigureChange, ...]

    @property
    def design_changed(self) -> bool:
        return bool(self.declarations)

    @property
    def changed(self) -> bool:
        return bool(self.declarations or self.figures)

    def layer(self, layer: str) -> tuple[DeclarationChange, ...]:
        """The declaration changes of one layer."""
        return tuple(d for d in self.declarations if d.layer == layer)

    def group(self, group: str) -> tuple[FigureChange, ...]:
        """The figure changes of one group (``staffing``, ``costs``, ...)."""
        return tuple(f for f in self.figures if f.group == group)

    def figure(self, key: str) -> FigureChange | None:
        """The change of one figure by its key (``fte:voice``, ``npv``), None if unchanged."""
        return next((f for f in self.figures if f.key == key), None)


# -- declarations as keyed entries -------------------------------------------------------------


@attrs.frozen
class _Entry:
    """One field value (or one keyed item of a field): canonical form, written and canonical
    display."""

    canon: tuple[Any, ...]
    written: str
    text: str


@attrs.frozen
class _Decl:
    layer: str
    kind: str
    name: str
    entries: dict[str, _Entry]

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}" if self.name else self.kind


def _literal_words() -> frozenset[str]:
    words: set[str] = set()

    def slots(pattern: Iterable[S.Slot]) -> None:
        for slot in pattern:
            if isinstance(slot, S.Literal):
                words.add(slot.word)
            elif isinstance(slot, S.Optional):
                slots(slot.slots)

    def block(spec: schema.BlockSpec) -> None:
        if spec.map is not None:
            slots(spec.map.pattern)
        for field in spec.fields:
            slots(field.pattern)
            if field.block is not None:
                block(field.block)

    for declaration in schema.DECLARATIONS.values():
        block(declaration.block)
    return frozenset(words)


_LITERALS = _literal_words()


def _number(value: Fraction, places: int = 6) -> str:
    """A plain decimal (no grouping): exact when it terminates, else ``places`` decimals."""
    exact = _terminating(value)
    if exact is not None:
        return exact
    text = f"{Decimal(value.numerator) / Decimal(value.denominator):.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _terminating(value: Fraction) -> str | None:
    """The exact decimal of ``value``, or None when it does not terminate."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    scaled = value * 10**places
    assert scaled.denominator == 1
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    whole, frac = digits[: len(digits) - places], digits[len(digits) - places :]
    text = f"{whole}.{frac}".rstrip("0").rstrip(".") if places else whole
    return ("-" if value < 0 else "") + text


def _quantity_canon(value: QuantityValue) -> tuple[Any, ...]:
    return ("q", value.value, _dims(value.dims))


def _dims(dims: Dims) -> Dims:
    """A dimension without counting units in the numerator (``220 seats`` = ``220``)."""
    return tuple((b, e) for b, e in dims if not (e > 0 and b in _COUNTING))


def _duration(seconds: Fraction) -> str:
    """Seconds in the largest unit that writes them as a number of at least 1 with at most
    two decimals: ``4.5 min``, ``30 s``, ``1 day``, ``7 months``."""
    for unit, size in _TIME_UNITS:
        scaled = seconds / size
        text = _terminating(scaled)
        if abs(scaled) >= 1 and text is not None and (scaled * 100).denominator == 1:
            plural = "s" if unit in _PLURAL and scaled != 1 else ""
            return f"{text} {unit}{plural}"
    return f"{_number(seconds)} s"


@cache
def _example_unit(example: str, currency: str) -> tuple[str, UnitInfo] | None:
    """The unit of a schema example (``38 USD/h`` -> ``USD/h``), money in ``currency``."""
    match = _EXAMPLE.match(example)
    if match is None or not match.group(1):
        return None
    text = match.group(1)
    head, *per = text.split("/")
    if head and head.isupper() and len(head) == 3:
        head = currency
    info = interpret(head or None, tuple(per), {currency: Fraction(1)})
    if not isinstance(info, UnitInfo):
        return None
    return "/".join([head, *per]), info


def _join(number: str, unit: str) -> str:
    if not unit:
        return number
    return f"{number}{unit}" if unit.startswith(("/", "%")) else f"{number} {unit}"


def _quantity_text(value: QuantityValue, currency: str, example: str | None = None) -> str:
    """The canonical text of a quantity: a function of its value, dimension and field.

    Durations are written in the largest readable unit (:func:`_duration`); other
    quantities in the unit of the field's example in the schema (``loaded_cost`` in
    ``USD/h``, ``volume`` per month), money in the blueprint's currency; a rate that does
    not come out exactly per the example's time unit is written per the largest time
    unit that gives at most two decimals (``250000/year``).
    """
    dims = _dims(value.dims)
    if dims == (("time", 1),):
        return _duration(value.value)
    found = _example_unit(example, currency) if example is not None else None
    if found is not None and _dims(found[1].dims) == dims:
        unit, info = found
        scaled = value.value / info.factor
        if (scaled * 10**6).denominator == 1 or ("time", -1) not in dims:
            return _join(_number(scaled), unit)
    names = {"money": currency, "area": "sqft"}
    top = [names.get(b, b) for b, e in dims if e > 0 and b != "time"]
    bottom = [names.get(b, b) for b, e in dims if e < 0 and b != "time"]
    number = value.value * 100 if value.percent else value.value
    head = "%" if value.percent else ""
    time = sum(e for b, e in dims if b == "time")
    if time == -1:
        preferred = [w for w in (found[0].split("/")[1:] if found else []) if w in TIME_UNITS]
        candidates = [(w, TIME_UNITS[w]) for w in preferred[-1:]] + list(_TIME_UNITS)
        for unit, size in candidates:
            if (number * size * 100).denominator == 1 or unit == "s":
                number = number * size
                bottom.append(unit)
                break
    elif time:
        top.append(f"s^{time}")
    unit = head + (" " if head and top else "") + " ".join(top) + "".join(f"/{b}" for b in bottom)
    return _join(_number(number), unit)


def _days_text(days: tuple[int, ...]) -> str:
    ordered = sorted(set(days))
    if len(ordered) == 7:
        return "daily"
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{_DAYS[ordered[0]]}..{_DAYS[ordered[-1]]}"
    return "+".join(_DAYS[d] for d in ordered)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _value(
    value: Value, currency: str, example: str | None = None
) -> tuple[tuple[Any, ...], str, str]:
    """(canonical form, written text, canonical text) of one value; ``example`` is the
    schema's example of a quantity's slot."""
    if isinstance(value, QuantityValue):
        return _quantity_canon(value), value.written, _quantity_text(value, currency, example)
    if isinstance(value, RefValue):
        return ("r", value.kind, value.name), value.name, value.name
    if isinstance(value, WordValue):
        return ("w", value.word), value.word, value.word
    if isinstance(value, TextValue):
        text = json.dumps(value.text, ensure_ascii=False)
        return ("t", value.text), text, text
    if isinstance(value, DateValue):
        date = f"{value.year:04d}-{value.month:02d}"
        date += f"-{value.day:02d}" if value.day is not None else ""
        return ("d", value.year, value.month, value.day), date, date
    if isinstance(value, TimeRangeValue):
        times = f"{_clock(value.start)}-{_clock(value.end)}"
        return ("h", value.start, value.end), value.span.text or times, times
    days = _days_text(value.days)
    return ("days", tuple(sorted(set(value.days)))), value.span.text or days, days


def _key_length(values: tuple[Value, ...]) -> int:
    """How many leading values name the item (``span supervisor``, ``migrate voice to web``):
    references, words and days, without a trailing connecting word."""
    count = 0
    for value in values:
        if not isinstance(value, RefValue | WordValue | DaysValue):
            break
        count += 1
    while count and isinstance(last := values[count - 1], WordValue) and last.word in _LITERALS:
        count -= 1
    return count


def _entries(
    fields: tuple[FieldValue, ...], spec: schema.BlockSpec | None, currency: str, prefix: str = ""
) -> Iterator[tuple[str, _Entry]]:
    for field in fields:
        field_spec = spec.field(field.name) if spec is not None and spec.map is None else None
        keyed = (spec is not None and spec.map is not None) or (
            field_spec is not None and (field_spec.repeat or field_spec.many)
        )
        name = "" if spec is not None and spec.map is not None else field.name
        lengths = [_key_length(arg) for arg in field.args]
        items: list[tuple[str, tuple[tuple[Value, ...], ...]]]
        if keyed and field.args and all(lengths):
            items = []
            for arg, length in zip(field.args, lengths, strict=True):
                key = " ".join(_value(v, currency)[2] for v in arg[:length])
                items.append((" ".join(p for p in (name, key) if p), (arg[length:],)))
        else:
            items = [(name or field.name, field.args)]
        pattern: tuple[S.Slot, ...] = ()
        if spec is not None and spec.map is not None:
            pattern = spec.map.pattern
        elif field_spec is not None:
            pattern = field_spec.pattern
        for key, args in items:
            full = f"{prefix}{key}"
            if args and (args != ((),) or field.block is None):
                yield full, _entry(args, currency, _examples(pattern))
            if field.block is not None:
                nested = field_spec.block if field_spec is not None else None
                yield from _entries(field.block, nested, currency, f"{full} ")


def _examples(pattern: Iterable[S.Slot]) -> tuple[str, ...]:
    """The examples of a pattern's quantity slots, in order (optional slots included)."""
    result: list[str] = []
    for slot in pattern:
        if isinstance(slot, S.Qty):
            result.append(slot.example)
        elif isinstance(slot, S.Optional):
            result.extend(_examples(slot.slots))
    return tuple(result)


def _entry(
    args: tuple[tuple[Value, ...], ...], currency: str, examples: tuple[str, ...] = ()
) -> _Entry:
    parts = []
    for arg in args:
        part, count = [], 0
        for value in arg:
            example = None
            if isinstance(value, QuantityValue):
                example = examples[count] if count < len(examples) else None
                count += 1
            part.append(_value(value, currency, example))
        parts.append(part)
    canons = sorted((tuple(c for c, _, _ in part) for part in parts), key=repr)
    written = ", ".join(" ".join(w for _, w, _ in part) for part in parts)
    texts = sorted(" ".join(t for _, _, t in part) for part in parts)
    return _Entry(tuple(canons), written, ", ".join(texts))


def _unique(pairs: Iterable[tuple[str, _Entry]]) -> dict[str, _Entry]:
    result: dict[str, _Entry] = {}
    for key, entry in pairs:
        unique, count = key, 1
        while unique in result:
            count += 1
            unique = f"{key} #{count}"
        result[unique] = entry
    return result


def _declaration(declaration: Declaration, compilation: Compilation, currency: str) -> _Decl:
    symbol = declaration.symbol
    spec = symbol.spec
    assert spec is not None
    layer = _SCHEMA_LAYER.get(spec.layer, spec.layer)
    model = compilation.model
    if model is not None and symbol.name:
        element = model.get(m.Ref(symbol.kind, symbol.name))
        if element is not None and element.layer in LAYERS:
            layer = element.layer
    pairs: list[tuple[str, _Entry]] = []
    if spec.title_text:
        atoms = [a for arg in symbol.statement.args for a in arg.atoms]
        if atoms and isinstance(atoms[0], ast.Text):
            title = json.dumps(atoms[0].value, ensure_ascii=False)
            pairs.append(("title", _Entry(("t", atoms[0].value), title, title)))
    if declaration.extends is not None:
        base = declaration.extends
        pairs.append(("extends", _Entry(("r", base.kind, base.name), base.name, base.name)))
    pairs.extend(_entries(declaration.fields, spec.block, currency))
    return _Decl(layer, symbol.kind, symbol.name, _unique(pairs))


def _expr_text(expr: ast.Expr | ast.Atom) -> str:
    """A canonical text of an assertion: numbers normalised, spacing and parentheses fixed."""
    if isinstance(expr, ast.BinaryOp):
        return f"({_expr_text(expr.left)} {expr.op} {_expr_text(expr.right)})"
    if isinstance(expr, ast.UnaryOp):
        return f"({expr.op} {_expr_text(expr.operand)})"
    if isinstance(expr, ast.Call):
        args = ", ".join(" ".join(_expr_text(a) for a in arg.atoms) for arg in expr.args)
        return f"{expr.name}({args})"
    if isinstance(expr, ast.Quantity):
        return _join(f"{expr.value.normalize():f}", expr.unit.text if expr.unit else "")
    if isinstance(expr, ast.Name):
        return expr.text
    if isinstance(expr, ast.Date):
        day = f"-{expr.day:02d}" if expr.day is not None else ""
        return f"{expr.year:04d}-{expr.month:02d}{day}"
    if isinstance(expr, ast.Text):
        return json.dumps(expr.value, ensure_ascii=False)
    if isinstance(expr, ast.Clock):
        return _clock(expr.minutes)
    if isinstance(expr, ast.Range):
        return f"{_expr_text(expr.low)}..{_expr_text(expr.high)}"
    if isinstance(expr, ast.Group):
        inner = ", ".join(" ".join(_expr_text(a) for a in arg.atoms) for arg in expr.args)
        return f"({inner})"
    return expr.text


def _declarations(compilation: Compilation) -> dict[tuple[str, str], _Decl]:
    """The blueprint's own declarations (not the standard library's) and its assertions."""
    checked = compilation.checked
    if checked is None:
        return {}
    currency = checked.currency or ""
    result: dict[tuple[str, str], _Decl] = {}
    for declaration in checked.declarations:
        if declaration.symbol.is_std or declaration.symbol.spec is None:
            continue
        decl = _declaration(declaration, compilation, currency)
        result[(decl.kind, decl.name)] = decl
    for node, typed in zip(checked.asserts, checked.typed, strict=True):
        written = " ".join(node.span.text.split()[1:])
        canon = _assert_text(node.expr)
        layer = layer_of(typed).value
        entry = _Entry(("a", canon), written, canon)
        name, count = canon, 1
        while ("assert", name) in result:
            count += 1
            name = f"{canon} #{count}"
        result[("assert", name)] = _Decl(layer, "assert", name, {"": entry})
    return result


def _assert_text(expr: ast.Expr) -> str:
    """The canonical text of an assertion, without its outer parentheses."""
    text = _expr_text(expr)
    return text[1:-1] if isinstance(expr, ast.BinaryOp | ast.UnaryOp) else text


def _sort_key(decl: _Decl | DeclarationChange) -> tuple[int, str, str]:
    layer = LAYERS.index(decl.layer) if decl.layer in LAYERS else len(LAYERS)
    return layer, decl.kind, decl.name


def _diff_declarations(
    old: Mapping[tuple[str, str], _Decl], new: Mapping[tuple[str, str], _Decl]
) -> tuple[DeclarationChange, ...]:
    changes: list[DeclarationChange] = []
    for key in old.keys() | new.keys():
        before, after = old.get(key), new.get(key)
        if before is None and after is not None:
            fields = tuple(
                FieldChange(name, "added", None, e.written)
                for name, e in after.entries.items()
                if name
            )
            changes.append(DeclarationChange(after.layer, after.kind, after.name, "added", fields))
        elif after is None and before is not None:
            changes.append(DeclarationChange(before.layer, before.kind, before.name, "removed"))
        elif before is not None and after is not None:
            fields = _diff_entries(before.entries, after.entries)
            if fields:
                changes.append(
                    DeclarationChange(after.layer, after.kind, after.name, "changed", fields)
                )
    return tuple(sorted(changes, key=_sort_key))


def _diff_entries(old: Mapping[str, _Entry], new: Mapping[str, _Entry]) -> tuple[FieldChange, ...]:
    result: list[FieldChange] = []
    for name in old:
        if name not in new:
            result.append(FieldChange(name, "removed", old[name].written, None))
        elif old[name].canon != new[name].canon:
            before, after = old[name].written, new[name].written
            if before == after:  # written alike, worth different: 25 EUR at another rate
                before, after = old[name].text, new[name].text
            result.append(FieldChange(name, "changed", before, after))
    for name in new:
        if name not in old:
            result.append(FieldChange(name, "added", None, new[name].written))
    return tuple(result)


# -- key figures -------------------------------------------------------------------------------


@attrs.frozen
class _Figure:
    group: str
    label: str
    kind: str
    unit: str
    value: Fraction | str | tuple[tuple[str, str], ...]


def _fte(value: Any) -> Fraction:
    return Fraction(round(float(value) * 10)) / 10


def _month_label(grid: Grid, value: Fraction, end: bool = False) -> str:
    index = math.ceil(value) - 1 if end else math.floor(value)
    return grid.label(max(0, index))


class _Collector:
    """Collects the key figures of one compilation, by stable key, in report order."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.figures: dict[str, _Figure] = {}
        self.group = ""

    def add(self, key: str, label: str, kind: str, value: Any, unit: str = "") -> None:
        self.figures[key] = _Figure(self.group, label, kind, unit, value)

    def count(self, key: str, label: str, value: Any) -> None:
        self.add(key, label, "count", Fraction(int(value)))

    def fte(self, key: str, label: str, value: Any) -> None:
        self.add(key, label, "fte", _fte(value))

    def money(self, key: str, label: str, value: Fraction) -> None:
        self.add(key, label, "money", round(value, 2), self.currency)


def _figures(compilation: Compilation) -> dict[str, _Figure]:
    """Every key figure of a compiled blueprint, by a stable key."""
    model, result = compilation.model, compilation.outcome
    out = _Collector(model.blueprint.currency if model is not None else "")
    if result is not None:
        out.group = "staffing"
        headline, center = result.key, result.center
        peak = headline.peak_month
        if result.queues and result.months:
            out.add("peak_month", "peak month", "month", result.month(peak))
        for queue in result.queues:
            name = queue.name
            out.count(f"agents:{name}", f"peak agents {name}", queue.peak_agents.max(initial=0))
            out.fte(f"fte:{name}", f"FTE {name} (its peak month)", queue.fte_peak)
        if result.months and center is not None:
            out.fte("fte:agents", "agent FTE (peak month)", headline.agent_fte_at_peak)
            out.fte("fte:total", "total FTE (peak month)", center.total_fte[peak])
            busiest = center.peak_concurrent.max(initial=0)
            out.count("agents:concurrent", "agents logged in at the busiest interval", busiest)
        out.group = "seats"
        for site in result.sites:
            out.count(f"seats:{site.site}", f"seats {site.site}", site.needed)
        _planning_figures(out, result)
    if model is not None:
        out.group = "requirements"
        for requirement in model.of(m.Requirement):
            if not requirement.library:
                key, label = f"requirement:{requirement.name}", f"requirement {requirement.name}"
                out.add(key, label, "requirement", _requirement(requirement))
    out.group = "constraints"
    outcomes = compilation.assertions or {}
    for assertion in model.assertions if model is not None else ():
        if assertion.name in outcomes:
            holds = outcomes[assertion.name]
            outcome = "not evaluated" if holds is None else ("holds" if holds else "fails")
            text = _assert_text(assertion.expr)
            out.add(f"assert:{text}", f"assert {text}", "text", outcome)
    return out.figures


def _planning_figures(out: _Collector, outcome: Outcome) -> None:
    out.group = "costs"
    statement = outcome.statement
    for category, series in (("capex", statement.capex), ("opex", statement.opex)):
        for label, value in zip(statement.year_labels, series.years, strict=True):
            out.money(f"{category}:{label}", f"{category} {label}", value)
    out.money("npv", "NPV of the costs", outcome.key.npv)
    for option in outcome.options:
        for name in option.names:  # one option under several names keeps each name's figure
            out.money(f"npv:option:{name}", f"NPV of option {name}", option.npv)
    per_contact = outcome.key.cost_per_contact
    if per_contact is not None:
        out.money("cost_per_contact", "cost per contact", per_contact)
    for channel, value in outcome.channel_costs.items():
        out.money(f"cost_per_contact:{channel}", f"cost per contact {channel}", value)
    out.group = "plan"
    if outcome.plan is not None and outcome.grid is not None:
        for phase in outcome.plan.phases:
            for edge, value, end in (("start", phase.start, False), ("end", phase.end, True)):
                label = _month_label(outcome.grid, value, end)
                out.add(f"phase:{phase.name}:{edge}", f"phase {phase.name} {edge}", "month", label)
    out.group = "vendors"
    if outcome.ranking is not None:
        ranking = outcome.ranking
        order = ", ".join(f"{v.position}. {v.name}" for v in ranking.ranked)
        if ranking.excluded:
            order += "; excluded: " + ", ".join(e.name for e in ranking.excluded)
        out.add("ranking", "vendor ranking", "text", order or "none")


def _requirement(requirement: m.Requirement) -> tuple[tuple[str, str], ...]:
    fields = [
        ("priority", requirement.priority),
        ("category", requirement.category),
        ("mandatory", "yes" if requirement.mandatory else "no"),
        ("text", json.dumps(requirement.text, ensure_ascii=False)),
        ("acceptance", json.dumps(requirement.acceptance or "", ensure_ascii=False)),
        ("traces", ", ".join(sorted(r.name for r in requirement.traces))),
    ]
    return tuple(fields)


def _requirement_summary(fields: tuple[tuple[str, str], ...]) -> str:
    values = dict(fields)
    mandatory = ", mandatory" if values.get("mandatory") == "yes" else ""
    return f"{values['priority']}, {values['category']}{mandatory}"


def _month_number(label: str) -> int:
    year, month = label.split("-")[:2]
    return int(year) * 12 + int(month) - 1


def _diff_figures(old: Mapping[str, _Figure], new: Mapping[str, _Figure]) -> list[FigureChange]:
    changes: list[FigureChange] = []
    keys = list(old) + [k for k in new if k not in old]
    for key in keys:
        before, after = old.get(key), new.get(key)
        figure = after or before
        assert figure is not None
        if figure.kind == "requirement":
            changes.extend(_diff_requirement(key, before, after))
            continue
        old_value = before.value if before is not None else None
        new_value = after.value if after is not None else None
        unit_changed = before is not None and after is not None and before.unit != after.unit
        if old_value == new_value and not unit_changed:
            continue
        assert not isinstance(old_value, tuple) and not isinstance(new_value, tuple)
        delta: Fraction | None = None
        if isinstance(old_value, Fraction) and isinstance(new_value, Fraction):
            delta = None if unit_changed else new_value - old_value
        elif figure.kind == "month" and isinstance(old_value, str) and isinstance(new_value, str):
            delta = Fraction(_month_number(new_value) - _month_number(old_value))
        changes.append(
            FigureChange(
                figure.group,
                key,
                figure.label,
                figure.kind,
                figure.unit,
                old_value,
                new_value,
                delta,
            )
        )
    order = {g: i for i, g in enumerate(FIGURE_GROUPS)}
    return sorted(changes, key=lambda c: order.get(c.group, len(order)))


def _diff_requirement(
    key: str, before: _Figure | None, after: _Figure | None
) -> Iterator[FigureChange]:
    figure = after or before
    assert figure is not None
    old = before.value if before is not None else None
    new = after.value if after is not None else None
    assert not isinstance(old, Fraction | str) and not isinstance(new, Fraction | str)
    if old is None and new is not None:
        summary = _requirement_summary(new)
        yield FigureChange(figure.group, key, figure.label, "text", "", None, summary)
    elif new is None and old is not None:
        summary = _requirement_summary(old)
        yield FigureChange(figure.group, key, figure.label, "text", "", summary, None)
    elif old is not None and new is not None:
        before_fields, after_fields = dict(old), dict(new)
        for name, value in after_fields.items():
            if before_fields.get(name) != value:
                yield FigureChange(
                    figure.group,
                    f"{key}:{name}",
                    f"{figure.label} {name}",
                    "text",
                    "",
                    before_fields.get(name),
                    value,
                )


def semantic_diff(
    old: Compilation,
    new: Compilation,
    *,
    old_name: str | None = None,
    new_name: str | None = None,
) -> DiffReport:
    """Compare two compiled blueprints: declarations by layer, then the key figures.

    Both should have compiled without errors (``compilation.ok``); figures that a side
    does not have (it was compiled ``until="check"``) are simply not compared.
    """
    declarations = _diff_declarations(_declarations(old), _declarations(new))
    figures = _diff_figures(_figures(old), _figures(new))
    return DiffReport(
        old_name if old_name is not None else _entry_name(old),
        new_name if new_name is not None else _entry_name(new),
        declarations,
        tuple(figures),
    )


def _entry_name(compilation: Compilation) -> str:
    sources = compilation.sources
    return sources[0].path if sources else "<blueprint>"


# -- rendering ---------------------------------------------------------------------------------

_MARK = {"added": "+", "removed": "-", "changed": "~"}


def _show(kind: str, value: Fraction | str | None, unit: str) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return value
    if kind == "fte":
        return f"{float(value):.1f}"
    if kind == "money":
        return money(value, unit) if unit else money(value, "").strip()
    return f"{int(value):,}" if value.denominator == 1 else _number(value)


def _show_delta(figure: FigureChange) -> str:
    delta = figure.delta
    if figure.change == "added":
        return "new"
    if figure.change == "removed":
        return "gone"
    if delta is None:
        return ""
    sign = "+" if delta >= 0 else "-"
    if figure.kind == "month":
        months = abs(int(delta))
        return f"{sign}{months} month{'s' if months != 1 else ''}"
    return sign + _show(figure.kind, abs(delta), figure.unit)


def figure_line(figure: FigureChange) -> str:
    """``FTE voice (its peak month): 47.8 → 55.1 (+7.3)``."""
    old = _show(figure.kind, figure.old, figure.unit)
    new = _show(figure.kind, figure.new, figure.unit)
    delta = _show_delta(figure)
    return f"{figure.label}: {old} → {new}" + (f" ({delta})" if delta else "")


def _field_line(field: FieldChange, mark: bool = True) -> str:
    """``volume: 38_000/month → 45_000/month``, ``+ mix sms 10%``, ``- segments students``."""
    if field.change == "changed":
        return f"{field.field}: {field.old} → {field.new}"
    value = field.new if field.change == "added" else field.old
    text = f"{field.field} {value}" if value else field.field
    return f"{_MARK[field.change]} {text}" if mark else text


def render_text(report: DiffReport) -> str:
    """The report for people: changed declarations by layer, then changed figures.

    Exactly ``no design change`` when nothing differs.
    """
    if not report.changed:
        return NO_DESIGN_CHANGE + "\n"
    lines = [f"{report.old_name} → {report.new_name}", ""]
    if report.declarations:
        lines.append("Design changes")
        for layer in LAYERS:
            changes = report.layer(layer)
            if not changes:
                continue
            lines.append(f"  {layer}")
            for change in changes:
                label = change.label if change.kind != "assert" else f"assert {change.name}"
                lines.append(f"    {_MARK[change.change]} {label}")
                whole = change.change == "added"
                lines.extend(f"        {_field_line(f, not whole)}" for f in change.fields)
    else:
        lines.append(NO_DESIGN_CHANGE)
    if report.figures:
        lines += ["", "Consequences"]
        for group in FIGURE_GROUPS:
            figures = report.group(group)
            if figures:
                lines.append(f"  {group}")
                lines.extend(f"    {figure_line(f)}" for f in figures)
    elif report.declarations:
        lines += ["", "Consequences: no key figure changed"]
    return "\n".join(lines) + "\n"


def _json_value(kind: str, value: Fraction | str | None) -> Any:
    if value is None or isinstance(value, str):
        return value
    if kind == "money":
        return f"{Decimal(value.numerator) / Decimal(value.denominator):.2f}"
    if kind == "fte":
        return float(round(value, 1))
    if kind in ("count", "month"):
        return int(value) if value.denominator == 1 else float(value)
    return str(value)


def report_json(report: DiffReport) -> dict[str, Any]:
    """The JSON document of :func:`render_json`, as a dict."""
    layers = {
        layer: [
            {
                "kind": d.kind,
                "name": d.name,
                "change": d.change,
                "fields": [
                    {"field": f.field, "change": f.change, "old": f.old, "new": f.new}
                    for f in d.fields
                ],
            }
            for d in report.layer(layer)
        ]
        for layer in LAYERS
    }
    figures = [
        {
            "group": f.group,
            "key": f.key,
            "label": f.label,
            "kind": f.kind,
            "unit": f.unit or None,
            "change": f.change,
            "old": _json_value(f.kind, f.old),
            "new": _json_value(f.kind, f.new),
            "delta": _json_value("count" if f.kind == "month" else f.kind, f.delta),
            "direction": f.direction,
        }
        for f in report.figures
    ]
    return {
        "schema": JSON_SCHEMA,
        "version": JSON_SCHEMA_VERSION,
        "old": report.old_name,
        "new": report.new_name,
        "design_changed": report.design_changed,
        "changed": report.changed,
        "layers": layers,
        "figures": figures,
    }


def render_json(report: DiffReport) -> str:
    """The report for tools (schema ``blueprintc.diff``, version 1).

    ``layers`` maps each of the five layers to its declaration changes (``kind``, ``name``,
    ``change``, ``fields`` with values as written); ``figures`` lists the changed figures
    with ``old``, ``new`` and ``delta``: money as decimal strings with two decimals (exact
    cents, as in ``blueprintc cost --format json``), FTE and counts as numbers, months as
    ``YYYY-MM`` (``delta`` in months), text as strings; ``direction`` is ``up``/``down``
    (``later``/``earlier`` for months).
    """
    return figures_json(report_json(report))


def textconv_lines(compilation: Compilation) -> list[str]:
    """The canonical lines of one compiled blueprint (see :func:`textconv`)."""
    lines = [TEXTCONV_HEADER]
    for decl in sorted(_declarations(compilation).values(), key=_sort_key):
        head = f"[{decl.layer}] {decl.label}"
        if decl.kind == "assert":
            lines.append(f"[{decl.layer}] assert {decl.entries[''].text}")
            continue
        if not decl.entries:
            lines.append(head)
        for key in sorted(decl.entries):
            text = decl.entries[key].text
            lines.append(f"{head}: {key}" + (f" {text}" if text else ""))
    figures = _figures(compilation)
    if figures:
        lines.append("# key figures")
    for figure in figures.values():
        if figure.kind == "requirement":
            continue
        assert not isinstance(figure.value, tuple)
        lines.append(
            f"[{figure.group}] {figure.label}: {_show(figure.kind, figure.value, figure.unit)}"
        )
    return lines


# -- sides: files and git revisions ------------------------------------------------------------


class SideError(Exception):
    """A side cannot be read: a missing file, not a git repository, a bad revision."""

    def __init__(self, message: str, code: C.Code = C.REVISION_NOT_READABLE) -> None:
        super().__init__(message)
        self.code = code

    def diagnostic(self) -> Diagnostic:
        """The error as a diagnostic without a place (for ``--format json``)."""
        return Diagnostic(self.code, str(self), None, help=self.code.help)


@attrs.frozen
class Side:
    """A loaded side: what to compile, the name to show, and how to show its paths."""

    source: Path
    name: str
    tree: Path | None = None  # the folder a revision was materialised into
    revision: str | None = None
    text: bytes | None = None  # standard input's blueprint (``-``), compiled from the cwd

    def compile(self) -> Compilation:
        """The side compiled: its file, or the text read from standard input."""
        if self.text is not None:
            return compile(self.text, name=self.name)
        return compile(self.source)

    def show(self, text: str) -> str:
        """``text`` with the materialised folder's paths written as ``REV:path``."""
        if self.tree is None or self.revision is None:
            return text
        for prefix in {str(self.tree) + os.sep, str(self.tree.resolve()) + os.sep}:
            text = text.replace(prefix, f"{self.revision}:")
        return text


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as error:
        raise SideError(f"cannot run git: {error.strerror or error}") from error


def _git_error(result: subprocess.CompletedProcess[bytes]) -> str:
    message = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return message[0].removeprefix("fatal: ") if message else f"git exited with {result.returncode}"


def _toplevel(cwd: Path) -> Path:
    result = _git(["rev-parse", "--show-toplevel"], cwd)
    if result.returncode != 0:
        raise SideError(f"`{cwd}` is not in a git repository ({_git_error(result)})")
    return Path(result.stdout.decode("utf-8").strip())


def _relative_uses(data: bytes, name: str) -> list[str]:
    """The quoted paths of ``use "..."`` statements in a file (syntax errors ignored)."""
    module = parse(SourceFile(name, data.decode("utf-8-sig", "replace")), DiagnosticSink())
    paths = []
    for node in module.statements:
        if isinstance(node, ast.Statement) and node.keyword == "use" and len(node.args) == 1:
            atoms = node.args[0].atoms
            if len(atoms) == 1 and isinstance(atoms[0], ast.Text):
                paths.append(atoms[0].value)
    return paths


def materialise(entry: str, read: Callable[[str], bytes | None], tree: Path) -> Path:
    """Write ``entry`` (a ``/``-separated path) and every file it uses, transitively, into
    ``tree`` at the same relative paths; ``read`` returns a file's bytes or None.

    Files that cannot be read or that lie outside the tree are left out (compiling reports
    them where they are used). Returns the path of the entry in ``tree``.
    """
    seen: set[str] = set()
    pending = [entry]
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        data = read(path)
        if data is None:
            continue
        target = tree.joinpath(*path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        for used in _relative_uses(data, path):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), used))
            if not resolved.startswith("../") and not posixpath.isabs(resolved):
                pending.append(resolved)
    return tree.joinpath(*entry.split("/"))


def _revision_side(spec: str, cwd: Path, workdir: Path) -> Side:
    revision, _, path = spec.partition(":")
    if not path:
        raise SideError(
            f"`{spec}` names no file; write REV:path, such as HEAD~1:main.cxb", C.USAGE_ERROR
        )
    top = _toplevel(cwd)
    if path.startswith(("./", "../")):
        absolute = Path(os.path.normpath(cwd.resolve() / path))
        relative = os.path.relpath(absolute, top.resolve()).replace(os.sep, "/")
    else:
        relative = posixpath.normpath(path)
    if relative.startswith("../") or relative == "..":
        raise SideError(f"`{path}` is outside the git repository `{top}`")
    first = _git(["show", "--no-textconv", f"{revision}:{relative}"], top)
    if first.returncode != 0:
        raise SideError(f"cannot read `{spec}`: {_git_error(first)}")

    def read(name: str) -> bytes | None:
        if name == relative:
            return first.stdout
        result = _git(["show", "--no-textconv", f"{revision}:{name}"], top)
        return result.stdout if result.returncode == 0 else None

    workdir.mkdir(parents=True, exist_ok=True)
    entry = materialise(relative, read, workdir)
    return Side(entry, f"{revision}:{relative}", workdir, revision)


def _is_revision(spec: str, cwd: Path) -> bool:
    if ":" not in spec or (cwd / spec).exists():
        return False
    head = spec.partition(":")[0]
    return not (len(head) == 1 and head.isalpha() and os.name == "nt")  # C:\... on Windows


def _load_side(spec: str, cwd: Path, workdir: Path | None) -> Side:
    if _is_revision(spec, cwd):
        if workdir is None:
            workdir = Path(tempfile.mkdtemp(prefix="blueprintc-diff-"))
            atexit.register(shutil.rmtree, workdir, True)
        return _revision_side(spec, cwd, workdir)
    path = cwd / spec
    if not path.exists():
        raise SideError(f"no such file: `{spec}`", C.FILE_NOT_FOUND)
    if path.is_dir():
        raise SideError(f"cannot read `{spec}`: it is a folder", C.UNREADABLE)
    return Side(path, spec)


def load_side(
    spec: str, cwd: str | os.PathLike[str] | None = None, workdir: Path | None = None
) -> tuple[str | Path, str]:
    """(what to compile, display name) of a side: a file path or ``REV:path``.

    A file path is returned as a ``Path`` (relative paths from ``cwd``, default the working
    directory). A revision is materialised with ``git show`` (see the module's notes) into
    ``workdir`` (default: a temporary folder removed at exit) and returned as the path of
    its entry there, named ``REV:path``. Raises :class:`SideError` when the side cannot be
    read.
    """
    side = _load_side(spec, Path(cwd) if cwd is not None else Path.cwd(), workdir)
    return side.source, side.name


# -- textconv ----------------------------------------------------------------------------------

_MISSING_MODULE = frozenset({C.MODULE_NOT_FOUND.id})


def textconv(path: str | os.PathLike[str], *, cwd: str | os.PathLike[str] | None = None) -> str:
    """One blueprint as canonical lines, for ``git config diff.cxb.textconv``.

    Lines are ``[layer] kind name: field value``, sorted, values in canonical units (a
    function of the value, not of how it is written), followed by the key figures
    (``[costs] NPV of the costs: ...``). Raises :class:`SideError` when the file cannot be
    read; a file that does not compile is shown as its text (see the module's notes).
    """
    return _textconv(Path(path), Path(cwd) if cwd is not None else Path.cwd())


def _textconv(path: Path, base: Path) -> str:
    file = base / path
    if not file.is_file():
        if not file.exists():
            raise SideError(f"no such file: `{path}`", C.FILE_NOT_FOUND)
        raise SideError(f"`{path}` is a folder", C.UNREADABLE)
    compilation = compile(file)
    if not compilation.ok and _missing_modules(compilation.diagnostics):
        compilation = _worktree_fallback(file, base) or compilation
    if not compilation.entry_readable:
        raise SideError(f"cannot read `{path}`", C.UNREADABLE)
    if not compilation.ok:
        text = file.read_bytes().decode("utf-8-sig", "replace")
        return "\n".join([TEXTCONV_HEADER, NOT_COMPILED, *text.splitlines()]) + "\n"
    return "\n".join(textconv_lines(compilation)) + "\n"


def _missing_modules(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.code.id in _MISSING_MODULE for d in diagnostics)


def _worktree_fallback(file: Path, cwd: Path) -> Compilation | None:
    """Compile a copy that git made of an old version, with the files it uses taken from
    the working tree's file of the same name (the first that compiles)."""
    try:
        top = _toplevel(cwd)
    except SideError:
        return None
    if file.resolve().is_relative_to(top.resolve()):
        return None  # a file of the working tree: its uses are really missing
    listed = _git(["ls-files", "-z", "--full-name"], top)
    if listed.returncode != 0:
        return None
    names = [n for n in listed.stdout.decode("utf-8", "replace").split("\0") if n]
    candidates = sorted(n for n in names if posixpath.basename(n) == file.name)[:3]
    data = file.read_bytes()
    for candidate in candidates:

        def read(name: str, candidate: str = candidate) -> bytes | None:
            if name == candidate:
                return data
            try:
                return top.joinpath(*name.split("/")).read_bytes()
            except OSError:
                return None

        with tempfile.TemporaryDirectory(prefix="blueprintc-textconv-") as tmp:
            compilation = compile(materialise(candidate, read, Path(tmp)))
        if compilation.ok:
            return compilation
    return None


# -- the command -------------------------------------------------------------------------------


def run_diff(
    old_spec: str,
    new_spec: str | None,
    format: str = "text",
    textconv: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
    *,
    exit_code: bool = False,
    cwd: str | os.PathLike[str] | None = None,
    colour: bool = False,
    stdin: Callable[[], bytes] | None = None,
) -> int:
    """The body of ``blueprintc diff OLD NEW [--format text|json] [--exit-code]`` and of
    ``blueprintc diff --textconv FILE`` (then ``new_spec`` is None).

    One side may be ``-``: the blueprint read from ``stdin`` (default: standard input),
    named ``<stdin>``, its ``use`` paths relative to the working directory.

    Exit codes: 0 a report was written (changes or not, like ``git diff``; with
    ``exit_code`` 1 when something changed), 1 a side does not compile (its diagnostics
    go to ``err``), 2 a side cannot be read (missing file, not a repository, bad revision)
    or the arguments do not fit. With ``--format json`` every outcome is one JSON document
    on ``out`` (see :mod:`blueprintc.render.answer`).
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    base = Path(cwd) if cwd is not None else Path.cwd()
    if format not in ("text", "json"):
        err.write(f"blueprintc: unknown format `{format}` (text or json)\n")
        return EXIT_USAGE
    as_json = format == "json"
    if textconv != (new_spec is None) or (textconv and as_json):
        usage = "diff needs OLD and NEW"
        if textconv:
            usage = "--textconv takes one FILE, and prints text for git (not JSON)"
        return _refuse(usage_diagnostic(usage, command=Command.DIFF), as_json, out, err)
    if old_spec == new_spec == STDIN or (textconv and old_spec == STDIN):
        usage = "only one side can be standard input (-), and not with --textconv"
        return _refuse(usage_diagnostic(usage, command=Command.DIFF), as_json, out, err)
    with tempfile.TemporaryDirectory(prefix="blueprintc-diff-") as tmp:
        try:
            if textconv:
                side = _load_side(old_spec, base, Path(tmp) / "side")
                out.write(side.show(_textconv(side.source, base)))
                return EXIT_OK
            assert new_spec is not None
            old = _either_side(old_spec, base, Path(tmp) / "old", stdin)
            new = _either_side(new_spec, base, Path(tmp) / "new", stdin)
        except SideError as error:
            return _refuse(error.diagnostic(), as_json, out, err)
        compiled = [(side, side.compile()) for side in (old, new)]
    for side, compilation in compiled:
        if not compilation.entry_readable:
            if as_json:
                out.write(side.show(answer_json(Command.DIFF, compilation.diagnostics)))
                return EXIT_USAGE
            return _refuse(usage_diagnostic(f"cannot read `{side.name}`"), False, out, err)
    failed = [(side, c) for side, c in compiled if not c.ok]
    if any(c.planning is None for _, c in failed):
        _report_failures(failed, format, out, err, colour)
        return EXIT_ERRORS
    # Errors that leave the figures whole (seats short): the diff is shown beside them.
    report = semantic_diff(compiled[0][1], compiled[1][1], old_name=old.name, new_name=new.name)
    if as_json:
        warnings = [d for _, c in compiled for d in c.diagnostics]
        out.write(_shown(answer_json(Command.DIFF, warnings, report_json(report)), (old, new)))
    else:
        if failed:
            _report_failures(failed, format, out, err, colour)
        out.write(render_text(report))
    if failed:
        return EXIT_ERRORS
    return EXIT_CHANGES if exit_code and report.changed else EXIT_OK


def _refuse(diagnostic: Diagnostic, as_json: bool, out: TextIO, err: TextIO) -> int:
    """Report arguments that do not fit or a side that cannot be read; exit code 2."""
    if as_json:
        out.write(answer_json(Command.DIFF, [diagnostic]))
    else:
        err.write(f"blueprintc: {diagnostic.message}\n")
    return EXIT_USAGE


def _either_side(spec: str, base: Path, workdir: Path, stdin: Callable[[], bytes] | None) -> Side:
    """A file or revision side, or for ``-`` the blueprint on standard input."""
    if spec != STDIN:
        return _load_side(spec, base, workdir)
    try:
        text = stdin() if stdin is not None else read_stdin(MAX_INPUT_BYTES)
    except StdinError as error:
        raise SideError(str(error), C.UNREADABLE) from error
    return Side(base, STDIN_NAME, text=text)


def _shown(text: str, sides: Iterable[Side]) -> str:
    """``text`` with each side's materialised paths written as ``REV:path``."""
    for side in sides:
        text = side.show(text)
    return text


def _report_failures(
    failed: Sequence[tuple[Side, Compilation]],
    format: str,
    out: TextIO,
    err: TextIO,
    colour: bool = False,
) -> None:
    if format == "json":
        diagnostics = [d for _, c in failed for d in c.diagnostics]
        names = [side.name for side, _ in failed]
        text = answer_json(Command.DIFF, diagnostics, failed=names)
        out.write(_shown(text, (side for side, _ in failed)))
        return
    for side, compilation in failed:
        err.write(f"blueprintc: `{side.name}` does not compile\n")
        shown = Shown.of(compilation.diagnostics)
        for diagnostic in shown.diagnostics:
            err.write(side.show(render_diagnostic(diagnostic, colour=colour)) + "\n\n")
        if omitted := shown.line():
            err.write(f"{omitted}\n")
        summary = render_summary(compilation.diagnostics)
        if summary:
            err.write(f"{summary}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m blueprintc.semdiff OLD NEW`` or ``--textconv FILE`` (as ``blueprintc diff``)."""
    parser = argparse.ArgumentParser(
        prog="blueprintc diff", description="Compare what two blueprints mean."
    )
    parser.add_argument("old", metavar="OLD", help="a .cxb file or REV:path")
    parser.add_argument("new", metavar="NEW", nargs="?", help="a .cxb file or REV:path")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--textconv", action="store_true", help="print one file's canonical lines")
    parser.add_argument("--exit-code", action="store_true", help="exit with 1 when it changed")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    return run_diff(
        args.old,
        args.new,
        args.format,
        args.textconv,
        sys.stdout,
        sys.stderr,
        exit_code=args.exit_code,
    )


if __name__ == "__main__":
    sys.exit(main())
