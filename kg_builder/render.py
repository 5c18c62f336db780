"""networkx -> self-contained HTML views: pyvis networks (vis-network inlined) and a timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

from .export import write_atomically

__all__ = ["COLOURS", "View", "render_network", "render_index", "render_timeline", "top_nodes"]

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
    "edges": {"smooth": False, "color": {"inherit": False, "color": "#9aa"}, "arrows": {"to": {"enabled": False}}},
}


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
    lines = [data.get("label") or node, data.get("type", "")]
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


def render_network(graph: nx.Graph, target: Path, *, title: str, note: str, links: list[View],
                   size_by: dict[str, float] | None = None, height: str = "80vh") -> tuple[int, int]:
    """Write one interactive page; returns (nodes, edges) drawn."""
    # Directed skips pyvis's linear duplicate-edge scan (224 s -> 16 s at 50,000 edges); arrows stay off.
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    sizes = size_by or {}
    biggest = max(sizes.values(), default=0) or 1
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        group = data.get("institution_type") or data.get("type") or "Unknown"
        if data.get("type") == "Meeting":
            group = "Meeting"
        acting = bool(data.get("acting"))
        # No vis "group": its automatic palette would override the legend's colours.
        net.add_node(
            node, label=data.get("label") or node, egkgType=group, color=COLOURS.get(group, "#dddddd"),
            size=10 + 30 * (sizes.get(node, 0) / biggest), shape="diamond" if acting else "dot",
            shapeProperties={"borderDashes": [4, 3]} if acting else {}, borderWidth=3 if acting else 1,
            provinces=sorted(data.get("provinces", [])) or ([data["place"]] if data.get("place") else []),
            tip=_node_tip(node, data),
        )
    for left, right in sorted(graph.edges()):
        data = graph.edges[left, right]
        dates = sorted({m["date"] for m in data.get("meetings", [])}) or sorted(
            {graph.nodes[n].get("date") for n in (left, right) if graph.nodes[n].get("date")}) or ["0000-00-00"]
        net.add_edge(left, right, weight=data.get("weight", 1), width=1 + min(data.get("weight", 1), 10),
                     arrows={"to": {"enabled": False}},
                     dates=dates, tip=_edge_tip(data, graph.nodes[left].get("label", left), graph.nodes[right].get("label", right)))
    nodes, edges, _, _, _, _ = net.get_network_data()
    present = sorted({node["egkgType"] for node in nodes})
    provinces = sorted({p for node in nodes for p in node["provinces"]})
    days = sorted({d for edge in edges for d in edge["dates"] if d != "0000-00-00"})
    html = _environment().get_template("network.html").render(
        title=title, note=note, links=[l.__dict__ for l in links], height=height,
        legend=[(group, COLOURS.get(group, "#dddddd")) for group in present], provinces=provinces,
        date_from=days[0] if days else "", date_to=days[-1] if days else "",
        graph={"nodes": nodes, "edges": edges, "options": OPTIONS},
        vis_js=(VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"),
        vis_css=(VIS_DIR / "vis-network.css").read_text(encoding="utf-8"),
    )
    write_atomically(target, html.encode("utf-8"))
    return len(nodes), len(edges)


def render_timeline(meetings: list[dict], holdings: list[dict], target: Path, *, title: str, note: str,
                    links: list[View]) -> int:
    """An SVG timeline: one lane per province with its meetings, and post holdings as bars."""
    days = [m["date"] for m in meetings] + [h[k] for h in holdings for k in ("first", "last") if h.get(k)]
    if not days:
        days = ["2024-01-01"]  # an empty timeline still renders (no clock in artefacts)
    start = dt.date.fromisoformat(min(days)) - dt.timedelta(days=15)
    end = dt.date.fromisoformat(max(days)) + dt.timedelta(days=15)
    span = max((end - start).days, 1)
    width, left = 1200, 220

    def x(day: str) -> float:
        return round(left + (width - left - 20) * (dt.date.fromisoformat(day) - start).days / span, 1)

    lanes, y = [], 30
    provinces = sorted({m["province"] for m in meetings} | {h["province"] for h in holdings})
    for province in provinces:
        lane_holdings = [h for h in holdings if h["province"] == province and h.get("first")]
        height = 40 + 12 * len(lane_holdings)
        lanes.append({
            "label": province or "(tanpa wilayah / no region)", "y": y, "height": height,
            "meetings": [{"x": x(m["date"]), "tip": f"{m['date']} · {m['label']} · {m['place']}"}
                         for m in meetings if m["province"] == province],
            "holdings": [{"x": x(h["first"]), "y": y + 36 + 12 * i, "w": max(x(h["last"]) - x(h["first"]), 4),
                          "acting": h["kind"] != "Definitive",
                          "tip": f"{h['holder']} · {h['post']} ({h['kind']}) · {h['first']} – {h['last']}"}
                         for i, h in enumerate(lane_holdings)],
        })
        y += height + 6
    ticks, month = [], dt.date(start.year, start.month, 1)
    step = 1 if span < 400 else 3
    while month <= end:
        if month >= start:
            ticks.append({"x": x(month.isoformat()), "label": month.strftime("%Y-%m")})
        month = dt.date(month.year + (month.month + step - 1) // 12, (month.month + step - 1) % 12 + 1, 1)
    html = _environment().get_template("timeline.html").render(
        title=title, note=note, links=[l.__dict__ for l in links], width=width, height=y + 10, lanes=lanes, ticks=ticks)
    write_atomically(target, html.encode("utf-8"))
    return len(meetings)


def render_index(pages: list[View], target: Path, note: str) -> None:
    html = _environment().get_template("index.html").render(pages=[p.__dict__ for p in pages], note=note)
    write_atomically(target, html.encode("utf-8"))
