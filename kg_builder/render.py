"""networkx -> self-contained HTML views: vis-network pages (inlined from pyvis) and a timeline."""

from __future__ import annotations

import datetime as dt
import math
import operator
import random
from dataclasses import dataclass
from pathlib import Path

import jinja2
import networkx as nx
import pyvis

from .node_kinds import KINDS, kind_words, node_kind, sector_words
from .outputs.export import write_atomically

__all__ = ["COLOURS", "CREDIT", "SHAPES", "SIZE_NOTES", "View", "pivot_layout", "render_network", "render_index", "render_timeline", "top_nodes"]

TEMPLATES = Path(__file__).parent / "templates"
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
COLOURS = {
    "ElectionCommission": "#d62728", "ElectionSupervisor": "#ff7f0e", "EthicsCouncil": "#e377c2",
    "RegionalGovernment": "#1f77b4", "GovernmentAgency": "#17becf", "Police": "#8c564b", "Military": "#2ca02c",
    "Prosecution": "#9467bd", "Legislature": "#bcbd22", "Forum": "#7f7f7f", "AdHocBody": "#aec7e8",
    "MediaOutlet": "#c7c7c7", "OfficeHolderGroup": "#98df8a", "Person": "#ffbb78", "Post": "#c49c94",
    "Meeting": "#393b79", "Unknown": "#dddddd", "Organization": "#dddddd",
}
# Physics that settles quickly; the page freezes the layout once stabilised.
OPTIONS = {
    "physics": {"solver": "forceAtlas2Based", "stabilization": {"enabled": True, "iterations": 300, "fit": True},
                "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120}},
    "interaction": {"hover": True, "tooltipDelay": 100, "navigationButtons": False},
    # Seeded: the same picture on every load (vis otherwise places nodes at random before physics).
    "layout": {"randomSeed": 19, "improvedLayout": True},
    # Long institution names wrap, so labels take less room and the page can keep them apart.
    "nodes": {"widthConstraint": {"maximum": 170}, "font": {"size": 13, "face": "sans-serif"}},
    "edges": {"smooth": False, "color": {"inherit": False, "color": "#9aa"}, "arrows": {"to": {"enabled": False}}},
}
# Above this many nodes vis-network's own layout is too slow for a page usable within seconds:
# 1,000 nodes / 5,000 edges took 11.6 s to settle (improvedLayout's clustering + Kamada-Kawai,
# then 300 physics iterations), 500 / 2,500 took 3.4 s. Large pages get positions from
# `pivot_layout` and no physics (1,001 nodes: 2.1 s); hover highlighting is off (each highlight
# redraws every edge, ~1 s at 50,000 edges) and edges hide while dragging or zooming.
LARGE_NODES = 500
LARGE_OPTIONS = {
    **OPTIONS,
    "physics": {**OPTIONS["physics"], "enabled": False},
    "layout": {"randomSeed": 19, "improvedLayout": False},
    "interaction": {**OPTIONS["interaction"], "hover": False, "hideEdgesOnDrag": True, "hideEdgesOnZoom": True},
}
PIVOTS = 12
SPREAD = 40  # px of layout radius per square root of a component's node count


def _bfs(adjacency: list[list[int]], source: int) -> list[int]:
    dist = [-1] * len(adjacency)
    dist[source] = 0
    queue = [source]
    for v in queue:  # the list grows while iterating: a FIFO queue without deque overhead
        step = dist[v] + 1
        for w in adjacency[v]:
            if dist[w] < 0:
                dist[w] = step
                queue.append(w)
    return dist


def _top_two(matrix: list[list[float]]) -> list[list[float]]:
    """The two leading eigenvectors of a small symmetric matrix (power iteration, then deflation)."""
    size, found = len(matrix), []
    for _ in range(2):
        vector = [1.0 + i / size for i in range(size)]
        value = 0.0
        for _ in range(200):
            product = [sum(row[j] * vector[j] for j in range(size)) for row in matrix]
            for other, other_value in found:  # deflate: B - lambda v v^T
                dot = sum(o * x for o, x in zip(other, vector))
                product = [p - other_value * dot * o for p, o in zip(product, other)]
            norm = sum(p * p for p in product) ** 0.5 or 1.0
            vector, value = [p / norm for p in product], norm
        found.append((vector, value))
    return [vector for vector, _ in found]


def _component_layout(graph: nx.Graph, members: list[str], pivots: int) -> list[tuple[float, float]]:
    """Pivot MDS (Brandes & Pich 2006): classical MDS on the hop distances to a few far-apart pivots."""
    if len(members) < 3:
        return [(float(i), 0.0) for i in range(len(members))]
    index = {node: i for i, node in enumerate(members)}
    adjacency = [[index[w] for w in graph.adj[node]] for node in members]
    # Max-min pivots: start at the best connected node, then always the node farthest from all chosen.
    first = min(range(len(members)), key=lambda i: (-len(adjacency[i]), members[i]))
    columns, nearest = [], None
    for _ in range(min(pivots, len(members))):
        pivot = first if nearest is None else max(range(len(members)), key=nearest.__getitem__)
        dist = _bfs(adjacency, pivot)
        columns.append([float(d * d) for d in dist])
        nearest = dist if nearest is None else [min(a, b) for a, b in zip(nearest, dist)]
    # Double centring of the squared distances, column by column.
    count = len(members)
    column_means = [sum(column) / count for column in columns]
    row_means = [sum(row) / len(columns) for row in zip(*columns)]
    grand = sum(column_means) / len(columns)
    centred = [[-0.5 * (d - r - mean + grand) for d, r in zip(column, row_means)]
               for column, mean in zip(columns, column_means)]
    gram = [[0.0] * len(centred) for _ in centred]
    for i, ca in enumerate(centred):
        for j in range(i, len(centred)):
            gram[i][j] = gram[j][i] = sum(map(operator.mul, ca, centred[j]))
    coordinates = []
    for axis in _top_two(gram):
        values = [0.0] * count
        for weight, column in zip(axis, centred):
            values = [v + weight * c for v, c in zip(values, column)]
        coordinates.append(values)
    return list(zip(*coordinates))


def pivot_layout(graph: nx.Graph, pivots: int = PIVOTS, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Node positions for a large page in time linear in edges: pivot MDS per connected component,
    components side by side (largest first). Deterministic for a given seed."""
    rng = random.Random(seed)
    placed: dict[str, tuple[float, float]] = {}
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    row_width = 2 * SPREAD * math.sqrt(max(graph.number_of_nodes(), 1))
    cursor_x = cursor_y = row_height = 0.0
    for members in components:
        points = _component_layout(graph, members, pivots)
        radius = SPREAD * math.sqrt(len(members))
        # Scale to the component's radius (by RMS, so a few outliers do not squash the rest), then
        # jitter: the leaves of one hub share a distance profile and would sit on one point.
        extent = 2 * math.sqrt(sum(px * px + py * py for px, py in points) / len(points)) or 1.0
        if cursor_x + 2 * radius > row_width and cursor_x > 0:
            cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height, 0.0
        centre_x, centre_y = cursor_x + radius, cursor_y + radius
        for node, (px, py) in zip(members, points):
            angle, shift = rng.uniform(0, 2 * math.pi), SPREAD * math.sqrt(rng.random())
            placed[node] = (round(centre_x + radius * px / extent + shift * math.cos(angle), 1),
                            round(centre_y + radius * py / extent + shift * math.sin(angle), 1))
        cursor_x, row_height = cursor_x + 2 * radius + SPREAD, max(row_height, 2 * radius + SPREAD)
    return placed


@dataclass(frozen=True)
class View:
    """A page written to build/views/: its file, link text and one-line description."""

    href: str
    text: str
    description: str


def _environment() -> jinja2.Environment:
    # Autoescape everything: names, titles and quotes are untrusted text.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def top_nodes(graph: nx.Graph, limit: int | None) -> nx.Graph:
    """The `limit` nodes with the highest weighted degree (ties by id): a readable large view."""
    if limit is None or graph.number_of_nodes() <= limit:
        return graph
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n, weight="weight"), n))[:limit]
    return graph.subgraph(ranked).copy()


def _node_tip(node: str, data: dict) -> list[str]:
    kind = node_kind(data)
    sector = "" if kind == "Meeting" else sector_words(data.get("institution_type") or data.get("type", ""))
    lines = [data.get("label") or node, " · ".join(filter(None, (kind_words(kind), sector)))]
    lines += [f"jabatan / post: {post}" for post in data.get("posts", [])]
    if data.get("kinds"):
        lines.append("pengangkatan / appointment: " + ", ".join(data["kinds"]))
    if data.get("date"):
        lines.append(f"{data['date']} {data.get('place', '')}".strip())
    lines.append(node)
    return lines


def _edge_tip(data: dict, left: str, right: str) -> list[str]:
    lines = [f"{left} — {right}: {data.get('weight', 1)} rapat bersama / shared meeting(s)"]
    for meeting in sorted(data.get("meetings", []), key=lambda m: (m["date"], m["label"]))[:20]:
        lines.append(f"{meeting['date']} · {meeting['label']} · {meeting['place']}")
        lines.append(f"  {meeting['source']}: “{meeting['quote']}”")
    for source in data.get("sources", [])[:10]:
        lines.append(f"{source['source']}: “{source['quote']}”")
    return lines


# Shape says what a node is; colour says which sector it belongs to (see node_kinds).
SHAPES = {"Person": "dot", "Institution": "square", "Group": "hexagon", "Post": "triangle", "Meeting": "diamond"}
# Lines are as wide as the meetings they stand for, up to this many.
MAX_WIDTH_MEETINGS = 10
SIZE_NOTES = {
    "centrality": "ukuran: keterpusatan (antara + rapat bersama) / size: centrality (betweenness + shared meetings)",
    "weighted_degree": "ukuran: jumlah rapat bersama / size: shared meetings",
    "degree": "ukuran: jumlah hubungan / size: number of links",
}
CREDIT = "Dibuat dengan egkg dari berita yang diarsipkan / Made with egkg from archived news articles"


def _vis_nodes(graph: nx.Graph, sizes: dict[str, float], pages: dict[str, str]) -> list[dict]:
    biggest = max(sizes.values(), default=0) or 1
    nodes = []
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        kind = node_kind(data)
        sector = "Meeting" if kind == "Meeting" else (data.get("institution_type") or data.get("type") or "Unknown")
        acting = bool(data.get("acting"))
        # No vis "group": its automatic palette would override the legend's colours.
        item = {
            "id": node, "label": data.get("label") or node, "shape": SHAPES[kind], "egkgKind": kind,
            "color": COLOURS.get(sector, "#dddddd"), "egkgType": sector, "size": 10 + 30 * (sizes.get(node, 0) / biggest),
            "shapeProperties": {"borderDashes": [4, 3]} if acting else {}, "borderWidth": 3 if acting else 1,
            "provinces": sorted(data.get("provinces", [])) or ([data["place"]] if data.get("place") else []),
            "aliases": sorted(data.get("aliases", [])), "tip": _node_tip(node, data),
        }
        if node in pages:
            item["page"] = pages[node]
        nodes.append(item)
    return nodes


def _vis_edges(graph: nx.Graph) -> list[dict]:
    labels = {node: data.get("label", node) for node, data in graph.nodes(data=True)}
    days = {node: data.get("date") for node, data in graph.nodes(data=True)}
    edges = []
    # Same order as sorted(graph.edges()), without a view lookup per edge.
    for left, right, data in sorted(graph.edges(data=True), key=lambda edge: (edge[0], edge[1])):
        dates = sorted({m["date"] for m in data.get("meetings", [])}) or sorted(
            {days[n] for n in (left, right) if days[n]}) or ["0000-00-00"]
        sources = sorted({m["source"] for m in data.get("meetings", [])} | {s["source"] for s in data.get("sources", [])})
        edges.append({
            "from": left, "to": right, "weight": data.get("weight", 1),
            "width": 1 + min(data.get("weight", 1), MAX_WIDTH_MEETINGS), "dates": dates, "sources": sources,
            "tip": _edge_tip(data, labels[left], labels[right]),
        })
    return edges


def _legend(nodes: list[dict], size_note: str) -> dict:
    """What the page's legend lists: the kinds (shapes) and sectors (colours) present, sizes and lines."""
    kinds = [k for k in KINDS if any(n["egkgKind"] == k for n in nodes)]
    sectors = sorted({n["egkgType"] for n in nodes if n["egkgType"] != "Meeting"}, key=sector_words)
    return {
        "kinds": [{"kind": k, "shape": SHAPES[k], "words": kind_words(k)} for k in kinds],
        "sectors": [{"sector": s, "colour": COLOURS.get(s, "#dddddd"), "words": sector_words(s)} for s in sectors],
        "size": size_note,
        "widths": [{"meetings": m, "width": 1 + m} for m in (1, 3, MAX_WIDTH_MEETINGS)],
    }


def render_network(graph: nx.Graph, target: Path, *, title: str, note: str, links: list[View],
                   size_by: dict[str, float] | None = None, height: str = "80vh", size_note: str = SIZE_NOTES["centrality"],
                   pages: dict[str, str] | None = None) -> tuple[int, int]:
    """Write one interactive page; returns (nodes, edges) drawn.

    `pages` maps node ids to the (relative) address of their page in the static site, if any.
    """
    # vis-network's node and edge objects are built here, not with pyvis's Network: its add_node and
    # add_edge look ids up in lists (undirected add_edge also scans every edge), which is quadratic:
    # 11-38 s for 10,000 nodes / 50,000 edges directed, 224 s undirected. This is linear (~95 µs
    # per edge for the whole page, JSON and write included).
    nodes, edges = _vis_nodes(graph, size_by or {}, pages or {}), _vis_edges(graph)
    large = len(nodes) > LARGE_NODES
    if large:
        positions = pivot_layout(graph)
        for node in nodes:
            node["x"], node["y"] = positions[node["id"]]
    legend = _legend(nodes, size_note)
    provinces = sorted({p for node in nodes for p in node["provinces"]})
    days = sorted({d for edge in edges for d in edge["dates"] if d != "0000-00-00"})
    html = _environment().get_template("network.html").render(
        title=title, note=note, links=[l.__dict__ for l in links], height=height, legend=legend, provinces=provinces,
        date_from=days[0] if days else "", date_to=days[-1] if days else "",
        graph={"nodes": nodes, "edges": edges, "options": LARGE_OPTIONS if large else OPTIONS,
               "title": title, "credit": CREDIT, "sectors": {s["sector"]: s["words"] for s in legend["sectors"]}},
        vis_js=(VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"),
        vis_css=(VIS_DIR / "vis-network.css").read_text(encoding="utf-8"),
    )
    write_atomically(target, html.encode("utf-8"))
    return len(nodes), len(edges)


TIMELINE_WIDTH, TIMELINE_LEFT = 1200, 220
ROW = 16  # px per row of meeting labels and per holding bar
CHAR = 6.2  # px per character of an 11px label: enough to keep labels on one row apart


def _months(start: dt.date, end: dt.date, step: int) -> list[dt.date]:
    """First days of months from `start`'s month up to the first month after `end`: the axis covers the data."""
    month, found = dt.date(start.year, start.month, 1), []
    while True:
        found.append(month)
        if month > end:
            return found
        month = dt.date(month.year + (month.month + step - 1) // 12, (month.month + step - 1) % 12 + 1, 1)


def _rows(items: list[dict], width_of) -> list[dict]:
    """Give each item (sorted by x) the first row where it does not touch the previous one: meetings on
    one day, or close enough for their labels to collide, sit on separate rows."""
    ends: list[float] = []
    for item in sorted(items, key=lambda i: i["x"]):
        # Near the right edge a label goes to the left of its mark.
        item["flip"] = item["x"] + width_of(item) > TIMELINE_WIDTH - 10
        begin, finish = (item["x"] - width_of(item), item["x"] + 8) if item["flip"] else (item["x"] - 8, item["x"] + width_of(item))
        row = next((i for i, end in enumerate(ends) if end < begin), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = max(ends[row], finish)
        item["row"] = row
    return items


def _holding(holding: dict, x, y: float) -> dict:
    """One post holding's bar and its label (left of the bar near the right edge)."""
    left, width = x(holding["first"]), max(x(holding["last"]) - x(holding["first"]), 4)
    label = f"{holding['holder']} · {holding['post']} ({holding['kind']})"
    flip = left + width + 4 + CHAR * len(label) > TIMELINE_WIDTH - 10
    return {"x": left, "y": y, "w": width, "acting": holding["kind"] != "Definitive", "label": label,
            "label_x": left - 4 if flip else left + width + 4, "anchor": "end" if flip else "start",
            "tip": f"{holding['holder']} · {holding['post']} ({holding['kind']}) · {holding['first']} – {holding['last']}"}


def render_timeline(meetings: list[dict], holdings: list[dict], target: Path, *, title: str, note: str,
                    links: list[View], polling: list[dict] | None = None) -> int:
    """An SVG timeline: one lane per province with its labelled meetings and post holdings as bars,
    polling days from the graph as vertical lines."""
    polling = polling or []
    days = [m["date"] for m in meetings] + [h[k] for h in holdings for k in ("first", "last") if h.get(k)]
    days += [p["day"] for p in polling]
    if not days:
        days = ["2024-01-01"]  # an empty timeline still renders (no clock in artefacts)
    first, last = dt.date.fromisoformat(min(days)), dt.date.fromisoformat(max(days))
    step = 1 if (last - first).days < 400 else 3
    months = _months(first, last, step)
    start, end = months[0], months[-1]
    span = max((end - start).days, 1)
    width, left = TIMELINE_WIDTH, TIMELINE_LEFT

    def x(day: str) -> float:
        return round(left + (width - left - 20) * (dt.date.fromisoformat(day) - start).days / span, 1)

    lanes, y = [], 40
    provinces = sorted({m["province"] for m in meetings} | {h["province"] for h in holdings})
    for province in provinces:
        lane_meetings = _rows([{"x": x(m["date"]), "label": m["label"],
                                "tip": f"{m['date']} · {m['label']} · {m['place']}"}
                               for m in meetings if m["province"] == province],
                              lambda item: 14 + CHAR * len(item["label"]))
        lane_holdings = [h for h in holdings if h["province"] == province and h.get("first")]
        meeting_rows = max((m["row"] for m in lane_meetings), default=-1) + 1
        top = y + 22
        for item in lane_meetings:
            item["y"] = top + ROW * item["row"]
        bars_top = top + ROW * meeting_rows
        height = bars_top - y + ROW * len(lane_holdings) + 6
        lanes.append({
            "label": province or "(tanpa wilayah / no region)", "y": y, "height": height, "meetings": lane_meetings,
            "holdings": [_holding(h, x, bars_top + ROW * i) for i, h in enumerate(lane_holdings)],
        })
        y += height + 6
    by_day: dict[str, list[str]] = {}
    for item in polling:
        by_day.setdefault(item["day"], []).append(item["label"])
    polls = [{"x": x(day), "tip": f"{day} · {' / '.join(sorted(set(labels)))} — hari pemungutan suara / polling day"}
             for day, labels in sorted(by_day.items())]
    ticks = [{"x": x(month.isoformat()), "label": month.strftime("%Y-%m")} for month in months]
    html = _environment().get_template("timeline.html").render(
        title=title, note=note, links=[l.__dict__ for l in links], width=width, left=left, height=y + 10,
        lanes=lanes, ticks=ticks, polls=polls)
    write_atomically(target, html.encode("utf-8"))
    return len(meetings)


def render_index(pages: list[View], target: Path, note: str) -> None:
    html = _environment().get_template("index.html").render(pages=[p.__dict__ for p in pages], note=note)
    write_atomically(target, html.encode("utf-8"))
