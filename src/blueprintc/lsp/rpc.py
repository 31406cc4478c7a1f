"""The base protocol's framing and JSON-RPC envelopes, read defensively.

Messages arrive as ``Content-Length: N`` headers, a blank line and N bytes of JSON.
:class:`FrameReader` turns the bytes of the stream into decoded JSON values and never
stops: garbage before a header, a header without ``Content-Length``, a length too short
or too long and a body that is not JSON each produce one :class:`Malformed` (which the
server answers with a parse error, ``id: null``) and reading resumes at the next header.
:func:`classify` then checks the JSON-RPC envelope of each value.
"""

from __future__ import annotations

import enum
import json
import re
from typing import Any

import attrs
from lsprotocol.types import ErrorCodes

_CONTENT_LENGTH = re.compile(rb"Content-Length:[ \t]*(\d+)[ \t]*\r?\n", re.IGNORECASE)
_CONTENT_LENGTH_START = re.compile(rb"Content-Length:", re.IGNORECASE)
_HEADER_FIELD = re.compile(rb"[A-Za-z0-9-]+:[^\r\n]*\r?\n")
MAX_HEADER_LINE = 4096  # bytes: a longer line without a line break is not a header
MAX_BODY = 256 * 1024 * 1024  # bytes: a longer message is refused
_DECODER = json.JSONDecoder()


@attrs.frozen
class Received:
    """One message's body, decoded from JSON (any JSON value: the envelope is not checked)."""

    value: Any


@attrs.frozen
class Malformed:
    """Bytes that are not a message: answered with a parse error (``id: null``)."""

    reason: str


class FrameReader:
    """Splits a byte stream into messages, resynchronising on the next header after errors."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._declared: int | None = None  # Content-Length of the header being read
        self._fields = False  # whether the header being read has any field yet
        self._body: int | None = None  # length of the body being read
        self._skipping = False  # an error was reported; the rest of it goes silently

    def feed(self, data: bytes) -> list[Received | Malformed]:
        """The messages (and errors) completed by ``data``."""
        self._buffer += data
        out: list[Received | Malformed] = []
        while self._step(out):
            pass
        return out

    def _step(self, out: list[Received | Malformed]) -> bool:
        """Consume what the buffer holds of one item; False when more bytes are needed."""
        if self._body is not None:
            if len(self._buffer) < self._body:
                return False
            body = bytes(self._buffer[: self._body])
            del self._buffer[: self._body]
            self._body = None
            self._skipping = False
            out.append(self._decode(body))
            return True
        end = self._buffer.find(b"\n")
        if end < 0:
            self._trim(out)
            return False
        line = bytes(self._buffer[: end + 1])
        del self._buffer[: end + 1]
        self._header_line(line, out)
        return True

    def _header_line(self, line: bytes, out: list[Received | Malformed]) -> None:
        match = _CONTENT_LENGTH.search(line)
        if match is not None:
            if line[: match.start()].strip():
                self._error(out, "bytes before a message header were skipped")
            self._declared, self._fields = int(match.group(1)), True
            if self._declared > MAX_BODY:
                self._error(out, f"a message longer than {MAX_BODY} bytes was refused")
                self._reset()
        elif not line.strip():
            if self._declared is not None:
                self._body = self._declared
            elif self._fields:
                self._error(out, "a message header without Content-Length was skipped")
            self._reset()
        elif _HEADER_FIELD.fullmatch(line):
            self._fields = True
        else:
            self._error(out, "bytes that are not a message header were skipped")
            self._reset()

    def _trim(self, out: list[Received | Malformed]) -> None:
        """Drop an overlong partial line, keeping a header that may be starting in it."""
        if len(self._buffer) <= MAX_HEADER_LINE:
            return
        starts = list(_CONTENT_LENGTH_START.finditer(self._buffer))
        keep = starts[-1].start() if starts else len(self._buffer) - len(b"Content-Length:")
        if self._buffer[:keep].strip():
            self._error(out, "bytes that are not a message header were skipped")
        del self._buffer[:keep]
        self._reset()

    def _reset(self) -> None:
        self._declared, self._fields = None, False

    def _error(self, out: list[Received | Malformed], reason: str) -> None:
        if not self._skipping:
            out.append(Malformed(reason))
        self._skipping = True

    def _decode(self, body: bytes) -> Received | Malformed:
        """The body's JSON; a complete value followed by extra bytes (a Content-Length
        too long) is kept and the extra bytes are read again as the next header."""
        try:
            return Received(json.loads(body))
        except (ValueError, RecursionError):
            pass
        try:
            text = body.decode("utf-8")
            start = len(text) - len(text.lstrip())
            value, end = _DECODER.raw_decode(text, start)
        except (ValueError, RecursionError):
            self._skipping = True  # the rest of a body shorter than its Content-Length
            return Malformed("the message body is not valid JSON (or shorter than its length)")
        self._buffer[:0] = text[end:].encode("utf-8")
        return Received(value)


# -- envelopes ------------------------------------------------------------------------------


class Kind(enum.Enum):
    """What a well-formed message is."""

    REQUEST = "request"
    NOTIFICATION = "notification"
    RESPONSE = "response"


@attrs.frozen
class Envelope:
    """A message whose JSON-RPC envelope is valid (its params are not checked yet)."""

    kind: Kind
    data: dict[str, Any]

    @property
    def id(self) -> int | str | None:
        value = self.data.get("id")
        return value if valid_id(value) else None

    @property
    def method(self) -> str:
        return str(self.data.get("method", ""))


@attrs.frozen
class Rejected:
    """An invalid message, answered with ``code`` (``id`` null when it has no valid id)."""

    id: int | str | None
    code: ErrorCodes
    message: str


def valid_id(value: object) -> bool:
    """Whether ``value`` is a JSON-RPC request id the server answers to (integer or string)."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def classify(value: Any) -> Envelope | Rejected:
    """Check a decoded message against the JSON-RPC 2.0 envelope rules."""
    invalid = ErrorCodes.InvalidRequest
    if isinstance(value, list):
        return Rejected(None, invalid, "batches of messages are not part of the protocol")
    if not isinstance(value, dict):
        return Rejected(None, invalid, "a message must be a JSON object")
    msg_id = value.get("id")
    answer_to = msg_id if valid_id(msg_id) else None
    if value.get("jsonrpc") != "2.0":
        return Rejected(answer_to, invalid, 'a message must have "jsonrpc": "2.0"')
    if "method" not in value:
        if "id" in value and ("result" in value or "error" in value):
            return Envelope(Kind.RESPONSE, value)
        return Rejected(answer_to, invalid, "a message needs a method, or a result or error")
    if not isinstance(value["method"], str):
        return Rejected(answer_to, invalid, "the method must be a string")
    if "id" in value and answer_to is None:
        return Rejected(None, invalid, "a request id must be an integer or a string")
    if not isinstance(value.get("params"), dict | list | None):
        return Rejected(answer_to, invalid, "params must be an object or an array")
    return Envelope(Kind.REQUEST if "id" in value else Kind.NOTIFICATION, value)


def error_response(msg_id: int | str | None, code: int, message: str) -> dict[str, Any]:
    """A JSON-RPC error response (``id`` null when the request's id is not known)."""
    return {"jsonrpc": "2.0", "id": msg_id, "error": {"code": int(code), "message": message}}
