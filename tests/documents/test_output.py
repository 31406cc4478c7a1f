"""Writing a build: atomic replacement, untouched unchanged files, owned folders, depfiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blueprintc.documents import output
from blueprintc.documents.output import MANIFEST, OutputError, depfile, write_tree
from blueprintc.documents.watch import snapshot, watch


def test_first_write_creates_the_tree_and_its_manifest(tmp_path: Path) -> None:
    target = tmp_path / "out"
    changed = write_tree(target, {"md/a.md": b"A", "html/b.html": b"B"})
    assert sorted(changed) == ["html/b.html", "md/a.md"]
    assert (target / "md/a.md").read_bytes() == b"A"
    assert (target / MANIFEST).read_text() == "html/b.html\nmd/a.md\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left


def test_unchanged_files_keep_their_modification_time(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"same", "b.md": b"old"})
    past = 1_000_000_000
    for name in ("a.md", "b.md"):
        os.utime(target / name, (past, past))
    changed = write_tree(target, {"a.md": b"same", "b.md": b"new"})
    assert changed == ["b.md"]
    assert (target / "a.md").stat().st_mtime == past
    assert (target / "b.md").stat().st_mtime != past
    assert (target / "b.md").read_bytes() == b"new"


def test_files_no_longer_built_disappear(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"A", "old/b.md": b"B"})
    write_tree(target, {"a.md": b"A"})
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        MANIFEST,
        "a.md",
    ]


def test_a_failure_while_writing_leaves_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"A"})

    def broken_swap(staging: Path, directory: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(output, "_swap", broken_swap)
    with pytest.raises(OSError):
        write_tree(target, {"a.md": b"changed", "b.md": b"B"})
    assert (target / "a.md").read_bytes() == b"A"
    assert not (target / "b.md").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_folder_not_written_by_blueprintc_is_refused(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("do not delete")
    with pytest.raises(OutputError, match="not empty"):
        write_tree(tmp_path, {"a.md": b"A"})
    assert (tmp_path / "precious.txt").read_text() == "do not delete"
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="not a folder"):
        write_tree(tmp_path / "file", {"a.md": b"A"})


def test_an_empty_existing_folder_is_accepted(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    write_tree(target, {"a.md": b"A"})
    assert (target / "a.md").read_bytes() == b"A"


def test_depfile_lists_inputs_with_phony_targets_and_escapes_spaces() -> None:
    text = depfile("build", [Path("/p/a.cxb"), Path("/p/my dir/b.cxb")])
    assert text == ("build: /p/a.cxb \\\n  /p/my\\ dir/b.cxb\n\n/p/a.cxb:\n\n/p/my\\ dir/b.cxb:\n")


def test_watch_rebuilds_after_a_change_only(tmp_path: Path) -> None:
    source = tmp_path / "a.cxb"
    source.write_text("one")
    builds: list[int] = []
    polls = iter(range(100))

    def build() -> list[Path]:
        builds.append(len(builds))
        return [source]

    def sleep(seconds: float) -> None:
        if next(polls) == 2:  # the file changes between two polls
            source.write_text("two, longer")

    watch(build, rounds=6, sleep=sleep)
    assert len(builds) == 2
    assert snapshot([tmp_path / "missing"]) == {tmp_path / "missing": None}
