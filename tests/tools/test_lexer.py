"""The Pygments lexer (:mod:`blueprintc.pygments_lexer`): every construct, every shipped file.

The golden token stream of :data:`SAMPLE` is ``tests/tools/lexer_golden.txt``, one
``TokenType<TAB>repr(value)`` line per token. Regenerate it on purpose with
``BLUEPRINTC_UPDATE_GOLDEN=1`` (or ``pytest --update-golden``) and read the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
    _TokenType,
    is_token_subtype,
)
from pygments.util import ClassNotFound

from blueprintc import pygments_lexer
from blueprintc.diagnostics import DiagnosticSink
from blueprintc.pygments_lexer import CxbLexer
from blueprintc.semantic import schema, slots
from blueprintc.source import SourceFile
from blueprintc.syntax.parse import parse

ROOT = Path(__file__).resolve().parent.parent.parent
GOLDEN = Path(__file__).resolve().parent / "lexer_golden.txt"
SHIPPED = sorted([*(ROOT / "examples").rglob("*.cxb"), *(ROOT / "stdlib").rglob("*.cxb")])

# Every construct of the language once (it parses: see test_sample_is_valid).
SAMPLE = r"""/* Golden sample: every construct of the language,
   lexed by blueprintc.pygments_lexer.CxbLexer. */
blueprint "Sample \"care\"\n" { currency USD; start 2027-01-15 }
use std/channels; use "./rfp.cxb"
channel voice extends std.voice {
  hours mon..fri 08:00-20:00, sat 9:00 - 14:00, daily 00:00-24:00
  usage 0.012 USD/seat/month   // a price per seat per month
  running 95 USD / seat / month
}
pattern winter { monthly jan 1.15, feb 1_000.5,
                 dec 1.1M }
process claims {
  service claims; volume 38_000/month; growth -5%/year
  aht { voice 4.5 min; chat 2B calls }
  allow CXB0516 because "no bot yet"
}
criterion price { weight 40% } criterion support { weight 250k }
assert capex(year 1) <= 1.8M USD and not (fte(total) > 400 + 2 * 3 - 1)
assert x >= 2027-01 or x < 5 min or x == 1 or x != 2
"""


def lex(text: str) -> list[tuple[_TokenType, str]]:
    """All tokens, exactly as in ``text`` (no newline added or stripped)."""
    return [(token, value) for _, token, value in CxbLexer().get_tokens_unprocessed(text)]


def significant(text: str) -> list[tuple[_TokenType, str]]:
    return [(token, value) for token, value in lex(text) if token is not Whitespace]


def golden_lines(text: str) -> str:
    return "".join(f"{token!s}\t{value!r}\n" for token, value in lex(text))


# -- shipped files -------------------------------------------------------------------------


def test_shipped_files_found() -> None:
    assert len(SHIPPED) >= 6, SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_file_lexes_without_error(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tokens = list(CxbLexer().get_tokens_unprocessed(text))
    errors = [
        (text.count("\n", 0, i) + 1, value) for i, t, value in tokens if is_token_subtype(t, Error)
    ]
    assert not errors, f"Error tokens (line, text): {errors}"
    assert "".join(value for _, _, value in tokens) == text
    offsets = [i for i, _, _ in tokens]
    lengths = [len(value) for _, _, value in tokens]
    assert offsets == [sum(lengths[:k]) for k in range(len(tokens))]


def _documented_blocks() -> list[str]:
    blocks = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        blocks += re.findall(r"```cxb\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    return blocks


def _diagnostic_cases() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "cases").rglob("*.cxb")):
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:  # the case of a file that is not UTF-8
            continue
    return texts


def test_every_valid_snippet_lexes_without_error() -> None:
    """Whatever the parser accepts (documentation examples, test cases) has no Error token."""
    checked = 0
    for text in [*_documented_blocks(), *_diagnostic_cases()]:
        sink = DiagnosticSink()
        parse(SourceFile("t.cxb", text), sink)
        tokens = lex(text)
        assert "".join(value for _, value in tokens) == text
        if not len(sink):
            checked += 1
            assert not [v for t, v in tokens if is_token_subtype(t, Error)], text
    assert checked > 50


def test_invalid_characters_are_errors() -> None:
    assert (Error, "@") in lex("segment a { share @ }\n")
    assert (Error, "“") in lex("blueprint “Title” {}\n")


# Pieces of every kind of token, valid or not, for random texts.
FRAGMENTS = [
    *["a", "std.voice", "use", "assert", "and", "segment", "min", "mon", "CXB0101"],
    *[" ", "\t", "\n", "\r\n", "1", "2.5", "1k", "08:00", "2027-01", "\ufeff"],
    *["-", "..", ".", "%", "/", '"', "\\", "{", "}", ";", ",", "(", ")", "<=", "*"],
    *["//", "/*", "*/", "@", "“"],
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_any_text_round_trips(text: str) -> None:
    assert "".join(value for _, value in lex(text)) == text
    # get_tokens drops a leading byte order mark and turns \r\n and \r into \n.
    lexer = CxbLexer(stripnl=False, ensurenl=False)
    processed = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    assert "".join(value for _, value in lexer.get_tokens(text)) == processed


# -- the golden token stream ---------------------------------------------------------------


def test_sample_is_valid() -> None:
    sink = DiagnosticSink()
    parse(SourceFile("sample.cxb", SAMPLE), sink)
    assert not len(sink), [d.message for d in sink.sorted()]
    assert not [v for t, v in lex(SAMPLE) if is_token_subtype(t, Error)]


def test_golden_token_stream(update_golden: bool) -> None:
    actual = golden_lines(SAMPLE)
    if update_golden or os.environ.get("BLUEPRINTC_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(actual, encoding="utf-8")
    assert GOLDEN.exists(), f"no golden file {GOLDEN}; run with BLUEPRINTC_UPDATE_GOLDEN=1"
    assert actual == GOLDEN.read_text(encoding="utf-8")


# -- constructs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A declaration keyword starts a top-level statement; inside a block it is a field.
        ("process p { service claims }", [(Keyword.Declaration, "process"), (Name, "p")]),
        ("process p { service claims }", [(Name.Attribute, "service"), (Name, "claims")]),
        ("outbound o {\n  channel voice\n}", [(Name.Attribute, "channel")]),
        # After a block, the next statement starts (several declarations on one line).
        (
            "criterion a { w 1 } criterion b {}",
            [(Punctuation, "}"), (Keyword.Declaration, "criterion")],
        ),
        # A list continues on the next line after a trailing comma.
        (
            "service s {\n  segments a,\n    b\n  value c\n}",
            [(Name, "b"), (Name.Attribute, "value")],
        ),
        # A word after a number is its unit; reserved words are not.
        ("assert x <= 1.8M USD and y", [(Keyword.Type, "USD"), (Keyword, "and")]),
        ("s { v 38_000 calls/month }", [(Number, "38_000"), (Keyword.Type, "calls/month")]),
        ("s { v 4%/year }", [(Keyword.Type, "%/year")]),
        ("s { v 5min }", [(Number, "5"), (Keyword.Type, "min")]),
        ("s { v 1..5 }", [(Number, "1"), (Operator, ".."), (Number, "5")]),
        ("s { target 80% within 20 s }", [(Keyword.Type, "%"), (Name, "within")]),
        ("s { x 5 std.voice }", [(Number, "5"), (Name.Namespace, "std"), (Punctuation, ".")]),
        # Clocks, dates and day ranges.
        ("s { h sat 09:00 - 14:00 }", [(Literal.Date, "09:00"), (Operator, "-")]),
        ("s { after 2027-01 }", [(Literal.Date, "2027-01")]),
        ("s { on fri..mon }", [(Name.Constant, "fri"), (Operator, ".."), (Name.Constant, "mon")]),
        # Dotted references: every qualifier is a namespace.
        ("s { x a.b.c }", [(Name.Namespace, "a"), (Punctuation, "."), (Name.Namespace, "b")]),
        ("s {\n  a.b c\n}", [(Name.Namespace, "a"), (Punctuation, "."), (Name, "b"), (Name, "c")]),
        # `allow` starts a statement; `because` connects its reason.
        ('s { allow CXB0205 because "x" }', [(Keyword, "allow"), (Name.Label, "CXB0205")]),
        # Comments stand where spaces may, even inside a statement.
        ("s { a 1, /* b */\n c }", [(Comment.Multiline, "/* b */"), (Name, "c")]),
        ('s { d "a\\tb" }', [(String.Escape, "\\t")]),
        # Files that do not compile still lex: an unclosed text or comment, a stray brace.
        ('s { d "open\n e 1 }', [(Name.Attribute, "e")]),
        ("} segment x /* open", [(Keyword.Declaration, "segment")]),
        ("\ufeffsegment a {}", [(Whitespace, "\ufeff"), (Keyword.Declaration, "segment")]),
    ],
)
def test_construct(text: str, expected: list[tuple[_TokenType, str]]) -> None:
    tokens = lex(text)
    assert not [v for t, v in tokens if is_token_subtype(t, Error)]
    stream = significant(text) if all(t is not Whitespace for t, _ in expected) else tokens
    for i in range(len(stream)):
        if stream[i : i + len(expected)] == expected:
            return
    pytest.fail(f"{expected} not in {stream}")


# -- word lists ----------------------------------------------------------------------------


def test_word_lists_match_the_language() -> None:
    """The lexer copies the schema's words (it must not import the compiler); keep them equal."""
    assert tuple(schema.DECLARATIONS) == pygments_lexer.DECLARATIONS
    assert set(pygments_lexer.KEYWORDS) == {*schema.KEYWORDS, "because"}
    assert (*slots.DAY_NAMES, "daily") == pygments_lexer.DAYS
    assert pygments_lexer.MONTHS == slots.MONTH_NAMES
    fields = {f.name for spec in schema.DECLARATIONS.values() for f in spec.block.fields}
    assert "allow" in fields


def test_lexer_imports_only_pygments_and_the_standard_library() -> None:
    source = Path(pygments_lexer.__file__).read_text(encoding="utf-8")
    imported = re.findall(r"^\s*(?:from|import) ([\w.]+)", source, re.M)
    assert {name.split(".")[0] for name in imported} <= {
        "__future__",
        "collections",
        "typing",
        "pygments",
    }


# -- Pygments integration ------------------------------------------------------------------


def test_html_marks_keywords() -> None:
    html = highlight("segment a { share 5% }\nassert x\n", CxbLexer(), HtmlFormatter())
    assert '<span class="kd">segment</span>' in html
    assert '<span class="k">assert</span>' in html
    assert '<span class="na">share</span>' in html
    assert '<span class="kt">%</span>' in html


def test_registered_with_pygments() -> None:
    try:
        lexer = get_lexer_by_name("cxb")
    except ClassNotFound:
        pytest.skip(
            "the lexer is not registered with Pygments: add the entry point "
            '[project.entry-points."pygments.lexers"] cxb = '
            '"blueprintc.pygments_lexer:CxbLexer" to pyproject.toml and reinstall'
        )
    assert isinstance(lexer, CxbLexer)
    assert isinstance(get_lexer_for_filename("main.cxb"), CxbLexer)
    assert isinstance(get_lexer_by_name("blueprintc"), CxbLexer)
    # Not "blueprint": Pygments' own BlueprintLexer (GNOME Blueprint) has that alias, and
    # built-in lexers win over plugins.


def test_lexer_metadata() -> None:
    assert CxbLexer.name == "CXB"
    assert list(CxbLexer.aliases) == ["cxb", "blueprintc"]
    assert list(CxbLexer.filenames) == ["*.cxb"]
    assert list(CxbLexer.mimetypes) == ["text/x-cxb"]
