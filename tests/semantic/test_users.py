"""Finding the blueprints that use a module: folders searched, transitive uses, order."""

from __future__ import annotations

from pathlib import Path

from blueprintc.semantic.users import MAX_LEVELS, find_users, search_folders

HEAD = 'blueprint "T" { currency USD; start 2027-01; horizon 3 years }\n'


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path.resolve()


def test_users_directly_and_through_other_modules_nearest_first(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    module = _write(tmp_path / "a" / "b" / "rfp.cxb", "criterion price { weight 100% }\n")
    near = _write(tmp_path / "a" / "b" / "near.cxb", HEAD + 'use "./rfp.cxb"\n')
    middle = _write(tmp_path / "a" / "parts.cxb", 'use "./b/rfp.cxb"\n')  # a module itself
    far = _write(tmp_path / "top.cxb", HEAD + 'use "./a/parts.cxb"\n')
    _write(tmp_path / "other.cxb", HEAD + 'use "./a/elsewhere.cxb"\n')
    assert find_users(module) == [near, far]
    assert middle not in find_users(module)


def test_the_search_stops_at_the_project_marker(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "pyproject.toml").parent.mkdir()
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    module = _write(project / "rfp.cxb", "criterion price { weight 100% }\n")
    _write(tmp_path / "outside.cxb", HEAD + 'use "./project/rfp.cxb"\n')
    assert list(search_folders(module)) == [project.resolve()]
    assert find_users(module) == []


def test_the_search_stops_at_a_given_root_and_after_the_limit(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*[f"d{n}" for n in range(MAX_LEVELS + 2)])
    module = _write(deep / "rfp.cxb", "criterion price { weight 100% }\n")
    folders = list(search_folders(module))
    assert len(folders) == MAX_LEVELS and folders[0] == deep.resolve()
    assert list(search_folders(module, deep.parent.resolve())) == [
        deep.resolve(),
        deep.parent.resolve(),
    ]


def test_unsaved_text_counts(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    module = _write(tmp_path / "rfp.cxb", "criterion price { weight 100% }\n")
    bank = _write(tmp_path / "bank.cxb", HEAD)
    assert find_users(module) == []
    assert find_users(module, overlay={bank: HEAD + 'use "./rfp.cxb"\n'}) == [bank]
