"""A move between two channels of a process is given once: a second `migrate` line for the
same pair is an error at its line, not a crash of the phasing solver."""

from __future__ import annotations

from collections.abc import Callable

from blueprintc.driver import Compilation
from tests.conftest import codes

CHANNELS = (
    "channel voice { kind voice; mode realtime; hours daily 00:00-24:00; target 80% within 20 s }\n"
    "channel email { kind email; mode deferred; hours daily 00:00-24:00; target 90% within 1 day }"
    "\n"
    "service support { }\n"
)
PROCESS = (
    "process billing {{\n"
    "  service support\n"
    "  volume 10k/year\n"
    "  mix {{ voice 70%; email 30% }}\n"
    "  aht {{ voice 5 min; email 4 min }}\n"
    "{migrations}"
    "}}\n"
)


def _process(*migrations: str) -> str:
    return CHANNELS + PROCESS.format(migrations="".join(f"  {m}\n" for m in migrations))


def test_a_second_migration_between_the_same_channels_is_reported(
    project: Callable[..., Compilation],
) -> None:
    result = project(
        _process("migrate voice to email 10%", "migrate voice to email 5%"), until="size"
    )
    assert ("CXB0404", 11, 3) in codes(result)
    (duplicate,) = [d for d in result.diagnostics if d.code.id == "CXB0404"]
    assert duplicate.message == "the migration of `billing` from `voice` to `email` is given twice"
    assert [label.span.line for label in duplicate.labels] == [10]
    assert "CXB0901" not in [code for code, _, _ in codes(result)]


def test_migrations_between_different_channels_are_fine(
    project: Callable[..., Compilation],
) -> None:
    result = project(_process("migrate voice to email 10%", "migrate email to voice 5%"))
    assert "CXB0404" not in [code for code, _, _ in codes(result)]
