"""Which blueprints use a module: the search behind checking a module on its own.

A *module* is a file without a ``blueprint`` block; it only makes sense inside the
blueprint that ``use``s it. To find that blueprint, the ``.cxb`` files of the module's
folder and of its parent folders are read, up to the first folder that holds a project
marker (``.git`` or ``pyproject.toml``), at most :data:`MAX_LEVELS` folders and
:data:`MAX_CANDIDATES` files, each at most the input limit. The ``use "..."`` statements
of those files form a graph; the users are the files with a ``blueprint`` block from which
the module is reached, directly or through other modules, nearest first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.semantic.files import MAX_INPUT_BYTES, SourceReadError, read_bytes, resolve
from blueprintc.source import SourceFile
from blueprintc.syntax import ast

MARKERS = (".git", "pyproject.toml")  # a folder holding one of these is the project's top
MAX_LEVELS = 8  # folders searched: the module's own and up to 7 parents
MAX_CANDIDATES = 200  # .cxb files read at most
BLUEPRINT = "blueprint"


def declares_blueprint(module: ast.Module) -> bool:
    """Whether a parsed file has a top-level ``blueprint`` block (is a blueprint, not a module)."""
    return any(isinstance(n, ast.Statement) and n.keyword == BLUEPRINT for n in module.statements)


@attrs.frozen
class _Parsed:
    """What the search needs of one candidate file."""

    path: Path
    is_blueprint: bool
    uses: tuple[Path, ...]


def search_folders(module: Path, stop: Path | None = None) -> Iterator[Path]:
    """The module's folder, then its parents up to a project marker, ``stop`` or the limit."""
    folder = module.parent
    for _ in range(MAX_LEVELS):
        yield folder
        if folder == stop or folder.parent == folder or _has_marker(folder):
            return
        folder = folder.parent


def _has_marker(folder: Path) -> bool:
    try:
        return any((folder / marker).exists() for marker in MARKERS)
    except OSError:
        return False


def find_users(
    module: Path, stop: Path | None = None, overlay: Mapping[Path, str] | None = None
) -> list[Path]:
    """The blueprints that use ``module`` (a resolved path), nearest folder first.

    ``stop`` is the highest folder searched (a project root given by the user);
    ``overlay`` gives the unsaved text of files open in an editor.
    """
    candidates = list(_candidates(module, stop))
    parsed = [p for p in (_parse(path, overlay or {}) for path in candidates) if p is not None]
    users_of: dict[Path, list[_Parsed]] = {}
    for item in parsed:
        for used in item.uses:
            users_of.setdefault(used, []).append(item)
    found: list[Path] = []
    seen = {module}
    queue = deque([module])
    while queue:
        for user in users_of.get(queue.popleft(), []):
            if user.path in seen:
                continue
            seen.add(user.path)
            queue.append(user.path)
            if user.is_blueprint:
                found.append(user.path)
    order = {path: i for i, path in enumerate(candidates)}
    return sorted(found, key=lambda p: order[p])


def _candidates(module: Path, stop: Path | None) -> Iterator[Path]:
    count = 0
    for folder in search_folders(module, stop):
        try:
            files = sorted(p for p in folder.glob("*.cxb") if p.is_file())
        except OSError:
            continue
        for path in files:
            real = _resolved(path)
            if real is None or real == module:
                continue
            count += 1
            if count > MAX_CANDIDATES:
                return
            yield real


def _resolved(path: Path) -> Path | None:
    try:
        return resolve(path)
    except SourceReadError:
        return None


def _parse(path: Path, overlay: Mapping[Path, str]) -> _Parsed | None:
    """A candidate's ``use "..."`` targets and whether it is a blueprint; None if unreadable."""
    text = overlay.get(path)
    if text is None:
        try:
            text = read_bytes(path, MAX_INPUT_BYTES).decode("utf-8-sig", errors="replace")
        except SourceReadError:
            return None
    if "use" not in text:  # uses nothing: cannot lead to the module
        return None
    from blueprintc.syntax.parse import parse  # Lark: only when a module's user is sought

    tree = parse(SourceFile(str(path), text, path), DiagnosticSink())
    uses = tuple(u for node in tree.statements if (u := _file_use(node, path)) is not None)
    return _Parsed(path, declares_blueprint(tree), uses) if uses else None


def _file_use(node: ast.Node, path: Path) -> Path | None:
    """The file a ``use "./x.cxb"`` statement loads (resolved), or None."""
    if not isinstance(node, ast.Statement) or node.keyword != "use" or len(node.args) != 1:
        return None
    atoms = node.args[0].atoms
    if node.block is not None or len(atoms) != 1 or not isinstance(atoms[0], ast.Text):
        return None
    return _resolved(path.parent / atoms[0].value)
