"""The two editions: the review set keeps its sources; the client set carries none of them."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from blueprintc.cli import main
from blueprintc.documents.build import BuildResult, build_documents
from blueprintc.documents.catalog import EDITIONS, Edition
from blueprintc.driver import Compilation, compile

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [
    ROOT / "examples" / "northwind_bank.cxb",
    ROOT / "examples" / "harbor_insurance.cxb",
    ROOT / "examples" / "thornvale_water.cxb",
]

# What only the review edition may show: blueprint file positions, pointers to the tool's
# documentation, the tool's name, diagnostic codes, source pages.
INTERNAL = {
    "a blueprint line": re.compile(r"\.cxb(:\d+)?\b"),
    "a pointer to the tool's documentation": re.compile(r"\bdocs/[a-z-]+\.md"),
    "the tool's name": re.compile(r"blueprintc", re.IGNORECASE),
    "a Source column": re.compile(r"\| Source \||<th[^>]*>Source</th>"),
}


def _texts(result: BuildResult) -> dict[str, str]:
    return {
        name: data.decode()
        for name, data in result.files.items()
        if name.endswith((".md", ".html"))
    }


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def compiled(request: pytest.FixtureRequest) -> Compilation:
    compilation = compile(request.param)
    assert compilation.ok
    return compilation


@pytest.fixture(scope="module")
def editions(compiled: Compilation) -> dict[Edition, BuildResult]:
    return {
        edition: build_documents(compiled, formats=("md", "html"), edition=edition)
        for edition in Edition
    }


def test_the_client_edition_shows_nothing_internal(editions: dict[Edition, BuildResult]) -> None:
    found = [
        f"{name}: {what} ({match.group(0)!r})"
        for name, text in _texts(editions[Edition.CLIENT]).items()
        for what, pattern in INTERNAL.items()
        for match in [pattern.search(text)]
        if match
    ]
    assert found == []


def test_the_review_edition_keeps_its_sources(editions: dict[Edition, BuildResult]) -> None:
    texts = _texts(editions[Edition.REVIEW])
    # Each kind of internal reference is there in review, so the client test above is not
    # passing because the pattern can never match.
    for what, pattern in INTERNAL.items():
        assert any(pattern.search(text) for text in texts.values()), what
    assert any(name.startswith("html/source/") for name in editions[Edition.REVIEW].files)


def test_the_client_edition_publishes_no_sources(editions: dict[Edition, BuildResult]) -> None:
    files = editions[Edition.CLIENT].files
    assert not [name for name in files if name.startswith("html/source/")]
    index = files["html/index.html"].decode()
    assert "#sources" not in index


def test_both_editions_hold_the_same_documents(editions: dict[Edition, BuildResult]) -> None:
    def documents(result: BuildResult) -> list[str]:
        return sorted(n for n in result.files if n.startswith("md/"))

    assert documents(editions[Edition.CLIENT]) == documents(editions[Edition.REVIEW])


def test_the_edition_is_recorded_in_the_json(compiled: Compilation) -> None:
    import json

    result = build_documents(compiled, formats=("json",), edition=Edition.CLIENT)
    data = json.loads(result.files["json/blueprint.json"])
    assert data["meta"]["edition"] == "client"


def test_the_command_line_offers_every_edition(tmp_path: Path) -> None:
    from blueprintc.cli import _parser

    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    edition = next(a for a in commands.choices["build"]._actions if "--edition" in a.option_strings)
    assert tuple(edition.choices or ()) == EDITIONS
    out = tmp_path / "client"
    assert main(["build", str(EXAMPLES[1]), "-o", str(out), "--edition", "client"]) == 0
    assert not (out / "html" / "source").exists()
    assert "blueprintc" not in (out / "md" / "01-business-design.md").read_text()
