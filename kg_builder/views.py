"""Write build/views/: coordination, institutions, meetings, timeline and the index page."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import networkx as nx

from .engines import Engine
from .network import bipartite_graph, fetch_participations, fetch_posts, institution_graph, party_graph
from .render import View, render_index, render_network, render_timeline, top_nodes

__all__ = ["PAGES", "node_sizes", "write_network_view", "write_views"]

PAGES = [
    View("coordination.html", "coordination", "persons (and the institutions and unnamed posts beside them) who sat in the same meetings; lines are shared meetings"),
    View("institutions.html", "institutions", "institutions present at the same meetings, directly or through representatives"),
    View("meetings.html", "meetings", "participants and the meetings they attended (bipartite)"),
    View("timeline.html", "timeline", "meetings by date and province, and post holdings including acting spells"),
]
TIMELINE_MEETINGS = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?meeting ?label ?date ?place ?province WHERE {
  ?meeting a egkg:Meeting ; rdfs:label ?label ; egkg:startDate ?date .
  OPTIONAL { ?meeting egkg:inRegion ?where . ?where rdfs:label ?place .
             OPTIONAL { ?where egkg:parentRegion/rdfs:label ?parent } }
  BIND(COALESCE(?parent, ?place, "") AS ?province)
}
"""
TIMELINE_HOLDINGS = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?holder ?post ?kind ?province (MIN(?day) AS ?first) (MAX(?day) AS ?last) WHERE {
  ?holding egkg:holder/rdfs:label ?holder ; egkg:post ?p ; egkg:appointmentKind/skos:notation ?kind ; egkg:attestedOn ?day .
  ?p rdfs:label ?post .
  OPTIONAL { ?p egkg:jurisdiction ?where . OPTIONAL { ?where egkg:parentRegion ?parent } ?region rdfs:label ?provinceName .
             FILTER(?region = COALESCE(?parent, ?where)) }
  BIND(COALESCE(?provinceName, "") AS ?province)
}
GROUP BY ?holder ?post ?kind ?province
"""


# Exact betweenness costs one shortest-path search per node, O(nodes x edges): 32 s at 2,500 nodes /
# 12,500 edges, 168 s at 5,000 / 25,000. A page gets a fixed budget of edge visits instead: exact
# when nodes x edges fits (every real page so far), else estimated from as many seeded sample
# sources as fit, at least MIN_PIVOTS, which keeps the cost linear in edges. Node size needs a ranking,
# not exact values.
BETWEENNESS_BUDGET = 500_000
MIN_PIVOTS = 8
Sizing = Literal["centrality", "weighted_degree", "degree"]


def node_sizes(graph: nx.Graph, sizing: Sizing) -> dict[str, float]:
    """What each page sizes its nodes by: centrality (betweenness + weighted degree / 100) or degree."""
    if sizing == "degree":
        return {n: graph.degree(n) for n in graph}
    weighted = dict(graph.degree(weight="weight"))
    if sizing == "weighted_degree":
        return weighted
    pivots = max(MIN_PIVOTS, BETWEENNESS_BUDGET // max(graph.number_of_edges(), 1))
    sample = None if pivots >= graph.number_of_nodes() else pivots
    betweenness = nx.betweenness_centrality(graph, k=sample, weight=None, normalized=True, seed=0)
    return {n: betweenness[n] + weighted[n] / 100 for n in graph}


def write_network_view(graph: nx.Graph, target: Path, *, title: str, note: str, links: list[View] = PAGES,
                       sizing: Sizing = "centrality", max_nodes: int | None = 2000) -> tuple[int, int]:
    """One network page as `egkg viz` writes it: keep the most connected nodes, size them, render.

    Returns (nodes, edges) drawn.
    """
    shown = top_nodes(graph, max_nodes)
    return render_network(shown, target, title=title, note=note, links=links, size_by=node_sizes(shown, sizing))


def _rows(engine: Engine, query: str) -> list[dict[str, str]]:
    table = engine.select(query)
    return [{c: (t.value if t else "") for c, t in zip(table.columns, row)} for row in table.rows]


def write_views(engine: Engine, out_dir: Path, *, date_from: str | None = None, date_to: str | None = None,
                max_nodes: int | None = 2000) -> dict[str, tuple[int, int]]:
    """Render every page; returns (nodes, edges) drawn per network page."""
    out_dir.mkdir(parents=True, exist_ok=True)
    participations = fetch_participations(engine, date_from, date_to)
    window = f"{date_from or '…'} – {date_to or '…'}" if (date_from or date_to) else "all dates"
    note = (f"Time window: {window}. Built from the egkg store; hover a node or line for names, posts, "
            f"meetings and the quotes that attest them.")
    drawn = {}
    drawn["coordination.html"] = write_network_view(
        party_graph(participations, fetch_posts(engine)), out_dir / "coordination.html", note=note, max_nodes=max_nodes,
        title="Siapa berkoordinasi dengan siapa / Who coordinated with whom (persons, institutions, posts)")
    drawn["institutions.html"] = write_network_view(
        institution_graph(participations), out_dir / "institutions.html", note=note, max_nodes=max_nodes,
        title="Koordinasi antarlembaga / Institutions that coordinated", sizing="weighted_degree")
    drawn["meetings.html"] = write_network_view(
        bipartite_graph(participations), out_dir / "meetings.html", note=note, max_nodes=max_nodes,
        title="Peserta dan rapat / Participants and meetings", sizing="degree")
    meetings = [m for m in _rows(engine, TIMELINE_MEETINGS)
                if (not date_from or m["date"] >= date_from) and (not date_to or m["date"] <= date_to)]
    holdings = _rows(engine, TIMELINE_HOLDINGS)
    render_timeline(sorted(meetings, key=lambda m: (m["date"], m["meeting"])),
                    sorted(holdings, key=lambda h: (h["province"], h["first"], h["holder"], h["post"])),
                    out_dir / "timeline.html", title="Lini masa / Timeline", note=note, links=PAGES)
    render_index(PAGES, out_dir / "index.html", note)
    return drawn
