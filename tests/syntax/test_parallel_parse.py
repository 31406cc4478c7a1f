"""A large file parsed in two parts at once (blueprintc.syntax.parallel): the same tree,
comments and diagnostics as the whole file parsed in one go, wherever the cut falls; the
whole file parsed as usual when a part has a syntax error; the second part parsed here
when the other process fails or never starts. The threshold is lowered here so that
small files take the path."""

from __future__ import annotations

import pickle
import warnings
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from blueprintc import forked
from blueprintc.diagnostics import DiagnosticSink
from blueprintc.source import SourceFile
from blueprintc.syntax import ast, kept, parallel
from blueprintc.syntax import parse as parsing
from tests.bench.generate import generated_blueprint

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.cxb"))

TRICKY = """\
// a line comment with a } brace
blueprint "Tricky" { currency USD; start 2027-01 }
/* a block comment
   with } and { braces
   across the line ends */
segment core {
  label "a text with } and { in it"
  share 60%   // } after a value
}
segment top { share 40% }   /* a comment after a block */
segment other {
  share 10%
  nested {
    deeper { value 1 }
  }
}

; ; segment last { share 1% }
"""


@pytest.fixture
def in_two(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every file of 200 bytes or more is parsed in two parts, and forking is allowed
    whatever the test runner's threads; yields the length of each second part's tree
    read back from a child (a file parsed in two parts)."""
    joined: list[int] = []
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 200)
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    tree_from = kept.tree_from

    def spy(data: bytes, source: SourceFile) -> ast.Module:
        joined.append(len(data))
        return tree_from(data, source)

    monkeypatch.setattr(kept, "tree_from", spy)
    with warnings.catch_warnings():  # Python 3.12 warns of fork() beside other threads
        warnings.simplefilter("ignore", DeprecationWarning)
        yield joined


def _whole(source: SourceFile) -> tuple[object, ...]:
    sink = DiagnosticSink()
    module = parsing.parse_file(source, sink)
    return module.statements, module.comments, [(d.code, d.span) for d in sink.sorted()]


def _serial(source: SourceFile, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    with monkeypatch.context() as patch:
        patch.setattr(parallel, "PARALLEL_BYTES", 10**12)
        return _whole(source)


TEXTS = {
    "generated": generated_blueprint(3),
    "tricky": TRICKY,
    "crlf": TRICKY.replace("\n", "\r\n"),
    **{path.stem: path.read_text(encoding="utf-8") for path in EXAMPLES},
}


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_two_parts_give_the_tree_of_the_whole_file(
    name: str, in_two: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = SourceFile(f"{name}.cxb", TEXTS[name])
    got = _whole(source)
    assert len(in_two) == 1  # parsed in two parts
    assert got == _serial(source, monkeypatch)
    statements, comments, diagnostics = got
    assert diagnostics == []
    assert all(s.span.file is source for s in statements)  # type: ignore[attr-defined]
    assert all(c.span.file is source for c in comments)  # type: ignore[attr-defined]


@pytest.mark.parametrize("share", [0.05, 0.3, 0.6, 0.9])
def test_any_cut_gives_the_same_tree(
    share: float, in_two: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "CHILD_SHARE", share)
    source = SourceFile("g.cxb", generated_blueprint(2))
    assert _whole(source) == _serial(source, monkeypatch)
    assert in_two


@pytest.mark.parametrize("where", ["first", "second"])
def test_a_syntax_error_in_either_part_gives_the_whole_file_s_diagnostics(
    where: str, in_two: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = generated_blueprint(2)
    at = text.index("\n", len(text) // 5 if where == "first" else 4 * len(text) // 5)
    source = SourceFile("bad.cxb", text[:at] + "\n  share = {\n" + text[at:])
    got = _whole(source)
    assert not in_two
    assert got == _serial(source, monkeypatch)
    assert got[2]  # reported


def test_a_child_that_fails_leaves_the_parse_to_this_process(
    in_two: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(module: object) -> bytes:
        raise RuntimeError("the child cannot write its tree")

    monkeypatch.setattr(kept, "tree_bytes", broken)  # the child's copy fails
    source = SourceFile("g.cxb", generated_blueprint(2))
    assert _whole(source) == _serial(source, monkeypatch)
    assert not in_two


def test_the_cut_follows_a_top_level_block_outside_texts_and_comments() -> None:
    cut = parsing.cut_point(TRICKY, TRICKY.index("/* a block"))
    assert TRICKY[:cut].endswith("  share 60%   // } after a value\n}\n")
    # Not after `segment top`'s block: a comment follows it on its line.
    assert parsing.cut_point(TRICKY, TRICKY.index("segment top")) == TRICKY.index("\n; ;")
    assert parsing.cut_point(TRICKY, TRICKY.index("nested")) == TRICKY.index("\n; ;")
    assert parsing.cut_point(TRICKY, TRICKY.index("; ;")) is None  # the last line's block
    assert parsing.cut_point("a { b }", 0) is None  # no line after the block


@pytest.mark.parametrize("share", [0.3, 0.6])
def test_a_lent_worker_parses_the_second_part_where_no_child_can_be_forked(
    share: float, in_two: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The part goes as pickled arguments to a worker (here done at once on a copy of
    them, as a process pool would get them), which builds its own copy of the file."""
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    monkeypatch.setattr(forked, "usable_cores", lambda: 2)
    monkeypatch.setattr(forked, "_lent", None)
    monkeypatch.setattr(parallel, "CHILD_SHARE", share)

    def submit(function: Any, *args: Any) -> Future[Any]:
        function, args = pickle.loads(pickle.dumps((function, args)))
        done: Future[Any] = Future()
        done.set_result(function(*args))
        return done

    forked.lend(submit)
    for text in (generated_blueprint(2), TEXTS["northwind_bank"]):
        source = SourceFile("g.cxb", text)
        in_two.clear()
        assert _whole(source) == _serial(source, monkeypatch)
        assert len(in_two) == 1


def test_a_lent_task_no_worker_took_is_parsed_here(
    in_two: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    monkeypatch.setattr(forked, "usable_cores", lambda: 2)
    monkeypatch.setattr(forked, "_lent", None)
    forked.lend(lambda function, *args: Future())  # queued, never started
    source = SourceFile("g.cxb", generated_blueprint(2))
    assert _whole(source) == _serial(source, monkeypatch)
    assert not in_two  # both parts parsed here
