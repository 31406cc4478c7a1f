"""Small valid blueprints drawn by hypothesis, for the property tests of the outputs.

Every drawn blueprint compiles without errors: 1-4 processes over 1-3 assisted channels
(voice, chat, e-mail) and an optional self-service web channel, and optionally outbound
work, two sites with facility costs, components priced per seat, per user and flat with
a deployment option, phases with a pilot, a migration, a current system, a second site
opening mid-horizon, and a baseline with a stated cost and a declared benefit (so a
business case).
"""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

ASSISTED = ("voice", "chat", "email")

CHANNELS = {
    "voice": """\
channel voice extends std.voice {{
  hours mon..fri 08:00-20:00{saturday}
  target 80% within {answer} s
  patience 120 s
  shrinkage {shrinkage}%
}}
""",
    "chat": """\
channel chat extends std.chat {{
  hours mon..fri 08:00-20:00
  concurrency {concurrency}
  shrinkage {shrinkage}%
}}
""",
    "email": """\
channel email extends std.email {{
  hours mon..fri 08:00-18:00
  response 90% within 24 h
}}
""",
    "web": """\
channel web extends std.web {{
  hours daily 00:00-24:00
}}
""",
}

AHT = {"voice": (3, 12), "chat": (6, 15), "email": (3, 9)}


def _shares(draw: st.DrawFn, count: int) -> list[int]:
    """``count`` whole percentages, each at least 5, adding up to 100."""
    if count == 1:
        return [100]
    cuts = sorted(
        draw(st.lists(st.integers(1, 19), min_size=count - 1, max_size=count - 1, unique=True))
    )
    points = [0, *(5 * c for c in cuts), 100]
    return [b - a for a, b in itertools.pairwise(points)]


@st.composite
def blueprints(draw: st.DrawFn) -> str:
    """The text of one small, valid blueprint."""
    start = draw(st.sampled_from(["2027-01", "2027-04"]))
    years = draw(st.integers(2, 3))
    channels = draw(
        st.lists(st.sampled_from(ASSISTED), min_size=1, max_size=3, unique=True).map(
            lambda xs: [c for c in ASSISTED if c in xs]
        )
    )
    web = draw(st.booleans())
    processes = draw(st.integers(1, 4))
    parts = [
        f'blueprint "Drawn" {{ currency USD; start {start}; horizon {years} years; '
        f"discount {draw(st.integers(0, 12))}%; interval 60 min; "
        "automation_threshold 10M/year }\n",
        "use std/channels\nuse std/components\n",
        'brand b { promise p "A person answers" }\n',
        "segment all { share 100%; value high; strategy retain; intensity simple }\n",
        "service s { delivers p; segments all }\n",
    ]
    offered = [*channels, *(["web"] if web else [])]
    for k in range(processes):
        used = draw(
            st.lists(st.sampled_from(offered), min_size=1, max_size=len(offered), unique=True)
        )
        used = [c for c in offered if c in used]
        if not any(c in ASSISTED for c in used):
            used = [channels[0], *used]
            used = [c for c in offered if c in used]
        shares = _shares(draw, len(used))
        mix = "; ".join(f"{c} {s}%" for c, s in zip(used, shares, strict=True))
        aht = "; ".join(f"{c} {draw(st.integers(*AHT[c]))} min" for c in used if c in ASSISTED)
        lines = [
            f"process p{k} {{",
            "  service s",
            f"  volume {draw(st.integers(2, 40)) * 1000}/month",
            f"  mix {{ {mix} }}",
            f"  aht {{ {aht} }}",
        ]
        if draw(st.booleans()):
            lines.append(f"  growth {draw(st.integers(-5, 10))}%/year")
        if "voice" in used and draw(st.booleans()):
            lines.append(f"  acw {{ voice {draw(st.integers(0, 90))} s }}")
        if "web" in used:
            lines.append("  automation { web 100% }")
        targets = [c for c in ("chat", "web") if c in used]
        if "voice" in used and targets and draw(st.booleans()):
            by = draw(st.sampled_from(["2027-09", "2028-03", "2028-06"]))
            lines.append(f"  migrate voice to {targets[0]} {draw(st.integers(5, 20))}% by {by}")
        parts.append("\n".join(lines) + "\n}\n")
    if "voice" in channels and draw(st.booleans()):
        parts.append(
            'outbound reminder {\n  service s\n  trigger "A payment is due"\n'
            f"  channel voice\n  volume {draw(st.integers(1, 6)) * 1000}/month\n"
            f"  contact_rate {draw(st.integers(30, 70))}%\n  aht 3 min\n  attempt_time 40 s\n}}\n"
        )
    for channel in offered:
        parts.append(
            CHANNELS[channel].format(
                saturday=", sat 09:00-14:00" if draw(st.booleans()) else "",
                answer=draw(st.sampled_from([20, 30, 60])),
                shrinkage=draw(st.integers(25, 38)),
                concurrency=draw(st.sampled_from(["1.5", "2", "2.5"])),
            )
        )
    parts.append(
        "staffing {\n  loaded_cost 36 USD/h\n  paid_hours 37.5 h/week\n  span supervisor 12\n"
        "  span team_leader 15\n  role_cost supervisor 80k USD/year\n"
        "  role_cost team_leader 66k USD/year\n}\n"
    )
    assisted = ", ".join(channels)
    sites = draw(st.integers(0, 2))
    if sites:
        first = draw(st.integers(2, 8)) * 10 if sites == 2 else 100
        for index, share in enumerate([first, 100 - first][:sites]):
            parts.append(
                f"site site{index} {{\n  seats 2000\n  channels {assisted}\n  share {share}%\n"
                f"  area 110 sqft/seat\n  rent {draw(st.integers(15, 30))} USD/sqft/year\n"
                f"  running {draw(st.integers(30, 50))} USD/seat/month\n"
                f"  fitout {draw(st.integers(4, 8))}_000 USD/seat\n"
                f"  existing {'yes' if index == 0 else 'no'}\n"
                + (f"  opens {draw(st.sampled_from(['2027-07', '2028-01']))}\n" if index else "")
                + "}\n"
            )
    components: list[str] = []
    if draw(st.booleans()):
        components.append("acd")
        seat = draw(st.sampled_from(["subscription", "licence"]))
        price = (
            f"subscription {draw(st.integers(60, 140))} USD/seat/month"
            if seat == "subscription"
            else f"licence {draw(st.integers(8, 20)) * 100} USD/seat\n  maintenance 20%"
        )
        option = ""
        if draw(st.booleans()):
            option = (
                "\n  option onprem {\n    licence 1_400 USD/seat\n    maintenance 18%\n"
                "    implementation 300k USD\n  }"
            )
        replaces = ""
        if draw(st.booleans()):
            parts.append("system old_pbx {\n  fate replace\n  cost 20k USD/month\n}\n")
            replaces = "\n  replaces old_pbx"
        parts.append(
            f"component acd extends std.acd {{\n  model cloud\n  supports {assisted}\n"
            f"  {price}\n  implementation {draw(st.integers(5, 20)) * 10}k USD{option}"
            f"{replaces}\n}}\n"
        )
        parts.append(
            "component sip_trunk extends std.sip_trunk {\n  model cloud\n"
            "  usage 0.004 USD/minute\n}\n"
            "component sbc extends std.sbc {\n  model cloud\n  hosting 1_500 USD/month\n}\n"
        )
    if "acd" in components and draw(st.booleans()):
        components.append("wfm")
        parts.append(
            f"component wfm extends std.wfm {{\n  model cloud\n  supports {assisted}\n"
            f"  subscription {draw(st.integers(20, 40))} USD/user/month\n"
            "  implementation 50k USD\n}\n"
        )
    if draw(st.booleans()):
        components.append("kb")
        parts.append(
            "component kb extends std.knowledge {\n  model cloud\n"
            f"  subscription {draw(st.integers(1, 9))}_000 USD/month\n}}\n"
        )
    if draw(st.booleans()) and components:
        late = [c for c in channels if c != channels[0]]
        pilot = ""
        if "chat" in late and draw(st.booleans()):
            pilot = f"\n  pilot chat {draw(st.integers(5, 30))}% for 2 months"
        parts.append(
            f"phase first {{\n  includes {', '.join([components[0], channels[0]])}\n"
            f"  start {start}\n  duration {draw(st.integers(3, 9))} months\n"
            f"  budget 2M USD\n}}\n"
        )
        rest = [*components[1:], *late]
        if rest:
            parts.append(
                f"phase second {{\n  includes {', '.join(rest)}\n  after first\n"
                f"  duration {draw(st.integers(2, 8))} months\n  budget 2M USD{pilot}\n}}\n"
            )
    if draw(st.booleans()):
        agents = draw(st.integers(20, 120))
        parts.append(
            f"baseline {{\n  volume {channels[0]} {draw(st.integers(5, 50)) * 10}k/year\n"
            f"  agents {agents}\n  tolerance 100%\n"
            f"  cost {draw(st.integers(1, 40)) * 100}k USD/year\n}}\n"
        )
        if draw(st.booleans()):
            parts.append(
                f"benefit retention {{\n  amount {draw(st.integers(1, 20)) * 50}k USD/year\n"
                f"  ramp {draw(st.integers(0, 6))} months\n"
                '  source "Churn study"\n}\n'
            )
    return "".join(parts)
