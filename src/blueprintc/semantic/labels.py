"""How a declaration is shown to a reader: its ``label``, or its name made readable.

The name stays the declaration's identity in the blueprint; the label is only what the
documents show. Two declarations of one kind shown alike are reported (``CXB0424``).
"""

from __future__ import annotations

STD_PREFIX = "std."


# Words a contact center writes in capitals (ACD, IVR: the abbreviations of its trade)
# and words the language writes joined that a reader spells otherwise.
ABBREVIATIONS = frozenset(
    {
        "acd",
        "ivr",
        "cti",
        "sbc",
        "sip",
        "wfm",
        "qm",
        "crm",
        "uc",
        "sms",
        "cx",
        "kpi",
        "sla",
        "asa",
        "aht",
        "fcr",
        "csat",
        "nps",
        "it",
        "api",
        "faq",
        "mis",
        "pbx",
        "qa",
        "uat",
        "rfp",
        "ai",
        "hr",
        "vip",
        "pci",
        "dss",
        "gdpr",
        "id",
        "uk",
        "eu",
    }
)
SPELLED = {"onprem": "on-premises", "email": "e-mail", "realtime": "real-time"}


def readable(name: str) -> str:
    """A name as a reader reads it: the ``std.`` qualifier dropped, ``_`` as a space,
    abbreviations in capitals, the first letter capitalised (``tech_voice``: Tech voice;
    ``std.acd``: ACD; ``max_asa``: Max ASA; ``onprem``: On-premises)."""
    words = [
        word.upper() if word in ABBREVIATIONS else SPELLED.get(word, word)
        for word in name.removeprefix(STD_PREFIX).replace("_", " ").split()
    ]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def sameness(shown: str) -> str:
    """What two shown names are compared by: case and spacing do not count."""
    return " ".join(shown.split()).casefold()
