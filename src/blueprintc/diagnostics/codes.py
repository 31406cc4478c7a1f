"""The catalogue of diagnostic codes: stable number, kebab-case name, severity, explanation.

Codes are grouped by hundreds: 00 files, 01 syntax, 02 modules, 03 names, 04 fields and
values. A code is never renumbered or reused; ``docs/diagnostics.md`` is generated from
this catalogue and ``blueprintc explain`` prints from it.
"""

from __future__ import annotations

import enum

import attrs


class Severity(enum.Enum):
    """How serious a finding is; errors stop the build, warnings do not (unless --werror)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@attrs.frozen
class Code:
    """One diagnostic code with its documentation."""

    id: str
    name: str
    severity: Severity
    title: str
    explanation: str
    example: str
    help: str | None = None


CODES: dict[str, Code] = {}


def _code(
    id: str,
    name: str,
    severity: Severity,
    title: str,
    explanation: str,
    example: str,
    help: str | None = None,
) -> Code:
    code = Code(id, name, severity, title, explanation.strip(), example.strip("\n"), help)
    assert id not in CODES and all(c.name != name for c in CODES.values()), id
    CODES[id] = code
    return code


def lookup(key: str) -> Code | None:
    """Find a code by number (``CXB0301``, ``0301``, ``301``) or by name (``unknown-name``)."""
    key = key.strip()
    for code in CODES.values():
        if key.lower() == code.name:
            return code
    digits = key.upper().removeprefix("CXB")
    if digits.isdigit():
        return CODES.get(f"CXB{int(digits):04d}")
    return None


E, W = Severity.ERROR, Severity.WARNING

# -- 00: files ----------------------------------------------------------------------------

FILE_NOT_FOUND = _code(
    "CXB0001",
    "file-not-found",
    E,
    "A file to compile does not exist",
    """
The file named on the command line does not exist. (A missing file named in a `use`
statement is `CXB0201`.) The command exits with code 2.
""",
    "blueprintc check northwind.cxb   # but there is no northwind.cxb here",
    "check the spelling of the path and that the file exists",
)
NOT_UTF8 = _code(
    "CXB0002",
    "not-utf8",
    E,
    "A file is not UTF-8 text",
    """
Blueprints are UTF-8 text files. This one contains bytes that are not valid UTF-8,
often because it was saved from a word processor in another encoding (Windows-1252,
Latin-1). The location points at the first invalid byte.
""",
    "segment caf\\xe9 { ... }   // the é was saved as a single Latin-1 byte",
    "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
)
EMPTY_FILE = _code(
    "CXB0003",
    "empty-file",
    E,
    "A file declares nothing",
    """
The file contains no statement at all (only blank lines or comments). A blueprint
needs at least a `blueprint` block; a module used with `use` should declare something.
""",
    "// TODO: write the blueprint",
    'start with a `blueprint "Name" { currency USD; start 2027-01; horizon 3 years }` block',
)
UNREADABLE = _code(
    "CXB0004",
    "unreadable-file",
    E,
    "A file cannot be read",
    """
The path exists but cannot be read: it is a directory, or permissions forbid reading it.
""",
    'use "./designs"   // a folder, not a .cxb file',
    "point at a .cxb file you can read",
)

# -- 01: syntax ---------------------------------------------------------------------------

UNEXPECTED_TOKEN = _code(
    "CXB0101",
    "unexpected-token",
    E,
    "Something appears where it cannot stand",
    """
The parser found a word or symbol where the language does not allow it. Statements
are separated by a line break or `;`; a block opens with `{` and closes with `}`;
lists use commas. The message says what could have come instead.
""",
    "segment premier { share 8% } }",
    None,
)
UNEXPECTED_CHARACTER = _code(
    "CXB0102",
    "unexpected-character",
    E,
    "A character the language does not use",
    """
The file contains a character that has no meaning in a blueprint, such as `@`, `$`,
`&` or a typographic quote. Text must be written between straight double quotes.
""",
    "segment premier { share 8% @ }",
    "remove the character, or put the text between straight double quotes",
)
UNTERMINATED_STRING = _code(
    "CXB0103",
    "unterminated-string",
    E,
    "A text is not closed",
    """
A text opened with `"` does not have its closing `"` on the same line. Texts cannot
span lines; a double quote inside a text is written `\\"`.
""",
    'brand Northwind { promise fast_answer "A person answers within a minute }',
    'close the text with a `"` before the end of the line',
)
UNTERMINATED_BLOCK = _code(
    "CXB0104",
    "unterminated-block",
    E,
    "A block is not closed",
    """
A block opened with `{` is never closed with `}`. The location points at the `{`
that has no partner.
""",
    "segment premier {\n  share 8%\n",
    "add a `}` where the block ends",
)
UNTERMINATED_COMMENT = _code(
    "CXB0105",
    "unterminated-comment",
    E,
    "A comment is not closed",
    """
A block comment opened with `/*` has no closing `*/`, so the rest of the file would
be a comment.
""",
    "/* draft section\nsegment premier { share 8% }",
    "close the comment with `*/`",
)
UNMATCHED_BRACE = _code(
    "CXB0106",
    "unmatched-brace",
    E,
    "A `}` closes nothing",
    """
There is a `}` that does not close any open block, usually one `}` too many.
""",
    "segment premier { share 8% }\n}",
    "remove the extra `}`",
)

# -- 02: modules --------------------------------------------------------------------------

MODULE_NOT_FOUND = _code(
    "CXB0201",
    "module-not-found",
    E,
    "A used module does not exist",
    """
`use std/<module>` loads a module of the standard library shipped with blueprintc;
`use "./file.cxb"` loads a file relative to the using file. The named module or file
does not exist.
""",
    "use std/chanels",
    None,
)
IMPORT_CYCLE = _code(
    "CXB0202",
    "import-cycle",
    E,
    "Files use each other in a circle",
    """
A file uses another that, directly or through others, uses the first one again. The
message shows the whole circle. Split shared declarations into a third file that both use.
""",
    '// a.cxb\nuse "./b.cxb"\n// b.cxb\nuse "./a.cxb"',
    "move what both files need into a third file and `use` it from both",
)
PATH_ESCAPES_ROOT = _code(
    "CXB0203",
    "path-escapes-root",
    E,
    "A used path leaves the project",
    """
`use` may only load files inside the project root: the folder of the blueprint given
on the command line (or the folder given with `--root`). This keeps a blueprint
self-contained and reviewable.
""",
    'use "../../shared/rates.cxb"',
    "copy the file into the project, or widen the root with `--root`",
)
INVALID_USE = _code(
    "CXB0204",
    "invalid-use",
    E,
    "A `use` statement is malformed or misplaced",
    """
`use` takes either a standard-library module (`use std/channels`) or a quoted relative
path (`use "./volumes.cxb"`), and stands at the top level of a file, not inside a block.
""",
    "use 42",
    'write `use std/<module>` or `use "./file.cxb"` at the top level',
)
UNUSED_MODULE = _code(
    "CXB0205",
    "unused-module",
    W,
    "A used standard-library module is never referred to",
    """
A `use std/<module>` statement loads a module, but nothing in the blueprint refers to any
of its declarations. It does no harm, but it suggests a forgotten `extends`.
""",
    "use std/components   // but no `extends std.<component>` anywhere",
    "remove the `use`, or extend one of its declarations",
)

# -- 03: names ----------------------------------------------------------------------------

UNKNOWN_NAME = _code(
    "CXB0301",
    "unknown-name",
    E,
    "A name is used but never declared",
    """
A reference names a declaration that does not exist in the blueprint or in the modules
it uses. Names are case-sensitive. Standard-library declarations are named `std.<name>`
and need the module that declares them (`use std/channels` for `std.voice`).
""",
    "service cards { segments premeir }",
    None,
)
DUPLICATE_DECLARATION = _code(
    "CXB0302",
    "duplicate-declaration",
    E,
    "Two declarations have the same name",
    """
Two declarations of the same kind (or two promises of a brand) share a name, so
references to it would be ambiguous. Both places are shown.
""",
    "segment premier { share 8% }\nsegment premier { share 10% }",
    "rename one of them, or merge them into one declaration",
)
WRONG_KIND = _code(
    "CXB0303",
    "wrong-kind",
    E,
    "A name refers to the wrong kind of declaration",
    """
The name exists, but it is not the kind of thing this field expects, e.g. a service
that `delivers` a segment instead of a promise.
""",
    "segment premier { share 100% }\nservice cards { delivers premier }",
    None,
)
EXTENDS_CYCLE = _code(
    "CXB0304",
    "extends-cycle",
    E,
    "Declarations extend each other in a circle",
    """
A declaration extends itself, directly or through others, so its inherited fields
cannot be worked out.
""",
    "channel voice extends voice { }",
    "extend a standard-library declaration such as `std.voice`, or nothing",
)
MISSING_NAME = _code(
    "CXB0306",
    "missing-name",
    E,
    "A declaration has no name",
    """
Every declaration except `blueprint` and `staffing` is named right after its keyword,
e.g. `segment premier { ... }`.
""",
    "segment { share 8% }",
    "give the declaration a name: letters, digits and `_`, starting with a letter",
)

# -- 04: fields and values ----------------------------------------------------------------

UNKNOWN_DECLARATION = _code(
    "CXB0401",
    "unknown-declaration",
    E,
    "An unknown kind of declaration",
    """
Each top-level statement starts with the kind of thing it declares: `blueprint`, `brand`,
`segment`, `service`, `process`, `outbound`, `channel`, `pattern`, `site`, `staffing`,
`budget`, `component`, `phase`, `requirement`, `criterion`, `vendor`, `practice`,
`system`, `baseline`, `maturity`, `use` or `assert`.
""",
    "segmnt premier { share 8% }",
    None,
)
UNKNOWN_FIELD = _code(
    "CXB0402",
    "unknown-field",
    E,
    "A field this declaration does not have",
    """
The block contains a field name that this kind of declaration does not know. The
language reference lists the fields of every declaration.
""",
    "channel voice { shrinkge 32% }",
    None,
)
MISSING_FIELD = _code(
    "CXB0403",
    "missing-field",
    E,
    "A required field is missing",
    """
This declaration cannot be understood without the named field (for instance a process
without a `volume`). Fields inherited with `extends` count.
""",
    "process card_activation { service cards }",
    None,
)
DUPLICATE_FIELD = _code(
    "CXB0404",
    "duplicate-field",
    E,
    "A field is given twice",
    """
The field may appear once in its block, but appears more than once; it is unclear
which value is meant. Both places are shown.
""",
    "segment premier { share 8%; share 10% }",
    "keep one of the two values",
)
UNIT_MISMATCH = _code(
    "CXB0405",
    "unit-mismatch",
    E,
    "A value has the wrong kind of unit",
    """
The value carries a unit of the wrong kind, e.g. a handle time given as a percentage or
a volume given as money. The message says what kind of quantity the field expects and
gives an example.
""",
    "process p { aht { voice 4.5% } }",
    None,
)
UNKNOWN_UNIT = _code(
    "CXB0406",
    "unknown-unit",
    E,
    "A unit blueprintc does not know",
    """
The word after a number is read as its unit, and this one is not known. Durations:
`s`, `min`, `h`, `day`, `week`, `month`, `year` (and plurals); money: a three-letter
currency code (`USD`, `EUR`); counts: `seat`, `agent`, `contact`, `user`, `sqft`, ...;
rates are written with `/` (`38_000/month`, `95 USD/seat/month`).
""",
    "channel voice { patience 120 secs }",
    None,
)
UNKNOWN_CURRENCY = _code(
    "CXB0407",
    "unknown-currency",
    E,
    "Money in a currency the blueprint does not declare",
    """
Money must be in the blueprint's `currency`, or in a currency for which the blueprint
declares an exchange rate (`exchange EUR 1.08` in the `blueprint` block: one EUR is
worth 1.08 of the blueprint's currency).
""",
    'blueprint "B" { currency USD }\ncomponent acd { cost 90 EUR/seat/month }',
    None,
)
OUT_OF_RANGE = _code(
    "CXB0408",
    "out-of-range",
    E,
    "A value outside what it can be",
    """
The value is of the right kind but impossible: a share above 100%, a negative volume,
a weight below zero, a horizon of zero years.
""",
    "segment premier { share 140% }",
    None,
)
INVALID_VALUE = _code(
    "CXB0409",
    "invalid-value",
    E,
    "A value of the wrong form",
    """
The field expects a value of another form, e.g. a duration where a name was written,
or something is missing or left over. The message shows the expected form with an
example.
""",
    "channel voice { patience soon }",
    None,
)
INVALID_CHOICE = _code(
    "CXB0410",
    "invalid-choice",
    E,
    "A word that is not one of the allowed choices",
    """
The field takes one of a fixed set of words (for example the `strategy` of a segment is
one of `retain`, `acquire`, `drop`, `reduce_costs`, `penetrate`). The message lists them.
""",
    "segment premier { strategy keep }",
    None,
)
INVALID_DATE = _code(
    "CXB0411",
    "invalid-date",
    E,
    "A date that does not exist",
    """
Dates are written `YYYY-MM` (a month) or `YYYY-MM-DD` (a day). The month must be 01-12
and the day must exist in that month.
""",
    'blueprint "B" { start 2027-13 }',
    "write the date as YYYY-MM or YYYY-MM-DD",
)
INVALID_TIME = _code(
    "CXB0412",
    "invalid-time",
    E,
    "A time of day that does not exist",
    """
Times of day are written `HH:MM` on a 24-hour clock, from `00:00` to `24:00`. An
opening range must end after it starts (`08:00-20:00`); use `00:00-24:00` for all day.
""",
    "channel voice { hours mon..fri 08:00-25:00 }",
    "write times as HH:MM between 00:00 and 24:00",
)
MISPLACED_STATEMENT = _code(
    "CXB0413",
    "misplaced-statement",
    E,
    "A statement in a place where it does not belong",
    """
Declarations (`segment`, `channel`, ...), `use` and `assert` stand at the top level of a
file; fields stand inside a declaration's block. This statement is in the wrong place.
""",
    "segment premier { channel voice { } }",
    None,
)
UNKNOWN_FUNCTION = _code(
    "CXB0414",
    "unknown-function",
    E,
    "An assertion names a figure blueprintc does not know",
    """
`assert` compares figures the compiler computes, such as `occupancy(voice)`,
`fte(total)` or `npv(option cloud)`. The function named is not one of them.
""",
    "assert ocupancy(voice) <= 85%",
    None,
)
NO_SEPARATOR = _code(
    "CXB0415",
    "missing-separator",
    E,
    "Two fields run together on one line",
    """
Fields are separated by a line break or a `;`. Here the value of one field runs into the
name of the next, e.g. `share 8% value high`.
""",
    "segment premier { share 8% value high }",
    "put each field on its own line, or separate them with `;`",
)

# -- 09: internal -------------------------------------------------------------------------

INTERNAL_ERROR = _code(
    "CXB0901",
    "internal-error",
    E,
    "The compiler failed",
    """
blueprintc itself failed on this input. This is a bug in blueprintc, not in the
blueprint; please report it with the blueprint that triggers it.
""",
    "",
    "please report this with the input that causes it",
)

MISSING_BLUEPRINT = _code(
    "CXB0416",
    "missing-blueprint",
    E,
    "The blueprint has no `blueprint` block",
    """
Every blueprint has exactly one `blueprint` block with its title, currency, start month and
horizon; the entry file (or a file it uses) must contain it.
""",
    "segment premier { share 100%; value high; strategy retain; intensity simple }",
    None,
)
