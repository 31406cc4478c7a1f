"""The JSON of a build: one file per document (its view) and ``blueprint.json`` with all.

Schema ``blueprintc.documents`` version 1: exact decimals as strings (money to the cent),
measured floats rounded to 6 places, source lines as ``file:line``; documented in
docs/documents.md. Keys keep the views' field order, so diffs stay small.
"""

from __future__ import annotations

import functools
import json
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from blueprintc.documents.catalog import Document
from blueprintc.documents.context import Context
from blueprintc.documents.values import AS_IS, json_value
from blueprintc.model import elements as m

SCHEMA = "blueprintc.documents"
VERSION = 1


def _encode(data: Any, parts: Mapping[str, str] | None = None) -> bytes:
    """``data`` as indented JSON; each placeholder string of ``parts`` (see ``_part``)
    replaced by its JSON text, indented to where it stands (what encoding the part in
    place would give: JSON text holds no line break but between its tokens)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    for placeholder, part in (parts or {}).items():
        quoted = json.dumps(placeholder)
        at = text.index(quoted)
        line = text[text.rfind("\n", 0, at) + 1 : at]
        depth = len(line) - len(line.lstrip(" "))
        text = text[:at] + part.replace("\n", "\n" + " " * depth) + text[at + len(quoted) :]
    return (text + "\n").encode()


def _part(name: str, nonce: str) -> str:
    """A placeholder for a document's view in an encoding (no view holds it)."""
    return f"\x00{nonce}:{name}\x00"


def json_files(
    ctx: Context, documents: Sequence[Document], views: Mapping[str, Any], meta: Any
) -> dict[str, bytes]:
    return encoded_files(titles(documents), views, json_value(meta), model_json(ctx))


def titles(documents: Sequence[Document]) -> tuple[tuple[str, str, str], ...]:
    """Each document's name, file stem and title: what ``encoded_files`` reads of it."""
    return tuple((d.name, d.stem, d.title) for d in documents)


def encoded_files(
    documents: Sequence[tuple[str, str, str]], views: Mapping[str, Any], meta: Any, model: Any
) -> dict[str, bytes]:
    """``json_files`` from the documents' ``titles`` and the JSON of the meta and the
    model: a function of values that pickle, so a drawing worker can write the files
    while the build goes on."""
    head = {"schema": SCHEMA, "version": VERSION, "meta": meta}
    files: dict[str, bytes] = {}
    nonce = secrets.token_hex(8)
    encoded: dict[str, str] = {}  # each view encoded once, for its file and blueprint.json
    for name, stem, title in documents:
        placeholder = _part(name, nonce)
        encoded[placeholder] = json.dumps(json_value(views[name]), indent=2, ensure_ascii=False)
        files[f"json/{stem}.json"] = _encode(
            {**head, "document": name, "title": title, "view": placeholder},
            {placeholder: encoded[placeholder]},
        )
    everything = {name: _part(name, nonce) for name, _, _ in documents}
    files["json/blueprint.json"] = _encode(
        {**head, "model": model, "documents": everything}, encoded
    )
    return files


_SKIPPED = {
    "span", "origins", "role_origins", "allows", "library", "expr", "unbound",
    "missing_requires", "lines", "repeated",
}  # fmt: skip


def _model_value(value: Any) -> Any:
    kind: type = type(value)
    if kind in AS_IS:
        return value
    names = _model_fields(kind)
    if names is not None:
        return {name: _model_value(getattr(value, name)) for name in names}
    if isinstance(value, m.Ref):
        return value.key
    if isinstance(value, Mapping):
        return {_key(k): _model_value(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_model_value(v) for v in value]
    return json_value(value)


@functools.cache
def _model_fields(kind: type) -> tuple[str, ...] | None:
    """The keys of an attrs class's object in the model's JSON, None for another type."""
    if issubclass(kind, m.Ref) or not attrs.has(kind):
        return None
    return tuple(f.name for f in attrs.fields(kind) if f.name not in _SKIPPED)


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
