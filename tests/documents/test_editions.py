"""The two editions: the review set keeps its sources; the client set carries none of them."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from blueprintc.cli import main
from blueprintc.documents.catalog import EDITIONS, Edition
from tests.documents.conftest import EXAMPLES, built_example

Files = dict[str, bytes]

# What only the review edition may show: blueprint file positions, pointers to the tool's
# documentation, the tool's name, diagnostic codes (an alignment finding's), source pages.
INTERNAL = {
    "a blueprint line": re.compile(r"\.cxb(:\d+)?\b"),
    "a pointer to the tool's documentation": re.compile(r"\bdocs/[a-z-]+\.md"),
    "the tool's name": re.compile(r"blueprintc", re.IGNORECASE),
    "a Source column": re.compile(r"\| Source \||<th[^>]*>Source</th>"),
    "a diagnostic code": re.compile(r"\bCXB\d{4}\b"),
}


def _texts(files: Files) -> dict[str, str]:
    return {name: data.decode() for name, data in files.items() if name.endswith((".md", ".html"))}


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def editions(request: pytest.FixtureRequest) -> dict[Edition, Files]:
    return {edition: built_example(request.param, edition) for edition in Edition}


def test_the_client_edition_shows_nothing_internal(editions: dict[Edition, Files]) -> None:
    found = [
        f"{name}: {what} ({match.group(0)!r})"
        for name, text in _texts(editions[Edition.CLIENT]).items()
        for what, pattern in INTERNAL.items()
        for match in [pattern.search(text)]
        if match
    ]
    assert found == []


def test_the_review_edition_keeps_its_sources(editions: dict[Edition, Files]) -> None:
    texts = _texts(editions[Edition.REVIEW])
    # Each kind of internal reference is there in review, so the client test above is not
    # passing because the pattern can never match.
    for what, pattern in INTERNAL.items():
        assert any(pattern.search(text) for text in texts.values()), what
    assert any(name.startswith("html/source/") for name in editions[Edition.REVIEW])


def test_the_client_edition_publishes_no_sources(editions: dict[Edition, Files]) -> None:
    files = editions[Edition.CLIENT]
    assert not [name for name in files if name.startswith("html/source/")]
    index = files["html/index.html"].decode()
    assert "#sources" not in index


def test_both_editions_hold_the_same_documents(editions: dict[Edition, Files]) -> None:
    def documents(files: Files) -> list[str]:
        return sorted(n for n in files if n.startswith("md/"))

    assert documents(editions[Edition.CLIENT]) == documents(editions[Edition.REVIEW])


def test_the_edition_is_recorded_in_the_json(editions: dict[Edition, Files]) -> None:
    import json

    for edition, files in editions.items():
        assert json.loads(files["json/blueprint.json"])["meta"]["edition"] == edition.value


def test_the_command_line_offers_every_edition(tmp_path: Path) -> None:
    from blueprintc.cli import _parser

    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    edition = next(a for a in commands.choices["build"]._actions if "--edition" in a.option_strings)
    assert tuple(edition.choices or ()) == EDITIONS
    out = tmp_path / "client"
    source = EXAMPLES["harbor_insurance"]
    assert (
        main(["build", str(source), "-o", str(out), "--edition", "client", "--format", "md"]) == 0
    )
    assert not (out / "html" / "source").exists()
    assert "blueprintc" not in (out / "md" / "01-business-design.md").read_text()
