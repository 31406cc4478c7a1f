"""Docs are part of the feature: generated references are current, every construct is
documented and every documented example is valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprintc.diagnostics import CODES
from blueprintc.diagnostics.reference import render_reference as diagnostics_reference
from blueprintc.driver import compile
from blueprintc.semantic import schema
from blueprintc.semantic.reference import render_reference as language_reference

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HEADER = 'blueprint "T" { currency USD; exchange EUR 1.08; start 2027-01; horizon 3 years }\n'


def test_diagnostics_page_is_current() -> None:
    committed = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    assert committed == diagnostics_reference(), (
        "regenerate: python -m blueprintc.diagnostics.reference > docs/diagnostics.md"
    )


def test_every_code_is_on_the_diagnostics_page() -> None:
    page = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    for code in CODES.values():
        assert f"### {code.id} `{code.name}`" in page


def test_language_reference_is_current() -> None:
    page = (DOCS / "language.md").read_text(encoding="utf-8")
    assert language_reference() in page, (
        "regenerate: python -m blueprintc.semantic.reference docs/language.md"
    )


def test_every_declaration_and_field_is_documented() -> None:
    page = (DOCS / "language.md").read_text(encoding="utf-8")
    for spec in schema.DECLARATIONS.values():
        assert f"`{spec.kind}`" in page
        for field in spec.block.fields:
            assert f"`{field.name}`" in page


@pytest.mark.parametrize("kind", sorted(schema.DECLARATIONS))
def test_declaration_example_has_valid_syntax_fields_and_units(kind: str) -> None:
    """Each declaration's example, and each field example inside it, is well-formed:
    no syntax, field, unit or range error (names it refers to may be undeclared)."""
    spec = schema.DECLARATIONS[kind]
    texts = [spec.example]
    name = "" if not spec.named else " sample"
    title = ' "T"' if spec.title_text else ""
    for field in spec.block.fields:
        texts.append(f"{kind}{name}{title} {{\n  {field.example}\n}}\n")
    # A field example leaves the other fields out: required ones, and recommended ones.
    missing = {"CXB0403", *(f.recommended.id for f in spec.block.fields if f.recommended)}
    for text in texts:
        source = text if kind == "blueprint" else HEADER + text
        result = compile(source)
        bad = [
            f"{d.code.id} {d.message}"
            for d in result.diagnostics
            if d.code.id[:5] in ("CXB01", "CXB04") and d.code.id not in missing
        ]
        assert not bad, (text, bad)


def test_every_document_is_described_in_the_documents_page() -> None:
    from blueprintc.documents import DOCUMENTS

    page = (DOCS / "documents.md").read_text(encoding="utf-8")
    for document in DOCUMENTS:
        assert f"## {document.number}. {document.title}" in page
        assert f"`{document.name}`" in page
