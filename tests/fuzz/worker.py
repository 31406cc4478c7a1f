"""The fuzz worker: compiles the blueprints it is sent, one at a time, under a memory cap.

Run by :class:`tests.fuzz.guard.Guard` as ``python worker.py MEMORY_BYTES``. Frames on
standard input and output are a 4-byte length and a pickle. The worker caps its own
address space at what it uses after start-up plus ``MEMORY_BYTES``, so an input that
needs more fails with ``MemoryError`` instead of exhausting the machine; the guard
watches the time. This file is test code: it imports only blueprintc and the standard
library so that it starts the same way in any environment.
"""

from __future__ import annotations

import os
import pickle
import resource
import struct
import sys
import time
import traceback
from pathlib import Path
from typing import Any, BinaryIO

WARM_UP = 'blueprint "w" { currency USD; start 2027-01; horizon 1 year }\n'


def _read(stream: BinaryIO) -> Any:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack(">I", head)
    return pickle.loads(stream.read(size))


def _write(stream: BinaryIO, payload: object) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def _vm_size() -> int:
    """The process's current address space in bytes (``VmSize``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _probe(job: dict[str, Any]) -> None:
    """Test the guard itself: use memory or time on purpose."""
    if job["probe"] == "allocate":
        block = bytearray(job["bytes"])
        block[-1] = 1
    elif job["probe"] == "spin":
        end = _cpu() + job["seconds"]
        while _cpu() < end:
            pass
    elif job["probe"] == "sleep":
        time.sleep(job["seconds"])


def _compile(job: dict[str, Any]) -> dict[str, Any]:
    from blueprintc.driver import compile
    from blueprintc.source import SourceFile

    path = Path(job["path"])
    entry = SourceFile(job["name"], job["text"], real_path=path)
    overlay = {Path(p): text for p, text in job["overlay"].items()}
    result = compile(entry, root=job["root"], overlay=overlay)
    return {
        "ok": result.ok,
        "diagnostics": [_record(d) for d in result.diagnostics],
    }


def _record(diagnostic: Any) -> dict[str, Any]:
    from blueprintc.diagnostics.codes import CODES

    span = diagnostic.span
    record: dict[str, Any] = {
        "code": diagnostic.code.id,
        "registered": CODES.get(diagnostic.code.id) is diagnostic.code,
        "error": diagnostic.is_error,
        "message": diagnostic.message,
        "span": None,
    }
    if span is not None:
        record["span"] = (span.file.path, span.start, span.end, len(span.file.text))
        record["line"], record["column"] = span.line, span.column
    return record


def _run(job: dict[str, Any]) -> dict[str, Any]:
    start = _cpu()
    outcome: dict[str, Any] = {"error": None, "memory": False}
    try:
        if "probe" in job:
            _probe(job)
        else:
            outcome.update(_compile(job))
    except MemoryError:
        outcome["memory"] = True
    except BaseException:  # every failure is a finding: report it, never die on it
        outcome["error"] = traceback.format_exc()
    outcome["cpu"] = _cpu() - start
    return outcome


def main() -> None:
    memory = int(sys.argv[1])
    # Standard output carries the frames: anything printed goes to standard error instead.
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    from blueprintc.driver import compile

    compile(WARM_UP)
    compile(Path(__file__).with_name("skeleton.cxb"))  # loads the stages it reaches lazily
    limit = _vm_size() + memory
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    _write(channel, {"ready": True})
    while (job := _read(sys.stdin.buffer)) is not None:
        outcome = _run(job)
        _write(channel, outcome)
        if outcome["memory"]:
            return  # the heap may be fragmented near the cap: let the guard start afresh


if __name__ == "__main__":
    main()
