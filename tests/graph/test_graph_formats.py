"""The graph renderers (DOT, Mermaid, JSON) and the ``blueprintc graph`` command.

DOT is read back with pydot and networkx (and laid out by Graphviz when ``dot`` is
installed). Mermaid is checked with the real Mermaid parser under Node
(``mermaid_parse.mjs`` beside this file) when Node and the npm packages are there; the
packages are looked for in ``$BLUEPRINTC_MERMAID_DIR`` or ``tests/graph/.mermaid``:

    npm install --no-save --prefix tests/graph/.mermaid mermaid@11.17.2 jsdom@29.1.1

A structural check of the Mermaid text always runs.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import networkx as nx
import pydot
import pytest

from blueprintc import cli
from blueprintc.driver import compile
from blueprintc.graph import Graph, build_graph, justifies, trace_up
from blueprintc.model.elements import LAYERS
from blueprintc.render.graph_formats import mermaid_ids, to_dot, to_json, to_mermaid

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"
HEADER = 'blueprint "T" { currency USD; start 2027-01; horizon 3 years }\n'
SMALL = (
    HEADER
    + """use std/channels
use std/components
brand Acme {
  promise quick "We answer fast"
}
segment everyone { share 100%; value high; potential high; strategy retain; intensity simple }
service help { delivers quick; segments everyone }
process questions {
  service help
  volume 5_000/month
  mix { voice 100% }
  aht { voice 5 min }
}
channel voice extends std.voice { hours mon..fri 08:00-18:00 }
component sip_trunk extends std.sip_trunk { model cloud }
component sbc extends std.sbc { model cloud }
component acd extends std.acd { model cloud }
component wfm extends std.wfm { model cloud }
assert occupancy(voice) <= 85%
assert occupancy(voice) <= 85%
"""
)
# Names that would break a careless renderer: quotes, backslashes (one at the very end),
# Mermaid keywords and arrows, entity look-alikes, brackets, comment starts, non-ASCII.
TRICKY_NAMES = {
    "brand": ['say "hi"', "café €"],
    "business": ["end", "a --> b", "x|y;z", "`md` **bold**"],
    "financial-functional": ["capex(year 1) <= 1.8M USD #2", "#quot; & &amp;", "{a}[b]"],
    "operational": ["occupancy(voice) <= 85%", "std.voice_weekday", "two\nlines"],
    "technology": ["back\\slash\\", "%% not a comment", "subgraph"],
}

# pydot 4 calls pyparsing's camelCase API, which pyparsing 3.3 reports as deprecated.
pytestmark = pytest.mark.filterwarnings("ignore:'\\w+' deprecated - use:DeprecationWarning")

MERMAID_INSTALL = "npm install --no-save --prefix tests/graph/.mermaid mermaid@11.17.2 jsdom@29.1.1"


# -- graphs ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def northwind() -> Graph:
    compilation = compile(EXAMPLE)
    assert compilation.ok and compilation.model is not None
    return build_graph(compilation.model)


@pytest.fixture(scope="module")
def small() -> Graph:
    compilation = compile(SMALL)
    assert compilation.ok, [d.message for d in compilation.diagnostics]
    assert compilation.model is not None
    return build_graph(compilation.model)


def tricky_graph(reverse: bool = False) -> Graph:
    """A synthetic graph over awkward names; ``reverse`` inserts everything backwards."""
    nodes = []
    for layer, names in TRICKY_NAMES.items():
        for index, name in enumerate(names):
            kind = "component" if index % 2 else "assertion"
            nodes.append((f"{kind}:{name}", {"kind": kind, "name": name, "layer": layer}))
    ids = [node for node, _ in nodes]
    edges = [
        (source, target, {"relation": "constrains" if index % 2 else "made-by"})
        for index, (source, target) in enumerate(zip(ids, ids[1:] + ids[:1], strict=True))
    ]
    graph: Graph = nx.DiGraph()
    graph.add_nodes_from(reversed(nodes) if reverse else nodes)
    graph.add_edges_from(reversed(edges) if reverse else edges)
    return graph


@pytest.fixture
def tricky() -> Graph:
    return tricky_graph()


@pytest.fixture
def empty() -> Graph:
    graph: Graph = nx.DiGraph()
    return graph


GRAPHS = ["northwind", "small", "tricky", "empty"]


def graph_named(request: pytest.FixtureRequest, name: str) -> Graph:
    graph = request.getfixturevalue(name)
    assert isinstance(graph, nx.DiGraph)
    return graph


def layers_of(graph: Graph) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for node, data in graph.nodes(data=True):
        found.setdefault(data["layer"], set()).add(node)
    return found


def relations(graph: Graph, ids: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(source, target, relation) of every edge, sorted; nodes renamed through ``ids``."""
    name = (lambda node: ids[node]) if ids else (lambda node: node)
    return sorted((name(a), name(b), data["relation"]) for a, b, data in graph.edges(data=True))


# -- DOT ------------------------------------------------------------------------------------


def dot_unescape(text: str) -> str:
    """Undo the renderer's escapes (``\\"``, ``\\\\``, ``\\n``) in a DOT string."""
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], text)


def dot_unquote(text: str) -> str:
    """The string a DOT quoted id or label stands for."""
    assert text.startswith('"') and text.endswith('"'), text
    return dot_unescape(text[1:-1])


@pytest.mark.parametrize("name", GRAPHS)
def test_dot_is_read_by_pydot(request: pytest.FixtureRequest, name: str) -> None:
    graph = graph_named(request, name)
    parsed = pydot.graph_from_dot_data(to_dot(graph))
    assert parsed is not None and len(parsed) == 1
    (dot,) = parsed
    assert dot.get_type() == "digraph"

    # One cluster per layer, in the fixed order, holding that layer's nodes.
    clusters = dot.get_subgraphs()
    expected = layers_of(graph)
    order = [layer for layer in LAYERS if layer in expected]
    assert [c.get_name() for c in clusters] == [
        "cluster_" + layer.replace("-", "_") for layer in order
    ]
    for cluster, layer in zip(clusters, order, strict=True):
        assert cluster.get("label") == f'"{layer}"'
        assert {dot_unquote(n.get_name()) for n in cluster.get_nodes()} == expected[layer]

    # Every node is declared at the top level with its label; edges carry the relation.
    declared = {
        dot_unquote(n.get_name()): n
        for n in dot.get_nodes()
        if n.get_name() not in ("node", "edge", "graph")  # default attribute statements
    }
    assert set(declared) == set(graph.nodes)
    for node, data in graph.nodes(data=True):
        assert dot_unquote(str(declared[node].get("label"))) == f"{data['kind']}\n{data['name']}"
    edges = [
        (
            dot_unquote(str(e.get_source())),
            dot_unquote(str(e.get_destination())),
            dot_unquote(str(e.get("label"))),
        )
        for e in dot.get_edges()
    ]
    assert sorted(edges) == relations(graph)


# networkx reads pydot 4's graphs from networkx 3.5 on; blueprintc itself needs only 3.2
# (the minimum-versions job of CI runs the tests with it).
_NX_READS_PYDOT_4 = tuple(int(part) for part in nx.__version__.split(".")[:2]) >= (3, 5)


@pytest.mark.skipif(not _NX_READS_PYDOT_4, reason="networkx < 3.5 cannot read pydot 4 graphs")
@pytest.mark.parametrize("name", GRAPHS)
def test_dot_is_read_by_networkx(request: pytest.FixtureRequest, name: str) -> None:
    graph = graph_named(request, name)
    parsed = pydot.graph_from_dot_data(to_dot(graph))
    assert parsed is not None and len(parsed) == 1
    (dot,) = parsed
    # networkx (which ignores subgraphs) reads every node and every edge. It unquotes ids by
    # stripping quote characters, which mangles an id ending in an escaped quote: compare
    # the ids themselves only where none has quotes or backslashes.
    read = nx.nx_pydot.from_pydot(dot)
    assert read.number_of_nodes() == graph.number_of_nodes()
    assert read.number_of_edges() == graph.number_of_edges()
    if not any(re.search(r'["\\\n]', node) for node in graph.nodes):
        assert set(read.nodes) == set(graph.nodes)
        assert {(a, b) for a, b, *_ in read.edges} == set(graph.edges)


def test_dot_labels_show_kind_and_name(northwind: Graph) -> None:
    text = to_dot(northwind)
    assert '"component:acd" [label="component\\nacd"];' in text
    assert '"pattern:std.voice_weekday" [label="pattern\\nstd.voice_weekday"];' in text
    assert '"promise:fast_answer" -> "brand:Northwind" [label="made-by"];' in text
    assert "subgraph cluster_financial_functional {" in text
    assert 'label="financial-functional";' in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
@pytest.mark.parametrize("name", GRAPHS)
def test_graphviz_draws_each_node_in_its_layer_cluster(
    request: pytest.FixtureRequest, name: str
) -> None:
    graph = graph_named(request, name)
    result = subprocess.run(
        ["dot", "-Tjson"], input=to_dot(graph), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    objects = json.loads(result.stdout).get("objects", [])
    clusters = {o["label"]: o.get("nodes", []) for o in objects if o["name"].startswith("cluster")}
    assert list(clusters) == [layer for layer in LAYERS if layer in layers_of(graph)]
    # Graphviz keeps the escapes of ids other than \" in the names it reports.
    members = {
        layer: {dot_unescape(objects[i]["name"]) for i in indices}
        for layer, indices in clusters.items()
    }
    assert members == layers_of(graph)


# -- Mermaid --------------------------------------------------------------------------------


def mermaid_dir() -> Path | None:
    folder = os.environ.get("BLUEPRINTC_MERMAID_DIR")
    candidate = Path(folder) if folder else HERE / ".mermaid"
    modules = candidate / "node_modules"
    if (modules / "mermaid" / "package.json").is_file() and (modules / "jsdom").is_dir():
        return candidate
    return None


def run_mermaid(text: str, *options: str) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Mermaid parser check needs Node.js (`node` is not on PATH)")
    folder = mermaid_dir()
    if folder is None:
        pytest.skip(
            "Mermaid parser check needs the npm packages: run "
            f"`{MERMAID_INSTALL}` or set BLUEPRINTC_MERMAID_DIR to a folder with "
            "node_modules/mermaid and node_modules/jsdom"
        )
    result = subprocess.run(
        [node, str(HERE / "mermaid_parse.mjs"), str(folder), *options],
        input=text,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    return result


@pytest.mark.parametrize("name", GRAPHS)
def test_mermaid_parser_accepts_and_understands_output(
    request: pytest.FixtureRequest, name: str
) -> None:
    graph = graph_named(request, name)
    result = run_mermaid(to_mermaid(graph), "--summary")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["type"].startswith("flowchart")
    ids = mermaid_ids(graph)
    # The parser sees every node with its label decoded back to "kind: name" ...
    shown = {v["id"]: v["text"] for v in summary["vertices"]}
    assert shown == {ids[n]: f"{d['kind']}: {d['name']}" for n, d in graph.nodes(data=True)}
    # ... every edge with its relation ...
    edges = sorted((e["start"], e["end"], e["text"]) for e in summary["edges"])
    assert edges == relations(graph, ids)
    # ... and one subgraph per layer titled by the layer, holding its nodes.
    subgraphs = {s["title"]: set(s["nodes"]) for s in summary["subgraphs"]}
    assert subgraphs == {
        layer: {ids[n] for n in nodes} for layer, nodes in layers_of(graph).items()
    }


def test_mermaid_parser_rejects_broken_text() -> None:
    # The check is not vacuous: a raw quote in a label, or an unbalanced subgraph, fails ...
    assert run_mermaid('flowchart TB\n  n0["x"y"] --> n1\n').returncode == 1
    assert run_mermaid('flowchart TB\n  subgraph a["a"]\n    n0["x"]\n').returncode == 1
    # ... and where Mermaid accepts raw quotes it garbles the label, which the summary shows.
    garbled = run_mermaid('flowchart TB\n  n0["say "hi""]\n', "--summary")
    assert garbled.returncode == 0
    assert json.loads(garbled.stdout)["vertices"] != [{"id": "n0", "text": 'say "hi"'}]


_MERMAID_ENTITY = re.compile(r"#(\w+);")
_NAMED = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}


def mermaid_decode(text: str) -> str:
    return _MERMAID_ENTITY.sub(lambda m: _NAMED[m[1]] if m[1] in _NAMED else chr(int(m[1])), text)


@pytest.mark.parametrize("name", GRAPHS)
def test_mermaid_structure(request: pytest.FixtureRequest, name: str) -> None:
    """Runs without Node: the shape of every line, and labels that decode to the names."""
    graph = graph_named(request, name)
    lines = to_mermaid(graph).splitlines()
    assert lines[0] == "flowchart TB"
    safe = r"(?:[A-Za-z0-9 _.,:+*/=\-]|#\w+;)*"  # no raw quote, bracket, % or #
    subgraph = re.compile(rf'  subgraph (layer_[a-z_]+)\["({safe})"\]')
    vertex = re.compile(rf'    (n_[A-Za-z0-9_]+)\["({safe})"\]')
    edge = re.compile(rf'  (n_[A-Za-z0-9_]+) -->\|"({safe})"\| (n_[A-Za-z0-9_]+)')
    ids = mermaid_ids(graph)
    declared: dict[str, str] = {}
    titles, depth, edges = [], 0, []
    for line in lines[1:]:
        if match := subgraph.fullmatch(line):
            assert depth == 0
            depth += 1
            titles.append(mermaid_decode(match[2]))
        elif line == "  end":
            assert depth == 1
            depth -= 1
        elif match := vertex.fullmatch(line):
            assert depth == 1 and match[1] not in declared
            declared[match[1]] = mermaid_decode(match[2])
        elif match := edge.fullmatch(line):
            assert depth == 0 and match[1] in declared and match[3] in declared
            edges.append((match[1], match[3], mermaid_decode(match[2])))
        else:
            pytest.fail(f"unexpected line {line!r}")
    assert depth == 0
    assert titles == [layer for layer in LAYERS if layer in layers_of(graph)]
    assert declared == {ids[n]: f"{d['kind']}: {d['name']}" for n, d in graph.nodes(data=True)}
    assert sorted(edges) == relations(graph, ids)


def test_mermaid_labels_escape_special_characters(northwind: Graph) -> None:
    text = to_mermaid(northwind)
    assert '["component: acd"]' in text
    assert '["pattern: std.voice_weekday"]' in text
    assert '["assertion: occupancy#40;voice#41; #lt;= 85#37;"]' in text
    assert '  subgraph layer_financial_functional["financial-functional"]' in text
    assert '-->|"made-by"|' in text
    assert '  n_component_acd -->|"requires"| n_component_sbc' in text


def test_mermaid_ids_do_not_shift_when_a_node_is_added(northwind: Graph) -> None:
    before = mermaid_ids(northwind)
    bigger = northwind.copy()
    bigger.add_node("brand:Aardvark", kind="brand", name="Aardvark", layer="brand")
    after = mermaid_ids(bigger)
    assert all(after[node] == before[node] for node in before)


def test_mermaid_ids_never_clash() -> None:
    graph: Graph = nx.DiGraph()
    for node in ("a:b.c", "a:b_c", "a:b-c"):
        graph.add_node(node, kind="a", name=node[2:], layer="brand")
    assert sorted(mermaid_ids(graph).values()) == ["n_a_b_c", "n_a_b_c_2", "n_a_b_c_3"]
    graph: Graph = nx.DiGraph()
    graph.add_node("x:y", kind="assertion", name='say "hi" #2 <b> & (c)', layer="operational")
    assert to_mermaid(graph) == (
        "flowchart TB\n"
        '  subgraph layer_operational["operational"]\n'
        '    n_x_y["assertion: say #quot;hi#quot; #35;2 #lt;b#gt; #amp; #40;c#41;"]\n'
        "  end\n"
    )


# -- order and determinism --------------------------------------------------------------------


@pytest.mark.parametrize("render", [to_dot, to_mermaid, to_json])
def test_output_is_deterministic(northwind: Graph, render: Any) -> None:
    assert render(northwind) == render(northwind)
    # Insertion order does not matter: a graph built backwards renders the same bytes.
    backwards: Graph = nx.DiGraph()
    backwards.add_nodes_from(reversed(list(northwind.nodes(data=True))))
    backwards.add_edges_from(reversed(list(northwind.edges(data=True))))
    assert render(backwards) == render(northwind)
    assert render(tricky_graph(reverse=True)) == render(tricky_graph())


def test_two_compilations_render_identical_bytes() -> None:
    first, second = (compile(EXAMPLE).model for _ in range(2))
    assert first is not None and second is not None and first is not second
    for render in (to_dot, to_mermaid, to_json):
        assert render(build_graph(first)) == render(build_graph(second))


def test_nodes_by_layer_then_kind_then_name_and_edges_by_endpoints(northwind: Graph) -> None:
    document = json.loads(to_json(northwind))
    keys = [(LAYERS.index(n["layer"]), n["kind"], n["name"]) for n in document["nodes"]]
    assert keys == sorted(keys)
    ends = [(e["source"], e["target"]) for e in document["edges"]]
    assert ends == sorted(ends)
    dot = to_dot(northwind)
    positions = [dot.index(f"subgraph cluster_{layer.replace('-', '_')} ") for layer in LAYERS]
    assert positions == sorted(positions)


# -- JSON -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GRAPHS)
def test_json_round_trip(request: pytest.FixtureRequest, name: str) -> None:
    graph = graph_named(request, name)
    text = to_json(graph)
    document = json.loads(text)
    assert text.endswith("}\n")
    assert text == json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert document["schema"] == "blueprintc.graph" and document["version"] == 1
    assert len(document["nodes"]) == graph.number_of_nodes()
    assert len(document["edges"]) == graph.number_of_edges()
    for node in document["nodes"]:
        assert set(node) == {"id", "kind", "name", "layer"}
        data = graph.nodes[node["id"]]
        assert (node["kind"], node["name"], node["layer"]) == (
            data["kind"],
            data["name"],
            data["layer"],
        )
    edges = [(e["source"], e["target"], e["relation"]) for e in document["edges"]]
    assert edges == relations(graph)  # sorted by (source, target) already


# -- the command line -------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["graph", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def node_ids(output: str) -> set[str]:
    return {n["id"] for n in json.loads(output)["nodes"]}


def test_cli_writes_each_format(northwind: Graph) -> None:
    code, out, err = run(str(EXAMPLE), "--format", "json")
    assert code == 0 and err == ""
    assert out == to_json(northwind)
    assert run(str(EXAMPLE), "--format", "dot")[1] == to_dot(northwind)
    assert run(str(EXAMPLE))[1] == to_dot(northwind)  # dot is the default
    assert run(str(EXAMPLE), "--format", "mermaid")[1] == to_mermaid(northwind)


def test_cli_layer_filter(northwind: Graph) -> None:
    code, out, _ = run(str(EXAMPLE), "--format", "json", "--layer", "technology")
    assert code == 0
    assert node_ids(out) == layers_of(northwind)["technology"]
    repeated = run(str(EXAMPLE), "--format", "json", "--layer", "brand", "--layer", "business")
    commas = run(str(EXAMPLE), "--format", "json", "--layer", "brand, business")
    assert repeated == commas and repeated[0] == 0
    document = json.loads(repeated[1])
    assert {n["layer"] for n in document["nodes"]} == {"brand", "business"}
    kept = node_ids(repeated[1])
    assert kept == layers_of(northwind)["brand"] | layers_of(northwind)["business"]
    assert all(e["source"] in kept and e["target"] in kept for e in document["edges"])
    assert len(document["edges"]) == northwind.subgraph(kept).number_of_edges()


def test_cli_focus_keeps_chain_and_dependants(northwind: Graph) -> None:
    code, out, _ = run(str(EXAMPLE), "--format", "json", "--focus", "component:wfm")
    assert code == 0
    ids = node_ids(out)
    chain = trace_up(northwind, "component:wfm")
    assert chain[-1].startswith("promise:") and set(chain) <= ids
    assert ids == {"component:wfm", *chain, *justifies(northwind, "component:wfm")}
    # A bare name that only one element has means the same.
    assert run(str(EXAMPLE), "--format", "json", "--focus", "wfm") == (code, out, "")
    # Focus and layers combine.
    _, tech, _ = run(str(EXAMPLE), "--format", "json", "--focus", "wfm", "--layer", "technology")
    assert node_ids(tech) == {n for n in ids if northwind.nodes[n]["layer"] == "technology"}


def test_cli_focus_on_small_blueprint(tmp_path: Path) -> None:
    path = tmp_path / "small.cxb"
    path.write_text(SMALL, encoding="utf-8")
    code, out, err = run(str(path), "--format", "mermaid", "--focus", "component:wfm")
    assert code == 0, err
    assert '["component: wfm"]' in out and '["promise: quick"]' in out
    assert '["component: acd"]' in out  # wfm requires the ACD


def test_cli_ambiguous_and_unknown_focus_exit_2() -> None:
    code, out, err = run(str(EXAMPLE), "--focus", "ivr")
    assert code == 2 and out == ""
    assert "ambiguous" in err and "channel:ivr" in err and "component:ivr" in err
    code, out, err = run(str(EXAMPLE), "--focus", "wfn")
    assert code == 2 and out == "" and "no element `wfn`" in err and "did you mean `wfm`?" in err
    code, _, err = run(str(EXAMPLE), "--focus", "component:wfn")
    assert code == 2 and "`component:wfm`" in err


def test_cli_bad_layer_exits_2() -> None:
    code, out, err = run(str(EXAMPLE), "--layer", "tech")
    assert code == 2 and out == ""
    assert "unknown layer `tech`" in err and "did you mean `technology`?" in err
    assert "financial-functional" in err  # lists the layers
    assert run(str(EXAMPLE), "--layer", "brand,nope")[0] == 2


def test_cli_usage_errors_exit_2() -> None:
    assert run()[0] == 2
    assert run(str(EXAMPLE), "--format", "svg")[0] == 2


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "nope.cxb"))
    assert code == 2 and out == "" and "error[CXB0001]" in err


def test_cli_blueprint_with_errors_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.cxb"
    path.write_text(HEADER + "segment a { share 140% }\n", encoding="utf-8")
    code, out, err = run(str(path), "--format", "mermaid")
    assert code == 1 and out == ""
    assert "error[CXB0408]" in err and "^^^^" in err
