"""The cyclic garbage collector is paused while a stage makes many objects, and left as
it was found afterwards (``blueprintc.collector``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from blueprintc import collector
from blueprintc.documents import drawing, dump
from blueprintc.documents.build import build_documents
from blueprintc.driver import Compilation, compile

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def collecting() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_leaves_the_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with collector.paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError), collector.paused():
            raise KeyError("a stage that fails")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_build_runs_without_the_collector_and_turns_it_back_on(
    collecting: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    example: Compilation = compile(ROOT / "examples" / "harbor_insurance.cxb")
    assert example.ok
    seen: list[bool] = []
    model_json = dump.model_json

    def recorded(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return model_json(*args)

    monkeypatch.setattr(dump, "model_json", recorded)
    monkeypatch.setenv("BLUEPRINTC_JOBS", "1")
    assert build_documents(example, formats=("json",)).files
    assert seen == [False]
    assert gc.isenabled()


def test_a_drawing_worker_runs_its_tasks_without_the_collector(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BLUEPRINTC_JOBS", "2")
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(tmp_path))
    assert collector.without_collector(gc.isenabled) is False
    if drawing._workers() is None:
        pytest.skip("no worker processes here")
    job = drawing.beside(gc.isenabled)
    assert job is not None and job.result() is False
