"""A Pygments lexer for blueprints (``.cxb``), for documentation, web pages and editors.

The lexer follows the grammar (``grammar/cxb.lark``) and the lowering of atoms
(:mod:`blueprintc.syntax.lower`) but needs neither: it imports only Pygments and the
standard library, so it highlights files that do not compile and loads fast when Pygments
scans its plugins. It is registered as a plugin through the ``pygments.lexers`` entry point
(``cxb = "blueprintc.pygments_lexer:CxbLexer"``).

Token types:

========================  ================================================================
``Keyword.Declaration``   a declaration keyword starting a top-level statement
                          (``segment``, ``channel``, ...)
``Keyword``               ``use``, ``assert``, ``extends``, ``because``, ``and``, ``or``,
                          ``not`` anywhere; ``allow`` starting a statement
``Name.Attribute``        the name starting a statement inside a block: a field
                          (``share``), or a map entry's key (``voice`` in ``mix { ... }``)
``Name.Namespace``        the qualifier of a dotted reference (``std`` in ``std.voice``)
                          and a module after ``use`` (``std/channels``)
``Name.Function``         the function called in an ``assert`` (``occupancy(voice)``)
``Name.Constant``         day and month names and ``daily`` (``mon..fri``, ``jan``)
``Name.Label``            a diagnostic code (``CXB0516`` in ``allow CXB0516 because ...``)
``Name``                  every other name
``Number``                a number (``38_000``, ``4.5``, ``1.1M``)
``Keyword.Type``          the unit right after a number, with its ``/`` chain: ``min``,
                          ``%``, ``USD/seat/month``, ``/month``, ``%/year``.  A unit fixes
                          the kind of a quantity the way a type does, and ``Keyword.Type``
                          is styled apart from names in every standard Pygments style.
``Literal.Date``          a date (``2027-01``, ``2027-01-15``) or a time of day
                          (``08:00``); a time range is two times around an ``Operator``
``String``                a text; ``String.Escape`` for ``\\"``, ``\\\\``, ``\\n``, ...
``Comment.Single``        ``// ...``; ``Comment.Multiline`` for ``/* ... */``
``Operator``              ``..``, ``-``, ``+``, ``*``, ``/``, ``%`` (outside a unit) and
                          the comparisons ``<= >= == != < >``
``Punctuation``           ``{ } ( ) , ;`` and the ``.`` of a dotted reference
``Whitespace``            spaces, tabs and line breaks
========================  ================================================================

What the lexer tracks is the shape of a statement: the first word of a statement is a
declaration keyword at the top level and a field inside a block; a statement ends at a line
break, a ``;`` or its block, and a list continues on the next line after a trailing comma.
A word right after a number is that number's unit, as in the compiler (except the reserved
words). Valid input never yields ``Error`` tokens; a character the language does not allow
(such as a typographic quote) does.

The word lists below are the language's own: the tests compare them with
:mod:`blueprintc.semantic.schema` and :mod:`blueprintc.semantic.slots`, so they cannot
drift. They are copied rather than imported because importing the schema costs more than
the whole of Pygments' lexer machinery and would tie highlighting to a compiler that is
being edited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from pygments.lexer import RegexLexer, bygroups, default, include
from pygments.token import (
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

__all__ = [
    "DAYS",
    "DECLARATIONS",
    "KEYWORDS",
    "MONTHS",
    "CxbLexer",
]

#: Declaration keywords, in the order of ``blueprintc.semantic.schema.DECLARATIONS``.
DECLARATIONS = (
    "blueprint",
    "brand",
    "segment",
    "service",
    "process",
    "outbound",
    "channel",
    "pattern",
    "site",
    "staffing",
    "budget",
    "component",
    "phase",
    "requirement",
    "criterion",
    "vendor",
    "practice",
    "maturity",
    "system",
    "baseline",
    "benefit",
    "risk",
)
#: Reserved words (``blueprintc.semantic.schema.KEYWORDS``) and ``because``, the
#: connecting word of ``allow CODE because "reason"``.
KEYWORDS = ("use", "assert", "extends", "and", "or", "not", "because")
#: ``blueprintc.semantic.slots.DAY_NAMES`` and ``daily``.
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun", "daily")
#: ``blueprintc.semantic.slots.MONTH_NAMES``.
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# bygroups is untyped in types-Pygments; give it a type once instead of at every call.
_groups: Callable[..., Any] = bygroups

_WORD = r"[A-Za-z_][A-Za-z0-9_]*"
# The end of a whole name: no further name character and no `.name` continuing it.
_END = r"(?![A-Za-z0-9_]|\.[A-Za-z_])"
# Spaces inside a statement (a line break ends the statement).
_SPACE = r"[ \t\f\r]"


def _one_of(names: Iterable[str]) -> str:
    """A regex matching one of ``names`` as a whole name."""
    return "(?:" + "|".join(sorted(names, key=lambda n: (-len(n), n))) + ")" + _END


_KEYWORD = _one_of(KEYWORDS)
# A unit word: one part (a dotted name is never a unit) and not a reserved word.
_UNIT_WORD = rf"(?!{_KEYWORD}){_WORD}{_END}"
_UNIT_CHAIN = rf"(?:/{_UNIT_WORD})*"
# A qualifier and its dot: `std.` in `std.voice`.
_QUALIFIER = rf"({_WORD})(\.)(?=[A-Za-z_])"

# Comments may stand wherever a space may. An unclosed block comment runs to the end.
_COMMENTS: list[Any] = [
    (r"//[^\n]*", Comment.Single),
    (r"/\*[\s\S]*?(?:\*/|\Z)", Comment.Multiline),
]

# What every statement-start state shares (the top level and blocks).
_STATEMENT_START: list[Any] = [
    (r"[ \t\f\r\n]+", Whitespace),
    *_COMMENTS,
    (r";", Punctuation),
    (r"assert" + _END, Keyword, "expr"),
    (r"use" + _END, Keyword, "use"),
    (r"allow" + _END, Keyword, "args"),
    (_KEYWORD, Keyword, "args"),
]


class CxbLexer(RegexLexer):
    """Lexer for customer care center blueprints (``.cxb``)."""

    name = "CXB"
    aliases: ClassVar[list[str]] = ["cxb", "blueprintc"]
    filenames: ClassVar[list[str]] = ["*.cxb"]
    mimetypes: ClassVar[list[str]] = ["text/x-cxb"]

    tokens: ClassVar[dict[str, list[Any]]] = {
        # The start of a top-level statement.
        "root": [
            (r"\A\ufeff", Whitespace),  # a byte order mark, which the compiler drops
            *_STATEMENT_START,
            (_one_of(DECLARATIONS), Keyword.Declaration, "args"),
            (_QUALIFIER, _groups(Name.Namespace, Punctuation), ("args", "qualified")),
            (_WORD, Name, "args"),
            (r"\}", Punctuation),  # a stray brace: not ours to report
            default("args"),
        ],
        # The start of a statement inside a block: a field or a map entry.
        "block": [
            # `because` starting a statement is a field (`because chat` in a `benefit`);
            # the connecting word of `allow CODE because "..."` never starts one.
            (r"because" + _END, Name.Attribute, "args"),
            *_STATEMENT_START,
            (r"\}", Punctuation, "#pop"),
            (_QUALIFIER, _groups(Name.Namespace, Punctuation), ("args", "qualified")),
            (_WORD, Name.Attribute, "args"),
            default("args"),
        ],
        # The rest of a statement: its arguments, up to a line break, `;` or block.
        "args": [
            (_SPACE + "+", Whitespace),
            (r"\n", Whitespace, "#pop"),
            (r";", Punctuation, "#pop"),
            (r"\{", Punctuation, ("#pop", "block")),
            (r"\}", Punctuation, "#pop:2"),
            *_COMMENTS,
            (r",", Punctuation, "continuation"),
            (r'"[^"\\\n]*"', String),  # a text without escapes, as one token
            (r'"', String, "string"),
            (r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?(?![0-9])", Literal.Date),
            (r"[0-9]{1,2}:[0-9]{2}(?![0-9])", Literal.Date),
            (r"[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[kMB](?![A-Za-z0-9_]))?", Number, "unit"),
            (_KEYWORD, Keyword),
            (r"CXB[0-9]+" + _END, Name.Label),
            (_one_of(DAYS + MONTHS), Name.Constant),
            (_QUALIFIER, _groups(Name.Namespace, Punctuation), "qualified"),
            (_WORD, Name),
            (r"\.\.", Operator),
            (r"<=|>=|==|!=|<|>", Operator),
            (r"[-+*/%]", Operator),
            (r"[()]", Punctuation),
        ],
        # An `assert`: arguments plus function calls.
        "expr": [
            (
                rf"(?!{_KEYWORD})({_WORD})({_SPACE}*)(\()",
                _groups(Name.Function, Whitespace, Punctuation),
            ),
            include("args"),
        ],
        # After `use`: a standard library module (`std/channels`) or a quoted path.
        "use": [
            (_SPACE + "+", Whitespace),
            (rf"{_WORD}(?:/{_WORD})*{_END}", Name.Namespace, ("#pop", "args")),
            default(("#pop", "args")),
        ],
        # The rest of a dotted reference after its first `.`.
        "qualified": [
            (_QUALIFIER, _groups(Name.Namespace, Punctuation)),
            (_WORD, Name, "#pop"),
        ],
        # After a trailing comma a list may continue on the next line.
        "continuation": [
            (r"[ \t\f\r\n]+", Whitespace),
            *_COMMENTS,
            default("#pop"),
        ],
        # Right after a number: `%` or a unit word, then `/word`s (as one token when
        # written without spaces: `USD/seat/month`, `%/year`, `/month`).
        "unit": [
            (rf"({_SPACE}*)(%{_UNIT_CHAIN})", _groups(Whitespace, Keyword.Type), ("#pop", "per")),
            (
                rf"({_SPACE}*)({_UNIT_WORD}{_UNIT_CHAIN})",
                _groups(Whitespace, Keyword.Type),
                ("#pop", "per"),
            ),
            default(("#pop", "per")),
        ],
        # The `/word`s of a unit: `38_000/month`, `95 USD / seat / month`.
        "per": [
            (rf"({_SPACE}*)(/{_UNIT_WORD}{_UNIT_CHAIN})", _groups(Whitespace, Keyword.Type)),
            (
                rf"({_SPACE}*)(/)({_SPACE}+)({_UNIT_WORD}{_UNIT_CHAIN})",
                _groups(Whitespace, Keyword.Type, Whitespace, Keyword.Type),
            ),
            default("#pop"),
        ],
        # Inside a text, which ends on its line.
        "string": [
            (r'[^"\\\n]+', String),
            (r"\\.", String.Escape),
            (r'"', String, "#pop"),
            default("#pop"),
        ],
    }
