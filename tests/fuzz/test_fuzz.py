"""Fuzz the whole compiler (through sizing, planning and the assertions): schema-driven
extreme values in an otherwise valid blueprint, and mutations of the bundled example.

Every input must give a result or located diagnostics with registered codes, never an
exception or an internal error (CXB0901), within 10 s of processor time and 1 GiB.
``BLUEPRINTC_FUZZ=long`` runs the same tests for ``BLUEPRINTC_FUZZ_MINUTES`` (see
docs/testing.md).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from blueprintc.semantic.schema import DECLARATIONS, BlockSpec, FieldSpec
from tests.fuzz.cases import (
    EXAMPLE_PATH,
    ROOT,
    SKELETON,
    SKELETON_NAMES,
    SKELETON_PATH,
    declarations,
    mutated_examples,
    skeleton_cases,
)
from tests.fuzz.checks import check
from tests.fuzz.guard import Guard, Job
from tests.fuzz.profiles import fuzz, is_long
from tests.fuzz.values import statement


def _all_fields(block: BlockSpec) -> list[FieldSpec]:
    found: list[FieldSpec] = []
    for field in block.fields:
        found.append(field)
        if field.block is not None:
            found += _all_fields(field.block)
    return found


EVERY_FIELD = [
    (kind, field) for kind, spec in DECLARATIONS.items() for field in _all_fields(spec.block)
]


def test_skeleton_compiles_cleanly_through_every_stage(guard: Guard) -> None:
    outcome = check(guard, Job(SKELETON, SKELETON_PATH, ROOT, label="the skeleton"))
    assert outcome.ok
    assert outcome.diagnostics == ()


def test_skeleton_declares_every_kind_of_the_schema() -> None:
    present = {decl.kind for decl in declarations(SKELETON)}
    assert present == set(DECLARATIONS), "add a declaration of each new kind to skeleton.cxb"


@settings(max_examples=3, deadline=None)
@given(st.data())
def test_every_field_of_the_schema_yields_statements(data: st.DataObject) -> None:
    for kind, field in EVERY_FIELD:
        text = data.draw(statement(field, SKELETON_NAMES), label=f"{kind}.{field.name}")
        assert text.split()[0] == field.name


def test_fuzzed_fields_never_break_the_compiler(guard: Guard) -> None:
    counts = fuzz(skeleton_cases(), lambda job: check(guard, job), share=0.5, examples=200)
    assert counts["inputs"] >= (200 if not is_long() else 1)
    print(f"schema fuzz: {counts['inputs']} inputs in {counts['rounds']} rounds, no finding")


def test_mutated_examples_never_break_the_compiler(guard: Guard) -> None:
    counts = fuzz(mutated_examples(), lambda job: check(guard, job), share=0.5, examples=50)
    assert counts["inputs"] >= 1
    print(f"mutation fuzz: {counts['inputs']} inputs in {counts['rounds']} rounds, no finding")


def test_example_compiles_cleanly_under_the_guard(guard: Guard) -> None:
    text = EXAMPLE_PATH.read_text(encoding="utf-8")
    outcome = check(guard, Job(text, EXAMPLE_PATH, ROOT, label="the example"))
    assert outcome.ok
