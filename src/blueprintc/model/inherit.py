"""Effective fields of a declaration: its own fields over those it inherits with ``extends``.

A field given in a declaration replaces the inherited one as a whole, except in blocks of
entries keyed by a name (``mix``, ``aht``, ``score``, ...), ``option`` blocks and a
pattern's ``weekly`` and ``monthly`` weights, which are merged entry by entry (the
declaration's entries win), and ``allow``, which accumulates. A ``label`` is never
inherited: it names one declaration. Each field remembers the :class:`Origin` that
supplied it.
"""

from __future__ import annotations

from collections.abc import Mapping

from blueprintc.model.elements import Origin
from blueprintc.semantic.check import Declaration
from blueprintc.semantic.schema import DECLARATIONS
from blueprintc.semantic.symbols import Symbol
from blueprintc.semantic.values import FieldValue, WordValue

Fields = dict[str, list[FieldValue]]
_MERGED_LISTS = {("weekly", "pattern"), ("monthly", "pattern")}


def chain(declaration: Declaration, by_symbol: Mapping[Symbol, Declaration]) -> list[Declaration]:
    """The declaration and its ancestors, nearest first (cycles were reported and cut)."""
    result = [declaration]
    current = declaration.extends
    while current is not None and current in by_symbol and by_symbol[current] not in result:
        result.append(by_symbol[current])
        current = by_symbol[current].extends
    return result


def effective(
    declaration: Declaration, by_symbol: Mapping[Symbol, Declaration]
) -> tuple[Fields, dict[str, Origin]]:
    """Merged fields and the origin of each."""
    fields: Fields = {}
    origins: dict[str, Origin] = {}
    ancestors = chain(declaration, by_symbol)
    spec = DECLARATIONS[declaration.symbol.kind].block
    for source in reversed(ancestors):
        own: Fields = {}
        for value in source.fields:
            own.setdefault(value.name, []).append(value)
        via = "declared" if source is declaration else f"inherited from {source.symbol.name}"
        for name, values in own.items():
            if name == "label" and source is not declaration:
                continue  # a label names one declaration, not those extending it
            field = spec.field(name)
            keyed = field is not None and field.block is not None and field.block.map is not None
            if name == "allow" or (name, declaration.symbol.kind) in _MERGED_LISTS:
                # Later entries win when the weights are read (see FieldReader).
                fields[name] = fields.get(name, []) + values
            elif keyed and name in fields:
                fields[name] = [_merge_entries(fields[name][0], values[0])]
            elif name == "option" and name in fields:
                fields[name] = _merge_options(fields[name], values)
            else:
                fields[name] = values
            origins[name] = Origin(values[0].span, via, tuple(fields[name]), source.symbol.is_std)
    return fields, origins


def _merge_entries(old: FieldValue, new: FieldValue) -> FieldValue:
    entries = {entry.name: entry for entry in old.block or ()}
    entries.update({entry.name: entry for entry in new.block or ()})
    return FieldValue(new.name, new.args, new.span, tuple(entries.values()))


def _merge_options(old: list[FieldValue], new: list[FieldValue]) -> list[FieldValue]:
    def model(value: FieldValue) -> str:
        word = value.first[0] if value.first else None
        return word.word if isinstance(word, WordValue) else ""

    merged = {model(v): v for v in old}
    merged.update({model(v): v for v in new})
    return list(merged.values())
