"""The language server, end to end over stdio with a real LSP client, and its parts in-process.

The end-to-end tests start ``python -m blueprintc.lsp`` and drive it with pytest-lsp's
client (pygls): initialize, open, change, hover, definition, completion, formatting,
code actions, shutdown and exit.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from blueprintc.lsp import features  # noqa: E402
from blueprintc.lsp.context import cursor_at, value_index  # noqa: E402
from blueprintc.lsp.positions import offset_at, position_at  # noqa: E402
from blueprintc.lsp.project import Project  # noqa: E402
from blueprintc.source import SourceFile  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p),
}
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "blueprintc.lsp"], server_env=ENV)

HEADER = 'blueprint "T" { currency USD; start 2027-01; horizon 3 years }\nuse std/channels\n'
BODY = """\
segment premier { share 10%; value high; strategy retain; intensity simple }
segment mass { share 90%; value low; strategy retain; intensity simple }
brand b { promise p "x" }
service s { delivers p; segments premier, mass }
process p1 {
  service s
  volume 5_000/month
  mix { voice 100% }
  aht { voice 4.5 min }
}
channel voice extends std.voice {
  hours mon..fri 08:00-18:00
  shrinkage 35%
}
component acd { kind acd; supports voice }
staffing { loaded_cost 38 USD/h; paid_hours 37.5 h/week }
"""
CLEAN = HEADER + BODY


def line_of(text: str, needle: str) -> tuple[int, int]:
    """0-based line and character (code points) of the first ``needle``."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


async def wait_for(
    client: LanguageClient,
    uri: str,
    check: Callable[[list[types.Diagnostic]], bool],
    timeout: float = 15.0,
) -> list[types.Diagnostic]:
    """The diagnostics published for ``uri`` once ``check`` accepts them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if uri in client.diagnostics:
            found = list(client.diagnostics[uri])
            if check(found):
                return found
        await asyncio.sleep(0.02)
    raise AssertionError(f"no matching diagnostics for {uri}: {client.diagnostics.get(uri)}")


def open_document(client: LanguageClient, uri: str, text: str) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "cxb", 1, text))
    )


def change_document(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version, uri),
            [types.TextDocumentContentChangeWholeDocument(text)],
        )
    )


def _initialize_params(
    tmp_path: Path, encodings: list[types.PositionEncodingKind] | None = None
) -> types.InitializeParams:
    capabilities = client_capabilities("visual-studio-code")
    if encodings is not None:
        capabilities.general = types.GeneralClientCapabilities(position_encodings=encodings)
    return types.InitializeParams(
        capabilities=capabilities,
        root_uri=tmp_path.as_uri(),
        workspace_folders=[types.WorkspaceFolder(tmp_path.as_uri(), "project")],
        initialization_options={"debounce": 0.05, "idleSize": 0.2},
    )


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    result = await lsp_client.initialize_session(_initialize_params(tmp_path))
    assert result.capabilities.hover_provider
    assert result.server_info is not None and result.server_info.name == "blueprintc"
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def utf8_client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    params = _initialize_params(
        tmp_path, [types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16]
    )
    result = await lsp_client.initialize_session(params)
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


# -- end to end -----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_diagnostics_follow_the_edits(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "main.cxb"
    broken = CLEAN.replace("segments premier, mass", "segments premiere, mass")
    path.write_text(broken, encoding="utf-8")
    uri = path.as_uri()
    open_document(client, uri, broken)
    found = await wait_for(client, uri, lambda ds: bool(ds))
    assert [d.code for d in found] == ["CXB0301"]
    line, character = line_of(broken, "premiere,")
    assert found[0].range == types.Range(
        types.Position(line, character), types.Position(line, character + len("premiere"))
    )
    assert found[0].severity == types.DiagnosticSeverity.Error
    assert "did you mean `premier`?" in found[0].message

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri), found[0].range, types.CodeActionContext(found)
        )
    )
    assert actions
    fix = actions[0]
    assert isinstance(fix, types.CodeAction) and fix.edit is not None and fix.edit.changes
    assert fix.edit.changes[uri][0].new_text == "premier"
    assert fix.edit.changes[uri][0].range == found[0].range

    change_document(client, uri, 2, CLEAN)
    await wait_for(client, uri, lambda ds: not ds)

    # Fast typing: only the last text counts (earlier compiles are debounced or dropped).
    for version in range(3, 9):
        change_document(client, uri, version, broken if version % 2 else CLEAN)
        await asyncio.sleep(0.01)
    change_document(client, uri, 9, broken.replace("segments premiere", "segments premir"))
    found = await wait_for(client, uri, lambda ds: any("`premir`" in d.message for d in ds))
    assert [d.code for d in found] == ["CXB0301"]


@pytest.mark.asyncio
async def test_positions_count_utf16_code_units(client: LanguageClient, tmp_path: Path) -> None:
    text = CLEAN.replace("  shrinkage 35%\n", '  description "Café für Zoë 😀 ☕"; shrinkge 35%\n')
    uri = (tmp_path / "unicode.cxb").as_uri()
    open_document(client, uri, text)
    found = await wait_for(client, uri, lambda ds: bool(ds))
    assert [d.code for d in found] == ["CXB0402"]
    line_text = text.splitlines()[line_of(text, "shrinkge")[0]]
    prefix = line_text[: line_text.index("shrinkge")]
    utf16 = len(prefix.encode("utf-16-le")) // 2
    assert utf16 == len(prefix) + 1  # the emoji is two UTF-16 code units
    assert found[0].range.start.character == utf16
    assert found[0].range.end.character == utf16 + len("shrinkge")

    # A hover after the emoji lands on the right quantity.
    quantity = line_text.index("35%")
    character = len(line_text[:quantity].encode("utf-16-le")) // 2
    hover = await client.text_document_hover_async(
        types.HoverParams(
            types.TextDocumentIdentifier(uri),
            types.Position(found[0].range.start.line, character + 1),
        )
    )
    assert hover is not None and "**0.35** (35%)" in str(hover.contents)
    assert hover.range is not None and hover.range.start.character == character


@pytest.mark.asyncio
async def test_utf8_position_encoding(utf8_client: LanguageClient, tmp_path: Path) -> None:
    client = utf8_client
    text = CLEAN.replace("  shrinkage 35%\n", '  description "é😀"; shrinkge 35%\n')
    uri = (tmp_path / "utf8.cxb").as_uri()
    open_document(client, uri, text)
    found = await wait_for(client, uri, lambda ds: bool(ds))
    line_text = text.splitlines()[found[0].range.start.line]
    prefix = line_text[: line_text.index("shrinkge")]
    assert found[0].range.start.character == len(prefix.encode("utf-8"))


@pytest.mark.asyncio
async def test_hover_definition_completion_formatting(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = tmp_path / "main.cxb"
    path.write_text(CLEAN, encoding="utf-8")
    uri = path.as_uri()
    open_document(client, uri, CLEAN)
    await wait_for(client, uri, lambda ds: all(d.code != "CXB0301" for d in ds))
    doc = types.TextDocumentIdentifier(uri)

    # Hover on a channel name: its declaration.
    line, character = line_of(CLEAN, "voice extends")
    hover = await client.text_document_hover_async(
        types.HoverParams(doc, types.Position(line, character + 2))
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**channel** `voice`" in hover.contents.value
    assert "operational layer" in hover.contents.value
    assert "channel voice extends std.voice {" in hover.contents.value

    # Once the document was sized (when idle), the hover adds the channel's figures.
    deadline = time.monotonic() + 15
    while "agents logged in" not in str(hover.contents) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        hover = await client.text_document_hover_async(
            types.HoverParams(doc, types.Position(line, character + 2))
        )
        assert hover is not None
    assert "agents logged in" in str(hover.contents) and "FTE" in str(hover.contents)

    # Hover on a quantity: its canonical value.
    line, character = line_of(CLEAN, "4.5 min")
    hover = await client.text_document_hover_async(
        types.HoverParams(doc, types.Position(line, character + 1))
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**270** s" in hover.contents.value

    # Hover on a field name: the schema's documentation.
    line, character = line_of(CLEAN, "shrinkage 35%")
    hover = await client.text_document_hover_async(
        types.HoverParams(doc, types.Position(line, character + 3))
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "Share of paid time agents are not available" in hover.contents.value

    # Definition of `std.voice`: in the standard library.
    line, character = line_of(CLEAN, "std.voice")
    locations = await client.text_document_definition_async(
        types.DefinitionParams(doc, types.Position(line, character + 5))
    )
    assert isinstance(locations, list) and len(locations) == 1
    location = locations[0]
    assert isinstance(location, types.Location)
    assert location.uri.endswith("stdlib/channels.cxb")
    stdlib = Path(location.uri.removeprefix("file://")).read_text(encoding="utf-8")
    declared = stdlib.splitlines()[location.range.start.line]
    assert declared.startswith("channel voice")

    # References of the channel: the declaration, two uses in the process, one in `acd`.
    line, character = line_of(CLEAN, "voice extends")
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            text_document=doc,
            position=types.Position(line, character),
        )
    )
    assert refs is not None and len(refs) == 4

    # Completion inside a channel block offers its fields, with their documentation.
    line, _ = line_of(CLEAN, "  hours mon..fri")
    completion = await client.text_document_completion_async(
        types.CompletionParams(doc, types.Position(line, 0))
    )
    assert isinstance(completion, types.CompletionList)
    labels = {item.label: item for item in completion.items}
    assert "shrinkage" in labels and "patience" in labels
    assert "segments" not in labels
    assert labels["shrinkage"].documentation is not None

    # Outline grouped by layer.
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(doc))
    assert symbols is not None
    layers = {s.name: s for s in symbols if isinstance(s, types.DocumentSymbol)}
    assert {"business", "operational"} <= set(layers)
    operational = layers["operational"].children or []
    assert "voice" in [s.name for s in operational]

    # Formatting: edits from blueprintc.fmt, or none when the formatter is not there.
    messy = CLEAN.replace("  shrinkage 35%", "      shrinkage    35%")
    change_document(client, uri, 2, messy)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(doc, types.FormattingOptions(2, True))
    )
    try:
        fmt = importlib.import_module("blueprintc.fmt")
    except ImportError:
        assert not edits
    else:
        expected = fmt.format_text(messy, str(path))
        if expected.ok and expected.changed:
            assert edits and edits[0].new_text == expected.text
        else:
            assert not edits


@pytest.mark.asyncio
async def test_modules_get_their_own_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    lib = tmp_path / "lib.cxb"
    lib.write_text("segment extra { share 5%; value hihg; strategy retain; intensity simple }\n")
    main = tmp_path / "main.cxb"
    text = CLEAN.replace("use std/channels\n", 'use std/channels\nuse "./lib.cxb"\n')
    text = text.replace("share 90%", "share 85%")
    main.write_text(text, encoding="utf-8")
    main_uri, lib_uri = main.as_uri(), lib.as_uri()
    open_document(client, main_uri, text)
    found = await wait_for(client, lib_uri, lambda ds: bool(ds))
    assert [d.code for d in found] == ["CXB0410"]  # `hihg` is not a level
    assert found[0].range.start == types.Position(0, 32)
    await wait_for(client, main_uri, lambda ds: not ds)

    # Fixing the module in the editor (unsaved) clears it and updates its user.
    open_document(client, lib_uri, lib.read_text())
    fixed = lib.read_text().replace("hihg", "high").replace("segment extra", "segment extrra")
    change_document(client, lib_uri, 2, fixed)
    await wait_for(client, lib_uri, lambda ds: not ds)

    # The user now refers to a name the module no longer declares.
    referring = text.replace("segments premier, mass", "segments premier, mass, extra")
    change_document(client, main_uri, 2, referring)
    found = await wait_for(client, main_uri, lambda ds: bool(ds))
    assert [d.code for d in found] == ["CXB0301"]
    assert "did you mean `extrra`?" in found[0].message
    change_document(client, lib_uri, 3, fixed.replace("extrra", "extra"))
    await wait_for(client, main_uri, lambda ds: not ds)


@pytest_lsp.fixture(config=SERVER)
async def bare_client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    yield


@pytest.mark.asyncio
async def test_shutdown_and_exit(bare_client: LanguageClient, tmp_path: Path) -> None:
    await bare_client.initialize_session(_initialize_params(tmp_path))
    uri = (tmp_path / "main.cxb").as_uri()
    open_document(bare_client, uri, CLEAN)
    await wait_for(bare_client, uri, lambda ds: True)
    await bare_client.shutdown_session()  # shutdown, then exit: the server ends cleanly
    server = bare_client._server
    assert server is not None and server.returncode == 0


# -- in-process -----------------------------------------------------------------------------


def test_positions_round_trip_through_utf16_and_utf8() -> None:
    text = 'a "é😀ü" b\nsecond 😀 line\r\nthird'
    file = SourceFile("x", text)
    for offset in range(len(text) + 1):
        for encoding in ("utf-16", "utf-8", "utf-32"):
            position = position_at(file, offset, encoding)
            back = offset_at(file, position, encoding)
            if text[offset - 1 : offset] != "\r":
                assert back == offset or text[offset:].startswith("\n"), (offset, encoding)
    assert position_at(file, text.index("b"), "utf-16") == types.Position(0, 9)
    assert position_at(file, text.index("b"), "utf-8") == types.Position(0, 13)
    assert file.utf16_col(text.index("b")) == (0, 9)
    assert offset_at(file, types.Position(1, 99)) == text.index("\r")
    assert offset_at(file, types.Position(9, 0)) == len(text)


def _project(tmp_path: Path, text: str, until: str = "validate") -> tuple[Project, str]:
    path = tmp_path / "main.cxb"
    path.write_text(text, encoding="utf-8")
    project = Project()
    uri = path.as_uri()
    project.open(uri, text, 1)
    project.refresh(uri, until)
    return project, uri


def test_unknown_unit_fix_replaces_only_the_word(tmp_path: Path) -> None:
    text = CLEAN.replace("38 USD/h", "38 USD/hr").replace("37.5 h/week", "37.5 h/weeek")
    project, uri = _project(tmp_path, text)
    (found,) = project.stored_diagnostics(uri)
    assert found.code == "CXB0406"
    actions = features.code_actions(project, uri, [found])
    assert actions and actions[0].edit is not None and actions[0].edit.changes is not None
    edit = actions[0].edit.changes[uri][0]
    line, character = line_of(text, "weeek")
    assert edit.range.start == types.Position(line, character)
    assert edit.range.end == types.Position(line, character + 5)
    assert edit.new_text == "week"


def test_missing_use_is_a_quick_fix(tmp_path: Path) -> None:
    text = CLEAN.replace("use std/channels\n", "")
    project, uri = _project(tmp_path, text)
    found = [d for d in project.stored_diagnostics(uri) if d.code == "CXB0301"]
    assert found
    actions = features.code_actions(project, uri, found)
    titles = [a.title for a in actions]
    assert "Add `use std/channels`" in titles


def test_sized_hover_shows_agents_and_fte(tmp_path: Path) -> None:
    project, uri = _project(tmp_path, CLEAN)
    project.refresh(uri, "size")
    line, character = line_of(CLEAN, "voice extends")
    hover = features.hover(project, uri, types.Position(line, character))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "agents logged in" in hover.contents.value and "FTE" in hover.contents.value
    assert "`shrinkage` 35% = **0.35** (35%)" in hover.contents.value


def test_hover_on_an_assert_figure_reads_the_registry(tmp_path: Path) -> None:
    text = CLEAN + "assert occupancy(voice) <= 85% and fte(total) <= 400\n"
    project, uri = _project(tmp_path, text)
    line, character = line_of(text, "occupancy(voice)")
    hover = features.hover(project, uri, types.Position(line, character + 3))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**occupancy** · figure of `assert` · operational layer" in hover.contents.value
    assert "Value: percentage; computed by sizing" in hover.contents.value
    # The argument is still the channel's occurrence.
    hover = features.hover(project, uri, types.Position(line, character + 11))
    assert hover is not None and "**channel** `voice`" in str(hover.contents)


def test_hover_and_completion_survive_a_syntax_error(tmp_path: Path) -> None:
    text = CLEAN.replace("  hours mon..fri", "  shrinkage = ;\n  hours mon..fri")
    project, uri = _project(tmp_path, text)
    codes = [d.code for d in project.stored_diagnostics(uri)]
    assert codes and all(str(code).startswith("CXB01") for code in codes)  # syntax errors
    line, character = line_of(text, "voice 100%")
    hover = features.hover(project, uri, types.Position(line, character))
    assert hover is not None and "**channel** `voice`" in str(hover.contents)


@pytest.mark.parametrize(
    ("before", "expected", "absent"),
    [
        ("channel c {\n  ", "shrinkage", "segments"),
        ("channel c { intraday ", "std.voice_weekday", "premier"),
        ("channel c { intraday std.voice_weekday ", "on", "premier"),
        ("channel c { target 80% within 20 s ", "answered", "premier"),
        ("channel c { kind ", "voice", "premier"),
        ("service s2 { segments premier, ", "mass", "voice"),
        ("process q { mix { ", "voice", "premier"),
        ("", "channel", "shrinkage"),
        ("channel c2 extends ", "std.chat", "premier"),
        ("use ", "std/channels", "voice"),
        ("use std/", "std/patterns", "voice"),
        ('brand b2 { promise q "x" {\n    ', "target", "shrinkage"),
        ("assert fte(", "voice", "premier"),
        ("assert fte(vo", "total", "occupancy"),
        ("assert seats(", "total", "voice"),
        ("assert npv(", "option", "voice"),
        ("assert npv(option ", "cloud", "total"),
        ("assert capex(", "year", "voice"),
        ("assert maturity(", "current", "voice"),
        ("assert occupancy(voice) <= 85% and ", "payback", "year"),
        ("", "risk", "likelihood"),
        ("channel c {\n  ", "label", "likelihood"),
        ("risk r {\n  ", "likelihood", "shrinkage"),
        ("risk r {\n  ", "label", "shrinkage"),
        ("risk r { impact ", "medium", "premier"),
        ("risk r { threatens ", "acd", "high"),
        ('blueprint "x" {\n  ', "locale", "likelihood"),
        ('blueprint "x" { units ', "metric", "voice"),
    ],
)
def test_completion_by_context(tmp_path: Path, before: str, expected: str, absent: str) -> None:
    project, uri = _project(tmp_path, CLEAN)
    text = CLEAN + before
    project.change(uri, text, 2)
    end = SourceFile("x", text)
    position = position_at(end, len(text))
    labels = [item.label for item in features.completion(project, uri, position).items]
    assert expected in labels
    assert absent not in labels
    item = next(item for item in features.completion(project, uri, position).items)
    assert isinstance(item.text_edit, types.TextEdit)
    typed = len(before) - len(before.rstrip("abcdefghijklmnopqrstuvwxyz_./"))
    assert item.text_edit.range.start.character == position.character - typed


def test_cursor_context() -> None:
    text = 'channel a { hours mon, // c {\n  sat "x{" ; patie'
    cursor = cursor_at(text, len(text))
    assert cursor.blocks == ("channel",)
    assert cursor.prefix == "patie"
    assert cursor.at_statement_start
    assert cursor_at('x { description "ab', 19).in_text_or_comment
    assert value_index("target voice 80% within ") == (0, 3)
    assert value_index("hours mon..fri 08:00-20:00, ") == (1, 0)
