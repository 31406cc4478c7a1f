"""The language server: pygls over stdio, the compiler in-process.

Diagnostics: a document is compiled up to the ``validate`` stage in a worker thread, so
that requests keep being answered: at once after a change that comes alone (the first
since a pause of at least the debounce delay, 150 ms), and while changes come quicker
than that (typing), 150 ms after the last of them (each keystroke restarts the wait).
Parsing is incremental (:mod:`blueprintc.syntax.incremental`), and the cyclic garbage
collector and the freeing of the replaced analysis wait until the diagnostics are
published. One second after the last change, the documents compiled in their own right
are also sized (``until="size"``: agents, FTE, costs, assertions) in another thread, which
adds the sizing diagnostics and the figures shown on hover; a change stops a sizing under
way (:class:`Cancel`), so that it does not slow down the compilation of the change. Both
delays can be set with the initialization options ``debounce`` and ``idleSize`` (seconds;
``idleSize`` ``null`` or negative turns sizing off).

Every request is answered: malformed input by :mod:`blueprintc.lsp.protocol`, and an
exception inside a feature is logged (the log, and ``window/logMessage``) and answered
``-32603``, after which the server goes on serving.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import inspect
import logging
import math
import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import FrameType
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from blueprintc import __version__
from blueprintc.lsp import features, rename, tokens
from blueprintc.lsp.positions import UTF16
from blueprintc.lsp.project import Analysis, Project
from blueprintc.lsp.protocol import BlueprintProtocol, strict_converter
from blueprintc.lsp.rpc import FrameReader

if TYPE_CHECKING:
    from pygls.server import ServerErrors

log = logging.getLogger("blueprintc.lsp")

DEBOUNCE = 0.15  # seconds after the last of changes coming quicker than this, to compile
IDLE_SIZE = 1.0  # seconds after the last change before sizing
CHUNK = 65536  # bytes read from the client at a time

F = TypeVar("F", bound=Callable[..., Any])


class InternalFailure(JsonRpcInternalError):
    """A feature's exception, already logged, answered as ``-32603``."""


class RequestFailed(JsonRpcException):
    """A request understood but refused (``RequestFailed``, ``-32803``): a refused rename."""

    CODE = -32803


class Cancelled(Exception):
    """Raised inside a compilation that :meth:`Cancel.cancel` stopped."""


class Cancel:
    """Stops a compilation running in a worker thread, at its next Python function call.

    Sizing a large blueprint takes seconds and cannot be stopped from outside its
    thread; while it runs, the compilation of the next change shares the interpreter with
    it and takes twice as long. :meth:`job` runs the compilation under a trace function
    (``sys.settrace``, for that thread only) that raises :class:`Cancelled` once
    :meth:`cancel` was called; the exception unwinds the compiler like any other, and
    nothing it made is kept. Tracing calls costs the sizing about a fifth of its time. In
    a thread already traced (a debugger, a coverage tool), the job runs untraced and
    cannot be stopped.
    """

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def job(self, compile_: Callable[[], Analysis]) -> Callable[[], Analysis]:
        def run() -> Analysis:
            if self.cancelled:
                raise Cancelled
            if sys.gettrace() is not None:
                return compile_()

            def trace(frame: FrameType, event: str, arg: Any) -> None:
                if self.cancelled:
                    raise Cancelled

            sys.settrace(trace)
            try:
                return compile_()
            finally:
                sys.settrace(None)

        return run


def _is_request(method: str) -> bool:
    """Whether ``method`` expects a response (notifications are never answered)."""
    return types.METHOD_TO_TYPES.get(method, (None, None))[1] is not None


class BlueprintServer(LanguageServer):
    """A pygls server holding the project state and the compile scheduling."""

    def __init__(self, debounce: float = DEBOUNCE, idle_size: float | None = IDLE_SIZE) -> None:
        super().__init__(
            "blueprintc",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=BlueprintProtocol,
            converter_factory=strict_converter,
        )
        self.exit_code = 0
        self.project = Project()
        self.debounce = debounce
        self.idle_size = idle_size
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._sizing: dict[str, asyncio.Task[None]] = {}
        self._size_cancels: dict[str, Cancel] = {}
        self._changed_at: dict[str, float] = {}  # when each document last changed (loop time)
        self._gc_holds = 0  # compilations whose results are not published yet
        self._gc_was_enabled = False
        self._compiler = ThreadPoolExecutor(1, thread_name_prefix="blueprintc-compile")
        self._sizer = ThreadPoolExecutor(1, thread_name_prefix="blueprintc-size")

    # -- answering every request ----------------------------------------------------------

    def feature(self, feature_name: str, options: Any | None = None) -> Callable[[F], F]:
        """Register a feature whose exceptions are logged and answered ``-32603``."""
        register = super().feature(feature_name, options)

        def decorator(handler: F) -> F:
            register(self._guarded(feature_name, handler))
            return handler

        return decorator

    def _guarded(self, method: str, handler: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(handler):

            async def guarded_coroutine(params: Any) -> Any:
                try:
                    return await handler(params)
                except JsonRpcException:
                    raise
                except Exception as error:
                    return self._failed(method, error)

            return guarded_coroutine

        def guarded(params: Any) -> Any:
            try:
                return handler(params)
            except JsonRpcException:
                raise
            except Exception as error:
                return self._failed(method, error)

        return guarded

    def _failed(self, method: str, error: Exception) -> None:
        """Log a feature's exception; raise the error answering a request (``-32603``)."""
        log.error("internal error in %s", method, exc_info=error)
        details = "".join(traceback.format_exception(error)).rstrip()
        self.window_log_message(
            types.LogMessageParams(
                types.MessageType.Error, f"blueprintc: internal error in {method}\n{details}"
            )
        )
        if _is_request(method):
            raise InternalFailure(
                f"blueprintc could not answer {method}: internal error "
                f"({type(error).__name__}: {error}); the server's log has the details"
            ) from error

    def report_server_error(self, error: Exception, source: ServerErrors) -> None:
        """Log an error outside a feature to the log and the client's log, never a popup."""
        if isinstance(error, InternalFailure):
            return  # logged when it happened
        log.error("server error: %s", error, exc_info=error)
        if isinstance(self.protocol, BlueprintProtocol) and self.protocol.initialized:
            self.window_log_message(
                types.LogMessageParams(types.MessageType.Error, f"blueprintc: {error}")
            )

    # -- serving ------------------------------------------------------------------------

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve one client on a pair of byte streams until ``exit`` or end of input."""
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(self._serve(stdin or sys.stdin.buffer))
        except SystemExit as stop:  # the exit notification
            self.exit_code = stop.code if isinstance(stop.code, int) else 1
        except BrokenPipeError:
            log.error("the client closed the connection")
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]

    async def _serve(self, stream: BinaryIO) -> None:
        loop = asyncio.get_running_loop()
        chunks: asyncio.Queue[bytes] = asyncio.Queue()

        def pump() -> None:  # in a daemon thread: a blocked read never holds up the exit
            while True:
                try:
                    data = os.read(stream.fileno(), CHUNK)
                except OSError:
                    data = b""
                try:
                    loop.call_soon_threadsafe(chunks.put_nowait, data)
                except RuntimeError:  # the loop is closed: the server has exited
                    return
                if not data:
                    return

        threading.Thread(target=pump, name="blueprintc-stdin", daemon=True).start()
        reader = FrameReader()
        protocol = self.protocol
        assert isinstance(protocol, BlueprintProtocol)
        while data := await chunks.get():
            for item in reader.feed(data):
                protocol.receive(item)

    # -- scheduling -----------------------------------------------------------------------

    def change_delay(self, uri: str) -> float:
        """How long to wait before compiling ``uri``, which has just changed.

        No wait after a change that comes alone (more than :attr:`debounce` after the one
        before: a quick fix, a paste, the first key after a pause): its diagnostics come
        as soon as the compiler can make them. Changes coming quicker than that are
        typing: compile :attr:`debounce` after the last one, not after each.
        """
        now = asyncio.get_running_loop().time()
        last = self._changed_at.get(uri)
        self._changed_at[uri] = now
        typing = last is not None and now - last < self.debounce
        return self.debounce if typing else 0.0

    def schedule(self, uri: str, delay: float) -> None:
        """Compile ``uri`` and its users after ``delay``, replacing any pending compile."""
        self._hold_gc()  # before a sizing stopped below lets go of it
        for each in [uri, *self.project.users(uri)]:
            self._cancel_sizing(each)
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        task = asyncio.get_running_loop().create_task(self._refresh(uri, delay))
        task.add_done_callback(lambda _: self._release_gc())  # also if cancelled unstarted
        self._pending[uri] = task

    async def _refresh(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        affected = self.project.affected(uri)
        for each in affected:
            analysis = await self._run(self._compiler, self.project.prepare(each))
            if analysis is not None:
                self.project.store(analysis)
        self.publish()
        if self.idle_size is not None and self.idle_size >= 0:
            for each in affected:
                if each in self.project.entries():
                    self._schedule_size(each)

    def _schedule_size(self, uri: str) -> None:
        self._cancel_sizing(uri)
        cancel = self._size_cancels[uri] = Cancel()
        self._sizing[uri] = asyncio.get_running_loop().create_task(self._size(uri, cancel))

    def _cancel_sizing(self, uri: str) -> None:
        """Stop the sizing of ``uri``: waiting, queued or under way in the sizing thread."""
        task = self._sizing.pop(uri, None)
        if task is not None:
            task.cancel()
        cancel = self._size_cancels.pop(uri, None)
        if cancel is not None:
            cancel.cancel()

    async def _size(self, uri: str, cancel: Cancel) -> None:
        await asyncio.sleep(self.idle_size or 0)
        analysis = self.project.analyses.get(uri)
        if analysis is None or not analysis.compilation.ok or analysis.checked is None:
            return  # errors stop the compiler before sizing anyway
        self._hold_gc()
        try:
            sized = await self._run(self._sizer, cancel.job(self.project.prepare(uri, "size")))
            if sized is not None and self.project.store(sized):
                self.publish()
        finally:
            self._release_gc()

    def _hold_gc(self) -> None:
        """Keep the cyclic garbage collector off until the compilation is published.

        The compiler pauses the collector while it runs (see :mod:`blueprintc.driver`);
        switched back on, the collector's first pass scans every object the compilation
        made, a tenth of a second on a 10,000-line blueprint. Held here, that pass, and
        freeing the analysis replaced, come after the diagnostics are sent.
        """
        if self._gc_holds == 0:
            self._gc_was_enabled = gc.isenabled()
            gc.disable()
        self._gc_holds += 1

    def _release_gc(self) -> None:
        self._gc_holds -= 1
        if self._gc_holds == 0:
            self.project.release()
            if self._gc_was_enabled:
                gc.enable()

    async def _run(
        self, executor: ThreadPoolExecutor, job: Callable[[], Analysis]
    ) -> Analysis | None:
        """Run a compilation in a worker thread; an internal error is logged, not raised."""
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, job)
        except asyncio.CancelledError:
            raise
        except Cancelled:
            return None
        except Exception as error:  # a compiler bug must not take the server down
            log.exception("internal compiler error")
            self.window_log_message(
                types.LogMessageParams(
                    types.MessageType.Error, f"blueprintc: internal compiler error: {error!r}"
                )
            )
            return None

    def publish(self) -> None:
        for params in self.project.publish():
            self.text_document_publish_diagnostics(params)

    async def settled(self, uri: str, timeout: float = 5.0) -> None:
        """Wait until no compile of ``uri`` (or of the document covering it) is pending."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            waiting = [
                task
                for key in (uri, self.project.covering(uri))
                if key is not None and (task := self._pending.get(key)) is not None
                if not task.done()
            ]
            if not waiting:
                return
            await asyncio.wait(waiting, timeout=deadline - loop.time())

    def forget(self, uri: str) -> None:
        """Close a document: cancel its pending work and drop it from the project."""
        task = self._pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self._cancel_sizing(uri)
        self._changed_at.pop(uri, None)
        self.project.close(uri)

    def stop(self) -> None:
        for task in [*self._pending.values(), *self._sizing.values()]:
            task.cancel()
        for cancel in self._size_cancels.values():
            cancel.cancel()
        self._compiler.shutdown(wait=False, cancel_futures=True)
        self._sizer.shutdown(wait=False, cancel_futures=True)


def _option(options: Any, name: str, default: float | None) -> float | None:
    if not isinstance(options, dict) or name not in options:
        return default
    value = options[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else default


def create_server(
    debounce: float = DEBOUNCE, idle_size: float | None = IDLE_SIZE
) -> BlueprintServer:
    """A server with every feature registered (not started)."""
    server = BlueprintServer(debounce, idle_size)
    project = server.project

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        options = params.initialization_options
        server.debounce = _option(options, "debounce", server.debounce) or 0.0
        server.idle_size = _option(options, "idleSize", server.idle_size)
        project.encoding = str(server.workspace.position_encoding or UTF16)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        document = params.text_document
        project.open(document.uri, document.text, document.version)
        server.schedule(document.uri, 0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        text = server.workspace.get_text_document(uri).source
        project.change(uri, text, params.text_document.version)
        server.schedule(uri, server.change_delay(uri))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, 0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        users = project.users(uri)
        server.forget(uri)
        for user in users:  # they now read the file from disk
            server.schedule(user, 0.0)
        server.publish()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        await server.settled(params.text_document.uri)
        return features.hover(project, params.text_document.uri, params.position)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(params: types.DefinitionParams) -> list[types.Location]:
        await server.settled(params.text_document.uri)
        return features.definition(project, params.text_document.uri, params.position)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def references(params: types.ReferenceParams) -> list[types.Location]:
        await server.settled(params.text_document.uri)
        include = params.context.include_declaration
        return features.references(project, params.text_document.uri, params.position, include)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        return features.document_symbols(project, params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[".", "/"]),
    )
    def completion(params: types.CompletionParams) -> types.CompletionList:
        return features.completion(project, params.text_document.uri, params.position)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        return features.code_actions(project, uri, params.context.diagnostics)

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: types.DocumentFormattingParams) -> list[types.TextEdit]:
        return features.formatting(project, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, tokens.LEGEND)
    async def semantic_tokens_full(params: types.SemanticTokensParams) -> types.SemanticTokens:
        await server.settled(params.text_document.uri)
        return tokens.semantic_tokens(project, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, tokens.LEGEND)
    async def semantic_tokens_range(
        params: types.SemanticTokensRangeParams,
    ) -> types.SemanticTokens:
        await server.settled(params.text_document.uri)
        return tokens.semantic_tokens(project, params.text_document.uri, params.range)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(
        params: types.PrepareRenameParams,
    ) -> types.PrepareRenamePlaceholder | None:
        await server.settled(params.text_document.uri)
        try:
            return rename.prepare_rename(project, params.text_document.uri, params.position)
        except rename.RenameRefused as refused:
            raise RequestFailed(str(refused)) from refused

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    async def rename_symbol(params: types.RenameParams) -> types.WorkspaceEdit:
        await server.settled(params.text_document.uri)
        uri, position = params.text_document.uri, params.position
        try:
            return rename.rename(project, uri, position, params.new_name)
        except rename.RenameRefused as refused:
            raise RequestFailed(str(refused)) from refused

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        server.stop()

    return server


def run(log_file: str | None = None, verbose: bool = False) -> int:
    """Serve one client on stdin and stdout until it says ``exit``; the exit code."""
    if log_file:
        logging.basicConfig(
            filename=log_file,
            level=logging.DEBUG if verbose else logging.INFO,
            format="%(asctime)s %(name)s %(levelname)s %(message)s",
        )
    server = create_server()
    server.start_io()
    return server.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """``blueprintc lsp [--stdio] [--log-file FILE] [--verbose]``: run the server on stdio."""
    parser = argparse.ArgumentParser(
        prog="blueprintc lsp",
        description="Run the blueprintc language server on stdin/stdout.",
    )
    parser.add_argument("--stdio", action="store_true", help="talk over stdio (the default)")
    parser.add_argument("--log-file", help="write the server's log to this file")
    parser.add_argument("--verbose", "-v", action="store_true", help="log debug messages")
    args = parser.parse_args(argv)
    return run(args.log_file, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
