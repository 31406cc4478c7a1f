"""The manual measurement of processor time against the import floor runs (one run; the
figures are printed, never asserted)."""

from __future__ import annotations

import pytest

from tests.bench import cpu_ratio


def test_the_ratio_measurement_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert cpu_ratio.main(["--runs", "1", "check"]) == 0
    printed = capsys.readouterr().out
    assert "import floor" in printed and "check" in printed and "the floor" in printed


def test_only_the_measured_commands_are_taken() -> None:
    with pytest.raises(SystemExit):
        cpu_ratio.main(["build"])
