"""Coordination networks as GraphML, GEXF (Gephi, Cytoscape) or an edge-list CSV."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx

from .engines import Engine
from .errors import InputError
from .export import write_atomically
from .network import bipartite_graph, fetch_participations, fetch_posts, institution_graph, person_graph

__all__ = ["NETWORK_FORMATS", "export_network", "flat"]

NETWORK_FORMATS = ("graphml", "gexf", "csv")
GRAPHS = ("persons", "institutions", "meetings")


def flat(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes are strings and numbers only (lists become JSON), as GraphML wants."""
    copy = nx.Graph()

    def clean(data: dict) -> dict:
        return {k: (v if isinstance(v, (str, int, float)) and not isinstance(v, bool) else json.dumps(v, ensure_ascii=False, default=sorted))
                for k, v in data.items() if v is not None}

    for node, data in sorted(graph.nodes(data=True)):
        copy.add_node(node, **clean(data))
    for left, right, data in sorted(graph.edges(data=True)):
        copy.add_edge(left, right, **clean(data))
    return copy


def export_network(engine: Engine, which: str, fmt: str, target) -> nx.Graph:
    """Write one projection in `fmt`; returns the graph written."""
    if which not in GRAPHS:
        raise InputError(f"unknown graph {which!r}; use one of {', '.join(GRAPHS)}", field="--graph")
    participations = fetch_participations(engine)
    graph = {"persons": lambda: person_graph(participations, fetch_posts(engine)),
             "institutions": lambda: institution_graph(participations),
             "meetings": lambda: bipartite_graph(participations)}[which]()
    simple = flat(graph)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(simple, buffer)
    elif fmt == "gexf":
        nx.write_gexf(simple, buffer)
    else:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["source", "source_label", "target", "target_label", "weight"])
        for left, right, data in sorted(simple.edges(data=True)):
            writer.writerow([left, simple.nodes[left].get("label", ""), right, simple.nodes[right].get("label", ""),
                             data.get("weight", 1)])
        buffer.write(text.getvalue().encode("utf-8"))
    write_atomically(target, buffer.getvalue())
    return simple
