"""The schema of the language: every declaration, its fields, their value forms and units.

The grammar only knows statements; this module says what they mean. It is the single
source for checking, for completion in editors and for the field tables of the language
reference (``docs/language.md``).
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from blueprintc.diagnostics.codes import RISK_WITHOUT_MITIGATION, RISK_WITHOUT_OWNER, Code
from blueprintc.semantic import slots as S
from blueprintc.semantic.ranges import CURRENCY, Range
from blueprintc.semantic.slots import Slot
from blueprintc.semantic.units import TIME_UNITS, Dims

# -- dimensions ---------------------------------------------------------------------------

TIME = (("time", 1),)
PER_TIME = (("time", -1),)
MONEY = (("money", 1),)
MONEY_PER_TIME = (("money", 1), ("time", -1))
MONEY_PER_SEAT_TIME = (("money", 1), ("seat", -1), ("time", -1))
MONEY_PER_USER_TIME = (("money", 1), ("time", -1), ("user", -1))
MONEY_PER_SEAT = (("money", 1), ("seat", -1))
MONEY_PER_USER = (("money", 1), ("user", -1))
MONEY_PER_CONTACT = (("contact", -1), ("money", 1))
MONEY_PER_MESSAGE = (("message", -1), ("money", 1))
MONEY_PER_AREA_TIME = (("area", -1), ("money", 1), ("time", -1))
AREA_PER_SEAT = (("area", 1), ("seat", -1))
CONTACTS_PER_TIME = (("contact", 1), ("time", -1))
ZERO = Fraction(0)
HUNDRED_PCT = Fraction(1)

# -- valid ranges: physical sense, and what the solvers take safely ------------------------

SECOND, MINUTE, HOUR = TIME_UNITS["s"], TIME_UNITS["min"], TIME_UNITS["h"]
DAY, MONTH, YEAR = TIME_UNITS["day"], TIME_UNITS["month"], TIME_UNITS["year"]
MAX_HORIZON = 30 * YEAR
MAX_MONEY = Fraction(10**15)
MAX_VOLUME = Fraction(10**9)  # contacts a year
MAX_AGENTS = Fraction(100_000)
MAX_SEATS = Fraction(1_000_000)
MAX_WEIGHT = Fraction(1_000_000)
PERCENT = Fraction(1, 100)

SHARE_REASON = "a share is a part of a whole: 0% to 100%"
MONEY_REASON = (
    "amounts are kept within 10^15 (a thousand trillion) of the blueprint's currency, "
    "far above any real budget, so that every total over the horizon stays exact"
)
TARGET_TIME_REASON = (
    "answer and response targets are sized over repeated weeks; a target of more than "
    "30 days is not a service target"
)
PLAN_TIME_REASON = "no longer than the longest horizon, 30 years"
HANDLE_TIME_REASON = "a contact is handled in at least 1 s and at most a day"
MIN_AGENTS_REASON = "at most 100,000 agents, more than the largest centers employ"
WEIGHT_REASON = "weights are relative: a million to one is the finest distinction that counts"


def share_range(hi: Fraction = HUNDRED_PCT, reason: str = SHARE_REASON) -> Range:
    return Range(ZERO, hi, unit="%", factor=PERCENT, reason=reason)


def time_range(hi: Fraction, reason: str, lo: Fraction = ZERO, lo_inclusive: bool = True) -> Range:
    return Range(lo, hi, lo_inclusive, unit="s", reason=reason)


def money_unit(dims: Dims) -> tuple[str, Fraction]:
    """The unit money bounds are shown in (``{currency}/seat/year``) and its factor."""
    per = [base for base, exponent in dims if exponent < 0 and base != "time"]
    words = [CURRENCY, *("sqft" if base == "area" else base for base in per)]
    if ("time", -1) in dims:
        return "/".join([*words, "year"]), 1 / YEAR
    return "/".join(words), Fraction(1)


def money_ranges(*options: Dims) -> tuple[Range, ...]:
    """0 to 10^15 of the currency, per year for amounts per period."""
    ranges = []
    for dims in options:
        unit, factor = money_unit(dims)
        ranges.append(
            Range(
                ZERO, MAX_MONEY * factor, unit=unit, factor=factor, dims=dims, reason=MONEY_REASON
            )
        )
    return tuple(ranges)


@attrs.frozen
class FieldSpec:
    """One field: its name, value pattern, and how often and where it may appear."""

    name: str
    pattern: tuple[Slot, ...] = ()
    doc: str = ""
    example: str = ""
    required: bool = False
    many: bool = False
    repeat: bool = False
    block: BlockSpec | None = None
    block_required: bool = False
    recommended: Code | None = None
    """The warning reported when the field is left out (a field the documents need but
    the compiler does not)."""

    @property
    def quantities(self) -> tuple[S.Qty, ...]:
        """Every number the field takes, in writing order (a map block's values too)."""
        pattern = self.pattern
        if self.block is not None and self.block.map is not None:
            pattern += self.block.map.pattern
        return tuple(slot for slot in _flat(pattern) if isinstance(slot, S.Qty))

    @property
    def range(self) -> Range | None:
        """The valid range of the field's first number; None when it takes no number."""
        for slot in self.quantities:
            return slot.ranges[0] if slot.ranges else None
        return None


def _flat(pattern: tuple[Slot, ...]) -> list[Slot]:
    out: list[Slot] = []
    for slot in pattern:
        out += _flat(slot.slots) if isinstance(slot, S.Optional) else [slot]
    return out


@attrs.frozen
class MapSpec:
    """A block whose entries are keyed by a reference: ``mix { voice 70%; web 30% }``."""

    key: S.Ref
    pattern: tuple[Slot, ...]


@attrs.frozen
class BlockSpec:
    """The fields a block may contain (or, for a map block, its key and value forms)."""

    fields: tuple[FieldSpec, ...] = ()
    map: MapSpec | None = None

    def field(self, name: str) -> FieldSpec | None:
        for spec in self.fields:
            if spec.name == name:
                return spec
        return None


@attrs.frozen
class DeclSpec:
    """A top-level declaration kind."""

    kind: str
    layer: str
    doc: str
    example: str
    block: BlockSpec
    named: bool = True
    extendable: bool = False
    unique: bool = False
    title_text: bool = False


def pct(what: str, example: str, hi: Fraction = HUNDRED_PCT, reason: str = SHARE_REASON) -> S.Qty:
    return S.Qty(what, example, ((),), percent=True, ranges=(share_range(hi, reason),))


def duration(
    example: str,
    what: str = "a duration",
    hi: Fraction = MAX_HORIZON,
    reason: str = PLAN_TIME_REASON,
    lo: Fraction = ZERO,
    lo_inclusive: bool = True,
) -> S.Qty:
    return S.Qty(what, example, (TIME,), ranges=(time_range(hi, reason, lo, lo_inclusive),))


def money(example: str = "1.1M USD", what: str = "an amount of money") -> S.Qty:
    return S.Qty(what, example, (MONEY,), ranges=money_ranges(MONEY))


def count(
    what: str,
    example: str,
    unit: str | None = None,
    hi: Fraction = MAX_SEATS,
    reason: str = "",
    positive: bool = False,
) -> S.Qty:
    """A whole count, written bare (``180``) or with its counting unit (``180 seats``)."""
    dims: tuple[tuple[tuple[str, int], ...], ...] = ((),) if unit is None else ((), ((unit, 1),))
    shown = "" if unit is None else unit + "s"
    limits = Range(ZERO, hi, not positive, unit=shown, reason=reason)
    return S.Qty(what, example, dims, ranges=(limits,), integer=True)


def weight(example: str, positive: bool = False) -> S.Qty:
    limits = Range(ZERO, MAX_WEIGHT, not positive, reason=WEIGHT_REASON)
    return S.Qty("a weight", example, ((),), ranges=(limits,))


def field(name: str, *pattern: Slot, doc: str, example: str, **kw: object) -> FieldSpec:
    return FieldSpec(name, tuple(pattern), doc, example, **kw)  # type: ignore[arg-type]


def choice(what: str, *choices: str) -> S.Choice:
    return S.Choice(tuple(choices), what)


def refs(*kinds: str) -> S.Ref:
    return S.Ref(tuple(kinds))


DESCRIPTION = field(
    "description",
    S.TextSlot(),
    doc="Free text shown in the documents.",
    example='description "..."',
)
ALLOW = field(
    "allow",
    S.CodeSlot(),
    S.Literal("because"),
    S.TextSlot("the reason, in double quotes"),
    doc="Silence one alignment rule for this declaration; the reason is required and is "
    "printed in the alignment report.",
    example='allow CXB0205 because "kept for the next release"',
    repeat=True,
)


LABEL = field(
    "label",
    S.TextSlot("the name shown to readers, in double quotes"),
    doc="The name the documents show for this declaration; its name stays how the blueprint "
    "refers to it. Without a label the documents show the name, `_` read as a space "
    "(`tech_voice`: Tech voice). Not inherited through `extends`.",
    example='label "Technical support"',
)


def block(*fields: FieldSpec) -> BlockSpec:
    return BlockSpec((*fields, LABEL, DESCRIPTION, ALLOW))


LEVEL = choice("a level: `high`, `medium` or `low`", "high", "medium", "low")
SL_DEFINITION = choice(
    "a service-level definition: `offered`, `answered` or `virtual`",
    "offered",
    "answered",
    "virtual",
)
CHANNEL_KINDS = (
    "voice", "chat", "email", "ivr", "web", "sms", "social", "video", "callback", "branch",
    "messaging",
)  # fmt: skip
COMPONENT_KINDS = (
    "acd", "ivr", "cti", "sbc", "sip_trunk", "dialer", "recording", "qm", "wfm", "knowledge",
    "crm", "omnichannel", "callback", "wallboard", "analytics", "uc", "chat", "email", "web",
    "sms", "social", "video", "other",
)  # fmt: skip
DEPLOYMENT_MODELS = ("cloud", "onprem", "hosted")
LAYERS = ("brand", "business", "financial", "operational", "technology")
UNIT_SYSTEMS = ("metric", "imperial")
ROLES = ("supervisor", "team_leader", "quality", "workforce", "trainer", "manager")

TARGET = (
    pct("a service level", "80%"),
    S.Literal("within"),
    duration("20 s", "a target time", 30 * DAY, TARGET_TIME_REASON),
)

# -- brand layer --------------------------------------------------------------------------

PROMISE_BLOCK = block(
    field(
        "target",
        refs("channel"),
        *TARGET,
        doc="An explicit service target this promise commits to; the channel's own target "
        "must meet it.",
        example="target voice 80% within 60 s",
        repeat=True,
    ),
)

BRAND = DeclSpec(
    "brand",
    "brand",
    "The brand the center serves, the promises it makes to customers and its values.",
    'brand Northwind {\n  promise fast_answer "A person answers within a minute"\n}',
    block(
        field(
            "promise",
            S.NewName("promise", "the promise's name"),
            S.Optional((S.TextSlot("the promise's wording"),)),
            doc="A promise the brand makes; services `deliver` promises. An optional block "
            "links the promise to explicit targets.",
            example='promise fast_answer "A person answers within a minute"',
            repeat=True,
            block=PROMISE_BLOCK,
        ),
        field(
            "value",
            S.NewName("value", "the value's name"),
            S.TextSlot("what the value means"),
            doc="A brand value the center's behaviour must reflect.",
            example='value warmth "We speak like a neighbour, not a bank"',
            repeat=True,
        ),
        field(
            "positioning",
            S.TextSlot(),
            doc="The brand's positioning statement.",
            example='positioning "The bank that picks up the phone"',
        ),
    ),
)

# -- business layer -----------------------------------------------------------------------

SEGMENT = DeclSpec(
    "segment",
    "business",
    "A customer segment: its share of customers, value, potential, strategy and the "
    "interaction intensity it is served with.",
    "segment premier {\n  share 8%\n  value high\n  potential high\n  strategy retain\n"
    "  intensity partnership\n}",
    block(
        field(
            "share",
            pct("a share of customers", "8%"),
            doc="Share of the customer base.",
            example="share 8%",
            required=True,
        ),
        field(
            "customers",
            count(
                "a number of customers",
                "120k",
                "customer",
                Fraction(10**10),
                "more customers than people on Earth cannot be right",
            ),
            doc="Number of customers in the segment (optional).",
            example="customers 120k",
        ),
        field(
            "value",
            LEVEL,
            doc="Current value to the business.",
            example="value high",
            required=True,
        ),
        field("potential", LEVEL, doc="Growth potential.", example="potential high"),
        field(
            "strategy",
            choice(
                "a strategy: `retain`, `acquire`, `drop`, `reduce_costs` or `penetrate`",
                "retain",
                "acquire",
                "drop",
                "reduce_costs",
                "penetrate",
            ),
            doc="What the business wants with the segment.",
            example="strategy retain",
            required=True,
        ),
        field(
            "intensity",
            choice(
                "an intensity: `simple`, `reactive`, `proactive` or `partnership`",
                "simple",
                "reactive",
                "proactive",
                "partnership",
            ),
            doc="How intensely the center interacts with the segment.",
            example="intensity partnership",
            required=True,
        ),
    ),
)

SERVICE = DeclSpec(
    "service",
    "business",
    "A customer service: the promises it delivers, the segments it serves, the buying-cycle "
    "stages it covers and the product-cycle stage of its product.",
    "service cards {\n  delivers fast_answer\n  segments premier, mass\n  cycle servicing\n"
    "  product maturity\n}",
    block(
        field(
            "delivers",
            refs("promise"),
            doc="Promises this service delivers.",
            example="delivers fast_answer",
            many=True,
        ),
        field(
            "segments",
            refs("segment"),
            doc="Segments served.",
            example="segments premier, mass",
            many=True,
        ),
        field(
            "cycle",
            choice(
                "a buying-cycle stage: `need`, `evaluation`, `buying` or `servicing`",
                "need",
                "evaluation",
                "buying",
                "servicing",
            ),
            doc="Buying-cycle stages the service supports.",
            example="cycle servicing",
            many=True,
        ),
        field(
            "product",
            choice(
                "a product-cycle stage: `innovation`, `introduction`, `maturity` or `phase_out`",
                "innovation",
                "introduction",
                "maturity",
                "phase_out",
            ),
            doc="Product-cycle stage of the product behind the service.",
            example="product maturity",
        ),
    ),
)

PCT_MAP = BlockSpec(map=MapSpec(refs("channel"), (pct("a share", "70%"),)))
HANDLE_TIME = duration("4.5 min", "a handle time", DAY, HANDLE_TIME_REASON, SECOND)
WRAP_UP_TIME = duration("30 s", "an after-contact work time", DAY, "at most a day per contact")
AHT_MAP = BlockSpec(map=MapSpec(refs("channel"), (HANDLE_TIME,)))
ACW_MAP = BlockSpec(map=MapSpec(refs("channel"), (WRAP_UP_TIME,)))

VOLUME = S.Qty(
    "a volume per period",
    "38_000/month",
    (PER_TIME, CONTACTS_PER_TIME),
    ranges=(
        Range(
            ZERO,
            MAX_VOLUME / YEAR,
            unit="/year",
            factor=1 / YEAR,
            reason="a volume counts contacts, so it is never negative; the largest centers "
            "handle about 100 million a year, and ten times that is the most the sizing takes",
        ),
    ),
)
GROWTH = S.Qty(
    "a yearly growth",
    "6%/year",
    (PER_TIME,),
    percent=True,
    ranges=(
        Range(
            -1 / YEAR,
            10 / YEAR,
            lo_inclusive=False,
            unit="%/year",
            factor=PERCENT / YEAR,
            reason="a decline of 100% or more leaves nothing to decline; growth beyond "
            "1000% a year compounds past any volume the sizing takes",
        ),
    ),
)

PROCESS = DeclSpec(
    "process",
    "business",
    "An interaction process: why customers contact the center, how often, through which "
    "channels and for how long.",
    "process card_activation {\n  service cards\n  volume 38_000/month\n  growth 6%/year\n"
    "  mix { voice 70%; ivr 20%; web 10% }\n  aht { voice 4.5 min }\n}",
    block(
        field(
            "service",
            refs("service"),
            doc="The service the process belongs to.",
            example="service cards",
            required=True,
        ),
        field(
            "volume",
            VOLUME,
            doc="Contacts per period (before growth).",
            example="volume 38_000/month",
            required=True,
        ),
        field(
            "growth",
            GROWTH,
            doc="Yearly volume growth (negative for decline).",
            example="growth 6%/year",
        ),
        field(
            "mix",
            doc="Share of the volume per channel (should add up to 100%).",
            example="mix { voice 70%; ivr 20%; web 10% }",
            block=PCT_MAP,
            required=True,
            block_required=True,
        ),
        field(
            "aht",
            doc="Average handle time per assisted channel (talk + hold).",
            example="aht { voice 4.5 min; chat 9 min }",
            block=AHT_MAP,
            block_required=True,
        ),
        field(
            "acw",
            doc="After-contact work per channel.",
            example="acw { voice 30 s }",
            block=ACW_MAP,
            block_required=True,
        ),
        field(
            "automation",
            doc="Share of each channel's contacts that automation or self-service can "
            "contain (the automation potential).",
            example="automation { ivr 60% }",
            block=PCT_MAP,
            block_required=True,
        ),
        field(
            "migrate",
            refs("channel"),
            S.Literal("to"),
            refs("channel"),
            pct("the share moved", "15%"),
            S.Optional((S.Literal("by"), S.DateSlot())),
            doc="Planned migration of a share of the volume from one channel to another, "
            "reached by the given month.",
            example="migrate voice to web 15% by 2028-01",
            repeat=True,
        ),
        field(
            "seasonality",
            refs("pattern"),
            doc="Monthly seasonality pattern.",
            example="seasonality enrolment_peak",
        ),
        field(
            "segments",
            refs("segment"),
            doc="Segments that use this process.",
            example="segments mass",
            many=True,
        ),
    ),
)

OUTBOUND = DeclSpec(
    "outbound",
    "business",
    "A proactive (outbound) interaction: what triggers it, how many attempts, the contact "
    "rate and the handle time.",
    'outbound card_expiry {\n  service cards\n  trigger "Card expires in 30 days"\n'
    "  channel voice\n  volume 4_000/month\n  contact_rate 45%\n  aht 3 min\n}",
    block(
        field(
            "service",
            refs("service"),
            doc="The service the contact belongs to.",
            example="service cards",
            required=True,
        ),
        field(
            "trigger",
            S.TextSlot(),
            doc="The event that triggers the contact.",
            example='trigger "Card expires in 30 days"',
            required=True,
        ),
        field(
            "channel",
            refs("channel"),
            doc="The channel used.",
            example="channel voice",
            required=True,
        ),
        field(
            "volume",
            VOLUME,
            doc="Attempts per period.",
            example="volume 4_000/month",
            required=True,
        ),
        field(
            "contact_rate",
            pct("a contact rate", "45%"),
            doc="Share of attempts that reach the customer.",
            example="contact_rate 45%",
        ),
        field(
            "aht",
            duration("3 min", "a handle time", DAY, HANDLE_TIME_REASON, SECOND),
            doc="Handle time of a successful contact.",
            example="aht 3 min",
        ),
        field(
            "attempt_time",
            duration("40 s", "an attempt time", DAY, "at most a day per attempt"),
            doc="Agent time of an attempt that reaches nobody.",
            example="attempt_time 40 s",
        ),
    ),
)

# -- operational layer --------------------------------------------------------------------

CHANNEL = DeclSpec(
    "channel",
    "operational",
    "A channel the center offers: its opening hours, service targets, customer patience, "
    "shrinkage and occupancy cap. Declaring a channel in the blueprint offers it; the "
    "standard library's channels (`std.voice`, ...) are templates to extend.",
    "channel voice extends std.voice {\n  hours mon..fri 08:00-20:00, sat 09:00-14:00\n"
    "  target 80% within 20 s\n  patience 120 s\n  shrinkage 32%\n}",
    block(
        field(
            "kind",
            choice("a channel kind: " + ", ".join(f"`{k}`" for k in CHANNEL_KINDS), *CHANNEL_KINDS),
            doc="What kind of channel this is.",
            example="kind voice",
        ),
        field(
            "mode",
            choice(
                "a mode: `realtime`, `deferred` or `self_service`",
                "realtime",
                "deferred",
                "self_service",
            ),
            doc="Real-time (queued, answered live), deferred (answered within a response "
            "time, like e-mail) or self-service (no agent).",
            example="mode realtime",
        ),
        field(
            "hours",
            S.Days(),
            S.TimeRange(),
            doc="Opening hours per day or day range.",
            example="hours mon..fri 08:00-20:00, sat 09:00-14:00",
            many=True,
        ),
        field(
            "target",
            *TARGET,
            S.Optional((SL_DEFINITION,)),
            doc="Service-level target for real-time channels; the definition is `offered` "
            "(default: abandons count as misses), `answered` or `virtual`.",
            example="target 80% within 20 s",
        ),
        field(
            "response",
            *TARGET,
            doc="Response-time target for deferred channels.",
            example="response 95% within 24 h",
        ),
        field(
            "max_asa",
            duration("30 s", "a waiting time", 30 * DAY, TARGET_TIME_REASON),
            doc="Upper limit for the average speed of answer.",
            example="max_asa 30 s",
        ),
        field(
            "max_abandon",
            pct("an abandonment rate", "5%"),
            doc="Upper limit for the abandonment rate.",
            example="max_abandon 5%",
        ),
        field(
            "patience",
            duration(
                "120 s",
                "a waiting time",
                30 * DAY,
                "customers wait some time before they give up, and not more than 30 days",
                lo_inclusive=False,
            ),
            doc="Average time customers wait before abandoning.",
            example="patience 120 s",
        ),
        field(
            "shrinkage",
            pct(
                "a shrinkage",
                "32%",
                Fraction("0.99"),
                "with 100% shrinkage no one would ever be available",
            ),
            doc="Share of paid time agents are not available (leave, training, breaks).",
            example="shrinkage 32%",
        ),
        field(
            "occupancy",
            pct("an occupancy cap", "85%"),
            doc="Upper limit of agent occupancy.",
            example="occupancy 85%",
        ),
        field(
            "concurrency",
            S.Qty(
                "a number of sessions",
                "2.5",
                ((),),
                ranges=(
                    Range(
                        Fraction(1),
                        Fraction(100),
                        reason="an agent handles at least one session, and not a hundred",
                    ),
                ),
            ),
            doc="Sessions an agent handles at once (chat).",
            example="concurrency 2.5",
        ),
        field(
            "intraday",
            refs("pattern"),
            S.Optional((S.Literal("on"), S.Days())),
            doc="Intraday arrival pattern, optionally for certain days only.",
            example="intraday std.voice_weekday on mon..fri",
            repeat=True,
        ),
        field(
            "weekly",
            refs("pattern"),
            doc="Day-of-week arrival pattern.",
            example="weekly std.default_week",
        ),
        field(
            "minimum_agents",
            count("a number of agents", "2", "agent", MAX_AGENTS, MIN_AGENTS_REASON),
            doc="Agents staffed whenever the channel is open, whatever the volume.",
            example="minimum_agents 2",
        ),
        field(
            "usage",
            S.Qty(
                "a cost per minute, contact or message",
                "0.012 USD/minute",
                (MONEY_PER_TIME, MONEY_PER_CONTACT, MONEY_PER_MESSAGE),
                ranges=money_ranges(MONEY_PER_TIME, MONEY_PER_CONTACT, MONEY_PER_MESSAGE),
            ),
            doc="Telephony or messaging cost per minute handled, per contact or per message.",
            example="usage 0.012 USD/minute",
        ),
    ),
    extendable=True,
)

PATTERN = DeclSpec(
    "pattern",
    "operational",
    "An arrival pattern: the shape of the day (intraday), of the week, or of the year "
    "(monthly seasonality). Weights are relative; they need not add up to anything.",
    "pattern enrolment_peak {\n  monthly jan 1.0, feb 1.0, mar 1.0, apr 1.0, may 1.0, "
    "jun 1.0,\n          jul 1.0, aug 1.0, sep 1.1, oct 1.3, nov 1.6, dec 1.2\n}",
    block(
        field(
            "intraday",
            S.TimeRange(),
            weight("6"),
            doc="Relative weight of each part of the day.",
            example="intraday 08:00-09:00 6, 09:00-10:00 9",
            many=True,
        ),
        field(
            "weekly",
            S.Days(),
            weight("1.3"),
            doc="Relative weight of each day of the week.",
            example="weekly mon 1.3, tue..thu 1.0, fri 1.1, sat 0.6",
            many=True,
        ),
        field(
            "monthly",
            S.Month(),
            weight("1.6"),
            doc="Relative weight of each month of the year (seasonality).",
            example="monthly nov 1.6, dec 1.2",
            many=True,
        ),
    ),
    extendable=True,
)

SITE = DeclSpec(
    "site",
    "operational",
    "A physical site with seats, its channels and its facility costs.",
    'site hq {\n  location "Chicago"\n  seats 180\n  channels voice, chat, email\n}',
    block(
        field("location", S.TextSlot(), doc="Where the site is.", example='location "Chicago"'),
        field(
            "seats",
            count("a number of seats", "180", "seat", MAX_SEATS, "at most a million seats"),
            doc="Seats (workstations) available.",
            example="seats 180",
            required=True,
        ),
        field(
            "channels",
            refs("channel"),
            doc="Channels handled at the site.",
            example="channels voice, chat",
            many=True,
        ),
        field(
            "share",
            pct("a share of traffic", "60%"),
            doc="Share of the center's assisted traffic handled at the site.",
            example="share 60%",
        ),
        field(
            "area",
            S.Qty(
                "an area per seat",
                "110 sqft/seat",
                (AREA_PER_SEAT,),
                ranges=(
                    Range(
                        ZERO,
                        Fraction(10_000),
                        unit="sqft/seat",
                        reason="a workstation takes at most 10,000 sqft (929 m2)",
                    ),
                ),
            ),
            doc="Gross floor area per workstation.",
            example="area 110 sqft/seat",
        ),
        field(
            "rent",
            S.Qty(
                "a rent per area and period",
                "12 USD/sqft/year",
                (MONEY_PER_AREA_TIME,),
                ranges=money_ranges(MONEY_PER_AREA_TIME),
            ),
            doc="Rent per area per period.",
            example="rent 12 USD/sqft/year",
        ),
        field(
            "fitout",
            S.Qty(
                "a fit-out cost per seat",
                "6_000 USD/seat",
                (MONEY_PER_SEAT,),
                ranges=money_ranges(MONEY_PER_SEAT),
            ),
            doc="One-time fit-out cost per new workstation.",
            example="fitout 6_000 USD/seat",
        ),
        field(
            "running",
            S.Qty(
                "a running cost per seat and period",
                "45 USD/seat/month",
                (MONEY_PER_SEAT_TIME,),
                ranges=money_ranges(MONEY_PER_SEAT_TIME),
            ),
            doc="Facility running cost per seat (power, cleaning, security).",
            example="running 45 USD/seat/month",
        ),
        field(
            "existing",
            choice("`yes` or `no`", "yes", "no"),
            doc="Whether the site exists today (no fit-out for its seats).",
            example="existing yes",
        ),
        field(
            "opens",
            S.DateSlot(),
            doc="The month a new site opens (its seats exist from then on).",
            example="opens 2028-01",
        ),
    ),
)

STAFFING = DeclSpec(
    "staffing",
    "operational",
    "The staffing policy: loaded cost, paid hours and the spans of control that size the "
    "support staff.",
    "staffing {\n  loaded_cost 38 USD/h\n  paid_hours 37.5 h/week\n  span supervisor 12\n}",
    block(
        field(
            "loaded_cost",
            S.Qty(
                "a cost per hour or per year",
                "38 USD/h",
                (MONEY_PER_TIME,),
                ranges=money_ranges(MONEY_PER_TIME),
            ),
            doc="Fully loaded agent cost per paid hour (or per year).",
            example="loaded_cost 38 USD/h",
            required=True,
        ),
        field(
            "paid_hours",
            S.Qty(
                "paid hours per week",
                "37.5 h/week",
                ((),),
                ranges=(
                    Range(
                        Fraction(1, 168),
                        Fraction(1),
                        unit="h/week",
                        factor=Fraction(1, 168),
                        reason="a week has 168 hours; an FTE is paid for at least one of them",
                    ),
                ),
                unit_required=True,
            ),
            doc="Paid hours of one FTE.",
            example="paid_hours 37.5 h/week",
            required=True,
        ),
        field(
            "span",
            choice("a role: " + ", ".join(f"`{r}`" for r in ROLES), *ROLES),
            count(
                "a number of agents per role",
                "12",
                hi=Fraction(10_000),
                reason="one person leads at least one and at most 10,000 agents",
                positive=True,
            ),
            doc="Span of control: agents per supervisor, quality analyst, ...",
            example="span supervisor 12",
            repeat=True,
        ),
        field(
            "role_cost",
            choice("a role: " + ", ".join(f"`{r}`" for r in ROLES), *ROLES),
            S.Qty(
                "a cost per year",
                "85k USD/year",
                (MONEY_PER_TIME,),
                ranges=money_ranges(MONEY_PER_TIME),
            ),
            doc="Loaded cost of a support role.",
            example="role_cost supervisor 85k USD/year",
            repeat=True,
        ),
        field(
            "minimum_agents",
            count("a number of agents", "2", "agent", MAX_AGENTS, MIN_AGENTS_REASON),
            doc="Minimum agents on any open queue.",
            example="minimum_agents 2",
        ),
    ),
    named=False,
    unique=True,
)

# -- financial-functional layer -----------------------------------------------------------

BUDGET = DeclSpec(
    "budget",
    "financial",
    "A budget and the items it covers.",
    "budget technology {\n  amount 2.5M USD\n  covers foundation, digital\n}",
    block(
        field(
            "amount", money(), doc="The amount available.", example="amount 2.5M USD", required=True
        ),
        field(
            "covers",
            refs("phase", "component", "site"),
            doc="What the budget pays for.",
            example="covers foundation, digital",
            many=True,
        ),
        field(
            "year",
            count(
                "a year of the horizon",
                "1",
                hi=Fraction(30),
                reason="the horizon is at most 30 years",
                positive=True,
            ),
            doc="Restrict the budget to one year of the horizon.",
            example="year 1",
        ),
    ),
)

REQUIREMENT = DeclSpec(
    "requirement",
    "financial",
    "A requirement for the RFP: its category, priority, text, acceptance condition and what "
    "it traces to.",
    "requirement callback_keeps_place {\n  category functional\n  priority must\n"
    '  text "Callers can ask for a callback and keep their place in the queue"\n'
    '  acceptance "A callback is placed within 2 minutes of the caller\'s turn"\n'
    "  traces callback, voice\n}",
    block(
        field(
            "category",
            choice(
                "a category: `functional`, `technical`, `operational` or `commercial`",
                "functional",
                "technical",
                "operational",
                "commercial",
            ),
            doc="RFP section.",
            example="category functional",
            required=True,
        ),
        field(
            "priority",
            choice(
                "a priority: `must`, `should`, `could` or `wont`", "must", "should", "could", "wont"
            ),
            doc="MoSCoW priority.",
            example="priority must",
            required=True,
        ),
        field(
            "text",
            S.TextSlot(),
            doc="The requirement as vendors read it.",
            example='text "Callers can ask for a callback"',
            required=True,
        ),
        field(
            "acceptance",
            S.TextSlot(),
            doc="How acceptance testing proves it.",
            example='acceptance "Callback placed within 2 minutes"',
        ),
        field(
            "traces",
            refs("component", "channel", "process", "service", "promise", "site", "phase"),
            doc="What justifies the requirement.",
            example="traces callback, voice",
            many=True,
        ),
        field(
            "mandatory",
            choice("`yes` or `no`", "yes", "no"),
            doc="A knock-out requirement: vendors that fail it are excluded.",
            example="mandatory yes",
        ),
    ),
)

CRITERION = DeclSpec(
    "criterion",
    "financial",
    "A selection criterion and its weight.",
    "criterion functionality { weight 35% }",
    block(
        field(
            "weight",
            pct("a weight", "35%"),
            doc="Weight in the evaluation.",
            example="weight 35%",
            required=True,
        ),
    ),
)

SCORE_MAP = BlockSpec(
    map=MapSpec(
        refs("criterion"),
        (
            S.Qty(
                "a score from 0 to 5",
                "4",
                ((),),
                ranges=(Range(ZERO, Fraction(5), reason="scores are from 0 to 5"),),
            ),
        ),
    )
)

VENDOR = DeclSpec(
    "vendor",
    "financial",
    "A vendor, what it bids for and its scores per criterion (0 to 5).",
    "vendor genesys {\n  bids acd, wfm\n  score { functionality 4.5; price 3 }\n}",
    block(
        field(
            "bids",
            refs("component"),
            doc="Components or lots the vendor bids for.",
            example="bids acd, wfm",
            many=True,
        ),
        field(
            "score",
            doc="Score per criterion, 0 to 5.",
            example="score { functionality 4.5; price 3 }",
            block=SCORE_MAP,
            block_required=True,
        ),
        field("price", money(), doc="Total price quoted.", example="price 1.2M USD"),
        field(
            "fails",
            refs("requirement"),
            doc="Mandatory requirements the vendor fails.",
            example="fails data_residency",
            many=True,
        ),
        field(
            "discount",
            pct("a negotiated discount", "10%"),
            doc="Negotiated discount (what-if).",
            example="discount 10%",
        ),
    ),
)

# -- technology layer ---------------------------------------------------------------------

COST_FIELDS = (
    field(
        "subscription",
        S.Qty(
            "a subscription per seat or user and period",
            "95 USD/seat/month",
            (MONEY_PER_SEAT_TIME, MONEY_PER_USER_TIME, MONEY_PER_TIME),
            ranges=money_ranges(MONEY_PER_SEAT_TIME, MONEY_PER_USER_TIME, MONEY_PER_TIME),
        ),
        doc="Recurring licence per seat (or user) per period, or flat per period.",
        example="subscription 95 USD/seat/month",
    ),
    field(
        "licence",
        S.Qty(
            "a one-time licence",
            "1_200 USD/seat",
            (MONEY_PER_SEAT, MONEY_PER_USER, MONEY),
            ranges=money_ranges(MONEY_PER_SEAT, MONEY_PER_USER, MONEY),
        ),
        doc="One-time licence per seat (or user), or in total.",
        example="licence 1_200 USD/seat",
    ),
    field(
        "usage",
        S.Qty(
            "a cost per minute, contact or message",
            "0.038 USD/minute",
            (MONEY_PER_TIME, MONEY_PER_CONTACT, MONEY_PER_MESSAGE),
            ranges=money_ranges(MONEY_PER_TIME, MONEY_PER_CONTACT, MONEY_PER_MESSAGE),
        ),
        doc="Usage-based price.",
        example="usage 0.038 USD/minute",
    ),
    field(
        "maintenance",
        pct("a yearly maintenance rate", "20%"),
        doc="Yearly maintenance as a share of the licence.",
        example="maintenance 20%",
    ),
    field(
        "implementation",
        money("150k USD"),
        doc="One-time implementation services.",
        example="implementation 150k USD",
    ),
    field(
        "hosting",
        S.Qty(
            "a cost per period",
            "2_000 USD/month",
            (MONEY_PER_TIME,),
            ranges=money_ranges(MONEY_PER_TIME),
        ),
        doc="Recurring hosting or infrastructure cost.",
        example="hosting 2_000 USD/month",
    ),
)

OPTION_BLOCK = BlockSpec((*COST_FIELDS, DESCRIPTION))

COMPONENT = DeclSpec(
    "component",
    "technology",
    "A technology component: its kind, deployment model, the channels it supports, what it "
    "requires, and its costs.",
    "component acd extends std.acd {\n  model cloud\n  subscription 95 USD/seat/month\n}",
    block(
        field(
            "kind",
            choice(
                "a component kind: " + ", ".join(f"`{k}`" for k in COMPONENT_KINDS),
                *COMPONENT_KINDS,
            ),
            doc="What kind of component this is.",
            example="kind acd",
        ),
        field(
            "model",
            choice("a deployment model: `cloud`, `onprem` or `hosted`", *DEPLOYMENT_MODELS),
            doc="Deployment model chosen.",
            example="model cloud",
        ),
        field(
            "supports",
            refs("channel"),
            doc="Channels the component supports.",
            example="supports voice, chat",
            many=True,
        ),
        field(
            "requires",
            refs("component"),
            doc="Components it cannot work without.",
            example="requires acd",
            many=True,
        ),
        field(
            "vendor", refs("vendor"), doc="The chosen vendor, if decided.", example="vendor genesys"
        ),
        *COST_FIELDS,
        field(
            "option",
            choice("a deployment model: `cloud`, `onprem` or `hosted`", *DEPLOYMENT_MODELS),
            doc="Costs under another deployment model, to compare options side by side.",
            example="option onprem { licence 1_400 USD/seat; maintenance 20% }",
            repeat=True,
            block=OPTION_BLOCK,
            block_required=True,
        ),
        field(
            "effort",
            duration("3 months", "an effort"),
            doc="Time to implement.",
            example="effort 3 months",
        ),
        field(
            "replaces",
            refs("system"),
            doc="Current systems this component replaces.",
            example="replaces legacy_pbx",
            many=True,
        ),
    ),
    extendable=True,
)

PHASE = DeclSpec(
    "phase",
    "financial",
    "A project phase: what it includes, what it follows, its dates and budget.",
    "phase foundation {\n  includes acd, ivr\n  start 2027-01\n  duration 6 months\n"
    "  budget 1.1M USD\n}",
    block(
        field(
            "includes",
            refs("component", "channel", "practice"),
            doc="Items delivered in the phase.",
            example="includes acd, ivr",
            many=True,
        ),
        field(
            "after",
            refs("phase"),
            doc="Phases that must finish first.",
            example="after foundation",
            many=True,
        ),
        field("start", S.DateSlot(), doc="Planned start month.", example="start 2027-01"),
        field(
            "duration",
            duration("6 months"),
            doc="Planned duration.",
            example="duration 6 months",
        ),
        field("budget", money(), doc="Budget of the phase.", example="budget 1.1M USD"),
        field(
            "pilot",
            refs("channel"),
            S.Qty(
                "a pilot share",
                "10%",
                ((),),
                percent=True,
                ranges=(
                    Range(
                        ZERO,
                        HUNDRED_PCT,
                        lo_inclusive=False,
                        unit="%",
                        factor=PERCENT,
                        reason="a pilot launches the channel to some of the customers first",
                    ),
                ),
            ),
            S.Optional((S.Literal("for"), duration("2 months", "a pilot length"))),
            doc="Trial-then-rollout: launch a channel to a share of customers first.",
            example="pilot chat 10% for 2 months",
            repeat=True,
        ),
    ),
)

PRACTICE = DeclSpec(
    "practice",
    "operational",
    "A management practice of the maturity model, in one layer and tier (standard, best, next).",
    "practice wfm_suite {\n  layer operational\n  tier best\n  weight 3\n}",
    block(
        field(
            "layer",
            choice("a layer: " + ", ".join(f"`{x}`" for x in LAYERS), *LAYERS),
            doc="The layer the practice belongs to.",
            example="layer operational",
            required=True,
        ),
        field(
            "tier",
            choice("a tier: `standard`, `best` or `next`", "standard", "best", "next"),
            doc="Standard, best or next practice.",
            example="tier best",
            required=True,
        ),
        field(
            "weight",
            weight("3", positive=True),
            doc="Weight in the maturity index.",
            example="weight 3",
        ),
        field(
            "effort",
            duration("2 months", "an effort"),
            doc="Time to introduce the practice.",
            example="effort 2 months",
        ),
        field(
            "cost", money("40k USD"), doc="One-time cost of introducing it.", example="cost 40k USD"
        ),
    ),
    extendable=True,
)

MATURITY = DeclSpec(
    "maturity",
    "operational",
    "The maturity position: practices in place now and practices targeted.",
    "maturity {\n  current std.wfm_spreadsheets\n  target std.wfm_suite\n}",
    block(
        field(
            "current",
            refs("practice"),
            doc="Practices in place today.",
            example="current std.qa_manual",
            many=True,
        ),
        field(
            "target",
            refs("practice"),
            doc="Practices the design targets.",
            example="target std.wfm_suite",
            many=True,
        ),
    ),
    named=False,
    unique=True,
)

SYSTEM = DeclSpec(
    "system",
    "technology",
    "An existing system of the current center and its fate.",
    "system legacy_pbx {\n  fate replace\n  cost 14k USD/month\n}",
    block(
        field(
            "fate",
            choice("a fate: `keep`, `replace` or `retire`", "keep", "replace", "retire"),
            doc="Kept, replaced by a new component, or retired.",
            example="fate replace",
            required=True,
        ),
        field(
            "cost",
            S.Qty(
                "a running cost per period",
                "14k USD/month",
                (MONEY_PER_TIME,),
                ranges=money_ranges(MONEY_PER_TIME),
            ),
            doc="Running cost while it is in service.",
            example="cost 14k USD/month",
        ),
        field(
            "supports",
            refs("channel"),
            doc="Channels it serves today.",
            example="supports voice",
            many=True,
        ),
    ),
)

BASELINE_PAIR = (refs("channel"),)
BASELINE_TOLERANCE = Fraction(20, 100)
"""How far the design may differ from today's figures before a diagnostic says so: a
client's reports and a design's forecast count contacts and staff differently (abandoned
calls counted or not, repeat contacts, part-time staff), by about a tenth either way; a
fifth is beyond that and is usually a missing process, channel or unit."""
MAX_FTE = Fraction(1_000_000)
BASELINE = DeclSpec(
    "baseline",
    "operational",
    "Today's operation, where known: the center the client runs now, sized and costed as "
    "the do-nothing case the design is compared with. Every field is optional; what is "
    "absent is derived from the design or shown as not known.",
    "baseline {\n  volume voice 1.4M/year\n  aht voice 6 min\n"
    "  service_level voice 62% within 20 s\n  abandon voice 11%\n  agents 210\n"
    "  cost 14M USD/year\n}",
    block(
        field(
            "volume",
            *BASELINE_PAIR,
            VOLUME,
            doc="Today's volume per channel; the channels given a volume are the channels "
            "the client runs today.",
            example="volume voice 1.4M/year",
            repeat=True,
        ),
        field(
            "aht",
            *BASELINE_PAIR,
            HANDLE_TIME,
            doc="Today's handle time per channel (talk + hold, or all of it when no `acw` "
            "is given); without it the design's handle time on the channel is used.",
            example="aht voice 6 min",
            repeat=True,
        ),
        field(
            "acw",
            *BASELINE_PAIR,
            WRAP_UP_TIME,
            doc="Today's after-contact work per channel, added to its `aht`.",
            example="acw voice 45 s",
            repeat=True,
        ),
        field(
            "service_level",
            *BASELINE_PAIR,
            *TARGET,
            doc="Today's service level per channel: today's staff is sized to meet it.",
            example="service_level voice 62% within 20 s",
            repeat=True,
        ),
        field(
            "abandon",
            *BASELINE_PAIR,
            pct("an abandonment rate", "11%"),
            doc="Today's abandonment rate per channel (reported beside the sizing).",
            example="abandon voice 11%",
            repeat=True,
        ),
        field(
            "agents",
            S.Optional(BASELINE_PAIR),
            count("a number of agents", "210", "agent", MAX_SEATS, "at most a million agents"),
            doc="Agents employed today, in total or on one channel (`agents voice 180`).",
            example="agents 210",
            repeat=True,
        ),
        field(
            "fte",
            S.Optional(BASELINE_PAIR),
            S.Qty(
                "a number of FTE",
                "195.5",
                ((), (("fte", 1),)),
                ranges=(
                    Range(
                        ZERO,
                        MAX_FTE,
                        unit="FTE",
                        reason="at most a million full-time equivalents, more than the "
                        "largest centers employ",
                    ),
                ),
            ),
            doc="Full-time equivalents today, in total or on one channel (`fte voice 172.5`); "
            "they are costed instead of the derived ones.",
            example="fte 195.5",
            repeat=True,
        ),
        field(
            "seats",
            count("a number of seats", "240", "seat", MAX_SEATS, "at most a million seats"),
            doc="Seats in use today (else the seats of today's sites).",
            example="seats 240",
        ),
        field(
            "sites",
            refs("site"),
            doc="The existing sites today's operation runs in (else every site declared "
            "`existing yes`).",
            example="sites chicago",
            many=True,
        ),
        field(
            "growth",
            GROWTH,
            doc="Yearly volume growth of today's operation (else the design's: the "
            "volume-weighted growth of the processes on each channel).",
            example="growth 3%/year",
        ),
        field(
            "tolerance",
            pct(
                "a tolerance",
                "20%",
                reason="a tolerance is a share of today's figure; 100% accepts any smaller one",
            ),
            doc="How far the design's volume and the derived staff may differ from today's "
            "figures before a warning says so (default 20%).",
            example="tolerance 25%",
        ),
        field(
            "cost",
            S.Qty(
                "a cost per period",
                "14M USD/year",
                (MONEY_PER_TIME,),
                ranges=money_ranges(MONEY_PER_TIME),
            ),
            doc="Today's total operating cost; when given it is the do-nothing operating cost "
            "(grown with the volume), shown beside the bottom-up cost.",
            example="cost 14M USD/year",
        ),
    ),
    named=False,
    unique=True,
)

BENEFIT = DeclSpec(
    "benefit",
    "financial",
    "A benefit the design brings besides lower cost (retention revenue, fewer losses), "
    "with the source of its figure; the business case counts it from the month it starts.",
    "benefit retention {\n  amount 1.2M USD/year\n  because chat, callback\n  ramp 6 months\n"
    '  source "Churn study 2026: 0.4 points fewer leavers among callers"\n}',
    block(
        field(
            "amount",
            S.Qty(
                "an amount per period",
                "1.2M USD/year",
                (MONEY_PER_TIME,),
                ranges=money_ranges(MONEY_PER_TIME),
            ),
            doc="The benefit per period once it runs at full strength.",
            example="amount 1.2M USD/year",
            required=True,
        ),
        field(
            "because",
            refs("component", "channel", "practice", "phase", "site"),
            doc="The items of the plan that bring the benefit; it starts when the last of "
            "them goes live (unless `from` says when).",
            example="because chat, callback",
            many=True,
        ),
        field(
            "from",
            S.DateSlot(),
            doc="The month the benefit starts (else when its `because` items go live, else "
            "the first month).",
            example="from 2028-01",
        ),
        field(
            "ramp",
            S.Qty(
                "a ramp-up time",
                "6 months",
                (TIME,),
                ranges=(
                    Range(
                        ZERO,
                        MAX_HORIZON,
                        unit="months",
                        reason="a benefit ramps up over whole months, within the longest horizon",
                        step=MONTH,
                    ),
                ),
            ),
            doc="Months over which the benefit rises linearly to its full amount.",
            example="ramp 6 months",
        ),
        field(
            "source",
            S.TextSlot("where the figure comes from, in double quotes"),
            doc="Where the figure comes from (a study, the client's finance team); required, "
            "as a benefit without a source is not evidence.",
            example='source "Churn study 2026"',
            required=True,
        ),
    ),
)

# What a risk may threaten: every kind of named declaration, preferred in this order when
# a name is declared in several kinds (`channel.chat` names one explicitly).
THREATENED_KINDS = (
    "component", "phase", "channel", "process", "outbound", "site", "budget", "vendor",
    "requirement", "service", "promise", "segment", "system", "benefit", "practice",
    "criterion", "pattern", "brand",
)  # fmt: skip

RISK = DeclSpec(
    "risk",
    "financial",
    "A risk to the design or its delivery, for the register of risks: how likely it is, "
    "what it would do, who owns it, what is done about it, and what it threatens. Its "
    "score is its likelihood times its impact, each rated 1 to 3.",
    'risk vendor_lock_in {\n  label "Dependence on one cloud vendor"\n  likelihood medium\n'
    '  impact high\n  owner "CIO"\n  mitigation "Exit clause and data export in the contract"\n'
    "  threatens acd, foundation\n}",
    block(
        field(
            "likelihood",
            LEVEL,
            doc="How likely the risk is to occur within the horizon.",
            example="likelihood medium",
            required=True,
        ),
        field(
            "impact",
            LEVEL,
            doc="How much harm it does to the design's objectives (cost, time, service) if "
            "it occurs.",
            example="impact high",
            required=True,
        ),
        field(
            "owner",
            S.TextSlot("who owns the risk, in double quotes"),
            doc="Who watches the risk and acts when it occurs (a warning when left out).",
            example='owner "CIO"',
            recommended=RISK_WITHOUT_OWNER,
        ),
        field(
            "mitigation",
            S.TextSlot("what reduces or contains the risk, in double quotes"),
            doc="What the design does to make the risk less likely or less harmful (a "
            "warning when left out).",
            example='mitigation "Exit clause and data export in the contract"',
            recommended=RISK_WITHOUT_MITIGATION,
        ),
        field(
            "threatens",
            refs(*THREATENED_KINDS),
            doc="The declarations the risk would harm: components, phases, channels, "
            "processes, sites, budgets, vendors or any other named declaration.",
            example="threatens acd, foundation",
            many=True,
        ),
    ),
)

# -- the blueprint itself -----------------------------------------------------------------

BLUEPRINT = DeclSpec(
    "blueprint",
    "brand",
    "The blueprint's metadata: its title, currency, start, horizon and discount rate, and "
    "the client's locale.",
    'blueprint "Northwind Bank customer care" {\n  currency USD\n  start 2027-01\n'
    "  horizon 3 years\n  discount 8%\n}",
    block(
        field(
            "currency",
            S.Currency(),
            doc="Currency of every amount.",
            example="currency USD",
            required=True,
        ),
        field(
            "start",
            S.DateSlot(),
            doc="First month of the horizon.",
            example="start 2027-01",
            required=True,
        ),
        field(
            "horizon",
            S.Qty(
                "a horizon",
                "3 years",
                (TIME,),
                ranges=(
                    Range(
                        MONTH,
                        MAX_HORIZON,
                        unit="months",
                        reason="the plan is made month by month, for at most 30 years",
                        step=MONTH,
                    ),
                ),
            ),
            doc="Length of the plan in whole months, from 1 month to 30 years.",
            example="horizon 3 years",
            required=True,
        ),
        field(
            "discount",
            pct("a discount rate", "8%"),
            doc="Yearly discount rate for NPV.",
            example="discount 8%",
        ),
        field(
            "interval",
            S.Qty(
                "an interval length",
                "30 min",
                (TIME,),
                ranges=(
                    Range(
                        unit="min",
                        reason="the sizing works on 15, 30 or 60 minute intervals",
                        allowed=(15 * MINUTE, 30 * MINUTE, HOUR),
                    ),
                ),
            ),
            doc="Interval length for staffing: 15, 30 or 60 minutes.",
            example="interval 30 min",
        ),
        field(
            "exchange",
            S.Currency(),
            S.Qty(
                "an exchange rate",
                "1.08",
                ((),),
                ranges=(
                    Range(
                        Fraction(1, 10**6),
                        Fraction(10**6),
                        reason="one currency is worth between a millionth and a million of another",
                    ),
                ),
            ),
            doc="Value of one unit of another currency in the blueprint's currency.",
            example="exchange EUR 1.08",
            repeat=True,
        ),
        field(
            "client",
            S.TextSlot(),
            doc="The client organisation.",
            example='client "Northwind Bank"',
        ),
        field(
            "author", S.TextSlot(), doc="Who wrote the blueprint.", example='author "A. Consultant"'
        ),
        field("version", S.TextSlot(), doc="Version label of the design.", example='version "2.1"'),
        field(
            "automation_threshold",
            VOLUME,
            doc="Processes above this volume should have an automation option.",
            example="automation_threshold 100k/year",
        ),
        field(
            "closed_hours",
            choice("`carry` or `lose`", "carry", "lose"),
            doc="What happens to contacts arriving while a channel is closed: carried to the "
            "next open interval, or lost.",
            example="closed_hours carry",
        ),
        field(
            "overlap",
            duration("1 month", "an overlap"),
            doc="How long a replaced or retired system keeps running (and costing) after its "
            "replacement goes live.",
            example="overlap 2 months",
        ),
        field(
            "locale",
            S.TextSlot('a CLDR locale identifier in double quotes, such as `"en_GB"`'),
            doc="The client's locale, a CLDR identifier (language, then territory): how the "
            "documents write numbers, amounts and dates, and the default `units` "
            "(default `en_US`).",
            example='locale "en_GB"',
        ),
        field(
            "units",
            choice("`metric` or `imperial`", *UNIT_SYSTEMS),
            doc="The units the documents show areas in: metric (square metres) or imperial "
            "(square feet); by default imperial for a locale of the United States, Liberia "
            "or Myanmar, metric for any other.",
            example="units metric",
        ),
    ),
    named=False,
    unique=True,
    title_text=True,
)

DECLARATIONS: dict[str, DeclSpec] = {
    spec.kind: spec
    for spec in (
        BLUEPRINT,
        BRAND,
        SEGMENT,
        SERVICE,
        PROCESS,
        OUTBOUND,
        CHANNEL,
        PATTERN,
        SITE,
        STAFFING,
        BUDGET,
        COMPONENT,
        PHASE,
        REQUIREMENT,
        CRITERION,
        VENDOR,
        PRACTICE,
        MATURITY,
        SYSTEM,
        BASELINE,
        BENEFIT,
        RISK,
    )
}
SUB_DECLARATIONS = {"promise": "brand", "value": "brand"}
REFERABLE_KINDS = (*DECLARATIONS, *SUB_DECLARATIONS)
KEYWORDS = ("use", "assert", "extends", "and", "or", "not")

ASSERT_NUMBER = Range(
    -MAX_MONEY,
    MAX_MONEY,
    reason="figures are compared with numbers of at most 10^15 (a thousand trillion) either "
    "way, in the unit written",
)

# The figures an `assert` can name are in blueprintc.semantic.figures.


def numeric_fields() -> list[tuple[str, FieldSpec]]:
    """Every field that takes a number, with its path (``component.option.licence``)."""
    out: list[tuple[str, FieldSpec]] = []

    def visit(path: str, block: BlockSpec) -> None:
        for spec in block.fields:
            if spec.quantities:
                out.append((f"{path}.{spec.name}", spec))
            if spec.block is not None and spec.block.map is None:
                visit(f"{path}.{spec.name}", spec.block)

    for kind, declaration in DECLARATIONS.items():
        visit(kind, declaration.block)
    return out
