"""One guarded compiler worker for all the fuzz tests of a session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fuzz.guard import Guard


@pytest.fixture(scope="session")
def guard() -> Iterator[Guard]:
    with Guard() as running:
        yield running
