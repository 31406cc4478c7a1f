"""blueprintc: compile a customer care center blueprint (.cxb) into a consistent design.

The Python entry point for scripts, notebooks and build plugins is
:func:`blueprintc.compile`; the command line (``blueprintc``) is a thin layer over it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from blueprintc.driver import Compilation


def compile(source: Any, **options: Any) -> Compilation:
    """Compile a blueprint given as a path or as text; see :func:`blueprintc.driver.compile`."""
    from blueprintc.driver import compile as _compile

    return _compile(source, **options)


__all__ = ["__version__", "compile"]
