"""How a declaration is shown to a reader: its ``label``, or its name made readable.

The name stays the declaration's identity in the blueprint; the label is only what the
documents show. Two declarations of one kind shown alike are reported (``CXB0424``).
"""

from __future__ import annotations

STD_PREFIX = "std."


def readable(name: str) -> str:
    """A name as a reader reads it: the ``std.`` qualifier dropped, ``_`` as a space, the
    first letter capitalised (``tech_voice``: Tech voice; ``std.acd``: Acd)."""
    words = " ".join(name.removeprefix(STD_PREFIX).replace("_", " ").split())
    return words[:1].upper() + words[1:]


def sameness(shown: str) -> str:
    """What two shown names are compared by: case and spacing do not count."""
    return " ".join(shown.split()).casefold()
