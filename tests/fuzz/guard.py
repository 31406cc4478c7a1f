"""Compile fuzzed blueprints in a separate worker process under a time and memory guard.

An input must compile in at most ``cpu_seconds`` of processor time (10 s) and within
``memory`` bytes (1 GiB) more than the worker needs at rest; one that runs for more than
``wall_seconds`` (a hang) is stopped. Each breach is reported as a finding that names the
input, and the worker is started afresh for the next one.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs

WORKER = Path(__file__).with_name("worker.py")
GIB = 1 << 30
START_SECONDS = 300.0


@attrs.frozen
class Job:
    """One input: the entry file's text, where it is compiled as if it lived, extra files
    (path to text) and a description of how it was made."""

    text: str
    path: Path
    root: Path
    overlay: dict[str, str] = attrs.field(factory=dict)
    label: str = ""
    base: str = attrs.field(default="", repr=False)  # the text the input was derived from

    def payload(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.path.name,
            "path": str(self.path),
            "root": str(self.root),
            "overlay": dict(self.overlay),
        }


@attrs.frozen
class Outcome:
    """What the worker reported for one job, or why it reported nothing."""

    ok: bool = False
    diagnostics: tuple[dict[str, Any], ...] = ()
    error: str | None = None
    memory: bool = False
    cpu: float = 0.0
    hung: bool = False
    died: str | None = None


class WorkerGone(Exception):
    """The worker closed its output (it died) or did not answer in time (it hung)."""

    def __init__(self, why: str, hung: bool) -> None:
        super().__init__(why)
        self.hung = hung


class Guard:
    """A worker process that compiles jobs one at a time; restarted after every breach."""

    def __init__(
        self, memory: int = GIB, cpu_seconds: float = 10.0, wall_seconds: float = 60.0
    ) -> None:
        self.memory = memory
        self.cpu_seconds = cpu_seconds
        self.wall_seconds = wall_seconds
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())

    def __enter__(self) -> Guard:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, job: Job) -> Outcome:
        """Compile one job (a blueprint) under the guard."""
        return self.send(job.payload())

    def send(self, payload: dict[str, Any]) -> Outcome:
        """Send any job the worker understands (compile or probe) and read its outcome."""
        process = self._worker()
        try:
            _write(process, payload)
            answer = _read(process, self.wall_seconds)
        except WorkerGone as gone:
            return self._lost(str(gone), gone.hung)
        except BrokenPipeError:
            return self._lost("the worker closed its input", hung=False)
        if answer["memory"]:
            self._stop()
        return Outcome(
            ok=answer.get("ok", False),
            diagnostics=tuple(answer.get("diagnostics", ())),
            error=answer["error"],
            memory=answer["memory"],
            cpu=answer["cpu"],
        )

    def close(self) -> None:
        self._stop()
        self._stderr.close()

    def _lost(self, why: str, hung: bool) -> Outcome:
        """The worker hung or died: stop it, and say which."""
        process = self._process
        self._stop()
        if hung:
            return Outcome(hung=True)
        code = process.returncode if process is not None else None
        return Outcome(died=f"{why} (exit status {code}){self._last_words()}")

    def _last_words(self) -> str:
        self._stderr.seek(0)
        tail = self._stderr.read()[-2000:].decode("utf-8", "replace").strip()
        self._stderr.seek(0)
        self._stderr.truncate()
        return f": {tail}" if tail else ""

    def _worker(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        process = subprocess.Popen(
            [sys.executable, str(WORKER), str(self.memory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        self._process = process
        try:
            ready = _read(process, START_SECONDS)
        except WorkerGone as gone:
            self._stop()
            why = f"the fuzz worker did not start: {gone}{self._last_words()}"
            raise RuntimeError(why) from gone
        assert ready == {"ready": True}, ready
        return process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


def _write(process: subprocess.Popen[bytes], payload: object) -> None:
    assert process.stdin is not None
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    process.stdin.write(struct.pack(">I", len(data)) + data)
    process.stdin.flush()


def _read(process: subprocess.Popen[bytes], timeout: float) -> Any:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    head = _read_exact(process.stdout.fileno(), 4, deadline)
    (size,) = struct.unpack(">I", head)
    return pickle.loads(_read_exact(process.stdout.fileno(), size, deadline))


def _read_exact(fd: int, size: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    while size:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise WorkerGone("no answer in time", hung=True)
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise WorkerGone("the worker stopped", hung=False)
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
