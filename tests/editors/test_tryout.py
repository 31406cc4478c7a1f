"""The Neovim and Emacs set-ups of ``docs/editors.md``, run as written in headless editors.

Each snippet is taken from the page, loaded as the editor's init file, and a blueprint with
a misspelt field is opened: the file must get its filetype (mode), the ``blueprintc``
client must attach and the server's diagnostics must arrive. An editor that is not
installed is skipped with a message. ``nvim`` and ``emacs`` are looked up on the ``PATH``;
``BLUEPRINTC_NVIM`` names further ``nvim`` binaries (separated by ``os.pathsep``), so
several Neovim versions can be tried in one run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
PAGE = ROOT / "docs" / "editors.md"
BROKEN = """blueprint "T" { currency USD; start 2027-01; horizon 3 years }
segment retail {
  shrae 5%
}
"""
# The diagnostic the misspelt field gets, whatever else the server reports.
EXPECTED = "`segment` has no field `shrae`"


def snippet(language: str, first_line: str) -> str:
    """The code block of ``docs/editors.md`` in ``language`` that starts with ``first_line``."""
    page = PAGE.read_text(encoding="utf-8")
    blocks = re.findall(rf"```{language}\n(.*?)```", page, re.S)
    found = [block for block in blocks if block.startswith(first_line)]
    assert len(found) == 1, f"no single {language} block starting {first_line!r} in {PAGE}"
    return found[0]


def environment(tmp_path: Path) -> dict[str, str]:
    """A clean home and a ``PATH`` on which ``blueprintc`` is this checkout's."""
    scripts = Path(sys.executable).parent
    if shutil.which("blueprintc", path=str(scripts)) is None:
        pytest.skip(f"no blueprintc console script beside {sys.executable}")
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    env.update(HOME=str(home), PATH=f"{scripts}{os.pathsep}{env.get('PATH', '')}")
    return env


def nvim_binaries() -> list[tuple[tuple[int, int], str]]:
    """Every Neovim to try, with its (major, minor) version."""
    candidates = [shutil.which("nvim"), *os.environ.get("BLUEPRINTC_NVIM", "").split(os.pathsep)]
    found: dict[str, tuple[int, int]] = {}
    for binary in filter(None, candidates):
        try:
            out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
        except OSError:
            continue
        match = re.match(r"NVIM v(\d+)\.(\d+)", out.stdout)
        if match:
            found[os.path.realpath(binary)] = (int(match[1]), int(match[2]))
    return sorted((version, binary) for binary, version in found.items())


def run_nvim(binary: str, init: str, tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "init.lua").write_text(init, encoding="utf-8")
    blueprint = tmp_path / "broken.cxb"
    blueprint.write_text(BROKEN, encoding="utf-8")
    result = subprocess.run(
        [
            binary,
            "--headless",
            "-i",
            "NONE",
            "-u",
            str(tmp_path / "init.lua"),
            str(blueprint),
            "-c",
            f"luafile {HERE / 'nvim_check.lua'}",
        ],
        capture_output=True,
        text=True,
        env=environment(tmp_path),
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


# (first line of the snippet, lowest version, highest version or None)
NEOVIM_SNIPPETS = [
    ("-- Neovim 0.8 or later", (0, 8), None),
    ("-- Neovim 0.11 or later", (0, 11), None),
    ("-- Neovim 0.7 ", (0, 7), (0, 7)),
]


@pytest.mark.parametrize(("first_line", "lowest", "highest"), NEOVIM_SNIPPETS)
def test_neovim_snippet(
    tmp_path: Path, first_line: str, lowest: tuple[int, int], highest: tuple[int, int] | None
) -> None:
    init = snippet("lua", first_line)
    binaries = [
        (version, binary)
        for version, binary in nvim_binaries()
        if lowest <= version and (highest is None or version <= highest)
    ]
    if not binaries:
        pytest.skip(f"no Neovim for {first_line.strip('- ')} (`nvim` or BLUEPRINTC_NVIM)")
    for version, binary in binaries:
        folder = tmp_path / f"nvim-{version[0]}.{version[1]}"
        folder.mkdir()
        report = run_nvim(binary, init, folder)
        assert report["filetype"] == "cxb", (version, report)
        assert report["commentstring"] == "// %s", (version, report)
        assert report["clients"] == ["blueprintc"], (version, report)
        assert "CXB0402" in report["codes"], (version, report)
        assert any(EXPECTED in message for message in report["messages"]), (version, report)


def test_emacs_snippet(tmp_path: Path) -> None:
    emacs = shutil.which("emacs")
    if emacs is None:
        pytest.skip("Emacs is not installed (`emacs` is not on PATH)")
    env = environment(tmp_path)
    probe = subprocess.run(
        [
            emacs,
            "--batch",
            "--eval",
            '(progn (package-initialize) (princ (locate-library "eglot")))',
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    if probe.stdout.strip() in ("", "nil"):
        pytest.skip("eglot is not installed (built into Emacs 29; GNU ELPA or elpa-eglot before)")
    (tmp_path / "init.el").write_text(snippet("elisp", ";; Emacs 29 or later"), encoding="utf-8")
    blueprint = tmp_path / "broken.cxb"
    blueprint.write_text(BROKEN, encoding="utf-8")
    result = subprocess.run(
        [
            emacs,
            "--batch",
            "--eval",
            "(package-initialize)",
            "-l",
            str(tmp_path / "init.el"),
            "-l",
            str(HERE / "emacs_check.el"),
            str(blueprint),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["mode"] == "cxb-mode", report
    assert report["comment_start"] == "// ", report
    assert report["server"] is True, report
    assert any(EXPECTED in message for message in report["messages"]), report
