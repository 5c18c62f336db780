"""The view benchmark (benchmarks/view_bench.py) on small sizes: graphs, pages, sweep, CLI, browser."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from benchmarks.view_bench import interactive_seconds, main, sweep, synthetic_graph, write_view
from kg_builder.render import LARGE_NODES

from .browser import needs_browser


def _graph_data(path):
    html = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_synthetic_graph_has_the_asked_size_and_is_deterministic():
    graph = synthetic_graph(200, 1000, seed=3)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (200, 1000)
    assert nx.utils.graphs_equal(graph, synthetic_graph(200, 1000, seed=3))
    assert not nx.utils.graphs_equal(graph, synthetic_graph(200, 1000, seed=4))
    for _, data in graph.nodes(data=True):
        assert data["label"] and data["type"] and data["institution_type"] and data["provinces"]
    for _, _, data in graph.edges(data=True):
        assert data["weight"] == len({m["meeting"] for m in data["meetings"]}) >= 1
        assert data["first"] <= data["last"]
    with pytest.raises(ValueError):
        synthetic_graph(3, 4)


@pytest.mark.parametrize("size", [(200, 1000), (LARGE_NODES + 100, 1500)])
def test_written_page_holds_every_node_and_edge(tmp_path, size):
    graph = synthetic_graph(*size)
    result = write_view(graph, tmp_path / "view.html")
    data = _graph_data(tmp_path / "view.html")
    assert (result["nodes"], result["edges"]) == size == (len(data["nodes"]), len(data["edges"]))
    assert result["bytes"] == (tmp_path / "view.html").stat().st_size and result["seconds"] > 0
    assert {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]} <= {n["id"] for n in data["nodes"]}
    large = size[0] > LARGE_NODES
    # Large pages come laid out (no physics in the browser); small ones settle with physics.
    assert all(("x" in n and "y" in n) == large for n in data["nodes"])
    assert data["options"]["physics"].get("enabled", True) is not large


def test_sweep_and_cli_without_browser(tmp_path):
    rows = sweep([(100, 300), (200, 600)], tmp_path, browser=False)
    assert [(r["nodes"], r["edges"]) for r in rows] == [(100, 300), (200, 600)]
    assert rows[0]["per_edge_ratio"] == 1.0 and rows[1]["per_edge_ratio"] > 0
    out = tmp_path / "bench.json"
    assert main(["--sizes", "100x300", "--no-browser", "--out", str(tmp_path / "cli"), "--json", str(out)]) == 0
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved[0]["edges"] == 300 and (tmp_path / "cli" / "view-100x300.html").is_file()


@needs_browser
@pytest.mark.parametrize("size", [(200, 1000), (LARGE_NODES + 100, 1500)])
def test_page_becomes_interactive_offline(tmp_path, size):
    target = tmp_path / "view.html"
    write_view(synthetic_graph(*size), target)
    result = interactive_seconds(target, timeout=60)
    assert result["problems"] == [] and result["external_requests"] == []
    assert (result["page_nodes"], result["page_edges"]) == size == (result["shown_nodes"], result["shown_edges"])
    assert result["selected"]
    assert 0 < result["ready_s"] <= result["interactive_s"] and result["cpu_s"] > 0
