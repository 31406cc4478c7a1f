"""Fixtures of the document tests: the example compiled once, views, rendered pages."""

from __future__ import annotations

import functools
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

try:
    import fcntl
except ImportError:  # not on Windows: each test process builds its own
    fcntl = None  # type: ignore[assignment]

import pytest

from blueprintc.documents.catalog import Edition
from blueprintc.documents.context import Context
from blueprintc.driver import Compilation, compile

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"


@pytest.fixture(scope="session")
def example() -> Compilation:
    compilation = compile(EXAMPLE)
    assert compilation.ok, [d.message for d in compilation.diagnostics if d.is_error]
    return compilation


@pytest.fixture(scope="session")
def example_context(example: Compilation) -> Context:
    return Context.of_compilation(example)


def compile_in(folder: Path, text: str) -> Compilation:
    """Compile ``text`` as ``folder/main.cxb``, asserting it has no errors."""
    path = folder / "main.cxb"
    path.write_text(text, encoding="utf-8")
    compilation = compile(path)
    assert compilation.ok, [d.message for d in compilation.diagnostics if d.is_error]
    return compilation


def render(compilation: Compilation, name: str, target: str = "md") -> str:
    """One document of a compilation rendered as Markdown (``target`` md or html)."""
    from blueprintc.documents.build import meta_of, render_document
    from blueprintc.documents.catalog import by_name
    from blueprintc.documents.environment import environment

    ctx = Context.of_compilation(compilation)
    document = by_name(name)
    assert document is not None
    env = environment()
    view: Any = document.build(ctx)
    return render_document(env, target, document, view, meta_of(ctx, None))


# The bundled examples, by stem, compiled and built once per test process and shared by
# every module that reads them (each build of the water utility takes seconds).
EXAMPLES = {
    stem: ROOT / "examples" / f"{stem}.cxb"
    for stem in ("northwind_bank", "harbor_insurance", "thornvale_water")
}


_SHARED: Path | None = None  # the folder of this run that the test processes share


@pytest.fixture(scope="session", autouse=True)
def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Under ``-n``, the run's folder above each test process's own (pytest removes it
    with the run's other folders, three runs later)."""
    global _SHARED
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _SHARED = tmp_path_factory.getbasetemp().parent / "shared"
        _SHARED.mkdir(exist_ok=True)


def shared(key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per test run, whichever test process asks first: the others
    wait for it and read its result back (pickled in a folder of the run's). The test
    processes of ``-n auto`` would otherwise each build the same examples."""
    if _SHARED is None or fcntl is None:  # one process: nothing to share
        return compute()
    kept = _SHARED / f"{key}.pickle"
    with open(_SHARED / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if kept.exists():
            value: T = pickle.loads(kept.read_bytes())
            return value
        value = compute()
        kept.write_bytes(pickle.dumps(value))
        return value


@functools.cache
def compiled_example(stem: str) -> Compilation:
    """The bundled example ``stem`` compiled (asserting it has no errors)."""
    compilation = compile(EXAMPLES[stem])
    assert compilation.ok, [d.message for d in compilation.diagnostics if d.is_error]
    return compilation


@functools.cache
def built_example(stem: str, edition: Edition = Edition.REVIEW) -> dict[str, bytes]:
    """Every file of the bundled example ``stem`` in ``edition``, in every format but PDF
    (a format's files do not depend on the other formats built with it)."""
    from blueprintc.documents.build import build_documents

    def build() -> dict[str, bytes]:
        return build_documents(compiled_example(stem), edition=edition).files

    return shared(f"built-{stem}-{edition.value}", build)
