"""A risk in the dependency graph: a node of the financial-functional layer with one
``threatens`` edge to each threatened element; it justifies nothing and nothing justifies it."""

from __future__ import annotations

from collections.abc import Callable

from blueprintc.driver import Compilation
from blueprintc.graph import UPWARD, justifies, trace_up
from blueprintc.render.graph_formats import json_document
from tests.conftest import codes

Project = Callable[..., Compilation]

TEXT = """\
use std/channels
brand b { promise fast "A person answers" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers fast; segments all }
process p { service s; volume 1_000/month; mix { voice 100% }; aht { voice 5 min } }
channel voice extends std.voice { hours mon..fri 08:00-18:00 }
component acd { kind acd; supports voice }
phase foundation { includes acd }
baseline { volume voice 12k/year; cost 120k USD/year }
benefit retention { amount 10k USD/year; source "Study" }
risk lock_in {
  likelihood medium
  impact high
  owner "CIO"
  mitigation "Exit clause"
  threatens acd, foundation, voice, retention
}
"""


def test_a_risk_threatens_what_it_names(project: Project) -> None:
    result = project(TEXT)
    assert result.graph is not None, codes(result)
    graph = result.graph
    node = graph.nodes["risk:lock_in"]
    assert (node["kind"], node["name"], node["layer"]) == (
        "risk",
        "lock_in",
        "financial-functional",
    )
    edges = {
        target: data["relation"] for _, target, data in graph.out_edges("risk:lock_in", data=True)
    }
    # The benefit is not a node of the graph: the model keeps it, the graph draws no edge.
    assert edges == {
        "component:acd": "threatens",
        "phase:foundation": "threatens",
        "channel:voice": "threatens",
    }
    assert graph.in_degree("risk:lock_in") == 0
    assert "threatens" not in UPWARD
    assert trace_up(graph, "risk:lock_in") == ("risk:lock_in",)
    assert justifies(graph, "risk:lock_in") == ()
    # What the risk threatens keeps its own chain up to the promise.
    assert trace_up(graph, "component:acd")[-1] == "promise:fast"


def test_the_graph_json_lists_the_risk_and_its_edges(project: Project) -> None:
    result = project(TEXT)
    assert result.graph is not None
    data = json_document(result.graph)
    assert {"id": "risk:lock_in", "kind": "risk", "name": "lock_in"}.items() <= next(
        n for n in data["nodes"] if n["id"] == "risk:lock_in"
    ).items()
    threatens = sorted(e["target"] for e in data["edges"] if e["relation"] == "threatens")
    assert threatens == ["channel:voice", "component:acd", "phase:foundation"]
