"""Semantic tokens and rename, end to end over stdio, and a module opened on its own."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pygls.exceptions import JsonRpcException  # noqa: E402
from pytest_lsp import LanguageClient  # noqa: E402

from blueprintc.documents.dump import _model_value  # noqa: E402
from blueprintc.driver import compile  # noqa: E402
from blueprintc.lsp.tokens import LEGEND  # noqa: E402
from blueprintc.render.graph_formats import json_document  # noqa: E402
from tests.lsp.test_lsp import (  # noqa: E402
    SERVER,
    _initialize_params,
    change_document,
    line_of,
    open_document,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]

# Non-BMP characters (two UTF-16 code units each) stand before tokens on the same line.
TOKENS_TEXT = """\
blueprint "T😀" { currency USD; start 2027-01; horizon 3 years }
use std/channels
/* 😀 a comment
   over two lines */
segment all { share 100%; value high; strategy retain; intensity simple }
channel voice extends std.voice { description "😀😀"; shrinkage 35% }
assert occupancy(voice) <= 85%
"""
EXPECTED_TOKENS = [
    (0, "blueprint", "keyword", []),
    (0, '"T😀"', "string", []),
    (0, "currency", "property", []),
    (0, "USD", "type", []),
    (0, "start", "property", []),
    (0, "2027-01", "number", []),
    (0, "horizon", "property", []),
    (0, "3", "number", []),
    (0, "years", "type", []),
    (1, "use", "keyword", []),
    (1, "std/channels", "namespace", []),
    (2, "/* 😀 a comment", "comment", []),
    (3, "   over two lines */", "comment", []),
    (4, "segment", "keyword", []),
    (4, "all", "enum", ["declaration"]),
    (4, "share", "property", []),
    (4, "100", "number", []),
    (4, "%", "type", []),
    (4, "value", "property", []),
    (4, "high", "enumMember", []),
    (4, "strategy", "property", []),
    (4, "retain", "enumMember", []),
    (4, "intensity", "property", []),
    (4, "simple", "enumMember", []),
    (5, "channel", "keyword", []),
    (5, "voice", "event", ["declaration"]),
    (5, "extends", "keyword", []),
    (5, "std", "namespace", []),
    (5, "voice", "event", ["defaultLibrary"]),
    (5, "description", "property", []),
    (5, '"😀😀"', "string", []),
    (5, "shrinkage", "property", []),
    (5, "35", "number", []),
    (5, "%", "type", []),
    (6, "assert", "keyword", []),
    (6, "occupancy", "function", ["defaultLibrary"]),
    (6, "voice", "event", []),
    (6, "<=", "operator", []),
    (6, "85", "number", []),
    (6, "%", "type", []),
]

RFP = """\
requirement cloud_acd {
  category technical
  priority must
  text "The ACD runs in the cloud"
  acceptance "The SLA says so"
  traces router, voice
}
criterion price { weight 100% }
vendor skyline { bids router; score { price 4 }; price 2.9M USD }
"""
MAIN = """\
blueprint "T" { currency USD; start 2027-01; horizon 3 years }
use std/channels
use "./rfp.cxb"
brand b { promise quick "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers quick; segments all }
process p { service s; volume 5_000/month; mix { voice 100% }; aht { voice 4.5 min } }
channel voice extends std.voice { hours mon..fri 08:00-18:00 }
component router { kind acd; supports voice }
component wfm { kind wfm; supports voice }
staffing { loaded_cost 38 USD/h; paid_hours 37.5 h/week }
"""


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    result = await lsp_client.initialize_session(_initialize_params(tmp_path))
    provider = result.capabilities.semantic_tokens_provider
    assert isinstance(provider, types.SemanticTokensOptions)
    assert provider.full and provider.range
    assert list(provider.legend.token_types) == LEGEND.token_types
    assert list(provider.legend.token_modifiers) == LEGEND.token_modifiers
    rename_provider = result.capabilities.rename_provider
    assert isinstance(rename_provider, types.RenameOptions) and rename_provider.prepare_provider
    yield
    await lsp_client.shutdown_session()


def _decode(
    data: list[int], text: str, legend: types.SemanticTokensLegend
) -> list[tuple[int, str, str, list[str]]]:
    """The tokens as (line, text, type, modifiers), the text cut by UTF-16 code units."""
    lines = text.split("\n")
    out = []
    line = character = 0
    for i in range(0, len(data), 5):
        delta_line, delta_char, length, kind, modifiers = data[i : i + 5]
        line += delta_line
        character = delta_char if delta_line else character + delta_char
        units = lines[line].encode("utf-16-le")
        assert character + length <= len(units) // 2, (line, character, length)
        word = units[2 * character : 2 * (character + length)].decode("utf-16-le")
        names = [m for b, m in enumerate(legend.token_modifiers) if modifiers & (1 << b)]
        out.append((line, word, legend.token_types[kind], names))
    return out


@pytest.mark.asyncio
async def test_semantic_tokens(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "tokens.cxb"
    path.write_text(TOKENS_TEXT, encoding="utf-8")
    uri = path.as_uri()
    open_document(client, uri, TOKENS_TEXT)
    await wait_for(client, uri, lambda ds: True)
    legend = LEGEND  # what the server announced (checked by the fixture)
    doc = types.TextDocumentIdentifier(uri)

    full = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(doc))
    assert full is not None
    assert _decode(full.data, TOKENS_TEXT, legend) == EXPECTED_TOKENS
    # `shrinkage` stands after two emoji: its character counts UTF-16 code units.
    line_text = TOKENS_TEXT.splitlines()[5]
    line, code_points = line_of(TOKENS_TEXT, "shrinkage")
    assert line == 5
    expected_character = len(line_text[:code_points].encode("utf-16-le")) // 2
    assert expected_character == code_points + 2
    starts, character, row = [], 0, 0
    for i in range(0, len(full.data), 5):
        row += full.data[i]
        character = full.data[i + 1] if full.data[i] else character + full.data[i + 1]
        starts.append((row, character))
    assert (5, expected_character) in starts

    window = types.Range(types.Position(3, 0), types.Position(5, 0))
    ranged = await client.text_document_semantic_tokens_range_async(
        types.SemanticTokensRangeParams(doc, window)
    )
    assert ranged is not None
    decoded = _decode(ranged.data, TOKENS_TEXT, legend)
    # The comment's second line lies in the range: the whole comment is sent, then line 4.
    assert decoded == [t for t in EXPECTED_TOKENS if t[0] in (2, 3, 4)]


@pytest.mark.asyncio
async def test_rename_across_two_files(client: LanguageClient, tmp_path: Path) -> None:
    main, rfp = tmp_path / "main.cxb", tmp_path / "rfp.cxb"
    main.write_text(MAIN, encoding="utf-8")
    rfp.write_text(RFP, encoding="utf-8")
    before = compile(main, until="validate")
    assert before.ok, before.diagnostics
    uri = rfp.as_uri()
    open_document(client, uri, RFP)
    await wait_for(client, uri, lambda ds: not ds)
    doc = types.TextDocumentIdentifier(uri)
    line, character = line_of(RFP, "router, voice")

    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(doc, types.Position(line, character + 2))
    )
    assert isinstance(prepared, types.PrepareRenamePlaceholder)
    assert prepared.placeholder == "router"
    assert prepared.range == types.Range(
        types.Position(line, character), types.Position(line, character + len("router"))
    )

    edit = await client.text_document_rename_async(
        types.RenameParams(doc, types.Position(line, character + 2), "switchboard")
    )
    assert edit is not None and edit.changes is not None
    assert set(edit.changes) == {main.as_uri(), uri}
    assert [len(edit.changes[u]) for u in (main.as_uri(), uri)] == [1, 2]
    for path in (main, rfp):
        path.write_text(_apply(path.read_text(), edit.changes[path.as_uri()]), encoding="utf-8")
    assert "component switchboard { kind acd" in main.read_text()
    after = compile(main, until="validate")
    assert after.ok, after.diagnostics
    assert _renamed(_model(before), "router", "switchboard") == _model(after)

    # Refused: standard-library names, keywords, fields, bad or colliding names.
    line, character = line_of(MAIN, "std.voice")
    main_doc = types.TextDocumentIdentifier(main.as_uri())
    change_document(client, uri, 2, rfp.read_text())
    open_document(client, main.as_uri(), main.read_text())
    await wait_for(client, main.as_uri(), lambda ds: not ds)
    with pytest.raises(JsonRpcException, match="standard library"):
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(main_doc, types.Position(line, character + 5))
        )
    line, _ = line_of(main.read_text(), "channel voice")
    assert (
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(main_doc, types.Position(line, 2))
        )
        is None
    )
    line, character = line_of(main.read_text(), "switchboard {")
    position = types.Position(line, character + 1)
    for new_name, reason in [
        ("wfm", "already exists"),
        ("9lives", "not a name"),
        ("use", "keyword"),
        ("voice", "would change what some names refer to"),
    ]:
        with pytest.raises(JsonRpcException, match=reason) as refused:
            await client.text_document_rename_async(
                types.RenameParams(main_doc, position, new_name)
            )
        assert refused.value.code == -32803


@pytest.mark.asyncio
async def test_the_example_module_opened_alone(client: LanguageClient, tmp_path: Path) -> None:
    path = ROOT / "examples" / "northwind" / "rfp.cxb"
    uri = path.as_uri()
    open_document(client, uri, path.read_text(encoding="utf-8"))
    found = await wait_for(client, uri, lambda ds: True)
    assert found == []
    line, character = line_of(path.read_text(encoding="utf-8"), "traces acd")
    locations = await client.text_document_definition_async(
        types.DefinitionParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character + 8)
        )
    )
    assert isinstance(locations, list) and locations
    assert isinstance(locations[0], types.Location)
    assert locations[0].uri.endswith("examples/northwind_bank.cxb")


@pytest.mark.asyncio
async def test_a_lone_module_gets_one_diagnostic(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    path = tmp_path / "rfp.cxb"
    path.write_text(RFP, encoding="utf-8")
    uri = path.as_uri()
    open_document(client, uri, RFP)
    found = await wait_for(client, uri, lambda ds: bool(ds))
    assert [(d.code, d.range.start) for d in found] == [("CXB0210", types.Position(0, 0))]


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[::-1]:
        start, end = edit.range.start, edit.range.end
        assert start.line == end.line
        row = lines[start.line]
        lines[start.line] = row[: start.character] + edit.new_text + row[end.character :]
    return "\n".join(lines)


def _model(compilation: object) -> str:
    model = getattr(compilation, "model", None)
    graph = getattr(compilation, "graph", None)
    assert model is not None and graph is not None
    elements = {ref.key: _model_value(element) for ref, element in model.elements.items()}
    return json.dumps([elements, json_document(graph)], sort_keys=True, default=str)


def _renamed(dumped: str, old: str, new: str) -> str:
    return re.sub(rf"\b{old}\b", new, dumped)
