"""Each command imports only what it uses: `check` compiles through sizing, costs and the
assertions but loads no charting, spreadsheet, HTML, template or language-server module,
and no testing module but those scipy.special imports itself; `fmt`, `explain` and
`--version` load none of the compiler's later stages.
Measured in a fresh interpreter (``sys.modules`` after the command)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"

NEVER_FOR_CHECK = (
    "matplotlib",  # charts
    "openpyxl",  # spreadsheets
    "markdown_it",  # HTML
    "cmarkgfm",
    "jinja2",  # document templates
    "pygments",  # highlighted source in the HTML
    "pygls",  # the language server
    "lsprotocol",
    "blueprintc.documents",
    "blueprintc.lsp",
)
TESTING = ("unittest", "numpy.testing", "numpy.f2py", "pytest", "hypothesis")
"""Testing modules: `check` loads none of its own accord. (scipy.special, which the
queueing formulas need, imports some of them itself in scipy 1.14 and later: its
array-API layer copies numpy's namespace. Those are allowed, and only those.)"""
LATER_STAGES = (
    "numpy",
    "scipy",
    "networkx",
    "blueprintc.graph",
    "blueprintc.validate",
    "blueprintc.sizing",
    "blueprintc.planning",
    "blueprintc.outcome",
)


def _imported_by(statement: str) -> set[str]:
    """The modules a fresh interpreter holds after ``statement``."""
    script = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _loaded(*argv: str, cache: Path | None = None) -> set[str]:
    """The modules a fresh interpreter holds after running ``blueprintc ARGV``."""
    script = (
        "import io, json, sys\n"
        "from blueprintc.cli import main\n"
        "try:\n"
        f"    main({list(argv)!r}, io.StringIO(), io.StringIO())\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    environment = dict(os.environ)
    if cache is not None:
        environment["BLUEPRINTC_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=environment,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _matching(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_check_loads_only_the_compiler() -> None:
    loaded = _loaded("check", str(EXAMPLE))
    assert "blueprintc.planning.run" in loaded  # it does compile through costs
    assert _matching(loaded, NEVER_FOR_CHECK) == []
    allowed = set()
    if "scipy.special" in loaded:
        allowed = set(_matching(_imported_by("import scipy.special"), TESTING))
    assert set(_matching(loaded, TESTING)) <= allowed


def test_a_check_of_an_unchanged_blueprint_loads_no_scipy_special(tmp_path: Path) -> None:
    """Its queues' sizing is read back from the cache folder (`blueprintc.sizing.kept`):
    the first check sizes them and loads scipy.special, the second neither. (networkx
    3.2, the oldest supported, imports scipy's package, not its special functions, to
    build a graph from pairs.)"""
    first = _loaded("check", str(EXAMPLE), cache=tmp_path)
    assert "scipy.special" in first
    again = _loaded("check", str(EXAMPLE), cache=tmp_path)
    assert "blueprintc.planning.run" in again
    assert _matching(again, ("scipy.special", *TESTING, *NEVER_FOR_CHECK)) == []


@pytest.mark.parametrize(
    "argv",
    [("fmt", "--check", str(EXAMPLE)), ("explain", "CXB0101"), ("--version",)],
    ids=["fmt", "explain", "version"],
)
def test_commands_that_do_not_compile_load_no_later_stage(argv: tuple[str, ...]) -> None:
    assert _matching(_loaded(*argv), LATER_STAGES + NEVER_FOR_CHECK + TESTING) == []
