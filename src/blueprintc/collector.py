"""The cyclic garbage collector paused while a stage makes many objects.

Compiling, formatting, building documents and printing each allocate hundreds of
thousands to millions of small objects, almost none of them in reference cycles: the
collector would walk them all again at each of its passes (it doubled the time of large
blueprints, and took a seventh of an in-process build of 1,000 processes). Reference
counting still frees them as they go; the few cycles are collected after the stage, at
the process's next collection. The command line pauses the collector for a whole run
(``cli.entry_point``); this is for stages called from a process that keeps it running
(``--watch``, the language server, a notebook, a test).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


@contextmanager
def paused() -> Iterator[None]:
    """The collector paused within the block (left as it was found after it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def without_collector(task: Callable[..., T], *args: Any) -> T:
    """``task(*args)`` with the collector paused (what a drawing worker runs)."""
    with paused():
        return task(*args)
