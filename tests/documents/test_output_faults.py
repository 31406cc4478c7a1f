"""Kill a build at every step of writing its output, and run two builds at once.

Each build runs in a forked child whose fault-injection hook (``output._checkpoint``)
kills it with SIGKILL at one step: no ``finally`` runs, as when the machine's user or
an out-of-memory killer stops a build. The folder must then hold the old or the new
complete tree (the two-rename fallback: the next run puts the old one back), and the
next run must leave nothing else beside it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from blueprintc.documents import lock, output
from blueprintc.documents.manifest import MANIFEST, render
from blueprintc.documents.output import OutputError, Step, prepare_target, write_tree

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and flock are POSIX")

OLD = {"md/a.md": b"old a", "md/b.md": b"same", "html/c.html": b"old c"}
NEW = {"md/a.md": b"new a", "md/b.md": b"same", "json/d.json": b"new d"}

HOLDER = """
import sys
from pathlib import Path
from blueprintc.documents import lock, output

def checkpoint(reached):
    if reached is output.Step.LOCKED:
        print("locked", flush=True)
        sys.stdin.read()  # until the test closes it

output._checkpoint = checkpoint
output.write_tree(Path(sys.argv[1]), {"a.md": b"from the first build"})
"""


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def complete(files: dict[str, bytes]) -> dict[str, bytes]:
    """The folder a build of ``files`` writes: the files and their manifest."""
    return {**files, MANIFEST: render(files)}


def kill_at(target: Path, step: Step, mode: str, files: dict[str, bytes]) -> None:
    """Write ``files`` to ``target`` in a forked child killed at ``step``."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test run
        try:
            if mode == "fallback":
                output._exchange = lambda first, second: False
            output._checkpoint = lambda reached: kill_self() if reached is step else None
            write_tree(target, files)
        finally:
            os._exit(1)  # the step was not reached
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def siblings(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p != target)


MODES = ["exchange", "fallback"]
STEPS = [Step.LOCKED, Step.WRITING, Step.STAGED, Step.SWAPPED]


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    if request.param == "exchange" and output._renameat2() is None:
        pytest.skip("this system has no renameat2")
    return str(request.param)


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.value)
def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_tree(
    tmp_path: Path, mode: str, step: Step
) -> None:
    target = tmp_path / "out"
    write_tree(target, OLD)
    kill_at(target, step, mode, NEW)
    expected = complete(NEW if step is Step.SWAPPED else OLD)
    assert tree(target) == expected
    assert siblings(target)  # the kill left litter (the lock file at least)
    prepare_target(target)  # the next run
    assert tree(target) == expected
    assert siblings(target) == []
    write_tree(target, NEW)
    assert tree(target) == complete(NEW)


def test_a_fallback_build_killed_between_its_two_renames_is_repaired_by_the_next_run(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out"
    write_tree(target, OLD)
    kill_at(target, Step.RETIRED, "fallback", NEW)
    assert not target.exists()  # the fallback's window: both trees complete beside it
    retired = [name for name in siblings(target) if "-old-" in name]
    assert [tree(target.parent / name) for name in retired] == [complete(OLD)]
    prepare_target(target)  # the next run puts the old tree back
    assert tree(target) == complete(OLD)
    assert siblings(target) == []


def test_the_exchange_leaves_the_old_tree_under_a_staging_name_until_removed(
    tmp_path: Path,
) -> None:
    """A kill between the exchange and the removal: the new tree is already in place."""
    if output._renameat2() is None:
        pytest.skip("this system has no renameat2")
    target = tmp_path / "out"
    write_tree(target, OLD)
    kill_at(target, Step.SWAPPED, "exchange", NEW)
    (staging,) = [name for name in siblings(target) if "-new-" in name]
    assert tree(tmp_path / staging) == complete(OLD)
    assert tree(target) == complete(NEW)


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.value)
def test_a_first_build_killed_at_any_step_leaves_nothing_or_the_new_tree(
    tmp_path: Path, mode: str, step: Step
) -> None:
    target = tmp_path / "out"
    kill_at(target, step, mode, NEW)
    if step is Step.SWAPPED:
        assert tree(target) == complete(NEW)
    else:
        assert not target.exists()
    write_tree(target, NEW)
    assert tree(target) == complete(NEW)
    assert siblings(target) == []


@pytest.fixture
def holder(tmp_path: Path) -> subprocess.Popen[str]:
    """A first build to ``tmp_path/out`` that holds the lock until its stdin is closed."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "out")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline() == "locked\n"
    yield child
    if child.poll() is None:
        child.kill()
        child.wait()


def release(child: subprocess.Popen[str]) -> None:
    assert child.stdin is not None
    child.stdin.close()
    assert child.wait(timeout=60) == 0


def test_a_second_build_gives_up_after_a_bounded_wait(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    target = tmp_path / "out"
    with pytest.raises(OutputError, match=r"another blueprintc build is writing .*out"):
        write_tree(target, {"a.md": b"from the second build"}, wait=0.2)
    with pytest.raises(OutputError, match="another blueprintc build"):
        prepare_target(target, wait=0)
    release(holder)
    assert tree(target)["a.md"] == b"from the first build"
    write_tree(target, {"a.md": b"from the second build"}, wait=0)
    assert tree(target)["a.md"] == b"from the second build"


def test_a_second_build_waits_for_the_first(
    tmp_path: Path, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[float] = []

    def pause(seconds: float) -> None:
        if not pauses:
            release(holder)  # the first build finishes while the second waits
        pauses.append(seconds)

    monkeypatch.setattr(lock, "_pause", pause)
    target = tmp_path / "out"
    write_tree(target, {"a.md": b"from the second build"}, wait=60)
    assert pauses  # it did wait
    assert tree(target) == complete({"a.md": b"from the second build"})
    assert siblings(target) == []
