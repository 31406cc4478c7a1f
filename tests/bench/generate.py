"""Generated blueprints of any size for benchmarks: realistic blocks, unique names."""

from __future__ import annotations

HEADER = """\
blueprint "Generated" {{
  currency USD
  start 2027-01
  horizon {horizon}
  interval {interval}
  discount 8%
}}
use std/channels
use std/components
segment core {{
  share 60%
  customers 250k
  value medium
  potential medium
  strategy reduce_costs
  intensity reactive
}}
segment top {{
  share 40%
  value high
  potential high
  strategy retain
  intensity partnership
}}
staffing {{
  loaded_cost 38 USD/h
  paid_hours 37.5 h/week
  span supervisor 12
}}
component sip_trunk extends std.sip_trunk {{
  model cloud
}}
component sbc extends std.sbc {{
  model cloud
}}
"""

UNIT = """\
brand brand_{k} {{
  promise fast_{k} "A person answers within a minute" {{
    target voice_{k} 80% within 60 s
  }}
  promise easy_{k} "Simple things are done online"
}}
service cards_{k} {{
  delivers fast_{k}, easy_{k}
  segments core, top
  cycle buying, servicing
  product maturity
}}
process activation_{k} {{
  service cards_{k}
  volume {activation}/month
  growth 4%/year
  mix {{ voice_{k} 40%; chat_{k} 35%; web_{k} 25% }}
  aht {{ voice_{k} 4.5 min; chat_{k} 9 min }}
  acw {{ voice_{k} 30 s }}
  automation {{ web_{k} 100% }}
  migrate voice_{k} to web_{k} 15% by 2028-06
}}
process dispute_{k} {{
  service cards_{k}
  volume {dispute}/month
  mix {{ voice_{k} 60%; chat_{k} 40% }}
  aht {{ voice_{k} 8 min; chat_{k} 12 min }}
}}
channel voice_{k} extends std.voice {{
  hours mon..fri 08:00-20:00, sat 09:00-14:00
  target 80% within 20 s
  patience 120 s
  shrinkage 33%
}}
channel chat_{k} extends std.chat {{
  hours mon..fri 08:00-20:00
  concurrency 2.5
}}
channel web_{k} extends std.web {{
  hours daily 00:00-24:00
}}
component acd_{k} extends std.acd {{
  model cloud
  subscription 115 USD/seat/month
  supports voice_{k}, chat_{k}, web_{k}
  option onprem {{
    licence 1_400 USD/seat
    maintenance 20%
  }}
}}
requirement req_{k} {{
  category functional
  priority must
  text "Callers can ask for a callback and keep their place in the queue"
  acceptance "A callback is placed within 2 minutes"
  traces acd_{k}, voice_{k}
}}
phase phase_{k} {{
  includes acd_{k}
  duration 9 months
  budget 1.1M USD
}}
assert occupancy(voice_{k}) <= 85%
"""


def generated_blueprint(units: int, horizon: str = "3 years", interval: str = "30 min") -> str:
    """A clean, aligned blueprint of ``units`` blocks (about 80 lines each).

    Every block has its own volumes, as the business units of a real center do: no two
    queues carry the same traffic, so no sizing is shared between blocks by chance."""
    header = HEADER.format(horizon=horizon, interval=interval)
    return header + "".join(
        UNIT.format(k=k, activation=38_000 + 7 * k, dispute=6_500 + 3 * (k % 400))
        for k in range(units)
    )


UNIT_LINES = UNIT.count("\n")


def generated_components(components: int, phases: int = 10, horizon: str = "5 years") -> str:
    """A small center with many components (chains of `requires`) over many phases."""
    head = f"""\
blueprint "Components" {{ currency USD; start 2027-01; horizon {horizon} }}
brand b {{ promise p "x" }}
segment all {{ share 100%; value high; strategy retain; intensity simple }}
service s {{ delivers p; segments all }}
process p1 {{ service s; volume 20_000/month; mix {{ voice 100% }}; aht {{ voice 4 min }} }}
channel voice {{ kind voice; hours mon..fri 08:00-18:00; target 80% within 20 s; shrinkage 35% }}
staffing {{ loaded_cost 38 USD/h; paid_hours 37.5 h/week }}
"""
    body = []
    for k in range(components):
        needs = ", ".join(f"c{j}" for j in (k - 1, k - 7, k - 31) if j >= 0)
        requires = f"; requires {needs}" if needs else ""
        body.append(
            f"component c{k} {{ kind other; supports voice{requires}; effort {1 + k % 3} months\n"
            f"  implementation {10 + k % 50}k USD; subscription {k % 40 + 5} USD/seat/month }}\n"
        )
    for k in range(phases):
        after = f"; after ph{k - 1}" if k else ""
        body.append(f"phase ph{k} {{ budget {components * 40 // phases}k USD{after} }}\n")
    return head + "".join(body)


def example_with(processes: int, requirements: int) -> str:
    """The Northwind example plus ``processes`` small processes and ``requirements``
    requirements spread over its services, channels and components (for the document
    set benchmark: every document grows with them). The example's own volumes are kept
    and each added process is small, so the center stays realistically sized."""
    services = ("cards", "everyday_banking", "lending")
    mixes = (
        "mix { voice 50%; chat 30%; email 20% }\n  aht { voice 5 min; chat 9 min; email 6 min }",
        "mix { voice 70%; web 30% }\n  aht { voice 4 min }\n  automation { web 100% }",
        "mix { chat 60%; email 40% }\n  aht { chat 10 min; email 5 min }",
    )
    body = []
    for k in range(processes):
        body.append(
            f"process generated_{k} {{\n  service {services[k % 3]}\n"
            f"  volume {20 + k % 10 * 5}/month\n  {mixes[k % 3]}\n}}\n"
        )
    categories = ("functional", "technical", "operational", "commercial")
    priorities = ("must", "should", "could")
    # As in real RFPs, most requirements are about one component; a few name a channel.
    traces = (
        "acd",
        "omnichannel",
        "wfm",
        "crm",
        "ivr",
        "recording",
        "qm",
        "knowledge",
        "acd, voice",
    )
    for k in range(requirements):
        body.append(
            f"requirement generated_req_{k} {{\n  category {categories[k % 4]}\n"
            f"  priority {priorities[k % 3]}\n"
            f'  text "Generated requirement {k}: the platform records every contact reason"\n'
            f'  acceptance "Ten sample contacts show their reason in the report"\n'
            f"  traces {traces[k % len(traces)]}\n}}\n"
        )
    return "".join(body)
