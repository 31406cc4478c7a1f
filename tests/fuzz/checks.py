"""What every fuzzed input must satisfy, and how a finding is reported and kept."""

from __future__ import annotations

import difflib
import hashlib
import os
from pathlib import Path

from tests.fuzz.guard import Guard, Job, Outcome

# The long run writes each (shrunk) finding here, ready to become a corpus case.
FOUND_DIR_ENV = "BLUEPRINTC_FUZZ_FOUND"
SHOWN = 3000
# Diagnostics about the entry file as a whole (it cannot be read, it is too large) have no
# line to point at: the command line named the file.
WHOLE_FILE_GROUP = "CXB00"


class FuzzFailure(AssertionError):
    """An input broke a guarantee; carries the job so that it can be saved."""

    def __init__(self, job: Job, problems: list[str]) -> None:
        self.job = job
        self.problems = problems
        super().__init__(
            f"{job.label or 'fuzzed input'}:\n- " + "\n- ".join(problems) + "\n" + _shown(job)
        )


def _shown(job: Job) -> str:
    """The input, or its difference from the text it was derived from, cut to a screenful."""
    if job.base:
        lines = difflib.unified_diff(
            job.base.splitlines(), job.text.splitlines(), "base", str(job.path), lineterm="", n=1
        )
        text = "\n".join(lines)
    else:
        text = f"--- {job.path} ({len(job.text)} characters)\n{job.text}"
    text += "".join(f"\n--- {path} (replaced):\n{t}" for path, t in job.overlay.items())
    return text if len(text) <= SHOWN else text[:SHOWN] + "\n[... cut ...]"


def problems(outcome: Outcome, guard: Guard) -> list[str]:
    """Every broken guarantee of one outcome, in words; empty when the input was handled."""
    found: list[str] = []
    if outcome.hung:
        found.append(f"did not finish within {guard.wall_seconds:g} s (stopped)")
    if outcome.died:
        found.append(f"the compiler process died: {outcome.died}")
    if outcome.memory:
        found.append(f"needed more than {guard.memory / (1 << 30):g} GiB of memory")
    if outcome.cpu > guard.cpu_seconds:
        found.append(f"took {outcome.cpu:.1f} s of processor time (at most {guard.cpu_seconds:g})")
    if outcome.error:
        found.append(f"raised an exception:\n{outcome.error}")
    if outcome.hung or outcome.died or outcome.memory or outcome.error:
        return found
    for record in outcome.diagnostics:
        found.extend(_diagnostic_problems(record))
    if not outcome.ok and not any(d["error"] for d in outcome.diagnostics):
        found.append("the compilation failed without an error diagnostic")
    return found


def _diagnostic_problems(record: dict[str, object]) -> list[str]:
    code = record["code"]
    found: list[str] = []
    if code == "CXB0901":
        found.append(f"internal error CXB0901: {record['message']}")
    if not record["registered"]:
        found.append(f"{code} is not a registered diagnostic code")
    if not record["message"]:
        found.append(f"{code} has no message")
    span = record["span"]
    if span is None and not str(code).startswith(WHOLE_FILE_GROUP):
        found.append(f"{code} is not located in a file: {record['message']}")
    elif span is not None:
        assert isinstance(span, tuple)
        _, start, end, length = span
        if not 0 <= start <= end <= length:
            found.append(f"{code} points outside its file ({start}..{end} of {length})")
    return found


def check(guard: Guard, job: Job) -> Outcome:
    """Compile ``job`` under the guard; raise :class:`FuzzFailure` naming it when it breaks
    a guarantee."""
    outcome = guard.run(job)
    found = problems(outcome, guard)
    if found:
        raise FuzzFailure(job, found)
    return outcome


def _gist(problem: str) -> list[str]:
    """A problem in at most two lines: its first, and an exception's last."""
    lines = problem.strip().splitlines()
    return lines[:1] + lines[-1:] if len(lines) > 1 else lines


def save(failure: FuzzFailure) -> Path | None:
    """Write a finding to the folder named by ``BLUEPRINTC_FUZZ_FOUND``, if set."""
    folder = os.environ.get(FOUND_DIR_ENV)
    if not folder:
        return None
    job = failure.job
    digest = hashlib.sha256(job.text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    target = Path(folder) / f"{digest}.cxb"
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = [line for p in failure.problems for line in _gist(p)]
    header = "".join(f"// fuzz: {line}\n" for line in lines)
    target.write_text(header + job.text, encoding="utf-8", errors="surrogatepass")
    for index, text in enumerate(job.overlay.values()):
        target.with_suffix(f".module{index}.cxb").write_text(text, encoding="utf-8")
    return target
