"""The status line of ``blueprintc build`` on a terminal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from blueprintc import cli, console
from blueprintc.console import NoProgress, Progress, progress

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_nothing_is_shown_in_the_first_second_then_the_stage_and_time() -> None:
    stream, clock = Terminal(), Clock()
    status = Progress(stream, "build", clock=clock)
    status.stage("compile")
    clock.now += 0.5
    status.stage("views")
    assert stream.getvalue() == ""
    clock.now += 0.7
    status.stage("html")
    assert stream.getvalue() == "\rbuild: html (1 s)"
    clock.now += 1.0
    status.stage("xlsx")
    assert stream.getvalue().endswith("\rbuild: xlsx (2 s)")
    status.hide()
    assert stream.getvalue().endswith("\r" + " " * len("build: xlsx (2 s)") + "\r")


def test_a_shorter_line_blanks_the_rest_of_the_longer_one() -> None:
    stream, clock = Terminal(), Clock()
    status = Progress(stream, "b", delay=0, clock=clock)
    status.stage("views")
    status.stage("md")
    assert stream.getvalue() == "\rb: views (0 s)\rb: md (0 s)   "


def test_the_line_is_cleared_at_the_end() -> None:
    stream = Terminal()
    with Progress(stream, "b", delay=0) as status:
        status.stage("compile")
    text = stream.getvalue()
    assert text.startswith("\rb: compile (0 s)") and text.endswith("\r")
    assert text.rsplit("\r", 2)[-2].strip() == ""


def test_never_on_a_stream_that_is_not_a_terminal() -> None:
    assert isinstance(progress(io.StringIO(), "b"), NoProgress)
    assert isinstance(progress(Terminal(), "b", enabled=False), NoProgress)
    assert isinstance(progress(Terminal(), "b"), Progress)


def test_a_build_on_a_terminal_shows_each_stage_then_its_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = console.Progress
    monkeypatch.setattr(console, "Progress", lambda stream, label: real(stream, label, delay=0))
    err = Terminal()
    out = tmp_path / "out"
    assert cli.main(["build", str(EXAMPLE), "-o", str(out)], io.StringIO(), err) == 0
    text = err.getvalue()
    shown = [part.split(" (")[0] for part in text.split("\r") if part.strip()]
    stages = [line.removeprefix("blueprintc build: ") for line in shown[:-1]]
    assert stages[0] == "compile"
    order = list(dict.fromkeys(stages[1:]))  # each stage once, in the order shown
    assert order == ["views", "md", "html", "xlsx", "json", "docx", "write"]  # pdf: on request
    assert shown[-1].startswith(f"built {out}: 14 documents")
    summary_at = text.index("built ")
    assert text[:summary_at].endswith("\r") and text[:summary_at].rsplit("\r", 2)[-2].strip() == ""


def test_diagnostics_are_written_on_a_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = console.Progress
    monkeypatch.setattr(console, "Progress", lambda stream, label: real(stream, label, delay=0))
    path = tmp_path / "bad.cxb"
    path.write_text('blueprint "T" { currency USD; start 2027-01; horizon 3 yaers }\n')
    err = Terminal()
    argv = ["build", "--color", "never", str(path), "-o", str(tmp_path / "o")]
    assert cli.main(argv, io.StringIO(), err) == 1
    before, _, after = err.getvalue().partition(f"{path}:1:56: error[CXB0406]")
    assert before.startswith("\rblueprintc build: compile") and before.endswith("\r")
    assert "\r" not in after


def test_no_status_line_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "blueprintc", "build", str(EXAMPLE), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr and result.stderr.startswith("built ")
