"""``blueprintc fmt``: golden layouts, safety checks, idempotence and the command body.

Golden cases are pairs ``tests/cases/fmt/<name>.cxb`` (input) and ``<name>.expected.cxb``
(the canonical text). Regenerate on purpose with ``pytest --update-golden`` and read the diff.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from blueprintc import fmt
from blueprintc.diagnostics import DiagnosticSink
from blueprintc.driver import compile
from blueprintc.source import SourceFile
from blueprintc.syntax.parse import parse

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases" / "fmt"
CORPUS = sorted([*(ROOT / "examples").rglob("*.cxb"), *(ROOT / "stdlib").glob("*.cxb")])
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"


def parsed(text: str) -> Any:
    sink = DiagnosticSink()
    module = parse(SourceFile("t.cxb", text), sink)
    assert not sink.has_errors, [d.message for d in sink.sorted()]
    return module


def assert_equivalent(before: str, after: str) -> None:
    """Same syntax tree (spans ignored) and same comments in the same order."""
    old, new = parsed(before), parsed(after)
    assert fmt.syntax_fingerprint(new) == fmt.syntax_fingerprint(old)
    assert fmt.comment_texts(new) == fmt.comment_texts(old)


def outside_block_comments(text: str) -> str:
    """``text`` with each ``/* */`` comment (copied byte for byte) replaced by ``/**/``."""
    out, pos = "", 0
    for comment in sorted(parsed(text).comments, key=lambda c: c.span.start):
        if comment.text.startswith("/*"):
            out += text[pos : comment.span.start] + "/**/"
            pos = comment.span.end
    return out + text[pos:]


def assert_canonical(text: str) -> None:
    """Outside ``/* */`` comments: no trailing spaces, one kind of line break, one final
    newline, no double blanks."""
    if not text:
        return
    text = outside_block_comments(text)
    if "\r\n" in text:
        assert "\n" not in text.replace("\r\n", ""), "LF and CRLF mixed outside comments"
    text = text.replace("\r\n", "\n")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert not text.startswith("\n")
    assert "\n\n\n" not in text
    for line in text.split("\n"):
        assert line == line.rstrip(), repr(line)


def format_ok(text: str, **kwargs: Any) -> str:
    result = fmt.format_text(text, "t.cxb", **kwargs)
    assert result.ok, (result.reason, [d.message for d in result.diagnostics])
    assert result.changed == (result.text != text)
    again = fmt.format_text(result.text, "t.cxb", **kwargs)
    assert again.ok and again.text == result.text and not again.changed, "not idempotent"
    assert_equivalent(text, result.text)
    assert_canonical(result.text)
    return result.text


# -- golden cases ---------------------------------------------------------------------------


def _golden_cases() -> list[Path]:
    return sorted(p for p in CASES.glob("*.cxb") if not p.name.endswith(".expected.cxb"))


@pytest.mark.parametrize("case", _golden_cases(), ids=lambda p: p.stem)
def test_golden(case: Path, update_golden: bool) -> None:
    source = case.read_bytes().decode("utf-8")  # bytes: keep CRLF line breaks
    actual = format_ok(source)
    expected_path = case.with_name(case.stem + ".expected.cxb")
    if update_golden:
        expected_path.write_bytes(actual.encode("utf-8"))
    assert expected_path.exists(), f"no golden file {expected_path}; run pytest --update-golden"
    expected = expected_path.read_bytes().decode("utf-8")
    assert actual == expected
    # The expected text is itself canonical.
    assert not fmt.format_text(expected, "t.cxb").changed


def test_golden_cases_cover_the_rules() -> None:
    names = {p.stem for p in _golden_cases()}
    assert {
        "comments",
        "blocks",
        "lists",
        "expressions",
        "atoms",
        "blank_lines",
        "empty",
        "only_comments",
        "crlf",
        "block_comments",
        "block_comments_crlf",
    } <= names


def block_comments(text: str) -> list[str]:
    return [c.text for c in parsed(text).comments if c.text.startswith("/*")]


@pytest.mark.parametrize("case", _golden_cases(), ids=lambda p: p.stem)
def test_block_comments_are_copied_byte_for_byte(case: Path) -> None:
    """Trailing spaces, tabs, carriage returns, LF in a CRLF file and the author's
    indentation of the later lines: a ``/* */`` comment comes out as it went in."""
    source = case.read_bytes().decode("utf-8")
    formatted = fmt.format_text(source, "t.cxb").text
    assert block_comments(formatted) == block_comments(source)
    for comment in block_comments(source):
        assert comment in formatted


# -- the repository's own blueprints --------------------------------------------------------


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_corpus_formats_equivalently_and_stably(path: Path) -> None:
    format_ok(path.read_text(encoding="utf-8"))


def test_example_model_is_unchanged_after_formatting(tmp_path: Path) -> None:
    """Format a copy of the examples in place; the compiled design stays the same."""
    copy = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", copy)
    files = sorted(str(p) for p in copy.rglob("*.cxb"))
    out, err = io.StringIO(), io.StringIO()
    assert fmt.run_fmt(files, check=False, diff=False, out=out, err=err) == 0, err.getvalue()
    before = compile(EXAMPLE, until="size")
    after = compile(copy / EXAMPLE.name, until="size")
    assert before.ok and after.ok
    assert fmt.checked_fingerprint(after) == fmt.checked_fingerprint(before)
    assert before.sizing is not None and after.sizing is not None
    assert fmt._strip(after.sizing) == fmt._strip(before.sizing)


def _doc_snippets() -> list[tuple[str, str]]:
    snippets = []
    for doc in sorted((ROOT / "docs").glob("*.md")):
        blocks = re.findall(r"^```cxb\n(.*?)^```", doc.read_text(encoding="utf-8"), re.M | re.S)
        for index, block in enumerate(blocks):
            sink = DiagnosticSink()
            parse(SourceFile("t.cxb", block), sink)
            if not sink.has_errors:
                snippets.append((f"{doc.stem}-{index}", block))
    return snippets


@pytest.mark.parametrize(("name", "snippet"), _doc_snippets(), ids=lambda v: str(v)[:20])
def test_doc_snippets_format(name: str, snippet: str) -> None:
    format_ok(snippet, verify=False)


# -- specific rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a 1", "a 1\n"),
        ("a   80 %  within 20   s", "a 80% within 20 s\n"),
        ("v 38_000 /month, 95 USD / seat / month", "v 38_000/month, 95 USD/seat/month\n"),
        ("g - 5 % / year", "g -5%/year\n"),
        ("h mon .. fri 08:00 - 20:00", "h mon..fri 08:00-20:00\n"),
        ("use std / channels", "use std/channels\n"),
        ("x ( a ,b )", "x (a, b)\n"),
        ('t "a \\"q\\" \\\\ \\n"', 't "a \\"q\\" \\\\ \\n"\n'),
        ("n 1.1M, 250k, 4.50, 1_200_000", "n 1.1M, 250k, 4.50, 1_200_000\n"),
        ("assert a+b*c<=-d", "assert a + b * c <= -d\n"),
        ("assert ((a + b)) * c", "assert (a + b) * c\n"),
        ("assert not(a)or b", "assert not (a) or b\n"),
        ("assert capex( year 1 )<=1.8M  USD", "assert capex(year 1) <= 1.8M USD\n"),
        ("a 1;b 2;;", "a 1\nb 2\n"),
        ("x {  }", "x {}\n"),
        ("mix {\n voice 70%\n ivr 30%\n}", "mix { voice 70%; ivr 30% }\n"),
        ("p { model cloud }", "p { model cloud }\n"),
        ("p {\n model cloud\n}", "p {\n  model cloud\n}\n"),
        ("p { a 1; b 2 }", "p {\n  a 1\n  b 2\n}\n"),
        ("\n\n\na 1\n\n\n", "a 1\n"),
        ("", ""),
        ("\n  \n", ""),
    ],
)
def test_rules(source: str, expected: str) -> None:
    assert format_ok(source, verify=False) == expected


def test_long_list_wraps_one_item_per_line() -> None:
    items = ", ".join(f"item_{k:02d}" for k in range(12))
    text = format_ok(f"p {{\n  segments {items}\n}}\n", verify=False)
    lines = text.splitlines()
    assert lines[1] == "  segments item_00,"
    assert lines[2] == "      item_01,"
    assert lines[12] == "      item_11"
    assert all(len(line) <= fmt.MAX_WIDTH for line in lines)


def test_list_that_fits_is_joined() -> None:
    text = "p {\n  segments a,\n           b,\n           c\n}\n"
    assert format_ok(text, verify=False) == "p {\n  segments a, b, c\n}\n"


def test_map_block_too_long_for_one_line() -> None:
    entries = "; ".join(f"channel_number_{k} {k}0%" for k in range(6))
    text = format_ok(f"process p {{\n  mix {{ {entries} }}\n}}\n", verify=False)
    assert "  mix {\n    channel_number_0 00%\n" in text
    assert all(len(line) <= fmt.MAX_WIDTH for line in text.splitlines())


def test_top_level_blank_lines() -> None:
    source = "use std/a\nuse std/b\nsegment s {\n  share 1%\n}\n// c\nsegment t { share 2% }\n"
    expected = (
        "use std/a\nuse std/b\n\nsegment s {\n  share 1%\n}\n\n// c\nsegment t { share 2% }\n"
    )
    assert format_ok(source, verify=False) == expected


def test_crlf_and_bom_are_kept() -> None:
    result = fmt.format_text("\ufeffa  1\r\nb {\r\n c 2 // x\r\n}\r\n")
    assert result.ok
    assert result.text == "\ufeffa 1\r\n\r\nb {\r\n  c 2  // x\r\n}\r\n"


def test_syntax_errors_return_the_text_unchanged() -> None:
    source = "segment s {\n  share 70% value medium\n"
    result = fmt.format_text(source, "bad.cxb")
    assert not result.ok and not result.changed and result.text == source
    assert result.diagnostics and all(d.code.id.startswith("CXB01") for d in result.diagnostics)


# -- refusal --------------------------------------------------------------------------------


def test_refuses_when_the_syntax_tree_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "syntax_fingerprint", lambda module: object())
    source = "a   1\n"
    result = fmt.format_text(source, "t.cxb")
    assert not result.ok and not result.changed
    assert result.text == source
    assert result.reason is not None and "syntax tree" in result.reason
    assert result.diagnostics[0].code.id == "CXB0901"


def test_refuses_when_comments_differ(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = iter([["// a"], ["// b"]])
    monkeypatch.setattr(fmt, "comment_texts", lambda module: next(calls))
    result = fmt.format_text("a 1   // a\n", "t.cxb")
    assert not result.ok and result.reason is not None and "comments" in result.reason


def test_refuses_when_the_checked_design_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    source = EXAMPLE.read_text(encoding="utf-8")
    monkeypatch.setattr(fmt, "checked_fingerprint", lambda compilation: object())
    result = fmt.format_text(source, str(EXAMPLE))
    assert not result.ok and result.text == source
    assert result.reason is not None and "declarations" in result.reason


def test_verify_compiles_a_file_with_its_relative_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a real path, both texts compile as that file: `use "./northwind/rfp.cxb"`
    resolves and the checked declarations are compared (not just diagnostic codes)."""
    compared: list[object] = []
    real = fmt.checked_fingerprint

    def spy(compilation: Any) -> object:
        compared.append(compilation)
        return real(compilation)

    monkeypatch.setattr(fmt, "checked_fingerprint", spy)
    result = fmt.format_text(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    assert result.ok and len(compared) == 2


def test_refuses_when_not_stable(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fmt.format_module
    count = iter(range(100))
    monkeypatch.setattr(
        fmt, "format_module", lambda module, nl: real(module, nl) + "//" * next(count)
    )
    result = fmt.format_text("a 1\n", "t.cxb", verify=False)
    assert not result.ok and result.reason is not None


def test_refused_file_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.cxb"
    path.write_text("a   1\n", encoding="utf-8")
    monkeypatch.setattr(fmt, "syntax_fingerprint", lambda module: object())
    err = io.StringIO()
    assert fmt.run_fmt([str(path)], False, False, io.StringIO(), err) == 1
    assert path.read_text(encoding="utf-8") == "a   1\n"
    assert "CXB0901" in err.getvalue()


# -- property tests -------------------------------------------------------------------------

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = st.sampled_from(["voice", "chat", "web", "std.voice", "a_1", "_x", "mon", "fri", "cloud"])
UNITS = st.sampled_from(["", "%", " min", " USD", " USD/seat/month", "/month", "%/year", " s"])
NUMBERS = st.sampled_from(["0", "4.5", "38_000", "1.1M", "250k", "12"])
TEXTS = st.sampled_from(['"x"', '""', '"a \\"b\\" c"', '"\\\\ \\n \\t"', '"é 😀 // not /* a */"'])
SPACE = st.sampled_from([" ", "  ", "\t", " /* c */ ", "/**/"])
GAP = st.sampled_from([" ", "  ", "\t "])


@st.composite
def quantities(draw: st.DrawFn) -> str:
    sign = draw(st.sampled_from(["", "-", "- "]))
    return sign + draw(NUMBERS) + draw(UNITS)


@st.composite
def atoms(draw: st.DrawFn, depth: int = 0) -> str:
    kinds = ["name", "quantity", "text", "date", "clock", "range", "clockrange"]
    if depth < 1:
        kinds.append("group")
    kind = draw(st.sampled_from(kinds))
    if kind == "name":
        return draw(NAMES)
    if kind == "quantity":
        return draw(quantities())
    if kind == "text":
        return draw(TEXTS)
    if kind == "date":
        return draw(st.sampled_from(["2027-01", "2028-06-15"]))
    if kind == "clock":
        return draw(st.sampled_from(["08:00", "9:30", "24:00"]))
    if kind == "range":
        return draw(NAMES) + draw(st.sampled_from(["..", " .. "])) + draw(NAMES)
    if kind == "clockrange":
        return "08:00" + draw(st.sampled_from(["-", " - "])) + "20:00"
    inner = draw(st.lists(args(depth + 1), max_size=3))
    text = "(" + draw(st.sampled_from(["", " ", "/* g */ "]))
    for index, item in enumerate(inner):
        if index:
            text += draw(st.sampled_from([", ", ",", ", // g\n", ", /* g */ ", " /* g */,"]))
        text += item
    return text + draw(st.sampled_from(["", " ", " /* g */"])) + ")"


@st.composite
def args(draw: st.DrawFn, depth: int = 0) -> str:
    parts = draw(st.lists(atoms(depth), min_size=1, max_size=4))
    return draw(SPACE).join(parts)


@st.composite
def arg_lists(draw: st.DrawFn) -> str:
    items = draw(st.lists(args(), min_size=1, max_size=8))
    text = items[0]
    for item in items[1:]:
        text += draw(st.sampled_from([", ", ",", " , ", ",\n    ", ", // c\n  ", ", /* c */ "]))
        text += item
    return text


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth >= 3 or draw(st.booleans()):
        leaf = draw(
            st.sampled_from(["name", "quantity", "call", "date", "neg"] if depth < 3 else ["name"])
        )
        if leaf == "name":
            return draw(NAMES)
        if leaf == "quantity":
            return draw(NUMBERS) + draw(UNITS)
        if leaf == "date":
            return "2027-01"
        if leaf == "neg":
            return "-" + draw(expressions(depth + 1))
        return draw(NAMES).split(".")[0] + "(" + draw(args()) + ")"
    op = draw(st.sampled_from(["+", "-", "*", "<=", "==", "and", "or"]))
    left = draw(expressions(depth + 1))
    right = draw(expressions(depth + 1))
    pad = st.sampled_from(["", "", " ", "/* p */ "])
    text = f"({draw(pad)}{left}{draw(SPACE)}{op}{draw(SPACE)}{right}{draw(pad)})"
    if draw(st.booleans()):
        text = "not " + text
    return text


@st.composite
def statements(draw: st.DrawFn, depth: int = 0) -> str:
    indent = "  " * depth
    kind = draw(st.sampled_from(["simple", "simple", "block", "assert", "map"]))
    if kind == "assert":
        return f"{indent}assert{draw(GAP)}{draw(expressions())}"
    keyword = draw(st.sampled_from(["segment", "share", "hours", "process", "model", "option"]))
    head = f"{indent}{keyword}"
    if kind != "map" and draw(st.booleans()):
        head += draw(GAP) + draw(arg_lists())
    if kind == "simple" or (kind == "block" and depth >= 2):
        return head
    if kind == "map":
        keyword = draw(st.sampled_from(sorted(fmt.MAP_FIELDS)))
        entries = draw(st.lists(st.tuples(NAMES, quantities()), max_size=6))
        sep = draw(st.sampled_from(["; ", "\n"]))
        entry_text = sep.join(f"{name} {value}" for name, value in entries)
        return f"{indent}{keyword} {{{draw(GAP)}{entry_text}{draw(GAP)}}}"
    body = draw(st.lists(statements(depth + 1), max_size=4))
    brace = draw(st.sampled_from([" {", " {", "{", " /* h */ {"]))
    return head + brace + draw(sequences(body, depth + 1)) + indent + "}"


# Block comments at the wrong indentation, with trailing spaces, tabs, CR and non-ASCII.
BLOCK_COMMENTS = ["/* a  \n\t\tb\r c \u00e9\U0001f600\n*/ \n", " /* x \r\n y\t*/\n"]


@st.composite
def sequences(draw: st.DrawFn, items: list[str], depth: int) -> str:
    indent = "  " * depth
    text = draw(st.sampled_from(["\n", " // open\n", "\n\n", " /* open */\n"]))
    for item in items:
        lead = ["", "", f"{indent}// lead\n", f"{indent}/* a\n b */\n", *BLOCK_COMMENTS]
        text += draw(st.sampled_from(lead))
        text += item
        ends = ["\n", "\n", "\n\n\n", " // t\n", ";\n", " /* t */\n", "; ", " /* t */; "]
        text += draw(st.sampled_from(ends))
    text += draw(st.sampled_from(["", f"{indent}// end\n", "\n"]))
    return text


@settings(SETTINGS, max_examples=120)
@given(st.lists(statements(), max_size=6).flatmap(lambda items: sequences(items, 0)), st.booleans())
def test_generated_blueprints_format_stably(text: str, crlf: bool) -> None:
    if crlf:
        text = text.replace("\n", "\r\n")
    sink = DiagnosticSink()
    parse(SourceFile("t.cxb", text), sink)
    assume(not sink.has_errors)
    format_ok(text, verify=False)


EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")


@st.composite
def mutated_example(draw: st.DrawFn) -> str:
    """The example with its spaces, blank lines and comments shuffled (same meaning)."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    out = []
    for line in EXAMPLE_TEXT.split("\n"):
        code, _, comment = line.partition("//")
        tokens = code.split()
        if not tokens or '"' in code:  # spaces inside texts are part of the value
            out.append(line)
            continue
        new = rng.choice(["", " ", "\t", "      "]) + tokens[0]
        for token in tokens[1:]:
            new += rng.choice([" ", "  ", "\t", " /* c */ "]) + token
        if comment:
            new += rng.choice(["", " ", "    "]) + "//" + comment
        elif rng.randrange(10) == 0:
            new += " // added"
        if not new.rstrip().endswith((",", "{")) and "//" not in new and rng.randrange(10) == 0:
            new += ";"
        out.append(new)
        if rng.randrange(10) == 0 and not new.rstrip().endswith(","):
            out.append(rng.choice(["", "   ", "// own line"]))
    return "\n".join(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_example())
def test_mutated_example_formats_like_the_example(text: str) -> None:
    sink = DiagnosticSink()
    parse(SourceFile("t.cxb", text), sink)
    assume(not sink.has_errors)
    formatted = format_ok(text, verify=False)
    # Whitespace does not matter: the only differences left are the added comments.
    plain = fmt.format_text(EXAMPLE_TEXT).text
    strip = re.compile(r"\s*(//[^\n]*|/\* c \*/)|;")
    assert strip.sub("", formatted).split() == strip.sub("", plain).split()


# -- the command ----------------------------------------------------------------------------

UGLY = "segment s {share 70%;value medium}\n"
PRETTY = "segment s {\n  share 70%\n  value medium\n}\n"


def run(
    paths: list[str], check: bool = False, diff: bool = False, stdin: str | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    stream = io.StringIO(stdin) if stdin is not None else None
    code = fmt.run_fmt(paths, check=check, diff=diff, out=out, err=err, stdin=stream)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> Callable[..., list[str]]:
    def make(**contents: str) -> list[str]:
        paths = []
        for name, text in contents.items():
            path = tmp_path / f"{name}.cxb"
            path.write_bytes(text.encode("utf-8"))
            paths.append(str(path))
        return paths

    return make


def test_rewrites_in_place(files: Callable[..., list[str]], tmp_path: Path) -> None:
    ugly, pretty = files(ugly=UGLY, pretty=PRETTY)
    os.utime(pretty, (1_000_000, 1_000_000))
    code, out, err = run([ugly, pretty])
    assert code == 0 and out == ""
    assert Path(ugly).read_text(encoding="utf-8") == PRETTY
    assert f"reformatted {ugly}" in err and pretty not in err
    assert os.stat(pretty).st_mtime == 1_000_000  # unchanged files are not rewritten
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pretty.cxb", "ugly.cxb"]


def test_rewrite_keeps_permissions(files: Callable[..., list[str]]) -> None:
    (ugly,) = files(ugly=UGLY)
    os.chmod(ugly, 0o640)
    assert run([ugly])[0] == 0
    assert os.stat(ugly).st_mode & 0o777 == 0o640


def test_check(files: Callable[..., list[str]]) -> None:
    ugly, pretty = files(ugly=UGLY, pretty=PRETTY)
    code, out, err = run([ugly, pretty], check=True)
    assert code == 1 and out == f"{ugly}\n" and "1 file would be reformatted" in err
    assert Path(ugly).read_text(encoding="utf-8") == UGLY
    assert run([pretty], check=True) == (0, "", "")


def test_diff(files: Callable[..., list[str]]) -> None:
    (ugly,) = files(ugly=UGLY)
    code, out, _ = run([ugly], diff=True)
    assert code == 0
    assert out.startswith(f"--- {ugly}\t(original)\n+++ {ugly}\t(formatted)\n@@")
    assert "-segment s {share 70%;value medium}\n" in out and "+  share 70%\n" in out
    assert Path(ugly).read_text(encoding="utf-8") == UGLY
    assert run([ugly], check=True, diff=True)[0] == 1


def test_diff_without_final_newline(files: Callable[..., list[str]]) -> None:
    (path,) = files(a="a  1")
    out = run([path], diff=True)[1]
    assert "-a  1\n\\ No newline at end of file\n+a 1\n" in out


def test_stdin_to_stdout() -> None:
    assert run(["-"], stdin=UGLY) == (0, PRETTY, "")
    assert run(["-"], stdin=PRETTY) == (0, PRETTY, "")
    assert run(["-"], check=True, stdin=UGLY)[:2] == (1, "<stdin>\n")
    code, out, _ = run(["-"], diff=True, stdin=UGLY)
    assert code == 0 and out.startswith("--- <stdin>\t(original)")


def test_syntax_error_is_reported_like_the_compiler(files: Callable[..., list[str]]) -> None:
    (bad,) = files(bad="segment s {\n  share 70%, , 5\n}\n")
    code, out, err = run([bad])
    assert code == 1 and out == ""
    assert f"{bad}:2:14: error[CXB0101]: unexpected `,`" in err
    assert "  | " in err and "^" in err
    assert Path(bad).read_text(encoding="utf-8") == "segment s {\n  share 70%, , 5\n}\n"
    assert run(["-"], stdin="a {\n")[0] == 1


def test_unreadable_files(files: Callable[..., list[str]], tmp_path: Path) -> None:
    (good,) = files(good=UGLY)
    latin = tmp_path / "latin.cxb"
    latin.write_bytes(b"segment caf\xe9 { share 1% }\n")
    code, _, err = run([str(tmp_path / "missing.cxb"), str(latin), str(tmp_path), good])
    assert code == 2
    assert "cannot read" in err and "missing.cxb" in err and "it is a folder" in err
    assert "error[CXB0002]" in err
    assert Path(good).read_text(encoding="utf-8") == PRETTY  # the other files still run


def test_pre_commit_hooks_are_declared() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: blueprintc-fmt" in text and "entry: blueprintc fmt\n" in text
    assert "- id: blueprintc-check" in text and "language: python" in text
    assert "files: \\.cxb$" in text


def test_the_repository_blueprints_are_formatted() -> None:
    """The examples and the standard library are kept in the canonical layout."""
    files = sorted(
        str(p) for folder in ("examples", "stdlib") for p in (ROOT / folder).rglob("*.cxb")
    )
    out, err = io.StringIO(), io.StringIO()
    assert fmt.run_fmt(files, True, False, out, err) == 0, out.getvalue()
