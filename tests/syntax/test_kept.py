"""Syntax trees kept on disk (blueprintc.syntax.kept): a file read before with the same
text is not parsed again by a new process, and what is read back is the tree the parser
makes, in the file just read.

A kept tree that is damaged, of foreign classes, of another text or in a folder that
cannot be written costs only the parse; the compilation is the same in every case.
"""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.driver import compile
from blueprintc.semantic import modules
from blueprintc.source import SourceFile, Span
from blueprintc.syntax import ast, kept
from blueprintc.syntax.incremental import ParseMemo
from blueprintc.syntax.parse import parse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"
FILES_READ = 6  # the example, northwind/rfp.cxb and four standard library modules


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An empty cache folder, and no standard library parsed in this process yet."""
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(tmp_path / "cache"))
    saved = dict(modules._STD_CACHE)
    modules._STD_CACHE.clear()
    yield
    modules._STD_CACHE.clear()
    modules._STD_CACHE.update(saved)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example, to edit."""
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE.parent, folder)
    return folder / EXAMPLE.name


def _new_process() -> None:
    """What a new process has: no standard library parsed yet."""
    modules._STD_CACHE.clear()


def _std_files() -> list[SourceFile]:
    return [
        SourceFile(f"std/{path.name}", path.read_text(encoding="utf-8"), path)
        for path in modules.std_modules().values()
    ]


def _kept_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "parsed").glob("*.pickle"))


def _answer(path: Path = EXAMPLE) -> tuple[object, ...]:
    """What a compilation reads, reports and computes, for comparing two of them (a span
    shows as its file's path and offsets)."""
    result = compile(path)
    assert result.program is not None
    return (
        [
            (m.key, repr(m.module.statements), repr(m.module.comments))
            for m in result.program.modules
        ],
        [(d.code, d.message, repr(d.span)) for d in result.diagnostics],
        repr(result),
        result.planning.npv if result.planning is not None else None,
    )


def _counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the files parsed from now on (through the kept trees' parser)."""
    parsed: list[str] = []

    def counting(source: SourceFile, sink: DiagnosticSink) -> ast.Module:
        parsed.append(source.path)
        return parse(source, sink)

    monkeypatch.setattr(kept, "_parse", counting)
    return parsed


@pytest.mark.parametrize("source", _std_files(), ids=lambda s: s.path)
def test_a_kept_tree_is_the_parsed_tree_in_the_file_just_read(source: SourceFile) -> None:
    parsed = parse(source, DiagnosticSink())
    assert kept.load(source) is None
    kept.keep(parsed)
    again = SourceFile(source.path, source.text, source.real_path)
    loaded = kept.load(again)
    assert loaded is not None
    assert loaded.source is again  # every span points into the file given, not a copy
    assert all(c.span.file is again for c in loaded.comments)
    assert loaded == parse(again, DiagnosticSink())


def test_a_file_read_before_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _counting_parses(monkeypatch)
    first = _answer()
    assert len(parsed) == FILES_READ
    assert len(_kept_files(tmp_path)) == FILES_READ
    _new_process()
    assert _answer() == first
    assert len(parsed) == FILES_READ  # nothing parsed the second time


def test_an_edited_file_is_parsed_again_and_its_tree_replaced(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(example)
    parsed = _counting_parses(monkeypatch)
    rfp = example.parent / "northwind" / "rfp.cxb"
    rfp.write_text(rfp.read_text(encoding="utf-8") + "\n// one more line\n", encoding="utf-8")
    _new_process()
    edited = _answer(example)
    assert [Path(p).name for p in parsed] == ["rfp.cxb"]
    assert len(_kept_files(tmp_path)) == FILES_READ  # one tree a file: replaced, not added
    _new_process()
    assert _answer(example) == edited
    assert len(parsed) == 1


def test_a_file_with_syntax_errors_is_not_kept(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example.write_text(example.read_text(encoding="utf-8") + "\nqueue {{\n", encoding="utf-8")
    first = _answer(example)
    assert first[1], "the syntax error is reported"
    parsed = _counting_parses(monkeypatch)
    _new_process()
    assert _answer(example) == first  # reported again: parsed again
    assert [Path(p).name for p in parsed] == [example.name]


def test_text_without_a_file_is_always_parsed(tmp_path: Path) -> None:
    text = 'blueprint "T" { currency USD; start 2027-01; horizon 3 years }\n'
    assert compile(text, until="check").ok
    assert _kept_files(tmp_path) == []


def test_an_editors_reparser_is_not_bypassed(tmp_path: Path) -> None:
    compile(EXAMPLE)  # every file kept
    memo = ParseMemo()
    _new_process()
    with memo.active():
        compile(EXAMPLE, until="check")
    assert memo.full == FILES_READ  # the memo parsed them all, as it would without trees


@pytest.mark.parametrize(
    "damage",
    [
        b"",  # cut short to nothing
        b"not a pickle at all",
        pickle.dumps(object()),  # a class no tree holds
        pickle.dumps(("os", "system")),  # the right shape of nothing
    ],
    ids=["empty", "garbage", "foreign class", "not a tree"],
)
def test_a_damaged_kept_tree_is_ignored_and_written_again(tmp_path: Path, damage: bytes) -> None:
    first = _answer()
    files = _kept_files(tmp_path)
    whole = {p: p.read_bytes() for p in files}
    for path in files:
        path.write_bytes(whole[path][:32] + damage)  # the right text, a damaged tree
    _new_process()
    assert _answer() == first
    assert {p: p.read_bytes() for p in _kept_files(tmp_path)} == whole


def test_a_kept_tree_cut_short_is_ignored(tmp_path: Path) -> None:
    first = _answer()
    for path in _kept_files(tmp_path):
        path.write_bytes(path.read_bytes()[:-100])
    _new_process()
    assert _answer() == first


def test_a_cache_folder_that_cannot_be_written_costs_only_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _answer()
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(blocked))
    _new_process()
    assert _answer() == first
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_a_tree_pointing_into_another_file_is_not_kept(tmp_path: Path) -> None:
    source = _std_files()[0]
    parsed = parse(source, DiagnosticSink())
    foreign = ast.Comment("// elsewhere", Span(SourceFile("other.cxb", source.text), 0, 0))
    kept.keep(ast.Module(source, parsed.statements, (foreign,)))
    assert _kept_files(tmp_path) == []
    other = SourceFile("other.cxb", source.text)
    kept.keep(ast.Module(source, (), (ast.Comment("// x", Span(source, 0, 0)), other)))  # type: ignore[arg-type]
    assert _kept_files(tmp_path) == []


def test_a_kept_tree_is_read_back_only_with_its_file(tmp_path: Path) -> None:
    """Spans and the tree are kept as offsets without their file: a plain unpickler
    cannot make them; the kept trees' reader makes them in the file it is given."""
    source = _std_files()[0]
    parsed = parse(source, DiagnosticSink())
    kept.keep(parsed)
    (path,) = _kept_files(tmp_path)
    payload = path.read_bytes()[32:]  # after the text's SHA-256
    assert b"other.cxb" not in payload and source.path.encode() not in payload
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(payload)


def test_a_check_of_an_unchanged_blueprint_does_not_load_the_parser(tmp_path: Path) -> None:
    compile(EXAMPLE)  # every file kept
    script = (
        "import io, json, sys\n"
        "from blueprintc.cli import main\n"
        f"main(['check', {str(EXAMPLE)!r}], io.StringIO(), io.StringIO())\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "blueprintc.planning.run" in loaded  # it did compile through costs
    assert not {"lark", "blueprintc.syntax.parse"} & loaded


def test_the_comments_of_a_compiled_file_are_had_without_reading_its_tree_again(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The assumptions register reads each value's trailing comment: the comments of a
    file the compilation loaded are those of its tree, not parsed or read back again."""
    from blueprintc.model.provenance import register

    result = compile(example)
    assert result.program is not None and result.model is not None

    def refused(*_: object) -> None:
        raise AssertionError("a file's tree was read again for its comments")

    monkeypatch.setattr(kept, "parse_kept", refused)
    for loaded in result.program.modules:
        comments = kept.comments_of(loaded.module.source)
        assert comments == loaded.module.comments
        assert all(c.span.file is loaded.module.source for c in comments)
    assert any(i.citation is not None for i in register(result.model).inputs)
    unseen = SourceFile("other.cxb", "blueprint x { } // note\n")
    monkeypatch.undo()
    assert [c.text for c in kept.comments_of(unseen)] == ["// note"]


def test_inside_a_deferring_block_trees_are_kept_when_the_build_waits_or_ends(
    tmp_path: Path,
) -> None:
    """A build keeps the trees while it waits for its workers, not while it compiles
    (blueprintc.idle); they are the same trees, and a check keeps them at once."""
    from concurrent.futures import Future

    from blueprintc import idle

    with idle.deferring():
        first = _answer()
        assert _kept_files(tmp_path) == []
        waited: Future[None] = Future()
        idle.while_waiting(waited)  # never done: every chore is done meanwhile
        assert len(_kept_files(tmp_path)) == FILES_READ
    _new_process()
    assert _answer() == first


@attrs.frozen
class _OneField:
    value: int


@attrs.frozen
class _TwoFields:
    value: int
    other: str


def test_a_node_is_written_as_its_class_and_its_fields_in_order() -> None:
    assert kept._node_reducer(_OneField)(_OneField(3)) == (_OneField, (3,))
    assert kept._node_reducer(_TwoFields)(_TwoFields(3, "x")) == (_TwoFields, (3, "x"))
