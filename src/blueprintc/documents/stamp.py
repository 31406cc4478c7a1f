"""The no-op rebuild: a build with nothing changed since the output was written skips the
compile and the rendering, and leaves the output folder as it is.

After a successful build of a blueprint file, a *stamp* is kept in
the user's cache folder (``~/.cache/blueprintc/builds/``, one small file per output
folder, named after its absolute path; see ``cache_folder``): what the build read, each
file with its SHA-256, and a key of everything else its bytes depend on. Nothing is added
to or beside the output folder, which stays exactly the build's files. The next build to
the same folder is a no-op when all of these hold:

* every file the last build read (the blueprint, every module it uses, the standard
  library modules, the templates) has the same bytes, and every ``use "path"`` still
  resolves to the same file (a re-pointed symbolic link is a change);
* the same blueprint path, ``--root``, ``--format``, ``--only`` and ``--werror``, from the
  same working folder, with the same ``SOURCE_DATE_EPOCH`` (its date, if any, is in the
  documents);
* the same blueprintc (its files: code, templates, standard library, grammar), the same
  Python and the same installed packages (every distribution on the path, by name and
  version: matplotlib, cmark-gfm, Jinja2… draw and write the files), and the same
  matplotlib configuration files (``matplotlibrc`` in the working folder, in
  ``MATPLOTLIBRC`` or in matplotlib's configuration folder);
* the output folder holds exactly the files its manifest lists, with the bytes the last
  build wrote, and its manifest is the one this stamp was written with; a requested
  depfile already says what it would say.

Anything else, or any doubt (no stamp, a stamp of another version, a file that cannot be
read), and the build runs in full, as it always did. A no-op shows the warnings the build
showed (the stamp keeps them as written, plain and in colour). A blueprint read from
standard input and a module checked through the blueprint that uses it are always built
in full. Installed fonts are not part of the key. Stamps unused for 30 days are deleted.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from blueprintc.documents.manifest import digest, render
from blueprintc.documents.output import OutputError, depfile, unchanged_since
from blueprintc.resources import cache_folder as cache_folder  # drawing, templates use these
from blueprintc.resources import prune as prune

if TYPE_CHECKING:
    from blueprintc.documents.build import BuildResult
    from blueprintc.driver import Compilation

VERSION = 2
KEEP_DAYS = 30  # a stamp unused this long is deleted
_PACKAGE = Path(__file__).resolve().parent.parent


@attrs.frozen
class Options:
    """What a build was asked for, as the command line gave it."""

    file: str
    root: str | None
    formats: tuple[str, ...]
    only: tuple[str, ...]
    source_date_epoch: int | None
    werror: bool = False
    edition: str = "review"


@attrs.frozen
class Fresh:
    """An output folder that is already what the build would write."""

    documents: int
    files: int
    inputs: tuple[Path, ...]
    reports: tuple[str, str] = ("", "")  # the diagnostics as shown then: plain, in colour


def path_of(output: str) -> Path:
    """Where the stamp of the output folder ``output`` is kept: in the user's cache folder,
    named after the folder's absolute path (so the output folder stays exactly the build's
    files, and nothing is added beside it)."""
    resolved = os.path.realpath(output)
    name = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:32] + ".json"
    return cache_folder() / "builds" / name


def environment_key() -> str:
    """What a chart's drawing depends on besides its figures: blueprintc, the Python, the
    installed distributions, matplotlib's configuration files and its list of fonts."""
    fonts = []
    folder = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib"
    )
    with contextlib.suppress(OSError):
        for name in sorted(os.listdir(folder)):
            if name.startswith("fontlist"):
                fonts.append(f"{name} {_digest_of(Path(folder) / name)}")
    parts = [_tool(), *_matplotlib_settings(), *fonts]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def fresh(output: str, options: Options, depfile_path: str | None = None) -> Fresh | None:
    """What the last build wrote to the folder ``output`` (as the command line names it),
    when this build would write the same; None when it must run (see the module's rules)."""
    if options.file == "-":
        return None
    try:
        kept = json.loads(path_of(output).read_bytes())
        if not isinstance(kept, dict) or kept.get("stamp") != VERSION:
            return None
        if kept["key"] != _key(options):
            return None
        inputs = [Path(path) for path, _ in kept["inputs"]]
        if any(_digest_of(Path(path)) != sha for path, sha in kept["inputs"]):
            return None
        if any(str(Path(link).resolve()) != target for link, target in kept["links"]):
            return None
        if str(Path(options.file).resolve()) != kept["entry"]:
            return None
        if depfile_path is not None:
            text = depfile(output.rstrip("/\\") or output, inputs)
            wanted = text.encode("utf-8", "surrogateescape")
            if Path(depfile_path).read_bytes() != wanted:
                return None
        if not unchanged_since(Path(output), kept["manifest"]):
            return None
        with contextlib.suppress(OSError):
            os.utime(path_of(output))  # used: kept by ``prune``
        plain, colour = (str(text) for text in kept["reports"])
        return Fresh(int(kept["documents"]), int(kept["files"]), tuple(inputs), (plain, colour))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, OutputError):
        return None


def record(
    output: str,
    options: Options,
    compilation: Compilation,
    result: BuildResult,
    reports: tuple[str, ...] = ("", ""),
) -> None:
    """Write the stamp of a build that just wrote ``output``, with its diagnostics as it
    showed them (``reports``: plain, in colour), for a no-op to show them again; nothing
    when a later build could not be judged by it (standard input, a module built through
    its user). A stamp that cannot be written only costs the next build its shortcut."""
    stamp = path_of(output)
    with contextlib.suppress(OSError):
        stamp.unlink(missing_ok=True)
    program = compilation.program
    if options.file == "-" or compilation.through is not None or len(reports) != 2:
        return
    if program is None or any(m.source.real_path is None for m in program.modules):
        return
    try:
        document = {
            "stamp": VERSION,
            "key": _key(options),
            "entry": str(Path(options.file).resolve()),
            "inputs": [[str(path), _digest_of(path)] for path in result.inputs],
            "links": _links(compilation),
            "manifest": digest(render(result.files)),
            "documents": len(result.documents),
            "files": len(result.files),
            "reports": list(reports),
        }
        stamp.parent.mkdir(parents=True, exist_ok=True)
        prune(stamp.parent, KEEP_DAYS)
        staged = stamp.with_name(f"{stamp.name}.{os.getpid()}.new")
        staged.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        os.replace(staged, stamp)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            stamp.unlink(missing_ok=True)


def _digest_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _links(compilation: Compilation) -> list[list[str]]:
    """Every ``use "path"`` of the blueprint's files: the path as written, joined to its
    file's folder, and the file it resolved to."""
    from blueprintc.syntax import ast

    assert compilation.program is not None
    links = []
    for module in compilation.program.modules:
        real = module.source.real_path
        if module.is_std or real is None:
            continue
        for statement in module.module.statements:
            if not isinstance(statement, ast.Statement) or statement.keyword != "use":
                continue
            atoms = statement.args[0].atoms if len(statement.args) == 1 else ()
            if len(atoms) == 1 and isinstance(atoms[0], ast.Text):
                written = real.parent / atoms[0].value
                links.append([str(written), str(written.resolve())])
    return links


def _key(options: Options) -> str:
    """The digest of everything but the inputs that a build's bytes depend on."""
    parts: dict[str, Any] = {
        "file": options.file,
        "root": options.root,
        "formats": sorted(options.formats),
        "only": sorted(options.only),
        "source_date_epoch": options.source_date_epoch,
        "werror": options.werror,
        "cwd": os.getcwd(),
        "tool": _tool(),
        "matplotlib": _matplotlib_settings(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def tool_digest() -> str:
    """A digest of blueprintc's own files, the Python and the installed distributions:
    what changes when anything that makes the output changes, but the inputs."""
    return _tool()


@functools.cache
def _tool() -> str:
    """blueprintc's own files (by name, size and modification time), the Python and the
    installed distributions (by name and version)."""
    from blueprintc.resources import resource_dir

    entries: list[str] = [sys.version, sys.platform]
    for root in (_PACKAGE, resource_dir("stdlib"), resource_dir("grammar")):
        for folder, names, files in os.walk(root):
            names[:] = sorted(n for n in names if n != "__pycache__")
            for name in sorted(files):
                status = os.stat(os.path.join(folder, name))
                relative = os.path.relpath(os.path.join(folder, name), root)
                entries.append(f"{relative} {status.st_size} {status.st_mtime_ns}")
    entries += sorted(_distributions(sys.path))
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()


def _distributions(paths: Iterable[str]) -> set[str]:
    """The ``*.dist-info`` and ``*.egg-info`` names on the import path (name-version)."""
    found: set[str] = set()
    for entry in paths:
        with contextlib.suppress(OSError), os.scandir(entry or ".") as listing:
            found.update(e.name for e in listing if e.name.endswith((".dist-info", ".egg-info")))
    return found


def _matplotlib_settings() -> Sequence[str]:
    """The matplotlib configuration files a drawing would read, with their digests."""
    candidates = [Path("matplotlibrc")]
    named = os.environ.get("MATPLOTLIBRC")
    if named:
        candidates += [Path(named), Path(named) / "matplotlibrc"]
    folder = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config"), "matplotlib"
    )
    candidates.append(Path(folder) / "matplotlibrc")
    found = []
    for candidate in candidates:
        with contextlib.suppress(OSError):
            if candidate.is_file():
                found.append(f"{candidate.resolve()} {_digest_of(candidate)}")
    return found
