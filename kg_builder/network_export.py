"""Coordination networks as GraphML, GEXF (Gephi, Cytoscape), or node and edge tables (CSV in a zip, XLSX)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import networkx as nx

from .engines import Engine
from .errors import InputError
from .outputs.export import write_atomically
from .network import PROJECTIONS, bipartite_graph, fetch_participations, fetch_posts, projection
from .node_kinds import kind_words, node_kind, sector_words

__all__ = ["GRAPHS", "NETWORK_FORMATS", "TABLE_FORMATS", "edge_rows", "export_network", "flat", "node_rows",
           "write_tables"]

NETWORK_FORMATS = ("graphml", "gexf", "csv", "xlsx")
TABLE_FORMATS = ("csv", "xlsx")
GRAPHS = (*PROJECTIONS, "meetings")
NODE_COLUMNS = ("id", "label", "kind", "type", "provinces", "posts", "acting_kinds", "degree", "shared_meetings")
EDGE_COLUMNS = ("source", "source_label", "target", "target_label", "shared_meetings", "first", "last", "meetings",
                "sources")
# A spreadsheet cell holds one value: lists are joined with this.
JOIN = "; "
# CSV goes out as one zip (nodes.csv, edges.csv, README.txt): `-o` names one file, written atomically,
# and the two tables can never be separated or come from two different runs.
README = """nodes.csv: one row per node, isolated nodes included (degree 0).
  kind: person, institution, group of office holders, post or meeting; type: the sector it represents;
  posts: posts held (appointment kind); acting_kinds: Pj, Pjs, Plh, Plt when acting.
edges.csv: one row per pair that shared at least one meeting.
  shared_meetings: how many; first/last: their dates; meetings: "date label" of each; sources: the
  articles that attest them. Every participation rests on the article(s) named here.
"""


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


def _acting(kinds) -> list[str]:
    from .network import ACTING

    return sorted(set(kinds or ()) & ACTING)


def node_rows(graph: nx.Graph) -> list[tuple]:
    """NODE_COLUMNS for every node, isolated ones included, sorted by id."""
    rows = []
    for node, data in sorted(graph.nodes(data=True)):
        sector = data.get("institution_type") or data.get("type", "")
        rows.append((node, data.get("label", node), kind_words(node_kind(data)), sector_words(sector),
                     JOIN.join(data.get("provinces") or ([data["place"]] if data.get("place") else [])),
                     JOIN.join(data.get("posts", [])), JOIN.join(_acting(data.get("kinds"))), graph.degree(node),
                     len({m["meeting"] for _, _, e in graph.edges(node, data=True) for m in e.get("meetings", [])})))
    return rows


def edge_rows(graph: nx.Graph) -> list[tuple]:
    """EDGE_COLUMNS for every edge: the meetings the pair shared, with dates and the articles that say so."""
    rows = []
    for left, right, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        meetings = {m["meeting"]: m for m in data.get("meetings", [])}
        ordered = sorted(meetings.values(), key=lambda m: (m["date"], m["label"]))
        sources = sorted({m["source"] for m in data.get("meetings", [])} | {s["source"] for s in data.get("sources", [])})
        days = [m["date"] for m in ordered] or [graph.nodes[n].get("date") for n in (left, right) if graph.nodes[n].get("date")]
        rows.append((left, graph.nodes[left].get("label", left), right, graph.nodes[right].get("label", right),
                     data.get("weight", len(ordered) or 1), min(days, default=""), max(days, default=""),
                     JOIN.join(f"{m['date']} {m['label']}" for m in ordered), JOIN.join(sources)))
    return rows


def _csv(columns: tuple[str, ...], rows: list[tuple]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def _xlsx(tables: dict[str, tuple[tuple[str, ...], list[tuple]]]) -> bytes:
    try:
        from openpyxl import Workbook
    except ImportError:  # an optional dependency until the lock file has it
        raise InputError("xlsx needs the openpyxl package (pip install openpyxl); or use --format csv",
                         field="--format") from None

    book = Workbook()
    book.remove(book.active)
    for name, (columns, rows) in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for row in rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_tables(graph: nx.Graph, fmt: str, target: Path) -> None:
    """The node and edge tables of `graph`: a zip of two CSV files, or an XLSX with two sheets."""
    tables = {"nodes": (NODE_COLUMNS, node_rows(graph)), "edges": (EDGE_COLUMNS, edge_rows(graph))}
    if fmt == "xlsx":
        data = _xlsx(tables)
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, (columns, rows) in tables.items():
                archive.writestr(f"{name}.csv", _csv(columns, rows))
            archive.writestr("README.txt", README)
        data = buffer.getvalue()
    write_atomically(Path(target), data)


def export_network(engine: Engine, which: str, fmt: str, target) -> nx.Graph:
    """Write one projection in `fmt`; returns the graph written."""
    if which not in GRAPHS:
        raise InputError(f"unknown graph {which!r}; use one of {', '.join(GRAPHS)}", field="--graph")
    if fmt not in NETWORK_FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(NETWORK_FORMATS)}", field="--format")
    participations = fetch_participations(engine)
    if which == "meetings":
        graph = bipartite_graph(participations)
    else:
        graph = projection(participations, fetch_posts(engine), which)
    if fmt in TABLE_FORMATS:
        write_tables(graph, fmt, Path(target))
        return graph
    simple = flat(graph)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(simple, buffer)
    else:
        nx.write_gexf(simple, buffer)
    write_atomically(target, buffer.getvalue())
    return simple
