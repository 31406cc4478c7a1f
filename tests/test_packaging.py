"""Packaging: the declared minimum versions, typing for users, the licence in the wheel."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _minimums() -> ModuleType:
    spec = importlib.util.spec_from_file_location("minimums", ROOT / ".ci" / "minimums.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _project() -> dict[str, object]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project: dict[str, object] = tomllib.loads(text)["project"]
    return project


def test_the_minimum_versions_file_is_current() -> None:
    expected = _minimums().constraints(_project())
    assert (ROOT / ".ci" / "minimums.txt").read_text(encoding="utf-8") == expected, (
        "regenerate: python .ci/minimums.py"
    )


def test_every_dependency_is_pinned_to_its_floor() -> None:
    lines = (ROOT / ".ci" / "minimums.txt").read_text(encoding="utf-8").splitlines()
    pins = dict(line.split("==") for line in lines if not line.startswith("#"))
    assert pins["attrs"] == "24.3.0"  # what pygls 2 needs
    assert pins["matplotlib"] == "3.10"  # the first with the `svg.id` setting
    dependencies = _project()["dependencies"]
    assert isinstance(dependencies, list)
    assert len(pins) == len(dependencies) + 1  # and the pandas extra


def test_test_requirements_leave_runtime_versions_to_the_constraints() -> None:
    tests = _minimums().test_requirements(_project())
    assert "pytest>=8" in tests
    assert not any(r.startswith("markdown-it-py") for r in tests)


def test_a_users_script_type_checks_strictly(tmp_path: Path) -> None:
    """The package is typed (``py.typed``): ``mypy --strict`` reads its annotations."""
    api = pytest.importorskip("mypy.api")
    script = tmp_path / "user.py"
    script.write_text(
        "import blueprintc\n"
        "from blueprintc.driver import Compilation\n\n"
        'compilation: Compilation = blueprintc.compile("bank.cxb")\n'
        "ok: bool = compilation.ok\n"
        "reveal_type(compilation.diagnostics)\n"
    )
    out, err, status = api.run(
        ["--strict", "--cache-dir", str(tmp_path / "cache"), "--no-error-summary", str(script)]
    )
    assert "missing library stubs or py.typed marker" not in out
    assert status == 0, out + err
    assert 'Revealed type is "' in out
    assert "tuple[blueprintc.diagnostics.diagnostic.Diagnostic, ...]" in out


def test_the_wheel_carries_py_typed_and_the_licence(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("blueprintc-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        text = archive.read(metadata).decode()
        licence = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
        assert archive.read(licence) == (ROOT / "LICENSE").read_bytes()
    assert "blueprintc/py.typed" in names
    assert "License-Expression: MIT" in text and "License-File: LICENSE" in text
    assert "Provides-Extra: pandas" in text
    assert (
        (ROOT / "LICENSE")
        .read_text()
        .startswith("MIT License\n\nCopyright (c) 2026 the blueprintc authors\n")
    )
