"""The parser and the typed syntax tree: every syntactic construct, spans and comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.source import SourceFile
from blueprintc.syntax import ast
from blueprintc.syntax.lower import parse_number
from blueprintc.syntax.parse import parse


def parse_ok(text: str) -> ast.Module:
    sink = DiagnosticSink()
    module = parse(SourceFile("t.cxb", text), sink)
    assert not len(sink), [d.message for d in sink.sorted()]
    return module


def only(text: str) -> ast.Statement:
    (node,) = parse_ok(text).statements
    assert isinstance(node, ast.Statement)
    return node


def atoms(text: str) -> tuple[ast.Atom, ...]:
    node = only(f"f {text}")
    return node.args[0].atoms


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("38_000", "38000"),
        ("4.5", "4.5"),
        ("1.1M", "1100000"),
        ("250k", "250000"),
        ("2B", "2000000000"),
        ("0", "0"),
        ("1_000.25", "1000.25"),
    ],
)
def test_numbers(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)


def test_statement_with_name_extends_and_block() -> None:
    node = only("channel voice extends std.voice { shrinkage 32% }")
    assert node.keyword == "channel"
    names = [a.text for a in node.args[0].atoms if isinstance(a, ast.Name)]
    assert names == ["voice", "extends", "std.voice"]
    assert node.block is not None
    (field,) = node.block.statements
    assert isinstance(field, ast.Statement) and field.keyword == "shrinkage"


@pytest.mark.parametrize(
    ("text", "number", "numerator", "per"),
    [
        ("4.5 min", "4.5", "min", ()),
        ("80%", "80", "%", ()),
        ("6%/year", "6", "%", ("year",)),
        ("38_000/month", "38000", None, ("month",)),
        ("95 USD/seat/month", "95", "USD", ("seat", "month")),
        ("1.1M USD", "1100000", "USD", ()),
        ("120", "120", None, None),
    ],
)
def test_quantities(
    text: str, number: str, numerator: str | None, per: tuple[str, ...] | None
) -> None:
    (quantity,) = atoms(text)
    assert isinstance(quantity, ast.Quantity)
    assert quantity.value == Decimal(number)
    if per is None:
        assert quantity.unit is None
    else:
        assert quantity.unit is not None
        assert (quantity.unit.numerator, quantity.unit.per) == (numerator, per)
    assert quantity.span.text == text


def test_negative_quantity() -> None:
    (quantity,) = atoms("-5%/year")
    assert isinstance(quantity, ast.Quantity) and quantity.value == Decimal(-5)


def test_target_phrase() -> None:
    parts = atoms("80% within 20 s answered")
    assert [type(a).__name__ for a in parts] == ["Quantity", "Name", "Quantity", "Name"]


def test_ranges_days_and_clock() -> None:
    node = only("hours mon..fri 08:00-20:00, sat 09:00-14:00")
    first, second = node.args
    days, times = first.atoms
    assert isinstance(days, ast.Range) and isinstance(days.low, ast.Name)
    assert isinstance(times, ast.Range) and isinstance(times.low, ast.Clock)
    assert times.low.minutes == 8 * 60 and times.high.minutes == 20 * 60
    assert second.atoms[0].span.text == "sat"


def test_dates_and_texts() -> None:
    date, text = atoms('2027-01-15 "say \\"hi\\"\\n"')
    assert isinstance(date, ast.Date) and (date.year, date.month, date.day) == (2027, 1, 15)
    assert isinstance(text, ast.Text) and text.value == 'say "hi"\n'
    (month,) = atoms("2027-06")
    assert isinstance(month, ast.Date) and month.day is None


def test_std_use_path_and_file_use() -> None:
    module = parse_ok('use std/channels\nuse "./other.cxb"\n')
    first, second = module.statements
    assert isinstance(first, ast.Statement)
    assert [a.span.text for a in first.args[0].atoms] == ["std", "/", "channels"]
    assert isinstance(second, ast.Statement)
    assert isinstance(second.args[0].atoms[0], ast.Text)


def test_separators_newline_semicolon_and_blocks() -> None:
    module = parse_ok("a 1; b 2\nc { x 1 } d { y 2 }\n\n\ne 3;;\n")
    assert [s.keyword for s in module.statements if isinstance(s, ast.Statement)] == [
        "a",
        "b",
        "c",
        "d",
        "e",
    ]


def test_list_continues_after_trailing_comma() -> None:
    node = only("segments a,\n   b,\n   c")
    assert len(node.args) == 3


def test_nested_blocks_and_groups() -> None:
    node = only("process p { mix { voice 70%; web 30% }; f (1, 2) }")
    assert node.block is not None
    mix, f = node.block.statements
    assert isinstance(mix, ast.Statement) and mix.block is not None
    assert isinstance(f, ast.Statement) and isinstance(f.args[0].atoms[0], ast.Group)


def test_comments_are_kept_with_positions() -> None:
    text = "// head\nsegment a { /* inside */ share 8% } // tail\n/* multi\nline */\n"
    module = parse_ok(text)
    assert [c.text for c in module.comments] == [
        "// head",
        "/* inside */",
        "// tail",
        "/* multi\nline */",
    ]
    assert module.comments[1].span.line == 2


def test_assert_expressions() -> None:
    module = parse_ok(
        "assert occupancy(voice) <= 85% and not fte(total) > 400"
        " or capex(year 1) - 2 * 3 < 1.8M USD"
    )
    (node,) = module.statements
    assert isinstance(node, ast.Assert)
    expr = node.expr
    assert isinstance(expr, ast.BinaryOp) and expr.op == "or"
    left = expr.left
    assert isinstance(left, ast.BinaryOp) and left.op == "and"
    compare = left.left
    assert isinstance(compare, ast.BinaryOp) and compare.op == "<="
    assert isinstance(compare.left, ast.Call) and compare.left.name == "occupancy"
    assert isinstance(compare.right, ast.Quantity) and compare.right.value == 85
    right = expr.right
    assert isinstance(right, ast.BinaryOp) and isinstance(right.left, ast.BinaryOp)
    assert right.left.op == "-"  # precedence: (capex - (2 * 3)) < ...
    assert isinstance(right.left.right, ast.BinaryOp) and right.left.right.op == "*"
    money = right.right
    assert isinstance(money, ast.Quantity) and money.unit is not None
    assert money.unit.numerator == "USD" and money.value == Decimal(1_800_000)


def test_assert_literal_units_and_negation() -> None:
    (node,) = parse_ok("assert -cost_per_contact(voice) >= -6.5 USD/contact").statements
    assert isinstance(node, ast.Assert) and isinstance(node.expr, ast.BinaryOp)
    assert isinstance(node.expr.left, ast.UnaryOp)


def test_spans_cover_statements() -> None:
    text = "segment premier {\n  share 8%\n}\n"
    node = only(text)
    assert node.span.text == text.strip()
    assert node.keyword_span.line == 1 and node.keyword_span.column == 1
    assert node.block is not None
    (share,) = node.block.statements
    assert isinstance(share, ast.Statement)
    assert (share.span.line, share.span.column) == (2, 3)


def test_recovery_reports_independent_errors() -> None:
    sink = DiagnosticSink()
    text = "a { x 1 @ }\nb { y 2,, }\nc { z 3 }\n"
    module = parse(SourceFile("t.cxb", text), sink)
    found = [(d.code.id, d.span.line if d.span else 0) for d in sink.sorted()]
    assert found == [("CXB0102", 1), ("CXB0101", 2)]
    assert [s.keyword for s in module.statements if isinstance(s, ast.Statement)] == ["a", "b", "c"]


def test_unicode_columns_count_characters() -> None:
    sink = DiagnosticSink()
    parse(SourceFile("t.cxb", 'a { t "Zürich \U0001f600" @ }'), sink)
    (diagnostic,) = sink.sorted()
    # a␣{␣t␣"Zürich␣😀"␣@ : the @ is the 18th character; 😀 is two UTF-16 code units.
    assert diagnostic.span is not None and diagnostic.span.column == 18
    assert diagnostic.span.file.utf16_col(diagnostic.span.start) == (0, 18)


def test_dates_in_assertions() -> None:
    (node,) = parse_ok("assert phase_end(foundation) <= 2027-09").statements
    assert isinstance(node, ast.Assert) and isinstance(node.expr, ast.BinaryOp)
    assert isinstance(node.expr.right, ast.Date) and node.expr.right.month == 9
