"""Hypothesis profiles of the fuzz tests and the loop that runs them for a given time.

``blueprintc-fuzz`` is the bounded run of the default test suite. ``blueprintc-fuzz-long``
runs when ``BLUEPRINTC_FUZZ=long``: each fuzz test then repeats rounds of fresh random
examples until its share of ``BLUEPRINTC_FUZZ_MINUTES`` (default 60) has passed, since
Hypothesis itself has no time budget.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.checks import FuzzFailure, save
from tests.fuzz.guard import Job

FUZZ_ENV = "BLUEPRINTC_FUZZ"
MINUTES_ENV = "BLUEPRINTC_FUZZ_MINUTES"
DEFAULT, LONG = "blueprintc-fuzz", "blueprintc-fuzz-long"
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile(DEFAULT, max_examples=60, deadline=None, suppress_health_check=_QUIET)
# Rounds of 50: the run stops at most one round after its time is up.
settings.register_profile(LONG, max_examples=50, deadline=None, suppress_health_check=_QUIET)


def is_long() -> bool:
    return os.environ.get(FUZZ_ENV) == "long"


def fuzz(
    strategy: st.SearchStrategy[Job],
    check: Callable[[Job], object],
    share: float,
    examples: int,
) -> Counter[str]:
    """Run ``check`` on inputs drawn from ``strategy``: ``examples`` of them in the default
    run, or rounds until ``share`` of the long run's minutes have passed. Returns how many
    inputs were compiled (``inputs``) and rounds run; a finding is saved, then raised."""
    long = is_long()
    profile = settings.get_profile(LONG if long else DEFAULT)
    seconds = float(os.environ.get(MINUTES_ENV, "60")) * 60 * share if long else 0.0
    counts: Counter[str] = Counter()

    @settings(profile, max_examples=profile.max_examples if long else examples)
    @given(strategy)
    def property_(job: Job) -> None:
        counts["inputs"] += 1
        check(job)

    deadline = time.monotonic() + seconds
    while True:
        try:
            property_()
        except FuzzFailure as failure:
            save(failure)
            raise
        except ExceptionGroup as group:
            for failure in group.exceptions:
                if isinstance(failure, FuzzFailure):
                    save(failure)
            raise
        counts["rounds"] += 1
        if time.monotonic() >= deadline:
            return counts
