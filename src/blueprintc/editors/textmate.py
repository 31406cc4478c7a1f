"""The TextMate grammar of blueprints (``source.cxb``), generated from the schema.

VS Code (``editors/vscode/``), and every editor that reads TextMate grammars, highlights
``.cxb`` files with it. Regenerate it after changing the schema::

    python -m blueprintc.editors.textmate > editors/vscode/syntaxes/cxb.tmLanguage.json

It follows the shape the Pygments lexer (:mod:`blueprintc.pygments_lexer`) tracks: the
first word of a statement is a declaration keyword at the top level and a field (or a map
entry's key) inside a block; a statement ends at a line break, a ``;`` or after its block,
and a list continues on the next line after a trailing comma. A word right after a number
is that number's unit. Declaration keywords, field names, unit words, assertion functions,
day and month names come from :mod:`blueprintc.semantic`, so the grammar cannot drift from
the compiler (a test compares the committed file with this output).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any

from blueprintc.semantic import figures, schema, slots, units

__all__ = ["SCOPE_NAME", "Scope", "field_names", "grammar", "render"]

SCOPE_NAME = "source.cxb"

Rule = dict[str, Any]


class Scope(StrEnum):
    """The scope of every token the grammar gives (``meta.*`` scopes only group them)."""

    COMMENT_LINE = "comment.line.double-slash.cxb"
    COMMENT_BLOCK = "comment.block.cxb"
    COMMENT_PUNCTUATION = "punctuation.definition.comment.cxb"
    STRING = "string.quoted.double.cxb"
    STRING_BEGIN = "punctuation.definition.string.begin.cxb"
    STRING_END = "punctuation.definition.string.end.cxb"
    ESCAPE = "constant.character.escape.cxb"
    DATE = "constant.numeric.date.cxb"
    TIME = "constant.numeric.time.cxb"
    NUMBER = "constant.numeric.cxb"
    PERCENT = "keyword.other.unit.percentage.cxb"
    UNIT_TIME = "keyword.other.unit.time.cxb"
    UNIT_COUNT = "keyword.other.unit.count.cxb"
    UNIT_CURRENCY = "keyword.other.unit.currency.cxb"
    UNIT = "keyword.other.unit.cxb"
    UNIT_PER = "keyword.other.unit.per.cxb"
    DECLARATION = "storage.type.declaration.cxb"
    DECLARED_NAME = "entity.name.type.cxb"
    FIELD = "entity.other.attribute-name.field.cxb"
    KEY = "entity.other.attribute-name.key.cxb"
    USE = "keyword.control.import.cxb"
    MODULE = "entity.name.namespace.module.cxb"
    ASSERT = "keyword.control.assert.cxb"
    ALLOW = "keyword.other.allow.cxb"
    BECAUSE = "keyword.other.because.cxb"
    EXTENDS = "storage.modifier.extends.cxb"
    LOGICAL = "keyword.operator.logical.cxb"
    CODE = "constant.other.diagnostic-code.cxb"
    DAY = "constant.language.day.cxb"
    MONTH = "constant.language.month.cxb"
    FUNCTION = "support.function.builtin.cxb"
    OTHER_FUNCTION = "entity.name.function.cxb"
    NAMESPACE = "entity.name.namespace.cxb"
    ACCESSOR = "punctuation.accessor.dot.cxb"
    NAME = "variable.other.cxb"
    RANGE = "keyword.operator.range.cxb"
    COMPARISON = "keyword.operator.comparison.cxb"
    ARITHMETIC = "keyword.operator.arithmetic.cxb"
    COMMA = "punctuation.separator.comma.cxb"
    TERMINATOR = "punctuation.terminator.statement.cxb"
    BLOCK_BEGIN = "punctuation.section.block.begin.cxb"
    BLOCK_END = "punctuation.section.block.end.cxb"
    PAREN_BEGIN = "punctuation.section.parens.begin.cxb"
    PAREN_END = "punctuation.section.parens.end.cxb"
    BOM = "punctuation.whitespace.byte-order-mark.cxb"
    INVALID = "invalid.illegal.character.cxb"


_WORD = r"[A-Za-z_][A-Za-z0-9_]*"
# The end of a whole name: no further name character and no `.name` continuing it.
_END = r"(?![A-Za-z0-9_]|\.[A-Za-z_])"
# Where a statement ends: before `;` or the `}` closing its block, after its own block,
# or at the end of the line (a trailing comma or an open comment carries it over).
_STATEMENT_END = r"(?=[;}])|(?<=\})|$"


def _one_of(words: Iterable[str]) -> str:
    """A regex matching one of ``words`` as a whole name (longest first)."""
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    return r"\b(?:" + "|".join(ordered) + ")" + _END


def field_names() -> list[str]:
    """Every field of every block of the schema, nested blocks included, sorted."""
    names: set[str] = set()
    pending = [spec.block for spec in schema.DECLARATIONS.values()]
    while pending:
        block = pending.pop()
        for spec in block.fields:
            names.add(spec.name)
            if spec.block is not None:
                pending.append(spec.block)
    return sorted(names)


_KEYWORD = _one_of((*schema.KEYWORDS, "because", "allow"))
_UNIT_WORD = rf"(?!{_KEYWORD}){_WORD}{_END}"
_NUMBER = r"[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[kMB](?![A-Za-z0-9_]))?"
# What may follow a number as its unit: `%` or a word, then `/word`s (`USD / seat / month`).
_UNIT = rf"(?:[ \t]*(?:%|{_UNIT_WORD}))?(?:[ \t]*/[ \t]*{_UNIT_WORD})*"


def _match(regex: str, scope: Scope) -> Rule:
    return {"match": regex, "name": str(scope)}


def _captures(*scopes: Scope | Rule | None) -> dict[str, Rule]:
    """TextMate captures, numbered from 1; ``None`` leaves a group unscoped."""
    out: dict[str, Rule] = {}
    for number, scope in enumerate(scopes, start=1):
        if isinstance(scope, Scope):
            out[str(number)] = {"name": str(scope)}
        elif scope is not None:
            out[str(number)] = scope
    return out


def _include(*names: str) -> list[Rule]:
    return [{"include": f"#{name}"} for name in names]


def _statement(begin: str, captures: dict[str, Rule], *patterns: str) -> Rule:
    """A statement: its first word(s), then ``patterns`` up to where a statement ends."""
    return {
        "name": "meta.statement.cxb",
        "begin": begin,
        "beginCaptures": captures,
        "end": _STATEMENT_END,
        "patterns": _include(*patterns, "arguments"),
    }


def _words(words: Iterable[str], scope: Scope) -> Rule:
    return _match(_one_of(words), scope)


def _repository() -> Iterator[tuple[str, Rule]]:
    yield (
        "comments",
        {
            "patterns": [
                {
                    "name": str(Scope.COMMENT_LINE),
                    "match": r"(//).*",
                    "captures": _captures(Scope.COMMENT_PUNCTUATION),
                },
                {
                    "name": str(Scope.COMMENT_BLOCK),
                    "begin": r"/\*",
                    "end": r"\*/",
                    "beginCaptures": {"0": {"name": str(Scope.COMMENT_PUNCTUATION)}},
                    "endCaptures": {"0": {"name": str(Scope.COMMENT_PUNCTUATION)}},
                },
            ]
        },
    )
    yield (
        "string",
        {
            # A text ends on its line, as in the compiler (an unclosed one is an error).
            "name": str(Scope.STRING),
            "begin": '"',
            "end": '(")|$',
            "beginCaptures": {"0": {"name": str(Scope.STRING_BEGIN)}},
            "endCaptures": _captures(Scope.STRING_END),
            "patterns": [_match(r"\\.", Scope.ESCAPE)],
        },
    )
    yield (
        "quantity",
        {
            "match": f"({_NUMBER})({_UNIT})",
            "captures": _captures(Scope.NUMBER, {"patterns": _include("unit")}),
        },
    )
    yield (
        "unit",
        {
            "patterns": [
                _match("%", Scope.PERCENT),
                _match("/", Scope.UNIT_PER),
                _words(units.TIME_UNITS, Scope.UNIT_TIME),
                _words(units.COUNT_UNITS, Scope.UNIT_COUNT),
                _match(r"\b[A-Z]{3}\b", Scope.UNIT_CURRENCY),
                _match(_WORD, Scope.UNIT),
            ]
        },
    )
    yield (
        "continuation",
        {
            # After a comma a list may go on on the next line (past comments).
            "begin": ",",
            "end": r"(?=[^\s/]|/[^/*])",
            "beginCaptures": {"0": {"name": str(Scope.COMMA)}},
            "patterns": _include("comments"),
        },
    )
    yield (
        "block",
        {
            "name": "meta.block.cxb",
            "begin": r"\{",
            "end": r"\}",
            "beginCaptures": {"0": {"name": str(Scope.BLOCK_BEGIN)}},
            "endCaptures": {"0": {"name": str(Scope.BLOCK_END)}},
            "patterns": _include(
                "comments",
                "terminator",
                "assert-statement",
                "use-statement",
                "allow-statement",
                "field-statement",
                "arguments",
            ),
        },
    )
    yield ("terminator", _match(";", Scope.TERMINATOR))
    qualified = {"patterns": _include("qualified", "name")}
    yield (
        "declaration",
        _statement(
            rf"({_one_of(schema.DECLARATIONS)})(?:[ \t]+(?!{_KEYWORD})({_WORD}){_END})?",
            _captures(Scope.DECLARATION, Scope.DECLARED_NAME),
        ),
    )
    yield (
        "top-level-statement",
        _statement(rf"\b((?:{_WORD}\.)*{_WORD}){_END}", _captures(qualified)),
    )
    yield (
        "field-statement",
        _statement(
            rf"({_one_of(field_names())})|\b((?:{_WORD}\.)*{_WORD}){_END}",
            _captures(
                Scope.FIELD, {"patterns": [*_include("qualified"), _match(_WORD, Scope.KEY)]}
            ),
        ),
    )
    yield (
        "use-statement",
        _statement(
            rf"\b(use){_END}(?:[ \t]+({_WORD}(?:/{_WORD})*){_END})?",
            _captures(Scope.USE, Scope.MODULE),
        ),
    )
    yield (
        "assert-statement",
        _statement(rf"\b(assert){_END}", _captures(Scope.ASSERT), "function-call"),
    )
    yield ("allow-statement", _statement(rf"\b(allow){_END}", _captures(Scope.ALLOW)))
    yield (
        "function-call",
        {
            "patterns": [
                _match(
                    rf"{_one_of(figures.BY_NAME)}(?=[ \t]*\()",
                    Scope.FUNCTION,
                ),
                _match(rf"(?!{_KEYWORD})\b{_WORD}(?=[ \t]*\()", Scope.OTHER_FUNCTION),
            ]
        },
    )
    yield (
        "arguments",
        {
            "patterns": [
                *_include("comments", "continuation", "block", "string"),
                _match(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?(?![0-9])", Scope.DATE),
                _match(r"[0-9]{1,2}:[0-9]{2}(?![0-9])", Scope.TIME),
                *_include("quantity", "keywords"),
                _match(rf"\bCXB[0-9]+{_END}", Scope.CODE),
                _words((*slots.DAY_NAMES, "daily"), Scope.DAY),
                _words(slots.MONTH_NAMES, Scope.MONTH),
                *_include("qualified", "name"),
                _match(r"\.\.", Scope.RANGE),
                _match(r"<=|>=|==|!=|<|>", Scope.COMPARISON),
                _match(r"[-+*/%]", Scope.ARITHMETIC),
                _match(r"\(", Scope.PAREN_BEGIN),
                _match(r"\)", Scope.PAREN_END),
                _match(r"[^\s;}]", Scope.INVALID),
            ]
        },
    )
    yield (
        "keywords",
        {
            "patterns": [
                _words(("and", "or", "not"), Scope.LOGICAL),
                _words(("extends",), Scope.EXTENDS),
                _words(("because",), Scope.BECAUSE),
                _words(("use",), Scope.USE),
                _words(("assert",), Scope.ASSERT),
                _words(("allow",), Scope.ALLOW),
            ]
        },
    )
    yield (
        "qualified",
        {
            "match": rf"({_WORD})(\.)(?=[A-Za-z_])",
            "captures": _captures(Scope.NAMESPACE, Scope.ACCESSOR),
        },
    )
    yield ("name", _match(_WORD, Scope.NAME))


def grammar() -> dict[str, Any]:
    """The grammar as the JSON object VS Code reads (``*.tmLanguage.json``)."""
    return {
        "name": "CXB",
        "scopeName": SCOPE_NAME,
        "fileTypes": ["cxb"],
        "comment": "Generated by `python -m blueprintc.editors.textmate`; do not edit.",
        "patterns": [
            _match("\ufeff", Scope.BOM),
            *_include("comments", "terminator", "assert-statement", "use-statement"),
            *_include("allow-statement", "declaration", "top-level-statement"),
            _match(r"\}", Scope.BLOCK_END),
            *_include("arguments"),
        ],
        "repository": dict(_repository()),
    }


def render() -> str:
    """The grammar file's text: stable JSON, two-space indented, ending with a newline."""
    return json.dumps(grammar(), indent=2, ensure_ascii=True) + "\n"


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
