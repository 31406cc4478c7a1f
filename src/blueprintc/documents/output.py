"""Write a build to disk the way build systems need it.

* Atomic: the new tree is assembled in a hidden sibling folder (``.out.blueprintc-new-*``)
  and put in place in one step: Linux exchanges the two folders with
  ``renameat2(RENAME_EXCHANGE)``. Elsewhere (or on a file system without it) the old
  folder is renamed aside (``.out.blueprintc-old-*``) and the new one into place; a build
  killed between those two renames leaves both trees complete, and the next run puts the
  old one back. Every run first removes what killed builds left beside the folder.
* Serialised: a lock (see ``lock``) on ``.out.blueprintc-lock`` beside the folder makes
  a second build to the same folder wait (a bounded time) or fail with a clear message.
* Quiet: a file whose bytes did not change is carried over from the old output with
  its modification time, so ``make`` does not rebuild what depends on it.
* Owned: the manifest (``.blueprintc-build``, see ``manifest``) lists every file with its
  SHA-256. A non-empty folder is replaced only when it holds exactly the files its
  manifest lists, unmodified, and it and its parent are writable; otherwise the build
  is refused and nothing is touched.
"""

from __future__ import annotations

import contextlib
import ctypes
import enum
import errno
import functools
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import attrs

from blueprintc.documents import lock
from blueprintc.documents.manifest import MANIFEST, digest, listing, parse

__all__ = [
    "LOCK_WAIT",
    "MANIFEST",
    "OutputError",
    "PendingFile",
    "Step",
    "depfile",
    "prepare_target",
    "unchanged_since",
    "write_tree",
]

LOCK_WAIT = 30.0  # seconds a build waits for another build writing the same folder
_SUFFIX = re.compile(r"(new|old|del)-[a-z0-9_]{8}")
_SHOWN = 3  # offending files named in a refusal


class OutputError(Exception):
    """The output folder cannot be written (the message says why, naming the path)."""


class Step(enum.Enum):
    """The points of a write where ``_checkpoint`` runs (tests inject faults there)."""

    LOCKED = "locked"  # the lock is held, stale folders cleaned, nothing written yet
    WRITING = "writing"  # after each file written into the staging folder
    STAGED = "staged"  # the new tree is complete beside the old one
    RETIRED = "retired"  # two-rename fallback only: the old tree moved aside, not replaced
    SWAPPED = "swapped"  # the new tree is in place; the old one not yet removed


class Litter(enum.Enum):
    """What a hidden sibling of the output folder is (the middle of its name)."""

    NEW = "new"  # a staging folder (or staging depfile): never complete for sure
    OLD = "old"  # the previous output, moved aside by the fallback swap: complete
    DEL = "del"  # a tree being deleted


@attrs.frozen
class PendingFile:
    """A file written beside the tree (the depfile): only when the tree is written."""

    path: Path
    data: bytes


def _checkpoint(step: Step) -> None:
    """Nothing: the hook where fault-injection tests stop a write."""


def _sibling(path: Path, kind: Litter) -> Path:
    """A new hidden name beside ``path`` (nothing is created)."""
    made = tempfile.mkdtemp(prefix=f".{path.name}.blueprintc-{kind.value}-", dir=path.parent)
    os.rmdir(made)
    return Path(made)


def _litter(path: Path) -> list[tuple[Litter, Path]]:
    """The hidden siblings of ``path`` that earlier (killed) runs left."""
    prefix = f".{path.name}.blueprintc-"
    found: list[tuple[Litter, Path]] = []
    with os.scandir(path.parent) as entries:
        for entry in entries:
            rest = entry.name[len(prefix) :] if entry.name.startswith(prefix) else ""
            if _SUFFIX.fullmatch(rest):
                found.append((Litter(rest[:3]), Path(entry.path)))
    return sorted(found, key=lambda item: item[1])


def _remove(owner: Path, path: Path) -> None:
    """Delete a sibling file or tree of ``owner``. A tree is first renamed to a ``del``
    name, so a deletion cut short never leaves a partial tree under a name that the next
    run restores."""
    if not path.is_dir() or path.is_symlink():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    if not path.name.startswith(f".{owner.name}.blueprintc-{Litter.DEL.value}-"):
        moved = _sibling(owner, Litter.DEL)
        with contextlib.suppress(OSError):
            os.rename(path, moved)
            path = moved
    shutil.rmtree(path, ignore_errors=True)


def _recover(directory: Path) -> None:
    """Repair what killed builds left: put a retired tree back if the folder is missing,
    then delete every staging, retired and half-deleted sibling."""
    litter = _litter(directory)
    retired = [path for kind, path in litter if kind is Litter.OLD]
    if retired and not os.path.lexists(directory):
        newest = max(retired, key=lambda path: path.stat().st_ctime_ns)
        os.rename(newest, directory)
        litter.remove((Litter.OLD, newest))
    for _, path in litter:
        _remove(directory, path)


def _writable(path: Path) -> bool:
    """Whether ``path`` may be written: permitted, and not write-protected by its mode
    (a folder with no write bit is refused even for a superuser)."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _some(paths: Iterable[str]) -> str:
    names = sorted(paths)
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")


def _refuse_read_only(directory: Path, shown: str) -> None:
    if not _writable(directory.parent):
        raise OutputError(
            f"cannot write {shown}: the folder {directory.parent} is read-only "
            "(make it writable or choose another output folder)"
        )
    if directory.is_dir() and not _writable(directory):
        raise OutputError(
            f"{shown} is read-only; blueprintc build does not replace a write-protected "
            "folder (make it writable or choose another output folder)"
        )


def _ancestors(paths: Iterable[str]) -> set[str]:
    return {
        "/".join(parts[:i]) for p in paths if (parts := p.split("/")) for i in range(1, len(parts))
    }


def _walk(
    directory: Path, listed: Mapping[str, object]
) -> tuple[dict[str, Path], list[str], list[str]]:
    """The regular files under ``directory`` (but the manifest), the entries no listed path
    explains (a folder counted once, with a trailing ``/``), and the read-only folders."""
    keep = _ancestors(listed)
    files: dict[str, Path] = {}
    extra: list[str] = []
    read_only: list[str] = []
    for root, folders, names in os.walk(directory):
        base = Path(root)
        relative = base.relative_to(directory).as_posix()
        prefix = "" if relative == "." else relative + "/"
        descend = []
        for name in folders:
            key = prefix + name
            if (base / name).is_symlink() or key not in keep:
                extra.append(key + "/")
            elif not _writable(base / name):
                read_only.append(key + "/")
            else:
                descend.append(name)
        folders[:] = descend
        for name in names:
            if prefix + name != MANIFEST:
                files[prefix + name] = base / name
    return files, extra, read_only


def _survey(directory: Path, shown: str) -> dict[str, str]:
    """Refuse a folder that may not be replaced; return the SHA-256 of each of its files."""
    if not os.path.lexists(directory):
        return {}
    if not directory.is_dir():
        raise OutputError(f"{shown} exists and is not a folder")
    _refuse_read_only(directory, shown)
    if not any(directory.iterdir()):
        return {}
    record = directory / MANIFEST
    if not record.is_file() or record.is_symlink():
        raise OutputError(
            f"{shown} is not empty and was not written by blueprintc build; "
            "choose an empty or new folder"
        )
    manifest = parse(record.read_bytes())
    if manifest is None:
        raise OutputError(
            f"{shown}/{MANIFEST} is not a manifest this blueprintc can read; "
            "the folder is not replaced (delete it or choose another output folder)"
        )
    files, extra, read_only = _walk(directory, manifest.files)
    if read_only:
        raise OutputError(
            f"{shown} holds read-only folders ({_some(read_only)}); blueprintc build does "
            "not replace a write-protected folder (make them writable or choose another folder)"
        )
    regular = {key: path for key, path in files.items() if stat.S_ISREG(path.lstat().st_mode)}
    extra += [key for key in files if key not in manifest.files]
    if extra:
        raise OutputError(
            f"{shown} holds files that blueprintc build did not write ({_some(extra)}); "
            "it is not replaced, so they are not lost: move them elsewhere or choose "
            "another output folder"
        )
    hashes = {key: digest(path.read_bytes()) for key, path in regular.items()}
    changed = [
        key for key in files if key not in hashes or manifest.files[key] not in (None, hashes[key])
    ]
    if changed:
        raise OutputError(
            f"{shown} holds files changed since blueprintc build wrote them "
            f"({_some(changed)}); it is not replaced, so the changes are not lost: move "
            "those files elsewhere (or delete them) and build again"
        )
    return hashes


def _resolve(directory: Path) -> Path:
    """The absolute folder to replace; refuse the root and folders holding the working
    folder (replacing them would leave the shell in a deleted folder)."""
    try:
        resolved = directory.resolve()
    except OSError as error:  # a relative path from a deleted working folder
        raise OutputError(f"cannot write {directory}: {error.strerror}") from None
    if resolved.parent == resolved:
        raise OutputError(f"cannot write {directory}: the root folder cannot be an output folder")
    try:
        working = Path.cwd().resolve()
    except OSError:  # the working folder was deleted: it cannot be inside this one
        return resolved
    if working.is_relative_to(resolved):
        raise OutputError(
            f"cannot write {directory}: it holds the current working folder, which "
            "replacing it would delete (run the build from outside it)"
        )
    return resolved


@contextlib.contextmanager
def _locked(directory: Path, shown: str, wait: float | None) -> Iterator[None]:
    """Hold the lock of ``directory``, waiting for another build at most ``wait`` seconds
    (None: ``LOCK_WAIT``)."""
    wait = LOCK_WAIT if wait is None else wait
    path = directory.parent / f".{directory.name}.blueprintc-lock"
    try:
        with lock.held(path, wait):
            yield
    except lock.Busy:
        raise OutputError(
            f"another blueprintc build is writing {shown} (waited {wait:g} s for it "
            "to finish); try again when it has finished"
        ) from None


def prepare_target(directory: Path, *, wait: float | None = None) -> None:
    """Repair what killed builds left at ``directory``; refuse it if a build may not
    replace it (``write_tree`` checks again, under its lock)."""
    shown = str(directory)
    resolved = _resolve(directory)
    if not resolved.parent.is_dir():
        return
    try:
        _refuse_read_only(resolved, shown)
        with _locked(resolved, shown, wait):
            _recover(resolved)
            _survey(resolved, shown)
    except OSError as error:
        raise OutputError(f"cannot write {shown}: {error.strerror or error}") from None


def unchanged_since(directory: Path, manifest_digest: str, *, wait: float | None = None) -> bool:
    """Whether ``directory`` is exactly what the build that wrote the manifest of SHA-256
    ``manifest_digest`` left: that manifest, and every file it lists with its bytes (for
    the no-op rebuild, see ``stamp``). Raises ``OutputError`` for a folder that may not be
    replaced."""
    shown = str(directory)
    resolved = _resolve(directory)
    record = resolved / MANIFEST
    try:
        with _locked(resolved, shown, wait):
            if not record.is_file() or digest(record.read_bytes()) != manifest_digest:
                return False
            hashes = _survey(resolved, shown)
            manifest = parse(record.read_bytes())
            return manifest is not None and set(hashes) == set(manifest.files)
    except OSError:
        return False


def write_tree(
    directory: Path,
    files: Mapping[str, bytes],
    *,
    beside: PendingFile | None = None,
    wait: float | None = None,
) -> list[str]:
    """Replace ``directory`` with exactly ``files`` (and write ``beside`` once it is in
    place); return the paths whose bytes changed."""
    shown = str(directory)
    resolved = _resolve(directory)
    _check_pending(beside, resolved)
    try:
        resolved.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create {resolved.parent}: {error.strerror}") from None
    try:
        _refuse_read_only(resolved, shown)
        with _locked(resolved, shown, wait):
            _recover(resolved)
            _checkpoint(Step.LOCKED)
            return _replace(resolved, shown, files, beside)
    except OSError as error:
        raise OutputError(f"cannot write {shown}: {error.strerror or error}") from None


def _check_pending(pending: PendingFile | None, directory: Path) -> None:
    """Refuse a depfile that the swap would delete or that cannot be a file."""
    if pending is None:
        return
    if Path(os.path.realpath(pending.path)).is_relative_to(directory):
        raise OutputError(
            f"cannot write the depfile {pending.path}: it is inside the output folder, "
            "which the build replaces as a whole"
        )
    if pending.path.is_dir():
        raise OutputError(f"cannot write the depfile {pending.path}: it is a folder")


def _replace(
    directory: Path, shown: str, files: Mapping[str, bytes], pending: PendingFile | None
) -> list[str]:
    old = _survey(directory, shown)
    staged_pending = _stage_pending(pending)
    staging = _sibling(directory, Litter.NEW)
    try:
        staging.mkdir()
        changed = _stage(staging, directory, files, old)
        mode = stat.S_IMODE(directory.stat().st_mode) if directory.is_dir() else 0o755
        os.chmod(staging, mode)
        _checkpoint(Step.STAGED)
        retired = _swap(staging, directory)
    except BaseException:
        _remove(directory, staging)
        if staged_pending is not None:
            staged_pending.unlink(missing_ok=True)
        raise
    _checkpoint(Step.SWAPPED)
    if staged_pending is not None and pending is not None:
        try:
            os.replace(staged_pending, pending.path)
        except OSError as error:
            raise OutputError(
                f"wrote {shown} but cannot write the depfile {pending.path}: {error.strerror}"
            ) from None
    if retired is not None:
        _remove(directory, retired)
    return changed


def _stage_pending(pending: PendingFile | None) -> Path | None:
    """Write the depfile beside its final name (creating its folder); None if unchanged."""
    if pending is None:
        return None
    path = pending.path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for _, stale in _litter(path):
            _remove(path, stale)
        if path.is_file() and path.read_bytes() == pending.data:
            return None  # unchanged: keep its modification time
        staged = _sibling(path, Litter.NEW)
        staged.write_bytes(pending.data)
    except OSError as error:
        where = f" ({error.filename})" if error.filename not in (None, str(path)) else ""
        raise OutputError(
            f"cannot write the depfile {pending.path}: {error.strerror}{where}"
        ) from None
    return staged


def _stage(
    staging: Path, directory: Path, files: Mapping[str, bytes], old: Mapping[str, str]
) -> list[str]:
    """Write ``files`` and the manifest into ``staging``; a file unchanged since the old
    tree in ``directory`` is copied from it; return the changed paths."""
    changed: list[str] = []
    digests = {name: digest(data) for name, data in files.items()}  # once: copy, manifest
    for name in sorted(files):
        if not _carry(files[name], digests[name], directory / name, staging / name, old.get(name)):
            changed.append(name)
        _checkpoint(Step.WRITING)
    manifest = listing(digests)
    record = directory / MANIFEST
    present = digest(record.read_bytes()) if old and record.is_file() else None
    _carry(manifest, digest(manifest), record, staging / MANIFEST, present)
    return changed


def _carry(data: bytes, hexdigest: str, old: Path, new: Path, old_digest: str | None) -> bool:
    """Write ``data`` (its digest ``hexdigest``) at ``new``, copied from ``old`` with its
    modification time when the bytes are the same (``old_digest``); return whether they
    were."""
    new.parent.mkdir(parents=True, exist_ok=True)
    if old_digest == hexdigest:
        shutil.copy2(old, new)
        return True
    new.write_bytes(data)
    return False


def _swap(staging: Path, directory: Path) -> Path | None:
    """Put ``staging`` at ``directory``; return where the old tree went (None: none)."""
    if not os.path.lexists(directory):
        os.rename(staging, directory)
        return None
    if _exchange(staging, directory):
        return staging  # now holds the old tree
    retired = _sibling(directory, Litter.OLD)
    os.rename(directory, retired)
    try:
        _checkpoint(Step.RETIRED)
        os.rename(staging, directory)
    except BaseException:
        os.rename(retired, directory)
        raise
    return retired


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """glibc's ``renameat2`` (Linux 3.15+), or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step; False where the system or file system cannot."""
    function = _renameat2()
    if function is None:
        return False
    names = os.fsencode(first), os.fsencode(second)
    if function(_AT_FDCWD, names[0], _AT_FDCWD, names[1], _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _escape(path: str) -> str:
    return path.replace("\\", "\\\\").replace(" ", "\\ ").replace("#", "\\#").replace("$", "$$")


def depfile(target: str, inputs: Iterable[Path]) -> str:
    """A make/ninja depfile: ``target`` depends on every input; each input a phony target.

    The phony rules keep ``make`` working when an input is deleted or renamed (as
    ``gcc -MP`` does).
    """
    names = [_escape(str(p)) for p in inputs]
    lines = [f"{_escape(target)}: " + " \\\n  ".join(names) if names else f"{_escape(target)}:"]
    lines += [f"\n{name}:" for name in names]
    return "\n".join(lines) + "\n"
