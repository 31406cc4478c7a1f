"""A reader that stops early (``| head``) or a closed standard output (``>&-``): every
command ends quietly with 141, never with a traceback or an internal error."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from blueprintc import cli
from blueprintc.console import EXIT_PIPE

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "northwind_bank.cxb")

# Every command that writes to standard output, with arguments that make it write.
WRITERS = {
    "check": ["check", "--format", "json", EXAMPLE],
    "size": ["size", "--format", "json", "--intervals", EXAMPLE],
    "size-text": ["size", EXAMPLE],
    "plan": ["plan", EXAMPLE],
    "cost": ["cost", "--format", "json", EXAMPLE],
    "graph": ["graph", "--format", "mermaid", EXAMPLE],
    "diff": ["diff", "--textconv", EXAMPLE],
    "explain": ["explain", "CXB0301"],
    "fmt": [
        "fmt",
        "--diff",
        str(ROOT / "tests" / "cases" / "diagnostics" / "misaligned_bank" / "main.cxb"),
    ],
    "completion": ["completion", "bash"],
}


def _env(unbuffered: bool) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    env["NO_COLOR"] = "1"
    return env


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_reader_that_closes_early_ends_the_command_quietly(
    command: str, unbuffered: bool
) -> None:
    """The reader closes its end before the command writes: like ``| head -0``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "blueprintc", *WRITERS[command]],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(unbuffered),
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=300) == EXIT_PIPE, err
    assert err == ""


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_head_reads_one_line_of_a_long_answer(unbuffered: bool) -> None:
    """The issue's pipeline: ``size --format json --intervals FILE | head -1``."""
    script = (
        f"{sys.executable} -m blueprintc size --format json --intervals {EXAMPLE} | head -c 1; "
        "echo; echo status ${PIPESTATUS[0]}"
    )
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=_env(unbuffered), check=False
    )
    assert result.stdout.splitlines()[0] == "{"
    assert result.stdout.splitlines()[-1] in ("status 0", f"status {EXIT_PIPE}")
    assert result.stderr == ""


@pytest.mark.parametrize("command", ["size-text", "explain", "completion"])
def test_a_closed_standard_output_ends_the_command_quietly(command: str) -> None:
    words = " ".join(WRITERS[command])
    result = subprocess.run(
        ["sh", "-c", f"{sys.executable} -m blueprintc {words} >&-"],
        capture_output=True,
        text=True,
        env=_env(False),
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == EXIT_PIPE, result.stderr
    assert result.stderr == ""


def test_a_command_that_writes_nothing_to_a_closed_standard_output_is_not_affected() -> None:
    result = subprocess.run(
        ["sh", "-c", f"{sys.executable} -m blueprintc check {EXAMPLE} >&-"],
        capture_output=True,
        text=True,
        env=_env(False),
        check=False,
    )
    assert result.returncode == 0 and "ok: 1 blueprint checked" in result.stderr


class _Gone(io.StringIO):
    """A stream whose reader went away."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_main_returns_141_when_either_stream_is_gone() -> None:
    assert cli.main(["explain", "CXB0301"], _Gone(), io.StringIO()) == EXIT_PIPE
    assert cli.main(["check", "--format", "nope", EXAMPLE], io.StringIO(), _Gone()) == EXIT_PIPE


def test_other_write_errors_are_io_errors_not_internal_errors() -> None:
    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    err = io.StringIO()
    assert cli.main(["explain", "CXB0301"], Full(), err) == cli.EXIT_USAGE
    assert err.getvalue() == "blueprintc: cannot write the output: No space left on device\n"
