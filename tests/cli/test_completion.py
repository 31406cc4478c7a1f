"""``blueprintc completion bash|zsh``: scripts generated from the parser by shtab."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from blueprintc import cli
from blueprintc.documents import DOCUMENTS, FORMATS


def script(shell: str) -> str:
    out = io.StringIO()
    assert cli.main(["completion", shell], out, io.StringIO()) == 0
    return out.getvalue()


def commands() -> list[str]:
    parser = cli._parser()
    (action,) = [a for a in parser._actions if a.dest == "command"]
    assert isinstance(action.choices, dict)
    return sorted(action.choices)


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_the_script_names_every_command_and_their_options(shell: str) -> None:
    text = script(shell)
    for command in commands():
        assert command in text, command
    for option in ("--format", "--only", "--depfile", "--intervals", "--color", "--werror"):
        assert option in text, option
    for name in ("md html json xlsx", " ".join(d.name for d in DOCUMENTS)):
        assert name in text, name
    assert "cxb" in text


def test_an_unknown_shell_is_a_usage_error() -> None:
    err = io.StringIO()
    assert cli.main(["completion", "fish"], io.StringIO(), err) == 2
    assert "invalid choice: 'fish'" in err.getvalue()


def _complete(tmp_path: Path, line: str) -> list[str]:
    """What bash completes for ``line`` (ending where the cursor is), in ``tmp_path``."""
    (tmp_path / "completion.bash").write_text(script("bash"))
    words = line.split(" ")
    program = f"""
source ./completion.bash
COMP_WORDS=({" ".join(repr(w) for w in words)})
COMP_CWORD={len(words) - 1}
COMP_LINE={line!r}
COMP_POINT={len(line)}
_shtab_blueprintc
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    result = subprocess.run(
        ["bash", "-c", program], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return sorted(set(result.stdout.split()))


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_files_and_choices(tmp_path: Path) -> None:
    (tmp_path / "bank.cxb").write_text("")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "parts").mkdir()
    assert "build" in _complete(tmp_path, "blueprintc bu")
    assert _complete(tmp_path, "blueprintc size ") == ["bank.cxb", "parts"]
    assert _complete(tmp_path, "blueprintc check --format ") == ["json", "text"]
    assert _complete(tmp_path, "blueprintc build bank.cxb -o out --format ") == list(
        sorted(FORMATS)
    )
    assert "rfp" in _complete(tmp_path, "blueprintc build bank.cxb -o out --only ")
    assert _complete(tmp_path, "blueprintc graph --format ") == ["dot", "json", "mermaid"]
