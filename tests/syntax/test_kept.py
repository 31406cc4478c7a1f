"""Syntax trees kept on disk (blueprintc.syntax.kept): the standard library is parsed once
per machine, and what is read back is the tree the parser makes, in the file just read.

A kept tree that is damaged, of foreign classes or in a folder that cannot be written
costs only the parse; the compilation is the same in every case.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.driver import compile
from blueprintc.semantic import modules
from blueprintc.source import SourceFile
from blueprintc.syntax import kept
from blueprintc.syntax.parse import parse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An empty cache folder, and no standard library parsed in this process yet."""
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(tmp_path / "cache"))
    saved = dict(modules._STD_CACHE)
    modules._STD_CACHE.clear()
    yield
    modules._STD_CACHE.clear()
    modules._STD_CACHE.update(saved)


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
    assert result.program is not None and result.planning is not None
    return (
        [
            (m.key, repr(m.module.statements), repr(m.module.comments))
            for m in result.program.modules
        ],
        [(d.code, d.message, d.span) for d in result.diagnostics],
        repr(result),
        result.planning.npv,
    )


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


def test_another_text_has_another_key(tmp_path: Path) -> None:
    source = _std_files()[0]
    kept.keep(parse(source, DiagnosticSink()))
    edited = SourceFile(source.path, source.text + "\n// one more line\n", source.real_path)
    assert kept.load(edited) is None
    assert len(_kept_files(tmp_path)) == 1


def test_the_standard_library_is_parsed_once_per_machine(tmp_path: Path) -> None:
    first = _answer()
    assert len(_kept_files(tmp_path)) == len(modules.std_modules())
    modules._STD_CACHE.clear()  # a new process: the trees come from the disk
    stamps = {p: p.stat().st_mtime_ns for p in _kept_files(tmp_path)}
    assert _answer() == first
    assert {p: p.stat().st_mtime_ns for p in _kept_files(tmp_path)}.keys() == stamps.keys()


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
        path.write_bytes(damage)
    modules._STD_CACHE.clear()
    assert _answer() == first
    assert {p: p.read_bytes() for p in _kept_files(tmp_path)} == whole


def test_a_kept_tree_cut_short_is_ignored(tmp_path: Path) -> None:
    first = _answer()
    for path in _kept_files(tmp_path):
        path.write_bytes(path.read_bytes()[:-100])
    modules._STD_CACHE.clear()
    assert _answer() == first


def test_a_cache_folder_that_cannot_be_written_costs_only_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _answer()
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(blocked))
    modules._STD_CACHE.clear()
    assert _answer() == first
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_a_tree_pointing_into_another_file_is_not_kept(tmp_path: Path) -> None:
    source = _std_files()[0]
    parsed = parse(source, DiagnosticSink())
    other = SourceFile("other.cxb", source.text)
    mixed = type(parsed)(other, parsed.statements, parsed.comments)
    kept.keep(mixed)
    assert _kept_files(tmp_path) == []
