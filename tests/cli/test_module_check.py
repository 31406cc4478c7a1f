"""A module given to a command on its own: checked through the blueprint that uses it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from blueprintc import cli

ROOT = Path(__file__).resolve().parents[2]
RFP = ROOT / "examples" / "northwind" / "rfp.cxb"
BLUEPRINT = """\
blueprint "T" { currency USD; start 2027-01; horizon 3 years }
use "./parts/rfp.cxb"
component acd { }
"""
MODULE = 'requirement cloud_acd { category technical; priority must; text "x"; traces acd }\n'


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _project(tmp_path: Path, module: str = MODULE, blueprint: str = BLUEPRINT) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "parts").mkdir()
    (tmp_path / "bank.cxb").write_text(blueprint, encoding="utf-8")
    path = tmp_path / "parts" / "rfp.cxb"
    path.write_text(module, encoding="utf-8")
    return path


def test_the_example_module_is_checked_through_its_blueprint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = run("check", "examples/northwind/rfp.cxb")
    assert code == 0, err
    assert "note[CXB0211]: this file is a module used by `examples/northwind_bank.cxb`" in err
    assert "checked through it" in err and "ok: 1 blueprint checked" in err
    assert "error" not in err


def test_only_the_module_findings_are_shown(tmp_path: Path) -> None:
    path = _project(tmp_path, MODULE.replace("traces acd", "traces acd, wfm"))
    code, out, _ = run("check", "--format", "json", str(path))
    diagnostics = json.loads(out)["diagnostics"]
    assert code == 1
    assert [(d["code"], d["span"]["line"], d["span"]["column"]) for d in diagnostics] == [
        ("CXB0211", 1, 1),
        ("CXB0301", 1, 82),
    ]
    assert all(d["span"]["file"].endswith("rfp.cxb") for d in diagnostics)


def test_errors_of_the_blueprint_elsewhere_are_counted(tmp_path: Path) -> None:
    segment = "segment s { share 140%; value high; strategy retain; intensity simple }\n"
    path = _project(tmp_path, blueprint=BLUEPRINT + segment)
    code, out, _ = run("check", "--format", "json", str(path))
    codes = [d["code"] for d in json.loads(out)["diagnostics"]]
    assert code == 1 and codes == ["CXB0211", "CXB0212"]
    assert "has 1 error in other files" in json.loads(out)["diagnostics"][1]["message"]


def test_a_module_nobody_uses_gets_one_diagnostic(tmp_path: Path) -> None:
    path = _project(tmp_path, blueprint=BLUEPRINT.replace('use "./parts/rfp.cxb"\n', ""))
    code, out, _ = run("check", "--format", "json", str(path))
    diagnostics = json.loads(out)["diagnostics"]
    assert code == 1
    assert [(d["code"], d["span"]["line"], d["span"]["column"]) for d in diagnostics] == [
        ("CXB0210", 1, 1)
    ]
    assert 'add `use "./rfp.cxb"`' in diagnostics[0]["help"]


def test_a_misspelt_blueprint_block_is_still_named(tmp_path: Path) -> None:
    path = tmp_path / "new.cxb"
    path.write_text('bluprint "T" { currency USD }\n', encoding="utf-8")
    (tmp_path / ".git").mkdir()
    code, out, _ = run("check", "--format", "json", str(path))
    codes = [d["code"] for d in json.loads(out)["diagnostics"]]
    assert code == 1 and codes == ["CXB0210", "CXB0401"]


def test_other_commands_go_through_the_blueprint_too() -> None:
    code, out, err = run("size", str(RFP))
    assert code == 0, err
    assert "CXB0211" in err and "Northwind Bank customer care: sizing" in out
