"""The dependency graph and traceability, on the example blueprint."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprintc.driver import compile
from blueprintc.graph import UPWARD, Graph, build_graph, justifies, subgraph, trace_up
from blueprintc.model.elements import LAYERS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graph() -> Graph:
    result = compile(ROOT / "examples" / "northwind_bank.cxb")
    assert result.graph is not None
    return result.graph


def relation(graph: Graph, source: str, target: str) -> str:
    return str(graph.edges[source, target]["relation"])


def test_nodes_carry_kind_name_and_layer(graph: Graph) -> None:
    assert graph.nodes["promise:fast_answer"]["layer"] == "brand"
    assert graph.nodes["process:card_activation"]["layer"] == "business"
    assert graph.nodes["phase:foundation"]["layer"] == "financial-functional"
    assert graph.nodes["channel:voice"]["layer"] == "operational"
    assert graph.nodes["component:acd"]["layer"] == "technology"
    assert graph.nodes["practice:wfm_suite"]["layer"] == "operational"  # its own `layer`
    assert {data["layer"] for _, data in graph.nodes(data=True)} <= set(LAYERS)


def test_typed_edges(graph: Graph) -> None:
    assert relation(graph, "service:cards", "promise:fast_answer") == "delivers"
    assert relation(graph, "service:cards", "segment:students") == "serves"
    assert relation(graph, "process:card_activation", "service:cards") == "part-of"
    assert relation(graph, "process:card_activation", "channel:voice") == "uses-channel"
    assert relation(graph, "channel:voice", "component:acd") == "supported-by"
    assert relation(graph, "component:acd", "component:sbc") == "requires"
    assert relation(graph, "component:acd", "phase:foundation") == "included-in"
    assert relation(graph, "phase:foundation", "phase:digital") == "precedes"
    assert relation(graph, "requirement:cloud_acd", "component:acd") == "traces-to"
    assert relation(graph, "vendor:skyline", "component:acd") == "bids"
    assert relation(graph, "budget:technology", "phase:foundation") == "covers"
    assert relation(graph, "site:chicago", "channel:voice") == "hosts"
    assert relation(graph, "component:acd", "system:legacy_pbx") == "replaces"


def test_trace_component_to_promise(graph: Graph) -> None:
    chain = trace_up(graph, "component:callback")
    assert chain[0] == "component:callback"
    assert chain[-1].startswith("promise:")
    kinds = [node.split(":")[0] for node in chain]
    assert kinds == ["component", "channel", "process", "service", "promise"]
    for lower, upper in pairwise(chain):
        assert graph.has_edge(lower, upper) or graph.has_edge(upper, lower)


def test_trace_requirement_and_dependency(graph: Graph) -> None:
    # sbc is justified because the ACD requires it; the ACD by the voice channel.
    chain = trace_up(graph, "component:sbc")
    assert chain[:2] == ("component:sbc", "channel:emergency") or "component:acd" in chain
    requirement = trace_up(graph, "requirement:callback_keeps_place")
    assert requirement[0] == "requirement:callback_keeps_place"
    assert requirement[-1] == "promise:fast_answer"


def test_trace_is_stable(graph: Graph) -> None:
    assert trace_up(graph, "component:wfm") == trace_up(graph, "component:wfm")


def test_element_without_justification_is_alone(graph: Graph) -> None:
    assert trace_up(graph, "criterion:price") == ("criterion:price",)


def test_what_a_promise_justifies(graph: Graph) -> None:
    below = justifies(graph, "promise:always_open")
    assert "service:cards" in below
    assert "process:card_emergency" in below
    assert "channel:emergency" in below
    assert "component:acd" in below  # supports the emergency line
    assert "promise:fast_answer" not in below
    # Reverse of trace_up: whatever a promise justifies traces back to some promise.
    for node in below:
        assert graph.nodes[trace_up(graph, node)[-1]]["kind"] in ("promise", "brand")


def test_subgraph_by_layer_and_focus(graph: Graph) -> None:
    technology = subgraph(graph, layers=["technology"])
    assert {data["layer"] for _, data in technology.nodes(data=True)} == {"technology"}
    focused = subgraph(graph, focus="component:wfm")
    assert "component:wfm" in focused and "promise:digital_choice" in focused


def test_graph_has_no_dangling_edges(graph: Graph) -> None:
    for source, target, data in graph.edges(data=True):
        assert source in graph and target in graph and data["relation"]


def test_graph_of_generated_blueprint() -> None:
    from tests.bench.generate import generated_blueprint

    result = compile(generated_blueprint(3))
    assert result.ok and result.model is not None
    graph = build_graph(result.model)
    assert trace_up(graph, "component:acd_2")[-1].startswith("promise:")


def test_trace_up_all_agrees_with_trace_up_on_the_example() -> None:
    from blueprintc.graph import trace_up_all

    compilation = compile(ROOT / "examples" / "northwind_bank.cxb", until="validate")
    assert compilation.graph is not None
    graph = compilation.graph
    assert trace_up_all(graph) == {node: trace_up(graph, node) for node in graph.nodes}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.sampled_from(sorted(UPWARD)))))
def test_trace_up_all_agrees_with_trace_up_on_random_graphs(
    edges: list[tuple[int, int, str]],
) -> None:
    """Random graphs with cycles, ties and several promises: the linear pass finds the
    same chain as the breadth-first search from each node."""
    from blueprintc.graph import trace_up_all

    kinds = ["promise", "brand", "service", "process", "channel", "component"] * 2
    graph: Graph = nx.DiGraph()
    for k in range(12):
        graph.add_node(f"{kinds[k]}:n{k:02d}", kind=kinds[k])
    names = sorted(graph.nodes)
    for a, b, relation in edges:
        if a != b:
            graph.add_edge(names[a], names[b], relation=relation)
    assert trace_up_all(graph) == {node: trace_up(graph, node) for node in graph.nodes}
