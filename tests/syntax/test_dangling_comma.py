"""A list that ends with a comma before a `}` or a blank line: one error at the token the
parser met, inside the file, and the rest of the file still checked."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from blueprintc.driver import Compilation
from tests.conftest import codes


@pytest.mark.parametrize(
    ("list_line", "line", "column"),
    [
        ("  current wfm,\n}\n", 8, 1),
        ("  current wfm, // more to come\n}\n", 8, 1),
        ("  current wfm, /* more */\n\n}\n", 9, 1),
    ],
)
def test_a_dangling_comma_is_one_error_inside_the_file(
    project: Callable[..., Compilation], list_line: str, line: int, column: int
) -> None:
    main = "practice wfm {\n  layer operational\n  tier best\n}\nmaturity {\n" + list_line
    result = project(main, until="check")
    assert codes(result) == [("CXB0101", line, column)]
    (error,) = result.diagnostics
    assert error.help is not None and "`,` at the end of the list" in error.help
    assert error.span is not None and error.span.end <= len(error.span.file.text)


def test_later_errors_are_still_found(project: Callable[..., Compilation]) -> None:
    main = "maturity {\n  current a,\n}\nsegment s { share 10% ] }\n"
    result = project(main, until="check")
    assert codes(result) == [("CXB0101", 4, 1), ("CXB0102", 5, 23)]
