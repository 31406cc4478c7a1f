"""How compile and build time grow with the size of a blueprint.

``scaled(k)`` is a generated center of ``k`` times the example's size (eight blocks of
``generate.UNIT`` per time, about 540 lines: voice, chat and web for two processes, a
component with a deployment option, a requirement, a phase and an assertion each), and
``exponent`` fits time = c × size^b by least squares on the logarithms.

Run as a script for the manual measurement of docs/testing.md (100 times the example,
about 50,000 lines, beyond the 1 MiB limit of one blueprint, so compiled from Python with
the limit raised)::

    python -m tests.bench.scale 100            # full compile: seconds and peak memory
    python -m tests.bench.scale 100 --build    # and the document set
"""

from __future__ import annotations

import argparse
import io
import math
import resource
import sys
import time
from collections.abc import Sequence

from tests.bench.generate import generated_blueprint

UNITS_PER_EXAMPLE = 8
"""Generated blocks in one example's worth of blueprint (8 x 63 lines + the header)."""


def scaled(times: float) -> str:
    """A clean generated blueprint of ``times`` the example's size (at least one block)."""
    return generated_blueprint(max(1, round(UNITS_PER_EXAMPLE * times)))


def exponent(sizes: Sequence[float], seconds: Sequence[float]) -> float:
    """b of time = c x size^b, fitted by least squares on log time against log size."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(t) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    covariance = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    variance = sum((x - mx) ** 2 for x in xs)
    return covariance / variance


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_mb() -> float:
    """The largest peak of a child process (a forked parse or sizing), pages it shares
    with this process included."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.scale")
    parser.add_argument("times", type=int, help="the blueprint's size, in examples")
    parser.add_argument("--build", action="store_true", help="also build the document set")
    args = parser.parse_args(argv)
    from blueprintc.driver import compile

    text = scaled(args.times)
    print(f"{args.times}x the example: {text.count(chr(10)):,} lines, {len(text):,} bytes")
    start = time.perf_counter()
    compiled = compile(text, max_input_bytes=len(text.encode()) + 1)
    elapsed = time.perf_counter() - start
    print(
        f"full compile: {elapsed:.2f} s, ok={compiled.ok}, peak memory {_peak_mb():.0f} MB "
        f"(a child's at most {_children_mb():.0f} MB)"
    )
    if not args.build:
        return 0 if compiled.ok else 1
    from blueprintc.documents.build import build_documents

    start = time.perf_counter()
    built = build_documents(compiled)
    elapsed = time.perf_counter() - start
    print(
        f"document set: {elapsed:.2f} s more ({len(built.files)} files in memory), "
        f"peak memory {_peak_mb():.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, line_buffering=True)
    raise SystemExit(main())
