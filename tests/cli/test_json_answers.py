"""``--format json``: one JSON document on standard output per answer, in every outcome.

Every command that takes ``--format json`` is run on a clean blueprint, a blueprint with
errors, a missing file and a bad command line; standard output must parse as exactly one
JSON document (``json.loads`` of the whole of it) with the documented exit code and
diagnostics. The three failures of the issue (``cost --savings`` printed two documents,
``graph`` and ``diff`` printed nothing) have a test each.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from blueprintc import cli, semdiff
from blueprintc.driver import compile
from blueprintc.render.answer import Command
from blueprintc.render.graph_formats import to_json
from blueprintc.render.planning_report import cost_json, plan_json
from blueprintc.render.sizing_report import json_report

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"
MISALIGNED = ROOT / "tests" / "cases" / "diagnostics" / "misaligned_bank" / "main.cxb"
GOOD = 'blueprint "T" { currency USD; start 2027-01; horizon 3 years }\n'
BAD = GOOD + "segment a { share 140% }\n"  # CXB0408 at 2:19
FIGURES_KEY = {"size": "sizing", "plan": "plan", "cost": "cost", "graph": "graph", "diff": "diff"}
COMMANDS = ["check", "size", "plan", "cost", "graph", "diff"]


def run(*argv: str) -> tuple[int, Any, str]:
    """Exit code, the one JSON document of standard output, standard error."""
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err)
    return code, json.loads(out.getvalue()), err.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    paths = {}
    for name, text in (("good", GOOD), ("bad", BAD)):
        path = tmp_path / f"{name}.cxb"
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    paths["missing"] = str(tmp_path / "missing.cxb")
    return paths


def argv(command: str, file: str, good: str) -> list[str]:
    """The command line of ``command`` on ``file`` (diff compares the clean file with it)."""
    return [command, "--format", "json", *((good,) if command == "diff" else ()), file]


USAGE = {  # a bad option value, or a missing one, with --format json asked
    "check": ["--color", "purple"],
    "size": ["--root"],
    "plan": ["--root"],
    "cost": ["--savings=yes"],
    "graph": ["--layer", "finance"],
    "diff": ["--exit-code=3"],
}


def assert_failure(document: dict[str, Any], command: str) -> None:
    """The diagnostics document, naming the command, with its figures key (if any)."""
    assert document["schema"] == "blueprintc.diagnostics" and document["version"] == 1
    assert document["command"] == command
    if command in FIGURES_KEY:
        assert FIGURES_KEY[command] in document
    errors = sum(1 for d in document["diagnostics"] if d["severity"] == "error")
    assert document["summary"]["errors"] == errors > 0


@pytest.mark.parametrize("command", COMMANDS)
def test_success_is_the_commands_document(command: str, files: dict[str, str]) -> None:
    code, document, _ = run(*argv(command, files["good"], files["good"]))
    assert code == 0
    if command == "check":
        assert document["schema"] == "blueprintc.diagnostics" and document["diagnostics"] == []
    else:
        assert document["schema"] == f"blueprintc.{FIGURES_KEY[command]}"
        assert "diagnostics" not in document  # nothing to report: the document as before


@pytest.mark.parametrize("command", COMMANDS)
def test_blueprint_errors_are_inside_the_document(command: str, files: dict[str, str]) -> None:
    code, document, _ = run(*argv(command, files["bad"], files["good"]))
    assert code == 1
    assert_failure(document, command)
    (diagnostic,) = [d for d in document["diagnostics"] if d["code"] == "CXB0408"]
    assert (diagnostic["span"]["line"], diagnostic["span"]["column"]) == (2, 19)
    if command in FIGURES_KEY:
        assert document[FIGURES_KEY[command]] is None  # stopped before any figure


@pytest.mark.parametrize("command", COMMANDS)
def test_missing_file_is_a_document(command: str, files: dict[str, str]) -> None:
    code, document, _ = run(*argv(command, files["missing"], files["good"]))
    assert code == 2
    assert_failure(document, command)
    assert [d["code"] for d in document["diagnostics"]] == ["CXB0001"]


@pytest.mark.parametrize("command", COMMANDS)
def test_usage_error_is_a_document(command: str, files: dict[str, str]) -> None:
    code, document, err = run(*argv(command, files["good"], files["good"]), *USAGE[command])
    assert code == 2
    assert_failure(document, command)
    (diagnostic,) = document["diagnostics"]
    assert diagnostic["code"] == "CXB0010" and diagnostic["name"] == "usage-error"
    assert diagnostic["span"] is None and diagnostic["message"] in err
    assert f"blueprintc {command} --help" in diagnostic["help"]


@pytest.mark.parametrize("command", COMMANDS)
def test_internal_error_is_a_document(
    command: str, files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "compile", explode)
    monkeypatch.setattr(semdiff, "compile", explode)
    code, document, err = run(*argv(command, files["good"], files["good"]))
    assert code == 3 and "Traceback" not in err
    assert_failure(document, command)
    assert document["internal_error"] is True
    assert [d["code"] for d in document["diagnostics"]] == ["CXB0901"]


@pytest.mark.parametrize("command", COMMANDS)
def test_warnings_are_inside_a_success(command: str, tmp_path: Path) -> None:
    path = tmp_path / "warn.cxb"
    path.write_text(GOOD + "use std/patterns\n", encoding="utf-8")  # CXB0205, a warning
    code, document, _ = run(*argv(command, str(path), str(path)))
    assert code == 0
    assert "CXB0205" in [d["code"] for d in document["diagnostics"]]
    assert document["summary"]["errors"] == 0 and document["summary"]["warnings"] >= 1


# -- the three failures of the issue ----------------------------------------------------------


def test_cost_savings_is_one_document() -> None:
    code, document, _ = run("cost", "--format", "json", "--savings", str(EXAMPLE))
    assert code == 0
    assert document["schema"] == "blueprintc.cost" and document["version"] == 1
    rows = document.pop("savings")
    assert rows and {"process", "lever", "staff_cost_saved"} <= set(rows[0])
    assert {(r["process"], r["lever"]) for r in rows} >= {
        ("card_activation", "migrate voice to web")
    }
    compilation = compile(EXAMPLE)
    assert compilation.model is not None and compilation.planning is not None
    assert document == json.loads(cost_json(compilation.model, compilation.outcome))


def test_graph_with_errors_is_one_document() -> None:
    code, document, err = run("graph", "--format", "json", str(MISALIGNED))
    assert code == 1 and err == ""
    assert_failure(document, "graph")
    assert document["summary"] == {"errors": 5, "warnings": 7}
    # The model was built, so the graph is there for the tool to show the misalignment.
    assert document["graph"]["schema"] == "blueprintc.graph" and document["graph"]["nodes"]


def test_diff_with_a_missing_file_is_one_document(files: dict[str, str]) -> None:
    for sides in ((files["good"], files["missing"]), (files["missing"], files["good"])):
        code, document, _ = run("diff", "--format", "json", *sides)
        assert code == 2
        assert_failure(document, "diff")
        (diagnostic,) = document["diagnostics"]
        assert diagnostic["code"] == "CXB0001" and "missing.cxb" in diagnostic["message"]
        assert document["diff"] is None


def test_diff_with_an_unknown_revision_is_one_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b.cxb").write_text(GOOD, encoding="utf-8")
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "b.cxb"], [*identity, "commit", "-qm", "one"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    code, document, _ = run("diff", "--format", "json", "HEAD~5:b.cxb", "b.cxb")
    assert code == 2
    (diagnostic,) = document["diagnostics"]
    assert diagnostic["code"] == "CXB0011" and "HEAD~5:b.cxb" in diagnostic["message"]


# -- figures still computed, byte-identical answers, text mode -------------------------------


@pytest.mark.parametrize("command", ["size", "plan", "cost", "graph"])
def test_failed_assertion_keeps_the_figures(command: str, tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8") + "assert fte(total) <= 1\n"
    (tmp_path / "bank.cxb").write_text(text, encoding="utf-8")
    shutil.copytree(EXAMPLE.parent / "northwind", tmp_path / "northwind")
    code, document, _ = run(command, "--format", "json", str(tmp_path / "bank.cxb"))
    assert code == 1
    assert [d["code"] for d in document["diagnostics"]] == ["CXB0605"]
    figures = document[FIGURES_KEY[command]]
    assert figures["schema"] == f"blueprintc.{FIGURES_KEY[command]}"


def test_clean_answers_are_the_renderers_output() -> None:
    compilation = compile(EXAMPLE)
    model, sizing, planning = compilation.model, compilation.sizing, compilation.planning
    assert model is not None and sizing is not None and planning is not None
    assert compilation.graph is not None
    expected = {
        "size": json_report(compilation.outcome),
        "plan": plan_json(model, compilation.outcome),
        "cost": cost_json(model, compilation.outcome),
        "graph": to_json(compilation.graph),
    }
    for command, text in expected.items():
        out = io.StringIO()
        assert cli.main([command, "--format", "json", str(EXAMPLE)], out, io.StringIO()) == 0
        assert out.getvalue() == text


def test_text_mode_usage_error_is_argparses(files: dict[str, str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["size", files["good"], "--root"], out, err) == 2
    assert out.getvalue() == ""
    assert err.getvalue().startswith("usage: blueprintc size")
    assert "blueprintc size: error: argument --root: expected one argument" in err.getvalue()


@pytest.mark.parametrize(
    ("words", "command"),
    [
        (["size", "--format", "json", "--bogus"], Command.SIZE),
        (["size", "--format=json", "--bogus"], Command.SIZE),
        (["graph", "f.cxb", "--form", "json"], Command.GRAPH),
        (["size", "--format", "json", "--format", "text"], None),
        (["size", "--", "--format", "json"], None),
        (["size", "--format"], None),
        (["build", "f.cxb", "-o", "out", "--format", "json"], None),
        (["--format", "json"], None),
    ],
)
def test_json_asked_reads_words_as_argparse(words: list[str], command: Command | None) -> None:
    assert cli._json_asked(words) == command
