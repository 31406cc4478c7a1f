"""Locate the files shipped with the package: the grammar and the standard library."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """The ``grammar`` or ``stdlib`` folder: inside the installed wheel, else in the checkout."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"blueprintc is incompletely installed: no {name}/ folder")
