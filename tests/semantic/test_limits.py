"""Each case filed against the limits of the language gives a located diagnostic, never an
internal error or a hang; the ranges of the schema are data every field carries."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from blueprintc.diagnostics.suggest import MAX_SUGGEST_LENGTH, suggest
from blueprintc.driver import compile
from blueprintc.semantic import schema
from blueprintc.semantic.check import MAX_NAME_LENGTH
from blueprintc.semantic.ranges import Range

BASE = """\
blueprint "T" { currency USD; start 2027-01; horizon 1 year; interval 30 min }
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
process p1 { service s; volume 100/week; growth 5%/year; mix { voice 90%; email 10% }; aht { voice 3 min; email 5 min } }
channel voice { kind voice; hours mon..fri 09:00-17:00; target 80% within 20 s; shrinkage 30% }
channel email { kind email; mode deferred; hours mon..fri 09:00-17:00; response 90% within 24 h; shrinkage 30% }
component acd { supports voice, email }
staffing { loaded_cost 38 USD/h; paid_hours 37.5 h/week; span supervisor 12 }
site hq { seats 200 }
"""  # noqa: E501


def big(zeros: int) -> str:
    return "1" + "0" * zeros


def _case(old: str, new: str, extra: str = "") -> str:
    assert old in BASE
    return BASE.replace(old, new, 1) + extra


# (filed case, blueprint, expected code, line, column of the value)
FILED = [
    ("volume 1e30 a year", _case("100/week", f"{big(30)}/year"), "CXB0408", 5, 32),
    ("volume 1e308 a year", _case("100/week", f"{big(308)}/year"), "CXB0408", 5, 32),
    ("AHT of 1e400 s", _case("voice 3 min;", f"voice {big(400)} s;"), "CXB0408", 5, 100),
    ("growth of -101%", _case("5%/year", "-101%/year"), "CXB0408", 5, 49),
    ("horizon of 1 s", _case("horizon 1 year", "horizon 1 s"), "CXB0408", 1, 54),
    ("horizon of 2 weeks", _case("horizon 1 year", "horizon 2 weeks"), "CXB0408", 1, 54),
    (
        "minimum_agents 1e20",
        _case("shrinkage 30% }", f"shrinkage 30%; minimum_agents {big(20)} }}"),
        "CXB0408",
        6,
        111,
    ),
    ("NUL byte in a use path", _case("", "", 'use "./a\x00b.cxb"\n'), "CXB0004", 11, 5),
    ("1-billion-hour response target", _case("within 24 h", "within 1B h"), "CXB0408", 7, 92),
    (
        "assert with 500 terms",
        _case("", "", "assert " + " + ".join(["fte(total)"] * 500) + " >= 0\n"),
        "CXB0107",
        11,
        None,
    ),
    (
        "assert with 1,000 nested not",
        _case("", "", "assert " + "not " * 1000 + "fte(total) >= 0\n"),
        "CXB0107",
        11,
        None,
    ),
    (
        "NPV of 1e400 in an assert",
        _case("", "", f"assert npv(total) <= {big(400)} USD\n"),
        "CXB0408",
        11,
        22,
    ),
    (
        "a 50,000-character name",
        _case("service s;", "service " + "s" * 50_000 + ";"),
        "CXB0301",
        5,
        22,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "code", "line", "column"), [f[1:] for f in FILED], ids=[f[0] for f in FILED]
)
def test_filed_case_gives_a_located_diagnostic(
    text: str,
    code: str,
    line: int,
    column: int | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = compile(text)
    found = [d for d in result.diagnostics if d.code.id == code]
    assert found, [f"{d.code.id} {d.message[:80]}" for d in result.diagnostics]
    assert all(d.code.id != "CXB0901" for d in result.diagnostics)
    span = found[0].span
    assert span is not None and span.line == line
    if column is not None:
        assert span.column == column


def _compile_in_a_subprocess(text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``blueprintc size`` in its own process, so that a hang fails the test instead."""
    (tmp_path / "main.cxb").write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "blueprintc", "size", "main.cxb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_billion_hour_response_target_does_not_hang(tmp_path: Path) -> None:
    done = _compile_in_a_subprocess(_case("within 24 h", "within 1B h"), tmp_path)
    assert done.returncode == 1
    assert (
        "main.cxb:7:92: error[CXB0408]: `response` must be at least 0 s and at most 30 days"
        in done.stderr
    )


def test_a_50000_character_unknown_word_does_not_hang(tmp_path: Path) -> None:
    long = "x" * 50_000
    text = _case("service s;", f"service {long};") + f"segment {long[:-1]}y {{ share 1% }}\n"
    done = _compile_in_a_subprocess(text, tmp_path)
    assert done.returncode == 1
    assert "error[CXB0301]" in done.stderr and "error[CXB0901]" not in done.stderr


def test_the_edge_of_each_range_is_valid_and_just_past_it_is_not() -> None:
    cases = {
        "horizon 30 years": None,
        "horizon 361 months": "CXB0408",
        "horizon 1 month": None,
        "horizon 100 weeks": "CXB0408",  # not a whole number of months
    }
    for field, code in cases.items():
        text = BASE.replace("horizon 1 year", field)
        codes = {d.code.id for d in compile(text, until="check").diagnostics}
        assert (code in codes) if code else not codes, (field, codes)


def test_every_number_of_the_schema_has_a_range() -> None:
    fields = schema.numeric_fields()
    assert len(fields) > 60
    for path, field in fields:
        for quantity in field.quantities:
            assert quantity.ranges, path
            for limits in quantity.ranges:
                assert limits.allowed or limits.hi is not None, path
                assert limits.reason, path


def test_the_range_api_reads_in_canonical_units() -> None:
    horizon = schema.BLUEPRINT.block.field("horizon")
    assert horizon is not None and horizon.range is not None
    assert horizon.range.lo == schema.MONTH and horizon.range.hi == 30 * schema.YEAR
    assert horizon.range.contains(36 * schema.MONTH)
    assert not horizon.range.contains(schema.MONTH / 2)
    assert horizon.range.describe() == "at least 1 month and at most 30 years, in whole months"
    money = Range(Fraction(0), Fraction(10**15), unit="{currency}/seat")
    assert money.written(Fraction(5), "EUR") == "5 EUR/seat"


def test_a_name_at_the_limit_is_accepted_and_one_past_it_is_not() -> None:
    ok = (
        BASE
        + "segment "
        + "a" * MAX_NAME_LENGTH
        + " { share 0%; value low; strategy drop; intensity simple }\n"
    )
    assert "CXB0420" not in {d.code.id for d in compile(ok, until="check").diagnostics}
    bad = ok.replace("a" * MAX_NAME_LENGTH, "a" * (MAX_NAME_LENGTH + 1))
    assert "CXB0420" in {d.code.id for d in compile(bad, until="check").diagnostics}


def test_no_suggestion_for_a_word_past_the_cut_off() -> None:
    assert suggest("b" * MAX_SUGGEST_LENGTH + "x", ["b" * MAX_SUGGEST_LENGTH]) == []
    assert suggest("premeir", ["premier"]) == ["premier"]


def test_a_module_checked_on_its_own_shows_no_empty_currency() -> None:
    result = compile(
        "segment x { share 10%; value high; strategy retain; intensity simple; customers 10 USD }\n"
    )
    helps = [d.help or "" for d in result.diagnostics if d.code.id == "CXB0407"]
    assert helps and all("()" not in h for h in helps)
    assert helps[0].startswith("use the blueprint's currency, or declare a rate")
