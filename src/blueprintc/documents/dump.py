"""The JSON of a build: one file per document (its view) and ``blueprint.json`` with all.

Schema ``blueprintc.documents`` version 1: exact decimals as strings (money to the cent),
measured floats rounded to 6 places, source lines as ``file:line``; documented in
docs/documents.md. Keys keep the views' field order, so diffs stay small.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from blueprintc.documents.catalog import Document
from blueprintc.documents.context import Context
from blueprintc.documents.values import json_value
from blueprintc.model import elements as m

SCHEMA = "blueprintc.documents"
VERSION = 1


def _encode(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def json_files(
    ctx: Context, documents: Sequence[Document], views: Mapping[str, Any], meta: Any
) -> dict[str, bytes]:
    head = {"schema": SCHEMA, "version": VERSION, "meta": json_value(meta)}
    files: dict[str, bytes] = {}
    everything: dict[str, Any] = {}
    for document in documents:
        body = json_value(views[document.name])
        everything[document.name] = body
        files[f"json/{document.stem}.json"] = _encode(
            {**head, "document": document.name, "title": document.title, "view": body}
        )
    model = model_json(ctx)
    files["json/blueprint.json"] = _encode({**head, "model": model, "documents": everything})
    return files


_SKIPPED = {
    "span", "origins", "role_origins", "allows", "library", "expr", "unbound",
    "missing_requires", "lines", "repeated",
}  # fmt: skip


def _model_value(value: Any) -> Any:
    if isinstance(value, m.Ref):
        return value.key
    if attrs.has(type(value)):
        return {
            f.name: _model_value(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if f.name not in _SKIPPED
        }
    if isinstance(value, Mapping):
        return {_key(k): _model_value(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_model_value(v) for v in value]
    return json_value(value)


def _key(key: Any) -> str:
    return key.key if isinstance(key, m.Ref) else str(key)


def model_json(ctx: Context) -> dict[str, Any]:
    """The resolved model: every element of the blueprint (not the standard library's
    templates) in canonical units (per hour, seconds, shares), with its source line."""
    elements = []
    for element in ctx.model:
        if element.library:
            continue
        body = {"kind": element.kind, "layer": element.layer, "where": ctx.where(element)}
        body.update(_model_value(element))
        elements.append(json_value(body))
    assertions = [
        {
            "text": assertion.span.text,
            "holds": ctx.assertions.get(assertion.name),
            "where": json_value(ctx.where(assertion)),
        }
        for assertion in ctx.model.assertions
    ]
    return {
        "blueprint": _model_value(ctx.model.blueprint),
        "elements": elements,
        "assertions": assertions,
    }
