"""A channel is piloted once: a second `pilot` of it is an error at its line, not a crash of
the phasing solver."""

from __future__ import annotations

from collections.abc import Callable

from blueprintc.driver import Compilation
from tests.conftest import codes

CHANNEL = (
    "channel chat { kind chat; mode realtime; hours daily 00:00-24:00; target 80% within 30 s }\n"
)


def test_a_second_pilot_of_a_channel_in_the_same_phase_is_reported(
    project: Callable[..., Compilation],
) -> None:
    result = project(
        CHANNEL + "phase launch {\n  includes chat\n  pilot chat 10%\n  pilot chat 1%\n}\n",
        until="size",
    )
    assert ("CXB0404", 6, 3) in codes(result)
    (duplicate,) = [d for d in result.diagnostics if d.code.id == "CXB0404"]
    assert duplicate.message == "the pilot of `chat` is given twice"
    assert [label.span.line for label in duplicate.labels] == [5]
    assert not result.ok and result.planning is None


def test_pilots_of_one_channel_in_two_phases_are_reported(
    project: Callable[..., Compilation],
) -> None:
    result = project(
        CHANNEL
        + "phase one {\n  includes chat\n  pilot chat 10%\n}\n"
        + "phase two {\n  after one\n  pilot chat 20% for 1 month\n}\n",
        until="size",
    )
    assert ("CXB0404", 9, 3) in codes(result)


def test_one_pilot_per_channel_is_fine(project: Callable[..., Compilation]) -> None:
    result = project(CHANNEL + "phase launch {\n  includes chat\n  pilot chat 10%\n}\n")
    assert "CXB0404" not in [code for code, _, _ in codes(result)]


def test_a_pilot_to_no_one_is_out_of_range(project: Callable[..., Compilation]) -> None:
    result = project(CHANNEL + "phase launch {\n  includes chat\n  pilot chat 0%\n}\n")
    assert ("CXB0408", 5, 14) in codes(result)
