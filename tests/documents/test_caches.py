"""Every cache of the build (charts kept on disk, compiled templates kept on disk, sized
queues kept on disk, the no-op stamp) leaves the output as a build without any gives,
byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.documents.conftest import EXAMPLE, ROOT


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _build(out: Path, cache: Path, jobs: str) -> str:
    environment = {**os.environ, "BLUEPRINTC_CACHE_DIR": str(cache), "BLUEPRINTC_JOBS": jobs}
    done = subprocess.run(
        [sys.executable, "-m", "blueprintc", "build", str(EXAMPLE), "-o", str(out)],
        env=environment,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_a_build_from_warm_caches_writes_the_bytes_of_a_cold_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(tmp_path / "cold", cache, "2")  # draws in workers, compiles, keeps both
    assert list((cache / "charts").glob("*.svg")) and list((cache / "templates").iterdir())
    assert list((cache / "sized").glob("*.cells"))  # and the sized queues
    _build(tmp_path / "warm", cache, "1")  # everything taken from the cache folder
    _build(tmp_path / "none", tmp_path / "other", "1")  # nothing kept anywhere, in-process
    assert _tree(tmp_path / "warm") == _tree(tmp_path / "cold") == _tree(tmp_path / "none")
    again = _build(tmp_path / "warm", cache, "1")  # nothing changed: the no-op
    assert "(0 changed)" in again
