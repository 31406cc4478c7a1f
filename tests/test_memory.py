"""Memory given back to the system (blueprintc.memory): glibc's malloc_trim where the C
library has it, nothing elsewhere; never an error."""

from __future__ import annotations

import ctypes

import pytest

from blueprintc import memory


def test_giving_back_memory_is_harmless() -> None:
    kept = [bytearray(1 << 20) for _ in range(8)]
    del kept
    assert memory.give_back() is None


def test_without_malloc_trim_nothing_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    class Library:
        def __init__(self, name: object) -> None:
            pass  # a C library without malloc_trim (musl, macOS)

    memory._malloc_trim.cache_clear()
    monkeypatch.setattr(ctypes, "CDLL", Library)
    try:
        assert memory._malloc_trim() is None
        assert memory.give_back() is None
    finally:
        memory._malloc_trim.cache_clear()
