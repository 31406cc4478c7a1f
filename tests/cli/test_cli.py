"""The command line: exit codes, output formats, colour, explain, internal errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from blueprintc import cli
from blueprintc.diagnostics import CODES

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"
GOOD = 'blueprint "T" { currency USD; start 2027-01; horizon 3 years }\n'


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "b.cxb") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_clean_file_exits_0(tmp_path: Path) -> None:
    code, out, err = run("check", write(tmp_path, GOOD))
    assert code == 0 and out == "" and "ok: 1 blueprint checked" in err


def test_errors_exit_1_with_location(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "segment a { share 140% }\n")
    code, _, err = run("check", path)
    assert code == 1
    assert f"{path}:2:19: error[CXB0408]" in err or "b.cxb:2:19: error[CXB0408]" in err
    assert "^^^^" in err


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "nope.cxb"))
    assert code == 2 and "error[CXB0001]" in err


def test_folder_given_as_file_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "dir.cxb"
    folder.mkdir()
    code, _, err = run("check", str(folder))
    assert code == 2 and "error[CXB0004]" in err


def test_usage_error_exits_2() -> None:
    assert run("check")[0] == 2
    assert run("frobnicate")[0] == 2
    assert run("check", "--format", "yaml", "x.cxb")[0] == 2


def test_werror_promotes_warnings(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "use std/patterns\n")
    assert run("check", path)[0] == 0
    code, _, err = run("check", "--werror", path)
    assert code == 1 and "error[CXB0205]" in err


def test_json_is_valid_on_success_and_failure(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD, "good.cxb")
    bad = write(tmp_path, GOOD + "segment a { share 140%", "bad.cxb")
    code, out, _ = run("check", "--format", "json", good, bad)
    assert code == 1
    document = json.loads(out)
    assert document["schema"] == "blueprintc.diagnostics" and document["version"] == 1
    assert [f["ok"] for f in document["files"]] == [True, False]
    (diagnostic,) = document["diagnostics"]
    assert diagnostic["code"] == "CXB0104" and diagnostic["name"] == "unterminated-block"
    assert diagnostic["span"]["line"] == 2 and diagnostic["span"]["column"] == 11
    assert document["summary"] == {"errors": 1, "warnings": 0}


def test_json_on_missing_file_is_still_json(tmp_path: Path) -> None:
    code, out, _ = run("check", "--format", "json", str(tmp_path / "nope.cxb"))
    assert code == 2
    assert json.loads(out)["diagnostics"][0]["code"] == "CXB0001"


def test_colour_only_when_asked_or_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, GOOD + "segment a { share 140% }\n")
    assert "\x1b[" not in run("check", path)[2]  # StringIO is not a terminal
    assert "\x1b[" in run("check", "--color", "always", path)[2]
    monkeypatch.setenv("NO_COLOR", "1")

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Tty()
    cli.main(["check", path], io.StringIO(), err)
    assert "\x1b[" not in err.getvalue()


@pytest.mark.parametrize("code", sorted(CODES))
def test_explain_every_code(code: str) -> None:
    status, out, _ = run("explain", code)
    assert status == 0
    assert out.startswith(f"{code} {CODES[code].name}")
    assert CODES[code].explanation.splitlines()[0] in out


def test_explain_by_name_and_unknown() -> None:
    assert run("explain", "unknown-name")[1].startswith("CXB0301")
    assert run("explain", "301")[1].startswith("CXB0301")
    status, _, err = run("explain", "unknown-nme")
    assert status == 2 and "did you mean `unknown-name`" in err


def test_internal_error_exits_3_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "compile", explode)
    code, _, err = run("check", write(tmp_path, GOOD))
    assert code == 3 and "CXB0901" in err and "Traceback" not in err
    code, out, _ = run("check", "--format", "json", write(tmp_path, GOOD))
    assert code == 3 and json.loads(out)["diagnostics"][0]["code"] == "CXB0901"


def test_example_checks_clean() -> None:
    code, _, err = run("check", str(EXAMPLE))
    assert code == 0, err
    assert "warning" not in err and "error" not in err


def test_console_script_runs() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "blueprintc", "check", str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
