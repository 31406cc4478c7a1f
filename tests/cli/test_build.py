"""``blueprintc build``: exit codes, selections, depfiles, determinism, no partial output."""

from __future__ import annotations

import io
import os
import shutil
import signal
from pathlib import Path

import pytest

from blueprintc.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def full_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The example built once in every format, with a depfile."""
    base = tmp_path_factory.mktemp("build")
    target, deps = base / "out", base / "out.d"
    code, _, err = run("build", str(EXAMPLE), "-o", str(target), "--depfile", str(deps))
    assert code == 0, err
    return target, deps, err


def test_every_format_of_every_document_is_written(full_build: tuple[Path, Path, str]) -> None:
    target, _, err = full_build
    files = tree(target)
    stems = (
        "00-executive-summary",
        "01-business-design",
        "06-rfp",
        "11-traceability",
        "12-assumptions",
        "13-risks-and-decisions",
    )
    for stem in stems:
        assert f"md/{stem}.md" in files
        assert f"html/{stem}.html" in files
        assert f"json/{stem}.json" in files
    assert "html/index.html" in files and "json/blueprint.json" in files
    assert "xlsx/rfp-compliance-matrix.xlsx" in files
    assert "xlsx/financial-model.xlsx" in files
    assert "docx/06-rfp.docx" in files
    assert not any(f.startswith("pdf/") for f in files)  # printed only on request
    assert err.strip().splitlines()[-1].startswith(f"built {target}: 14 documents")


def test_the_depfile_names_every_blueprint_and_template_read(
    full_build: tuple[Path, Path, str],
) -> None:
    target, deps, _ = full_build
    text = deps.read_text()
    head, _, phony = text.partition("\n\n")
    assert head.startswith(f"{target}: ")
    assert str(EXAMPLE) in head and str(EXAMPLE.parent / "northwind" / "rfp.cxb") in head
    assert "stdlib/channels.cxb" in head
    assert "templates/rfp.md.j2" in head and "templates/_header.md.j2" in head
    assert f"\n{EXAMPLE}:" in "\n" + phony


def test_a_second_build_is_byte_identical_and_rewrites_nothing(
    full_build: tuple[Path, Path, str], tmp_path: Path
) -> None:
    target, _, _ = full_build
    copy = tmp_path / "copy"
    shutil.copytree(target, copy, copy_function=shutil.copy2)
    times = {p: p.stat().st_mtime_ns for p in copy.rglob("*") if p.is_file()}
    code, _, err = run("build", str(EXAMPLE), "-o", str(copy))
    assert code == 0, err
    assert "(0 changed)" in err
    assert tree(copy) == tree(target)
    assert {p: p.stat().st_mtime_ns for p in copy.rglob("*") if p.is_file()} == times


def test_source_date_epoch_is_the_only_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    code, _, err = run("build", str(EXAMPLE), "-o", str(tmp_path / "o"), "--format", "md")
    assert code == 0, err
    assert "Generated on 2026-01-01." in (tmp_path / "o/md/index.md").read_text()


def test_only_and_format_select_a_subset(tmp_path: Path) -> None:
    target = tmp_path / "o"
    code, _, err = run(
        "build", str(EXAMPLE), "-o", str(target), "--only", "rfp,uat-plan", "--format", "md,json"
    )
    assert code == 0, err
    assert sorted(tree(target)) == [
        ".blueprintc-build",
        "json/06-rfp.json",
        "json/08-uat-plan.json",
        "json/blueprint.json",
        "md/06-rfp.md",
        "md/08-uat-plan.md",
        "md/index.md",
    ]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--only", "rpf", "unknown document 'rpf'; did you mean `rfp`?"),
        ("--format", "odt", "unknown format 'odt'"),
        ("--format", ",", "no format given"),
    ],
)
def test_bad_selections_are_usage_errors(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    code, _, err = run("build", str(EXAMPLE), "-o", str(tmp_path / "o"), option, value)
    assert code == 2
    assert message in err
    assert not (tmp_path / "o").exists()


def test_a_blueprint_with_errors_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "o"
    code, _, err = run("build", str(EXAMPLE), "-o", str(target), "--format", "md")
    assert code == 0, err
    before = tree(target)
    broken = tmp_path / "broken.cxb"
    broken.write_text('blueprint "x" { currency USD; start 2027-01 }\nchannel voice { mode up }\n')
    deps = tmp_path / "deps.d"
    code, _, err = run("build", str(broken), "-o", str(target), "--depfile", str(deps))
    assert code == 1
    assert "error[CXB" in err and "nothing written" in err
    assert tree(target) == before
    assert not deps.exists()


def test_an_unreadable_blueprint_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("build", str(tmp_path / "missing.cxb"), "-o", str(tmp_path / "o"))
    assert code == 2
    assert "missing.cxb" in err
    assert not (tmp_path / "o").exists()


def test_a_foreign_output_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, _, err = run("build", str(EXAMPLE), "-o", str(tmp_path))
    assert code == 2
    assert "was not written by blueprintc build" in err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_watch_rebuilds_with_one_summary_line_per_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import blueprintc.documents.watch as watching

    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples", project)
    entry = project / "northwind_bank.cxb"
    rfp = project / "northwind" / "rfp.cxb"
    read: list[list[Path]] = []

    def fake_watch(build: object, **_: object) -> None:
        assert callable(build)
        read.append(list(build()))
        rfp.write_text(rfp.read_text() + "\nrequirement extra {\n", encoding="utf-8")  # broken
        read.append(list(build()))
        rfp.write_text(rfp.read_text().removesuffix("\nrequirement extra {\n"), "utf-8")
        read.append(list(build()))

    monkeypatch.setattr(watching, "watch", fake_watch)
    target = tmp_path / "o"
    code, _, err = run("build", str(entry), "-o", str(target), "--format", "md", "--watch")
    assert code == 0
    assert err.count(f"built {target}: 14 documents") == 2
    assert "build failed: nothing written" in err
    assert rfp.resolve() in read[0] and rfp.resolve() in read[1]  # watched even when broken
    assert (target / "md" / "06-rfp.md").is_file()


@pytest.fixture
def md_build(tmp_path: Path) -> Path:
    """The example's Markdown, built into ``tmp_path/out``."""
    target = tmp_path / "out"
    code, _, err = run("build", str(EXAMPLE), "-o", str(target), "--format", "md")
    assert code == 0, err
    return target


def test_a_folder_with_the_users_files_and_a_copied_manifest_is_refused(md_build: Path) -> None:
    site = md_build.parent / "site"
    shutil.copytree(md_build, site)  # cp -r out/. site/
    (site / "about.html").write_text("the user's page")
    code, _, err = run("build", str(EXAMPLE), "-o", str(site), "--format", "md")
    assert code == 2
    assert err == (
        f"blueprintc: {site} holds files that blueprintc build did not write (about.html); "
        "it is not replaced, so they are not lost: move them elsewhere or choose another "
        "output folder\n"
    )
    assert (site / "about.html").read_text() == "the user's page"


def test_a_read_only_output_folder_is_refused_with_exit_2(md_build: Path) -> None:
    before = tree(md_build)
    md_build.chmod(0o555)
    try:
        code, _, err = run("build", str(EXAMPLE), "-o", str(md_build), "--format", "md,json")
    finally:
        md_build.chmod(0o755)
    assert code == 2
    assert f"blueprintc: {md_build} is read-only" in err and "Traceback" not in err
    assert tree(md_build) == before
    assert sorted(p.name for p in md_build.parent.iterdir()) == ["out"]


def test_the_depfile_folder_is_created(tmp_path: Path) -> None:
    deps = tmp_path / "deps" / "out.d"
    code, _, err = run(
        "build", str(EXAMPLE), "-o", str(tmp_path / "o"), "--format", "md", "--depfile", str(deps)
    )
    assert code == 0, err
    assert deps.read_text().startswith(f"{tmp_path / 'o'}: ")


def test_a_depfile_that_cannot_be_written_is_named_and_nothing_is_written(
    md_build: Path,
) -> None:
    before = tree(md_build)
    blocker = md_build.parent / "not-a-folder"
    blocker.write_text("")
    deps = blocker / "out.d"
    code, _, err = run(
        "build", str(EXAMPLE), "-o", str(md_build), "--format", "md,json", "--depfile", str(deps)
    )
    assert code == 2
    assert err.splitlines()[-1].startswith(f"blueprintc: cannot write the depfile {deps}: ")
    assert tree(md_build) == before


def test_a_concurrent_build_to_the_same_folder_fails_clearly(
    md_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    from blueprintc.documents import output

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(md_build)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        monkeypatch.setattr(output, "LOCK_WAIT", 0.2)
        code, _, err = run("build", str(EXAMPLE), "-o", str(md_build), "--format", "md")
    finally:
        holder.kill()
        holder.wait()
    assert code == 2
    assert err == (
        f"blueprintc: another blueprintc build is writing {md_build} (waited 0.2 s for it "
        "to finish); try again when it has finished\n"
    )


HOLD_LOCK = """
import sys
from pathlib import Path
from blueprintc.documents import output

with output._locked(Path(sys.argv[1]), sys.argv[1], None):
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("mode", ["exchange", "fallback"])
def test_a_build_killed_during_the_swap_is_repaired_by_the_next_build(
    md_build: Path, mode: str
) -> None:
    from blueprintc.documents import output

    before = tree(md_build)
    step = output.Step.SWAPPED if mode == "exchange" else output.Step.RETIRED
    pid = os.fork()
    if pid == 0:  # the child build, killed between the two steps of its swap
        try:
            if mode == "fallback":
                output._exchange = lambda first, second: False
            output._checkpoint = lambda reached: (
                os.kill(os.getpid(), signal.SIGKILL) if reached is step else None
            )
            run("build", str(EXAMPLE), "-o", str(md_build), "--format", "md,json")
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert len(list(md_build.parent.iterdir())) > 1  # litter beside the folder
    code, _, err = run("build", str(EXAMPLE), "-o", str(md_build), "--format", "md")
    assert code == 0, err
    assert tree(md_build) == before
    assert sorted(p.name for p in md_build.parent.iterdir()) == ["out"]


def test_the_workers_process_starts_while_a_build_compiles_only_when_charts_may_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``build`` starts the process the drawing workers come from before compiling, when
    a format asked for shows charts and something is to be built; never for a no-op."""
    from blueprintc.documents import drawing

    warmed: list[str] = []
    monkeypatch.setattr(drawing, "warm_up", lambda: warmed.append("warm"))
    source = tmp_path / "harbor.cxb"
    shutil.copy(ROOT / "examples" / "harbor_insurance.cxb", source)
    assert run("build", str(source), "-o", str(tmp_path / "json"), "--format", "json,xlsx")[0] == 0
    assert warmed == []
    for formats in ("md", "html", "json,pdf"):
        target = tmp_path / formats.replace(",", "-")
        only = ("--only", "executive-summary") if "pdf" in formats else ()
        assert run("build", str(source), "-o", str(target), "--format", formats, *only)[0] == 0
        assert len(warmed) == 1, formats
        warmed.clear()
        assert run("build", str(source), "-o", str(target), "--format", formats, *only)[0] == 0
        assert warmed == [], "nothing changed: nothing to start"
