"""Sized queues kept on disk (`blueprintc.sizing.kept`): a blueprint compiled from a file
keeps its realtime queues' cells in the cache folder, and a later compilation reads them
back instead of sizing them again. Every figure is the same, bytes and diagnostics, with
the folder empty, full, damaged or not writable, as for the same text compiled without
a file (which keeps nothing), for the examples and a generated center."""

from __future__ import annotations

import io
import shutil
import warnings
from pathlib import Path

import attrs
import numpy as np
import pytest

from blueprintc import forked
from blueprintc.cli import main
from blueprintc.driver import Compilation, compile
from blueprintc.sizing import kept
from blueprintc.solve import staffing as st
from tests.bench.generate import generated_blueprint
from tests.sizing.test_size_forked import _figures

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("harbor_insurance", "northwind_bank", "thornvale_water")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(folder))
    return folder


def _project(tmp_path: Path, name: str) -> Path:
    """A copy of an example (its modules beside it), or a generated center, as a file."""
    project = tmp_path / "project"
    if name == "generated":
        project.mkdir()
        entry = project / "generated.cxb"
        entry.write_text(generated_blueprint(3), encoding="utf-8")
        return entry
    shutil.copytree(ROOT / "examples", project)
    return project / f"{name}.cxb"


def _as_text(entry: Path, monkeypatch: pytest.MonkeyPatch) -> Compilation:
    """``entry``'s text compiled without its file (its modules found from its folder)."""
    with monkeypatch.context() as inside:
        inside.chdir(entry.parent)
        result = compile(entry.read_text(encoding="utf-8"))
    assert result.sizing is not None, [str(d) for d in result.diagnostics][:3]
    return result


def _everything(result: Compilation) -> list[object]:
    """What sizing keeps (`_figures`), and today's operation sized (a baseline's queues)."""
    found = _figures(result)
    planning = result.planning
    assert planning is not None
    if planning.do_nothing is not None:
        for queue in planning.do_nothing.center.queues:
            intervals = getattr(queue, "intervals", None)
            if intervals is not None:
                found += [np.asarray(getattr(intervals, f.name)).tobytes()
                          for f in attrs.fields(st.IntervalResult)]  # fmt: skip
    return found


def _reports(entry: Path) -> list[str]:
    """The JSON of ``size`` and ``cost``."""
    answers = []
    for command in ("size", "cost"):
        out = io.StringIO()
        main([command, "--format", "json", str(entry)], out, io.StringIO())
        answers.append(out.getvalue().replace(str(entry.parent), "<project>"))
    return answers


def _sized_files(cache: Path) -> list[Path]:
    return sorted((cache / "sized").glob("*.cells"))


@pytest.mark.parametrize("name", [*EXAMPLES, "generated"])
def test_kept_queues_give_the_figures_of_a_compilation_that_sizes_them(
    name: str, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _project(tmp_path, name)
    text = _as_text(entry, monkeypatch)
    assert not _sized_files(cache)  # text keeps nothing
    cold = compile(entry)
    files = _sized_files(cache)
    assert files
    cold_reports = _reports(entry)

    def refused(*_: object) -> st.IntervalResult:
        raise AssertionError("a kept queue was sized again")

    with monkeypatch.context() as refusing:
        refusing.setattr(st, "_realtime_cells", refused)
        warm = compile(entry)
    # (a month's figures on request are sized again: `Intervals.month`)
    assert _everything(warm) == _everything(cold) == _everything(text)
    assert _reports(entry) == cold_reports
    assert _sized_files(cache) == files


def test_an_edited_blueprint_sizes_only_the_queues_it_changes(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _project(tmp_path, "generated")
    compile(entry)
    before = set(_sized_files(cache))
    text = entry.read_text(encoding="utf-8")
    edited = text.replace("38007", "39007", 1)  # the second unit's activation volume
    assert edited != text
    entry.write_text(edited, encoding="utf-8")
    sized: list[int] = []
    original = st._realtime_cells

    def counted(policy: object, sessions: st.FloatArray, *rest: object) -> st.IntervalResult:
        sized.append(sessions.size)
        return original(policy, sessions, *rest)  # type: ignore[arg-type]

    with monkeypatch.context() as counting:
        counting.setattr(st, "_realtime_cells", counted)
        warm = compile(entry)
    # The second unit's voice and chat queues (one batch of each kind), no other.
    assert len(sized) == 2
    assert len(set(_sized_files(cache)) - before) == 2
    assert _everything(warm) == _everything(_as_text(entry, monkeypatch))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data + b"\0",  # too long
        lambda data: bytes([data[0] ^ 1]) + data[1:],  # another key
        lambda data: data[:32] + (10**12).to_bytes(8, "little") + data[40:],  # a count
        lambda data: b"",
    ],
    ids=["short", "long", "key", "count", "empty"],
)
def test_a_damaged_kept_queue_is_sized_again_and_written_again(
    damage: object, tmp_path: Path, cache: Path
) -> None:
    entry = _project(tmp_path, "northwind_bank")
    cold = _everything(compile(entry))
    files = _sized_files(cache)
    whole = {path: path.read_bytes() for path in files}
    for path in files:
        path.write_bytes(damage(whole[path]))  # type: ignore[operator]
    assert _everything(compile(entry)) == cold
    assert {path: path.read_bytes() for path in _sized_files(cache)} == whole


def test_a_queue_kept_under_another_name_is_not_read(tmp_path: Path, cache: Path) -> None:
    """A file moved to another queue's name holds that queue's key: not read."""
    entry = _project(tmp_path, "northwind_bank")
    cold = _everything(compile(entry))
    files = _sized_files(cache)
    contents = [path.read_bytes() for path in files]
    for path, data in zip(files, contents[1:] + contents[:1], strict=True):
        path.write_bytes(data)
    assert _everything(compile(entry)) == cold
    assert [path.read_bytes() for path in files] == contents


def test_a_cache_folder_that_cannot_be_written_costs_only_the_sizing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _project(tmp_path, "northwind_bank")
    blocked = tmp_path / "not a folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(blocked))
    first = compile(entry)
    assert first.ok and _everything(compile(entry)) == _everything(first)
    assert blocked.read_text(encoding="utf-8") == ""


def test_queues_sized_by_a_forked_child_are_kept_too(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _project(tmp_path, "generated")
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    monkeypatch.setattr(st, "_sizing_threads", lambda: 1)
    alone = _everything(_as_text(entry, monkeypatch))
    monkeypatch.setattr(st, "BATCH_CELLS", 4000)  # several batches: a child sizes half
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    children: list[bool] = []
    started = forked.start

    def counted(task: object) -> forked.Child | None:
        child = started(task)  # type: ignore[arg-type]
        children.append(child is not None)
        return child

    monkeypatch.setattr(forked, "start", counted)
    with warnings.catch_warnings():  # Python 3.12 warns of fork() beside other threads
        warnings.simplefilter("ignore", DeprecationWarning)
        assert _everything(compile(entry)) == alone
    assert any(children)
    result = compile(entry)
    assert result.sizing is not None
    realtime = [q for q in result.sizing.queues if q.spec.mode == "realtime"]
    assert len(_sized_files(cache)) >= len(realtime)

    def refused(*_: object) -> st.IntervalResult:
        raise AssertionError("a kept queue was sized again")

    with monkeypatch.context() as refusing:
        refusing.setattr(st, "_realtime_cells", refused)
        warm = compile(entry)
    assert _everything(warm) == alone


def test_a_file_holds_the_cells_in_a_fixed_layout() -> None:
    cells = st.IntervalResult(
        agents=np.array([0, 3, 2**40], dtype=np.int64),
        traffic=np.array([0.0, 1.5, 1e300]),
        service_level=np.array([1.0, 0.8, np.nan]),
        asa=np.array([0.0, 12.5, np.inf]),
        abandon=np.array([0.0, 0.01, -0.0]),
        occupancy=np.array([0.0, 0.5, 1.0]),
        infeasible=np.array([False, False, True]),
        contacts=np.zeros(0),
    )
    key = bytes(range(32))
    data = kept.cells_bytes(key, cells)
    assert len(data) == 32 + 8 + 3 * (6 * 8 + 1)
    back = kept._cells_from(data, key)
    assert back is not None
    for field in attrs.fields(st.IntervalResult):
        mine, theirs = getattr(back, field.name), getattr(cells, field.name)
        assert mine.dtype == theirs.dtype and mine.tobytes() == theirs.tobytes()
        assert field.name == "contacts" or mine.flags.writeable
    assert kept._cells_from(data, bytes(32)) is None


def test_cells_of_another_type_are_refused() -> None:
    cells = st.IntervalResult(
        *(np.zeros(2) for _ in range(7)),
        contacts=np.zeros(0),  # float agents
    )
    with pytest.raises(ValueError, match="agents"):
        kept.cells_bytes(bytes(32), cells)


def test_the_key_holds_the_processor_features_numpy_uses() -> None:
    features = kept._cpu_features()
    assert features and all(isinstance(name, str) for name in features)
    assert features == sorted(features)
