"""Cost lines' typed identity: display names, groups and categories derived from it."""

from fractions import Fraction

import pytest

from blueprintc.solve import finance as fin
from blueprintc.solve.finance import CostKind as K
from blueprintc.solve.finance import LineId
from blueprintc.solve.finance import OwnerKind as O


@pytest.mark.parametrize(
    ("key", "name", "group", "category"),
    [
        (LineId(O.QUEUE, "voice", K.AGENTS, True), "voice (outbound) agents", "staff", "opex"),
        (LineId(O.QUEUE, "voice", K.AGENTS), "voice agents", "staff", "opex"),
        (LineId(O.COMPONENT, "acd", K.LICENCES), "acd licences", "licences", "capex"),
        (LineId(O.COMPONENT, "acd", K.SUBSCRIPTION), "acd subscription", "licences", "opex"),
        (LineId(O.SYSTEM, "crm", K.CURRENT_SYSTEM), "crm (current)", "current systems", "opex"),
        (LineId(O.SITE, "hq", K.FIT_OUT), "hq fit-out", "facility", "capex"),
        (LineId(O.ROLE, "supervisor", K.SUPPORT_STAFF), "supervisor staff", "staff", "opex"),
        (LineId(O.PRACTICE, "wfm", K.INTRODUCTION), "wfm introduction", "practices", "capex"),
        (LineId(O.CENTER, "", K.AGENTS), "agents", "staff", "opex"),
    ],
)
def test_display_name_group_and_category_come_from_the_identity(
    key: LineId, name: str, group: str, category: str
) -> None:
    line = fin.Line.priced(key, [Fraction(1, 3), 2])
    assert (line.name, line.group, line.category) == (name, group, category)
    assert line.months == (Fraction(33, 100), Fraction(2))
    assert line.id == key


def test_a_statement_finds_lines_by_identity_not_by_name() -> None:
    # "voice (outbound) agents" and a role called "voice (outbound)" never mix up.
    outbound = LineId(O.QUEUE, "voice", K.AGENTS, True)
    inbound = LineId(O.QUEUE, "voice", K.AGENTS)
    statement = fin.Statement(
        [fin.Line.priced(outbound, [10]), fin.Line.priced(inbound, [5, 5])], 2027, 1
    )
    assert statement.line_total(outbound) == 10
    assert statement.line_total(inbound) == 10
    assert statement.line_total(LineId(O.CHANNEL, "voice", K.TELEPHONY)) == 0
    assert statement.line(outbound) is not None
    assert statement.line(outbound).months == (10, 0)  # type: ignore[union-attr]


def test_an_identity_must_agree_with_the_line() -> None:
    key = LineId(O.COMPONENT, "acd", K.LICENCES)
    with pytest.raises(ValueError, match="differ from its id"):
        fin.Line("acd licences", "opex", "licences", (Fraction(1),), key)
