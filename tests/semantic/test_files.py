"""Reading source files: only regular files, never more than the limit, every refusal a
reason in words. (The FIFO cases, which would hang on a regression, are in
test_modules.py, run in a subprocess with a timeout.)"""

from __future__ import annotations

import errno
import os
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from blueprintc.semantic import files
from blueprintc.semantic.files import (
    MAX_INPUT_BYTES,
    ReadFailure,
    SourceReadError,
    format_size,
    printable,
    read_bytes,
    resolve,
)

LINUX_PROC = Path("/proc/self/environ").exists()


def failure(path: Path, limit: int = MAX_INPUT_BYTES) -> ReadFailure:
    with pytest.raises(SourceReadError) as caught:
        read_bytes(path, limit)
    return caught.value.failure


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.cxb"
    path.write_bytes(b"segment a {}\n")
    assert read_bytes(path) == b"segment a {}\n"


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.cxb"
    path.write_bytes(b"x" * 100)
    assert read_bytes(path, 100) == b"x" * 100
    assert failure(path, 99) is ReadFailure.TOO_LARGE


def test_a_file_just_over_the_input_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.cxb"
    path.write_bytes(b"/" * (MAX_INPUT_BYTES + 1))
    assert failure(path) is ReadFailure.TOO_LARGE


def test_a_file_growing_after_its_size_was_taken_is_cut_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size the system reports is not trusted: reading stops at limit + 1 bytes."""
    path = tmp_path / "a.cxb"
    path.write_bytes(b"x" * 50)
    reads: list[int] = []
    real_read = os.read

    def read(handle: int, count: int) -> bytes:
        reads.append(count)
        return real_read(handle, count)

    monkeypatch.setattr(os, "read", read)
    assert failure(path, 10) is ReadFailure.TOO_LARGE  # st_size says 50 already
    path.write_bytes(b"x" * 10)
    assert read_bytes(path, 10) == b"x" * 10
    assert max(reads) <= 11


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert failure(tmp_path) is ReadFailure.FOLDER


def test_a_missing_file_and_a_file_under_a_file_are_not_found(tmp_path: Path) -> None:
    (tmp_path / "a.cxb").write_text("x", encoding="utf-8")
    assert failure(tmp_path / "nope.cxb") is ReadFailure.NOT_FOUND
    assert failure(tmp_path / "a.cxb" / "b.cxb") is ReadFailure.NOT_FOUND


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_without_reading_it() -> None:
    assert failure(Path("/dev/zero")) is ReadFailure.DEVICE


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
def test_a_socket_is_refused() -> None:
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:  # short: socket paths are short
        path = Path(folder) / "s.cxb"
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(path))
            assert failure(path) is ReadFailure.SOCKET
        finally:
            server.close()


@pytest.mark.skipif(not LINUX_PROC, reason="no /proc")
def test_proc_files_are_refused_as_generated_by_the_system() -> None:
    assert failure(Path("/proc/self/environ")) is ReadFailure.SYSTEM
    assert failure(Path("/proc/self/status")) is ReadFailure.SYSTEM


@pytest.mark.skipif(not LINUX_PROC, reason="no /proc")
def test_a_file_reporting_size_zero_but_holding_text_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Even where /proc is mounted elsewhere: its files say they are empty, then are not."""
    monkeypatch.setattr(files, "_system_devices", frozenset)
    assert failure(Path("/proc/self/environ")) is ReadFailure.SYSTEM


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.cxb").symlink_to(tmp_path / "b.cxb")
    (tmp_path / "b.cxb").symlink_to(tmp_path / "a.cxb")
    assert failure(tmp_path / "a.cxb") is ReadFailure.LOOP
    with pytest.raises(SourceReadError) as caught:
        resolve(tmp_path / "a.cxb" / "c.cxb")
    assert caught.value.failure is ReadFailure.LOOP


def test_a_too_long_path_is_refused(tmp_path: Path) -> None:
    assert failure(tmp_path / ("a" * 5000 + ".cxb")) is ReadFailure.NAME_TOO_LONG


def test_a_nul_character_is_refused(tmp_path: Path) -> None:
    assert failure(tmp_path / "a\0b.cxb") is ReadFailure.NUL
    with pytest.raises(SourceReadError) as caught:
        resolve(tmp_path / "a\0b.cxb")
    assert caught.value.failure is ReadFailure.NUL


@pytest.fixture
def forbidden(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "secret.cxb"
    path.write_text("segment a {}\n", encoding="utf-8")
    path.chmod(0)
    yield path
    path.chmod(0o600)


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="permissions do not bind root"
)
def test_a_file_without_read_permission_is_refused(forbidden: Path) -> None:
    assert failure(forbidden) is ReadFailure.PERMISSION


def test_permission_denied_by_the_system_is_refused_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs as root too: the refusal comes from the system call, as for any user."""
    path = tmp_path / "a.cxb"
    path.write_text("x", encoding="utf-8")

    def deny(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(SourceReadError) as caught:
        read_bytes(path)
    assert caught.value.failure is ReadFailure.PERMISSION
    assert caught.value.reason == "permission denied"


def test_an_unusual_system_error_gives_the_system_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.cxb"
    path.write_text("x", encoding="utf-8")

    def fail(*args: object, **kwargs: object) -> bytes:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "read", fail)
    with pytest.raises(SourceReadError) as caught:
        read_bytes(path)
    assert caught.value.failure is ReadFailure.OTHER
    assert caught.value.reason == "Input/output error"


def test_printable_keeps_a_path_on_one_line() -> None:
    assert printable("./ok/é.cxb") == "./ok/é.cxb"
    assert printable("a\nb\r\x1b[31m\t.cxb") == "a\\nb\\r\\x1b[31m\\t.cxb"
    assert printable("bad\udcff.cxb") == "bad\\udcff.cxb"  # a byte that is not UTF-8
    assert printable("a\u2028b") == "a\\u2028b"


def test_sizes_read_as_people_say_them() -> None:
    assert format_size(MAX_INPUT_BYTES) == "1 MiB"
    assert format_size(512 * 1024) == "512 KiB"
    assert format_size(3 * 1024 * 1024 + 512 * 1024) == "3.5 MiB"
    assert format_size(100) == "100 bytes"
