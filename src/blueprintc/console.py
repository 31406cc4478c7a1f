"""The command line's streams: output whose reader went away, standard input, and a
one-line progress display on a terminal.

When standard output or error can no longer be written (the reader of a pipe exited, as
``head`` does, or the stream was closed with ``>&-``) a command stops at once and quietly
with :data:`EXIT_PIPE`, 141: the status a shell reports for a program ended by SIGPIPE,
as ``cat`` or ``grep`` are in the same pipeline.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Final, TextIO, cast

PROGRESS_THREAD: Final = "progress"
"""The name of the thread that draws the progress line (a forked child may run beside it:
:data:`blueprintc.forked.HARMLESS_THREADS`)."""

EXIT_PIPE = 128 + 13  # 128 + SIGPIPE, as a shell reports a program that SIGPIPE ended
STDIN = "-"  # the file name that means standard input
STDIN_NAME = "<stdin>"  # how standard input is named in messages
_GONE = (errno.EPIPE, errno.EBADF, errno.ECONNRESET)


class OutputClosed(Exception):
    """Standard output or error can no longer be written: the command stops quietly."""


class OutputFailed(Exception):
    """Writing standard output or error failed otherwise (a full disk): an I/O error."""


class GuardedStream:
    """A text stream whose write failures raise :class:`OutputClosed` (a gone reader) or
    :class:`OutputFailed` (any other).

    ``None`` (Python's standard stream when the descriptor is closed) fails on the first
    write; a command that writes nothing to it is not affected.
    """

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        if self.stream is None:
            raise OutputClosed
        try:
            return self.stream.write(text)
        except OSError as error:
            raise _closed(error) from error

    def flush(self) -> None:
        if self.stream is None:
            return
        try:
            self.stream.flush()
        except OSError as error:
            raise _closed(error) from error

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def fileno(self) -> int:
        if self.stream is None:
            raise OSError(errno.EBADF, "the stream is closed")
        return self.stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"


def guarded(stream: TextIO | None) -> TextIO:
    """``stream`` behind a :class:`GuardedStream` (typed as the text stream it stands for)."""
    return cast(TextIO, GuardedStream(stream))


def _closed(error: OSError) -> Exception:
    if error.errno in _GONE:
        return OutputClosed()
    return OutputFailed(error.strerror or str(error))


def settle_stdout() -> None:
    """After :class:`OutputClosed`: flush what standard output still holds, and when that
    fails, point it at the null device, so that the interpreter's last flush cannot fail
    again (it would print "Exception ignored" and exit with 120)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
        return
    except OSError:
        pass
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


class StdinError(Exception):
    """Standard input cannot be read (closed, or a terminal with nothing piped in)."""


def read_stdin(limit: int, stream: IO[bytes] | None = None) -> bytes:
    """Up to ``limit + 1`` bytes of standard input (one more than allowed, so that the
    compiler reports an input that is too large rather than reading it all)."""
    if stream is None:
        if sys.stdin is None:
            raise StdinError("standard input is closed")
        stream = sys.stdin.buffer
    try:
        return stream.read(limit + 1)
    except OSError as error:
        raise StdinError(f"cannot read standard input: {error.strerror or error}") from error


class Progress:
    """A status line on a terminal: the stage a long task is in and the seconds it has
    taken, shown only once the task has taken ``delay`` seconds, redrawn in place and
    cleared at the end. Use it as a context manager; :meth:`stage` names the stage."""

    def __init__(
        self,
        stream: TextIO,
        label: str,
        *,
        delay: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream, self.label, self.delay, self.clock = stream, label, delay, clock
        self._started = clock()
        self._stage: str | None = None
        self._shown = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        self._thread = threading.Thread(target=self._tick, name=PROGRESS_THREAD, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.hide()

    def stage(self, name: str) -> None:
        """Now in stage ``name``; shown at once when the task has taken ``delay`` already."""
        with self._lock:
            self._stage = name
            self._draw()

    def hide(self) -> None:
        """Clear the line and show nothing until the next :meth:`stage` (before other
        output, such as diagnostics, is written to the same stream)."""
        with self._lock:
            self._stage = None
            self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(0.25):
            with self._lock:
                self._draw()

    def _draw(self) -> None:
        elapsed = self.clock() - self._started
        text = ""
        if self._stage is not None and elapsed >= self.delay:
            text = f"{self.label}: {self._stage} ({elapsed:.0f} s)"
        if text == self._shown:
            return
        blank = " " * max(0, len(self._shown) - len(text))
        try:
            self.stream.write(f"\r{text}{blank}" + ("\r" if not text else ""))
            self.stream.flush()
        except (OSError, OutputClosed):
            self._stop.set()  # a terminal that went away: nothing more to show
        self._shown = text


class NoProgress:
    """What :func:`progress` gives where no status line may be shown."""

    def __enter__(self) -> NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def stage(self, name: str) -> None:
        return None

    def hide(self) -> None:
        return None


def progress(stream: TextIO, label: str, *, enabled: bool = True) -> Progress | NoProgress:
    """A :class:`Progress` on ``stream`` when it is a terminal and ``enabled``, else one that
    shows nothing (never in a pipe, a file or a CI log)."""
    if enabled and stream.isatty():
        return Progress(stream, label)
    return NoProgress()
