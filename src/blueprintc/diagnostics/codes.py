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
The path names something blueprintc does not read: a folder; a file that permissions
forbid reading; a device, a pipe (FIFO) or a socket rather than a file; a file the
operating system generates when it is read (under `/proc` or `/sys`); a path whose
symbolic links form a loop, that is too long, or that contains a NUL character. The
message gives the reason, and never shows what the path holds. For the file named on the
command line the command exits with code 2; for a file named in `use`, with code 1.
""",
    'use "./designs"   // a folder, not a .cxb file',
    "point at a .cxb file you can read",
)
INPUT_TOO_LARGE = _code(
    "CXB0005",
    "input-too-large",
    E,
    "A blueprint is larger than blueprintc reads",
    """
blueprintc reads at most 1 MiB of source for one blueprint: the file named on the command
line and every file it uses with `use "..."`, together (the standard library is not
counted). A whole design is usually well under 100 KiB (the bundled example of a retail
bank is 10 KiB), so a larger file is almost always the wrong file: a data export, a log,
a generated dump. The limit keeps the memory a compilation needs bounded. Nothing of the
file is parsed. For the file named on the command line the command exits with code 2;
for a file named in `use`, with code 1.
""",
    'use "./call_records.cxb"   // a 40 MB export, not a blueprint',
    "check that the path names a blueprint; a design this large is better split into "
    "blueprints compiled one by one",
)
USAGE_ERROR = _code(
    "CXB0010",
    "usage-error",
    E,
    "The command line cannot be understood",
    """
An option is unknown, an argument is missing, or an option has a value the command does
not accept (a layer `graph --layer` does not know, an element `graph --focus` does not
name, `diff` without its second file). Nothing is compiled or written; the command exits
with code 2. With `--format json` the answer carries this code, the message, and the
command's usage as a note.
""",
    "blueprintc graph bank.cxb --format json --layer finance   # no layer `finance`",
    "run `blueprintc COMMAND --help` for the command's options and the values they take",
)
REVISION_NOT_READABLE = _code(
    "CXB0011",
    "revision-not-readable",
    E,
    "A blueprint at a git revision cannot be read",
    """
`blueprintc diff` reads a side written `REV:path` from git, and git could not give it:
the revision does not exist, the file is not in that revision, the folder is not inside
a git repository, the path leaves the repository, or git is not installed. The command
exits with code 2.
""",
    "blueprintc diff v9:bank.cxb bank.cxb   # there is no tag v9",
    "check the revision with `git log` and the path with `git show REV:path`",
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
    "service cards { segments premier,, mass }",
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
NESTING_TOO_DEEP = _code(
    "CXB0107",
    "nesting-too-deep",
    E,
    "Blocks or an expression nested too deeply",
    """
Blocks inside blocks, parentheses inside parentheses, or an `assert` expression whose
operators, `not`s, calls and parentheses lie inside one another more than 64 levels deep.
Real blueprints need a few levels; this many is almost always generated by mistake, and
would exhaust the compiler's stack. The whole statement is skipped.
""",
    "assert not not not not ... x   // 65 `not`s",
    "flatten the nesting: split the expression into several `assert`s, close blocks sooner",
)
TOO_MANY_SYNTAX_ERRORS = _code(
    "CXB0108",
    "too-many-syntax-errors",
    E,
    "Too many syntax errors to go on",
    """
After 20 syntax errors in one file the parser stops: each further error would only cost
time, and the first ones are usually the cause of the rest. The location is where the
next error was found; nothing after the first error is checked beyond the syntax.
""",
    "}\n}\n}\n// ... 21 lines of `}`",
    "fix the first errors and compile again",
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
    'use "../../common/rates.cxb"',
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
USE_TOO_DEEP = _code(
    "CXB0206",
    "use-too-deep",
    E,
    "Files use one another in too long a chain",
    """
A file uses a file that uses a file, and so on, more than 100 files deep (the file named
on the command line is the first of the chain; standard-library modules count). Real
designs need a few levels; a chain this long is almost always generated by mistake.
Nothing beyond the limit is loaded.
""",
    '// m1.cxb\nuse "./m2.cxb"\n// m2.cxb\nuse "./m3.cxb"\n// ... up to m101.cxb',
    "let the entry file use the modules directly rather than each module using the next",
)
TOO_MANY_MODULES = _code(
    "CXB0207",
    "too-many-modules",
    E,
    "A blueprint uses too many files",
    """
One blueprint reads at most 1,000 files: the file named on the command line, every file
it uses, directly or not, and the standard-library modules. Each file is counted once,
however many files use it. The error is reported once, at the `use` that would load the
1,001st file; nothing beyond the limit is loaded.
""",
    'use "./processes/p0001.cxb"\n// ... 1,000 more files',
    "merge small files: a module can hold many declarations",
)
MODULE_WITHOUT_USER = _code(
    "CXB0210",
    "module-without-user",
    E,
    "A module checked on its own, and no blueprint uses it",
    """
The file given to a command has no `blueprint` block, so it is a module: its names,
currencies and references only make sense inside the blueprint that `use`s it. No `.cxb`
file in its folder or in the parent folders (up to the folder holding `.git` or
`pyproject.toml`) uses it, so it cannot be checked, and instead of an error for every name
it refers to, this one diagnostic is reported.
""",
    "// rfp.cxb\ncriterion price { weight 100% }\n"
    "// blueprintc check rfp.cxb: no blueprint uses it",
    'add `use "./<this file>"` to the blueprint it belongs to and check that blueprint, '
    'or make this file a blueprint with `blueprint "Title" { currency USD; start 2027-01; '
    "horizon 3 years }`",
)
CHECKED_THROUGH_USER = _code(
    "CXB0211",
    "checked-through-user",
    Severity.NOTE,
    "A module was checked through the blueprint that uses it",
    """
The file given to a command has no `blueprint` block and a blueprint nearby uses it, so
the file was checked as part of that blueprint: every name resolves as it does there.
Only the findings located in the module are shown; the note names the blueprint.
""",
    '// bank.cxb\nuse "./rfp.cxb"\n// rfp.cxb\ncriterion price { weight 100% }\n'
    "// blueprintc check rfp.cxb: checked through bank.cxb",
    None,
)
USER_HAS_ERRORS = _code(
    "CXB0212",
    "user-has-errors",
    E,
    "The blueprint using a module has errors in other files",
    """
A module given on its own was checked through the blueprint that uses it, and that
blueprint has errors in files other than the module. They are counted, not shown: the
module may be right, but its check is not complete until the blueprint compiles.
""",
    '// bank.cxb\nuse "./rfp.cxb"\nsegment all { share 100%; value hihg }\n'
    "// rfp.cxb\ncriterion price { weight 100% }\n// blueprintc check rfp.cxb",
    "check the blueprint that uses this module to see its errors",
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
`system`, `baseline`, `maturity`, `benefit`, `risk`, `use` or `assert`.
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
    'blueprint "B" { currency USD; start 2027-01; horizon 3 years }\n'
    "component acd { supports voice; subscription 90 EUR/seat/month }",
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

# -- 05: alignment (one code per rule; docs/alignment.md explains each) --------------------

UNFULFILLED_PROMISE = _code(
    "CXB0501",
    "unfulfilled-promise",
    W,
    "A brand promise that no service delivers",
    """
Brand layer. A promise is made to customers, but no service lists it in `delivers`, so
nothing in the design is there to keep it. Every promise needs at least one service.
""",
    'brand extra { promise calm "We never rush a customer" }   // no service delivers calm',
    "name the promise in the `delivers` of the services that keep it, or drop the promise",
)
PROMISE_TARGET_NOT_MET = _code(
    "CXB0502",
    "promise-target-not-met",
    E,
    "A channel's target is weaker than a promise's",
    """
Brand layer. A promise is linked to an explicit target (`target voice 80% within 60 s`),
but the channel's own target is weaker: a lower share, a longer time, or no target at all.
The channel's target must be at least as strict as every promise made on it.
""",
    "brand b { promise fast { target voice 80% within 60 s } }\n"
    "channel voice { target 70% within 60 s }",
    "raise the channel's target, or soften the promise",
)
SERVICE_WITHOUT_PROMISE = _code(
    "CXB0511",
    "service-without-promise",
    W,
    "A service that delivers no promise",
    """
Business layer. The service lists no promise in `delivers`, so the brand does not justify
it. Either it keeps a promise the blueprint does not state yet, or it is not needed.
""",
    "service statements { segments all }   // and no `delivers`",
    "add `delivers <promise>` to the service",
)
SEGMENT_SHARES = _code(
    "CXB0512",
    "segment-shares",
    E,
    "Segment shares do not add up to 100%",
    """
Business layer. The shares of all customer segments must add up to 100% of the customer
base; otherwise some customers belong to no segment, or to two.
""",
    "segment all { share 100%; value high; strategy retain; intensity simple }\n"
    "segment more { share 20%; value low; strategy drop; intensity simple }   // 120%",
    "adjust the shares so that they add up to 100%",
)
MIX_NOT_100 = _code(
    "CXB0513",
    "mix-not-100",
    E,
    "A process's channel mix does not add up to 100%",
    """
Business layer. The `mix` of a process splits its volume over channels; the shares must
add up to 100%, or contacts would be lost or counted twice.
""",
    "process p { service s; volume 1_000/month; mix { voice 90% }; aht { voice 5 min } }",
    "adjust the shares of the mix so that they add up to 100%",
)
CHANNEL_NOT_OFFERED = _code(
    "CXB0514",
    "channel-not-offered",
    E,
    "A process uses a channel the center does not offer",
    """
Business layer. The process (or proactive contact) sends contacts to a channel that the
blueprint does not offer: it names a standard-library template (`std.chat`) that no
channel of the blueprint is built on.
""",
    "use std/channels\n"
    "process p { service s; volume 1_000/month; mix { voice 50%; std.chat 50% }; "
    "aht { voice 5 min } }\n// but no `channel chat extends std.chat`",
    "declare the channel (`channel chat extends std.chat { ... }`) or change the mix",
)
DROP_WITH_PARTNERSHIP = _code(
    "CXB0515",
    "drop-with-partnership",
    W,
    "A segment to drop is served as a partner",
    """
Business layer. The segment's strategy is `drop`, but it is served with the `partnership`
intensity, the most expensive one. The method aligns intensity with strategy: segments to
drop get `simple` (or at most `reactive`) service.
""",
    "segment dormant { share 0%; value low; strategy drop; intensity partnership }",
    "serve the segment with `simple` intensity, or change its strategy",
)
NO_AUTOMATION = _code(
    "CXB0516",
    "no-automation",
    W,
    "A high-volume process has no automation option",
    """
Business layer. The method automates the high-volume processes first. This process is
above the blueprint's `automation_threshold` (100,000 contacts a year unless set) but has
no `automation` share and no self-service channel in its mix.
""",
    "process balance { service s; volume 1.2M/year; mix { voice 100% }; aht { voice 3 min } }",
    "add a self-service channel to the mix or an `automation` share, or raise "
    "`automation_threshold`",
)
BUDGET_EXCEEDED = _code(
    "CXB0521",
    "budget-exceeded",
    W,
    "Declared one-time costs exceed a budget",
    """
Financial-functional layer. The one-time costs declared for the items a budget (or a
phase's `budget`) covers are more than its amount: implementation services, licences in
total, fit-out of new seats and the cost of introducing practices. Per-seat licences join
this check once the center is sized.
""",
    "budget tech { amount 100k USD; covers acd }\ncomponent acd { implementation 180k USD }",
    "raise the budget, move items to another phase, or reduce their cost",
)
UNTRACED_REQUIREMENT = _code(
    "CXB0522",
    "untraced-requirement",
    W,
    "A requirement traces to nothing",
    """
Financial-functional layer. A requirement of the RFP should trace to what justifies it:
a component, a channel, a process, a service or a promise. Without `traces` nobody can
tell why vendors are asked for it.
""",
    'requirement r { category functional; priority must; text "..." }',
    "add `traces <component or channel ...>`",
)
CHANNEL_WITHOUT_HOURS = _code(
    "CXB0531",
    "channel-without-hours",
    E,
    "An offered channel has no opening hours",
    """
Operational layer. The channel is offered but has no `hours`, so it can be neither
staffed nor sized. Self-service channels need hours too (`hours daily 00:00-24:00`).
""",
    "use std/channels\nchannel voice extends std.voice { target 80% within 20 s }   // no `hours`",
    "add `hours`, e.g. `hours mon..fri 08:00-20:00`",
)
CHANNEL_WITHOUT_TARGET = _code(
    "CXB0532",
    "channel-without-target",
    E,
    "An offered channel has no service target",
    """
Operational layer. A real-time channel needs a `target` (service level within a time) and
a deferred channel a `response` target; staffing is sized to meet them.
""",
    "channel voice { hours mon..fri 08:00-20:00 }",
    "add `target 80% within 20 s` (real-time) or `response 95% within 24 h` (deferred)",
)
PROCESS_CHANNEL_CLOSED = _code(
    "CXB0533",
    "process-channel-closed",
    E,
    "A process uses a channel that is never open",
    """
Operational layer. The process sends a share of its contacts to a channel that has no
opening hours, so those contacts can never be handled.
""",
    "channel chat { kind chat; target 80% within 30 s }   // no `hours`\n"
    "process p { service s; volume 1_000/month; mix { voice 80%; chat 20% }; aht { voice 5 min } }",
    "give the channel opening hours, or move the share to an open channel",
)
IMPLAUSIBLE_SHRINKAGE = _code(
    "CXB0534",
    "implausible-shrinkage",
    W,
    "Shrinkage outside plausible bounds",
    """
Operational layer. Shrinkage (paid time agents are not available: leave, sickness,
breaks, training, meetings) is usually 30-40% of paid time. Below 20% or above 50% is
almost certainly a mistake or needs a documented reason.
""",
    "channel voice { shrinkage 8% }",
    "check the figure; typical totals are 30-40% (annual leave 10-12%, sickness 4-8%, "
    "breaks 6-8%, training 3-6%)",
)
IMPLAUSIBLE_OCCUPANCY = _code(
    "CXB0535",
    "implausible-occupancy",
    W,
    "Occupancy cap outside plausible bounds",
    """
Operational layer. The occupancy cap limits the share of logged-in time agents spend
handling contacts. Above 90% drives burnout; below 65% wastes capacity. 85% is the usual
cap for voice.
""",
    "channel voice { occupancy 97% }",
    "use a cap between 75% and 88%",
)
CHANNEL_WITHOUT_COMPONENT = _code(
    "CXB0541",
    "channel-without-component",
    W,
    "An offered channel no component supports",
    """
Technology layer. The channel is offered, but no component lists it in `supports`, so no
technology carries its contacts.
""",
    "channel chat { kind chat; hours mon..fri 08:00-18:00; target 80% within 30 s }\n"
    "// but no component supports chat",
    "add the channel to the `supports` of a component, or add a component",
)
UNJUSTIFIED_COMPONENT = _code(
    "CXB0542",
    "unjustified-component",
    W,
    "A component no channel in use justifies",
    """
Technology layer. The method spends on technology only where there is volume. This
component supports no channel that any process uses, and no other component requires it.
""",
    "channel chat { kind chat; hours mon..fri 08:00-18:00; target 80% within 30 s }\n"
    "component dialer { supports chat }   // but no process uses chat",
    "remove the component, or add the processes that need it",
)
REQUIRES_CYCLE = _code(
    "CXB0543",
    "requires-cycle",
    E,
    "Components require each other in a circle",
    """
Technology layer. Components `require` each other in a circle, so none of them can be
implemented first. The message shows the circle.
""",
    "component a { requires b }\ncomponent b { requires a }",
    "break the circle: one of the `requires` is not a real prerequisite",
)
DEPENDENCY_IN_LATER_PHASE = _code(
    "CXB0544",
    "dependency-in-later-phase",
    E,
    "A component requires one delivered later",
    """
Technology layer. A component is placed in a phase, but a component it requires is
placed in a later phase, so it would go live without its prerequisite.
""",
    "phase one { includes ivr }\nphase two { includes acd; after one }\n"
    "component ivr { requires acd }",
    "move the required component to the same or an earlier phase",
)
MISSING_DEPENDENCY = _code(
    "CXB0545",
    "missing-dependency",
    E,
    "A component requires one the blueprint lacks",
    """
Technology layer. The component requires (often through its standard-library template)
a kind of component the blueprint does not have: for example `std.ivr` requires `std.cti`,
but no component of the blueprint is built on `std.cti`.
""",
    "use std/components\n"
    "component ivr extends std.ivr { supports voice }   // std.ivr requires std.acd and std.cti",
    "add the missing component (`component cti extends std.cti { }`) or override `requires`",
)
PHASE_CYCLE = _code(
    "CXB0546",
    "phase-cycle",
    E,
    "Phases follow each other in a circle",
    """
Financial-functional layer. Phases name each other in `after` in a circle, so no phase can
start first.
""",
    "phase a { after b }\nphase b { after a }",
    "remove one `after` so that the phases form a sequence",
)
INCLUDED_TWICE = _code(
    "CXB0547",
    "included-twice",
    E,
    "An item is included in two phases",
    """
Financial-functional layer. A component, channel or practice is delivered once; it may be
included in one phase only.
""",
    "phase one { includes acd }\nphase two { includes acd }",
    "keep the item in one phase",
)
ASSERTION_TYPE = _code(
    "CXB0551",
    "assertion-type",
    E,
    "An assertion compares figures of different kinds",
    """
An `assert` compares figures of different kinds, such as a percentage with an amount of
money (`occupancy(voice) <= 1M USD`), or adds them.
""",
    "assert occupancy(voice) <= 400",
    "compare like with like: percentages with percentages, money with money",
)
ASSERTION_ARGUMENT = _code(
    "CXB0552",
    "assertion-argument",
    E,
    "An assertion names a figure of the wrong thing",
    """
Each figure of an `assert` takes a specific argument: `occupancy(voice)` a channel or
`total`, `seats(hq)` a site or `total`, `capex(year 1)` a year of the horizon or `total`,
`npv(option cloud)` a deployment model, `phase_end(foundation)` a phase, `maturity(...)` a
layer, `current`, `target` or `total`.
""",
    "assert capex(year 5) <= 1M USD   // the horizon is 3 years",
    None,
)
ALLOW_NOT_SILENCEABLE = _code(
    "CXB0561",
    "allow-not-silenceable",
    E,
    "`allow` names a code that cannot be silenced",
    """
`allow` silences an alignment warning (a `CXB05xx` code of severity warning) for one
declaration. Errors, and codes of other stages, cannot be silenced.
""",
    'channel voice { allow CXB0531 because "opens later" }',
    "fix the error instead, or name an alignment warning",
)
ALLOW_WITHOUT_REASON = _code(
    "CXB0562",
    "allow-without-reason",
    E,
    "`allow` without a reason",
    """
Every silenced rule must carry its reason, which the alignment report prints.
""",
    'component dialer { allow CXB0542 because "" }',
    "write why the rule does not apply here",
)
UNUSED_ALLOW = _code(
    "CXB0563",
    "unused-allow",
    W,
    "`allow` silences a rule that does not fire",
    """
The `allow` names a rule that reports nothing for this declaration, so the exception is
stale: the design changed, or the code is a different rule.
""",
    'component acd { supports voice; allow CXB0542 because "kept" }   // but acd is justified',
    "remove the `allow`",
)

# -- 06: sizing ------------------------------------------------------------------------------

INFEASIBLE_TARGET = _code(
    "CXB0601",
    "infeasible-target",
    E,
    "A service target no number of agents can meet",
    """
Sizing. In some interval the channel's targets cannot be met by any number of agents:
for example 100% of contacts answered within 0 s, an abandonment limit of 0% while
customers have a finite patience, or an average speed of answer of 0 s. The message names
the channel, the month, the day and the interval.
""",
    "channel voice { kind voice; hours mon..fri 08:00-18:00; target 100% within 0 s }",
    "relax the target: a share below 100%, or a time above 0 s",
)
MISSING_HANDLE_TIME = _code(
    "CXB0602",
    "missing-handle-time",
    E,
    "A process gives no handle time for an assisted channel",
    """
Sizing. The process sends contacts to a channel handled by agents, but its `aht` block has
no handle time for that channel, so the agents' workload cannot be computed.
""",
    "process p { service s; volume 1_000/month; mix { voice 100% } }   // no `aht { voice ... }`",
    "add the channel to the process's `aht` block, e.g. `aht { voice 4.5 min }`",
)
SEATS_EXCEEDED = _code(
    "CXB0603",
    "seats-exceeded",
    E,
    "The sized center needs more seats than the sites have",
    """
Sizing. At the busiest interval of the horizon more staff are on site than the sites
have seats (each site's share of the traffic, or its share of the seats when no share is
given).
""",
    "site hq { seats 1 }   // but 3 agents are at work at the peak",
    "add seats or a site, lower the targets, or move volume to self-service",
)
CONTACTS_LOST = _code(
    "CXB0604",
    "contacts-lost",
    W,
    "Contacts arrive while a channel is closed and are lost",
    """
Sizing. With `closed_hours lose`, contacts that arrive while the channel is closed are not
carried to the next open interval. The blueprint loses the stated number of contacts a
month; this is a design decision the report should make visible.
""",
    'blueprint "B" { currency USD; start 2027-01; horizon 3 years; closed_hours lose }\n'
    "channel voice { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s }\n"
    "// the contacts that arrive outside these hours are lost",
    "open the channel longer, or use `closed_hours carry`",
)
ASSERTION_FAILED = _code(
    "CXB0605",
    "assertion-failed",
    E,
    "An `assert` does not hold for the sized design",
    """
The figures computed for the design break an `assert` of the blueprint. The message gives
the computed values.
""",
    "assert occupancy(voice) >= 60%   // but the sized occupancy is 19.6%",
    "change the design (targets, volumes, channels) or revise the constraint",
)
NO_STAFFING_POLICY = _code(
    "CXB0606",
    "no-staffing-policy",
    W,
    "No `staffing` block: default paid hours used",
    """
Sizing. FTE are computed from the paid hours of one full-time employee, given in the
`staffing` block. Without it blueprintc assumes 37.5 paid hours a week and no support
staff.
""",
    "// no staffing { paid_hours ...; span supervisor 12 }",
    "add `staffing { loaded_cost 38 USD/h; paid_hours 37.5 h/week; span supervisor 12 }`",
)
NO_SHRINKAGE = _code(
    "CXB0607",
    "no-shrinkage",
    W,
    "An assisted channel has no shrinkage",
    """
Sizing. The channel has agents but no `shrinkage`, so FTE assume agents are available
for every paid hour, which understates staff by roughly a third. Extend a standard-library
channel (35%) or give the figure.
""",
    "channel voice { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s }",
    "add `shrinkage 35%` (or extend `std.voice`)",
)

MIGRATION_BEFORE_LAUNCH = _code(
    "CXB0608",
    "migration-before-launch",
    W,
    "A migration is due before the plan can start it",
    """
Sizing. A `migrate` line moves volume only from the month the plan has done its work
(after the new channel it moves to is launched and, with a pilot, rolled out). Its `by`
month is earlier than that, so the volume cannot have moved by then: it moves from the
month the plan allows, at once. Either the date is wrong or the channel's launch is too
late for the business case.
""",
    "process p { service s; volume 1_000/month; mix { voice 100% };\n"
    "  aht { voice 5 min; chat 6 min }; migrate voice to chat 10% by 2027-03 }\n"
    "channel chat { kind chat; hours mon..fri 08:00-18:00; target 80% within 60 s }\n"
    "phase digital { includes chat; start 2027-06 }   // chat goes live in 2027-07",
    "move the `by` month after the launch, or launch the target channel in an earlier phase",
)
SITE_NOT_OPEN = _code(
    "CXB0609",
    "site-not-open",
    E,
    "Staff work in a month when no site is open",
    """
Sizing. Every site of the blueprint opens later (`opens`) than the first month in which
the design has agents or support staff at work, so they would have no seat. Today's
site should be declared `existing yes`, or the site should open earlier, or the channels
should go live after it opens.
""",
    "site hq { seats 50; opens 2027-09 }   // but voice carries calls from 2027-01",
    "open a site earlier (or mark today's site `existing yes`), or launch the channels after "
    "it opens",
)
BASELINE_VOLUME_DIFFERS = _code(
    "CXB0610",
    "baseline-volume-differs",
    W,
    "The design's volume is far from today's, and nothing in the design explains it",
    """
Sizing. The design's processes bring, in the first 12 months of the horizon, a number of
contacts (all channels, before automation) that differs from the volume of today's
operation (the sum of the baseline's `volume` lines) by more than the baseline's
`tolerance` (20% by default), once the contacts that automation contains and that
migrations move in those months are set against the difference. A client's reports count
what reaches its channels today, so the design may count more (self-service) or move
contacts elsewhere; what these do not explain is usually a process left out of the
design, a volume in the wrong unit (a month for a year), or a baseline that counts
something else. The message gives both volumes, the explained part and the rest.
""",
    "process p { service s; volume 1_000/month; mix { voice 100% }; aht { voice 5 min } }\n"
    "baseline { volume voice 50k/year }   // the design brings 12,000 a year",
    "check that every reason customers contact the center today is a `process` of the "
    "design, and each volume's unit; if today's figure counts differently, say so and set "
    "the baseline's `tolerance`",
)
BASELINE_CHANNEL_NOT_IN_DESIGN = _code(
    "CXB0611",
    "baseline-channel-not-in-design",
    W,
    "Today's operation runs a channel the design carries no contact on",
    """
Alignment of the baseline. The baseline gives a figure for a channel that no process and
no proactive contact of the design uses (or names a standard-library channel no channel
of the blueprint extends). Today's contacts on it must go somewhere in the design: to the
channels that take them over (a `migrate` line, or the processes' `mix`), or the channel
stays and its processes are missing.
""",
    "channel post { kind email; hours mon..fri 09:00-17:00; response 90% within 48 h }\n"
    "baseline { volume post 2_000/year }   // no process sends contacts to `post`",
    "add the processes that use the channel today, or send its contacts to the channels "
    "that take them over",
)
BASELINE_STAFF_DIFFERS = _code(
    "CXB0612",
    "baseline-staff-differs",
    W,
    "Today's stated staff is far from the staff today's service level needs",
    """
Sizing. The baseline states today's agents or FTE (in total or on a channel) and today's
service level; sized with the design's engines at that service level (on the design
channel's hours, patterns and shrinkage), today's volume needs a number of FTE (averaged
over the first year) that differs from the stated figure by more than the baseline's
`tolerance` (20% by default). Either a figure is wrong (volume, handle time, service
level, staff), or today's center works differently from the design's assumptions (other
opening hours, a different shrinkage, staff counted as people rather than full-time
equivalents). Stated staff is still what the do-nothing case costs.
""",
    "baseline { volume voice 12k/year; aht voice 5 min; service_level voice 80% within "
    "20 s; agents 6 }   // 2.9 FTE meet it",
    "check the figures with the client (are the agents full-time? the same opening hours?); "
    "state `fte` where part-time staff make the difference, or set `tolerance`",
)
BASELINE_STAFF_UNKNOWN = _code(
    "CXB0613",
    "baseline-staff-unknown",
    W,
    "Today's staff on a channel is not known, so the do-nothing cost leaves it out",
    """
Sizing. A channel of today's operation has agents, but the baseline states no staff for
it (`agents` or `fte`) and its staff cannot be derived: there is no `service_level` for
it, no handle time in the baseline or the design, or no number of agents meets the stated
service level. Without a total (`agents N`, `fte N`) or today's `cost`, the do-nothing
cost then has no agents for that channel and understates today's cost.
""",
    "baseline { volume voice 12k/year }   // no service level, no agents, no cost",
    "give the channel's `service_level` (its staff is then derived), its `agents` or `fte`, "
    "or today's total `cost`",
)
BASELINE_TOTALS_DIFFER = _code(
    "CXB0614",
    "baseline-totals-differ",
    W,
    "The baseline's staff per channel does not add up to its total",
    """
Alignment of the baseline. The agents (or FTE) the baseline gives per channel add up to
more than the total it gives, or, when every assisted channel of today's operation has
its own figure, to a different number. One of the figures is wrong; the do-nothing cost
uses the total.
""",
    "baseline { volume voice 12k/year; agents voice 3; agents 2 }",
    "correct the total or the channels' figures so that they agree",
)

BENEFIT_WITHOUT_BASELINE = _code(
    "CXB0615",
    "benefit-without-baseline",
    W,
    "A benefit in a blueprint without a baseline is not counted",
    """
Business case. A `benefit` counts in the business case, which compares the design with
the center the client runs today: the do-nothing case of the `baseline` block. Without a
`baseline` there is no business case, and the benefit is not counted anywhere.
""",
    'benefit retention { amount 100k USD/year; source "Churn study 2026" }   // no baseline',
    "describe today's operation in a `baseline` block (its volumes and its `cost`, or its "
    "staff), or remove the benefit",
)
NO_PAYBACK = _code(
    "CXB0616",
    "no-payback",
    W,
    "The business case does not pay back within the horizon",
    """
Business case. The cumulative net cash flow of the change (the savings against today's
operation, plus the benefits, less the design's capital expenditure) is still negative at
the end of the horizon. The design may pay back later, but the horizon does not show it;
a steering committee will ask. The message gives the cumulative net cash flow at the end.
This is a warning, not an error: a longer-term investment can be the right design.
""",
    "component acd { supports voice; implementation 1M USD }\n"
    "baseline { volume voice 12k/year; cost 12k USD/year }   // saves far less than 1M",
    "check the savings and benefits by lever (`blueprintc cost --savings`), lengthen the "
    "horizon if the payback lies beyond it, or reduce the investment",
)
BUSINESS_CASE_WITHOUT_BASELINE = _code(
    "CXB0617",
    "business-case-without-baseline",
    E,
    "An `assert` names a business-case figure but there is no baseline",
    """
`payback`, `irr`, `roi` and `savings(...)` are figures of the business case, which compares
the design with the center the client runs today. That center is described by the
`baseline` block; without one these figures do not exist, and the assertion cannot be
checked.
""",
    "assert payback <= 24 months   // but the blueprint has no `baseline`",
    "describe today's operation in a `baseline` block (its volumes and its `cost`, or its "
    "staff), or remove the assertion",
)
BENEFIT_OUTSIDE_HORIZON = _code(
    "CXB0618",
    "benefit-outside-horizon",
    W,
    "A benefit starts after the horizon ends",
    """
Business case. A `benefit` starts in its `from` month, or when the last of its `because`
items goes live in the plan. That month lies after the last month of the horizon, so the
benefit counts nothing in the business case. The message gives both months.
""",
    "baseline { volume voice 12k/year; cost 120k USD/year }\n"
    'benefit b { amount 10k USD/year; from 2031-01; source "Study" }   // horizon ends 2029-12',
    "move the `from` month into the horizon, or lengthen the horizon",
)
BUSINESS_FIGURE_UNDEFINED = _code(
    "CXB0619",
    "business-figure-undefined",
    E,
    "An `assert` names a business-case figure that has no value",
    """
Business case. `roi` divides the return by the investment, the design's capital
expenditure: without any there is nothing to return on. `irr` is the rate at which the
net cash flow's present value is zero: when the net cash flow is never negative (or
never positive) no rate balances it. The assertion cannot be checked; the message says
which case it is.
""",
    "baseline { volume voice 12k/year; cost 120k USD/year }\n"
    "assert roi >= 50%   // but the design spends no capital",
    "assert on `payback` or `savings(...)` instead, or revise the design's figures",
)
FIELD_IGNORED_BY_MODE = _code(
    "CXB0620",
    "field-ignored-by-mode",
    W,
    "A channel field that has no effect in the channel's mode",
    """
Sizing. The channel sets a field its mode does not use, so the figure would silently
change nothing. A deferred channel (e-mail, back office) is sized on its `response`
target: its work waits in a backlog, so `patience`, `max_abandon` and `max_asa` (which
describe callers waiting on the line) and `target` have no effect, and its agents work one
item at a time, so `concurrency` has none either. A real-time channel is sized on its
`target`, not on `response`. A self-service channel has no agents: none of the staffing
fields (`target`, `response`, `max_asa`, `max_abandon`, `patience`, `shrinkage`,
`occupancy`, `concurrency`, `minimum_agents`) is used. The message names the field and the
mode; a field the channel inherits is reported with a label at the template's line.
`occupancy` is applied in every mode that has agents (see docs/sizing.md).
""",
    "channel email { kind email; mode deferred; hours mon..fri 08:00-18:00\n"
    "  response 90% within 24 h; max_asa 4 h }   // max_asa: no effect on deferred work",
    "remove the field, or change the channel's `mode` if the customers wait on the line",
)

# -- 07: planning and finance -----------------------------------------------------------------

BUDGET_OVERRUN = _code(
    "CXB0701",
    "budget-overrun",
    W,
    "The costs of a phase or budget exceed its amount",
    """
Financial design. The capital expenditure the financial design computes for the items a
phase (or a `budget`) covers - implementation, licences for the sized seats and users,
fit-out, introducing practices - is more than its budget. The message gives the overrun.
""",
    "component acd { supports voice; licence 1_000 USD/seat }\n"
    "phase one { includes acd; budget 1k USD }   // the ACD's 3 licences cost 3k",
    "raise the budget, move items to a later phase, or reduce their cost",
)
PLAN_INFEASIBLE = _code(
    "CXB0702",
    "plan-infeasible",
    E,
    "The phasing plan cannot place an item",
    """
Phasing. An item cannot be placed in any phase: its cost fits no phase's budget, or it
depends on an item that could not be placed; or an item (such as a channel launch) is
included in a phase before an item it needs. The message names the items.
""",
    "phase only { budget 10k USD }\ncomponent acd { implementation 50k USD }",
    "raise a budget, add a phase, or reduce the item's cost",
)
PHASE_TIMING = _code(
    "CXB0703",
    "phase-timing",
    W,
    "Phase dates do not fit their order",
    """
Phasing. A phase's declared start comes before the end of a phase it follows, an item
starts before a dependency in an earlier (overlapping) phase has finished, or a phase's
items need longer than its declared `duration` (which pushes later phases back).
""",
    "phase one { start 2027-01; duration 6 months }\nphase two { after one; start 2027-03 }",
    "move the start, or drop the `after`",
)
WEIGHTS_NORMALISED = _code(
    "CXB0704",
    "weights-normalised",
    W,
    "Criterion weights do not add up to 100%",
    """
Vendor selection. The weights of the selection criteria add up to something other than
100%; they were scaled so that they do. The ranking is the same, but the printed weights
differ from the ones written.
""",
    "criterion price { weight 40% }\ncriterion fit { weight 40% }   // 80%\n"
    "vendor v { score { price 3; fit 4 } }",
    "adjust the weights so that they add up to 100%",
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
EXTENDS_TOO_DEEP = _code(
    "CXB0417",
    "extends-too-deep",
    E,
    "Declarations extend one another in too long a chain",
    """
A declaration extends one that extends another, and so on, more than 32 declarations in
a row. Each declaration's fields are worked out through its whole chain, so the limit
keeps that work bounded; real designs need two or three levels (a standard-library
template, the organisation's variant, a site's variant). The `extends` that would make
the chain too long is reported and ignored; the chain restarts there.
""",
    "channel v1 extends std.voice {}\nchannel v2 extends v1 {}\n// ... up to v33",
    "extend the template directly rather than each declaration extending the previous one",
)
NAME_TOO_LONG = _code(
    "CXB0420",
    "name-too-long",
    E,
    "A name longer than 128 characters",
    """
A declaration, promise or value is named with more than 128 characters. Names are read
in every message, table and document that mentions them; real names are a few words
joined by `_`. The declaration is not checked further.
""",
    "segment households_with_two_cars_and_a_mortgage_... { }   // 129 characters or more",
    "shorten the name; put the long wording in `description`",
)
INTERVAL_WORKLOAD_TOO_LARGE = _code(
    "CXB0421",
    "interval-workload-too-large",
    E,
    "One interval's work needs more than a million agents",
    """
Sizing. The contacts arriving in one interval of a channel, times their handle time,
would keep more than 1,000,000 agents busy for the whole interval. No center is that
large, and the queueing models are not computed that far; the channel is not sized.
The message names the channel, the month, the day and the interval. Usually a volume,
a handle time or a unit is wrong (`24 h` instead of `24 min`), or an arrival pattern
puts a month's contacts into a few intervals.
""",
    "process p { service s; volume 900M/year; mix { voice 100% }; aht { voice 24 h } }",
    "check the volumes, handle times and arrival patterns that feed the channel",
)
TOO_MANY_INTERVALS = _code(
    "CXB0422",
    "too-many-intervals",
    E,
    "More intervals to size than one compilation takes",
    """
Sizing. Each queue (a channel's inbound work, and its outbound work) is sized for a
representative week of every month of the horizon: queues × months × 7 days × intervals
a day. Past 30,000,000 intervals the arrays would take several gigabytes of memory, so
nothing is sized. A 3-year horizon at 30-minute intervals allows about 2,400 queues; a
30-year horizon at 15-minute intervals about 120.
""",
    'blueprint "B" { horizon 30 years; interval 15 min }\n// ... and 125 channels',
    "size fewer channels at once, shorten the horizon, or use longer intervals",
)
EMPTY_LABEL = _code(
    "CXB0423",
    "empty-label",
    E,
    "A `label` with no text",
    """
A `label` is the name the documents show a reader for a declaration (`label "Technical
support"` for the channel `tech_voice`). This one is empty or only spaces, so the
declaration would be shown as nothing at all.
""",
    'channel voice { label "" }',
    "write the name the client uses, or remove the line (the documents then show the "
    "declaration's name)",
)
DUPLICATE_LABEL = _code(
    "CXB0424",
    "duplicate-label",
    W,
    "Two declarations of one kind are shown under the same name",
    """
Two declarations of the same kind (two channels, two components, ...) would be shown to
a reader under the same name: both have this `label`, or one's label is how the other's
name reads (`tech_voice` reads "Tech voice"). Case and spacing are not counted. A client
reading the documents could not tell the two apart. The first declaration is labelled.
""",
    'channel voice { label "Phone" }\nchannel callback { label "phone" }',
    "give each declaration a label of its own",
)
UNKNOWN_LOCALE = _code(
    "CXB0425",
    "unknown-locale",
    E,
    "A `locale` that is not a known CLDR locale",
    """
The blueprint's `locale` says how the documents write numbers, amounts and dates and
whether areas are metric: it is a locale identifier of the Unicode Common Locale Data
Repository (CLDR): a language code, then a territory code, joined by `_` (`en_GB`,
`de_CH`, `fr_CA`; the BCP 47 form `en-GB` is read too). This one names a language or a
territory CLDR does not know, often a country code written for the language (Japanese is
`ja`, Japan is `JP`: `ja_JP`).
""",
    'blueprint "B" { currency JPY; start 2027-01; horizon 3 years; locale "jp_JP" }',
    None,
)
RISK_WITHOUT_OWNER = _code(
    "CXB0426",
    "risk-without-owner",
    W,
    "A risk has no owner",
    """
Risk register. A `risk` without an `owner` has no one to watch it and act when it
occurs; the register of risks is incomplete until every risk has one.
""",
    'risk vendor_lock_in { likelihood medium; impact high; mitigation "Exit clause" }',
    'name who owns it: `owner "CIO"`',
)
RISK_WITHOUT_MITIGATION = _code(
    "CXB0427",
    "risk-without-mitigation",
    W,
    "A risk has no mitigation",
    """
Risk register. A `risk` without a `mitigation` says what may go wrong but not what the
design does about it; the register of risks is incomplete until every risk has one (to
accept a risk is a mitigation too: `mitigation "Accepted: ..."`).
""",
    'risk vendor_lock_in { likelihood medium; impact high; owner "CIO" }',
    'say what reduces or contains it: `mitigation "Exit clause and data export in the contract"`',
)
