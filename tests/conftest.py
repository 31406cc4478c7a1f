"""Shared fixtures: compiling text in a temporary project, and golden-file handling."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from blueprintc.driver import Compilation, compile

ROOT = Path(__file__).resolve().parent.parent
HEADER = 'blueprint "T" { currency USD; start 2027-01; horizon 3 years }\n'


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Parsed trees, charts and no-op stamps kept in the session's folder, not the user's
    cache (the tests compile thousands of files)."""
    before = os.environ.get("BLUEPRINTC_CACHE_DIR")
    os.environ["BLUEPRINTC_CACHE_DIR"] = str(tmp_path_factory.mktemp("blueprintc-cache"))
    yield
    if before is None:
        del os.environ["BLUEPRINTC_CACHE_DIR"]
    else:
        os.environ["BLUEPRINTC_CACHE_DIR"] = before


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files from the current output (review the diff before committing)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Compilation]:
    """Write files into a temporary project and compile its ``main.cxb``."""
    monkeypatch.chdir(tmp_path)

    def build(main: str, header: bool = True, until: str = "validate", **files: str) -> Compilation:
        for name, text in files.items():
            path = tmp_path / (name.replace("__", "/") + ".cxb")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (tmp_path / "main.cxb").write_text((HEADER if header else "") + main, encoding="utf-8")
        return compile(tmp_path / "main.cxb", until=until)

    return build


def codes(compilation: Compilation) -> list[tuple[str, int, int]]:
    """(code, line, column) of each diagnostic, for compact assertions."""
    return [
        (d.code.id, d.span.line if d.span else 0, d.span.column if d.span else 0)
        for d in compilation.diagnostics
    ]
