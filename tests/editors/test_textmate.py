"""The TextMate grammar (:mod:`blueprintc.editors.textmate`) under VS Code's own engine.

``editors/vscode/test/tokenize.js`` tokenises texts with ``vscode-textmate`` and
``vscode-oniguruma`` (pinned in ``editors/vscode/package.json``). The engine tests skip
with a message when Node.js or those packages are missing; install them with
``npm ci --prefix editors/vscode``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.editors import textmate
from blueprintc.editors.textmate import Scope
from blueprintc.semantic import figures, schema, slots, units
from blueprintc.source import SourceFile
from blueprintc.syntax.parse import parse

ROOT = Path(__file__).resolve().parent.parent.parent
EXTENSION = ROOT / "editors" / "vscode"
GRAMMAR = EXTENSION / "syntaxes" / "cxb.tmLanguage.json"
SHIPPED = sorted([*(ROOT / "examples").rglob("*.cxb"), *(ROOT / "stdlib").rglob("*.cxb")])
INSTALL = "npm ci --prefix editors/vscode"

Tokens = list[list[tuple[int, int, str]]]


# -- the committed grammar -----------------------------------------------------------------


def test_committed_grammar_is_current() -> None:
    assert GRAMMAR.read_text(encoding="utf-8") == textmate.render(), (
        "regenerate: python -m blueprintc.editors.textmate > "
        "editors/vscode/syntaxes/cxb.tmLanguage.json"
    )


def test_grammar_names_the_language() -> None:
    grammar = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    assert grammar["scopeName"] == textmate.SCOPE_NAME == "source.cxb"
    assert grammar["fileTypes"] == ["cxb"]


def test_field_names_cover_nested_blocks() -> None:
    names = textmate.field_names()
    assert "promise" in names  # a brand's block
    for spec in schema.DECLARATIONS.values():
        for field in spec.block.fields:
            assert field.name in names
            if field.block is not None:
                assert {f.name for f in field.block.fields} <= set(names)


def test_grammar_words_come_from_the_schema() -> None:
    text = GRAMMAR.read_text(encoding="utf-8")
    for word in [
        *schema.DECLARATIONS,
        *schema.KEYWORDS,
        *figures.BY_NAME,
        *units.TIME_UNITS,
        *units.COUNT_UNITS,
        *slots.DAY_NAMES,
        *slots.MONTH_NAMES,
    ]:
        assert re.search(rf"[(|:]{re.escape(word)}[|)]", text), word


# -- VS Code's engine ----------------------------------------------------------------------


def tokenize(texts: dict[str, str]) -> dict[str, Tokens]:
    """Each text's tokens per line, as VS Code's TextMate engine gives them."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("the TextMate grammar check needs Node.js (`node` is not on PATH)")
    if not (EXTENSION / "node_modules" / "vscode-textmate" / "package.json").is_file():
        pytest.skip(f"the TextMate grammar check needs the npm packages: run `{INSTALL}`")
    result = subprocess.run(
        [node, str(EXTENSION / "test" / "tokenize.js")],
        input=json.dumps({"texts": texts}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    answer: dict[str, Tokens] = json.loads(result.stdout)
    return answer


def lines_of(text: str) -> list[str]:
    return re.split(r"\r\n|\n|\r", text)


def gaps(text: str, tokens: Tokens) -> list[str]:
    """Every non-space character with no scope but ``source.cxb`` and ``meta.*`` ones, and
    every character scoped invalid, as ``line:column 'text' scopes``."""
    found = []
    lines = lines_of(text)
    assert len(tokens) == len(lines)
    for number, (line, line_tokens) in enumerate(zip(lines, tokens, strict=True), start=1):
        covered = 0
        for start, end, scopes in line_tokens:
            assert start == covered, (number, line)
            covered = end
            names = [s for s in scopes.split() if s != "source.cxb" and not s.startswith("meta.")]
            piece = line[start:end]
            if (piece.strip() and not names) or any(s.startswith("invalid.") for s in names):
                found.append(f"{number}:{start + 1} {piece!r} {scopes}")
        assert covered == len(line), (number, line)
    return found


def _valid_cases() -> dict[str, str]:
    """The test cases and documented examples the parser accepts."""
    texts: dict[str, str] = {}
    for path in sorted((ROOT / "tests" / "cases").rglob("*.cxb")):
        try:
            texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # the case of a file that is not UTF-8
            continue
    for page in sorted((ROOT / "docs").rglob("*.md")):
        blocks = re.findall(r"```cxb\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
        for number, block in enumerate(blocks, start=1):
            texts[f"{page.relative_to(ROOT)} block {number}"] = block
    valid = {}
    for name, text in texts.items():
        sink = DiagnosticSink()
        parse(SourceFile("t.cxb", text), sink)
        if not len(sink):
            valid[name] = text
    return valid


def test_shipped_files_found() -> None:
    assert len(SHIPPED) >= 6, SHIPPED


def test_every_shipped_file_tokenises_without_gaps() -> None:
    """Every example and standard-library module: each character has a token scope."""
    texts = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in SHIPPED}
    tokens = tokenize(texts)
    problems = {name: gaps(text, tokens[name]) for name, text in texts.items()}
    assert not {name: found for name, found in problems.items() if found}


def test_every_valid_case_and_documented_example_tokenises_without_gaps() -> None:
    texts = _valid_cases()
    assert len(texts) > 50
    tokens = tokenize(texts)
    problems = {name: gaps(text, tokens[name]) for name, text in texts.items()}
    assert not {name: found for name, found in problems.items() if found}


def test_gaps_are_found() -> None:
    """The check is not vacuous: a character the language does not allow is reported."""
    text = "segment a { share @ }\nblueprint “Title” {}\n"
    found = gaps(text, tokenize({"bad": text})["bad"])
    assert [entry.split()[:2] for entry in found] == [
        ["1:19", "'@'"],
        ["2:11", "'“'"],
        ["2:17", "'”'"],
    ]


def test_unscoped_characters_are_gaps() -> None:
    """A character with only the file's scope or grouping (``meta.*``) scopes is a gap."""
    tokens = [[(0, 1, "source.cxb"), (1, 2, "source.cxb meta.block.cxb"), (2, 4, "source.cxb")]]
    assert gaps("ab \t", tokens) == [
        "1:1 'a' source.cxb",
        "1:2 'b' source.cxb meta.block.cxb",
    ]


SAMPLE = r"""/* A sample: every construct,
   once. */
blueprint "Sample \"care\"" { currency USD; start 2027-01-15 }
use std/channels; use "./rfp.cxb"
channel voice extends std.voice {
  hours mon..fri 08:00-20:00, sat 9:00 - 14:00
  usage 0.012 USD/seat/month   // per seat per month
  running 95 USD / seat / month
}
pattern winter { monthly jan 1.15, feb 1_000.5,
                 dec 1.1M }
process claims {
  service claims; volume 38_000/month; growth -5%/year
  aht { voice 4.5 min; std.chat 2B calls }
  allow CXB0516 because "no bot yet"
}
criterion price { weight 40% } criterion support { weight 250k }
assert capex(year 1) <= 1.8M USD and not (fte(total) > 400 + 2 * 3 - 1)
"""


@pytest.fixture(scope="module")
def sample() -> list[tuple[int, str, list[str]]]:
    """The sample's tokens as (line, text, scopes), whitespace left out."""
    tokens = tokenize({"sample": SAMPLE})["sample"]
    assert not gaps(SAMPLE, tokens)
    out = []
    for number, (line, line_tokens) in enumerate(zip(lines_of(SAMPLE), tokens, strict=True), 1):
        for start, end, scopes in line_tokens:
            if line[start:end].strip():
                out.append((number, line[start:end], scopes.split()))
    return out


@pytest.mark.parametrize(
    ("line", "text", "scope"),
    [
        (1, "/*", Scope.COMMENT_PUNCTUATION),
        (1, " A sample: every construct,", Scope.COMMENT_BLOCK),
        (2, "   once. ", Scope.COMMENT_BLOCK),
        (3, "blueprint", Scope.DECLARATION),
        (3, '\\"', Scope.ESCAPE),
        (3, "currency", Scope.FIELD),
        (3, "2027-01-15", Scope.DATE),
        (3, "}", Scope.BLOCK_END),
        (4, "use", Scope.USE),
        (4, "std/channels", Scope.MODULE),
        (4, ";", Scope.TERMINATOR),
        (4, "./rfp.cxb", Scope.STRING),
        (5, "channel", Scope.DECLARATION),
        (5, "voice", Scope.DECLARED_NAME),
        (5, "extends", Scope.EXTENDS),
        (5, "std", Scope.NAMESPACE),
        (5, ".", Scope.ACCESSOR),
        (6, "hours", Scope.FIELD),
        (6, "mon", Scope.DAY),
        (6, "..", Scope.RANGE),
        (6, "08:00", Scope.TIME),
        (6, ",", Scope.COMMA),
        (6, "9:00", Scope.TIME),
        (7, "0.012", Scope.NUMBER),
        (7, "USD", Scope.UNIT_CURRENCY),
        (7, "/", Scope.UNIT_PER),
        (7, "seat", Scope.UNIT_COUNT),
        (7, "month", Scope.UNIT_TIME),
        (7, "//", Scope.COMMENT_PUNCTUATION),
        (7, " per seat per month", Scope.COMMENT_LINE),
        (8, "95", Scope.NUMBER),
        (8, "seat", Scope.UNIT_COUNT),
        (10, "jan", Scope.MONTH),
        (10, "1_000.5", Scope.NUMBER),
        (11, "dec", Scope.MONTH),  # the list goes on after a trailing comma
        (11, "1.1M", Scope.NUMBER),
        (13, "service", Scope.FIELD),
        (13, "claims", Scope.NAME),
        (13, "volume", Scope.FIELD),  # a field after `;`
        (13, "38_000", Scope.NUMBER),
        (13, "-", Scope.ARITHMETIC),
        (13, "%", Scope.PERCENT),
        (13, "year", Scope.UNIT_TIME),
        (14, "aht", Scope.FIELD),
        (14, "voice", Scope.KEY),  # a map entry's key
        (14, "chat", Scope.KEY),
        (14, "4.5", Scope.NUMBER),
        (14, "min", Scope.UNIT_TIME),
        (14, "calls", Scope.UNIT_COUNT),
        (15, "allow", Scope.ALLOW),
        (15, "CXB0516", Scope.CODE),
        (15, "because", Scope.BECAUSE),
        (15, "no bot yet", Scope.STRING),
        (17, "criterion", Scope.DECLARATION),  # a second declaration on the line
        (17, "support", Scope.DECLARED_NAME),
        (17, "250k", Scope.NUMBER),
        (18, "assert", Scope.ASSERT),
        (18, "capex", Scope.FUNCTION),
        (18, "(", Scope.PAREN_BEGIN),
        (18, "<=", Scope.COMPARISON),
        (18, "and", Scope.LOGICAL),
        (18, "not", Scope.LOGICAL),
        (18, "total", Scope.NAME),
        (18, "*", Scope.ARITHMETIC),
    ],
)
def test_token_scope(
    sample: list[tuple[int, str, list[str]]], line: int, text: str, scope: Scope
) -> None:
    found = [scopes for number, piece, scopes in sample if number == line and piece == text]
    assert found, f"no token {text!r} on line {line}: {[t for t in sample if t[0] == line]}"
    assert found[0][-1] == scope, found[0]  # the first such token on the line


def test_every_token_scope_is_used_by_the_grammar() -> None:
    text = GRAMMAR.read_text(encoding="utf-8")
    for scope in Scope:
        assert f'"{scope}"' in text, scope
