"""The guard itself: memory, processor time and hangs are findings that name the input,
and the worker recovers for the next input."""

from __future__ import annotations

from tests.fuzz.cases import ROOT, SKELETON, SKELETON_PATH
from tests.fuzz.checks import problems
from tests.fuzz.guard import Guard, Job, Outcome

MIB = 1 << 20


def test_each_breach_is_reported_and_the_next_input_still_compiles() -> None:
    with Guard(memory=256 * MIB, cpu_seconds=0.2, wall_seconds=30.0) as guard:
        memory = guard.send({"probe": "allocate", "bytes": 512 * MIB})
        assert memory.memory
        assert problems(memory, guard) == ["needed more than 0.25 GiB of memory"]

        slow = guard.send({"probe": "spin", "seconds": 0.5})
        assert slow.cpu >= 0.5
        assert "s of processor time (at most 0.2)" in problems(slow, guard)[0]

        guard.wall_seconds = 0.5
        hung = guard.send({"probe": "sleep", "seconds": 30})
        assert hung.hung
        assert problems(hung, guard) == ["did not finish within 0.5 s (stopped)"]

        guard.wall_seconds = 30.0
        fine = guard.run(Job(SKELETON, SKELETON_PATH, ROOT))
        assert fine.ok
        assert problems(fine, guard) == []


def test_a_failing_outcome_names_every_broken_guarantee() -> None:
    record = {"code": "CXB0901", "registered": True, "error": True, "message": "boom"}
    outcome = Outcome(diagnostics=({**record, "span": None},))
    with Guard() as guard:
        found = problems(outcome, guard)
    assert found == [
        "internal error CXB0901: boom",
        "CXB0901 is not located in a file: boom",
    ]


def test_a_diagnostic_about_the_whole_entry_file_needs_no_line() -> None:
    too_large = {"code": "CXB0005", "registered": True, "error": True, "message": "too large"}
    outcome = Outcome(diagnostics=({**too_large, "span": None},))
    with Guard() as guard:
        assert problems(outcome, guard) == []
