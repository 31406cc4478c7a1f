"""Incremental parsing gives what parsing the whole file gives, after any edit.

The referee is :func:`blueprintc.syntax.parse.parse_file` on the new text: the tree
(every node and span, comments included) and the diagnostics must be equal. Edits are
random (anywhere, of any length, with text made of the language's own characters and
snippets) on the examples, the standard library and a generated blueprint, one at a time
and in chains (each chain through one memo, as an editor types).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.resources import resource_dir
from blueprintc.source import SourceFile
from blueprintc.syntax import ast
from blueprintc.syntax.incremental import ParseMemo, reparse
from blueprintc.syntax.parse import parse, parse_file
from tests.bench.generate import generated_blueprint

ROOT = Path(__file__).resolve().parents[2]
TEXTS = {
    "northwind": (ROOT / "examples" / "northwind_bank.cxb").read_text(encoding="utf-8"),
    "harbor": (ROOT / "examples" / "harbor_insurance.cxb").read_text(encoding="utf-8"),
    "thornvale": (ROOT / "examples" / "thornvale_water.cxb").read_text(encoding="utf-8"),
    "channels": (resource_dir("stdlib") / "channels.cxb").read_text(encoding="utf-8"),
    "generated": generated_blueprint(2),
    "tight": 'blueprint "T" { currency USD };use std/channels;a {}b { x 1 }\nassert x(y) <= 5%',
}
SNIPPETS = [
    "shrinkage 30%\n",
    "  aht { voice 4 min }\n",
    "}",
    "{",
    "{ }",
    "\n",
    ";",
    '"',
    '"text"',
    "//",
    "/*",
    "*/",
    "/* c */",
    "// note\n",
    ",",
    "(",
    ")",
    "..",
    "08:00-20:00",
    "2027-05",
    "1.5k",
    "assert occupancy(voice) <= 85%\n",
    "channel c {\n  hours daily 00:00-24:00\n}\n",
    "x.y",
    "-",
    "%",
    "\r\n",
]
INSERTS = st.one_of(
    st.sampled_from(SNIPPETS),
    st.text(alphabet='abz_09 \n\t{};,."/*%()-:<=', max_size=6),
)


WORDS = re.compile(r"[\w.]+")
LINES = ["  shrinkage 30%\n", "  // a comment\n", "  aht { voice 4 min }\n", "\n", "  x 1, 2\n"]


@st.composite
def edits(draw: st.DrawFn, text: str) -> tuple[int, int, str]:
    """(start, end, new text) of one edit of ``text``: anywhere, or a word or a line."""
    kind = draw(st.sampled_from(["anywhere", "word", "line"]))
    if kind == "word":
        words = list(WORDS.finditer(text))
        word = words[draw(st.integers(0, len(words) - 1))]
        new = draw(st.one_of(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True), INSERTS))
        return word.start(), word.end(), new
    if kind == "line":
        starts = [0, *(m.end() for m in re.finditer("\n", text))]
        start = starts[draw(st.integers(0, len(starts) - 1))]
        return start, start, draw(st.sampled_from(LINES))
    start = draw(st.integers(0, len(text)))
    length = draw(st.one_of(st.just(0), st.integers(0, 3), st.integers(0, 40)))
    return start, min(len(text), start + length), draw(INSERTS)


def apply(text: str, edit: tuple[int, int, str]) -> str:
    start, end, new = edit
    return text[:start] + new + text[end:]


def full(text: str) -> tuple[SourceFile, ast.Module, tuple[object, ...]]:
    source = SourceFile("t.cxb", text)
    sink = DiagnosticSink()
    return source, parse_file(source, sink), sink.sorted()


def assert_same_as_full(memo: ParseMemo, text: str) -> None:
    """The memo's parse of ``text`` equals the whole parse of it, diagnostics included."""
    source = SourceFile("t.cxb", text)
    sink, reference = DiagnosticSink(), DiagnosticSink()
    expected = parse_file(source, reference)
    with memo.active():
        got = parse(source, sink)
    assert got == expected
    assert sink.sorted() == reference.sorted()


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_PARSED = {name: full(text)[1] for name, text in TEXTS.items()}


@pytest.mark.parametrize("name", sorted(TEXTS))
@SETTINGS
@given(data=st.data())
def test_one_edit_parses_as_the_whole_file(name: str, data: st.DataObject) -> None:
    text = TEXTS[name]
    source, expected, diagnostics = full(apply(text, data.draw(edits(text))))
    module = reparse(_PARSED[name], source)
    event("re-parsed one statement" if module is not None else "parsed the whole file")
    if module is not None:  # otherwise the memo parses the whole file: equal by definition
        assert module == expected
        assert diagnostics == ()


@pytest.mark.parametrize("name", ["northwind", "generated", "tight"])
@settings(SETTINGS, max_examples=25)
@given(data=st.data())
def test_chains_of_edits_parse_as_the_whole_file(name: str, data: st.DataObject) -> None:
    text = TEXTS[name]
    memo = ParseMemo()
    assert_same_as_full(memo, text)
    for _ in range(data.draw(st.integers(1, 8))):
        text = apply(text, data.draw(edits(text)))
        assert_same_as_full(memo, text)


def test_an_edit_inside_a_block_parses_only_that_block() -> None:
    text = TEXTS["generated"]
    memo = ParseMemo()
    assert_same_as_full(memo, text)
    broken = text.replace("  shrinkage 33%\n", "  shrinkge 33%\n", 1)
    assert_same_as_full(memo, broken)
    assert_same_as_full(memo, text)
    assert_same_as_full(memo, text)  # the same text again: every statement copied
    assert (memo.full, memo.reused) == (1, 3)


def test_reparse_refuses_what_it_cannot_prove() -> None:
    text = TEXTS["tight"]
    _, last, _ = full(text)
    edited = {
        "across two statements": text.replace("a {}b", "a {} b"),
        "between statements": text.replace(";use", "; use"),
        "a new syntax error": text.replace("x 1", "x 1 }"),
        "an unclosed block": text.replace("{ x 1 }", "{ x 1 {"),
        "the block's closing brace": text.replace("x 1 }", "x 1 ]"),
        "a statement split in two": text.replace("{ x 1 }", "{ x 1 }\nc { }"),
    }
    for what, new in edited.items():
        assert new != text, what
        assert reparse(last, SourceFile("t.cxb", new)) is None, what


def test_spans_after_the_edit_move_with_it() -> None:
    text = TEXTS["generated"]
    _, last, _ = full(text)
    offset = text.index("  shrinkage 33%")
    new = text[:offset] + '  // more\n  description "longer"\n' + text[offset:]
    source = SourceFile("t.cxb", new)
    module = reparse(last, source)
    assert module is not None
    assert module == parse_file(source, DiagnosticSink())
    comment = next(c for c in module.comments if c.text == "// more")
    assert comment.span.file is source and comment.span.text == "// more"
    last_statement = module.statements[-1]
    assert last_statement.span.file is source
    assert last_statement.span.text == text[last.statements[-1].span.start :].rstrip("\n")
