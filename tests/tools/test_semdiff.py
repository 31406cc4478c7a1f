"""The semantic diff (``blueprintc diff``): golden reports for edits of the example, the
consequences checked against the compiler's own figures, git revisions and textconv.

The cases start from a snapshot of ``examples/northwind_bank.cxb`` (and its RFP module) in
``tests/cases/diff/base/``, so that editing the example does not move the goldens; each
case is a few textual edits listed here. Golden outputs are ``tests/cases/diff/<case>.txt``
and ``.json``; regenerate on purpose with ``pytest --update-golden`` and read the diff.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from blueprintc.driver import Compilation, compile
from blueprintc.semdiff import (
    NO_DESIGN_CHANGE,
    FigureChange,
    SideError,
    load_side,
    render_json,
    render_text,
    run_diff,
    semantic_diff,
    textconv,
)

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases" / "diff"
BASE = CASES / "base"
ENTRY = "northwind_bank.cxb"
RFP = "northwind/rfp.cxb"
OLD, NEW = "before/northwind_bank.cxb", "after/northwind_bank.cxb"

Edits = dict[str, list[tuple[str, str]]]

CHANNEL_SMS = """channel sms extends std.sms {
  hours mon..fri 08:00-20:00
}

channel ivr extends std.ivr {"""
ACD_CLOUD = """component acd extends std.acd {
  model cloud
  subscription 115 USD/seat/month
  implementation 180k USD
  option onprem {
    licence 1_400 USD/seat
    maintenance 20%
    implementation 420k USD
    hosting 6_000 USD/month
  }"""
ACD_ONPREM = """component acd extends std.acd {
  model onprem
  licence 1_400 USD/seat
  maintenance 20%
  implementation 420k USD
  hosting 6_000 USD/month
  option cloud {
    subscription 115 USD/seat/month
    implementation 180k USD
  }"""
NEW_REQUIREMENT = """requirement callback_scheduled {
  category functional
  priority should
  text "Customers can book a callback for a later time of their choice"
  acceptance "A callback booked for tomorrow 10:00 is placed between 10:00 and 10:05"
  traces callback, voice
}

requirement chat_concurrency {"""

CASE_EDITS: dict[str, Edits] = {
    # More card activations: more voice agents, more FTE, more cost.
    "volume": {ENTRY: [("volume 38_000/month", "volume 45_000/month")]},
    # A new assisted channel takes a tenth of the payment disputes.
    "new_channel": {
        ENTRY: [
            (
                "  mix { voice 50%; email 35%; chat 15% }\n"
                "  aht { voice 8 min; email 6 min; chat 12 min }",
                "  mix { voice 45%; email 30%; chat 15%; sms 10% }\n"
                "  aht { voice 8 min; email 6 min; chat 12 min; sms 5 min }",
            ),
            ("channel ivr extends std.ivr {", CHANNEL_SMS),
            (
                "channels voice, emergency, chat, email\n",
                "channels voice, emergency, chat, email, sms\n",
            ),
            ("supports chat, email, voice", "supports chat, email, voice, sms"),
        ]
    },
    # The ACD moves on premises: its on-premises costs become the design's, cloud the option.
    "deployment_onprem": {ENTRY: [(ACD_CLOUD, ACD_ONPREM)]},
    # A requirement inserted in the middle of the RFP.
    "requirement_inserted": {RFP: [("requirement chat_concurrency {", NEW_REQUIREMENT)]},
    # Comments, blank lines and indentation only.
    "whitespace_comments": {
        ENTRY: [
            (
                "segment affluent {\n  share 12%",
                "// the upper middle\nsegment affluent {\n    share   12%",
            ),
            ("  growth 4%/year\n", "  growth 4%/year   // agreed with marketing\n\n"),
            ("assert fte(total) <= 400", "assert   fte(total)<=400 /* headcount cap */"),
        ],
        RFP: [("criterion price { weight 30% }", "criterion price {\n  weight 30%\n}")],
    },
}


def apply(text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, f"edit target not found once: {old!r}"
        text = text.replace(old, new)
    return text


def write_version(folder: Path, edits: Edits, base: Path = BASE) -> Path:
    """Copy the base project into ``folder`` with the edits applied; returns its entry."""
    for name in (ENTRY, RFP):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(apply((base / name).read_text("utf-8"), edits.get(name, [])), "utf-8")
    return folder / ENTRY


@pytest.fixture(scope="module")
def base() -> Compilation:
    result = compile(BASE / ENTRY)
    assert result.ok, [d.message for d in result.diagnostics]
    return result


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Compilation]:
    """Each case's edited version, compiled once for the module."""
    result = {}
    for case, edits in CASE_EDITS.items():
        compilation = compile(write_version(tmp_path_factory.mktemp(case), edits))
        assert compilation.ok, (case, [d.message for d in compilation.diagnostics if d.is_error])
        result[case] = compilation
    return result


def check_golden(path: Path, actual: str, update: bool) -> None:
    if update:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run pytest --update-golden"
    assert actual == path.read_text(encoding="utf-8")


# -- golden reports ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASE_EDITS))
def test_golden(
    case: str, base: Compilation, versions: dict[str, Compilation], update_golden: bool
) -> None:
    report = semantic_diff(base, versions[case], old_name=OLD, new_name=NEW)
    check_golden(CASES / f"{case}.txt", render_text(report), update_golden)
    check_golden(CASES / f"{case}.json", render_json(report), update_golden)


def test_base_is_the_example() -> None:
    """The snapshot is the example when it was taken; if the example moves on, the diff
    between them must still be a valid report (no crash), whatever it says."""
    report = semantic_diff(compile(BASE / ENTRY), compile(ROOT / "examples" / ENTRY))
    assert render_text(report)


# -- consequences, checked against the compiler's figures ---------------------------------------


def fte(value: float) -> Fraction:
    return Fraction(round(value * 10)) / 10


def check_deltas(figures: Iterable[FigureChange]) -> None:
    """Every reported difference is new − old."""
    for figure in figures:
        if isinstance(figure.old, Fraction) and isinstance(figure.new, Fraction):
            assert figure.delta == figure.new - figure.old, figure


def test_volume_change_raises_fte_and_cost(
    base: Compilation, versions: dict[str, Compilation]
) -> None:
    new = versions["volume"]
    report = semantic_diff(base, new)
    [declaration] = report.declarations
    assert (declaration.layer, declaration.kind, declaration.name) == (
        "business",
        "process",
        "card_activation",
    )
    [field] = declaration.fields
    assert (field.field, field.old, field.new) == ("volume", "38_000/month", "45_000/month")
    check_deltas(report.figures)

    assert base.sizing is not None and new.sizing is not None
    old_voice, new_voice = base.sizing.queue("voice"), new.sizing.queue("voice")
    assert old_voice is not None and new_voice is not None
    voice = report.figure("fte:voice")
    assert voice is not None and voice.direction == "up"
    assert voice.old == fte(old_voice.monthly.fte.max())
    assert voice.new == fte(new_voice.monthly.fte.max())
    total = report.figure("fte:total")
    old_peak, new_peak = base.sizing.peak_month, new.sizing.peak_month
    assert total is not None and total.delta is not None and total.delta > 0
    assert total.delta == fte(new.sizing.total_fte[new_peak]) - fte(base.sizing.total_fte[old_peak])

    assert base.planning is not None and new.planning is not None
    npv = report.figure("npv")
    assert npv is not None and npv.direction == "up"
    assert npv.delta == new.planning.npv - base.planning.npv
    for index, label in enumerate(new.planning.statement.year_labels):
        opex = report.figure(f"opex:{label}")
        assert opex is not None and opex.direction == "up"
        assert opex.delta == (
            new.planning.statement.opex.years[index] - base.planning.statement.opex.years[index]
        )
    # What did not move is not listed: capital spending, the plan, the vendors.
    assert base.planning.statement.capex.years == new.planning.statement.capex.years
    assert report.group("plan") == () and report.group("vendors") == ()
    assert not any(f.key.startswith("capex:") for f in report.figures)


def test_new_channel_appears_with_its_staff(
    base: Compilation, versions: dict[str, Compilation]
) -> None:
    new = versions["new_channel"]
    report = semantic_diff(base, new)
    added = [d for d in report.declarations if d.change == "added"]
    assert [(d.layer, d.kind, d.name) for d in added] == [("operational", "channel", "sms")]
    assert ("mix sms", "added") in {
        (f.field, f.change) for d in report.layer("business") for f in d.fields
    }
    assert new.sizing is not None and base.sizing is not None
    queue = new.sizing.queue("sms")
    assert queue is not None and base.sizing.queue("sms") is None
    sms = report.figure("fte:sms")
    assert sms is not None and sms.change == "added" and sms.old is None
    assert sms.new == fte(queue.monthly.fte.max()) > 0
    check_deltas(report.figures)


def test_deployment_switch_changes_capex_and_npv(
    base: Compilation, versions: dict[str, Compilation]
) -> None:
    new = versions["deployment_onprem"]
    report = semantic_diff(base, new)
    [acd] = report.declarations
    assert (acd.layer, acd.label) == ("technology", "component acd")
    model = next(f for f in acd.fields if f.field == "model")
    assert (model.old, model.new) == ("cloud", "onprem")
    assert base.planning is not None and new.planning is not None
    capex = report.figure("capex:Y1")
    assert capex is not None and capex.direction == "up"  # licences are bought up front
    assert capex.delta == (
        new.planning.statement.capex.years[0] - base.planning.statement.capex.years[0]
    )
    npv = report.figure("npv")
    assert npv is not None and npv.delta == new.planning.npv - base.planning.npv != 0
    assert report.group("staffing") == ()  # the center's staffing does not depend on it
    check_deltas(report.figures)


def test_model_word_alone_changes_no_cost(base: Compilation, tmp_path: Path) -> None:
    """`model onprem` without moving the cost lines is reported, and costs stay (the design
    is costed from the component's own lines; options from its `option` blocks)."""
    edits = {
        ENTRY: [
            (
                "component acd extends std.acd {\n  model cloud",
                "component acd extends std.acd {\n  model onprem",
            )
        ]
    }
    report = semantic_diff(base, compile(write_version(tmp_path, edits)))
    assert [d.label for d in report.declarations] == ["component acd"]
    assert report.figure("npv") is None


def test_inserted_requirement_is_only_added(
    base: Compilation, versions: dict[str, Compilation]
) -> None:
    report = semantic_diff(base, versions["requirement_inserted"])
    assert [(d.change, d.kind, d.name) for d in report.declarations] == [
        ("added", "requirement", "callback_scheduled")
    ]
    assert [(f.change, f.key) for f in report.group("requirements")] == [
        ("added", "requirement:callback_scheduled")
    ]
    assert report.group("costs") == () and report.group("staffing") == ()


def test_requirement_first_in_file_and_changed_priority(base: Compilation, tmp_path: Path) -> None:
    """Requirements are known by name: one inserted first and one edited are reported as
    exactly that, and none of the others."""
    first = NEW_REQUIREMENT.replace("requirement chat_concurrency {", "requirement cloud_acd {")
    edits = {
        RFP: [
            ("requirement cloud_acd {", first),
            ("  priority could\n", "  priority should\n"),
        ]
    }
    report = semantic_diff(base, compile(write_version(tmp_path, edits)))
    assert [(f.change, f.key, f.old, f.new) for f in report.group("requirements")] == [
        ("changed", "requirement:knowledge_in_desktop:priority", "could", "should"),
        ("added", "requirement:callback_scheduled", None, "should, functional"),
    ]
    assert {(d.change, d.name) for d in report.declarations} == {
        ("added", "callback_scheduled"),
        ("changed", "knowledge_in_desktop"),
    }


def test_whitespace_and_comments_are_no_design_change(
    base: Compilation, versions: dict[str, Compilation]
) -> None:
    report = semantic_diff(base, versions["whitespace_comments"])
    assert not report.changed and report.figures == ()
    assert render_text(report) == NO_DESIGN_CHANGE + "\n"
    document = json.loads(render_json(report))
    assert document["changed"] is False and document["figures"] == []


def test_respelled_values_and_reordered_declarations_are_no_change(
    base: Compilation, tmp_path: Path
) -> None:
    """Values are compared in canonical units and declarations by name."""
    text = (BASE / ENTRY).read_text("utf-8")
    students = text[text.index("segment students {") : text.index("segment dormant {")]
    edits = {
        ENTRY: [
            ("volume 38_000/month", "volume 38k/month"),
            ("volume 1.2M/year", "volume 100k/month"),  # a year is twelve months
            ("aht { voice 4.5 min }", "aht { voice 270 s }"),
            (
                "segments private_banking, affluent, mass_market\n}",
                "segments mass_market, affluent, private_banking\n}",
            ),
            (students, ""),
            ("segment affluent {", students + "segment affluent {"),
            ("cost 24M USD/year", "cost 2M USD/month"),
        ]
    }
    new = compile(write_version(tmp_path, edits))
    assert new.ok
    report = semantic_diff(base, new)
    assert render_text(report) == NO_DESIGN_CHANGE + "\n", render_text(report)


def test_report_is_frozen_and_json_is_sorted(
    base: Compilation, versions: dict[str, Compilation]
) -> None:
    report = semantic_diff(base, versions["volume"], old_name=OLD, new_name=NEW)
    with pytest.raises(AttributeError):
        report.old_name = "x"  # type: ignore[misc]
    text = render_json(report)
    document = json.loads(text)
    assert (document["schema"], document["version"]) == ("blueprintc.diff", 1)
    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert set(document["layers"]) == {
        "brand",
        "business",
        "financial-functional",
        "operational",
        "technology",
    }
    npv = next(f for f in document["figures"] if f["key"] == "npv")
    assert Fraction(npv["new"]) - Fraction(npv["old"]) == Fraction(npv["delta"])


# -- sides, the command and exit codes --------------------------------------------------------


def run(*args: str, cwd: Path, **options: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    new = args[1] if len(args) > 1 else None
    code = run_diff(args[0], new, out=out, err=err, cwd=cwd, **options)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_run_diff_exit_codes(tmp_path: Path) -> None:
    write_version(tmp_path / "a", {})
    write_version(tmp_path / "b", CASE_EDITS["volume"])
    write_version(tmp_path / "c", CASE_EDITS["whitespace_comments"])
    a, b, c = (f"{v}/{ENTRY}" for v in "abc")
    code, out, err = run(a, b, cwd=tmp_path)
    assert (code, err) == (0, "") and out.startswith(f"{a} → {b}\n")
    assert run(a, b, cwd=tmp_path, exit_code=True)[0] == 1
    assert run(a, c, cwd=tmp_path, exit_code=True)[:2] == (0, NO_DESIGN_CHANGE + "\n")
    code, out, _ = run(a, b, cwd=tmp_path, format="json")
    assert code == 0 and json.loads(out)["new"] == b
    code, _, err = run(a, "missing.cxb", cwd=tmp_path)
    assert code == 2 and "no such file: `missing.cxb`" in err
    assert run(a, "a", cwd=tmp_path)[0] == 2  # a folder
    assert run(a, cwd=tmp_path)[0] == 2  # one side without --textconv
    assert run(a, b, cwd=tmp_path, textconv=True)[0] == 2
    assert run(a, b, cwd=tmp_path, format="yaml")[0] == 2


def test_a_side_that_does_not_compile(tmp_path: Path) -> None:
    write_version(tmp_path / "a", {})
    broken = write_version(
        tmp_path / "b", {ENTRY: [("volume 38_000/month", "volume 38_000/parsec")]}
    )
    code, out, err = run(f"a/{ENTRY}", f"b/{ENTRY}", cwd=tmp_path)
    assert code == 1 and out == ""
    assert f"`b/{ENTRY}` does not compile" in err and "error[CXB" in err
    assert str(broken.name) in err and "1 error" in err
    code, out, _ = run(f"a/{ENTRY}", f"b/{ENTRY}", cwd=tmp_path, format="json")
    document = json.loads(out)
    assert code == 1 and document["schema"] == "blueprintc.diagnostics"
    assert document["failed"] == [f"b/{ENTRY}"] and document["summary"]["errors"] >= 1


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A git repository holding two commits of the example: the base, then the volume
    change and a requirement inserted in the RFP module."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    home = tmp_path / "home"
    home.mkdir()
    for name, value in {
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }.items():
        monkeypatch.setenv(name, value)
    repo = tmp_path / "repo"
    write_version(repo, {})
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    write_version(repo, {**CASE_EDITS["volume"], **CASE_EDITS["requirement_inserted"]})
    git(repo, "commit", "-qam", "more card activations; a requirement")
    yield repo


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout


def test_git_revision_side(git_env: Path, base: Compilation, tmp_path: Path) -> None:
    """`HEAD~1:file` is the file at that revision, with the modules it used then."""
    repo = git_env
    code, out, err = run(f"HEAD~1:{ENTRY}", ENTRY, cwd=repo)
    assert (code, err) == (0, "")
    both = {**CASE_EDITS["volume"], **CASE_EDITS["requirement_inserted"]}
    expected = semantic_diff(
        base,
        compile(write_version(tmp_path / "expected", both)),
        old_name=f"HEAD~1:{ENTRY}",
        new_name=ENTRY,
    )
    assert out == render_text(expected)
    assert "+ requirement callback_scheduled" in out  # the old RFP was read from HEAD~1
    # The same commit on both sides, and the index (`:path`), are no change.
    assert run(f"HEAD:{ENTRY}", ENTRY, cwd=repo)[1] == NO_DESIGN_CHANGE + "\n"
    assert run(f":{ENTRY}", f"HEAD:{ENTRY}", cwd=repo)[1] == NO_DESIGN_CHANGE + "\n"
    # From a subfolder, ./ and ../ are relative to it, other paths to the repository.
    sub = repo / "northwind"
    assert run(f"HEAD:../{ENTRY}", f"HEAD:{ENTRY}", cwd=sub)[1] == NO_DESIGN_CHANGE + "\n"


def test_git_side_errors(git_env: Path, tmp_path: Path) -> None:
    repo = git_env
    code, _, err = run(f"HEAD~9:{ENTRY}", ENTRY, cwd=repo)
    assert code == 2 and f"cannot read `HEAD~9:{ENTRY}`" in err
    code, _, err = run("HEAD:nowhere.cxb", ENTRY, cwd=repo)
    assert code == 2 and "nowhere.cxb" in err
    assert run("HEAD:", ENTRY, cwd=repo)[0] == 2
    outside = tmp_path / "outside"
    outside.mkdir()
    code, _, err = run(f"HEAD:{ENTRY}", f"HEAD:{ENTRY}", cwd=outside)
    assert code == 2 and "not in a git repository" in err


def test_git_side_diagnostics_name_the_revision(git_env: Path) -> None:
    repo = git_env
    write_version(repo, {ENTRY: [("volume 38_000/month", "volume 38_000/parsec")]})
    git(repo, "commit", "-qam", "broken")
    code, _, err = run(f"HEAD:{ENTRY}", f"HEAD~1:{ENTRY}", cwd=repo)
    assert code == 1 and f"HEAD:{ENTRY}:" in err and "blueprintc-diff-" not in err


def test_load_side(git_env: Path, tmp_path: Path) -> None:
    repo = git_env
    source, name = load_side(ENTRY, repo)
    assert (source, name) == (repo / ENTRY, ENTRY)
    source, name = load_side(f"HEAD~1:{ENTRY}", repo, tmp_path / "tree")
    assert name == f"HEAD~1:{ENTRY}" and isinstance(source, Path)
    assert Path(source).read_text("utf-8") == (BASE / ENTRY).read_text("utf-8")
    assert (tmp_path / "tree" / RFP).read_text("utf-8") == (BASE / RFP).read_text("utf-8")
    with pytest.raises(SideError):
        load_side("nope.cxb", repo)


# -- textconv -----------------------------------------------------------------------------------


def test_textconv_is_canonical(tmp_path: Path) -> None:
    respelled = {
        ENTRY: [
            *CASE_EDITS["whitespace_comments"][ENTRY],
            ("volume 38_000/month", "volume 38k/month"),
            ("cost 24M USD/year", "cost 2M USD/month"),
        ],
        RFP: CASE_EDITS["whitespace_comments"][RFP],
    }
    before = textconv(BASE / ENTRY)
    assert textconv(write_version(tmp_path / "a", respelled)) == before
    changed = textconv(write_version(tmp_path / "b", CASE_EDITS["volume"])).splitlines()
    removed = set(before.splitlines()) - set(changed)
    added = set(changed) - set(before.splitlines())
    assert "[business] process card_activation: volume 38000/month" in removed
    assert "[business] process card_activation: volume 45000/month" in added
    assert all(not line.startswith("[brand]") for line in added | removed)
    assert before == "".join(f"{line}\n" for line in before.splitlines())
    lines = before.splitlines()
    assert "[operational] staffing: loaded_cost 38 USD/h" in lines
    assert "[technology] component knowledge: subscription 27 USD/user/month" in lines  # EUR
    assert "[brand] blueprint: horizon 3 years" in lines


def test_textconv_of_a_file_that_does_not_compile(tmp_path: Path) -> None:
    text = textconv(BASE / RFP)  # a module: no blueprint block of its own
    lines = text.splitlines()
    assert lines[1] == "# does not compile on its own; its text:"
    assert lines[2:] == (BASE / RFP).read_text("utf-8").splitlines()
    with pytest.raises(SideError):
        textconv(tmp_path / "missing.cxb")
    code, out, _ = run(str(BASE / ENTRY), cwd=tmp_path, textconv=True)
    assert code == 0 and out == textconv(BASE / ENTRY)


def test_git_diff_with_textconv(git_env: Path) -> None:
    """With `*.cxb diff=cxb` and the textconv configured, `git diff` shows semantic lines,
    also for the old version that git copies to a temporary file."""
    repo = git_env
    (repo / ".gitattributes").write_text("*.cxb diff=cxb\n", encoding="utf-8")
    command = f'"{sys.executable}" -m blueprintc.semdiff --textconv'
    git(repo, "config", "diff.cxb.textconv", command)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    result = subprocess.run(
        ["git", "diff", "--no-color", "HEAD~1", "HEAD", "--", ENTRY],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "-[business] process card_activation: volume 38000/month" in result.stdout
    assert "+[business] process card_activation: volume 45000/month" in result.stdout
    assert "does not compile" not in result.stdout
