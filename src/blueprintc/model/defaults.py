"""Built-in defaults for settings a blueprint may leave out; each documented in
docs/alignment.md ("Defaults") with its reason."""

from __future__ import annotations

from fractions import Fraction

import attrs

YEAR_SECONDS = 365 * 86_400
MONTH_SECONDS = YEAR_SECONDS // 12
HOURS_PER_YEAR = 8760


@attrs.frozen
class Defaults:
    """Values used when the blueprint does not say."""

    # No discounting unless the blueprint gives its discount rate.
    discount: Fraction = Fraction(0)
    # 30-minute intervals: the middle of the 15/30/60-minute intervals in which contact-center
    # statistics are commonly kept [industry rule]; override with `interval`.
    interval: Fraction = Fraction(1800)
    # Processes above 100,000 contacts a year should offer automation [SYNTHESIS: a
    # mid-size center's top processes; override with `automation_threshold`].
    automation_threshold: Fraction = Fraction(100_000, HOURS_PER_YEAR)
    # Contacts arriving while a channel is closed wait for the next open interval.
    closed_hours: str = "carry"
    month_seconds: int = MONTH_SECONDS


DEFAULTS = Defaults()

# The mode a channel of each kind works in when the blueprint does not say.
_MODES = {
    "voice": "realtime",
    "chat": "realtime",
    "video": "realtime",
    "callback": "realtime",
    "branch": "realtime",
    "email": "deferred",
    "sms": "deferred",
    "social": "deferred",
    "messaging": "deferred",
    "ivr": "self_service",
    "web": "self_service",
}


def default_mode(kind: str | None) -> str:
    """Realtime for voice-like channels, deferred for written ones, self-service for IVR/web."""
    return _MODES.get(kind or "", "realtime")
