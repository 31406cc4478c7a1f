"""What keeps the diagnostics quick after an edit, without changing what they say.

The server compiles a lone change at once and typing after the debounce delay, parses
through the project's :class:`~blueprintc.syntax.incremental.ParseMemo`, frees replaced
analyses and lets the garbage collector run only after publishing, and stops a sizing
under way when the document changes. The diagnostics themselves are the referee: those
of an incrementally parsed document equal those of a fresh project.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from pathlib import Path

import pytest

from blueprintc.lsp import features, tokens
from blueprintc.lsp.project import Project
from blueprintc.lsp.server import Cancel, Cancelled, create_server
from tests.bench.generate import generated_blueprint
from tests.lsp.test_protocol import TIMEOUT, inprocess_server

TEXT = generated_blueprint(3)
BROKEN = TEXT.replace("  shrinkage 33%\n", "  shrinkge 33%\n", 1)
RESHAPED = TEXT.replace("  patience 120 s\n", '  patience 2 min // later\n  description "x"\n', 1)
TWO_BLOCKS = TEXT.replace("  shrinkage 33%\n", "  shrinkge 33%\n", 2)
APPENDED = TEXT + "\nassert occupancy(voice_0) <= 1%\n"


@pytest.mark.parametrize(
    ("edited", "reused"), [(BROKEN, 1), (RESHAPED, 1), (TWO_BLOCKS, 0), (APPENDED, 0)]
)
def test_edits_parse_incrementally_with_the_same_diagnostics(
    tmp_path: Path, edited: str, reused: int
) -> None:
    path = tmp_path / "main.cxb"
    path.write_text(TEXT, encoding="utf-8")
    uri = path.as_uri()
    project = Project()
    project.open(uri, TEXT, 1)
    project.refresh(uri)
    project.change(uri, edited, 2)
    project.refresh(uri)
    fresh = Project()
    fresh.open(uri, edited, 2)
    fresh.refresh(uri)
    assert project.diagnostics() == fresh.diagnostics()
    assert bool(project.diagnostics()[uri]) == (edited in (BROKEN, TWO_BLOCKS))
    assert project.parses.reused == reused
    assert project.retired == []  # freed once published


def test_a_replaced_analysis_is_kept_until_released(tmp_path: Path) -> None:
    path = tmp_path / "main.cxb"
    path.write_text(TEXT, encoding="utf-8")
    uri = path.as_uri()
    project = Project()
    project.open(uri, TEXT, 1)
    project.store(project.prepare(uri)())
    first = project.analyses[uri]
    project.change(uri, BROKEN, 2)
    project.store(project.prepare(uri)())
    assert project.retired == [first]
    project.release()
    assert project.retired == []


def test_a_lone_change_compiles_at_once_typing_waits() -> None:
    server = create_server(debounce=0.15)

    async def delays() -> list[float]:
        out = [server.change_delay("file:///a.cxb")]  # the first change
        out.append(server.change_delay("file:///a.cxb"))  # right after it: typing
        out.append(server.change_delay("file:///b.cxb"))  # another document
        await asyncio.sleep(0.2)
        out.append(server.change_delay("file:///a.cxb"))  # after a pause
        return out

    assert asyncio.run(delays()) == [0.0, 0.15, 0.0, 0.0]
    server.debounce = 0.0
    assert asyncio.run(delays()) == [0.0, 0.0, 0.0, 0.0]


def _busy() -> int:
    """Python calls without end (each a point where a cancelled job stops)."""
    total = 0
    while True:
        total += _step(total)


def _step(value: int) -> int:
    return value % 7 + 1


def test_cancel_stops_a_job_under_way() -> None:
    cancel = Cancel()
    outcome: list[BaseException] = []
    started = threading.Event()

    def job() -> object:
        started.set()
        return _busy()

    def run() -> None:
        try:
            cancel.job(job)()  # type: ignore[arg-type]
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(TIMEOUT)
    time.sleep(0.05)
    cancel.cancel()
    thread.join(TIMEOUT)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    with pytest.raises(Cancelled):  # cancelled before it starts: it does not start
        cancel.job(lambda: pytest.fail("ran"))()  # type: ignore[arg-type, return-value]


def test_the_collector_is_back_on_once_the_diagnostics_are_out(tmp_path: Path) -> None:
    path = tmp_path / "main.cxb"
    path.write_text(TEXT, encoding="utf-8")
    uri = path.as_uri()
    assert gc.isenabled()
    with inprocess_server() as wire:
        wire.initialize(tmp_path)
        wire.open(uri, TEXT)
        wire.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        for version, text in enumerate([BROKEN, TEXT, BROKEN], start=2):
            start = len(wire.since(0))
            change = {"textDocument": {"uri": uri, "version": version}, "contentChanges": []}
            change["contentChanges"] = [{"text": text}]
            wire.notify("textDocument/didChange", change)
            message = wire.wait(
                lambda m: (
                    m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"]["version"] == version  # noqa: B023 - waited for here
                ),
                start,
            )
            codes = [d["code"] for d in message["params"]["diagnostics"]]
            assert codes == (["CXB0402"] if text is BROKEN else [])
        deadline = time.monotonic() + TIMEOUT
        while not gc.isenabled() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert gc.isenabled()


def test_outline_and_tokens_of_a_changed_text_parse_only_what_changed(tmp_path: Path) -> None:
    path = tmp_path / "main.cxb"
    path.write_text(TEXT, encoding="utf-8")
    uri = path.as_uri()
    project = Project()
    project.open(uri, TEXT, 1)
    project.refresh(uri)
    outlines, token_lists = [], []
    for version, text in enumerate([BROKEN, RESHAPED], start=2):
        project.change(uri, text, version)  # not compiled yet: the requests parse the text
        outlines.append(features.document_symbols(project, uri))
        token_lists.append(tokens.semantic_tokens(project, uri).data)
        fresh = Project()
        fresh.open(uri, text, version)
        assert outlines[-1] == features.document_symbols(fresh, uri)
        assert token_lists[-1] == tokens.semantic_tokens(fresh, uri).data
    assert project.parses.reused >= 2  # the second text, for each request
