"""``--color {auto,always,never}`` on every command, one definition."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from blueprintc import cli

BAD = 'blueprint "T" { currency USD; start 2027-01; horizon 3 yaers }\n'
ESC = "\x1b["


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _commands() -> list[str]:
    parser = cli._parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    return sorted(commands.choices)  # type: ignore[arg-type]


def test_every_command_takes_the_one_color_option() -> None:
    parser = cli._parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    assert commands.choices is not None
    for name, subparser in commands.choices.items():  # type: ignore[attr-defined]
        (option,) = [a for a in subparser._actions if "--color" in a.option_strings]
        assert option.choices == ("auto", "always", "never"), name
        assert option.default == "auto", name
    assert len(_commands()) == 11


def _argv(command: str, path: str, tmp_path: Path) -> list[str]:
    extra = {
        "build": ["-o", str(tmp_path / "out")],
        "diff": [path],
        "fmt": ["--check"],
    }.get(command, [])
    return [command, path, *extra]


DIAGNOSING = ["check", "size", "plan", "cost", "graph", "build", "diff"]


@pytest.mark.parametrize("command", DIAGNOSING)
def test_diagnostics_are_coloured_only_when_asked_or_on_a_terminal(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bad.cxb"
    path.write_text(BAD)
    argv = _argv(command, str(path), tmp_path)

    def err_of(*options: str, err: io.StringIO | None = None) -> str:
        err = err if err is not None else io.StringIO()
        cli.main([*argv[:1], *options, *argv[1:]], io.StringIO(), err)
        assert "error[CXB0406]" in err.getvalue() or "CXB0406" in err.getvalue()
        return err.getvalue()

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert ESC in err_of("--color", "always")
    assert ESC not in err_of("--color", "never", err=Terminal())
    assert ESC not in err_of()  # auto, not a terminal
    assert ESC in err_of(err=Terminal())  # auto, a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in err_of(err=Terminal())
    assert ESC in err_of("--color", "always")


def test_fmt_colours_its_syntax_errors(tmp_path: Path) -> None:
    path = tmp_path / "broken.cxb"
    path.write_text('blueprint "T" {\n')
    err = io.StringIO()
    assert cli.main(["fmt", "--color", "always", "--check", str(path)], io.StringIO(), err) == 1
    assert ESC in err.getvalue()
    err = io.StringIO()
    assert cli.main(["fmt", "--color", "never", "--check", str(path)], io.StringIO(), err) == 1
    assert ESC not in err.getvalue() and "error[" in err.getvalue()


@pytest.mark.parametrize("command", [["explain", "CXB0301"], ["completion", "bash"]])
def test_commands_without_diagnostics_accept_it(command: list[str]) -> None:
    out = io.StringIO()
    assert cli.main([*command, "--color", "never"], out, io.StringIO()) == 0
    assert out.getvalue() and ESC not in out.getvalue()
