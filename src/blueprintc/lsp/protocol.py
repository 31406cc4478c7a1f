"""The server's side of the protocol: every request gets an answer, whatever arrives.

pygls decodes and dispatches the messages; in front of it, :meth:`BlueprintProtocol.receive`
answers what pygls would drop or misreport:

- a body that is not JSON or not a message: ``-32700`` / ``-32600`` with ``id: null``;
- parameters of the wrong shape or type (checked strictly: ``"3"`` is not a line number),
  a range that ends before it starts, a document that is not open: ``-32602``;
- a request before ``initialize``: ``-32002``; after ``shutdown``: ``-32600``.

A notification is never answered (the protocol forbids it): an invalid one is logged
and ignored. Errors inside the features are handled by the server (answered ``-32603``).
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Callable, Generator
from typing import Any
from urllib.parse import unquote

import attrs
import cattrs
from cattrs.errors import ClassValidationError
from lsprotocol import types
from pygls.protocol import LanguageServerProtocol, default_converter, lsp_method

from blueprintc.lsp.positions import UTF16, apply_change, is_backwards
from blueprintc.lsp.rpc import (
    Envelope,
    Kind,
    Malformed,
    Received,
    Rejected,
    classify,
    error_response,
    valid_id,
)

log = logging.getLogger("blueprintc.lsp")

_IDENTIFIERS = (types.TextDocumentIdentifier, types.VersionedTextDocumentIdentifier)
_MAX_PROBLEMS = 3  # validation errors quoted in one error message


def _strict(what: str, accept: Callable[[Any], bool]) -> Callable[[Any, type], Any]:
    def structure(value: Any, kind: type) -> Any:
        if issubclass(kind, enum.Enum):  # an int or str enum: its own values only
            return kind(value)
        if not accept(value):
            raise TypeError(f"expected {what}, got {type(value).__name__}")
        return value

    return structure


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return _is_int(value) or isinstance(value, float)


def strict_converter() -> cattrs.Converter:
    """pygls's converter, without cattrs's coercions (``"3"`` → 3, ``1.5`` → 1, 5 → "5")."""
    converter: cattrs.Converter = default_converter()  # type: ignore[no-untyped-call]
    number = _strict("a number", _is_number)
    converter.register_structure_hook(int, _strict("an integer", _is_int))
    converter.register_structure_hook(str, _strict("a string", lambda v: isinstance(v, str)))
    converter.register_structure_hook(bool, _strict("a boolean", lambda v: isinstance(v, bool)))
    converter.register_structure_hook(float, lambda v, t: float(number(v, t)))
    return converter


def describe(error: BaseException) -> str:
    """What was wrong with a message's parameters, from the converter's error."""
    cause = error.__cause__ if error.__cause__ is not None else error
    if isinstance(cause, ClassValidationError):
        problems = cattrs.transform_error(cause, path="message")
        more = len(problems) - _MAX_PROBLEMS
        text = "; ".join(problems[:_MAX_PROBLEMS])
        return text + (f" (and {more} more)" if more > 0 else "")
    return str(cause) or type(cause).__name__


def backwards_range(value: Any) -> types.Range | None:
    """The first range anywhere in a message's parameters that ends before it starts."""
    if isinstance(value, types.Range):
        return value if is_backwards(value) else None
    if isinstance(value, list | tuple):
        items: Any = value
    elif attrs.has(type(value)):
        items = (getattr(value, field.name) for field in attrs.fields(type(value)))
    else:
        return None
    for item in items:
        found = backwards_range(item)
        if found is not None:
            return found
    return None


class BlueprintProtocol(LanguageServerProtocol):
    """pygls's protocol with a defensive front door (:meth:`receive`)."""

    def __init__(self, server: Any, converter: cattrs.Converter) -> None:
        super().__init__(server, converter)
        self.initialized = False  # an initialize request was accepted
        self.shut_down = False  # a shutdown request was accepted

    # -- receiving ----------------------------------------------------------------------

    def receive(self, item: Received | Malformed) -> None:
        """Handle one item read from the stream: answer it if it is not a valid message."""
        if isinstance(item, Malformed):
            self.reply_error(None, types.ErrorCodes.ParseError, f"parse error: {item.reason}")
            return
        envelope = classify(item.value)
        if isinstance(envelope, Rejected):
            self.reply_error(envelope.id, envelope.code, f"invalid request: {envelope.message}")
            return
        try:
            self._dispatch(envelope)
        except Exception as error:  # pygls itself failed: still answer the request
            log.exception("failed to handle %s", envelope.method or "a response")
            if envelope.kind is Kind.REQUEST:
                message = f"internal error: {type(error).__name__}: {error}"
                self.reply_error(envelope.id, types.ErrorCodes.InternalError, message)

    def _dispatch(self, envelope: Envelope) -> None:
        problem = self.admit(envelope)
        if problem is not None:
            self.refuse(envelope, *problem)
            return
        try:
            message = self.structure_message(envelope.data)
        except Exception as error:
            self.refuse(envelope, types.ErrorCodes.InvalidParams, describe(error))
            return
        problem = self.check(envelope.method, message)
        if problem is not None:
            self.refuse(envelope, *problem)
            return
        if envelope.kind is Kind.REQUEST and envelope.method == types.INITIALIZE:
            self.initialized = True
        if envelope.kind is Kind.REQUEST and envelope.method == types.SHUTDOWN:
            self.shut_down = True
        self.handle_message(message)

    def admit(self, envelope: Envelope) -> tuple[types.ErrorCodes, str] | None:
        """Why a message is refused whatever its parameters: the session's state, the method."""
        method = envelope.method
        if envelope.kind is Kind.RESPONSE or method == types.EXIT:
            return None
        if not self.initialized:
            if method == types.INITIALIZE:
                return None
            return types.ErrorCodes.ServerNotInitialized, "the server is not initialized yet"
        if method == types.INITIALIZE:
            return types.ErrorCodes.InvalidRequest, "the server is already initialized"
        if self.shut_down:
            return types.ErrorCodes.InvalidRequest, "the server is shutting down"
        if envelope.kind is Kind.REQUEST and not self._handles(method):
            return types.ErrorCodes.MethodNotFound, f"method not found: {method}"
        return None

    def check(self, method: str, message: Any) -> tuple[types.ErrorCodes, str] | None:
        """Why a message whose parameters have the right types is refused, if it is."""
        params = getattr(message, "params", None)
        backwards = backwards_range(params)
        if backwards is not None:
            start, end = backwards.start, backwards.end
            where = f"{start.line}:{start.character} to {end.line}:{end.character}"
            return types.ErrorCodes.InvalidParams, f"a range ends before it starts ({where})"
        unknown = self._unknown_document(method, params)
        if unknown is not None:
            return types.ErrorCodes.InvalidParams, f"the document is not open: {unknown}"
        return None

    def _handles(self, method: str) -> bool:
        return method in self.fm.features or method in self.fm.builtin_features

    def _unknown_document(self, method: str, params: Any) -> str | None:
        """The URI of the document a handled message is about, if it is not open."""
        document = getattr(params, "text_document", None)
        if not isinstance(document, _IDENTIFIERS) or not self._handles(method):
            return None  # an unknown notification is ignored by pygls
        return None if unquote(document.uri) in self.workspace.text_documents else document.uri

    # -- answering ----------------------------------------------------------------------

    def refuse(self, envelope: Envelope, code: types.ErrorCodes, reason: str) -> None:
        """Answer a refused request with an error; log a refused notification or response."""
        what = envelope.method or "response"
        if envelope.kind is Kind.REQUEST:
            log.info("refused %s (%s): %s", what, int(code), reason)
            self.reply_error(envelope.id, code, reason)
            return
        log.warning("ignored %s %s: %s", envelope.kind.value, what, reason)
        if self.initialized and not self.shut_down:
            text = f"blueprintc ignored {envelope.kind.value} {what}: {reason}"
            self.notify(
                types.WINDOW_LOG_MESSAGE, types.LogMessageParams(types.MessageType.Warning, text)
            )

    def reply_error(self, msg_id: int | str | None, code: int, message: str) -> None:
        """Send an error response (``id`` null when the request's id could not be read)."""
        self._send_data(error_response(msg_id, code, message))

    def _send_data(self, data: Any) -> None:
        """Send a message; a response that cannot be encoded is answered ``-32603``."""
        if not data:
            return
        try:
            body = json.dumps(data, default=self._serialize_message)
        except Exception as error:
            log.error("could not encode a message to the client", exc_info=error)
            msg_id = getattr(data, "id", None)
            if hasattr(data, "result") and valid_id(msg_id):
                reason = f"internal error: the answer could not be encoded ({error!r})"
                self._send_data(error_response(msg_id, types.ErrorCodes.InternalError, reason))
            return
        self._write(body)

    def _write(self, body: str) -> None:
        if self.writer is None:
            log.error("no connection to send a message on")
            return
        header = f"Content-Length: {len(body.encode(self.CHARSET))}\r\n\r\n"
        self.writer.write((header + body).encode(self.CHARSET))  # stdio: a blocking write

    # -- document synchronisation -------------------------------------------------------

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        """Apply the changes, clamping positions past the end as the protocol asks."""
        identifier = params.text_document
        text = self.workspace.get_text_document(identifier.uri).source
        encoding = str(self.workspace.position_encoding or UTF16)
        for change in params.content_changes:
            text = apply_change(text, change, encoding)
        whole = types.TextDocumentContentChangeWholeDocument(text)
        self.workspace.update_text_document(identifier, whole)
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None
