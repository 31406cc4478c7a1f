"""Every figure that appears in two outputs is the same in both (issue #11, done-when).

The outputs: ``blueprintc size`` (JSON and text), ``plan`` and ``cost`` (JSON), every
document's JSON, the Markdown and the financial model's workbook (its formulas evaluated)
— see ``tests/outcome/figures.py`` for what is read where and under which name. Figures
are compared with a tolerance for display rounding only: a figure shown with one decimal
equals the exact figure rounded to one decimal.

Known disagreements (listed in ``KNOWN``, written down in the issue) are left out of the
property and of the example checks, and each is asserted on the examples by a test
marked ``xfail(strict=True)``: the moment a change makes the outputs agree, that test
fails; then remove its mark and its entry in ``KNOWN`` so the property covers the figure.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from tests.outcome.blueprints import blueprints
from tests.outcome.figures import Figures, Key, collect, family, without

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    "northwind_bank": ROOT / "examples" / "northwind_bank.cxb",
    "harbor_insurance": ROOT / "examples" / "harbor_insurance.cxb",  # another industry
    "thornvale_water": ROOT / "examples" / "thornvale_water.cxb",  # larger, in GBP, 4 sites
}
FAMILIES = ("staff", "seats", "licences", "money", "volumes", "kpi")


@attrs.frozen
class Known:
    """A disagreement between outputs, known and owned: the keys it covers and why."""

    covers: Callable[[Key], bool]
    reason: str
    examples: tuple[str, ...]  # the examples on which it shows


KNOWN: dict[str, Known] = {}


def _agreeing(keep: Callable[[Key], bool]) -> Callable[[Key], bool]:
    return without(keep, [k.covers for k in KNOWN.values()])


_collected: dict[str, Figures] = {}


def figures_of(example: str) -> Figures:
    """The figures of one example, collected once per test process."""
    path = EXAMPLES[example]
    if not path.exists():
        pytest.skip(f"{path.name} is not in examples/")
    if example not in _collected:
        _collected[example] = collect(path)
    return _collected[example]


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=blueprints())
def test_generated_blueprints_show_each_figure_the_same_everywhere(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("drawn") / "main.cxb"
    path.write_text(text, encoding="utf-8")
    figures = collect(path)
    assert figures.disagreements(_agreeing(lambda k: True)) == []


@pytest.mark.parametrize("name", FAMILIES)
@pytest.mark.parametrize("example", EXAMPLES)
def test_examples_show_each_figure_the_same_everywhere(example: str, name: str) -> None:
    figures = figures_of(example)
    assert figures.disagreements(_agreeing(family(name))) == []


EXPECTED_OUTPUTS = {
    ("money", "NPV"): {
        "cost json",
        "financial-design json",
        "financial-design md",
        "financial-model.xlsx",
        "financial-model.xlsx Check",
        "financial-model.xlsx Check (workbook)",
        "vendor-evaluation json",
    },
    ("money", "total", "Y1"): {
        "cost json",
        "financial-design json",
        "financial-design md",
        "financial-model.xlsx",
        "financial-model.xlsx Check",
        "financial-model.xlsx Check (workbook)",
    },
    ("money", "line total", "acd subscription"): {
        "cost json",
        "financial-design json",
        "financial-design md",
        "financial-model.xlsx",
        "technology-design json",
        "technology-design md",
    },
    ("money", "line total", "milwaukee rent"): {
        "cost json",
        "financial-design json",
        "financial-design md",
        "financial-model.xlsx",
        "facility-design json",
        "facility-design md",
    },
    ("money", "business case NPV"): {
        "cost json",
        "financial-design json",
        "financial-design md",
        "financial-model.xlsx BusinessCase",
    },
    ("money", "saving of the lever", "acd", "component acd", "total"): {
        "cost json",
        "financial-design json",
        "financial-design md",
    },
    ("money", "phase cost", "digital"): {"plan json", "phasing-plan json", "phasing-plan md"},
    ("money", "cost per contact", "voice"): {
        "cost json",
        "financial-design json",
        "financial-design md",
        "operations json",
        "operations md",
    },
    ("money", "staff cost saved", "card_activation", "migrate voice to web"): {
        "cost json",
        "financial-design json",
        "financial-design md",
        "business-design json",
    },
    ("staff", "peak agents", "voice"): {
        "size json",
        "size text",
        "technology-design json",
        "technology-design md",
        "rfp json",
        "rfp md",
        "operations json",
        "operations md",
    },
    ("staff", "FTE, average of the months", "voice"): {
        "size json",
        "size text",
        "technology-design json",
        "technology-design md",
        "financial-design json",
        "financial-design md",
        "operations json",
        "operations md",
    },
    ("staff", "agents logged in at the busiest interval"): {
        "size json",
        "size text",
        "technology-design json",
        "technology-design md",
        "facility-design json",
        "rfp json",
        "rfp md",
    },
    ("staff", "support staff in the peak month", "supervisor"): {
        "size json",
        "size text",
        "technology-design json",
        "technology-design md",
        "facility-design json",
    },
    ("seats", "seats needed", "chicago"): {
        "size json",
        "size text",
        "technology-design json",
        "technology-design md",
        "facility-design json",
        "facility-design md",
        "rfp json",
        "rfp md",
    },
    ("licences", "quantity", "acd", "seat"): {
        "cost json (line ÷ unit price)",
        "technology-design json",
        "technology-design md",
        "rfp json",
        "rfp md",
    },
    ("volumes", "contacts", "voice", "Y2"): {
        "size json",
        "business-design json",
        "business-design md",
        "rfp json",
        "rfp md",
    },
    ("volumes", "contacts over the horizon", "process card_activation"): {
        "cost json",
        "financial-design json",
        "financial-design md",
    },
    ("kpi", "occupancy", "voice"): {"size text", "operations json", "operations md"},
}


@pytest.mark.parametrize("key", EXPECTED_OUTPUTS, ids=" / ".join)
def test_every_output_is_read(key: Key) -> None:
    """The readers still find each figure where it is shown (a renamed column would
    otherwise silently drop an output from the comparison)."""
    assert figures_of("northwind_bank").outputs(key) >= EXPECTED_OUTPUTS[key]


@pytest.mark.parametrize("example", EXAMPLES)
def test_fte_figures_are_one_figure_each(example: str) -> None:
    # A queue's FTE and headcount are its busiest month's everywhere they are shown; the
    # center's total FTE is named apart: in its peak month, or the most in any month.
    def staff(k: Key) -> bool:
        return k[:2] in {
            ("staff", "FTE in its busiest month"),
            ("staff", "headcount in its busiest month"),
            ("staff", "total FTE in the peak month"),
            ("staff", "total FTE, most in a month"),
        }

    assert figures_of(example).disagreements(staff) == []


@pytest.mark.parametrize("example", EXAMPLES)
def test_licence_quantities_are_one_figure(example: str) -> None:
    # The RFP, the technology design and the cost lines read the outcome's licence
    # quantities (from each component's go-live): one figure per component and basis
    # (seat or user: std.acd, say, has a per-user subscription beside a per-seat licence).
    assert figures_of(example).disagreements(family("licences")) == []


@pytest.mark.parametrize("example", EXAMPLES)
def test_planned_kpis_are_weighted_one_way(example: str) -> None:
    # Service level, ASA, abandonment and occupancy over the horizon: every interval
    # weighted by contacts in the size report, the operations templates and `assert`.
    assert figures_of(example).disagreements(family("kpi")) == []
