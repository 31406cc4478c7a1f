"""Memory a stage has freed, given back to the system.

numpy makes and frees its arrays with the C library's allocator. glibc's keeps a pool of
memory for each thread that allocates (an arena) and keeps the pages freed in it for the
allocations to come; after threads have made and freed hundreds of megabytes of arrays
(the sizing of a large center, `blueprintc.solve.staffing`), those pages stay in the
process, scattered between the arrays it keeps, and the later stages allocate elsewhere.
:func:`give_back` asks glibc to return every whole free page (``malloc_trim``): at 100
times the example the process then holds about 40 MB less after sizing, and its peak is
that of sizing itself. Elsewhere (another C library, another system) it does nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable


def give_back() -> None:
    """Return the free pages of the C library's allocator to the system, where it can."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none."""
    import ctypes

    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # no such library or no such function
        return None
    return trim
