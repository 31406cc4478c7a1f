"""The console script pauses the cyclic garbage collector for its one command, and the
commands that run until stopped (the language server, ``build --watch``) turn it on."""

from __future__ import annotations

import argparse
import gc
import io
import sys
from pathlib import Path
from typing import Any

import pytest

from blueprintc import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "northwind_bank.cxb"


@pytest.fixture
def collector() -> Any:
    """Put the collector back as it was, whatever the test did to it."""
    was = gc.isenabled()
    yield
    gc.unfreeze()
    if was:
        gc.enable()
    else:  # pragma: no cover - pytest runs with the collector on
        gc.disable()


def test_a_command_runs_with_the_collector_paused(
    collector: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[bool] = []
    check = cli.COMMANDS["check"]

    def spy(args: argparse.Namespace, out: Any, err: Any) -> int:
        seen.append(gc.isenabled())
        return check(args, out, err)

    monkeypatch.setitem(cli.COMMANDS, "check", spy)
    monkeypatch.setattr(sys, "argv", ["blueprintc", "check", str(EXAMPLE)])
    with pytest.raises(SystemExit) as exit:
        cli.entry_point()
    assert exit.value.code == 0
    assert seen == [False]
    assert "ok: 1 blueprint checked" in capsys.readouterr().err


def test_the_language_server_collects_its_cycles(
    collector: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import blueprintc.lsp.server as server

    seen: list[bool] = []

    def run(log_file: Any, verbose: Any) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(server, "run", run)
    gc.disable()
    args = argparse.Namespace(log_file=None, verbose=False)
    assert cli.cmd_lsp(args, io.StringIO(), io.StringIO()) == 0
    assert seen == [True]


def test_a_watch_collects_its_cycles(
    collector: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import blueprintc.documents.watch as watch

    seen: list[bool] = []

    def fake_watch(rebuild: Any) -> None:
        seen.append(gc.isenabled())

    monkeypatch.setattr(watch, "watch", fake_watch)
    gc.disable()
    code = cli.main(["build", str(EXAMPLE), "-o", str(tmp_path / "out"), "--watch"])
    assert code == 0
    assert seen == [True]


def test_an_in_process_build_pauses_the_collector_until_it_has_returned(
    collector: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[bool] = []
    build_once = cli._build_once

    def spy(*args: Any) -> tuple[int, list[Path]]:
        seen.append(gc.isenabled())
        return build_once(*args)

    monkeypatch.setattr(cli, "_build_once", spy)
    gc.enable()
    code = cli.main(["build", str(EXAMPLE), "-o", str(tmp_path / "out"), "--format", "json"])
    assert code == 0
    assert seen == [False]
    assert gc.isenabled()


def test_a_build_leaves_nothing_of_the_design_in_reference_cycles(
    collector: Any, tmp_path: Path
) -> None:
    """What a build makes is freed by reference counting as soon as it returns: no model
    element, syntax node, span, compilation or document context is left for the cyclic
    collector (a recursive closure or a graph holding elements once kept them all)."""
    from blueprintc.documents.context import Context
    from blueprintc.driver import Compilation
    from blueprintc.model import elements as m
    from blueprintc.model.model import Model
    from blueprintc.source import Span
    from blueprintc.syntax import ast

    gc.collect()
    gc.disable()
    target = tmp_path / "out"
    assert cli.main(["build", str(EXAMPLE), "-o", str(target), "--format", "md,json,xlsx"]) == 0
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        kept = [
            type(o).__qualname__
            for o in gc.garbage
            if isinstance(o, (m.Element, Model, Span, ast.Node, Compilation, Context))
        ]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert kept == []
