"""The blueprint's ``locale`` and its default ``units``, read through Babel's copy of the
Unicode Common Locale Data Repository (CLDR).

A locale is a CLDR identifier, language then territory (``en_GB``); Babel knows which exist.
The unit system a territory uses comes from CLDR's supplemental measurement data, which
Babel does not ship: the three territories CLDR gives the US system (UTS #35, Part 6
"Supplemental", Measurement System Data: ``<measurementSystem type="US" territories="LR MM
US"/>``) are listed here; every other territory is metric, the United Kingdom's mixed
system (CLDR type ``UK``) included.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

DEFAULT_LOCALE = "en_US"
"""The locale of a blueprint that names none: the documents' formatting before locales."""
IMPERIAL_TERRITORIES = frozenset({"US", "LR", "MM"})
EXAMPLES = ("en_US", "en_GB", "de_DE", "fr_FR", "fr_CA", "es_MX", "pt_BR", "ja_JP")


def parse(text: str) -> Locale | None:
    """The locale ``text`` names (``en_GB``, or BCP 47's ``en-GB``), or None when CLDR
    does not know it. Babel is imported only when a blueprint names a locale."""
    from babel import Locale, UnknownLocaleError

    if not text or text != text.strip():
        return None
    try:
        return Locale.parse(text, sep="-" if "-" in text else "_")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def identifier(text: str) -> str | None:
    """The canonical CLDR identifier of ``text`` (``en-gb`` -> ``en_GB``), or None."""
    locale = parse(text)
    return None if locale is None else str(locale)


@cache
def territory(identifier: str) -> str | None:
    """The territory of a locale: its own (``en_GB``: GB), else the one CLDR's likely
    subtags give its language (``fr``: FR, ``my``: MM); None when there is none."""
    if identifier == DEFAULT_LOCALE:
        return "US"
    locale = parse(identifier)
    if locale is None:
        return None
    if locale.territory:
        return str(locale.territory)
    from babel.core import get_global

    likely = get_global("likely_subtags")
    for key in (str(locale), locale.language):
        found = likely.get(key)
        if found:
            region = parse(found)
            if region is not None and region.territory:
                return str(region.territory)
    return None


def default_units(identifier: str) -> str:
    """``imperial`` for a locale of a territory CLDR gives the US system, else ``metric``."""
    return "imperial" if territory(identifier) in IMPERIAL_TERRITORIES else "metric"


@cache
def known() -> tuple[str, ...]:
    """Every locale identifier CLDR (as Babel ships it) knows, for suggestions."""
    from babel.localedata import locale_identifiers

    return tuple(sorted(locale_identifiers()))
