"""Each template is rendered once for both targets: the texts are those of one rendering
per target, on every document of both examples, hostile text and a generated blueprint."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from blueprintc.documents.build import Meta, meta_of, render_document, render_targets
from blueprintc.documents.catalog import DOCUMENTS, Document
from blueprintc.documents.context import Context
from blueprintc.documents.environment import environment, make_environment, renders_once
from blueprintc.driver import Compilation, compile
from tests.bench.generate import generated_blueprint
from tests.documents.conftest import ROOT, compile_in
from tests.documents.test_escaping import hostile


def _check(compilation: Compilation) -> None:
    ctx = Context.of_compilation(compilation)
    meta = meta_of(ctx, None)
    env = environment()
    for document in DOCUMENTS:
        view = document.build(ctx)
        once = render_targets(env, ["md", "html"], document, view, meta)
        for target in ("md", "html"):
            assert once[target] == render_document(env, target, document, view, meta), (
                document.name,
                target,
            )
            assert "\x00" not in once[target]


def test_the_examples_render_the_same_once(example: Compilation) -> None:
    assert all(renders_once(environment(), d.template) for d in DOCUMENTS)
    _check(example)
    for other in ("harbor_insurance", "thornvale_water"):
        compilation = compile(ROOT / "examples" / f"{other}.cxb")
        assert compilation.ok
        _check(compilation)


def test_hostile_text_and_a_generated_blueprint_render_the_same_once(tmp_path: Path) -> None:
    project = tmp_path / "hostile"
    for path in (ROOT / "examples").rglob("*.cxb"):
        target = project / path.relative_to(ROOT / "examples")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(hostile(path.read_text(encoding="utf-8")), encoding="utf-8")
    compilation = compile(project / "northwind_bank.cxb")
    assert compilation.ok
    _check(compilation)
    _check(compile_in(tmp_path, generated_blueprint(2)))


@pytest.mark.parametrize(
    "body",
    [
        "{% if target == 'html' %}site{% else %}markdown{% endif %} {{ src(none) }}\n",
        "{{ src(none)|truncate(9, True, '') }} {{ doc('a', 'b')|length }}\n",
    ],
    ids=["asks-the-target", "cuts-a-marker"],
)
def test_a_template_that_needs_its_target_is_rendered_per_target(body: str) -> None:
    env = make_environment()
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"t.md.j2": body}), env.loader])  # type: ignore[list-item]
    document = Document(1, "t", "T", lambda ctx: None)
    meta = Meta("T", None, None, None, "USD", "t.cxb", "2027-01", 12, None)
    texts = render_targets(env, ["md", "html"], document, None, meta)
    for target in ("md", "html"):
        assert texts[target] == render_document(env, target, document, None, meta)


def test_the_analysis_of_a_template_is_kept_for_the_next_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a template renders once is decided from its syntax tree, kept beside the
    compiled templates: a new process reads it back instead of parsing the template, and
    a damaged or foreign file is analysed again."""
    from blueprintc.documents import environment as module

    env = make_environment()
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(tmp_path))
    names = sorted({d.template for d in DOCUMENTS})
    monkeypatch.setattr(module, "_ANALYSED", {})
    verdicts = [renders_once(env, name) for name in names]
    kept = sorted(tmp_path.glob("analysis-*.json"))
    assert len(kept) >= len(names)
    monkeypatch.setattr(module, "_ANALYSED", {})  # a new process

    def refused(source: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(env, "parse", refused)
    assert [renders_once(env, name) for name in names] == verdicts
    for path in kept:
        path.write_text("[true, [3]]", "utf-8")  # not a template's name
    monkeypatch.undo()
    monkeypatch.setattr(module, "_ANALYSED", {})
    assert [renders_once(env, name) for name in names] == verdicts
    assert all(p.read_text("utf-8") != "[true, [3]]" for p in kept)
