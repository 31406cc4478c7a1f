"""Every figure of every output of one blueprint, collected under one name per figure.

The outputs are those a consultant reads: ``blueprintc size``, ``plan`` and ``cost`` (run
through the command line's ``main`` in this process, JSON and, for ``size``, text), and
the document set of ``blueprintc build``: every document's JSON, the Markdown and the two
workbooks (read back with openpyxl; the financial model's formulas are evaluated here).

A figure is keyed by what it is, in words, e.g. ``("staff", "FTE in its busiest month",
"voice")``; each occurrence records the output it was read from, the value and the half
width of the display rounding of that output (a value shown with one decimal is the exact
figure rounded to one decimal, so it stands for an interval of half a unit). Occurrences
of one figure agree when their intervals meet; nothing else is tolerated.

Where two outputs show the same figure under the same name, they are recorded under
the same key, so a test fails when they differ. The FTE definitions, as the outputs name
them today:

* ``FTE in the peak month``: a queue's FTE in the month the outputs call the peak month.
  The size JSON names the center's peak month (``peak_month``) and gives each queue's FTE
  per month: its value is the queue's FTE in that month. FTE = agent hours ÷ (paid hours
  × (1 − shrinkage)), docs/sizing.md.
* ``FTE, average of the months``: the mean of a queue's monthly FTE over the horizon.
* ``FTE by year``: the mean of a queue's monthly FTE over each project year.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import openpyxl

from blueprintc.cli import main
from blueprintc.documents import build_documents
from blueprintc.driver import compile

Key = tuple[str, ...]


@attrs.frozen
class Seen:
    """One occurrence of a figure: where it was read, its value, its display half width."""

    output: str
    value: float
    half_width: float

    @property
    def low(self) -> float:
        return self.value - self.half_width - _slack(self.value)

    @property
    def high(self) -> float:
        return self.value + self.half_width + _slack(self.value)


def _slack(value: float) -> float:
    """Floating-point slack only (sums of many floats), far below any display rounding."""
    return 1e-9 * max(1.0, abs(value))


@attrs.define
class Figures:
    """Every occurrence of every figure of one blueprint's outputs."""

    seen: dict[Key, list[Seen]] = attrs.Factory(lambda: defaultdict(list))

    def add(self, key: Key, output: str, value: Any, half_width: float | None = None) -> None:
        """Record ``value`` (a number, a decimal string or a Markdown cell) under ``key``."""
        if value is None:
            return
        if isinstance(value, str):
            parsed = number(value)
            if parsed is None:
                return
            number_value, width = parsed
        else:
            number_value, width = float(value), 0.0
        if half_width is not None:
            width = max(width, half_width)
        if not math.isfinite(number_value):
            return
        self.seen[key].append(Seen(output, number_value, width))

    def disagreements(self, keep: Callable[[Key], bool]) -> list[str]:
        """A line per figure kept by ``keep`` whose occurrences cannot all be one value."""
        found = []
        for key, occurrences in sorted(self.seen.items()):
            if not keep(key) or len(occurrences) < 2:
                continue
            if max(s.low for s in occurrences) > min(s.high for s in occurrences):
                shown = "; ".join(f"{s.output} = {s.value:g}" for s in occurrences)
                found.append(f"{' / '.join(key)}: {shown}")
        return found

    def outputs(self, key: Key) -> set[str]:
        return {s.output for s in self.seen.get(key, [])}


_NUMBER = re.compile(r"^-?[0-9][0-9,]*(\.[0-9]+)?%?$")


def number(text: str) -> tuple[float, float] | None:
    """``"1,234.5"`` -> (1234.5, 0.05); ``"80.0%"`` -> (0.8, 0.0005); else None."""
    text = text.strip().strip("*").strip()
    if not _NUMBER.match(text):
        return None
    percent = text.endswith("%")
    digits = text.rstrip("%").replace(",", "")
    places = len(digits.partition(".")[2])
    value = Decimal(digits)
    width = Decimal(5).scaleb(-places - 1)
    if percent:
        value, width = value / 100, width / 100
    return float(value), float(width)


# -- Markdown ---------------------------------------------------------------------------------

_PIPE = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:-1] if inner.endswith("|") else inner[1:]
    return [c.strip().replace("\\", "").strip("*").strip() for c in _PIPE.split(inner)]


# A header's currency, `Cost (GBP)`, read as `Cost (currency)` whatever the blueprint's.
_CURRENCY = re.compile(r"\([A-Z]{3}\)$")


def tables(markdown: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every pipe table of a Markdown page: its header (the currency of a money column
    written `(currency)`) and its rows (cells unescaped)."""
    found: list[tuple[list[str], list[list[str]]]] = []
    lines = markdown.split("\n")
    index = 0
    while index < len(lines) - 1:
        if lines[index].startswith("|") and re.match(r"^\|[-:| ]+\|$", lines[index + 1]):
            header = [_CURRENCY.sub("(currency)", cell) for cell in _cells(lines[index])]
            rows = []
            index += 2
            while index < len(lines) and lines[index].startswith("|"):
                rows.append(_cells(lines[index]))
                index += 1
            found.append((header, rows))
        else:
            index += 1
    return found


def table(markdown: str, *columns: str) -> list[dict[str, str]]:
    """The rows of every table whose header holds ``columns``, as dicts by header."""
    rows: list[dict[str, str]] = []
    for header, body in tables(markdown):
        if all(c in header for c in columns):
            rows += [dict(zip(header, row, strict=False)) for row in body]
    return rows


# -- the financial model's formulas -------------------------------------------------------------

_REF = re.compile(r"(?:([A-Za-z]+)!)?\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?")


def _column(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


class Workbook:
    """Cell values of a workbook with its formulas evaluated (SUM, SUMIF, ROUND, NPV, + - * / ^)."""

    def __init__(self, data: bytes) -> None:
        self.book = openpyxl.load_workbook(io.BytesIO(data))
        self.memo: dict[tuple[str, int, int], Any] = {}

    def value(self, sheet: str, row: int, column: int) -> Any:
        key = (sheet, row, column)
        if key not in self.memo:
            raw = self.book[sheet].cell(row, column).value
            if isinstance(raw, str) and raw.startswith("="):
                raw = self._evaluate(sheet, raw[1:])
            self.memo[key] = raw
        return self.memo[key]

    def _evaluate(self, sheet: str, formula: str) -> float:
        refs: list[Any] = []

        def replace(match: re.Match[str]) -> str:
            book_sheet = match.group(1) or sheet
            first = (int(match.group(3)), _column(match.group(2)))
            if match.group(4) is None:
                refs.append(self._number(book_sheet, *first))
            else:
                last = (int(match.group(5)), _column(match.group(4)))
                refs.append(
                    [
                        self.value(book_sheet, r, c)
                        for r in range(first[0], last[0] + 1)
                        for c in range(first[1], last[1] + 1)
                    ]
                )
            return f"_r[{len(refs) - 1}]"

        text = _REF.sub(replace, formula).replace("^", "**")
        functions = {"SUM": _sum, "SUMIF": _sumif, "ROUND": _round, "NPV": _npv, "IRR": _irr}
        try:
            return float(eval(text, {"__builtins__": {}, "_r": refs, **functions}))
        except ZeroDivisionError:  # a spreadsheet shows #DIV/0!
            return math.nan

    def _number(self, sheet: str, row: int, column: int) -> float:
        value = self.value(sheet, row, column)
        return float(value) if isinstance(value, (int, float)) else 0.0


def _numbers(values: Iterable[Any]) -> list[float]:
    return [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]


def _sum(*ranges: Any) -> float:
    total = 0.0
    for item in ranges:
        total += sum(_numbers(item)) if isinstance(item, list) else float(item)
    return total


def _sumif(where: list[Any], wanted: str, values: list[Any]) -> float:
    return sum(
        float(v) for w, v in zip(where, values, strict=True) if w == wanted and v is not None
    )


def _round(value: float, places: float) -> float:
    return float(round(Decimal(repr(value)), int(places)))


def _npv(rate: float, values: list[Any]) -> float:
    return sum(v / (1 + rate) ** (t + 1) for t, v in enumerate(_numbers(values)))


def _irr(values: list[Any]) -> float:
    """The rate at which the flows' NPV (first flow at time 0) is zero, by bisection;
    not a number when the NPV keeps one sign (a spreadsheet shows #NUM!, the compiler
    no IRR)."""
    flows = _numbers(values)

    def npv(rate: float) -> float:
        return sum(v / (1 + rate) ** t for t, v in enumerate(flows))

    low, high = -0.99, 1.0
    if npv(low) * npv(high) > 0:
        return math.nan
    for _ in range(200):
        middle = (low + high) / 2
        if npv(low) * npv(middle) <= 0:
            high = middle
        else:
            low = middle
    return (low + high) / 2


# -- running the outputs ----------------------------------------------------------------------


def run_cli(*argv: str) -> dict[str, Any] | str:
    """One command line, in this process: its JSON document, or its text."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(argv), out=out, err=err)
    assert code in (0, 1), (argv, code, err.getvalue())
    if "--format" in argv:
        document: dict[str, Any] = json.loads(out.getvalue())
        return document
    return out.getvalue()


def collect(path: Path) -> Figures:
    """Every figure of every output of the blueprint at ``path``."""
    figures = Figures()
    size = run_cli("size", "--format", "json", str(path))
    size_text = run_cli("size", str(path))
    plan = run_cli("plan", "--format", "json", str(path))
    cost = run_cli("cost", "--format", "json", "--savings", str(path))
    assert isinstance(size, dict) and isinstance(plan, dict) and isinstance(cost, dict)
    assert isinstance(size_text, str)
    compilation = compile(path)
    assert compilation.ok, [d.message for d in compilation.diagnostics if d.is_error]
    files = build_documents(compilation, formats=("md", "json", "xlsx")).files
    docs = {
        json.loads(data)["document"]: json.loads(data)["view"]
        for name, data in files.items()
        if name.startswith("json/") and name != "json/blueprint.json"
    }
    pages = {
        name.removeprefix("md/").removesuffix(".md").split("-", 1)[1]: data.decode()
        for name, data in files.items()
        if name.startswith("md/") and name != "md/index.md"
    }
    _size(figures, size)
    _size_text(figures, size_text)
    _cost(figures, cost)
    _plan(figures, plan)
    _documents(figures, docs)
    _markdown(figures, pages)
    _workbook(figures, Workbook(files["xlsx/financial-model.xlsx"]))
    _bought(figures, cost, pages["technology-design"])
    return figures


def _bought(f: Figures, cost: Mapping[str, Any], technology: str) -> None:
    """The licence quantity a cost line was priced on: its highest month ÷ the monthly
    unit price (a subscription), or its total ÷ the unit price (a one-time licence)."""
    lines = {line["name"]: line for line in cost["lines"]}
    for row in table(technology, "Component", "Option", "Count"):
        line = lines.get(_licence_line({"component": row["Component"], "cost": row["Cost"]}))
        price_text, _, period = row["Unit price (currency)"].partition(" ")
        price = number(price_text)
        if row["Option"] != "design" or line is None or price is None or price[0] == 0:
            continue
        if row["Cost"] == "subscription" and period == "a month":
            highest = max(Decimal(v) for v in line["months"])
        elif row["Cost"] == "licence" and not period:
            highest = Decimal(line["total"])
        else:
            continue
        quantity = highest / Decimal(str(price[0]))
        key = ("licences", "quantity", row["Component"], row["Per"])
        f.add(key, "cost json (line ÷ unit price)", float(quantity), 0.0)


# -- size ---------------------------------------------------------------------------------------

# Display widths of the size JSON: FTE to 4 places, contacts and center FTE to 2.
FTE4 = 0.00005
TWO = 0.005


def years_of(count: int) -> list[range]:
    """Project years of 12 months (the last may be shorter)."""
    return [range(s, min(s + 12, count)) for s in range(0, count, 12)]


def _size(f: Figures, size: Mapping[str, Any]) -> None:
    out = "size json"
    months = size["months"]
    peak = months.index(size["peak_month"])
    f.add(("staff", "peak month index"), out, peak)
    for queue in size["queues"]:
        q = queue["name"]
        f.add(("staff", "peak agents", q), out, max(queue["peak_agents"]))
        f.add(("staff", "FTE in its busiest month", q), out, max(queue["fte"]), FTE4)
        f.add(("staff", "headcount in its busiest month", q), out, max(queue["headcount"]))
        fte = queue["fte"]
        f.add(("staff", "FTE, average of the months", q), out, sum(fte) / len(fte), FTE4)
        for y, value in enumerate(queue["fte_by_year"]):
            f.add(("staff", "FTE by year", q, f"Y{y + 1}"), out, value, FTE4)
        for y, span in enumerate(years_of(len(months))):
            contacts = sum(queue["contacts"][t] for t in span)
            f.add(("volumes", "contacts", q, f"Y{y + 1}"), out, contacts, TWO * len(span))
    f.add(("staff", "agents logged in at the busiest interval"), out,
          size["peak_concurrent_agents"][peak])  # fmt: skip
    f.add(("staff", "agent FTE in the peak month"), out, size["agent_fte"][peak], TWO)
    f.add(("staff", "total FTE in the peak month"), out, size["total_fte"][peak], TWO)
    f.add(("staff", "total FTE, most in a month"), out, max(size["total_fte"]), TWO)
    for y, value in enumerate(size["total_fte_by_year"]):
        f.add(("staff", "total FTE by year", f"Y{y + 1}"), out, value, TWO)
    support = 0
    for role, counts in size["support_staff"].items():
        f.add(("staff", "support staff in the peak month", role), out, counts[peak])
        support += counts[peak]
    f.add(("staff", "support staff in the peak month", "all roles"), out, support)
    for site, seats in size["seats"].items():
        f.add(("seats", "seats needed", site), out, seats)
    if size["seats"]:
        f.add(("seats", "seats needed", "all sites"), out, sum(size["seats"].values()))


_TEXT_QUEUE = re.compile(
    r"^(?P<name>\S.*?)\s+(?P<mode>realtime|deferred|outbound)\s+(?P<agents>\d+)\s+"
    r"(?P<peak>[\d.]+)\s+(?P<avg>[\d.]+)\s+(?P<sl>\S+)\s+(?P<asa>\S+ s|inf)\s+"
    r"(?P<abandon>\S+)\s+(?P<occupancy>\S+)$"
)


def _size_text(f: Figures, text: str) -> None:
    out = "size text"
    lines = text.split("\n")
    for line in lines:
        match = _TEXT_QUEUE.match(line)
        if match:
            q = match["name"]
            f.add(("staff", "peak agents", q), out, match["agents"])
            f.add(("staff", "FTE in its busiest month", q), out, match["peak"])
            f.add(("staff", "FTE, average of the months", q), out, match["avg"])
            f.add(("kpi", "service level", q), out, match["sl"])
            f.add(("kpi", "abandonment", q), out, match["abandon"])
            f.add(("kpi", "occupancy", q), out, match["occupancy"])
    by_year = False
    for line in lines:
        if line.startswith("FTE by year"):
            by_year = True
            continue
        if by_year and line.startswith("  "):
            name, _, values = line.strip().rpartition(": ")
            for y, value in enumerate(values.split(", ")):
                key = ("staff", "total FTE by year", f"Y{y + 1}")
                f.add(key if name == "total" else ("staff", "FTE by year", name, f"Y{y + 1}"),
                      out, value)  # fmt: skip
        elif by_year:
            by_year = False
        label, _, value = line.partition(": ")
        if label == "agent FTE, peak month":
            f.add(("staff", "agent FTE in the peak month"), out, value)
        elif label == "total FTE, peak month":
            f.add(("staff", "total FTE in the peak month"), out, value)
        elif label == "agents logged in at the busiest interval":
            f.add(("staff", "agents logged in at the busiest interval"), out, value)
        elif label == "support staff, peak month" and not value.startswith("none"):
            for item in value.split(", "):
                role, _, count = item.rpartition(" ")
                f.add(("staff", "support staff in the peak month", role), out, count)
        elif label == "seats" and value != "no sites declared":
            for item in value.split(", "):
                site, _, count = item.rpartition(" ")
                f.add(("seats", "seats needed", site), out, count)


# -- cost and plan ------------------------------------------------------------------------------


def _series(f: Figures, out: str, name: str, series: Mapping[str, Any]) -> None:
    for y, value in enumerate(series["years"]):
        f.add(("money", name, f"Y{y + 1}"), out, value)
    f.add(("money", name, "total"), out, series["total"])
    for t, value in enumerate(series["months"]):
        f.add(("money", name, f"month {t + 1}"), out, value)


def _cost(f: Figures, cost: Mapping[str, Any]) -> None:
    out = "cost json"
    for name in ("capex", "opex", "total"):
        _series(f, out, name, cost[name])
    for t, value in enumerate(cost["cumulative"]):
        f.add(("money", "cumulative", f"month {t + 1}"), out, value)
    for y, span in enumerate(years_of(len(cost["cumulative"]))):
        f.add(("money", "cumulative", f"end of Y{y + 1}"), out, cost["cumulative"][span[-1]])
    for line in cost["lines"]:
        _series(f, out, f"line {line['name']}", line)
        f.add(("money", "line total", line["name"]), out, line["total"])
    f.add(("money", "NPV"), out, cost["npv"])
    f.add(("money", "TCO"), out, cost["tco"])
    f.add(("money", "cost per contact"), out, cost["cost_per_contact"])
    for channel, value in cost["cost_per_contact_by_channel"].items():
        f.add(("money", "cost per contact", channel), out, value)
    for option in cost["options"]:
        f.add(("money", "option NPV", option["name"]), out, option["npv"])
        f.add(("money", "option TCO", option["name"]), out, option["tco"])
        f.add(("money", "option NPV above the cheapest", option["name"]), out,
              option["npv_delta"])  # fmt: skip
    for row in cost["activity"]:
        p = row["process"]
        f.add(("volumes", "contacts over the horizon", f"process {p}"), out, row["contacts"])
        for field in ("direct", "overhead", "total", "per_contact"):
            f.add(("money", f"activity {field}", p), out, row[field])
    for row in cost["scenarios"]:
        f.add(("money", "scenario NPV", row["vendor"]), out, row["npv"])
        f.add(("money", "scenario saving", row["vendor"]), out, row["saving"])
    for row in cost.get("savings", []):
        _saving(f, out, row, TWO)
    if cost.get("business_case"):
        _business_case_cost(f, out, cost["business_case"])


def _saving(f: Figures, out: str, row: Mapping[str, Any], width: float) -> None:
    """One lever's saving (cost --savings, the financial design): by owner and lever."""
    key = (row.get("owner", row.get("process")), row["lever"])
    f.add(("money", "staff cost saved", *key), out, row.get("staff_cost_saved"))
    f.add(("staff", "FTE saved, most", *key), out, row.get("fte_saved_peak"), width)
    f.add(("staff", "FTE saved, average", *key), out, row.get("fte_saved_average"), width)
    for y, value in enumerate(row.get("years", [])):
        f.add(("money", "saving of the lever", *key, f"Y{y + 1}"), out, value)
    f.add(("money", "saving of the lever", *key, "total"), out, row.get("total"))


BUSINESS_SERIES = {
    "do_nothing": "do-nothing cost",
    "savings": "savings",
    "benefits": "benefits",
    "investment": "capex",
    "net": "net cash flow",
}


def _business_case_cost(f: Figures, out: str, case: Mapping[str, Any]) -> None:
    for field, name in BUSINESS_SERIES.items():
        if field in case:
            _series(f, out, name if name == "capex" else f"business case {name}", case[field])
    cumulative = case.get("cumulative", [])
    for t, value in enumerate(cumulative):
        f.add(("money", "business case cumulative", f"month {t + 1}"), out, value)
    for y, span in enumerate(years_of(len(cumulative))):
        key = ("money", "business case cumulative", f"end of Y{y + 1}")
        f.add(key, out, cumulative[span[-1]])
    f.add(("money", "business case NPV"), out, case.get("npv"))
    f.add(("money", "business case payback months"), out, case.get("payback_months"))
    f.add(("money", "business case ROI"), out, case.get("roi"))
    f.add(("money", "business case IRR"), out, case.get("irr"))


def _plan(f: Figures, plan: Mapping[str, Any]) -> None:
    out = "plan json"
    for phase in plan["phases"]:
        f.add(("money", "phase cost", phase["name"]), out, phase["cost"])
        f.add(("money", "phase budget", phase["name"]), out, phase["budget"])
    for item in plan["items"]:
        f.add(("money", "item cost", item["name"]), out, item["cost"])


# -- documents' JSON ----------------------------------------------------------------------------

DOC = 5e-7  # document JSON: floats rounded to 6 places


def _documents(f: Figures, docs: Mapping[str, Any]) -> None:
    _technology(f, docs["technology-design"], "technology-design json")
    _financial(f, docs["financial-design"], "financial-design json")
    _business(f, docs["business-design"], "business-design json")
    _facility(f, docs["facility-design"], "facility-design json")
    _rfp(f, docs["rfp"], "rfp json")
    _operations(f, docs["operations"], "operations json")
    phasing = docs["phasing-plan"]
    for phase in phasing["phases"]:
        f.add(("money", "phase cost", phase["name"]), "phasing-plan json", phase.get("cost"))
        f.add(("money", "phase budget", phase["name"]), "phasing-plan json", phase.get("budget"))
    f.add(("money", "NPV"), "vendor-evaluation json", docs["vendor-evaluation"]["design_npv"])


def _queue_staff(f: Figures, out: str, q: str, row: Mapping[str, Any]) -> None:
    f.add(("staff", "peak agents", q), out, row.get("peak_agents"))
    f.add(("staff", "FTE in its busiest month", q), out, row.get("fte_peak"), DOC)
    f.add(("staff", "FTE, average of the months", q), out, row.get("fte_average"), DOC)
    f.add(("staff", "headcount in its busiest month", q), out, row.get("headcount_peak"))


def _technology(f: Figures, view: Mapping[str, Any], out: str) -> None:
    for row in view["capacity"]:
        _queue_staff(f, out, row["queue"], row)
    for row in view["support"]:
        f.add(("staff", "support staff in the peak month", row["role"]), out, row["people_peak"])
    totals = view["totals"]
    f.add(("staff", "agents logged in at the busiest interval"), out, totals["peak_concurrent"])
    f.add(("staff", "agent FTE in the peak month"), out, totals["fte_peak"], DOC)
    f.add(("staff", "support staff in the peak month", "all roles"), out, totals["support_peak"])
    f.add(("staff", "total FTE in the peak month"), out, totals["total_fte_peak"], DOC)
    if view["sites"]:
        f.add(("seats", "seats needed", "all sites"), out, totals["seats_needed"])
    for row in view["sites"]:
        f.add(("seats", "seats needed", row["name"]), out, row["seats_needed"])
    for row in view["licences"]:
        if row["option"] is None:
            f.add(("licences", "quantity", row["component"], row["basis"]), out, row["count"])
            f.add(("money", "line total", _licence_line(row)), out, row["total"])
    for row in view["systems"]:
        f.add(("money", "current system a month", row["name"]), out, row["cost_per_month"])


def _licence_line(row: Mapping[str, Any]) -> str:
    suffix = {"licence": "licences"}.get(row["cost"], row["cost"])
    return f"{row['component']} {suffix}"


def _financial(f: Figures, view: Mapping[str, Any], out: str) -> None:
    summary = view["summary"]
    f.add(("money", "capex", "total"), out, summary["capex"])
    f.add(("money", "opex", "total"), out, summary["opex"])
    f.add(("money", "TCO"), out, summary["tco"])
    f.add(("money", "total", "total"), out, summary["tco"])
    f.add(("money", "NPV"), out, summary["npv"])
    f.add(("volumes", "inbound contacts over the horizon", "all channels"), out,
          summary["contacts"], DOC)  # fmt: skip
    f.add(("money", "cost per contact"), out, summary["cost_per_contact"])
    for y, year in enumerate(view["years"]):
        for name in ("capex", "opex", "total"):
            f.add(("money", name, f"Y{y + 1}"), out, year[name])
        f.add(("money", "cumulative", f"end of Y{y + 1}"), out, year["cumulative"])
    t = 0
    for year in view["months"]:
        for month in year["months"]:
            t += 1
            for name in ("capex", "opex", "total"):
                f.add(("money", name, f"month {t}"), out, month[name])
            f.add(("money", "cumulative", f"month {t}"), out, month["cumulative"])
    for line in view["lines"]:
        for y, value in enumerate(line["years"]):
            f.add(("money", f"line {line['name']}", f"Y{y + 1}"), out, value)
        f.add(("money", f"line {line['name']}", "total"), out, line["total"])
        f.add(("money", "line total", line["name"]), out, line["total"])
    for group in view["groups"]:
        name = f"group {group['category']} {group['group']}"
        for y, value in enumerate(group["years"]):
            f.add(("money", name, f"Y{y + 1}"), out, value)
        f.add(("money", name, "total"), out, group["total"])
    for row in view["staff"]:
        name = row["name"]
        f.add(("staff", "FTE in its busiest month", name), out, row["fte_peak"], DOC)
        f.add(("staff", "FTE, average of the months", name), out, row["fte_average"], DOC)
        f.add(("money", "staff cost", name), out, row["cost"])
    for row in view["channel_costs"]:
        c = row["channel"]
        f.add(("volumes", "contacts and outbound attempts over the horizon", c), out,
              row["contacts"], DOC)  # fmt: skip
        f.add(("money", "channel cost", c), out, row["cost"])
        f.add(("money", "cost per contact", c), out, row["per_contact"])
    for option in view["options"]:
        f.add(("money", "option NPV", option["name"]), out, option["npv"])
        f.add(("money", "option TCO", option["name"]), out, option["tco"])
        f.add(("money", "option NPV above the cheapest", option["name"]), out,
              option["npv_delta"])  # fmt: skip
        for same in option["same_as"]:
            f.add(("money", "option NPV", same), out, option["npv"])
    for row in view["savings"]:
        _saving(f, out, row, DOC)
    case = view.get("business_case")
    if case:
        for y, year in enumerate(case["years"]):
            _business_case_year(f, out, f"Y{y + 1}", year)
        _business_case_year(f, out, "total", case["total"])
        f.add(("money", "business case NPV"), out, case.get("npv"))
        f.add(("money", "business case payback months"), out, case.get("payback_months"))
        f.add(("money", "business case ROI"), out, case.get("roi"))
        f.add(("money", "business case IRR"), out, case.get("irr"), DOC)
    for row in view["activity"]:
        p = row["name"]
        f.add(("volumes", "contacts over the horizon", f"process {p}"), out, row["contacts"], DOC)
        for field in ("direct", "overhead", "total", "per_contact"):
            f.add(("money", f"activity {field}", p), out, row[field])
    f.add(("money", "opex", "total"), out, view["activity_total"])
    for row in view["scenarios"]:
        f.add(("money", "scenario NPV", row["vendor"]), out, row["npv"])
        f.add(("money", "scenario saving", row["vendor"]), out, row["saving"])


BUSINESS_COLUMNS = {
    "do_nothing": "business case do-nothing cost",
    "design_opex": "opex",
    "savings": "business case savings",
    "benefits": "business case benefits",
    "investment": "capex",
    "net": "business case net cash flow",
}


def _business_case_year(f: Figures, out: str, year: str, row: Mapping[str, Any]) -> None:
    for field, name in BUSINESS_COLUMNS.items():
        f.add(("money", name, year), out, row.get(field))
    if year != "total":
        f.add(("money", "business case cumulative", f"end of {year}"), out, row.get("cumulative"))


def _business(f: Figures, view: Mapping[str, Any], out: str) -> None:
    for row in view["channel_volumes"]:
        c = row["channel"]
        for y, value in enumerate(row["contacts_per_year"]):
            f.add(("volumes", "contacts", c, f"Y{y + 1}"), out, value, DOC)
        f.add(("volumes", "contacts", c, "horizon"), out, row["contacts"], DOC)
    for row in view["migrations"]:
        key = (row["process"], f"migrate {row['source']} to {row['target']}")
        f.add(("money", "staff cost saved", *key), out, row["staff_cost_saved"])
        f.add(("staff", "FTE saved, most", *key), out, row["fte_saved_peak"], DOC)
    for row in view["outbound_queues"]:
        q = f"{row['channel']} (outbound)"
        f.add(("staff", "peak agents", q), out, row["peak_agents"])
        f.add(("staff", "FTE in its busiest month", q), out, row["fte_peak"], DOC)


def _facility(f: Figures, view: Mapping[str, Any], out: str) -> None:
    for row in view["seats"]:
        f.add(("seats", "seats needed", row["site"]), out, row["seats_needed"])
    need = view["need"]
    f.add(("staff", "agents logged in at the busiest interval"), out, need["agents_logged_in"])
    for row in need["support"]:
        f.add(("staff", "support staff in the peak month", row["role"]), out, row["people"])
    for row in view["costs"]:
        site = row["site"]
        f.add(("money", "line total", f"{site} fit-out"), out, row["fitout"])
        f.add(("money", "line total", f"{site} rent"), out, row["rent"])
        f.add(("money", "line total", f"{site} running"), out, row["running"])


def _rfp(f: Figures, view: Mapping[str, Any], out: str) -> None:
    volumes = view["volumes"]
    for row in volumes["channels"]:
        for y, value in enumerate(row["contacts_per_year"]):
            f.add(("volumes", "contacts", row["channel"], f"Y{y + 1}"), out, value, DOC)
    for row in volumes["queues"]:
        _queue_staff(f, out, row["queue"], row)
    f.add(("staff", "agents logged in at the busiest interval"), out, volumes["peak_concurrent"])
    f.add(("staff", "total FTE, most in a month"), out, volumes["fte_peak"], DOC)
    for row in volumes["sites"]:
        f.add(("seats", "seats needed", row["site"]), out, row["seats"])
    for row in volumes["licences"]:
        f.add(
            ("licences", "quantity", row["component"], _basis(row["basis"])), out, row["quantity"]
        )


def _basis(text: str) -> str:
    """The RFP's basis ("concurrent seat", "named user") as the technology design's."""
    return text.rpartition(" ")[2]


def _operations(f: Figures, view: Mapping[str, Any], out: str) -> None:
    for row in view["staffing"]:
        _queue_staff(f, out, row["queue"], row)
    names = {"Service level": "service level", "Abandonment": "abandonment",
             "Occupancy": "occupancy", "Cost per contact": "cost per contact"}  # fmt: skip
    for row in view["targets"]:
        name = names.get(row["kpi"])
        if name == "cost per contact":
            f.add(("money", "cost per contact", row["queue"]), out, row["planned"], DOC)
        elif name is not None:
            f.add(("kpi", name, row["queue"]), out, row["planned"], DOC)


# -- Markdown -----------------------------------------------------------------------------------


def _markdown(f: Figures, pages: Mapping[str, str]) -> None:
    _technology_md(f, pages["technology-design"])
    _financial_md(f, pages["financial-design"])
    out = "business-design md"
    for row in table(pages["business-design"], "Channel", "Mode", "Over the horizon"):
        for label, value in row.items():
            if label.startswith("Contacts Y"):
                f.add(("volumes", "contacts", row["Channel"], label.removeprefix("Contacts ")),
                      out, value)  # fmt: skip
        f.add(("volumes", "contacts", row["Channel"], "horizon"), out, row["Over the horizon"])
    out = "facility-design md"
    for row in table(pages["facility-design"], "Site", "Seats needed", "Utilisation at the peak"):
        if row["Site"] != "Total":
            f.add(("seats", "seats needed", row["Site"]), out, row["Seats needed"])
    for row in table(pages["facility-design"], "Site", "Fit-out (capex)", "Rent, horizon"):
        if row["Site"] != "Total":
            f.add(("money", "line total", f"{row['Site']} fit-out"), out, row["Fit-out (capex)"])
            f.add(("money", "line total", f"{row['Site']} rent"), out, row["Rent, horizon"])
            f.add(("money", "line total", f"{row['Site']} running"), out,
                  row["Running, horizon"])  # fmt: skip
    _rfp_md(f, pages["rfp"])
    out = "operations md"
    for row in table(pages["operations"], "Queue", "FTE, busiest month", "FTE, average month"):
        q = row["Queue"]
        f.add(("staff", "peak agents", q), out, row["Agents required at the busiest interval"])
        f.add(("staff", "FTE in its busiest month", q), out, row["FTE, busiest month"])
        f.add(("staff", "FTE, average of the months", q), out, row["FTE, average month"])
        f.add(("staff", "headcount in its busiest month", q), out, row["Headcount, busiest month"])
    names = {"Service level": "service level", "Abandonment": "abandonment",
             "Occupancy": "occupancy"}  # fmt: skip
    for row in table(pages["operations"], "Queue", "KPI", "Planned"):
        if row["KPI"] in names:
            f.add(("kpi", names[row["KPI"]], row["Queue"]), out, row["Planned"])
        elif row["KPI"] == "Cost per contact":
            f.add(("money", "cost per contact", row["Queue"]), out, row["Planned"])
    out = "phasing-plan md"
    for row in table(pages["phasing-plan"], "Phase", "Cost (currency)", "Budget (currency)"):
        f.add(("money", "phase cost", row["Phase"]), out, row["Cost (currency)"])


def _technology_md(f: Figures, page: str) -> None:
    out = "technology-design md"
    for row in table(page, "Queue", "Peak agents", "FTE, busiest month"):
        q = row["Queue"]
        if q == "Center":
            f.add(("staff", "agents logged in at the busiest interval"), out, row["Peak agents"])
            f.add(("staff", "agent FTE in the peak month"), out, row["FTE, busiest month"])
            continue
        f.add(("staff", "peak agents", q), out, row["Peak agents"])
        f.add(("staff", "FTE in its busiest month", q), out, row["FTE, busiest month"])
        f.add(("staff", "FTE, average of the months", q), out, row["FTE, average"])
        f.add(("staff", "headcount in its busiest month", q), out, row["Headcount, busiest month"])
    for row in table(page, "Role", "People, peak month"):
        role = "all roles" if row["Role"] == "Total" else row["Role"]
        f.add(("staff", "support staff in the peak month", role), out, row["People, peak month"])
    for row in table(page, "Site", "Seats needed", "Spare"):
        site = "all sites" if row["Site"] == "Total" else row["Site"]
        f.add(("seats", "seats needed", site), out, row["Seats needed"])
    for row in table(page, "Component", "Option", "Count"):
        if row["Option"] == "design":
            f.add(("licences", "quantity", row["Component"], row["Per"]), out, row["Count"])
            line = _licence_line({"component": row["Component"], "cost": row["Cost"]})
            f.add(("money", "line total", line), out, row["Total over the horizon (currency)"])
    match = re.search(
        r"Total FTE in the peak month: ([\d.,]+) agent FTE \+ (\d+)\s+support staff = "
        r"\*\*([\d.,]+) FTE\*\*",
        page,
    )
    if match:
        f.add(("staff", "agent FTE in the peak month"), out, match[1])
        f.add(("staff", "support staff in the peak month", "all roles"), out, match[2])
        f.add(("staff", "total FTE in the peak month"), out, match[3])


def _financial_md(f: Figures, page: str) -> None:
    out = "financial-design md"
    summary = {r["Figure"]: r["Value"] for r in table(page, "Figure", "Value")}
    f.add(("money", "capex", "total"), out, summary.get("Capex"))
    f.add(("money", "opex", "total"), out, summary.get("Opex"))
    f.add(("money", "TCO"), out, summary.get("TCO (capex + opex)"))
    f.add(("money", "NPV"), out, summary.get("NPV of all costs"))
    f.add(("volumes", "inbound contacts over the horizon", "all channels"), out,
          summary.get("Inbound contacts, all channels"))  # fmt: skip
    f.add(("money", "cost per contact"), out, summary.get("Operating cost per contact"))
    for row in table(page, "Year", "Months", "Capex", "Cumulative"):
        y = row["Year"]
        y = "total" if y == "Total" else y
        for name, column in (("capex", "Capex"), ("opex", "Opex"), ("total", "Total")):
            f.add(("money", name, y), out, row[column])
        if y != "total":
            f.add(("money", "cumulative", f"end of {y}"), out, row["Cumulative"])
    for row in table(page, "Line", "Category", "Group", "Total"):
        for label, value in row.items():
            if re.fullmatch(r"Y\d+", label):
                f.add(("money", f"line {row['Line']}", label), out, value)
        f.add(("money", "line total", row["Line"]), out, row["Total"])
    for row in table(page, "Category", "Group", "Total"):
        if "Line" in row:
            continue
        name = f"group {row['Category']} {row['Group']}"
        for label, value in row.items():
            if re.fullmatch(r"Y\d+", label):
                f.add(("money", name, label), out, value)
        f.add(("money", name, "total"), out, row["Total"])
    t = 0
    for row in table(page, "Month", "Capex", "Opex", "Cumulative"):
        if not re.fullmatch(r"\d{4}-\d{2}", row["Month"]):
            continue
        t += 1
        for name, column in (("capex", "Capex"), ("opex", "Opex"), ("total", "Total")):
            f.add(("money", name, f"month {t}"), out, row[column])
        f.add(("money", "cumulative", f"month {t}"), out, row["Cumulative"])
    for row in table(page, "Queue or role", "FTE, busiest month"):
        name = row["Queue or role"]
        f.add(("staff", "FTE in its busiest month", name), out, row["FTE, busiest month"])
        f.add(("staff", "FTE, average of the months", name), out, row["FTE, average"])
        f.add(("money", "staff cost", name), out, row["Cost over the horizon"])
    for row in table(page, "Channel", "Contacts", "Cost per contact"):
        c = row["Channel"]
        f.add(("volumes", "contacts and outbound attempts over the horizon", c), out,
              row["Contacts"])  # fmt: skip
        f.add(("money", "channel cost", c), out, row["Cost"])
        f.add(("money", "cost per contact", c), out, row["Cost per contact"])
    for row in table(page, "Rank", "Option", "NPV"):
        names = [n.strip() for n in row["Option"].split("(")[0].split("=")]
        for name in names:
            f.add(("money", "option NPV", name), out, row["NPV"])
            f.add(("money", "option TCO", name), out, row["TCO"])
    for row in table(page, "Lever", "Staff cost saved"):
        key = (row.get("Owner", row.get("Process", "")), row["Lever"])
        f.add(("money", "staff cost saved", *key), out, row["Staff cost saved"])
        f.add(("staff", "FTE saved, most", *key), out, row.get("FTE saved, most"))
        f.add(("staff", "FTE saved, average", *key), out, row.get("FTE saved, average"))
        for label, value in row.items():
            if re.fullmatch(r"Y\d+|Total", label):
                y = label.lower() if label == "Total" else label
                f.add(("money", "saving of the lever", *key, y), out, value)
    for row in table(page, "Year", "Do-nothing cost", "Net cash flow"):
        y = "total" if row["Year"] == "Total" else row["Year"]
        columns = {
            "Do-nothing cost": "do_nothing",
            "Design opex": "design_opex",
            "Savings": "savings",
            "Benefits": "benefits",
            "Investment": "investment",
            "Net cash flow": "net",
            "Cumulative": "cumulative",
        }
        _business_case_year(f, out, y, {columns[c]: v for c, v in row.items() if c in columns})
    case = {r["Figure"]: r["Value"] for r in table(page, "Figure", "Value")}
    payback = re.match(r"(\d+) months", case.get("Payback", ""))
    if payback:
        f.add(("money", "business case payback months"), out, payback[1])
    f.add(("money", "business case ROI"), out, case.get("ROI over the horizon"))
    f.add(("money", "business case IRR"), out, case.get("IRR, a year"))
    for label, value in case.items():
        if label.startswith("NPV of the change"):
            f.add(("money", "business case NPV"), out, value)
    for row in table(page, "Process", "Direct", "Overhead", "Per contact"):
        p = row["Process"]
        if p == "Total":
            continue
        f.add(("volumes", "contacts over the horizon", f"process {p}"), out, row["Contacts"])
        for field, column in (("direct", "Direct"), ("overhead", "Overhead"),
                              ("total", "Total"), ("per_contact", "Per contact")):  # fmt: skip
            f.add(("money", f"activity {field}", p), out, row[column])


def _rfp_md(f: Figures, page: str) -> None:
    out = "rfp md"
    for row in table(page, "Channel", "Handling"):
        for label, value in row.items():
            if label.startswith("Contacts Y"):
                f.add(("volumes", "contacts", row["Channel"], label.removeprefix("Contacts ")),
                      out, value)  # fmt: skip
    for row in table(page, "Queue", "Peak agents", "FTE, busiest month"):
        q = row["Queue"]
        f.add(("staff", "peak agents", q), out, row["Peak agents"])
        f.add(("staff", "FTE in its busiest month", q), out, row["FTE, busiest month"])
        f.add(("staff", "headcount in its busiest month", q), out, row["Headcount, busiest month"])
    for row in table(page, "Site", "Seats needed", "Seats available"):
        f.add(("seats", "seats needed", row["Site"]), out, row["Seats needed"])
    for row in table(page, "Component", "Basis", "Quantity"):
        f.add(
            ("licences", "quantity", row["Component"], _basis(row["Basis"])), out, row["Quantity"]
        )
    match = re.search(r"\((\d{4}-\d{2})\) (\d+) agents\s+are logged in", page)
    if match:
        f.add(("staff", "agents logged in at the busiest interval"), out, match[2])
    match = re.search(r"employs up to ([\d.,]+) FTE", page)
    if match:
        f.add(("staff", "total FTE, most in a month"), out, match[1])


# -- workbook -----------------------------------------------------------------------------------


def _workbook(f: Figures, book: Workbook) -> None:
    out = "financial-model.xlsx"
    monthly = book.book["Monthly"]
    labels = [monthly.cell(1, c).value for c in range(1, monthly.max_column + 1)]
    months = [c + 1 for c, label in enumerate(labels) if re.fullmatch(r"\d{4}-\d{2}", str(label))]
    totals = {"Total capex": "capex", "Total opex": "opex", "Grand total": "total"}
    for row in range(2, monthly.max_row + 1):
        name = monthly.cell(row, 1).value
        if name is None:
            continue
        values = [book.value("Monthly", row, c) for c in months]
        if name in totals or name == "Cumulative cash flow":
            figure = totals.get(name, "cumulative")
            for t, value in enumerate(values):
                f.add(("money", figure, f"month {t + 1}"), out, value, 0.0)
            if name in totals:
                f.add(("money", totals[name], "total"), out, book.value("Monthly", row,
                      months[-1] + 1))  # fmt: skip
        else:
            for t, value in enumerate(values):
                f.add(("money", f"line {name}", f"month {t + 1}"), out, value)
            f.add(("money", "line total", name), out, book.value("Monthly", row, months[-1] + 1))
    yearly = book.book["Yearly"]
    header = [yearly.cell(1, c).value for c in range(1, yearly.max_column + 1)]
    for row in range(2, yearly.max_row + 1):
        name = yearly.cell(row, 1).value
        if name is None:
            continue
        figure = totals.get(name, f"line {name}")
        for c, label in enumerate(header, start=1):
            if re.fullmatch(r"Y\d+", str(label)):
                f.add(("money", figure, str(label)), out, book.value("Yearly", row, c))
            elif label == "Total":
                f.add(("money", figure, "total"), out, book.value("Yearly", row, c))
    f.add(("money", "NPV"), out, book.value("NPV", 3, 2), 0.005)
    if "BusinessCase" in book.book.sheetnames:
        _business_case_sheet(f, book)
    check = {
        "Total capex": ("capex", "total"),
        "Total opex": ("opex", "total"),
        "Grand total": ("total", "total"),
        "NPV": ("NPV",),
    }
    sheet = book.book["Check"]
    for row in range(2, sheet.max_row + 1):
        label = str(sheet.cell(row, 1).value)
        key = check.get(label)
        if key is None and label.startswith("Total Y"):
            key = ("total", label.removeprefix("Total "))
        if key is not None:
            f.add(("money", *key), "financial-model.xlsx Check", sheet.cell(row, 2).value)
            f.add(("money", *key), "financial-model.xlsx Check (workbook)",
                  book.value("Check", row, 3), 0.005)  # fmt: skip


def _business_case_sheet(f: Figures, book: Workbook) -> None:
    out = "financial-model.xlsx BusinessCase"
    sheet = book.book["BusinessCase"]
    header = [sheet.cell(1, c).value for c in range(1, sheet.max_column + 1)]
    months = [c for c, label in enumerate(header, 1) if re.fullmatch(r"\d{4}-\d{2}", str(label))]
    total = next((c for c, label in enumerate(header, 1) if str(label).startswith("Total")), None)
    rows = {
        "Do-nothing cost": "business case do-nothing cost",
        "Design opex": "opex",
        "Savings": "business case savings",
        "Benefits": "business case benefits",
        "Investment (capex)": "capex",
        "Net cash flow": "business case net cash flow",
        "Cumulative net cash flow": "business case cumulative",
    }
    for row in range(2, sheet.max_row + 1):
        label = str(sheet.cell(row, 1).value)
        first = book.value("BusinessCase", row, 4)
        if label in rows:
            for t, c in enumerate(months):
                f.add(("money", rows[label], f"month {t + 1}"), out,
                      book.value("BusinessCase", row, c))  # fmt: skip
            if total is not None and label != "Cumulative net cash flow":
                f.add(("money", rows[label], "total"), out, book.value("BusinessCase", row, total))
        elif label.startswith("NPV of the change"):
            f.add(("money", "business case NPV"), out, first, 0.005)
        elif label.startswith("ROI"):
            f.add(("money", "business case ROI"), out, first)
        elif label.startswith("IRR"):
            f.add(("money", "business case IRR"), out, first, 1e-7)
        elif label.startswith("Payback"):
            f.add(("money", "business case payback months"), out, first)


# -- selections -------------------------------------------------------------------------------


def family(name: str) -> Callable[[Key], bool]:
    """The keys of one figure family (staff, seats, licences, money, volumes, kpi)."""
    return lambda key: key[0] == name


def without(
    keep: Callable[[Key], bool], known: Sequence[Callable[[Key], bool]]
) -> Callable[[Key], bool]:
    """``keep`` less every key a known disagreement covers."""
    return lambda key: keep(key) and not any(k(key) for k in known)


def keys_of(figures: Figures, keep: Callable[[Key], bool]) -> Iterator[Key]:
    return (k for k in figures.seen if keep(k))
