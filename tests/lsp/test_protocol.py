"""The language server answers every request, whatever arrives on the wire.

Malformed frames and bodies, invalid parameters, unknown documents, out-of-range
positions, a burst of edits and a 5 MB document are written as raw bytes to a server
started with ``python -m blueprintc.lsp`` (a client library cannot send malformed
frames); faults inside a feature are injected into a server running in this process.
Every wait has a timeout, so a server that stops answering fails the test.
"""

from __future__ import annotations

import importlib.resources
import itertools
import json
import os
import random
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types

from blueprintc.lsp import features
from blueprintc.lsp.positions import apply_change
from blueprintc.lsp.project import Project
from blueprintc.lsp.protocol import strict_converter
from blueprintc.lsp.rpc import FrameReader, Malformed, Received
from blueprintc.lsp.server import create_server
from tests.lsp.test_lsp import CLEAN, ENV, line_of

TIMEOUT = 30.0  # seconds any one answer may take before the test fails
PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32602, -32603
METHOD_NOT_FOUND, NOT_INITIALIZED = -32601, -32002
DESCRIBED = CLEAN.replace("  shrinkage 35%\n", '  description "hello"\n  shrinkage 35%\n')


def frame(message: Any) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Wire:
    """A client that writes raw bytes to a server and reads the messages it sends back."""

    def __init__(self, to_server: IO[bytes], from_server: IO[bytes]) -> None:
        self._out = to_server
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        self.messages: list[dict[str, Any]] = []
        self.closed = False
        threading.Thread(target=self._read, args=(from_server,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if not line or length is None:
                break
            message = json.loads(stream.read(length))
            with self._changed:
                self.messages.append(message)
                self._changed.notify_all()
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def wait_closed(self) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self.closed, TIMEOUT)

    def write(self, data: bytes) -> None:
        self._out.write(data)
        self._out.flush()

    def next_id(self) -> int:
        return next(self._ids)

    def request(self, method: str, params: Any = None) -> int:
        msg_id = self.next_id()
        self.write(frame({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}))
        return msg_id

    def notify(self, method: str, params: Any = None) -> None:
        self.write(frame({"jsonrpc": "2.0", "method": method, "params": params}))

    def wait(self, accept: Callable[[dict[str, Any]], bool], start: int = 0) -> dict[str, Any]:
        """The first message from ``start`` on that ``accept`` accepts (fails on timeout)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.closed or any(accept(m) for m in self.messages[start:]), TIMEOUT
            )
            for message in self.messages[start:]:
                if accept(message):
                    return message
        state = "closed the connection" if self.closed else "sent nothing matching"
        raise AssertionError(f"the server {state} (within {TIMEOUT} s)")

    def response(self, msg_id: int | str, start: int = 0) -> dict[str, Any]:
        answer = self.wait(
            lambda m: m.get("id") == msg_id and ("result" in m or "error" in m), start
        )
        return answer

    def call(self, method: str, params: Any = None) -> dict[str, Any]:
        return self.response(self.request(method, params))

    def since(self, start: int) -> list[dict[str, Any]]:
        with self._changed:
            return list(self.messages[start:])

    def initialize(self, root: Path) -> None:
        params = {
            "processId": None,
            "rootUri": root.as_uri(),
            "capabilities": {},
            "initializationOptions": {"debounce": 0.02, "idleSize": None},
        }
        assert "result" in self.call("initialize", params)
        self.notify("initialized", {})

    def open(self, uri: str, text: str, version: int = 1) -> None:
        item = {"uri": uri, "languageId": "cxb", "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})

    def hover(self, uri: str, line: int, character: int) -> dict[str, Any]:
        position = {"line": line, "character": character}
        return self.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})


def errors(messages: list[dict[str, Any]], msg_id: int | str | None = None) -> list[int]:
    """The codes of the error responses to ``msg_id`` (null: to no readable request)."""
    return [m["error"]["code"] for m in messages if "error" in m and m.get("id") == msg_id]


@contextmanager
def subprocess_server(root: Path) -> Iterator[tuple[Wire, subprocess.Popen[bytes]]]:
    """``python -m blueprintc.lsp``, its stderr in ``root/stderr.txt``."""
    with (root / "stderr.txt").open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "blueprintc.lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=ENV,
        )
        assert process.stdin is not None and process.stdout is not None
        try:
            yield Wire(process.stdin, process.stdout), process
        finally:
            if process.poll() is None:
                process.stdin.close()
                try:
                    process.wait(TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@contextmanager
def inprocess_server() -> Iterator[Wire]:
    """A server started in a thread of this process, on a pair of pipes."""
    client_in, server_out = os.pipe()
    server_in, client_out = os.pipe()
    with ExitStack() as files:
        from_server = files.enter_context(open(client_in, "rb"))
        stdin = files.enter_context(open(server_in, "rb", buffering=0))
        stdout = files.enter_context(open(server_out, "wb"))
        to_server = files.enter_context(open(client_out, "wb"))
        server = create_server()
        thread = threading.Thread(target=server.start_io, args=(stdin, stdout), daemon=True)
        thread.start()
        wire = Wire(to_server, from_server)
        try:
            yield wire
        finally:
            to_server.close()  # end of input: the server stops
            thread.join(TIMEOUT)
            stdout.close()  # end of output: the client's reader stops
            wire.wait_closed()
    assert not thread.is_alive()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Wire, str]]:
    """One server for the protocol tests, with ``DESCRIBED`` open as ``main.cxb``."""
    root = tmp_path_factory.mktemp("lsp-protocol")
    path = root / "main.cxb"
    path.write_text(DESCRIBED, encoding="utf-8")
    with subprocess_server(root) as (wire, process):
        wire.initialize(root)
        wire.open(path.as_uri(), DESCRIBED)
        yield wire, path.as_uri()
        assert process.poll() is None, "the server exited"


def assert_still_serving(wire: Wire, uri: str) -> None:
    """A valid request after a fuzz case gets the right answer."""
    line, character = line_of(DESCRIBED, "voice extends")
    answer = wire.hover(uri, line, character + 1)
    assert "error" not in answer, answer
    assert "**channel** `voice`" in answer["result"]["contents"]["value"]


# -- the failures, one test each ----------------------------------------------------


def test_invalid_params_are_answered_with_invalid_params(served: tuple[Wire, str]) -> None:
    wire, uri = served
    doc = {"uri": uri}
    for params in [
        {"textDocument": doc, "position": {"line": "3", "character": 0}},  # wrong type
        {"textDocument": doc, "position": {"line": 1.5, "character": 0}},
        {"textDocument": {"uri": 5}, "position": {"line": 0, "character": 0}},
        {"textDocument": doc},  # missing field
        {"position": {"line": 0, "character": 0}},
        {"textDocument": doc, "position": {"line": -1, "character": 0}},  # negative
        {"textDocument": doc, "position": {"line": 0, "character": -4}},
        {"textDocument": doc, "position": {"line": 2**31, "character": 0}},  # not a uinteger
        [doc, {"line": 0, "character": 0}],  # positional params
    ]:
        answer = wire.call("textDocument/hover", params)
        assert errors([answer], answer["id"]) == [INVALID_PARAMS], (params, answer)
        assert answer["error"]["message"]
    backwards = {"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 1}}
    context = {"diagnostics": []}
    answer = wire.call(
        "textDocument/codeAction", {"textDocument": doc, "range": backwards, "context": context}
    )
    assert answer["error"]["code"] == INVALID_PARAMS
    assert "ends before it starts" in answer["error"]["message"]
    assert_still_serving(wire, uri)


def test_unknown_document_is_invalid_params(served: tuple[Wire, str], tmp_path: Path) -> None:
    wire, uri = served
    unknown = (tmp_path / "never-opened.cxb").as_uri()
    position = {"line": 0, "character": 0}
    for method, params in [
        ("textDocument/hover", {"textDocument": {"uri": unknown}, "position": position}),
        ("textDocument/definition", {"textDocument": {"uri": unknown}, "position": position}),
        ("textDocument/documentSymbol", {"textDocument": {"uri": unknown}}),
        ("textDocument/formatting", {"textDocument": {"uri": unknown}, "options": {}}),
        ("textDocument/semanticTokens/full", {"textDocument": {"uri": unknown}}),
        (
            "textDocument/rename",
            {"textDocument": {"uri": unknown}, "position": position, "newName": "x"},
        ),
    ]:
        if method == "textDocument/formatting":
            params["options"] = {"tabSize": 2, "insertSpaces": True}
        answer = wire.call(method, params)
        assert answer["error"]["code"] == INVALID_PARAMS, answer
        assert "not open" in answer["error"]["message"] and unknown in answer["error"]["message"]
    rename = wire.call("textDocument/rename", {"textDocument": {"uri": uri}})
    assert rename["error"]["code"] == INVALID_PARAMS  # no position, no new name
    assert_still_serving(wire, uri)


def test_out_of_range_positions_are_answered(served: tuple[Wire, str]) -> None:
    wire, uri = served
    doc = {"uri": uri}
    for line, character in [(0, 10_000), (10_000, 0), (2**31 - 1, 2**31 - 1), (3, 2**31 - 1)]:
        position = {"line": line, "character": character}
        for method in ["hover", "definition", "completion"]:
            answer = wire.call(
                f"textDocument/{method}", {"textDocument": doc, "position": position}
            )
            assert "result" in answer, (method, position, answer)
        refs = {"textDocument": doc, "position": position, "context": {"includeDeclaration": True}}
        assert "result" in wire.call("textDocument/references", refs)
    assert_still_serving(wire, uri)


def test_did_change_of_a_document_never_opened_is_logged(
    served: tuple[Wire, str], tmp_path: Path
) -> None:
    """Once a KeyError shown to the user as a popup: now a log line, and nothing changes."""
    wire, uri = served
    start = len(wire.since(0))
    unknown = (tmp_path / "never-opened.cxb").as_uri()
    change = {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}}
    change["text"] = "x"
    wire.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": unknown, "version": 2}, "contentChanges": [change]},
    )
    logged = wire.wait(lambda m: m.get("method") == "window/logMessage", start)
    assert "not open" in logged["params"]["message"]
    assert_still_serving(wire, uri)
    received = wire.since(start)
    assert not [m for m in received if m.get("method") == "window/showMessage"]
    assert not [m for m in received if m.get("params", {}).get("uri") == unknown]
    answer = wire.hover(unknown, 0, 0)  # still not open
    assert answer["error"]["code"] == INVALID_PARAMS


def test_malformed_frames_get_protocol_errors(served: tuple[Wire, str]) -> None:
    wire, uri = served
    valid = {"jsonrpc": "2.0", "id": "framed", "method": "shutdown-not", "params": None}
    body = json.dumps(valid).encode()
    cases: list[tuple[bytes, list[int]]] = [
        (b"Content-Length: 12\r\n\r\nnot json at all", [PARSE_ERROR]),
        (frame("just a string"), [INVALID_REQUEST]),
        (frame([1, 2, 3]), [INVALID_REQUEST]),
        (frame({"jsonrpc": "2.0", "params": {}}), [INVALID_REQUEST]),
        (frame({"jsonrpc": "2.0", "id": 1.5, "method": "textDocument/hover"}), [INVALID_REQUEST]),
        (b"garbage before a header " + frame({"x": 1}), [PARSE_ERROR, INVALID_REQUEST]),
        (b"Content-Type: application/vscode-jsonrpc\r\n\r\n" + body, [PARSE_ERROR]),
        (b"Content-Length: %d\r\n\r\n" % (len(body) - 5) + body, [PARSE_ERROR]),
        (b"Content-Length: 0\r\n\r\n" + body, [PARSE_ERROR]),
        (b"Content-Length: -3\r\n\r\n" + body, [PARSE_ERROR]),
        (b"Content-Length: 99999999999\r\n\r\n" + body, [PARSE_ERROR]),
        (b"Content-Length: 4\r\n\r\n\xff\xfe\x00{", [PARSE_ERROR]),
        (frame({})[:-1] + b"[" * 100_000 + b"}", [PARSE_ERROR]),
    ]
    for data, expected in cases:
        start = len(wire.since(0))
        wire.write(data)
        assert_still_serving(wire, uri)
        assert errors(wire.since(start)) == expected, data[:80]
    # A request without "jsonrpc" is answered by id; one whose Content-Length is too long
    # is read up to the end of its JSON, and the next message is not lost.
    start = len(wire.since(0))
    wire.write(frame({"id": "no-version", "method": "shutdown"}))
    assert wire.response("no-version")["error"]["code"] == INVALID_REQUEST
    msg_id = wire.next_id()
    hover = {"jsonrpc": "2.0", "id": msg_id, "method": "textDocument/documentSymbol"}
    hover["params"] = {"textDocument": {"uri": uri}}
    longer = json.dumps(hover).encode()
    wire.write(b"Content-Length: %d\r\n\r\n" % (len(longer) + 9) + longer)
    assert_still_serving(wire, uri)
    assert "result" in wire.response(msg_id)
    assert errors(wire.since(start)) == []


def test_requests_before_initialize_and_after_shutdown(tmp_path: Path) -> None:
    with subprocess_server(tmp_path) as (wire, process):
        answer = wire.call("textDocument/documentSymbol", {"textDocument": {"uri": "file:///x"}})
        assert answer["error"]["code"] == NOT_INITIALIZED
        wire.open((tmp_path / "early.cxb").as_uri(), CLEAN)  # dropped: not initialized
        wire.initialize(tmp_path)
        again = wire.call("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        assert again["error"]["code"] == INVALID_REQUEST
        early = wire.call("textDocument/documentSymbol", {"textDocument": {"uri": "file:///x"}})
        assert early["error"]["code"] == INVALID_PARAMS  # the early didOpen was not applied
        assert wire.call("shutdown")["result"] is None
        after = wire.call("textDocument/documentSymbol", {"textDocument": {"uri": "file:///x"}})
        assert after["error"]["code"] == INVALID_REQUEST
        wire.notify("exit")
        assert process.wait(TIMEOUT) == 0
    with subprocess_server(tmp_path) as (wire, process):
        wire.initialize(tmp_path)
        wire.notify("exit")  # without shutdown: exit code 1, as the protocol says
        assert process.wait(TIMEOUT) == 1


# -- faults inside the server -----------------------------------------------------------------


def test_an_exception_in_a_feature_is_logged_and_answered(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "main.cxb"
    path.write_text(DESCRIBED, encoding="utf-8")
    uri = path.as_uri()
    line, character = line_of(DESCRIBED, "voice extends")

    def broken(*args: Any) -> Any:
        raise KeyError("file:///nowhere.cxb")

    with inprocess_server() as wire:
        wire.initialize(tmp_path)
        wire.open(uri, DESCRIBED)
        with monkeypatch.context() as patch:
            patch.setattr(features, "hover", broken)
            answer = wire.hover(uri, line, character)
        assert answer["error"]["code"] == INTERNAL_ERROR
        message = answer["error"]["message"]
        assert "textDocument/hover" in message and "KeyError" in message
        assert "Traceback" not in json.dumps(answer)
        logged = wire.wait(lambda m: m.get("method") == "window/logMessage")
        assert logged["params"]["type"] == types.MessageType.Error
        assert (
            "Traceback" in logged["params"]["message"] and "KeyError" in logged["params"]["message"]
        )

        # An answer that cannot be encoded is an internal error too, not silence.
        with monkeypatch.context() as patch:
            patch.setattr(features, "document_symbols", lambda *args: [object()])
            symbols = wire.call("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
        assert symbols["error"]["code"] == INTERNAL_ERROR

        # A fault in a notification handler: logged, never shown; the server goes on.
        start = len(wire.since(0))
        with monkeypatch.context() as patch:
            patch.setattr(Project, "change", broken)
            wire.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": 2},
                    "contentChanges": [{"text": DESCRIBED}],
                },
            )
            wire.wait(lambda m: m.get("method") == "window/logMessage", start)
        assert "textDocument/didChange" in wire.since(start)[0]["params"]["message"]
        answer = wire.hover(uri, line, character)
        assert "**channel** `voice`" in answer["result"]["contents"]["value"]
        assert not [m for m in wire.since(0) if m.get("method") == "window/showMessage"]


def test_internal_errors_reach_stderr(tmp_path: Path) -> None:
    """A client that shows nothing of window/logMessage still finds the error in stderr."""
    with subprocess_server(tmp_path) as (wire, _):
        wire.initialize(tmp_path)
        answer = wire.call("textDocument/hover", {"textDocument": {"uri": 3}})
        assert answer["error"]["code"] == INVALID_PARAMS
        wire.write(b"Content-Length: 3\r\n\r\n{{{")
        wire.wait(lambda m: m.get("id", 0) is None)
    assert (tmp_path / "stderr.txt").read_text()


# -- load --------------------------------------------------------------------------------------


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_a_burst_of_500_edits(served: tuple[Wire, str], tmp_path: Path) -> None:
    """500 incremental edits in one write: the server ends with the text the client has,
    and the diagnostics it publishes are those of the last version."""
    wire, _ = served
    path = tmp_path / "burst.cxb"
    path.write_text(DESCRIBED, encoding="utf-8")
    uri = path.as_uri()
    wire.open(uri, DESCRIBED)
    generator = random.Random(15)
    line = DESCRIBED.splitlines()[line_of(DESCRIBED, '"hello"')[0]]
    before = _utf16(line[: line.index('"') + 1])  # the description's first character
    row = line_of(DESCRIBED, '"hello"')[0]
    description = "hello"
    frames = []
    for version in range(2, 501):
        at = generator.randint(0, len(description))
        if generator.random() < 0.3 and description:
            end = generator.randint(at, min(len(description), at + 3))
            new = ""
        else:
            end, new = at, "".join(generator.choices("abc éß😀 xyz", k=generator.randint(1, 3)))
        start_pos = {"line": row, "character": before + _utf16(description[:at])}
        end_pos = {"line": row, "character": before + _utf16(description[:end])}
        description = description[:at] + new + description[end:]
        change = {"range": {"start": start_pos, "end": end_pos}, "text": new}
        params = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
        frames.append(
            frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": params})
        )
    field_line = line_of(DESCRIBED, "shrinkage 35%")[0]
    typo = {
        "start": {"line": field_line, "character": 8},
        "end": {"line": field_line, "character": 9},
    }
    last = {
        "textDocument": {"uri": uri, "version": 501},
        "contentChanges": [{"range": typo, "text": ""}],
    }
    frames.append(frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": last}))
    start = len(wire.since(0))
    wire.write(b"".join(frames))

    published = wire.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == 501
        ),
        start,
    )
    assert [d["code"] for d in published["params"]["diagnostics"]] == ["CXB0402"]  # shrinkge
    line_no, character = line_of(DESCRIBED, "voice extends")
    answer = wire.hover(uri, line_no, character)
    assert answer["result"]["contents"]["value"].endswith("\n\n" + description)
    stale = [
        m
        for m in wire.since(start)
        if m.get("method") == "textDocument/publishDiagnostics"
        and m["params"]["uri"] == uri
        and m["params"].get("version") != 501
    ]
    assert all(m["params"]["version"] < 501 for m in stale)
    assert wire.since(start).index(published) > max(
        (wire.since(start).index(m) for m in stale), default=-1
    )
    wire.notify("textDocument/didClose", {"textDocument": {"uri": uri}})


def test_a_five_megabyte_document(served: tuple[Wire, str], tmp_path: Path) -> None:
    """Answered, or refused with a diagnostic: never a dead or silent server."""
    wire, other = served
    path = tmp_path / "large.cxb"
    text = DESCRIBED + ("// " + "padding " * 12 + "\n") * 52_000
    assert len(text.encode()) > 5_000_000
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    start = len(wire.since(0))
    wire.open(uri, text)
    published = wire.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        ),
        start,
    )
    diagnostics = published["params"]["diagnostics"]
    assert [d["code"] for d in diagnostics] in ([], ["CXB0005"])  # compiled, or too large
    symbols = wire.call("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert "result" in symbols
    line, character = line_of(DESCRIBED, "voice extends")
    hover = wire.hover(uri, line, character)
    assert "result" in hover
    if not diagnostics:  # compiled: the features work on it
        assert "**channel** `voice`" in hover["result"]["contents"]["value"]
    wire.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert_still_serving(wire, other)


# -- protocol fuzzing --------------------------------------------------------------------------


@attrs.frozen
class Case:
    """Bytes to send, and the error codes expected: by request id, and with ``id: null``."""

    data: bytes
    by_id: dict[str, int] = attrs.field(factory=dict)
    null: tuple[int, ...] | None = ()  # None: at most one parse error
    answered: tuple[str, ...] = ()


def _fuzz_id() -> str:
    """The id of the fuzz case's request (its answer is looked for after the case began)."""
    return "fuzz"


def _positions(valid: bool) -> st.SearchStrategy[dict[str, int]]:
    number = st.integers(0, 2**31 - 1) if valid else st.integers(-(2**40), -1)
    other = st.integers(0, 2**31 - 1)
    return st.builds(
        lambda a, b, swap: {"line": b, "character": a} if swap else {"line": a, "character": b},
        number,
        other,
        st.booleans(),
    )


@st.composite
def position_requests(draw: st.DrawFn, uri: str) -> Case:
    """Hover, definition, references or completion at any position, valid or negative."""
    valid = draw(st.booleans())
    method = draw(st.sampled_from(["hover", "definition", "completion", "references"]))
    params: dict[str, Any] = {"textDocument": {"uri": uri}, "position": draw(_positions(valid))}
    if method == "references":
        params["context"] = {"includeDeclaration": draw(st.booleans())}
    msg_id = _fuzz_id()
    message = {"jsonrpc": "2.0", "id": msg_id, "method": f"textDocument/{method}", "params": params}
    if valid:
        return Case(frame(message), answered=(msg_id,))
    return Case(frame(message), by_id={msg_id: INVALID_PARAMS})


@st.composite
def ranges(draw: st.DrawFn, uri: str) -> Case:
    """Code actions over any range: answered, unless it ends before it starts."""
    start, end = draw(_positions(True)), draw(_positions(True))
    msg_id = _fuzz_id()
    params = {
        "textDocument": {"uri": uri},
        "range": {"start": start, "end": end},
        "context": {"diagnostics": []},
    }
    message = {
        "jsonrpc": "2.0",
        "id": msg_id,
        "method": "textDocument/codeAction",
        "params": params,
    }
    if (end["line"], end["character"]) < (start["line"], start["character"]):
        return Case(frame(message), by_id={msg_id: INVALID_PARAMS})
    return Case(frame(message), answered=(msg_id,))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def bad_params(draw: st.DrawFn, uri: str) -> Case:
    """A hover whose parameters have a random value in place of a part of them."""
    msg_id = _fuzz_id()
    params: dict[str, Any] = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}
    where = draw(st.sampled_from(["textDocument", "position", "uri", "line", "character"]))
    value = draw(_JSON.filter(lambda v: not isinstance(v, dict)))
    if where in ("textDocument", "position"):
        params[where] = value
    elif where == "uri":
        params["textDocument"]["uri"] = value
    else:
        uinteger = type(value) is int and 0 <= value < 2**31
        params["position"][where] = -1 - value if uinteger else value
    message = {"jsonrpc": "2.0", "id": msg_id, "method": "textDocument/hover", "params": params}
    return Case(frame(message), by_id={msg_id: INVALID_PARAMS})


@st.composite
def bad_bodies(draw: st.DrawFn, uri: str) -> Case:
    """Bodies that are not JSON, not an object, or not a JSON-RPC message."""
    kind = draw(st.sampled_from(["truncated", "binary", "value", "envelope"]))
    msg_id = _fuzz_id()
    valid = {"jsonrpc": "2.0", "id": msg_id, "method": "textDocument/documentSymbol"}
    valid["params"] = {"textDocument": {"uri": uri}}
    if kind == "truncated":
        body = json.dumps(valid).encode()
        body = body[: draw(st.integers(1, len(body) - 1))]
        return Case(b"Content-Length: %d\r\n\r\n" % len(body) + body, null=(PARSE_ERROR,))
    if kind == "binary":
        body = b"\xff" + draw(st.binary(max_size=40))
        return Case(b"Content-Length: %d\r\n\r\n" % len(body) + body, null=(PARSE_ERROR,))
    if kind == "value":
        value = draw(_JSON.filter(lambda v: not isinstance(v, dict)))
        return Case(frame(value), null=(INVALID_REQUEST,))
    broken = dict(valid)
    change = draw(st.sampled_from(["no jsonrpc", "old jsonrpc", "method", "params"]))
    if change == "no jsonrpc":
        del broken["jsonrpc"]
    elif change == "old jsonrpc":
        broken["jsonrpc"] = "1.0"
    elif change == "method":
        broken["method"] = draw(st.integers() | st.none() | st.lists(st.text(max_size=3)))
    else:
        broken["params"] = draw(st.text(max_size=5) | st.integers() | st.booleans())
    return Case(frame(broken), by_id={msg_id: INVALID_REQUEST})


@st.composite
def bad_headers(draw: st.DrawFn, uri: str) -> Case:
    """Garbage before a header, missing or wrong lengths: the next message is not lost."""
    msg_id = _fuzz_id()
    valid = {"jsonrpc": "2.0", "id": msg_id, "method": "textDocument/documentSymbol"}
    valid["params"] = {"textDocument": {"uri": uri}}
    body = json.dumps(valid).encode()
    kind = draw(st.sampled_from(["garbage", "no length", "short", "long", "not a number"]))
    if kind == "garbage":
        garbage = draw(
            st.binary(min_size=1, max_size=60).filter(lambda b: b"length" not in b.lower())
        )
        return Case(garbage + frame(valid), null=None, answered=(msg_id,))
    if kind == "no length":
        return Case(b"Content-Type: application/vscode-jsonrpc\r\n\r\n" + body, null=(PARSE_ERROR,))
    if kind == "short":
        length = draw(st.integers(1, len(body) - 1))
        return Case(b"Content-Length: %d\r\n\r\n" % length + body, null=(PARSE_ERROR,))
    if kind == "long":  # read up to the end of the JSON; the extra bytes are the next header
        extra = draw(st.integers(1, 40))
        return Case(b"Content-Length: %d\r\n\r\n" % (len(body) + extra) + body, answered=(msg_id,))
    value = draw(st.sampled_from([b"-12", b"abc", b"", b"1e3", b"0x10"]))
    return Case(b"Content-Length: " + value + b"\r\n\r\n" + body, null=(PARSE_ERROR,))


def cases(uri: str) -> st.SearchStrategy[Case]:
    return st.one_of(
        position_requests(uri), ranges(uri), bad_params(uri), bad_bodies(uri), bad_headers(uri)
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_protocol_fuzzing(served: tuple[Wire, str], data: st.DataObject) -> None:
    wire, uri = served
    case = data.draw(cases(uri))
    start = len(wire.since(0))
    wire.write(case.data)
    assert_still_serving(wire, uri)  # the next valid request gets its right answer
    for msg_id, code in case.by_id.items():
        assert errors([wire.response(msg_id, start)], msg_id) == [code], case
    for msg_id in case.answered:
        assert "result" in wire.response(msg_id, start), case
    null = errors(wire.since(start))
    if case.null is None:
        assert null in ([], [PARSE_ERROR]), case
    else:
        assert null == list(case.null), case


# -- the parts ---------------------------------------------------------------------------------


def _frames(data: bytes, cuts: list[int]) -> list[Received | Malformed]:
    reader = FrameReader()
    out: list[Received | Malformed] = []
    last = 0
    for cut in [*sorted(cuts), len(data)]:
        out += reader.feed(data[last:cut])
        last = max(last, cut)
    return out


@settings(max_examples=200, deadline=None)
@given(
    garbage=st.binary(max_size=80).filter(lambda b: b"content-length" not in b.lower()),
    values=st.lists(_JSON, min_size=1, max_size=4),
    cuts=st.lists(st.integers(0, 400), max_size=6),
)
def test_frame_reader_resynchronises(garbage: bytes, values: list[Any], cuts: list[int]) -> None:
    """Whatever precedes them and however the stream is cut, the messages all come out."""
    data = garbage + b"".join(frame(v) for v in values)
    out = _frames(data, cuts)
    assert [item.value for item in out if isinstance(item, Received)] == values
    assert len([item for item in out if isinstance(item, Malformed)]) <= 1


def test_frame_reader_keeps_memory_bounded() -> None:
    reader = FrameReader()
    for _ in range(100):
        assert len(reader.feed(b"x" * 10_000)) <= 1
    assert len(reader._buffer) < 20_000
    (item,) = reader.feed(b"\n" + frame({"a": 1}))
    assert item == Received({"a": 1})


def test_apply_change_clamps_and_counts_utf16() -> None:
    text = "a😀b\nlast"
    at = types.Position(0, 3)  # after the emoji: two UTF-16 code units
    change = types.TextDocumentContentChangePartial(types.Range(at, at), "X")
    assert apply_change(text, change) == "a😀Xb\nlast"
    beyond = types.Range(types.Position(1, 99), types.Position(7, 0))
    assert apply_change(text, types.TextDocumentContentChangePartial(beyond, "!")) == text + "!"
    assert apply_change(text, types.TextDocumentContentChangeWholeDocument("new")) == "new"


def _recorded_clients() -> list[Path]:
    clients = importlib.resources.files("pytest_lsp.clients")
    return sorted(Path(str(clients)).glob("*.json"))


@pytest.mark.parametrize("recorded", _recorded_clients(), ids=lambda p: p.stem)
def test_strict_parameters_accept_real_clients(recorded: Path) -> None:
    """Strict types refuse ``"3"`` for a line, not what VS Code, Neovim or Emacs send."""
    capabilities = json.loads(recorded.read_text(encoding="utf-8"))["capabilities"]
    message = {"jsonrpc": "2.0", "id": 0, "method": "initialize"}
    message["params"] = {"processId": 1, "rootUri": None, "capabilities": capabilities}
    request = strict_converter().structure(message, types.InitializeRequest)
    assert request.params.capabilities.text_document is not None


def test_quick_fixes_ignore_mangled_data(tmp_path: Path) -> None:
    """A diagnostic's ``data`` comes back from the client: a mangled fix is skipped."""
    text = CLEAN.replace("segments premier, mass", "segments premiere, mass")
    path = tmp_path / "main.cxb"
    path.write_text(text, encoding="utf-8")
    project = Project()
    project.open(path.as_uri(), text, 1)
    project.refresh(path.as_uri())
    (found,) = project.stored_diagnostics(path.as_uri())
    assert isinstance(found.data, dict)
    (fix,) = found.data["fixes"]
    mangled = [1, "x", {"range": "x"}, {"range": fix["range"]}, {**fix, "range": None}, fix]
    found.data = {"fixes": mangled}
    actions = features.code_actions(project, path.as_uri(), [found])
    assert [a.title for a in actions] == [fix["title"]]
    found.data = {"fixes": "not a list"}
    assert features.code_actions(project, path.as_uri(), [found]) == []


def test_odd_initialization_options_fall_back(tmp_path: Path) -> None:
    path = tmp_path / "main.cxb"
    path.write_text(CLEAN, encoding="utf-8")
    with inprocess_server() as wire:
        options = {"debounce": float("nan"), "idleSize": float("inf")}
        params = {"processId": None, "rootUri": None, "capabilities": {}}
        assert "result" in wire.call("initialize", {**params, "initializationOptions": options})
        wire.notify("initialized", {})
        wire.open(path.as_uri(), CLEAN.replace("share 90%", "share 91%"))
        published = wire.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        assert [d["code"] for d in published["params"]["diagnostics"]]
