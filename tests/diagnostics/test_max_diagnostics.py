"""The cap on diagnostics shown (``--max-diagnostics``), with a count of the rest."""

from __future__ import annotations

import io
import json
from pathlib import Path

from blueprintc.cli import main
from blueprintc.diagnostics import Diagnostic
from blueprintc.diagnostics import codes as C
from blueprintc.diagnostics.render import (
    DEFAULT_MAX_DIAGNOSTICS,
    diagnostics_document,
    render_report,
    showing_at_most,
)
from blueprintc.source import SourceFile, Span

SOURCE = SourceFile("t.cxb", "x\n")


def flood(errors: int, warnings: int = 0) -> list[Diagnostic]:
    span = Span(SOURCE, 0, 1)
    return [Diagnostic(C.UNKNOWN_DECLARATION, "unknown declaration `x`", span)] * errors + [
        Diagnostic(C.UNUSED_MODULE, "unused", span)
    ] * warnings


def test_a_million_errors_show_the_default_and_count_the_rest() -> None:
    report = render_report(flood(1_000_000))
    assert report.count("error[") == DEFAULT_MAX_DIAGNOSTICS
    assert report.endswith(
        "… and 999,900 more errors not shown (the first 100 are; --max-diagnostics 0 shows all)\n"
    )


def test_the_rest_is_counted_by_severity() -> None:
    with showing_at_most(1):
        report = render_report(flood(2, 3))
        document = diagnostics_document(flood(2, 3))
    assert report.count("error[") == 1 and "warning[" not in report
    assert "… and 1 more error and 3 more warnings not shown" in report
    assert len(document["diagnostics"]) == 1
    assert document["summary"] == {
        "errors": 2,
        "warnings": 3,
        "omitted": {"errors": 1, "warnings": 3, "notes": 0},
    }


def test_zero_shows_all_and_nothing_omitted_adds_nothing() -> None:
    with showing_at_most(0):
        assert render_report(flood(500)).count("error[") == 500
        assert "omitted" not in diagnostics_document(flood(500))["summary"]
    assert "not shown" not in render_report(flood(DEFAULT_MAX_DIAGNOSTICS))


def test_cli_option_in_text_and_json(tmp_path: Path) -> None:
    path = tmp_path / "many.cxb"
    path.write_text("x\n" * 150, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", "--max-diagnostics", "7", str(path)], out, err) == 1
    # 150 unknown declarations and the missing `blueprint` block
    assert err.getvalue().count("error[") == 7
    assert "… and 144 more errors not shown" in err.getvalue()
    assert err.getvalue().endswith("151 errors\n")
    out = io.StringIO()
    assert main(["check", "--format", "json", str(path)], out, io.StringIO()) == 1
    document = json.loads(out.getvalue())
    assert len(document["diagnostics"]) == DEFAULT_MAX_DIAGNOSTICS
    assert document["summary"]["omitted"]["errors"] == 51


def test_cli_refuses_a_negative_count() -> None:
    err = io.StringIO()
    assert main(["check", "--max-diagnostics", "-1", "x.cxb"], io.StringIO(), err) == 2
    assert "--max-diagnostics" in err.getvalue()
