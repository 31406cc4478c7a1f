"""Sized queues kept on disk, so that a new process need not size unchanged queues again.

A realtime queue's staffing is a search per distinct interval (its traffic, handle time
and opening) under the queue's policy: :func:`blueprintc.solve.staffing.cells_key` names
what it depends on. The cells sized by a compilation of a blueprint read from disk are
kept in blueprintc's cache folder (``sized/``, see
:func:`blueprintc.resources.cache_folder`): one file per queue, named after that key and a
digest of the code and libraries that compute them (the Python, the machine, NumPy and
SciPy's versions and NumPy's processor features, and the bytes of the modules that
size: :data:`_SIZERS`). A later compilation with the same queue reads its cells back and
sizes only the queues that changed; a compilation whose every queue is kept does not
even load SciPy's special functions.

A file holds the key it was kept under, the number of cells and each figure's array in
a fixed order and type (no pickle: it is read as numbers, never as code). A file that
cannot be read, or whose length or key does not match, is ignored and written again; a
folder that cannot be written only costs the next process the sizing. Files unused for
30 days are deleted, and the least recently used beyond 256 MB. Text without a file
(standard input, the Python API given text) is always sized, as its syntax tree is
always parsed.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import platform
import sys
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np

from blueprintc.model.model import Model
from blueprintc.resources import cache_folder, keep
from blueprintc.solve import staffing as st

KEEP_DAYS: Final = 30  # a kept queue unused this long is deleted
MOST_BYTES: Final = 256 * 2**20
"""The most the folder holds: beyond it the least recently used queues are deleted (each
edit of a volume in an editor keeps the queues it changes, some 100 KB each)."""
_HERE = Path(__file__).resolve().parent
_SIZERS: Final = ("../solve/queueing.py", "../solve/staffing.py", "kept.py", "../__init__.py")
"""The modules whose code decides a queue's cells, and the package's ``__init__`` (its
version): a change to any of them changes every key."""
_LAYOUT: Final = (
    ("agents", np.dtype(np.int64)),
    ("traffic", np.dtype(np.float64)),
    ("service_level", np.dtype(np.float64)),
    ("asa", np.dtype(np.float64)),
    ("abandon", np.dtype(np.float64)),
    ("occupancy", np.dtype(np.float64)),
    ("infeasible", np.dtype(np.bool_)),
)
"""The arrays of a kept file, in order, and their types (little-endian on disk)."""
_KEY = hashlib.sha256().digest_size
_COUNT = 8  # the number of cells, an unsigned 64-bit little-endian integer
_CELL = sum(dtype.itemsize for _, dtype in _LAYOUT)


def kept_cells(model: Model) -> st.KeptCells | None:
    """Where ``model``'s queues are kept: None for a blueprint given as text."""
    if model.blueprint.span.file.real_path is None:
        return None
    return DiskCells(cache_folder() / "sized")


class DiskCells:
    """Sized cells in a folder, one file per queue (`staffing.KeptCells`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def find(self, key: bytes) -> st.IntervalResult | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        cells = _cells_from(data, _full(key))
        if cells is not None:
            with contextlib.suppress(OSError):
                os.utime(path)  # in use: not pruned
        return cells

    def keep(self, key: bytes, cells: st.IntervalResult) -> None:
        data = cells_bytes(_full(key), cells)
        keep(self._path(key), lambda staged: staged.write_bytes(data), KEEP_DAYS, MOST_BYTES)

    def _path(self, key: bytes) -> Path:
        return self.folder / f"{_full(key).hex()[:40]}.cells"


def cells_bytes(key: bytes, cells: st.IntervalResult) -> bytes:
    """The file kept for ``cells`` under ``key`` (a full key: `_full`)."""
    count = np.asarray(cells.agents).size
    parts = [key, count.to_bytes(_COUNT, "little")]
    for name, dtype in _LAYOUT:
        values = np.asarray(getattr(cells, name))
        if values.dtype != dtype or values.shape != (count,):
            raise ValueError(f"{name}: {values.dtype} {values.shape}, not {dtype} ({count},)")
        parts.append(values.astype(dtype.newbyteorder("<"), copy=False).tobytes())
    return b"".join(parts)


def _cells_from(data: bytes, key: bytes) -> st.IntervalResult | None:
    """The cells of a kept file, if it is whole and was kept under ``key``."""
    head = _KEY + _COUNT
    if len(data) < head or data[:_KEY] != key:
        return None
    count = int.from_bytes(data[_KEY:head], "little")
    if len(data) != head + count * _CELL:
        return None
    arrays: dict[str, Any] = {}
    offset = head
    for name, dtype in _LAYOUT:
        stored = np.frombuffer(data, dtype.newbyteorder("<"), count, offset)
        arrays[name] = stored.astype(dtype)  # native order, writable
        offset += count * dtype.itemsize
    return st.IntervalResult(**arrays, contacts=np.zeros(0))


def _full(key: bytes) -> bytes:
    """A queue's key (`staffing.cells_key`) with the code that sizes it."""
    return hashlib.sha256(_sizer_key() + key).digest()


@cache
def _sizer_key() -> bytes:
    """What every queue's cells depend on besides its policy and load."""
    digest = hashlib.sha256(f"{sys.version}\n{platform.machine()}\n{np.__version__}\n".encode())
    digest.update(repr(_cpu_features()).encode())
    scipy = importlib.util.find_spec("scipy")  # its version, without importing it
    if scipy is not None and scipy.origin is not None:
        version = Path(scipy.origin).with_name("version.py")
        digest.update(version.read_bytes() if version.is_file() else scipy.origin.encode())
    for name in _SIZERS:
        digest.update((_HERE / name).read_bytes())
    return digest.digest()


def _cpu_features() -> list[str]:
    """The processor features NumPy's compiled loops use on this machine (its SIMD exp
    and log may differ in the last bit from one set to another)."""
    core = getattr(np, "_core", None) or getattr(np, "core", None)  # NumPy 2, or 1.26
    umath = getattr(core, "_multiarray_umath", None)
    features = getattr(umath, "__cpu_features__", None) or {}
    return sorted(name for name, on in features.items() if on)
