"""Errors that leave the figures whole (seats short) still show the figures: the
consultant needs them to fix the error. `build` still writes nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

from blueprintc import cli
from blueprintc.diagnostics import codes as C

SHORT = """\
blueprint "T" { currency USD; start 2027-01; horizon 1 year }
brand b { promise fast "A person answers within a minute" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers fast; segments all }
process p { service s; volume 20k/month; mix { voice 100% }; aht { voice 5 min };
  automation { voice 5% } }
channel voice { kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s; shrinkage 35% }
component acd { supports voice }
staffing { loaded_cost 38 USD/h; paid_hours 37.5 h/week }
site hq { seats 10 }
"""


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def test_size_plan_and_cost_show_their_figures_beside_a_seat_shortfall(tmp_path: Path) -> None:
    blueprint = tmp_path / "short.cxb"
    blueprint.write_text(SHORT)
    code, out, err = _run("size", str(blueprint))
    assert code == 1 and "CXB0603" in err
    assert "seats: hq " in out and "peak agents" in out
    seats = int(out.split("seats: hq ")[1].split()[0])
    assert seats > 10  # the shortfall the error reports
    assert f"needs {seats} seats" in err
    for command in ("plan", "cost"):
        code, out, err = _run(command, str(blueprint))
        assert code == 1 and "CXB0603" in err and out.strip()
    code, out, _ = _run("cost", "--format", "json", str(blueprint))
    answer = json.loads(out)
    assert code == 1 and answer["diagnostics"][0]["code"] == C.SEATS_EXCEEDED.id
    assert answer["cost"]["lines"] and answer["cost"]["npv"] is not None


def test_diff_shows_what_adding_seats_changes(tmp_path: Path) -> None:
    old, new = tmp_path / "old.cxb", tmp_path / "new.cxb"
    old.write_text(SHORT)
    new.write_text(SHORT.replace("seats 10", "seats 40"))
    code, out, err = _run("diff", str(old), str(new))
    assert code == 1 and "CXB0603" in err
    assert "seats: 10 → 40" in out


def test_build_still_writes_nothing(tmp_path: Path) -> None:
    blueprint = tmp_path / "short.cxb"
    blueprint.write_text(SHORT)
    code, _, err = _run("build", str(blueprint), "-o", str(tmp_path / "out"))
    assert code == 1 and "nothing written" in err
    assert not (tmp_path / "out").exists()
