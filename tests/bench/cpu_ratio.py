"""The processor time of a command against the import floor (issue #13, goal 3).

The *floor* is the processor time (user + system) of a Python that only imports the
libraries every compilation needs, ``python -c "import lark, networkx, numpy, jinja2,
attrs"``; a command's *ratio* is its processor time over the floor's, both the median of
``--runs`` runs taken in turns, so that what else the machine does weighs on both alike.
The goal: ``check`` of the example at most 2 times the floor, ``size``, ``plan`` and
``cost`` at most 2.5 times.

Measured as users run blueprintc: with bytecode (``.pyc`` files) written and kept, and
with blueprintc's cache folder as the commands leave it (parsed files and sized queues
kept: an unchanged blueprint checked again); one run of each command comes first and is
not counted. Run as::

    python -m tests.bench.cpu_ratio                     # check, size, plan, cost; 7 runs
    python -m tests.bench.cpu_ratio --runs 11 check

``PYTHONDONTWRITEBYTECODE`` is removed from the commands' environment: without bytecode
every run compiles blueprintc's modules again (about 0.2 s more).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"
FLOOR = ("-c", "import lark, networkx, numpy, jinja2, attrs")
GOALS = {"check": 2.0, "size": 2.5, "plan": 2.5, "cost": 2.5}


def cpu_seconds(arguments: Sequence[str], environment: dict[str, str]) -> float:
    """The processor time (user + system) of one run of ``python ARGUMENTS``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def ratios(commands: Sequence[str], runs: int) -> tuple[float, dict[str, float]]:
    """The floor's median processor time and each command's, in seconds."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    lines = {c: ("-m", "blueprintc", c, str(EXAMPLE)) for c in commands}
    for arguments in (FLOOR, *lines.values()):  # bytecode and parsed files written
        cpu_seconds(arguments, environment)
    floor: list[float] = []
    times: dict[str, list[float]] = {c: [] for c in commands}
    for _ in range(runs):
        floor.append(cpu_seconds(FLOOR, environment))
        for command, arguments in lines.items():
            times[command].append(cpu_seconds(arguments, environment))
    return statistics.median(floor), {c: statistics.median(t) for c, t in times.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.cpu_ratio")
    parser.add_argument("commands", nargs="*", help=f"of {', '.join(GOALS)} (default: all)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each (default 7)")
    args = parser.parse_args(argv)
    unknown = [c for c in args.commands if c not in GOALS]
    if unknown:
        parser.error(f"not a measured command: {', '.join(unknown)}")
    floor, medians = ratios(args.commands or list(GOALS), max(1, args.runs))
    print(f"import floor  {floor:.2f} s CPU (median of {args.runs})")
    for command, seconds in medians.items():
        ratio = seconds / floor if floor else float("inf")
        print(f"{command:<12} {seconds:.2f} s CPU  {ratio:.2f}x the floor (goal {GOALS[command]}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
