"""The build command's defaults agree with the document catalogue (the parser is built
without importing the documents, so the defaults are written out there)."""

from __future__ import annotations

import argparse

from blueprintc.cli import _parser
from blueprintc.documents.catalog import DEFAULT_FORMATS, FORMATS


def _build_option(name: str) -> argparse.Action:
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return next(a for a in commands.choices["build"]._actions if name in a.option_strings)


def test_the_default_formats_are_the_catalogue_s() -> None:
    assert _build_option("--format").default == ",".join(DEFAULT_FORMATS)
    assert "pdf" in FORMATS and "pdf" not in DEFAULT_FORMATS  # printed on request


def test_the_help_lists_every_format() -> None:
    help_text = _build_option("--format").help or ""
    assert ", ".join(FORMATS) in help_text
