"""The manifest of an output folder (``.blueprintc-build``): every file a build wrote.

Version 2 starts with the line ``# blueprintc-build 2``, then one line per file in the
format of ``sha256sum``: 64 hexadecimal digits of the file's SHA-256, two spaces, the
path relative to the folder. A path holding a backslash or a line break is written as
``sha256sum`` writes it: the line starts with ``\\``, and those characters are written
``\\\\`` and ``\\n``. Version 1 (earlier releases) is the bare list of paths.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

import attrs

MANIFEST = ".blueprintc-build"
HEADER = "# blueprintc-build 2"
_LINE = re.compile(r"(?P<escaped>\\?)(?P<digest>[0-9a-f]{64})  (?P<path>.+)")


@attrs.frozen
class Manifest:
    """The files a build wrote: path -> SHA-256 in hex (None: version 1, no hashes)."""

    files: Mapping[str, str | None]


def digest(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex, as the manifest records it."""
    return hashlib.sha256(data).hexdigest()


def render(files: Mapping[str, bytes]) -> bytes:
    """The manifest of ``files`` (path -> bytes), sorted by path."""
    return listing({path: digest(data) for path, data in files.items()})


def listing(digests: Mapping[str, str]) -> bytes:
    """The manifest of files known by their digests (path -> ``digest``), sorted by path."""
    lines = [HEADER] + [_line(path, digests[path]) for path in sorted(digests)]
    return "".join(f"{line}\n" for line in lines).encode()


def _line(path: str, hexdigest: str) -> str:
    if "\\" not in path and "\n" not in path:
        return f"{hexdigest}  {path}"
    return f"\\{hexdigest}  " + path.replace("\\", "\\\\").replace("\n", "\\n")


def _unescape(path: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), path)


def parse(data: bytes) -> Manifest | None:
    """Read a manifest of either version; None when ``data`` is not one."""
    try:
        text = data.decode()
    except UnicodeDecodeError:
        return None
    lines = text.split("\n")
    if lines[-1] != "":
        return None  # every line ends with a line break: a cut file is no manifest
    lines.pop()
    if lines and lines[0].startswith("# ") and lines[0] != HEADER:
        return None  # a later version: this release cannot tell what it lists
    if not lines or lines[0] != HEADER:
        return Manifest({line: None for line in lines if line})  # version 1
    files: dict[str, str | None] = {}
    for line in lines[1:]:
        match = _LINE.fullmatch(line)
        if match is None:
            return None
        path = match["path"]
        files[_unescape(path) if match["escaped"] else path] = match["digest"]
    return Manifest(files)
