"""Fuzzed inputs: the skeleton with fields replaced by extreme values, and mutated examples.

Both work on blueprints in the canonical layout (``blueprintc fmt``): a top-level
declaration starts in column 0 and its block ends with a ``}`` alone in column 0; each of
its fields is one line (a field with a block of its own may span several).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import attrs
from hypothesis import strategies as st

from blueprintc.semantic.schema import DECLARATIONS, SUB_DECLARATIONS, FieldSpec
from tests.fuzz.guard import Job
from tests.fuzz.values import EXTREME_NUMBERS, Names, statement

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SKELETON_PATH = HERE / "skeleton.cxb"
SKELETON = SKELETON_PATH.read_text(encoding="utf-8")
EXAMPLE_PATH = ROOT / "examples" / "northwind_bank.cxb"
MODULE_PATH = ROOT / "examples" / "northwind" / "rfp.cxb"
EXAMPLE = EXAMPLE_PATH.read_text(encoding="utf-8")
MODULE = MODULE_PATH.read_text(encoding="utf-8")

_HEADER = re.compile(r"^([a-z_]+)\b(?:\s+([A-Za-z_]\w*))?")
_FIELD = re.compile(r"^\s+([a-z_]+)\b")
TOKEN = re.compile(
    r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|[A-Za-z_][\w.]*|[0-9][0-9_]*(?:\.[0-9_]+)?[kMB]?|\.\.|\S'
)
NUMBER = re.compile(r"[0-9][0-9_]*(?:\.[0-9_]+)?[kMB]?")


@attrs.frozen
class Decl:
    """A top-level declaration: its kind, name and lines ``[first, last]`` (0-based)."""

    kind: str
    name: str | None
    first: int
    last: int


def declarations(text: str) -> list[Decl]:
    """The top-level declarations of a blueprint in the canonical layout."""
    lines = text.split("\n")
    found: list[Decl] = []
    index = 0
    while index < len(lines):
        match = _HEADER.match(lines[index])
        if match is None or match.group(1) not in DECLARATIONS:
            index += 1
            continue
        last = index
        if lines[index].rstrip().endswith("{"):
            while last + 1 < len(lines) and lines[last] != "}":
                last += 1
        name = match.group(2) if DECLARATIONS[match.group(1)].named else None
        found.append(Decl(match.group(1), name, index, last))
        index = last + 1
    return found


def declared_names(*texts: str) -> dict[str, list[str]]:
    """The names declared in blueprints, per kind (promises and values too)."""
    names: dict[str, list[str]] = {}
    for text in texts:
        lines = text.split("\n")
        for decl in declarations(text):
            if decl.name:
                names.setdefault(decl.kind, []).append(decl.name)
            for line in lines[decl.first + 1 : decl.last]:
                words = line.split()
                if len(words) > 1 and SUB_DECLARATIONS.get(words[0]) == decl.kind:
                    names.setdefault(words[0], []).append(words[1])
    return names


SKELETON_NAMES = declared_names(SKELETON)
EXAMPLE_NAMES = declared_names(EXAMPLE, MODULE)


# -- the skeleton with fields replaced --------------------------------------------------


@attrs.frozen
class Edit:
    """Replace (or, for a repeatable field, add) one field of one declaration."""

    kind: str
    which: int
    field: str
    statement: str
    add: bool

    def describe(self) -> str:
        text = self.statement if len(self.statement) <= 120 else self.statement[:120] + "..."
        return f"{self.kind}[{self.which}] {'+' if self.add else '='} {text}"


def _fields(kind: str) -> Sequence[FieldSpec]:
    return DECLARATIONS[kind].block.fields


def edits(names: Names, kinds: Sequence[str] = ()) -> st.SearchStrategy[Edit]:
    """One edit of any field of a declaration of ``kinds`` (default: every kind)."""

    def for_kind(kind: str) -> st.SearchStrategy[Edit]:
        def for_field(field: FieldSpec) -> st.SearchStrategy[Edit]:
            return st.builds(
                Edit,
                st.just(kind),
                st.integers(0, 3),
                st.just(field.name),
                statement(field, names),
                st.booleans() if field.repeat else st.just(False),
            )

        return st.sampled_from(_fields(kind)).flatmap(for_field)

    return st.sampled_from(sorted(kinds or DECLARATIONS)).flatmap(for_kind)


def apply_edit(text: str, edit: Edit) -> str:
    """The blueprint with ``edit`` applied; a kind it lacks gets a new declaration."""
    lines = text.split("\n")
    matching = [d for d in declarations(text) if d.kind == edit.kind]
    if not matching:
        spec = DECLARATIONS[edit.kind]
        header = f"{edit.kind} fuzz_{edit.kind}" if spec.named else edit.kind
        return f"{text.rstrip()}\n\n{header} {{\n  {edit.statement}\n}}\n"
    decl = matching[edit.which % len(matching)]
    body = lines[decl.first + 1 : decl.last]
    if not edit.add:
        body = [line for line in body if _field_name(line) != edit.field]
    indented = "\n".join("  " + line for line in edit.statement.split("\n"))
    if decl.first == decl.last:  # a one-line declaration: `criterion fit { weight 60% }`
        head, _, rest = lines[decl.first].partition("{")
        inner = rest.rsplit("}", 1)[0].strip()
        kept = [] if not inner or _field_name("  " + inner) == edit.field else ["  " + inner]
        block = [head.rstrip() + " {", *kept, indented, "}"]
        return "\n".join([*lines[: decl.first], *block, *lines[decl.last + 1 :]])
    return "\n".join([*lines[: decl.first + 1], *body, indented, *lines[decl.last :]])


def _field_name(line: str) -> str | None:
    match = _FIELD.match(line)
    return match.group(1) if match else None


@st.composite
def skeleton_cases(draw: st.DrawFn) -> Job:
    """The skeleton with one to three fields replaced by well-typed extreme values."""
    chosen = draw(st.lists(edits(SKELETON_NAMES), min_size=1, max_size=3))
    text = SKELETON
    for edit in chosen:
        text = apply_edit(text, edit)
    label = "skeleton with " + "; ".join(edit.describe() for edit in chosen)
    return Job(text, SKELETON_PATH, ROOT, label=label, base=SKELETON)


# -- mutated examples ---------------------------------------------------------------------


def _tokens(text: str) -> list[re.Match[str]]:
    return list(TOKEN.finditer(text))


def _replace(text: str, match: re.Match[str], new: str) -> str:
    return text[: match.start()] + new + text[match.end() :]


@st.composite
def _mutate(draw: st.DrawFn, text: str) -> tuple[str, str]:
    """One mutation of ``text`` and its description."""
    operation = draw(
        st.sampled_from(("swap", "number", "token", "delete", "line", "copy", "drop", "field"))
    )
    tokens = _tokens(text)
    lines = text.split("\n")
    decls = declarations(text)
    if operation in ("copy", "drop") and decls:
        decl = draw(st.sampled_from(decls))
        what = f"{operation} {decl.kind} {decl.name or ''}".strip()
        return _copy_or_drop(lines, decl, operation), what
    if operation == "field" and decls:
        edit = draw(edits(EXAMPLE_NAMES, sorted({d.kind for d in decls})))
        return apply_edit(text, edit), edit.describe()
    if operation == "line":
        index = draw(st.integers(0, len(lines) - 1))
        return "\n".join(lines[:index] + lines[index + 1 :]), f"delete line {index + 1}"
    first = draw(st.integers(0, len(tokens) - 1))
    token = tokens[first]
    if operation == "number":
        numbers = [t for t in tokens if NUMBER.fullmatch(t.group())]
        token = draw(st.sampled_from(numbers)) if numbers else token
        new = draw(st.sampled_from(("", "-"))) + draw(st.sampled_from(EXTREME_NUMBERS))
        return _replace(text, token, new), f"number {token.group()!r} -> {new[:40]!r}"
    if operation == "token":
        new = draw(st.sampled_from(tokens)).group()
        return _replace(text, token, new), f"token {token.group()!r} -> {new!r}"
    if operation == "delete":
        return _replace(text, token, ""), f"delete {token.group()!r}"
    other = tokens[draw(st.integers(0, len(tokens) - 1))]
    a, b = sorted((token, other), key=lambda m: m.start())
    if a.start() == b.start():
        return text, "swap nothing"
    swapped = text[: a.start()] + b.group() + text[a.end() : b.start()] + a.group()
    return swapped + text[b.end() :], f"swap {a.group()!r} and {b.group()!r}"


def _copy_or_drop(lines: list[str], decl: Decl, operation: str) -> str:
    block = lines[decl.first : decl.last + 1]
    middle = block * 2 if operation == "copy" else []
    return "\n".join(lines[: decl.first] + middle + lines[decl.last + 1 :])


@st.composite
def mutated_examples(draw: st.DrawFn) -> Job:
    """The bundled example (or its module) with one to four mutations."""
    in_module = draw(st.integers(0, 4)) == 0
    text = MODULE if in_module else EXAMPLE
    done: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        text, what = draw(_mutate(text))
        done.append(what)
    label = f"{'module' if in_module else 'example'} mutated: " + "; ".join(done)
    if in_module:
        return Job(EXAMPLE, EXAMPLE_PATH, ROOT, {str(MODULE_PATH): text}, label)
    return Job(text, EXAMPLE_PATH, ROOT, label=label, base=EXAMPLE)
