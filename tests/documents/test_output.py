"""Writing a build: atomic replacement, untouched unchanged files, owned folders, depfiles."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from blueprintc.documents import manifest, output
from blueprintc.documents.output import (
    MANIFEST,
    OutputError,
    PendingFile,
    depfile,
    prepare_target,
    write_tree,
)
from blueprintc.documents.watch import snapshot, watch


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_first_write_creates_the_tree_and_its_manifest(tmp_path: Path) -> None:
    target = tmp_path / "out"
    changed = write_tree(target, {"md/a.md": b"A", "html/b.html": b"B"})
    assert sorted(changed) == ["html/b.html", "md/a.md"]
    assert (target / "md/a.md").read_bytes() == b"A"
    assert (target / MANIFEST).read_text() == (
        f"# blueprintc-build 2\n{sha(b'B')}  html/b.html\n{sha(b'A')}  md/a.md\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder, no lock


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
    with pytest.raises(OutputError, match=r"cannot write .*out: disk full"):
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


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_copied_manifest_does_not_make_the_users_files_replaceable(tmp_path: Path) -> None:
    """``cp -r out/. site/`` then adding a page: the build refuses, naming the page."""
    write_tree(tmp_path / "out", {"md/a.md": b"A"})
    site = tmp_path / "site"
    site.mkdir()
    (site / "about.html").write_text("mine")
    (site / MANIFEST).write_bytes((tmp_path / "out" / MANIFEST).read_bytes())
    (site / "md").mkdir()
    (site / "md/a.md").write_bytes(b"A")
    with pytest.raises(OutputError, match=r"did not write \(about\.html\)"):
        write_tree(site, {"md/a.md": b"new"})
    assert (site / "about.html").read_text() == "mine"
    assert (site / "md/a.md").read_bytes() == b"A"
    assert listing(tmp_path) == ["out", "site"]


def test_refusals_name_a_few_unlisted_entries_and_count_the_rest(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"md/a.md": b"A"})
    for name in ("b.txt", "c.txt", "md/d.txt", "md/e.txt"):
        (target / name).write_text("x")
    (target / "notes").mkdir()
    (target / "notes/x.txt").write_text("x")
    with pytest.raises(OutputError) as caught:
        write_tree(target, {"md/a.md": b"A"})
    assert "(b.txt, c.txt, md/d.txt and 2 more)" in str(caught.value)  # notes/ counted once


@pytest.mark.parametrize("kind", ["empty folder", "symlink", "symlink to a folder"])
def test_entries_other_than_listed_files_are_refused(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "out"
    write_tree(target, {"md/a.md": b"A"})
    extra = target / "md" / "extra"
    if kind == "empty folder":
        extra.mkdir()
    elif kind == "symlink":
        extra.symlink_to(target / "md/a.md")
    else:
        extra.symlink_to(target / "md")
    with pytest.raises(OutputError, match=r"did not write .*md/extra"):
        write_tree(target, {"md/a.md": b"A"})
    assert os.path.lexists(extra)


def test_a_listed_file_edited_since_the_build_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"xlsx/matrix.xlsx": b"blank", "md/a.md": b"A"})
    (target / "xlsx/matrix.xlsx").write_bytes(b"filled in by a vendor")
    with pytest.raises(OutputError, match=r"changed since .*\(xlsx/matrix\.xlsx\)"):
        write_tree(target, {"xlsx/matrix.xlsx": b"blank", "md/a.md": b"A2"})
    assert (target / "xlsx/matrix.xlsx").read_bytes() == b"filled in by a vendor"
    assert (target / "md/a.md").read_bytes() == b"A"


def test_a_listed_file_replaced_by_a_symlink_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"A"})
    (tmp_path / "elsewhere.md").write_bytes(b"A")
    (target / "a.md").unlink()
    (target / "a.md").symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(OutputError, match=r"changed since .*\(a\.md\)"):
        write_tree(target, {"a.md": b"A"})


def test_a_deleted_listed_file_is_built_again(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"md/a.md": b"A", "md/b.md": b"B"})
    (target / "md/b.md").unlink()
    assert write_tree(target, {"md/a.md": b"A", "md/b.md": b"B"}) == ["md/b.md"]


def test_a_manifest_of_the_first_version_is_honoured_without_hashes(tmp_path: Path) -> None:
    target = tmp_path / "out"
    (target / "md").mkdir(parents=True)
    (target / "md/a.md").write_bytes(b"edited, but version 1 recorded no hash")
    (target / MANIFEST).write_text("md/a.md\n")
    assert write_tree(target, {"md/a.md": b"A"}) == ["md/a.md"]
    (target / MANIFEST).write_text("md/a.md\n")
    (target / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"did not write \(notes\.txt\)"):
        write_tree(target, {"md/a.md": b"A"})


@pytest.mark.parametrize(
    "text", [b"# blueprintc-build 3\nmd/a.md\n", b"# blueprintc-build 2\nnot a line\n", b"\xff\n"]
)
def test_a_manifest_that_cannot_be_read_is_refused(tmp_path: Path, text: bytes) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "a.md").write_text("A")
    (target / MANIFEST).write_bytes(text)
    with pytest.raises(OutputError, match="is not a manifest this blueprintc can read"):
        write_tree(target, {"a.md": b"A"})
    assert (target / "a.md").read_text() == "A"


def test_manifest_paths_with_backslashes_and_line_breaks_round_trip() -> None:
    files = {"a b.md": b"1", "back\\slash.md": b"2", "line\nbreak.md": b"3"}
    text = manifest.render(files)
    assert f"\\{sha(b'3')}  line\\nbreak.md\n".encode() in text  # as sha256sum writes it
    parsed = manifest.parse(text)
    assert parsed is not None
    assert parsed.files == {name: sha(data) for name, data in files.items()}
    assert manifest.parse(text[:-1]) is None  # a manifest cut short is no manifest


def read_only(path: Path) -> None:
    path.chmod(0o555)


@pytest.fixture
def restore_modes(tmp_path: Path) -> object:
    yield
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)


@pytest.mark.usefixtures("restore_modes")
def test_a_read_only_output_folder_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"md/a.md": b"A"})
    read_only(target)
    for attempt in (lambda: prepare_target(target), lambda: write_tree(target, {"a": b"B"})):
        with pytest.raises(OutputError, match="out is read-only"):
            attempt()
    assert stat.S_IMODE(target.stat().st_mode) == 0o555
    assert (target / "md/a.md").read_bytes() == b"A"
    assert listing(tmp_path) == ["out"]


@pytest.mark.usefixtures("restore_modes")
def test_a_read_only_subfolder_or_parent_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "parent" / "out"
    write_tree(target, {"md/a.md": b"A"})
    read_only(target / "md")
    with pytest.raises(OutputError, match=r"read-only folders \(md/\)"):
        write_tree(target, {"md/a.md": b"B"})
    (target / "md").chmod(0o755)
    read_only(target.parent)
    with pytest.raises(OutputError, match=r"the folder .*parent is read-only"):
        write_tree(target, {"md/a.md": b"B"})
    assert (target / "md/a.md").read_bytes() == b"A"


def test_the_folders_permissions_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"A"})
    target.chmod(0o750)
    write_tree(target, {"a.md": b"B"})
    assert stat.S_IMODE(target.stat().st_mode) == 0o750


def test_the_root_and_the_working_folder_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(OutputError, match="the root folder"):
        write_tree(Path("/"), {"a.md": b"A"})
    target = tmp_path / "out"
    (target / "inner").mkdir(parents=True)
    monkeypatch.chdir(target / "inner")
    with pytest.raises(OutputError, match="holds the current working folder"):
        write_tree(target, {"a.md": b"A"})
    assert listing(target) == ["inner"]


def test_a_deleted_working_folder_does_not_stop_an_absolute_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    write_tree(tmp_path / "out", {"a.md": b"A"})
    assert (tmp_path / "out/a.md").read_bytes() == b"A"
    with pytest.raises(OutputError, match="cannot write out: No such file"):
        write_tree(Path("out"), {"a.md": b"A"})


def test_the_depfile_is_written_after_the_tree_into_a_new_folder(tmp_path: Path) -> None:
    deps = tmp_path / "deps" / "sub" / "out.d"
    write_tree(tmp_path / "out", {"a.md": b"A"}, beside=PendingFile(deps, b"out: a.cxb\n"))
    assert deps.read_bytes() == b"out: a.cxb\n"
    past = 1_000_000_000
    os.utime(deps, (past, past))
    write_tree(tmp_path / "out", {"a.md": b"B"}, beside=PendingFile(deps, b"out: a.cxb\n"))
    assert deps.stat().st_mtime == past  # unchanged: not rewritten
    assert listing(deps.parent) == ["out.d"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("file/out.d", r"depfile .*file/out\.d: File exists \(.*file\)"),
        ("out/out.d", r"depfile .*out/out\.d: it is inside the output folder"),
        ("folder", r"depfile .*folder: it is a folder"),
    ],
)
def test_a_depfile_that_cannot_be_written_stops_the_build_before_the_output(
    tmp_path: Path, where: str, message: str
) -> None:
    (tmp_path / "file").write_text("a file, not a folder")
    (tmp_path / "folder").mkdir()
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"A"})
    with pytest.raises(OutputError, match=message):
        write_tree(target, {"a.md": b"B"}, beside=PendingFile(tmp_path / where, b"x\n"))
    assert (target / "a.md").read_bytes() == b"A"
    assert listing(tmp_path) == ["file", "folder", "out"]


def test_the_atomic_exchange_is_used_where_the_system_has_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if output._renameat2() is None:
        pytest.skip("this system has no renameat2: the two-rename swap is used")
    results: list[bool] = []
    exchange = output._exchange

    def spy(first: Path, second: Path) -> bool:
        results.append(exchange(first, second))
        return results[-1]

    monkeypatch.setattr(output, "_exchange", spy)
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"A"})
    write_tree(target, {"a.md": b"B"})
    assert results == [True]  # the first build had nothing to exchange with
    assert (target / "a.md").read_bytes() == b"B"
    assert listing(tmp_path) == ["out"]


def test_the_two_rename_fallback_replaces_the_tree_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "_exchange", lambda first, second: False)
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"A", "b.md": b"B"})
    assert write_tree(target, {"a.md": b"A2", "b.md": b"B"}) == ["a.md"]
    assert (target / "a.md").read_bytes() == b"A2"
    assert listing(tmp_path) == ["out"]


def test_a_failed_second_rename_of_the_fallback_puts_the_old_tree_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "_exchange", lambda first, second: False)
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"A"})

    def fail(step: output.Step) -> None:
        if step is output.Step.RETIRED:
            raise KeyboardInterrupt

    monkeypatch.setattr(output, "_checkpoint", fail)
    with pytest.raises(KeyboardInterrupt):
        write_tree(target, {"a.md": b"B"})
    assert (target / "a.md").read_bytes() == b"A"
    assert listing(tmp_path) == ["out"]


def test_stale_folders_of_killed_builds_are_removed_by_the_next_run(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"A"})
    for name in (".out.blueprintc-new-abcd1234", ".out.blueprintc-old-abcd1234"):
        (tmp_path / name / "md").mkdir(parents=True)
        (tmp_path / name / "md/a.md").write_bytes(b"stale")
    (tmp_path / ".out.blueprintc-del-abcd1234").mkdir()
    (tmp_path / ".out.blueprintc-lock").write_text("")
    (tmp_path / ".out.blueprintc-new-not-ours").mkdir()  # not a name blueprintc makes
    (tmp_path / ".other.blueprintc-new-abcd1234").mkdir()  # another folder's
    prepare_target(target)
    assert listing(tmp_path) == [
        ".other.blueprintc-new-abcd1234",
        ".out.blueprintc-new-not-ours",
        "out",
    ]
    assert (target / "a.md").read_bytes() == b"A"


def test_a_missing_folder_is_restored_from_its_retired_tree(tmp_path: Path) -> None:
    """The state a kill between the fallback's two renames leaves: the next run repairs it."""
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"A"})
    target.rename(tmp_path / ".out.blueprintc-old-abcd1234")
    (tmp_path / ".out.blueprintc-new-abcd1234").mkdir()
    prepare_target(target)
    assert (target / "a.md").read_bytes() == b"A"
    assert listing(tmp_path) == ["out"]
    assert write_tree(target, {"a.md": b"A"}) == []  # a blueprintc folder as before
